"""The snapshot table view: a QTableView that reorders a watchlist by drag and drop.

Data flow: a drop does not move rows itself; it emits ``rows_dropped(symbols, row)``
and the window applies the move to the watchlist (undoable), which resets the view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from monitor.ui.quote_model import QuoteTableModel

__all__ = ["QuoteTableView"]


class QuoteTableView(QTableView):
    rows_dropped = Signal(list, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def dropEvent(self, event: QDropEvent) -> None:
        model = self.model()
        if event.source() is not self or not isinstance(model, QuoteTableModel):
            event.ignore()
            return
        idx = self.indexAt(event.position().toPoint())
        target = idx.row() if idx.isValid() else model.rowCount()
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        symbols = [s for r in rows if (s := model.symbol_at(r))]
        event.setDropAction(Qt.DropAction.IgnoreAction)  # the model is reset, not edited
        event.accept()
        if symbols:
            self.rows_dropped.emit(symbols, target)
