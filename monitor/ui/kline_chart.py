"""The K-line tab (日K / 周K / 月K) of the selected symbol: candles, volume, MA5/10/20.

Bars come from the provider's K-line API through the service (fetched once a day per
symbol and period, within the plan's HTTP budget); today's candle is then moved by the
live price from the book. Red candles close at or above their open, green below (the
colour convention of the table; greys in discreet mode). States are said in words:
loading, no K-line from this provider, the request failed (and why).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import math
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPicture
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from monitor.core.kline import Bar, Period, moving_average, with_live
from monitor.core.quotes import SHANGHAI
from monitor.feed.http import HttpError
from monitor.service.monitor import MonitorService, SessionChanged
from monitor.ui.cell_style import Palette, fmt_big
from monitor.ui.chart import LabelAxis, quiet_plot
from monitor.ui.theme import Look

__all__ = ["KLineChart"]

MA = ((5, "#e0a000"), (10, "#2f7fd8"), (20, "#a040c0"))


class _Candles(pg.GraphicsObject):  # type: ignore[misc]
    """Candlesticks at x = 0, 1, 2 …: a body from open to close and a wick high–low."""

    def __init__(self) -> None:
        super().__init__()
        self.picture = QPicture()
        self._bounds = QRectF()

    def set_bars(self, bars: list[Bar], up: QColor, down: QColor) -> None:
        self.picture = QPicture()
        p = QPainter(self.picture)
        w = 0.35
        for i, b in enumerate(bars):
            color = up if b.close >= b.open else down
            pen = pg.mkPen(color, width=1)
            pen.setCosmetic(True)
            p.setPen(pen)
            p.drawLine(QPointF(i, b.low), QPointF(i, b.high))
            p.setBrush(pg.mkBrush(color))
            top, bottom = max(b.open, b.close), min(b.open, b.close)
            p.drawRect(QRectF(i - w, bottom, 2 * w, max(top - bottom, 1e-9)))
        p.end()
        if bars:
            lo = min(b.low for b in bars)
            hi = max(b.high for b in bars)
            self._bounds = QRectF(-1.0, lo, len(bars) + 1.0, hi - lo)
        else:
            self._bounds = QRectF()
        self.prepareGeometryChange()
        self.update()

    def paint(self, painter: QPainter, *_args: object) -> None:
        painter.drawPicture(0, 0, self.picture)

    def boundingRect(self) -> QRectF:
        return self._bounds


class _DateAxis(pg.AxisItem):  # type: ignore[misc]
    def __init__(self, chart: KLineChart) -> None:
        super().__init__("bottom")
        self.chart = chart

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        bars = self.chart.bars
        out = []
        for v in values:
            i = round(v)
            if 0 <= i < len(bars) and abs(v - i) < 1e-6:
                fmt = "%Y-%m" if self.chart.period is Period.MONTH else "%m-%d"
                out.append(bars[i].day.strftime(fmt))
            else:
                out.append("")
        return out


class KLineChart(QWidget):
    COUNT = 120  # bars asked for: half a year of days, two years of weeks, ten of months

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.symbol: str | None = None
        self.period = Period.DAY
        self.colors = Palette()
        self.lots = True
        self.lang = "en"
        self.fetched: list[Bar] = []  # as the provider sent them
        self.bars: list[Bar] = []  # with today's live figures
        self._task: asyncio.Task[None] | None = None
        self._wanted: tuple[str, Period, int] | None = None  # shown or awaited (+ session)
        self.fetched_at = 0.0
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        self.period_buttons: dict[Period, QRadioButton] = {}
        for period in Period:
            b = QRadioButton(self)
            self.buttons.addButton(b)
            b.toggled.connect(partial(self._period_toggled, period))
            self.period_buttons[period] = b
            bar.addWidget(b)
        self.period_buttons[Period.DAY].setChecked(True)
        self.message = QLabel(self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.plots = pg.GraphicsLayoutWidget(self)
        self.price = self.plots.addPlot(row=0, col=0, axisItems={"bottom": _DateAxis(self)})
        self.volume = self.plots.addPlot(
            row=1,
            col=0,
            axisItems={
                "bottom": _DateAxis(self),
                "left": LabelAxis("left", lambda v: fmt_big(v, self.lang)),
            },
        )
        self.plots.ci.layout.setRowStretchFactor(0, 3)
        self.plots.ci.layout.setRowStretchFactor(1, 1)
        self.volume.setXLink(self.price)
        for p in (self.price, self.volume):
            quiet_plot(p, grid_x=False, pan_x=True)
        self.price.getAxis("bottom").setStyle(showValues=False)
        self.candles = _Candles()
        self.price.addItem(self.candles)
        self.ma_curves = [self.price.plot([], [], pen=pg.mkPen(c, width=1.2)) for _, c in MA]
        self.up_volume = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#d33", pen=None)
        self.down_volume = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#393", pen=None)
        self.volume.addItem(self.up_volume)
        self.volume.addItem(self.down_volume)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.plots)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.addLayout(bar)
        lay.addWidget(self.pages, 1)
        self.retranslate()

    # --- from the window -------------------------------------------------------------
    def retranslate(self) -> None:
        names = {
            Period.DAY: self.tr("Daily"),
            Period.WEEK: self.tr("Weekly"),
            Period.MONTH: self.tr("Monthly"),
        }
        for period, b in self.period_buttons.items():
            b.setText(names[period])
            b.setAccessibleName(names[period])
        self.plots.setAccessibleName(self.tr("K-line chart"))
        self.plots.setAccessibleDescription(
            self.tr("Candles with volume and 5, 10 and 20-period moving averages")
        )
        self._draw()

    def apply_look(self, look: Look, palette: Palette) -> None:
        self.colors = palette
        c = look.chart
        self.plots.setBackground(c["background"])
        for p in (self.price, self.volume):
            for name in ("left", "bottom"):
                axis = p.getAxis(name)
                axis.setPen(pg.mkPen(c["foreground"]))
                axis.setTextPen(pg.mkPen(c["foreground"]))
        self.message.setStyleSheet(f"color: {c['guide']}")
        self._draw()

    def set_units(self, *, lots: bool, lang: str) -> None:
        self.lots, self.lang = lots, lang
        self._draw()

    def set_symbol(self, symbol: str | None) -> None:
        if symbol != self.symbol:
            self.symbol = symbol
            self.fetched, self.bars = [], []
            self._wanted = None
        if self.isVisible():
            self.load()

    def set_period(self, period: Period) -> None:
        if period is not self.period:
            self.period = period
            self.fetched, self.bars = [], []
            self._wanted = None
            if self.isVisible():
                self.load()

    def _period_toggled(self, period: Period, on: bool) -> None:
        if on:
            self.set_period(period)

    def session_started(self) -> None:
        """A new provider session: nothing of the old one's bars is kept."""
        self.fetched, self.bars = [], []
        self._wanted = None
        if self.isVisible():
            self.load()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.load()

    # --- loading ---------------------------------------------------------------------
    def load(self) -> None:
        """Fetch the bars of the symbol and period shown, unless already there."""
        sym = self.symbol
        if sym is None:
            self._show(self.tr("Select a row to see its K-lines"))
            return
        want = (sym, self.period, self.service.generation)
        if want == self._wanted:
            return
        self._wanted = want
        if not self.service.klines_supported:
            self._show(self.tr("No K-line from this provider"))
            return
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._show(self.tr("Loading K-lines…"))
        self._task = asyncio.get_event_loop().create_task(self._fetch(want))

    async def _fetch(self, want: tuple[str, Period, int]) -> None:
        sym, period, _session = want
        text = ""
        try:
            got = await self.service.bars(sym, period)
            bars, self.fetched_at = got.bars, got.fetched_at
            if not bars:
                text = self.tr("No K-lines for %1 from this provider").replace("%1", sym)
        except asyncio.CancelledError:
            raise
        except SessionChanged:
            return  # the new session's look asks again
        except LookupError:
            text = self.tr("No K-line from this provider")
        except HttpError as e:
            text = self.tr("K-lines unavailable: %1").replace("%1", str(e))
        if want != self._wanted:
            return  # another symbol or period was chosen meanwhile
        if text:
            self._wanted = None  # a later look asks again
            self.fetched = []
            self._show(text)
            return
        self.fetched = bars
        self._draw()

    def close_tasks(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(Exception):
                self._task = None

    # --- drawing ---------------------------------------------------------------------
    def refresh(self) -> None:
        """The window's slow tick: today's candle follows the live price."""
        if self.fetched and self.isVisible():
            self._draw()

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)
        self.title.setText(self._title())

    def _title(self) -> str:
        sym = self.symbol
        if sym is None:
            return ""
        return f"<b>{sym}</b> {self.service.master.name(sym)}"

    def _draw(self) -> None:
        if not self.fetched or self.symbol is None:
            return
        live = self.service.live_bar(self.symbol)
        if self.service.phase().value != "live":
            live = None  # a price that is not current does not move a candle
        self.bars = with_live(self.fetched, live, self.period)
        bars = self.bars
        up, down = self.colors.up, self.colors.down
        self.candles.set_bars(bars, up, down)
        for axis in (self.price.getAxis("bottom"), self.volume.getAxis("bottom")):
            axis.picture = None  # the dates under x changed: draw the labels again
            axis.update()
        closes = [b.close for b in bars]
        x = np.arange(len(bars), dtype=np.float64)
        for curve, (n, _c) in zip(self.ma_curves, MA, strict=True):
            curve.setData(x, moving_average(closes, n), connect="finite")
        # A volume the provider never sent is NaN: no bar drawn (and never counted as 0).
        vol = np.nan_to_num(np.array([b.volume for b in bars]), nan=0.0) / (
            100.0 if self.lots else 1.0
        )
        rising = np.array([b.close >= b.open for b in bars])
        self.up_volume.setOpts(x=x[rising], height=vol[rising], width=0.7, brush=up)
        self.down_volume.setOpts(x=x[~rising], height=vol[~rising], width=0.7, brush=down)
        shown = min(len(bars), 80)
        self.price.setXRange(len(bars) - shown - 0.5, len(bars) - 0.5, padding=0)
        window = bars[-shown:]
        lo, hi = min(b.low for b in window), max(b.high for b in window)
        pad = (hi - lo) * 0.06 or hi * 0.01
        self.price.setYRange(lo - pad, hi + pad, padding=0)
        self.volume.setYRange(0, max(float(vol[-shown:].max()), 1.0) * 1.1, padding=0)
        last = bars[-1]
        mas = "  ".join(
            f"<span style='color:{c}'>MA{n} {v:.2f}</span>"
            for (n, c), v in zip(MA, (moving_average(closes, n)[-1] for n, _ in MA), strict=True)
            if not math.isnan(v)
        )
        note = ""
        if live is None:  # the last candle is the provider's as of the fetch
            stamp = dt.datetime.fromtimestamp(self.fetched_at, SHANGHAI).strftime("%H:%M")
            words = self.tr("not live: bars as of %1").replace("%1", stamp)
            note = f" &nbsp; <span style='color:#888'>{words}</span>"
        self.title.setText(
            f"{self._title()} &nbsp; {last.day:%Y-%m-%d} {last.close:.2f} &nbsp; {mas}{note}"
        )
        self.pages.setCurrentWidget(self.plots)
