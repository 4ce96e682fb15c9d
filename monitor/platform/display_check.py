"""Before Qt opens a window on Linux: is there a display, and are Qt's X11 libraries there?

Qt aborts (exit 134) when a library its xcb platform plugin needs is missing, and its
message names ``libxcb-cursor0`` whichever one it is. This checks each library the way
the loader will (``ctypes.CDLL``) and says which are missing and the one command that
installs them; with no display at all it says that instead.
"""

from __future__ import annotations

import ctypes
import os
import sys

__all__ = ["XCB_LIBRARIES", "display_problem", "missing_libraries"]

# soname -> (Debian/Ubuntu package, Fedora package): what Qt 6's xcb plugin links.
XCB_LIBRARIES: dict[str, tuple[str, str]] = {
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}


def missing_libraries(sonames: dict[str, tuple[str, str]] = XCB_LIBRARIES) -> list[str]:
    """The sonames the dynamic loader cannot find."""
    missing = []
    for soname in sonames:
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """A few lines saying why no window can open, or None (also off Linux, or offscreen)."""
    env = dict(os.environ if environ is None else environ)
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith("xcb"):
        return None  # offscreen, wayland, vnc …: Qt's own business
    if env.get("WAYLAND_DISPLAY") and not platform:
        return None  # a Wayland session: Qt uses its Wayland plugin, not xcb
    if not env.get("DISPLAY"):
        return (
            "No display to open a window on (DISPLAY is not set). Run A-Share Monitor from "
            "a desktop session. For headless use (tests, screenshots) set "
            "QT_QPA_PLATFORM=offscreen."
        )
    missing = missing_libraries()
    if not missing:
        return None
    debian = sorted({XCB_LIBRARIES[s][0] for s in missing})
    fedora = sorted({XCB_LIBRARIES[s][1] for s in missing})
    return (
        f"Qt cannot open a window: missing system libraries {', '.join(missing)}.\n"
        f"Debian/Ubuntu: sudo apt-get install {' '.join(debian)}\n"
        f"Fedora: sudo dnf install {' '.join(fedora)}"
    )
