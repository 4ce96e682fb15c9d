"""Linux launcher: register (or remove) the .desktop entry and icons for this user.

``ashare-monitor --install-desktop`` writes ``io.github.ashare_monitor.desktop`` under
``$XDG_DATA_HOME/applications`` and the icons under ``$XDG_DATA_HOME/icons/hicolor``,
so the app appears in the application menu and opens by double-click with no
terminal. ``Exec`` points at this very interpreter (or the frozen binary), so it
works from a virtualenv nobody activates.

:data:`APP_ID` is the one application id: the desktop file's name, the AppStream
component id (``resources/io.github.ashare_monitor.metainfo.xml``), and what the app
should pass to ``QGuiApplication.setDesktopFileName`` so that Wayland docks match its
windows to the launcher. Icons keep their plain name, ``ashare-monitor``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from monitor.core.atomic import atomic_write_text
from monitor.platform.resources import resource_path

__all__ = ["APP_ID", "ICON", "desktop_entry_text", "install_desktop", "uninstall_desktop"]

APP_ID = "io.github.ashare_monitor"
ICON = "ashare-monitor"  # the icon theme name (Icon= in the desktop file)
LEGACY_ENTRY = "ashare-monitor.desktop"  # what versions before the application id installed
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def own_command() -> list[str]:
    """The argv that runs this app: the frozen binary, or ``python -m monitor``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    return [sys.executable, "-P", "-m", "monitor"]  # -P: never a monitor/ in the cwd


def launch_command() -> str:
    """The command a double-click runs: the frozen binary, or ``python -m monitor``."""
    return shlex.join(own_command())


def desktop_entry_text(exec_cmd: str | None = None) -> str:
    template = resource_path(f"{APP_ID}.desktop").read_text(encoding="utf-8")
    return template.replace("@EXEC@", exec_cmd or launch_command())


def _files(data: Path) -> list[Path]:
    icons = data / "icons" / "hicolor"
    out = [
        data / "applications" / f"{APP_ID}.desktop",
        icons / "scalable" / "apps" / f"{ICON}.svg",
    ]
    out += [icons / f"{s}x{s}" / "apps" / f"{ICON}.png" for s in SIZES]
    return out


def _refresh_caches(data: Path) -> None:
    for cmd in (
        ["update-desktop-database", str(data / "applications")],
        ["gtk-update-icon-cache", "-f", "-t", str(data / "icons" / "hicolor")],
    ):
        if shutil.which(cmd[0]):
            subprocess.run(cmd, check=False, capture_output=True, timeout=30)


def install_desktop(data_home: Path | None = None) -> list[Path]:
    """Install the launcher and icons for the current user; returns the files written."""
    data = data_home or _data_home()
    desktop, svg, *pngs = _files(data)
    (data / "applications" / LEGACY_ENTRY).unlink(missing_ok=True)  # one menu entry, not two
    atomic_write_text(desktop, desktop_entry_text())
    desktop.chmod(0o755)
    svg.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(resource_path(f"icons/{ICON}.svg"), svg)
    for size, png in zip(SIZES, pngs, strict=True):
        png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resource_path(f"icons/{ICON}-{size}.png"), png)
    _refresh_caches(data)
    return [desktop, svg, *pngs]


def uninstall_desktop(data_home: Path | None = None) -> list[Path]:
    """Remove what :func:`install_desktop` wrote; returns the files removed."""
    data = data_home or _data_home()
    removed = []
    for f in [*_files(data), data / "applications" / LEGACY_ENTRY]:
        if f.exists():
            f.unlink()
            removed.append(f)
    _refresh_caches(data)
    return removed
