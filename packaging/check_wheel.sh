#!/usr/bin/env bash
# What a user of `pip install` / `pipx install` gets: build the wheel from this checkout,
# install it (not editable) into a fresh venv, and run it from outside the source tree.
# Fails when a package or resource is missing from the wheel (an editable install, and
# PyInstaller, read the source tree and cannot see that), or when an optional part ends in
# a traceback instead of one line naming its extra.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -n "${PYTHON:-}" ] || [ ! -x .venv/bin/python ] || PY=$PWD/.venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$PY" -m pip wheel --no-deps -q -w "$work/dist" . 2>&1 | grep -v "^WARNING: Location" || true
wheel=$(ls "$work"/dist/ashare_monitor-*.whl)
echo "wheel: $(basename "$wheel") ($(du -k "$wheel" | cut -f1) KB)"
"$PY" -m venv "$work/venv"
"$work/venv/bin/pip" install -q "$wheel" 2>&1 | grep -v "^WARNING: Location" || true
app="$work/venv/bin/ashare-monitor"

cd "$work"  # nothing may be imported from the checkout
export ASHARE_MONITOR_HOME="$work/home" QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
"$work/venv/bin/python" -P -c "import monitor, sys; assert 'site-packages' in monitor.__file__, monitor.__file__"
timeout -k 5 90 "$app" --smoke --smoke-settle 1 | tee "$work/smoke.log"
grep -q "first live row painted" "$work/smoke.log"
"$app" export --help >/dev/null
echo "export --help: ok"

# Optional parts without their extra: one line naming it, exit 2, no traceback.
expect_extra() {  # expect_extra EXTRA ARGS...
  local extra=$1 out rc
  shift
  set +e
  out=$("$app" "$@" 2>&1)
  rc=$?
  set -e
  if [ $rc -ne 2 ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ] \
    || ! grep -q "ashare-monitor\[$extra\]" <<<"$out"; then
    echo "'$*' without the $extra extra: rc $rc, said:"; echo "$out"; exit 1
  fi
  echo "$1 without $extra: $out"
}
expect_extra relay relay --url ws://127.0.0.1:9/ --symbols 600519 --redis redis://127.0.0.1:9/0
expect_extra relay gateway --redis redis://127.0.0.1:9/0
: >"$work/day.sqlite"
expect_extra parquet record --to-parquet "$work/day.sqlite"
echo "wheel: OK"
