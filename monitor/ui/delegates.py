"""Lean painting for the snapshot table: text cells and per-row sparklines.

Data flow: both delegates read only what the model's roles return (display text,
colours, ``HistoryRole``) and keep no domain state. Painting the visible table is the
dominant cost at market rates, so cells skip the style machinery and draw straight
with the painter; the sparkline is one path per row, never a widget per row.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from monitor.ui.quote_model import HISTORY_ROLE, Palette

__all__ = ["CellDelegate", "SparklineDelegate", "fit_text", "sparkline_path"]

_NUMBER = re.compile(r"([+-]?)(\d+)\.(\d+)(\D*)")


def fit_text(text: str, metrics: QFontMetrics, width: int, numeric: bool) -> str:
    """``text`` as it fits in ``width`` pixels, never a cut-off number.

    A number loses decimals first (``+283.65%`` -> ``+283.7%`` -> ``+284%``), then shows
    ``##`` as spreadsheets do (a clipped ``+28`` would read as another value); other
    text is elided with "…".
    """
    if metrics.horizontalAdvance(text) <= width:
        return text
    if not numeric:
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    m = _NUMBER.fullmatch(text)
    if m is not None:
        sign, whole, decimals, unit = m.groups()
        value = float(f"{whole}.{decimals}")
        for places in range(len(decimals) - 1, -1, -1):
            shorter = f"{sign}{value:.{places}f}{unit}"
            if metrics.horizontalAdvance(shorter) <= width:
                return shorter
    return "##"


ModelIndex = QModelIndex | QPersistentModelIndex


class CellDelegate(QStyledItemDelegate):
    """Background, selection and one line of text, without QStyle overhead."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        if not index.isValid():
            return
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        if selected:
            painter.fillRect(rect, pal.highlight())
        else:
            bg = index.data(Qt.ItemDataRole.BackgroundRole)
            if bg is not None:
                painter.fillRect(rect, bg)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text:
            return
        fg = index.data(Qt.ItemDataRole.ForegroundRole)
        painter.setPen(fg if fg is not None else pal.text().color())
        font = index.data(Qt.ItemDataRole.FontRole)
        if font is not None:
            painter.save()
            painter.setFont(font)
        align = index.data(Qt.ItemDataRole.TextAlignmentRole) or int(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        )
        inner = rect.adjusted(6, 0, -6, 0)
        numeric = bool(int(align) & int(Qt.AlignmentFlag.AlignRight))
        painter.drawText(
            inner, int(align), fit_text(str(text), painter.fontMetrics(), inner.width(), numeric)
        )
        if font is not None:
            painter.restore()


def sparkline_path(
    prices: np.ndarray, rect: QRectF, lo: float, hi: float, capacity: int = 0
) -> QPainterPath:
    """A path through ``prices`` scaled into ``rect`` (NaNs skipped).

    With ``capacity`` the x axis spans the whole day's buckets, so the line grows from
    the left through the session as terminals draw it.
    """
    ok = np.isfinite(prices)
    y = prices[ok].astype(np.float64)
    if len(y) < 1:
        return QPainterPath()
    x = np.flatnonzero(ok).astype(np.float64)
    n = max(max(capacity, len(prices)) - 1, 1)
    span = hi - lo if hi > lo else 1.0
    xs = rect.left() + x / n * rect.width()
    ys = rect.bottom() - (y - lo) / span * rect.height()
    if len(y) == 1:
        path = QPainterPath()
        path.addEllipse(QPointF(float(xs[0]), float(ys[0])), 1.0, 1.0)
        return path
    return pg.functions.arrayToQPath(xs, ys, connect="all")  # type: ignore[no-any-return]


_BASE_PEN = QPen(QColor(150, 150, 150), 1, Qt.PenStyle.DotLine)


def paint_sparkline(
    painter: QPainter, rect: QRectF, prices: np.ndarray, prev: float, capacity: int, colors: Palette
) -> None:
    """One row's intraday line with the previous close as a dotted baseline."""
    finite = prices[np.isfinite(prices)] if len(prices) else prices
    if len(finite) == 0:
        return
    lo, hi = float(finite.min()), float(finite.max())
    has_prev = not math.isnan(prev) and prev > 0
    if has_prev:
        lo, hi = min(lo, prev), max(hi, prev)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.001, 0.01)
    lo, hi = lo - pad, hi + pad
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    if has_prev:
        y = rect.bottom() - (prev - lo) / (hi - lo) * rect.height()
        painter.setPen(_BASE_PEN)
        painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
    last = float(finite[-1])
    ref = prev if has_prev else float(finite[0])
    color = colors.up if last > ref else colors.down if last < ref else colors.flat
    painter.setPen(QPen(color, 1.2))
    painter.drawPath(sparkline_path(prices, rect, lo, hi, capacity))
    painter.restore()


class SparklineDelegate(QStyledItemDelegate):
    """The row's intraday line, previous close as a dotted baseline, coloured by sign."""

    def __init__(self, palette: Palette, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.colors = palette

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        if not index.isValid():
            return
        rect = QRectF(option.rect).adjusted(4, 3, -4, -3)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.highlight())
        data = index.data(HISTORY_ROLE)
        if data:
            prices, prev, capacity = data
            paint_sparkline(painter, rect, prices, prev, capacity, self.colors)
