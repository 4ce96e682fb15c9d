"""The tabs under the table: the selected symbol's 分时 chart with the order book
beside it and its K-lines, the holdings (持仓), and the alert rules with the log of
fired alerts.

The window hands it the selection, the frame tick, the look and the units; each tab
draws itself (see its module).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget, QWidget

from monitor.service.monitor import MonitorService
from monitor.ui.alerts_panel import AlertsPanel
from monitor.ui.cell_style import Palette
from monitor.ui.chart import DetailChart
from monitor.ui.holdings_panel import HoldingsPanel
from monitor.ui.kline_chart import KLineChart
from monitor.ui.order_book import OrderBookPanel
from monitor.ui.theme import Look

__all__ = ["DetailTabs"]


class DetailTabs(QTabWidget):
    def __init__(self, service: MonitorService, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.chart = DetailChart(service.book, palette, self)
        self.order_book = OrderBookPanel(service, self)
        self.alerts_panel = AlertsPanel(service, self)
        self.holdings = HoldingsPanel(service, self)
        self.kline = KLineChart(service, self)
        self.intraday = QSplitter(Qt.Orientation.Horizontal, self)
        self.intraday.addWidget(self.chart)
        self.intraday.addWidget(self.order_book)
        self.intraday.setStretchFactor(0, 1)
        self.intraday.setSizes([900, 220])
        self.addTab(self.intraday, "")
        self.addTab(self.kline, "")
        self.addTab(self.holdings, "")
        self.addTab(self.alerts_panel, "")

    def retranslate(self) -> None:
        self.setTabText(self.indexOf(self.intraday), self.tr("Chart"))
        self.setTabText(self.indexOf(self.alerts_panel), self.tr("Alerts"))
        self.setTabText(self.indexOf(self.holdings), self.tr("Holdings"))
        self.setTabText(self.indexOf(self.kline), self.tr("K-line"))
        for widget in (self, self.tabBar()):
            widget.setAccessibleName(self.tr("Chart and alerts"))
        self.chart.retranslate()
        self.order_book.retranslate()
        self.alerts_panel.retranslate()
        self.holdings.retranslate()
        self.kline.retranslate()

    def apply_look(self, look: Look, palette: Palette) -> None:
        self.chart.apply_look(look, palette)
        self.order_book.apply_look(palette, look.muted_text)
        self.holdings.apply_look(palette, look.muted_text, self.holdings.lang)
        self.kline.apply_look(look, palette)

    def set_units(self, *, lots: bool, lang: str) -> None:
        self.chart.set_units(lots=lots, lang=lang)
        self.order_book.set_units(lots=lots, lang=lang)
        self.holdings.apply_look(self.holdings.colors, self.holdings.muted, lang)
        self.kline.set_units(lots=lots, lang=lang)

    def set_symbol(self, symbol: str | None) -> None:
        self.chart.set_row(self.service.book.row_of(symbol) if symbol else None)
        self.order_book.set_symbol(symbol)
        self.alerts_panel.set_symbol(symbol)
        self.kline.set_symbol(symbol)

    def session_started(self) -> None:
        """A new provider session: every tab forgets what the old one said."""
        self.kline.session_started()
        self.chart.invalidate()
        self.order_book.invalidate()

    def close_tasks(self) -> None:
        self.kline.close_tasks()

    def frame(self) -> None:
        """The window's frame tick: redraw what is visible and changed."""
        if self.chart.isVisible():
            self.chart.refresh()
        if self.order_book.isVisible():
            self.order_book.refresh()

    def slow_tick(self) -> None:
        """The window's status tick (twice a second): values that need no frame rate."""
        if self.holdings.isVisible():
            self.holdings.refresh()
        self.kline.refresh()
