"""What the user sees: the real table viewport grabbed into an image.

The fast view paints from ``row_cells()``; ``data()`` answers from the same cell style.
These tests read the painted pixels — the colour of the text, the tint behind it, where
the text sits and how wide it is — and check them against the roles a screen reader or
a test would ask for.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage

from monitor.core.quotes import Tick
from monitor.ui.columns import column_index
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until


def _close(a: QColor, b: QColor, tol: int = 40) -> bool:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue()) <= tol


def _over(top: QColor, under: QColor) -> QColor:
    """``top`` (translucent) painted over ``under``."""
    a = top.alphaF()
    mix = [t * a + u * (1 - a) for t, u in zip(top.getRgbF()[:3], under.getRgbF()[:3], strict=True)]
    return QColor.fromRgbF(*mix)


def _cell(window: MainWindow, symbol: str, key: str) -> tuple[QImage, QRect]:
    row = window.model.row_of(symbol)
    assert row is not None
    rect = window.table.visualRect(window.model.index(row, column_index(key)))
    window.table.viewport().repaint()
    return window.table.viewport().grab().toImage(), rect


def _ink(img: QImage, rect: QRect, background: QColor) -> list[tuple[int, int, QColor]]:
    """Pixels of the cell that are not its background: the painted text."""
    out = []
    for x in range(rect.left() + 1, rect.right()):
        for y in range(rect.top() + 2, rect.bottom() - 1):
            c = img.pixelColor(x, y)
            if not _close(c, background, 24):
                out.append((x, y, c))
    return out


def _frozen(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    """Stop the feed (so nothing moves between painting and reading) and deselect."""
    qloop.run_until_complete(until(lambda: window.service.session.closes_idle.is_set()))  # type: ignore[union-attr]
    qloop.run_until_complete(window.service.stop())
    window.table.clearSelection()
    window.model.flush()


def test_painted_change_is_in_the_colour_data_reports(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    qloop.run_until_complete(window.first_row_painted)
    _frozen(window, qloop)
    book = window.service.book
    sym = next(
        s
        for s in window.model.symbols()
        if (q := book.quote(s)) and q.change_pct is not None and abs(q.change_pct) > 0.05
    )
    q = book.quote(sym)
    assert q is not None and q.change_pct is not None
    row = window.model.row_of(sym)
    index = window.model.index(row, column_index("change_pct"))
    fg = index.data(Qt.ItemDataRole.ForegroundRole)
    pal = window.model.palette
    assert fg == (pal.up if q.change_pct > 0 else pal.down)  # red up by default
    img, rect = _cell(window, sym, "change_pct")
    bg = img.pixelColor(rect.left() + 2, rect.top() + 2)
    ink = _ink(img, rect, bg)
    assert ink, "nothing painted in the change % cell"
    assert any(_close(c, fg, 60) for _, _, c in ink), "text not in the change colour"
    # The text painted is the text shown: its width and right alignment match.
    text = index.data(Qt.ItemDataRole.DisplayRole)
    width = QFontMetrics(window.table.font()).horizontalAdvance(text)
    left, right = min(x for x, _, _ in ink), max(x for x, _, _ in ink)
    assert abs((right - left + 1) - width) <= 4, (text, right - left + 1, width)
    assert rect.right() - right <= 9  # numbers are right-aligned


def test_a_stock_at_limit_up_is_tinted_and_bold_as_painted(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    qloop.run_until_complete(window.first_row_painted)
    _frozen(window, qloop)
    book = window.service.book
    sym = next(s for s in window.model.symbols() if (q := book.quote(s)) and q.limit_up)
    q = book.quote(sym)
    assert q is not None and q.limit_up is not None
    now = int(time.time() * 1000)
    tick = Tick(sym, q.limit_up, max(now, q.time_ms + 1), 100.0, seq=2**40)
    assert book.apply_many([tick], now, scope=10**9) == 1
    window.model.flush()
    row = window.model.row_of(sym)
    code = window.model.index(row, column_index("code"))
    last = window.model.index(row, column_index("last"))
    tint = window.model.palette.up_bg
    assert code.data(Qt.ItemDataRole.BackgroundRole) == tint
    font = last.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    img, rect = _cell(window, sym, "code")
    painted = img.pixelColor(rect.left() + 2, rect.top() + 2)
    pal = window.table.palette()
    under = (pal.color(pal.ColorRole.Base), pal.color(pal.ColorRole.AlternateBase))
    assert any(_close(painted, _over(tint, u), 6) for u in under), painted  # tinted row
    # Bold text is wider than the same text in the regular weight.
    img, rect = _cell(window, sym, "last")
    time.sleep(0.5)  # the trade's flash fades; the limit tint stays
    window.table.viewport().repaint()
    img = window.table.viewport().grab().toImage()
    ink = _ink(img, rect, img.pixelColor(rect.left() + 2, rect.top() + 2))
    text = last.data(Qt.ItemDataRole.DisplayRole)
    bold = QFont(window.table.font())
    bold.setBold(True)
    painted = max(x for x, _, _ in ink) - min(x for x, _, _ in ink) + 1
    assert abs(painted - QFontMetrics(bold).horizontalAdvance(text)) <= 4
