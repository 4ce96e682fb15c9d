#!/usr/bin/env bash
# Run the bundle with --smoke (offscreen unless a display is set); fail on any traceback
# or import error in its output, or a non-zero exit.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-dist/ashare-monitor/ashare-monitor}
out=$(mktemp)
home=$(mktemp -d)
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen} ASHARE_MONITOR_HOME="$home" \
  timeout -k 5 60 "$BIN" --smoke --smoke-settle 1 ${SCREENSHOT:+--screenshot "$SCREENSHOT"} >"$out" 2>&1
rc=$?
cat "$out"
if [ $rc -ne 0 ]; then echo "smoke: bundle exited $rc"; exit 1; fi
if grep -Eq "Traceback|ImportError|ModuleNotFoundError|cannot import|Error loading" "$out"; then
  echo "smoke: errors in the bundle's output"; exit 1
fi
grep -q "first live row painted" "$out" || { echo "smoke: no live row"; exit 1; }
echo "smoke: OK"
