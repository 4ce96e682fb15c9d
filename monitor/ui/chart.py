"""The 分时 chart of the selected symbol (pyqtgraph), drawn the way A-share terminals do.

The trading day's axis (09:30–11:30, 13:00–15:00, lunch closed: ``core/intraday``),
the price line and the average-price line (均价), the previous close as reference with
change % on the right axis, per-minute volume bars red when the minute closed at or
above the one before and green below. The current minute is the book's open history
bucket, so its point moves with every tick. Points outside trading hours (the
simulator in the evening) are drawn on a clock axis instead, and said so.

Data flow: the window calls :meth:`DetailChart.refresh` from its frame timer; the chart
redraws only when the symbol's tick count moved, so a quiet symbol costs nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from monitor.core import intraday
from monitor.core.book import QuoteBook
from monitor.core.quotes import SHANGHAI
from monitor.ui.cell_style import Palette, fmt_big
from monitor.ui.theme import Look

__all__ = ["DetailChart", "LabelAxis", "quiet_plot"]


def _clock_label(x: float) -> str:
    """Clock axis positions are minutes since the epoch; shown as China time."""
    try:
        return dt.datetime.fromtimestamp(x * 60.0, SHANGHAI).strftime("%H:%M")
    except (OverflowError, OSError, ValueError):
        return ""


class LabelAxis(pg.AxisItem):  # type: ignore[misc]
    """An axis whose labels come from a function (session time, clock time, volume)."""

    def __init__(self, orientation: str, label: Callable[[float], str]) -> None:
        super().__init__(orientation)
        self.labeler = label

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [self.labeler(v) for v in values]


def quiet_plot(p: pg.PlotItem, *, grid_x: bool, pan_x: bool) -> None:
    """A plot as a terminal draws it: faint grid, no pyqtgraph buttons or menu, a left
    axis wide enough for prices and volumes so stacked plots line up."""
    p.showGrid(x=grid_x, y=True, alpha=0.15)
    p.setMouseEnabled(x=pan_x, y=False)
    p.hideButtons()
    p.setMenuEnabled(False)
    p.getAxis("left").setWidth(62)


class DetailChart(QWidget):
    def __init__(self, book: QuoteBook, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.colors = palette
        self.row: int | None = None
        self.lots = False
        self.lang = "en"
        self.session_axis = True  # False: the points are outside trading hours
        self._drawn_ticks = -1
        self._points: tuple[npt.NDArray[np.float64], ...] = ()
        self.redraws = 0
        pg.setConfigOptions(antialias=True, background="w", foreground="#444")
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.readout = QLabel(self)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.message = QLabel(self)  # the empty state: no fake axes
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_widget = pg.GraphicsLayoutWidget(self)
        self.time_axis = LabelAxis("bottom", intraday.label_at)
        self.pct_axis = LabelAxis("right", self._pct_label)
        self.volume_axis = LabelAxis("left", self._volume_label)
        self.price_plot = self.layout_widget.addPlot(
            row=0,
            col=0,
            axisItems={"bottom": LabelAxis("bottom", intraday.label_at), "right": self.pct_axis},
        )
        self.volume_plot = self.layout_widget.addPlot(
            row=1, col=0, axisItems={"bottom": self.time_axis, "left": self.volume_axis}
        )
        self.price_plot.showAxis("right")
        self.volume_plot.showAxis("right")
        self.volume_plot.getAxis("right").setStyle(showValues=False)
        self.layout_widget.ci.layout.setRowStretchFactor(0, 3)
        self.layout_widget.ci.layout.setRowStretchFactor(1, 1)
        self.volume_plot.setXLink(self.price_plot)
        for p in (self.price_plot, self.volume_plot):
            quiet_plot(p, grid_x=True, pan_x=False)
        self.price_plot.getAxis("bottom").setStyle(showValues=False)
        # Every session label shown (pyqtgraph drops some once labels fill 40 % of the axis).
        self.time_axis.setStyle(textFillLimits=[(0, 0.95)])
        self.curve = self.price_plot.plot([], [], pen=pg.mkPen("#1f5fbf", width=1.6))
        self.avg_curve = self.price_plot.plot([], [], pen=pg.mkPen("#e08a00", width=1.2))
        # The latest price as a dot: the current minute, and all there is after one trade.
        self.last_dot = pg.ScatterPlotItem(size=6, pen=None, brush="#1f5fbf")
        self.price_plot.addItem(self.last_dot)
        self.prev_line = pg.InfiniteLine(
            angle=0, movable=False, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine)
        )
        self.price_plot.addItem(self.prev_line)
        self.up_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#d33", pen=None)
        self.down_bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush="#393", pen=None)
        self.volume_plot.addItem(self.up_bars)
        self.volume_plot.addItem(self.down_bars)
        self.vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#999"))
        self.hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#999"))
        self.vline_volume = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#999"))
        for line in (self.vline, self.hline):
            self.price_plot.addItem(line, ignoreBounds=True)
        self.volume_plot.addItem(self.vline_volume, ignoreBounds=True)
        self._hide_crosshair()
        self.price_plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.layout_widget)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(2)
        top = QWidget(self)
        tl = QHBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.title, 1)
        tl.addWidget(self.readout)
        lay.addWidget(top)
        lay.addWidget(self.pages, 1)
        self.set_row(None)

    # --- settings from the window ------------------------------------------------------
    def apply_look(self, look: Look, palette: Palette) -> None:
        """Colours for the theme: background, axes, price and average lines, bars, guides."""
        c = look.chart
        self.colors = palette
        self.layout_widget.setBackground(c["background"])
        for p in (self.price_plot, self.volume_plot):
            for name in ("left", "bottom", "right"):
                axis = p.getAxis(name)
                axis.setPen(pg.mkPen(c["foreground"]))
                axis.setTextPen(pg.mkPen(c["foreground"]))
        self.curve.setPen(pg.mkPen(c["line"], width=1.6))
        self.avg_curve.setPen(pg.mkPen(c["avg"], width=1.2))
        self.last_dot.setBrush(pg.mkBrush(c["line"]))
        self.up_bars.setOpts(brush=palette.up)
        self.down_bars.setOpts(brush=palette.down)
        for line in (self.vline, self.hline, self.vline_volume):
            line.setPen(pg.mkPen(c["guide"]))
        self.prev_line.setPen(pg.mkPen(c["guide"], style=Qt.PenStyle.DashLine))
        self.message.setStyleSheet(f"color: {c['guide']}")
        self.invalidate()

    def set_units(self, *, lots: bool, lang: str) -> None:
        """Volume in 手 (lots of 100) or shares, big numbers as 万/亿 or K/M."""
        self.lots, self.lang = lots, lang
        self.invalidate()

    def retranslate(self) -> None:
        self.layout_widget.setAccessibleName(self.tr("Intraday chart"))
        self.layout_widget.setAccessibleDescription(
            self.tr("Price, average price and volume of the selected symbol today")
        )
        self.invalidate()

    def set_row(self, row: int | None) -> None:
        """Chart another symbol; the crosshair readout belongs to the one before."""
        self.row = row
        self._hide_crosshair()
        self.invalidate()

    def invalidate(self) -> None:
        self._drawn_ticks = -1
        self.refresh()

    # --- drawing -------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Redraw if the symbol has new ticks; returns whether it drew."""
        b = self.book
        if self.row is None or self.row >= len(b):
            self._show_message(self.tr("Select a row to chart it"))
            self.title.setText("")
            return False
        r = self.row
        ticks = int(b.ticks[r])
        if ticks == self._drawn_ticks:
            return False
        self._drawn_ticks = ticks
        self.redraws += 1
        h = b.history(r)
        ok = np.isfinite(h.prices)
        if not ok.any():
            self.session_axis = True
            self._draw_title(r)
            self._show_message(self.tr("Waiting for the first trade"))
            return True
        times = h.times[ok]
        prices = h.prices[ok].astype(np.float64)
        avgs = h.averages[ok].astype(np.float64)
        volumes = h.volumes[ok].astype(np.float64) / (100.0 if self.lots else 1.0)
        self.session_axis = intraday.in_session(times)
        if self.session_axis:
            keep = intraday.session_mask(times)  # after-hours trades are not 分时
            times, prices, avgs, volumes = times[keep], prices[keep], avgs[keep], volumes[keep]
            x = intraday.session_x(times)
            # Two minutes on one spot (the auction and 09:30, 11:29 and 11:30): one point,
            # the later price, the volumes added.
            x, last_of = np.unique(x[::-1], return_index=True)
            last_of = len(times) - 1 - last_of
            summed = np.zeros(len(x))
            np.add.at(summed, np.searchsorted(x, intraday.session_x(times)), volumes)
            prices, avgs, volumes = prices[last_of], avgs[last_of], summed
            x_range = (-8.0, intraday.SESSION_MINUTES + 8.0)  # room for the 09:30 and 15:00 labels
            self._set_time_labels(intraday.label_at, intraday.TICKS)
        else:
            x = times / 60.0 + 1.0  # clock minutes, the point at its minute's end
            x_range = (float(x[0]) - 1.0, max(float(x[-1]), float(x[0]) + 30.0) + 1.0)
            self._set_time_labels(_clock_label, None)
        self._draw_title(r)
        self.pages.setCurrentWidget(self.layout_widget)
        self.curve.setData(x, prices)
        self.avg_curve.setData(x, avgs, connect="finite")
        self.last_dot.setData([x[-1]], [prices[-1]])
        prev = float(b.prev_close[r])
        before = np.concatenate(([prev if not math.isnan(prev) else prices[0]], prices[:-1]))
        up = prices >= before
        self.up_bars.setOpts(x=x[up], height=volumes[up], width=0.7)
        self.down_bars.setOpts(x=x[~up], height=volumes[~up], width=0.7)
        self.price_plot.setXRange(*x_range, padding=0)
        self.volume_plot.setYRange(0.0, max(float(volumes.max()), 1.0) * 1.1, padding=0)
        self._set_price_range(prices, avgs, prev)
        self._points = (x, prices, avgs, volumes)
        return True

    def _set_price_range(
        self, prices: npt.NDArray[np.float64], avgs: npt.NDArray[np.float64], prev: float
    ) -> None:
        """Symmetric about the previous close, as terminals scale the 分时 chart."""
        lo, hi = float(prices.min()), float(prices.max())
        finite = avgs[np.isfinite(avgs)]
        if len(finite):
            lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
        self.prev_line.setVisible(not math.isnan(prev))
        self.pct_axis.setStyle(showValues=not math.isnan(prev))
        if math.isnan(prev):
            pad = (hi - lo) * 0.1 or max(hi * 0.002, 0.01)
            self.price_plot.setYRange(lo - pad, hi + pad, padding=0)
            return
        self.prev_line.setValue(prev)
        d = max(hi - prev, prev - lo, prev * 0.002) * 1.08
        self.price_plot.setYRange(prev - d, prev + d, padding=0)

    def _set_time_labels(
        self, label: Callable[[float], str], ticks: tuple[tuple[int, str], ...] | None
    ) -> None:
        for axis in (self.time_axis, self.price_plot.getAxis("bottom")):
            axis.labeler = label
            axis.setTicks([list(ticks)] if ticks else None)

    def _draw_title(self, r: int) -> None:
        q = self.book.quote_at(r)
        color = self.colors.flat.name()
        if q.change is not None:
            c = q.change
            color = (
                self.colors.up if c > 0 else self.colors.down if c < 0 else self.colors.flat
            ).name()
        pct = f"{q.change_pct:+.2f}%" if q.change_pct is not None else "—"
        last = f"{q.last:.2f}" if q.last is not None else "—"
        note = ""
        since = int(self.book.vwap_from_ms[r])
        late = since and intraday.session_x(np.array([since / 1000.0]))[0] > 1
        if late and self.session_axis:  # the first trade seen came after the open
            stamp = dt.datetime.fromtimestamp(since / 1000, SHANGHAI).strftime("%H:%M")
            words = self.tr("average price from %1 (trades seen)").replace("%1", stamp)
            note = f" &nbsp; <span style='color:#888'>{words}</span>"
        if not self.session_axis:
            note = (
                " &nbsp; <span style='color:#888'>"
                + self.tr("outside trading hours: clock time")
                + "</span>"
            )
        self.title.setText(
            f"<b>{q.symbol}</b> {q.name} &nbsp; <span style='color:{color}; font-size:14pt'>"
            f"<b>{last}</b> {pct}</span>{note}"
        )

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)
        self.curve.setData([], [])
        self.avg_curve.setData([], [])
        self.last_dot.setData([], [])
        self.up_bars.setOpts(x=[], height=[])
        self.down_bars.setOpts(x=[], height=[])
        self._points = ()
        self._hide_crosshair()

    def _pct_label(self, price: float) -> str:
        prev = float(self.book.prev_close[self.row]) if self.row is not None else math.nan
        if not prev > 0:
            return ""
        return f"{(price / prev - 1.0) * 100.0:+.2f}%"

    def _volume_label(self, v: float) -> str:
        return fmt_big(v, self.lang)

    # --- crosshair -------------------------------------------------------------------------
    def _hide_crosshair(self) -> None:
        for line in (self.vline, self.hline, self.vline_volume):
            line.setVisible(False)
        self.readout.setText("")

    def leaveEvent(self, event: QEvent) -> None:
        self._hide_crosshair()
        super().leaveEvent(event)

    def _mouse_moved(self, pos: QPointF) -> None:
        inside = self.price_plot.sceneBoundingRect().contains(
            pos
        ) or self.volume_plot.sceneBoundingRect().contains(pos)
        if not inside or not self._points:
            self._hide_crosshair()
            return
        self.show_readout_at(self.price_plot.vb.mapSceneToView(pos).x())

    def show_readout_at(self, x_pos: float) -> None:
        """Crosshair on the minute nearest ``x_pos``; reads out its time, price, 均价, volume."""
        if not self._points:
            return
        x, prices, avgs, volumes = self._points
        i = int(np.abs(x - x_pos).argmin())
        xi, p = float(x[i]), float(prices[i])
        self.vline.setPos(xi)
        self.vline_volume.setPos(xi)
        self.hline.setPos(p)
        for line in (self.vline, self.hline, self.vline_volume):
            line.setVisible(True)
        when = intraday.label_at(xi) if self.session_axis else _clock_label(xi)
        pct = self._pct_label(p)
        avg = f"{avgs[i]:.2f}" if math.isfinite(avgs[i]) else "—"
        self.readout.setText(
            self.tr("{time}  price {price} {pct}  avg {avg}  vol {vol}").format(
                time=when,
                price=f"{p:.2f}",
                pct=pct,
                avg=avg,
                vol=fmt_big(float(volumes[i]), self.lang),
            )
        )
