"""The index and breadth bar at the top of the window (指数条 + 涨跌家数).

The main indices the provider serves (name over last and change %, click one to chart it), then
across the subscribed stocks: up / flat / down, limit-up / limit-down, total turnover.
Counts come from :meth:`MonitorService.breadth` over the same book the table shows, so
they agree with it. An index that has not ticked shows "—", never an old number. In
discreet mode the bar is one short grey line.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget

from monitor.core.breadth import MAIN_INDICES
from monitor.core.quotes import Quote
from monitor.service.monitor import MonitorService
from monitor.ui.cell_style import Palette, fmt_big

__all__ = ["BreadthBar"]


class _IndexLabel(QLabel):
    clicked = Signal(str)

    def __init__(self, symbol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.symbol = symbol
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit(self.symbol)
        super().mouseReleaseEvent(event)


class BreadthBar(QFrame):
    index_chosen = Signal(str)  # an index was clicked: chart it

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.colors = Palette()
        self.muted = "#888888"
        self.discreet = False
        self.lang = "en"
        self.setFrameShape(QFrame.Shape.NoFrame)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        lay.setSpacing(14)
        self.indices: dict[str, _IndexLabel] = {}
        for sym in MAIN_INDICES:
            label = _IndexLabel(sym, self)
            # Name over price, as terminals' index bars: two lines, so the holdings line
            # under the counts never makes the bar (and the window under it) jump.
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.clicked.connect(self.index_chosen)
            self.indices[sym] = label
            lay.addWidget(label)
        self.counts = QLabel(self)
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        self.counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # A narrow window cuts the counts short rather than being pushed wider by them.
        self.counts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.counts.setMinimumWidth(120)
        lay.addWidget(self.counts, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Indices and market breadth"))
        self.setAccessibleDescription(
            self.tr(
                "Main indices, up and down counts, limit counts and turnover; click an index to chart it"
            )
        )
        for sym, label in self.indices.items():
            label.setAccessibleName(self._index_names()[sym])
            label.setToolTip(self.tr("Click to chart %1").replace("%1", sym))
        self.refresh()

    def apply_look(self, palette: Palette, muted: str, *, discreet: bool, lang: str) -> None:
        self.colors, self.muted, self.discreet, self.lang = palette, muted, discreet, lang
        self.refresh()

    def _color(self, change: float | None) -> str:
        if change is None or math.isnan(change):
            return self.muted
        c = self.colors.up if change > 0 else self.colors.down if change < 0 else self.colors.flat
        return c.name()

    def _index_names(self) -> dict[str, str]:
        """The main indices' names in the UI's language (the listing has Chinese ones)."""
        return {
            "000001.SH": self.tr("SSE Composite"),
            "399001.SZ": self.tr("SZSE Component"),
            "399006.SZ": self.tr("ChiNext"),
            "000688.SH": self.tr("STAR 50"),
            "899050.BJ": self.tr("BSE 50"),
        }

    def _index_text(self, q: Quote, stale: bool) -> str:
        name = self._index_names().get(q.symbol) or q.name or q.symbol
        if q.last is None:
            return f"{name}<br><span style='color:{self.muted}'>—</span>"
        pct = f"{q.change_pct:+.2f}%" if q.change_pct is not None else ""
        color = self.muted if stale else self._color(q.change_pct)
        return f"{name}<br><span style='color:{color}'><b>{q.last:,.2f}</b> {pct}</span>"

    def _holdings_text(self) -> str:
        """Holdings totals (hidden in discreet mode: they are nobody else's business)."""
        t = self.service.portfolio.totals(self.service.holdings_now())

        live = self.service.phase().value == "live"

        def money(v: float) -> str:  # as the Holdings tab writes it
            return fmt_big(v, self.lang) if v >= 1e4 else f"{v:,.2f}"

        def signed(v: float) -> str:
            sign = "+" if v > 0 else "-" if v < 0 else ""
            color = self._color(v) if live else self.muted
            return f"<span style='color:{color}'><b>{sign}{money(abs(v))}</b></span>"

        words = (self.tr("Holdings"), self.tr("P&L"), self.tr("today"))
        return (
            f"{words[0]}&nbsp;<b>{money(t.market_value)}</b>&nbsp;"
            f"{words[1]}&nbsp;{signed(t.pnl)}&nbsp;{words[2]}&nbsp;{signed(t.today_pnl)}"
        )

    def refresh(self) -> None:
        """Called once a second by the window (and on any change of look)."""
        quotes = {q.symbol: (q, stale) for q, stale in self.service.index_quotes()}
        shown = 0
        for sym, label in self.indices.items():
            got = quotes.get(sym)
            # Discreet: the first index only; one not subscribed (not served, no room): hidden.
            label.setVisible(got is not None and (not self.discreet or shown == 0))
            if got is not None:
                shown += 1
                label.setText(self._index_text(*got))
        b = self.service.breadth()
        live = self.service.phase().value == "live"
        up, down = (self._color(1.0), self._color(-1.0)) if live else (self.muted, self.muted)
        words = (self.tr("Up"), self.tr("Flat"), self.tr("Down"))
        parts = [
            f"{words[0]} <span style='color:{up}'><b>{b.up}</b></span>",
            f"{words[1]} <b>{b.flat}</b>",
            f"{words[2]} <span style='color:{down}'><b>{b.down}</b></span>",
        ]
        if not self.discreet:
            more = (self.tr("Limit-up"), self.tr("Limit-down"), self.tr("Turnover"))
            parts += [
                f"{more[0]} <span style='color:{up}'><b>{b.limit_up}</b></span>",
                f"{more[1]} <span style='color:{down}'><b>{b.limit_down}</b></span>",
                f"{more[2]} <b>{fmt_big(b.turnover, self.lang) or '—'}</b>",  # — unknown
            ]
        holdings = ""
        asked = bool(self.service.settings.ui.get("holdings_in_discreet"))
        if (not self.discreet or asked) and len(self.service.portfolio.holdings):
            holdings = "<br>" + self._holdings_text()  # a line of its own, under the counts
        if not live:
            parts.append(f"<span style='color:{self.muted}'>" + self.tr("not live") + "</span>")
        if b.unknown:
            parts.append(
                f"<span style='color:{self.muted}'>"
                + self.tr("%1 not yet priced").replace("%1", str(b.unknown))
                + "</span>"
            )
        self.counts.setText(" &nbsp; ".join(parts) + holdings)
