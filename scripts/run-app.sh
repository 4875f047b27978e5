#!/usr/bin/env bash
# Start the app on the bundled data at http://localhost:8501 (builds the warehouse first if needed).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
lutonwb build --if-needed
exec python -m lutonwb.ui.serve --server.port "${PORT:-8501}" --server.address "${ADDRESS:-localhost}" "$@"
