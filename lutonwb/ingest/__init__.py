"""The build: raw public files → validated parquet warehouse (see pipeline.py)."""

from lutonwb.ingest.errors import BuildError, DataError
from lutonwb.ingest.pipeline import build, is_current, read_manifest

__all__ = ["BuildError", "DataError", "build", "is_current", "read_manifest"]
