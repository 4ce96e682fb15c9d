#!/usr/bin/env bash
# Build the one-folder bundle into dist/ashare-monitor/ (about 40 s, ~220 MB).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m pip install -q "pyinstaller>=6.10,<7"
"$PY" packaging/i18n.py compile  # the UI translations (.ts -> .qm) the bundle ships
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/ashare-monitor.spec
echo "built: dist/ashare-monitor/ashare-monitor"
