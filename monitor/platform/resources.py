"""Finding bundled resources from a source checkout, an installed wheel or a frozen app.

In a checkout and an (editable) install the top-level ``resources/`` folder is the
``monitor.resources`` package; in a PyInstaller bundle it sits under ``sys._MEIPASS``.
"""

from __future__ import annotations

import contextlib
import functools
import sys
from importlib import resources
from pathlib import Path

from monitor.core.listing import Listing, parse_listing

__all__ = ["char_initials", "resource_path", "shipped_listing"]


def _roots() -> list[Path]:
    roots: list[Path] = []
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        roots.append(Path(meipass) / "monitor" / "resources")
    with contextlib.suppress(ModuleNotFoundError, TypeError):
        roots.append(Path(str(resources.files("monitor.resources"))))
    roots.append(Path(__file__).resolve().parents[2] / "resources")
    return roots


def resource_path(relative: str) -> Path:
    """Absolute path of ``relative`` (e.g. ``icons/ashare-monitor.svg``); raises if missing."""
    for root in _roots():
        p = root / relative
        if p.exists():
            return p
    raise FileNotFoundError(f"resource not found: {relative}")


@functools.cache
def shipped_listing() -> Listing:
    """The A-share listing shipped in ``resources/listing`` (parsed once per process)."""
    text = resource_path("listing/a_shares.csv").read_text(encoding="utf-8")
    return parse_listing(text)


@functools.cache
def char_initials() -> dict[str, str]:
    """Chinese character -> the initials of all its readings (shipped, built with pypinyin)."""
    text = resource_path("listing/char_initials.txt").read_text(encoding="utf-8")
    return {line[0]: line[1:] for line in text.splitlines() if len(line) > 1}
