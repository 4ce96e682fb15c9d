"""The five-level order book (五档盘口) of the selected symbol, beside the chart.

Asks 5 → 1 above, bids 1 → 5 below, price coloured against the previous close and
size in 手 (or shares), the spread on top. The service asks the provider for this one
symbol's book only. Where the provider has no order book the panel says so; a book
older than the stale limit, or from a feed that is not live, is greyed with its age —
never shown as current.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from monitor.core.quotes import Depth
from monitor.core.symbols import Board, board_of
from monitor.service.monitor import MonitorService
from monitor.ui.cell_style import Palette, fmt_big

__all__ = ["OrderBookPanel"]

LEVELS = 5


class OrderBookPanel(QFrame):
    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.symbol: str | None = None
        self.colors = Palette()
        self.lots = True
        self.lang = "en"
        self.muted = "#888888"
        self._shown: tuple[object, ...] | None = None
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(190)
        self.title = QLabel(self)
        self.spread = QLabel(self)
        self.spread.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(1)
        self.names: list[QLabel] = []
        self.prices: list[QLabel] = []
        self.sizes: list[QLabel] = []
        # Rows 0-4: ask 5..1; a rule; rows 6-10: bid 1..5.
        for i in range(2 * LEVELS):
            row = i if i < LEVELS else i + 1
            name, price, size = QLabel(self), QLabel(self), QLabel(self)
            price.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            size.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(name, row, 0)
            grid.addWidget(price, row, 1)
            grid.addWidget(size, row, 2)
            self.names.append(name)
            self.prices.append(price)
            self.sizes.append(size)
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        grid.addWidget(rule, LEVELS, 0, 1, 3)
        self.grid = QWidget(self)
        self.grid.setLayout(grid)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.spread)
        lay.addWidget(self.grid)
        lay.addWidget(self.message, 1)
        lay.addStretch(0)
        self.retranslate()

    # --- from the window -------------------------------------------------------------
    def retranslate(self) -> None:
        numbers = self.tr("1 2 3 4 5", "order book levels").split()  # 一 二 三 四 五
        if len(numbers) != LEVELS:
            numbers = [str(i + 1) for i in range(LEVELS)]
        for i in range(LEVELS):
            self.names[LEVELS - 1 - i].setText(self.tr("Ask %1").replace("%1", numbers[i]))
            self.names[LEVELS + i].setText(self.tr("Bid %1").replace("%1", numbers[i]))
        self.setAccessibleName(self.tr("Order book"))
        self.setAccessibleDescription(self.tr("Five bid and ask levels of the selected symbol"))
        self.invalidate()

    def apply_look(self, palette: Palette, muted: str) -> None:
        self.colors, self.muted = palette, muted
        self.invalidate()

    def set_units(self, *, lots: bool, lang: str) -> None:
        self.lots, self.lang = lots, lang
        self.invalidate()

    def set_symbol(self, symbol: str | None) -> None:
        """Show ``symbol``'s book: the service subscribes it (and drops the last one)."""
        self.symbol = symbol
        self.service.watch_depth(symbol)
        self.invalidate()

    def invalidate(self) -> None:
        self._shown = None
        self.refresh()

    # --- drawing ---------------------------------------------------------------------
    def stale(self, age: float) -> bool:
        """Too old to be shown as current: past the stale limit, or the feed is not live."""
        return age > self.service.settings.stale_seconds or self.service.phase().value != "live"

    def refresh(self) -> None:
        """Redraw when the book or its freshness changed (the frame timer calls this)."""
        sym = self.symbol
        index = sym is not None and board_of(sym) is Board.INDEX
        got = self.service.order_book(sym) if sym and not index else None
        stale = got is not None and self.stale(got[1])
        shown_age = int(got[1]) if got is not None and stale else 0  # "N s ago" keeps counting
        key = (sym, got[0] if got else None, stale, shown_age, self.service.depth_supported)
        if key == self._shown:
            return
        self._shown = key
        name = self.service.master.name(sym) if sym else ""
        heading = self.tr("Order book")
        self.title.setText(f"<b>{heading}</b>  {sym or ''} {name}")
        if sym is None or got is None:
            self.grid.setVisible(False)
            self.spread.setText("")
            if sym is None:
                text = self.tr("Select a row to see its order book")
            elif board_of(sym) is Board.INDEX:
                text = self.tr("An index has no order book")
            elif self.service.depth_supported:
                text = self.tr("Waiting for the order book…")
            else:
                text = self.tr("No order book from this provider")
            self.message.setText(text)
            self.message.setVisible(True)
            return
        depth, age = got
        self.grid.setVisible(True)
        self.message.setVisible(stale)
        if stale:
            self.message.setText(
                self.tr("Not current: last order book %1 s ago").replace("%1", f"{age:.0f}")
            )
        self._draw_levels(depth, stale)

    def _draw_levels(self, depth: Depth, stale: bool) -> None:
        row = self.service.book.row_of(depth.symbol)
        prev = float(self.service.book.prev_close[row]) if row is not None else math.nan
        asks = list(depth.asks[:LEVELS]) + [None] * (LEVELS - len(depth.asks[:LEVELS]))
        bids = list(depth.bids[:LEVELS]) + [None] * (LEVELS - len(depth.bids[:LEVELS]))
        cells = list(reversed(asks)) + bids
        for i, level in enumerate(cells):
            price_label, size_label = self.prices[i], self.sizes[i]
            if level is None:
                price_label.setText("—")
                size_label.setText("")
                price_label.setStyleSheet(f"color:{self.muted}")
                continue
            price, volume = level
            price_label.setText(f"{price:.2f}")
            size = volume / 100.0 if self.lots else volume
            size_label.setText(fmt_big(size, self.lang))
            color = self._price_color(price, prev, stale)
            price_label.setStyleSheet(f"color:{color}")
            size_label.setStyleSheet(f"color:{self.muted}" if stale else "")
        if depth.asks and depth.bids:
            spread = depth.asks[0][0] - depth.bids[0][0]
            self.spread.setText(self.tr("Spread %1").replace("%1", f"{spread:.2f}"))
        elif depth.bids:
            self.spread.setText(self.tr("No sellers (limit-up)"))
        elif depth.asks:
            self.spread.setText(self.tr("No buyers (limit-down)"))
        else:
            self.spread.setText("")

    def _price_color(self, price: float, prev: float, stale: bool) -> str:
        if stale or math.isnan(prev):
            return self.muted
        c: QColor = (
            self.colors.up
            if price > prev
            else self.colors.down
            if price < prev
            else self.colors.flat
        )
        return c.name()
