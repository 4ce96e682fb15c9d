"""The detail chart of the selected symbol (pyqtgraph): price, previous close, volume.

Data flow: the window calls :meth:`DetailChart.refresh` from its UI timer at no more
than 30 fps; the chart redraws only when the symbol's tick count has moved, so it
costs nothing while the symbol is quiet. Curves are created once and fed with
``setData``; a crosshair reads out time and price under the mouse.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from monitor.core.book import QuoteBook
from monitor.core.quotes import SHANGHAI
from monitor.ui.quote_model import Palette
from monitor.ui.theme import Look

__all__ = ["DetailChart"]


class _ChinaTimeAxis(pg.AxisItem):  # type: ignore[misc]
    """Epoch seconds shown as China time (HH:MM), whatever the machine's timezone."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        for v in values:
            try:
                out.append(
                    dt.datetime.fromtimestamp(v, SHANGHAI).strftime(
                        "%H:%M:%S" if spacing < 60 else "%H:%M"
                    )
                )
            except (OverflowError, OSError, ValueError):
                out.append("")
        return out


class DetailChart(QWidget):
    def __init__(self, book: QuoteBook, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.colors = palette
        self.row: int | None = None
        self._drawn_ticks = -1
        self.redraws = 0
        pg.setConfigOptions(antialias=True, background="w", foreground="#444")
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.readout = QLabel(self)
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.layout_widget = pg.GraphicsLayoutWidget(self)
        self.price_plot = self.layout_widget.addPlot(
            row=0, col=0, axisItems={"bottom": _ChinaTimeAxis("bottom")}
        )
        self.volume_plot = self.layout_widget.addPlot(
            row=1, col=0, axisItems={"bottom": _ChinaTimeAxis("bottom")}
        )
        self.layout_widget.ci.layout.setRowStretchFactor(0, 3)
        self.layout_widget.ci.layout.setRowStretchFactor(1, 1)
        self.volume_plot.setXLink(self.price_plot)
        for p in (self.price_plot, self.volume_plot):
            p.showGrid(x=True, y=True, alpha=0.15)
            p.setMouseEnabled(x=False, y=False)
            p.hideButtons()
            p.setMenuEnabled(False)
        self.price_plot.getAxis("bottom").setStyle(showValues=False)
        self.curve = self.price_plot.plot(
            [], [], pen=pg.mkPen("#1f5fbf", width=1.6), skipFiniteCheck=True
        )
        self.curve.setClipToView(True)
        self.curve.setDownsampling(auto=True, method="peak")
        self.prev_line = pg.InfiniteLine(
            angle=0, movable=False, pen=pg.mkPen("#888", style=Qt.PenStyle.DashLine)
        )
        self.price_plot.addItem(self.prev_line)
        self.bars = pg.BarGraphItem(x=[], height=[], width=1.0, brush="#8aa")
        self.volume_plot.addItem(self.bars)
        self.vline = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#999"))
        self.hline = pg.InfiniteLine(angle=0, movable=False, pen=pg.mkPen("#999"))
        for line in (self.vline, self.hline):
            line.setVisible(False)
            self.price_plot.addItem(line, ignoreBounds=True)
        self.empty = pg.TextItem("", color="#888", anchor=(0.5, 0.5))
        self.price_plot.addItem(self.empty, ignoreBounds=True)
        self.price_plot.scene().sigMouseMoved.connect(self._mouse_moved)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 2)
        lay.setSpacing(2)
        top = QWidget(self)
        from PySide6.QtWidgets import QHBoxLayout

        tl = QHBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(self.title, 1)
        tl.addWidget(self.readout)
        lay.addWidget(top)
        lay.addWidget(self.layout_widget, 1)
        self.set_row(None)

    def apply_look(self, look: Look, palette: Palette) -> None:
        """Colours for the theme: background, axes, price line, volume bars, guides."""
        c = look.chart
        self.colors = palette
        self.layout_widget.setBackground(c["background"])
        for p in (self.price_plot, self.volume_plot):
            for name in ("left", "bottom"):
                axis = p.getAxis(name)
                axis.setPen(pg.mkPen(c["foreground"]))
                axis.setTextPen(pg.mkPen(c["foreground"]))
        self.curve.setPen(pg.mkPen(c["line"], width=1.6))
        self.bars.setOpts(brush=c["bars"])
        for line in (self.vline, self.hline):
            line.setPen(pg.mkPen(c["guide"]))
        self.prev_line.setPen(pg.mkPen(c["guide"], style=Qt.PenStyle.DashLine))
        self.empty.setColor(c["guide"])
        self._drawn_ticks = -1
        self.refresh()

    def retranslate(self) -> None:
        self.layout_widget.setAccessibleName(self.tr("Intraday chart"))
        self.layout_widget.setAccessibleDescription(
            self.tr("Price and volume of the selected symbol today")
        )
        self._drawn_ticks = -1
        self.refresh()

    def set_row(self, row: int | None) -> None:
        self.row = row
        self._drawn_ticks = -1
        self.refresh()

    def refresh(self) -> bool:
        """Redraw if the symbol has new ticks; returns whether it drew."""
        b = self.book
        if self.row is None or self.row >= len(b):
            self.layout_widget.setVisible(False)
            self.curve.setData([], [])
            self.bars.setOpts(x=[], height=[])
            self.prev_line.setVisible(False)
            self.title.setText(
                "<span style='color:#888'>" + self.tr("Select a row to chart it") + "</span>"
            )
            self.readout.setText("")
            return False
        r = self.row
        self.layout_widget.setVisible(True)
        ticks = int(b.ticks[r])
        if ticks == self._drawn_ticks:
            return False
        self._drawn_ticks = ticks
        self.redraws += 1
        h = b.history(r)
        ok = np.isfinite(h.prices)
        x, y = h.times[ok], h.prices[ok].astype(np.float64)
        self.curve.setData(x, y)
        width = float(np.median(np.diff(x))) * 0.8 if len(x) > 1 else 1.0
        self.bars.setOpts(x=x, height=h.volumes[ok], width=width)
        prev = float(b.prev_close[r])
        self.prev_line.setVisible(not math.isnan(prev))
        if not math.isnan(prev):
            self.prev_line.setValue(prev)
        if len(y):
            lo, hi = float(y.min()), float(y.max())
            if not math.isnan(prev):
                lo, hi = min(lo, prev), max(hi, prev)
            pad = (hi - lo) * 0.1 or max(hi * 0.002, 0.01)
            self.price_plot.setYRange(lo - pad, hi + pad, padding=0)
            self.empty.setText("")
        else:
            self.empty.setText(self.tr("Waiting for ticks"))
            self.empty.setPos(0.5, 0.5)
        q = b.quote_at(r)
        color = "#666"
        if q.change is not None:
            c = (
                self.colors.up
                if q.change > 0
                else self.colors.down
                if q.change < 0
                else self.colors.flat
            )
            color = c.name()
        pct = f"{q.change_pct:+.2f}%" if q.change_pct is not None else "—"
        last = f"{q.last:.2f}" if q.last is not None else "—"
        self.title.setText(
            f"<b>{q.symbol}</b> {q.name} &nbsp; <span style='color:{color}; font-size:14pt'><b>{last}</b> {pct}</span>"
        )
        return True

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.price_plot.vb
        if not self.price_plot.sceneBoundingRect().contains(pos) or self.row is None:
            self.vline.setVisible(False)
            self.hline.setVisible(False)
            self.readout.setText("")
            return
        p = vb.mapSceneToView(pos)
        self.vline.setPos(p.x())
        self.hline.setPos(p.y())
        self.vline.setVisible(True)
        self.hline.setVisible(True)
        try:
            t = dt.datetime.fromtimestamp(p.x(), SHANGHAI).strftime("%H:%M:%S")
        except (OverflowError, OSError, ValueError):
            t = ""
        self.readout.setText(f"{t}  {p.y():.2f}")
