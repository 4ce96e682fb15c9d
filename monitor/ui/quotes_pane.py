"""The quotes pane: the live table, the paste report above it, "no match" over it and
the empty-list hint in its place; selection by symbol, and the header's column menu.

The table shows a :class:`QuoteTableModel` over the service's book. Rows are chosen
by symbol (the model re-sorts while quotes stream); a watchlist being shown in its
own order can be reordered by dragging (``rows_dropped``).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QPoint, Qt, Signal
from PySide6.QtGui import QActionGroup, QFontMetrics
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QMenu, QVBoxLayout, QWidget

from monitor.ui.banner import ReportBanner
from monitor.ui.columns import COLUMNS, column_index
from monitor.ui.delegates import CellDelegate, SparklineDelegate
from monitor.ui.quote_model import QuoteTableModel
from monitor.ui.table_view import QuoteTableView
from monitor.ui.theme import Look

__all__ = ["QuotesPane"]

# The widest text each kind of column must show whole at its default width.
_WIDEST = {
    "price": "8888.88",
    "change": "+888.88",
    "pct": "+888.88%",
    "volume": "8888.88万",
    "amount": "8888.88亿",
    "time": "00:00:00",
}


class QuotesPane(QWidget):
    volume_unit_chosen = Signal(str)  # "lots" or "shares", from the header menu

    def __init__(self, model: QuoteTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.paste_report = ReportBanner(self)
        # Fired alerts, in the window itself: the only notice where there is no tray.
        self.alert_banner = ReportBanner(self)
        self.alert_banner.seconds_warning = 60.0
        self.table = QuoteTableView(self)
        t = self.table
        t.setModel(model)
        t.setItemDelegate(CellDelegate(t))
        self.spark = SparklineDelegate(model.palette, t)
        t.setItemDelegateForColumn(column_index("spark"), self.spark)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        t.setSortingEnabled(True)
        t.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        t.setAlternatingRowColors(True)
        t.setShowGrid(False)
        t.setWordWrap(False)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        vh = t.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        vh.setVisible(False)
        hh = t.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setHighlightSections(False)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        for i, c in enumerate(COLUMNS):
            t.setColumnWidth(i, c.width)
        self.fit_column_widths()
        # A filter that matches nothing says so over the empty table.
        self.no_match = QLabel(t.viewport())
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setWordWrap(True)
        self.no_match.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        overlay = QVBoxLayout(t.viewport())
        overlay.addWidget(self.no_match, 0, Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()
        self.empty_hint = QLabel(self)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.alert_banner)
        lay.addWidget(self.paste_report)
        lay.addWidget(t, 1)
        lay.addWidget(self.empty_hint, 1)
        self.header_menu: QMenu | None = None

    def retranslate(self) -> None:
        self.empty_hint.setText(
            self.tr("This list is empty.\nType a code or name above, or paste a block of codes.")
        )
        self.table.setAccessibleName(self.tr("Quotes"))
        self.table.setAccessibleDescription(
            self.tr("Live quotes; type to search, Delete removes, Ctrl+Up/Down reorders")
        )
        self.paste_report.retranslate()
        self.alert_banner.retranslate()
        self.alert_banner.setAccessibleName(self.tr("Alert"))
        self.alert_banner.label.setAccessibleName(self.tr("Alert"))
        self.alert_banner.close_button.setAccessibleName(self.tr("Close the alert notice"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.fit_column_widths()
        self.update_no_match("")

    def apply_look(self, look: Look) -> None:
        from PySide6.QtGui import QPalette

        pal = self.table.palette()
        hl, hl_text = look.selection  # light enough to keep the row's colours readable
        pal.setColor(QPalette.ColorRole.Highlight, hl)
        pal.setColor(QPalette.ColorRole.HighlightedText, hl_text)
        self.table.setPalette(pal)
        self.spark.colors = self.model.palette
        self.empty_hint.setStyleSheet(f"color:{look.muted_text}; font-size:13pt")
        self.no_match.setStyleSheet(f"color:{look.muted_text}; font-size:13pt")
        if look.dark:
            self.paste_report.set_colors("#263241", "#4a3420", "#e6e6e6")
            self.alert_banner.set_colors("#263241", "#5a2a2a", "#f0f0f0")
        else:
            self.paste_report.set_colors("#eef5ff", "#fff3dc", "#333333")
            self.alert_banner.set_colors("#eef5ff", "#ffe4e4", "#222222")
        self.table.viewport().update()

    def fit_column_widths(self) -> None:
        """Each column at least as wide as its widest usual value (bold, as at a limit) and
        its header with the sort arrow; a layout saved by an older version may be narrower.
        Narrower still by hand, numbers lose decimals rather than digits (see fit_text)."""
        font = self.table.font()
        font.setBold(True)
        fm = QFontMetrics(font)
        header = self.table.horizontalHeader().fontMetrics()
        for i, c in enumerate(COLUMNS):
            sample = _WIDEST.get(c.kind)
            need = max(
                fm.horizontalAdvance(sample) + 16 if sample else 0,
                header.horizontalAdvance(self.model.title(c)) + 28,
            )
            if self.table.columnWidth(i) < need:
                self.table.setColumnWidth(i, need)

    # --- what is shown -----------------------------------------------------------------
    def show_symbols(
        self,
        syms: list[str],
        *,
        empty: bool,
        select: list[str] | None = None,
        row: int | None = None,
    ) -> None:
        """Show ``syms``; selected afterwards: ``select`` (symbols), else display ``row``,
        else what was selected before, else the first row (the chart always shows
        something). ``empty``: show the empty-list hint instead of the table."""
        keep = self.selected_symbols() if select is None else select
        self.model.set_symbols(syms)
        n = self.model.rowCount()
        if n and (row is not None or not self.select_symbols(keep)):
            self.select_rows([min(max(row or 0, 0), n - 1)])
        self.table.setVisible(not empty)
        self.empty_hint.setVisible(empty)

    def update_no_match(self, query: str) -> None:
        query = query.strip()
        show = bool(query) and self.model.rowCount() == 0 and bool(self.model.symbols())
        if show:
            self.no_match.setText(self.tr("No symbol matches “%1”").replace("%1", query))
            self.no_match.setAccessibleName(self.no_match.text())
        self.no_match.setVisible(show)

    # --- selection -----------------------------------------------------------------------
    def selected_symbols(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [s for r in rows if (s := self.model.symbol_at(r))]

    def select_symbols(self, symbols: list[str]) -> bool:
        """Select exactly the rows of ``symbols`` shown (the first becomes current)."""
        rows = sorted({r for s in symbols if (r := self.model.row_of(s)) is not None})
        if rows:
            self.select_rows(rows)
        return bool(rows)

    def select_rows(self, rows: list[int]) -> None:
        # Explicit flags: selectRow() would add to the selection while Ctrl is held.
        m = self.model
        last = m.columnCount() - 1
        selection = QItemSelection()
        for r in rows:
            selection.select(m.index(r, 0), m.index(r, last))
        sm = self.table.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        column = max(self.table.currentIndex().column(), 0)
        sm.setCurrentIndex(m.index(rows[0], column), flag.NoUpdate)
        sm.select(selection, flag.ClearAndSelect | flag.Rows)
        self.table.scrollTo(m.index(rows[0], column))

    def clear_sort(self) -> None:
        if self.table.horizontalHeader().sortIndicatorSection() >= 0:
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
            self.model.sort(-1)

    # --- columns -------------------------------------------------------------------------
    def set_compact(self, compact: bool) -> None:
        """The compact window shows code, name, last and change % only."""
        if compact:
            keep = {"code", "name", "last", "change_pct"}
            hh = self.table.horizontalHeader()
            for i, c in enumerate(COLUMNS):
                hh.setSectionHidden(i, c.key not in keep)

    def _header_menu(self, pos: QPoint) -> None:
        hh = self.table.horizontalHeader()
        menu = QMenu(self)
        for i, col in enumerate(COLUMNS):
            a = menu.addAction(col.title())
            a.setCheckable(True)
            a.setChecked(not hh.isSectionHidden(i))
            a.setEnabled(col.key != "code")
            a.toggled.connect(partial(self._show_column, i))
        menu.addSeparator()
        group = QActionGroup(menu)
        for unit, text in (
            ("lots", self.tr("Volume in lots (手, 100 shares)")),
            ("shares", self.tr("Volume in shares")),
        ):
            a = menu.addAction(text)
            a.setCheckable(True)
            a.setChecked(self.model.volume_lots == (unit == "lots"))
            a.triggered.connect(partial(self.volume_unit_chosen.emit, unit))
            group.addAction(a)
        self.header_menu = menu  # for tests and screen readers: the menu being shown
        menu.exec(hh.mapToGlobal(pos))

    def _show_column(self, i: int, on: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(i, not on)
