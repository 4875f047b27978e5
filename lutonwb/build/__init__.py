"""The build: raw public files → validated parquet warehouse (see pipeline.py)."""

from lutonwb.build.errors import BuildError, DataError
from lutonwb.build.pipeline import build, is_current, read_manifest

__all__ = ["BuildError", "DataError", "build", "is_current", "read_manifest"]
