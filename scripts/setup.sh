#!/usr/bin/env bash
# Shared set-up for the two README commands: a virtual environment with the pinned packages.
# Idempotent and quiet when nothing changed. Usage: source scripts/setup.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
VENV="$ROOT/.venv"
STAMP="$VENV/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating virtual environment in .venv"
  if ! "$PY" -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 needs python3-venv for venv
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      "$PY" -m venv "$VENV"
    else
      echo "setup: python3 -m venv failed; install python3-venv" >&2; exit 1
    fi
  fi
fi
if [ ! -f "$STAMP" ]; then
  echo "setup: installing pinned Python packages (constraints.txt)"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".[test]"
  rm -f "$VENV"/.installed-*
  touch "$STAMP"
fi
# Byte-compile the app's own package: where PYTHONDONTWRITEBYTECODE is set (as in many containers)
# Python would otherwise compile its ~80 modules again at every start (~0.15 s of a cold start).
# Quick when nothing changed; a stale file is ignored, never run.
"$VENV/bin/python" -m compileall -q -j 0 lutonwb >/dev/null
export PATH="$VENV/bin:$PATH"
