#!/usr/bin/env bash
# Run RPA Assistant: set up (apt packages, .venv) if needed, then start the app.
# Arguments are passed on to `python -m app`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"

# No Xvfb here: without a display the app prints its help (or runs a headless command).
exec "$ROOT/.venv/bin/python" -m app "$@"
