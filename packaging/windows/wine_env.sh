# Sourced by packaging/build_windows.sh and packaging/smoke_windows.sh: where the Windows
# build lives and how Wine runs in it. Everything Wine-specific stays in the prefix and
# these scripts; the app and the bundle know nothing of Wine.
WIN_WORK=${WINDOWS_BUILD_DIR:-$PWD/build/windows}  # prefix, downloads, PyInstaller's work
WIN_DIST=${WINDOWS_DIST_DIR:-$PWD/dist/windows}    # the app folder, zip and installer
export WINEPREFIX="$WIN_WORK/prefix" WINEARCH=win64 WINEDEBUG=${WINEDEBUG:--all}
# No Mono/Gecko prompts (nothing here needs .NET or a browser engine).
export WINEDLLOVERRIDES="mscoree,mshtml="
WIN_PY='C:\py311\python.exe'  # the build interpreter, inside the prefix
APP_VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)

# Wine's Python aborts ("init_sys_streams ... Invalid handle") when its stdout is a
# regular file or its stdin one: always a pipe out and /dev/null in.
wine_run() { wine "$@" </dev/null 2>&1 | cat; return "${PIPESTATUS[0]}"; }

# The Windows form of a path on this machine (Wine maps / to Z:).
winpath() { printf 'Z:%s' "$(realpath -m "$1" | tr / '\\')"; }

need_tools() {  # need_tools CMD... : one line naming the Debian packages when any is missing
  local missing=()
  for cmd in "$@"; do command -v "$cmd" >/dev/null || missing+=("$cmd"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]} -- apt-get install wine wine64 nsis osslsigncode" \
      "gcc-mingw-w64-x86-64-posix xvfb xauth" >&2
    exit 1
  fi
}
