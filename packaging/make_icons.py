"""Render resources/icons/ashare-monitor.svg to PNGs (16-512 px) with Qt's SVG renderer.

Run after changing the SVG: ``python packaging/make_icons.py``. The PNGs are committed
so that installs and bundles need no renderer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> int:
    root = Path(__file__).resolve().parents[1] / "resources" / "icons"
    _app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(root / "ashare-monitor.svg"))
    if not renderer.isValid():
        print("invalid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        img = QImage(size, size, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(p)
        p.end()
        out = root / f"ashare-monitor-{size}.png"
        img.save(str(out))
        print(out)
        if size == 256:
            # Windows and macOS bundle icons, from the same rendering.
            img.save(str(root / "ashare-monitor.ico"))
            img.save(str(root / "ashare-monitor.icns"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
