#!/usr/bin/env bash
# Smoke-test what packaging/build_windows.sh made, under Wine 8.0 (not a real Windows):
#   1. the frozen ashare-monitor.exe, Qt offscreen: paints a live row on the simulator;
#   2. the same with Qt's real `windows` platform on an X server (Xvfb): a screenshot;
#   3. the installer, silent (/S): Start-menu shortcut, uninstaller registered, the
#      installed exe paints a live row; then the silent uninstall removes it and leaves
#      the user's settings alone;
#   4. the app's Windows behaviour with the build interpreter (packaging/windows/wine/
#      check_platform.py): paths, the token in Windows Credential Manager, single
#      instance, sounds, Chinese text.
# The exe is a windowed app (no console): what it says is read from its log file.
set -euo pipefail
cd "$(dirname "$0")/.."
. packaging/windows/wine_env.sh
need_tools wine Xvfb
exe="$WIN_DIST/ashare-monitor/ashare-monitor.exe"
setup="$WIN_DIST/ashare-monitor-$APP_VERSION-setup.exe"
test -s "$exe" && test -s "$setup" || { echo "build first: bash packaging/build_windows.sh"; exit 1; }
shots=${SMOKE_SHOTS:-build/windows-smoke}
mkdir -p "$shots"

if [ -z "${DISPLAY:-}" ]; then
  for n in $(seq 90 99); do [ -e "/tmp/.X11-unix/X$n" ] || { display=":$n"; break; }; done
  Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true' EXIT
  export DISPLAY=$display
  sleep 1
fi

# smoke NAME EXE [ENV...]: the exe's --smoke in a fresh home; its log must say it painted.
smoke() {
  local name=$1 bin=$2 home rc log
  shift 2
  home=$(mktemp -d)
  set +e
  env ASHARE_MONITOR_HOME="$(winpath "$home")" "$@" timeout -k 10 120 \
    wine "$bin" --smoke --smoke-settle 1 --screenshot "$(winpath "$shots/$name.png")" \
    </dev/null 2>&1 | cat >"$home/wine.out"
  rc=${PIPESTATUS[0]}
  set -e
  log="$home/logs/ashare-monitor.log"
  if [ "$rc" -ne 0 ] || ! grep -q "first live row painted" "$log" 2>/dev/null; then
    echo "$name: FAILED (exit $rc)"; cat "$home/wine.out"; cat "$log" 2>/dev/null; exit 1
  fi
  if grep -Eq "Traceback|ImportError|ModuleNotFoundError" "$log"; then
    echo "$name: errors in the log"; cat "$log"; exit 1
  fi
  test -s "$shots/$name.png" || { echo "$name: no screenshot"; exit 1; }
  echo "$name: $(grep -o 'first live row painted.*' "$log" | head -n 1); screenshot $shots/$name.png"
  rm -rf "$home"
}

smoke frozen-offscreen "$exe" QT_QPA_PLATFORM=offscreen
smoke frozen-windows "$exe"

# The installer, as a user runs it silently; user data in the prefix's profile.
users=$(ls -d "$WINEPREFIX"/drive_c/users/*/ | grep -v /Public/ | head -n 1)
installed="${users%/}/AppData/Local/Programs/ashare-monitor"
rm -rf "$installed"
wine_run "$setup" /S >/dev/null
wineserver -w
test -s "$installed/ashare-monitor.exe" || { echo "installer: nothing in $installed"; exit 1; }
lnk=$(find "$users" -path "*Start Menu*" -name "A-Share Monitor.lnk" | head -n 1)
test -n "$lnk" || { echo "installer: no Start-menu shortcut"; exit 1; }
wine_run reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\ashare-monitor' \
  /v UninstallString | grep -q uninstall.exe || { echo "installer: no uninstaller registered"; exit 1; }
echo "installer: installed to $installed, Start-menu shortcut, uninstaller registered"
smoke installed "$installed/ashare-monitor.exe"
echo kept >"$installed/notes.txt"  # a file of the user's in the app's folder
wine_run "$installed/uninstall.exe" /S >/dev/null
wineserver -w
sleep 1
wineserver -w
if [ -e "$installed/ashare-monitor.exe" ] || [ -e "$installed/_internal" ]; then
  echo "uninstaller: files left in $installed"; exit 1
fi
test -s "$installed/notes.txt" || { echo "uninstaller: removed a file it had not installed"; exit 1; }
rm -rf "$installed"
echo "uninstaller: removed the app, left other files alone"

# The app's Windows behaviour, with the build interpreter and the source tree.
home=$(mktemp -d)
ASHARE_MONITOR_HOME="$(winpath "$home")" wine_run "$WIN_PY" -P \
  "$(winpath packaging/windows/wine/check_platform.py)" "$(winpath .)" | grep -v "^ALSA lib"
rm -rf "$home"
echo "windows smoke: OK"
