"""The snapshot table model: one QAbstractTableModel keyed by symbol over the QuoteBook.

Data flow: feed messages only touch the QuoteBook; :meth:`QuoteTableModel.flush`, run
by one UI timer (10-30 Hz), turns the book's dirty set into one ``dataChanged`` per
contiguous span of changed rows in this view. Sorting is done here, with a numpy
``argsort`` over the book's column, at most a few times a second while quotes stream
(no dynamically re-sorting proxy, which collapses at these rates); persistent indexes
are moved so selection and scroll position survive. Filtering narrows by code or name,
or by a set of symbols the window found for the text (pinyin initials). A first click on
a numeric header sorts descending (gainers first, as terminals do), on a text one
ascending. Volume is shown in lots of 100 shares (手) or in shares.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Collection, Container, Mapping, Sequence

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from monitor.core.book import QuoteBook
from monitor.core.quotes import SHANGHAI
from monitor.ui.cell_style import LIMIT_TINTED, Cell, Palette, RowFacts, fmt_big
from monitor.ui.columns import COLUMNS, Column

__all__ = ["Palette", "QuoteTableModel", "fmt_big"]

ModelIndex = QModelIndex | QPersistentModelIndex

HISTORY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
SYMBOL_ROLE = Qt.ItemDataRole.UserRole + 3

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_STYLE_ROLES = (
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.FontRole,
)
_FLASH_S = 0.45
_RESORT_S = 1.0  # live re-sorts: once a second (each one repaints the whole view)


class QuoteTableModel(QAbstractTableModel):
    """Rows are the symbols of one view (a watchlist or the whole market)."""

    HistoryRole = HISTORY_ROLE
    SortRole = SORT_ROLE
    SymbolRole = SYMBOL_ROLE

    def __init__(self, book: QuoteBook, *, lang: str = "zh", red_up: bool = True) -> None:
        super().__init__()
        self.book = book
        self.lang = lang
        self.palette = Palette(red_up)
        self.columns: Sequence[Column] = COLUMNS
        self._symbols: list[str] = []  # the view in list order
        self._rows: npt.NDArray[np.int64] = np.empty(0, np.int64)  # book rows, display order
        self._pos: npt.NDArray[np.int64] = np.full(0, -1, np.int64)  # book row -> display row
        self._filter = ""
        self._filter_also: frozenset[str] = frozenset()
        self.volume_lots = lang == "zh"  # 手 (100 shares), as Chinese terminals show volume
        self._sort_col = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._last_sort = 0.0
        self._sort_dirty = False
        self._flash: dict[int, tuple[float, bool]] = {}  # book row -> (until, up)
        self._shown_last: dict[int, float] = {}
        self.stale_after_ms: float = 30_000.0
        # x span of a sparkline in history points: the whole day for real feeds (the line
        # grows through the session); 0 fits the points to the cell (the demo simulator).
        self.sparkline_span = book.history_points
        self.staleness_applies: Callable[[], bool] = lambda: False
        self.delisted: Mapping[str, str] = {}  # symbol -> since when its exchange dropped it
        self.not_served: Container[str] = frozenset()  # codes the provider refused
        self._bold = QFont()
        self._bold.setBold(True)
        self.flushes = 0
        self.allow_reorder = False
        self.visible_rows: tuple[int, int] | None = None  # set by a view that paints rows
        self._view_rows: npt.NDArray[np.int64] = np.empty(0, np.int64)

    # --- view contents ---------------------------------------------------------------
    def set_symbols(self, symbols: Sequence[str]) -> None:
        """Show these symbols (in list order, then sorted/filtered as set)."""
        self.beginResetModel()
        self._symbols = list(symbols)
        b = self.book
        self._view_rows = np.fromiter(
            (b.ensure(s) for s in self._symbols), np.int64, len(self._symbols)
        )
        self._rows = self._ordered_rows()
        self._rebuild_pos()
        last = self.book.last
        self._shown_last = {r: float(last[r]) for r in self._rows.tolist()}
        self._flash.clear()
        self.endResetModel()

    def symbols(self) -> list[str]:
        return list(self._symbols)

    def set_filter(self, text: str, also: Collection[str] | None = None) -> None:
        """Keep rows whose code or name contains ``text``, or whose symbol is in ``also``
        (what the quick-search index found for it: pinyin initials)."""
        self._filter = text.strip().upper()
        self._filter_also = frozenset(also or ()) if self._filter else frozenset()
        self._relayout(force=True)

    @property
    def filter_text(self) -> str:
        return self._filter

    def set_volume_lots(self, lots: bool) -> None:
        """Volume in lots of 100 shares (手) or in shares; the header says which."""
        if lots != self.volume_lots:
            self.volume_lots = lots
            self._all_changed()
            i = next((i for i, c in enumerate(self.columns) if c.kind == "volume"), -1)
            if i >= 0:
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, i, i)

    def set_lang(self, lang: str) -> None:
        """Number style (万/亿 or K/M/B); headers follow the installed translator."""
        self.lang = lang
        self._all_changed()

    def set_red_up(self, red_up: bool) -> None:
        self.set_palette(Palette(red_up))

    def set_palette(self, palette: Palette) -> None:
        self.palette = palette
        self._all_changed()

    def symbol_at(self, row: int) -> str | None:
        if 0 <= row < len(self._rows):
            return self.book.symbols[int(self._rows[row])]
        return None

    def book_row(self, row: int) -> int:
        """The quote-book row shown at display row ``row``."""
        return int(self._rows[row])

    def row_of(self, symbol: str) -> int | None:
        r = self.book.row_of(symbol)
        if r is None or r >= len(self._pos) or self._pos[r] < 0:
            return None
        return int(self._pos[r])

    # --- Qt model API ------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            col = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return self.title(col)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _RIGHT if col.numeric else _LEFT
            if role == Qt.ItemDataRole.InitialSortOrderRole:  # the header's first click
                return Qt.SortOrder.DescendingOrder if col.numeric else Qt.SortOrder.AscendingOrder
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def title(self, col: Column) -> str:
        """A column's header; the volume's names its unit."""
        if col.kind == "volume":
            return self.tr("Volume (lots)") if self.volume_lots else self.tr("Volume (shares)")
        return col.title()

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self.reorderable else Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.reorderable:
            f |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return f

    @property
    def reorderable(self) -> bool:
        """Rows can be dragged into a new order: a watchlist shown in its own order."""
        return self.allow_reorder and self._sort_col < 0 and not self._filter

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_col = column
        self._sort_order = order
        self._relayout(force=True)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, c = index.row(), index.column()
        if row >= len(self._rows) or c >= len(self.columns):
            return None
        r = int(self._rows[row])
        col = self.columns[c]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col.numeric else _LEFT
        if role in _STYLE_ROLES:
            _text, fg, bg, bold = self._cell(r, col, self._row_facts(r, self.staleness_applies()))
            if role == Qt.ItemDataRole.ForegroundRole:
                return fg
            if role == Qt.ItemDataRole.BackgroundRole:
                return bg
            return self._bold if bold else None
        if role == SORT_ROLE:
            return self._sort_value(r, col)
        if role == HISTORY_ROLE:
            h = self.book.history(r)
            return h.prices, float(self.book.prev_close[r]), self.sparkline_span
        if role == SYMBOL_ROLE:
            return self.book.symbols[r]
        if role == Qt.ItemDataRole.ToolTipRole and col.key in ("code", "name"):
            return self._tooltip(r)
        return None

    # --- cell rendering ----------------------------------------------------------------
    def _display(self, r: int, col: Column) -> str:
        b = self.book
        k = col.key
        if k == "code":
            return b.symbols[r]
        if k == "name":
            name = b.names[r] or b.master.name(b.symbols[r])
            if self.delisted and b.symbols[r] in self.delisted:
                return self.tr("[delisted] %1").replace("%1", name)  # seen in a narrow column
            if self.not_served and b.symbols[r] in self.not_served:
                return self.tr("[not served] %1").replace("%1", name)
            return name
        if col.kind == "spark":
            return ""
        if k == "time":
            t = int(b.time_ms[r])
            return time.strftime("%H:%M:%S", time.gmtime(t / 1000 + 8 * 3600)) if t else ""
        v = b.value(col.book_field or k, r)
        if math.isnan(v):
            return "—" if col.kind in ("change", "pct") and b.ticks[r] else ""
        if col.kind == "price":
            return f"{v:.2f}"
        if col.kind == "change":
            return f"{v:+.2f}"
        if col.kind == "pct":
            return f"{v:+.2f}%"
        if col.kind in ("volume", "amount"):
            if not (b.ticks[r] or v):
                return ""
            if col.kind == "volume" and self.volume_lots:
                v /= 100.0
            return fmt_big(v, self.lang)
        return str(v)

    def row_cells(self, r: int) -> list[Cell]:
        """Every column of book row ``r`` as ``(text, foreground, background, bold)``.

        The fast table view paints from this; :meth:`data` answers each role from the
        same :meth:`_cell` — one style decision for what is painted and what is asked.
        Row-level facts (reference price, limit, flash, staleness) are worked out once
        per row, not once per cell and role.
        """
        row = self._row_facts(r, self._stale_now)
        return [self._cell(r, col, row) for col in self.columns]

    def _row_facts(self, r: int, staleness_applies: bool) -> RowFacts:
        b, p = self.book, self.palette
        prev = float(b.prev_close[r])
        lim = self._at_limit(r)
        f = self._flash.get(r)
        flash = (p.flash_up if f[1] else p.flash_down) if f and f[0] > time.monotonic() else None
        ch = float(b.last[r]) - prev
        return RowFacts(
            prev=prev,
            stale=(staleness_applies and self._received_long_ago(r))
            or bool(self.delisted and b.symbols[r] in self.delisted)  # greyed: not traded
            or bool(self.not_served and b.symbols[r] in self.not_served),  # nor subscribed
            limit=lim,
            limit_bg=(p.up_bg if lim > 0 else p.down_bg) if lim else None,
            flash=flash,
            sign=None if ch != ch else p.up if ch > 0 else p.down if ch < 0 else p.flat,
        )

    def _cell(self, r: int, col: Column, row: RowFacts) -> Cell:
        """One cell's text, colours and weight: red/green against the previous close
        (or the discreet greys), grey when stale, a tint at a limit, a flash on a trade."""
        p = self.palette
        k = col.key
        fg: QColor | None = None
        if row.stale:
            fg = p.stale
        elif col.kind in ("change", "pct"):
            fg = row.sign
        elif k == "limit_up":
            fg = p.up
        elif k == "limit_down":
            fg = p.down
        elif col.kind == "price" and k != "prev_close" and row.prev == row.prev:
            v = getattr(self.book, k)[r]
            if v == v:
                fg = p.up if v > row.prev else p.down if v < row.prev else p.flat
        bg = row.flash if k == "last" else None
        if bg is None and row.limit_bg is not None and k in LIMIT_TINTED:
            bg = row.limit_bg
        return (self._display(r, col), fg, bg, k == "last" and row.limit != 0)

    _stale_now = False

    def _received_long_ago(self, r: int) -> bool:
        received = float(self.book.received_ms[r])
        return received > 0 and time.time() * 1000 - received > self.stale_after_ms

    def _at_limit(self, r: int) -> int:
        b = self.book
        last = float(b.last[r])
        if math.isnan(last):
            return 0
        if last >= float(b.limit_up[r]) - 1e-9:
            return 1
        if last <= float(b.limit_down[r]) + 1e-9:
            return -1
        return 0

    def _sort_value(self, r: int, col: Column) -> object:
        if col.book_field is None:
            return self._display(r, col)
        return self.book.value(col.book_field, r)

    def _tooltip(self, r: int) -> str:
        b = self.book
        sym = b.symbols[r]
        info = b.master.get(sym)
        lim = self._at_limit(r)
        parts = [f"{sym} {b.names[r] or (info.name if info else '')}"]
        if info is not None:
            board = {
                "main": self.tr("Main board"),
                "chinext": self.tr("ChiNext"),
                "star": self.tr("STAR Market"),
                "bse": self.tr("Beijing Stock Exchange"),
                "fund": self.tr("Fund"),
                "index": self.tr("Index"),
            }.get(info.board.value, info.board.value)
            parts.append(board + (" (ST)" if info.st else ""))
        if sym in self.delisted:
            parts.append(
                self.tr(
                    "Delisted: its exchange no longer lists it (since %1); not subscribed"
                ).replace("%1", self.delisted[sym])
            )
        if sym in self.not_served:
            parts.append(
                self.tr("Not served by this provider: it refused the code, so it is not subscribed")
            )
        if lim:
            parts.append(self.tr("At limit-up") if lim > 0 else self.tr("At limit-down"))
        t = int(b.time_ms[r])
        if t:
            import datetime as dt

            parts.append(
                dt.datetime.fromtimestamp(t / 1000, SHANGHAI).isoformat(timespec="seconds")
            )
        return "\n".join(parts)

    # --- the UI timer's work ---------------------------------------------------------
    def flush(self) -> int:
        """Turn the book's dirty set into ``dataChanged`` spans; re-sort if due.

        Returns the number of rows signalled. Call from one timer at the refresh rate.
        """
        self.flushes += 1
        now = time.monotonic()
        self._stale_now = self.staleness_applies()  # once per frame, not once per cell
        dirty = self.book.take_dirty()
        n_book = len(self.book)
        if len(self._pos) < n_book:
            self._rebuild_pos()
        changed: list[int] = []
        last = self.book.last
        for r in dirty:
            if r < len(self._pos) and self._pos[r] >= 0:
                price = float(last[r])
                before = self._shown_last.get(r)
                if before is not None and price != before and before == before:
                    self._flash[r] = (now + _FLASH_S, price > before)
                self._shown_last[r] = price
                changed.append(int(self._pos[r]))
        if self._flash:
            for r, (until, _) in list(self._flash.items()):
                if until <= now:
                    del self._flash[r]
                    if r < len(self._pos) and self._pos[r] >= 0:
                        changed.append(int(self._pos[r]))
        if changed and self._sort_col >= 0 and self.columns[self._sort_col].book_field:
            self._sort_dirty = True
        if self._sort_dirty and now - self._last_sort >= _RESORT_S and self._relayout():
            return len(changed)  # the order changed: the layout change repaints everything
        self._emit_spans(changed)
        return len(changed)

    def _emit_spans(self, rows: list[int]) -> None:
        if self.visible_rows is not None:
            # A view told us what it shows: rows off screen are painted fresh when they
            # scroll in, so signalling them is wasted work at market rates.
            lo, hi = self.visible_rows
            rows = [r for r in rows if lo <= r <= hi]
        if not rows:
            return
        rows.sort()
        last_col = len(self.columns) - 1
        start = prev = rows[0]
        for r in rows[1:]:
            if r == prev or r == prev + 1:
                prev = r
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, last_col))
            start = prev = r
        self.dataChanged.emit(self.index(start, 0), self.index(prev, last_col))

    def _all_changed(self) -> None:
        if len(self._rows):
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    # --- ordering ----------------------------------------------------------------------
    def _ordered_rows(self) -> npt.NDArray[np.int64]:
        b = self.book
        rows = self._view_rows
        if self._filter:
            f = self._filter
            also = self._filter_also
            keep = [
                i
                for i, r in enumerate(rows.tolist())
                if f in b.symbols[r]
                or b.symbols[r] in also
                or f in (b.names[r] or b.master.name(b.symbols[r])).upper()
            ]
            rows = rows[keep]
        if self._sort_col >= 0 and len(rows):
            col = self.columns[self._sort_col]
            desc = self._sort_order == Qt.SortOrder.DescendingOrder
            if col.book_field is not None:
                keys = b.array(col.book_field)[rows]
                keys = -keys if desc else keys
                keys = np.where(np.isnan(keys), np.inf, keys)  # unknown always last
                rows = rows[np.argsort(keys, kind="stable")]
            else:
                texts = [self._display(int(r), col) for r in rows]
                order = sorted(range(len(rows)), key=texts.__getitem__, reverse=desc)
                rows = rows[order]
        return rows

    def _rebuild_pos(self) -> None:
        pos = np.full(max(len(self.book), 1), -1, np.int64)
        pos[self._rows] = np.arange(len(self._rows))
        self._pos = pos

    def _relayout(self, force: bool = False) -> bool:
        """Recompute order/filter; a layout change that keeps selection and scroll.

        Returns whether the order changed (and a layout change was signalled).
        """
        new_rows = self._ordered_rows()
        self._last_sort = time.monotonic()
        self._sort_dirty = False
        if not force and np.array_equal(new_rows, self._rows):
            return False
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        persistent = self.persistentIndexList()
        self._rows = new_rows
        self._rebuild_pos()
        new_from = []
        for idx in persistent:
            r = idx.row()
            if 0 <= r < len(old_rows):
                p = int(self._pos[old_rows[r]])
                new_from.append(self.index(p, idx.column()) if p >= 0 else QModelIndex())
            else:
                new_from.append(QModelIndex())
        self.changePersistentIndexList(persistent, new_from)
        self.layoutChanged.emit()
        return True
