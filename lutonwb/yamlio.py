"""The one YAML loader of the project: libyaml's safe loader when present (about 10x faster than
the pure-Python one; the catalogue, place, layers, glossary and targets files are read at every
cold start), else PyYAML's own safe loader. Both keep line marks for the error messages."""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
