"""Compact mode (discreet mode's small window): code, name, last and change % only,
always on top, no menu bar, lists, chart or entry bar; leaving restores the full
window exactly as it was (layout, columns, geometry)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt

if TYPE_CHECKING:
    from monitor.ui.main_window import MainWindow

__all__ = ["CompactMode"]


class CompactMode(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.saved: dict[str, object] | None = None  # the full window, while compact

    def enter(self) -> None:
        w = self.w
        if self.saved is not None:
            return
        self.saved = {
            "geometry": w.saveGeometry(),
            "header": w.table.horizontalHeader().saveState(),
            # isHidden, not isVisible: at start-up the window is not shown yet.
            "menubar": not w.menuBar().isHidden(),
            "bottom": not w.bottom.isHidden(),
            "vsplit": w.vsplit.saveState(),
        }
        w.pane.set_compact(True)
        w.lists.hide()
        w.bottom.hide()
        w.menuBar().hide()
        w.entry.set_compact(True)
        w.status.set_compact(True)
        w.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        w.show()  # changing window flags hides the window
        for widget in (w.hsplit, w.vsplit, w.centralWidget(), w):
            lay = widget.layout() if widget is not None else None
            if lay is not None:
                lay.activate()  # the minimum size without the hidden panels, before resizing
        w.resize(380, 300)

    def leave(self) -> None:
        w, saved = self.w, self.saved
        if saved is None:
            return
        self.saved = None
        w.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, False)
        w.lists.show()
        w.menuBar().setVisible(bool(saved["menubar"]))
        w.bottom.setVisible(bool(saved["bottom"]))
        w.entry.set_compact(False)
        w.status.set_compact(False)
        w.table.horizontalHeader().restoreState(saved["header"])  # type: ignore[arg-type]
        w.restoreGeometry(saved["geometry"])  # type: ignore[arg-type]
        w.show()
