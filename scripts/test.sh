#!/usr/bin/env bash
# Run every test: lint, engine and build tests, AppTest pages, PostgreSQL store tests and
# browser tests in headless Debian chromium. Installs what it needs (venv, chromium, postgresql,
# haproxy for the two-replica test).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v pg_ctlcluster >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v haproxy >/dev/null || need+=(haproxy)
fc-list 2>/dev/null | grep -qi "dejavu" || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test: installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "test: missing ${need[*]}; browser or PostgreSQL tests will be skipped" >&2
  fi
fi
echo "test: ruff"
ruff check .
ruff format --check .
echo "test: building the warehouse from data/raw"
lutonwb build --if-needed
echo "test: pytest"
exec python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
