"""The snapshot table view: paints visible rows straight from the quote book.

Data flow: the view shows a :class:`QuoteTableModel` (selection, header sorting,
column moves and hiding all work as in any QTableView), but its paint event does not
ask the model cell by cell and role by role: for each visible row it takes
``model.row_cells()`` once and draws the cells and the sparkline directly. Measured,
per-cell ``data()`` calls through the delegate machinery were the whole cost of a
frame at market rates. Any other model falls back to the stock painting. A drop (for
reordering a watchlist) emits ``rows_dropped(symbols, row)``; the window applies it.

A cell too narrow for its text never shows a cut-off number (see
:func:`~monitor.ui.delegates.fit_text`): decimals go first, then ``##``.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QDropEvent,
    QFont,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QStaticText,
    QTransform,
)
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from monitor.ui.delegates import fit_text, paint_sparkline
from monitor.ui.quote_model import QuoteTableModel

__all__ = ["QuoteTableView"]


_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class QuoteTableView(QTableView):
    rows_dropped = Signal(list, int)
    typed = Signal(str)  # a printable key with no modifier: opens the quick search

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.fast_paint = True
        self.painted_frames = 0
        self._texts: dict[str, QStaticText] = {}

    # --- painting --------------------------------------------------------------------
    def _static(self, text: str) -> QStaticText:
        """A laid-out text, cached: most cells show the same strings frame after frame."""
        st = self._texts.get(text)
        if st is None:
            if len(self._texts) > 4_000:  # ~6 screens of cells; bounded, so RSS stays flat
                self._texts.clear()
            st = QStaticText(text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(QTransform(), self.font())
            self._texts[text] = st
        return st

    def _visible_rows(self) -> tuple[int, int]:
        model = self.model()
        n = model.rowCount() if model is not None else 0
        first = self.rowAt(0)
        last = self.rowAt(self.viewport().height() - 1)
        return (max(first, 0), n - 1 if last < 0 else last) if n else (0, -1)

    def paintEvent(self, event: QPaintEvent) -> None:
        model = self.model()
        if not self.fast_paint or not isinstance(model, QuoteTableModel):
            super().paintEvent(event)
            return
        self.painted_frames += 1
        model.visible_rows = self._visible_rows()  # the model signals only what is on screen
        vp = self.viewport()
        painter = QPainter(vp)
        pal = self.palette()
        base, alt = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.AlternateBase)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        text_color = pal.color(QPalette.ColorRole.Text)
        n = model.rowCount()
        rows: set[int] = set()
        for rect in event.region():  # type: ignore[attr-defined]  # only the rows asked for
            painter.fillRect(rect, base)
            first = self.rowAt(rect.top())
            if first < 0:
                continue
            last = self.rowAt(rect.bottom())
            rows.update(range(first, (n - 1 if last < 0 else last) + 1))
        if not rows:
            painter.end()
            return
        header = self.horizontalHeader()
        width = vp.width()
        cols = []  # (logical, x, w) of visible columns in visual order
        for visual in range(header.count()):
            logical = header.logicalIndex(visual)
            if header.isSectionHidden(logical):
                continue
            x = header.sectionViewportPosition(logical)
            w = header.sectionSize(logical)
            if x + w >= 0 and x <= width:
                cols.append((logical, x, w))
        spark_col = next((i for i, c in enumerate(model.columns) if c.kind == "spark"), -1)
        right = [c.numeric for c in model.columns]
        sel = self.selectionModel()
        root = QModelIndex()
        normal_font = painter.font()
        bold_font = QFont(normal_font)
        bold_font.setBold(True)
        book = model.book
        alternating = self.alternatingRowColors()
        for row in sorted(rows):
            y = self.rowViewportPosition(row)
            h = self.rowHeight(row)
            r = model.book_row(row)
            selected = sel is not None and sel.isRowSelected(row, root)
            row_bg = highlight if selected else (alt if row % 2 and alternating else base)
            painter.fillRect(QRect(0, y, width, h), row_bg)
            cells = model.row_cells(r)
            for logical, x, w in cols:
                text, fg, bg, bold = cells[logical]
                if bg is not None and not selected:
                    painter.fillRect(QRect(x, y, w, h), bg)
                if logical == spark_col:
                    paint_sparkline(
                        painter,
                        QRectF(x + 4, y + 3, w - 8, h - 6),
                        book.history(r).prices,
                        book.prev_close[r],
                        model.sparkline_span,
                        model.palette,
                    )
                    continue
                if not text:
                    continue
                painter.setPen(fg if fg is not None else text_color)
                if bold:
                    painter.setFont(bold_font)
                    text = fit_text(text, painter.fontMetrics(), w - 12, right[logical])
                    painter.drawText(
                        QRect(x + 6, y, w - 12, h), _RIGHT if right[logical] else _LEFT, text
                    )
                    painter.setFont(normal_font)
                    continue
                st = self._static(text)
                size = st.size()
                tw = size.width()
                if tw > w - 12:  # too wide: shortened sensibly, never cut
                    painter.drawText(
                        QRect(x + 6, y, w - 12, h),
                        _RIGHT if right[logical] else _LEFT,
                        fit_text(text, painter.fontMetrics(), w - 12, right[logical]),
                    )
                    continue
                tx = x + w - 6 - tw if right[logical] else x + 6
                painter.drawStaticText(QPointF(tx, y + (h - size.height()) / 2), st)
        painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if plain and text and (text.isalnum() or text == "*") and text.isprintable():
            self.typed.emit(text)
            return
        super().keyPressEvent(event)

    # --- drag and drop ---------------------------------------------------------------
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
