"""The table model and delegates, without a network: a hand-filled quote book."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from monitor.core.book import QuoteBook
from monitor.core.master import SymbolInfo, SymbolMaster
from monitor.core.quotes import Tick
from monitor.core.symbols import Board
from monitor.ui.columns import COLUMNS, column_index
from monitor.ui.delegates import SparklineDelegate
from monitor.ui.quote_model import QuoteTableModel, fmt_big

T0 = 1795570200000


def _book() -> QuoteBook:
    m = SymbolMaster(
        [
            SymbolInfo("600519.SH", "贵州茅台", Board.MAIN, False, 1440.0),
            SymbolInfo("000001.SZ", "平安银行", Board.MAIN, False, 11.0),
            SymbolInfo("300750.SZ", "宁德时代", Board.CHINEXT, False, 250.0),
            SymbolInfo("600000.SH", "浦发银行", Board.MAIN, False, 10.0),
        ]
    )
    b = QuoteBook(m, history_points=60, bucket_seconds=60)
    for i in range(30):
        b.apply(Tick("600519.SH", 1440 + i, T0 + i * 60_000, volume=100))
        b.apply(Tick("000001.SZ", 11.0 - i * 0.01, T0 + i * 60_000, volume=100))
    b.apply(Tick("300750.SZ", 300.0, T0))  # +20 %: limit up
    return b


def test_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = QuoteTableModel(_book())
    model.set_symbols(["600519.SH", "000001.SZ", "300750.SZ", "600000.SH"])
    qtmodeltester.check(model, force_py=True)
    model.sort(column_index("change_pct"), Qt.SortOrder.DescendingOrder)
    model.set_filter("银行")
    qtmodeltester.check(model, force_py=True)


def test_numbers_sort_as_numbers_and_unknown_last() -> None:
    b = QuoteBook()
    for sym, p in (
        ("600001.SH", 9.5),
        ("600002.SH", 10.0),
        ("600003.SH", 100.0),
        ("600004.SH", 2.0),
    ):
        b.apply(Tick(sym, p, T0))
    b.set_prev_close("600001.SH", 9.0)
    b.set_prev_close("600002.SH", 9.0)
    b.set_prev_close("600003.SH", 99.0)
    m = QuoteTableModel(b)
    m.set_symbols(["600001.SH", "600002.SH", "600003.SH", "600004.SH"])
    m.sort(column_index("last"), Qt.SortOrder.AscendingOrder)
    assert [m.symbol_at(r) for r in range(4)] == [
        "600004.SH",
        "600001.SH",
        "600002.SH",
        "600003.SH",
    ]
    m.sort(column_index("change_pct"), Qt.SortOrder.DescendingOrder)
    # 11.1 % > 5.6 % > 1.0 %, and the one with no previous close is last, not 0
    assert [m.symbol_at(r) for r in range(4)] == [
        "600002.SH",
        "600001.SH",
        "600003.SH",
        "600004.SH",
    ]
    pct = m.index(3, column_index("change_pct"))
    assert m.data(pct) == "—"
    assert math.isnan(m.data(pct, QuoteTableModel.SortRole))  # type: ignore[arg-type]


def test_display_alignment_and_colours(qapp) -> None:  # type: ignore[no-untyped-def]
    from monitor.ui.i18n import TRANSLATIONS

    assert TRANSLATIONS.apply("zh")  # the compiled .qm is found and loaded
    m = QuoteTableModel(_book(), lang="zh")
    m.set_symbols(["600519.SH", "000001.SZ", "300750.SZ", "600000.SH"])
    row = {m.symbol_at(r): r for r in range(4)}
    last = m.index(row["600519.SH"], column_index("last"))
    assert m.data(last) == "1469.00"
    assert m.data(last, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    assert m.data(last, Qt.ItemDataRole.ForegroundRole) == m.palette.up  # red: up
    down = m.index(row["000001.SZ"], column_index("change"))
    assert (
        m.data(down) == "-0.29" and m.data(down, Qt.ItemDataRole.ForegroundRole) == m.palette.down
    )
    assert m.headerData(column_index("change_pct"), Qt.Orientation.Horizontal) == "涨跌幅"
    limit = m.index(row["300750.SZ"], column_index("name"))
    assert m.data(limit, Qt.ItemDataRole.BackgroundRole) == m.palette.up_bg  # marked limit-up
    empty = m.index(row["600000.SH"], column_index("last"))
    assert m.data(empty) == ""
    m.set_red_up(False)
    assert m.data(last, Qt.ItemDataRole.ForegroundRole) == QColor(22, 150, 60)
    TRANSLATIONS.apply("en")
    m.set_lang("en")
    assert m.headerData(column_index("change_pct"), Qt.Orientation.Horizontal) == "Chg %"


def test_flush_signals_only_changed_rows_in_spans() -> None:
    b = _book()
    m = QuoteTableModel(b)
    syms = ["600519.SH", "000001.SZ", "300750.SZ", "600000.SH"]
    m.set_symbols(syms)
    b.take_dirty()
    spans: list[tuple[int, int]] = []
    m.dataChanged.connect(lambda a, z, roles=None: spans.append((a.row(), z.row())))
    b.apply(Tick("600519.SH", 1500.0, T0 + 10_000_000))
    b.apply(Tick("000001.SZ", 10.0, T0 + 10_000_000))
    b.apply(Tick("600000.SH", 10.5, T0 + 10_000_000))
    b.apply(Tick("600000.SH", 10.6, T0 + 10_000_001))
    assert m.flush() == 3
    assert spans == [(0, 1), (3, 3)]
    spans.clear()
    assert m.flush() == 0 and spans == []
    last = m.index(0, column_index("last"))
    assert m.data(last, Qt.ItemDataRole.BackgroundRole) == m.palette.flash_up


def test_live_resort_keeps_the_selection(qtbot) -> None:  # type: ignore[no-untyped-def]
    b = _book()
    m = QuoteTableModel(b)
    m.set_symbols(["600519.SH", "000001.SZ", "300750.SZ", "600000.SH"])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(m)
    view.sortByColumn(column_index("last"), Qt.SortOrder.DescendingOrder)
    view.selectRow(m.row_of("000001.SZ"))  # type: ignore[arg-type]
    b.apply(Tick("000001.SZ", 5000.0, T0 + 99_000_000))
    m._last_sort = 0.0  # due now
    m.flush()
    assert m.symbol_at(0) == "000001.SZ"
    sel = view.selectionModel().selectedRows()
    assert [m.symbol_at(i.row()) for i in sel] == ["000001.SZ"]


def test_sparkline_delegate_paints_the_line_in_the_sign_colour(qapp) -> None:  # type: ignore[no-untyped-def]
    m = QuoteTableModel(_book())
    m.set_symbols(["600519.SH", "000001.SZ"])
    d = SparklineDelegate(m.palette)
    col = column_index("spark")
    m.sparkline_span = 0  # fit the points to the cell
    for row, colour in ((0, m.palette.up), (1, m.palette.down)):
        img = QImage(120, 30, QImage.Format.Format_ARGB32)
        img.fill(QColor("white"))
        p = QPainter(img)
        opt = QStyleOptionViewItem()
        opt.rect = QRect(0, 0, 120, 30)
        d.paint(p, opt, m.index(row, col))
        p.end()
        arr = np.frombuffer(img.constBits(), np.uint8).reshape(30, 120, 4)  # BGRA
        b_, g_, r_ = (arr[:, :, i].astype(int) for i in range(3))
        reddish = (r_ - g_ > 50) & (r_ - b_ > 50)
        greenish = (g_ - r_ > 30) & (g_ - b_ > 10)
        close = reddish if colour == m.palette.up else greenish
        other = greenish if colour == m.palette.up else reddish
        assert close.sum() > 60 and other.sum() == 0, f"row {row}: line not in {colour.name()}"
        left, right = close[:, :40].any(axis=0).sum(), close[:, 80:].any(axis=0).sum()
        assert left > 10 and right > 10  # spans the cell
    # With the day's span, 30 of 60 points fill the left half: the line grows through the day.
    m.sparkline_span = 60
    img = QImage(120, 30, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    opt = QStyleOptionViewItem()
    opt.rect = QRect(0, 0, 120, 30)
    d.paint(p, opt, m.index(0, col))
    p.end()
    arr = np.frombuffer(img.constBits(), np.uint8).reshape(30, 120, 4)
    inked = (arr[:, :, :3].astype(int).sum(axis=2) < 600).any(axis=0)
    assert inked[:50].sum() > 30 and inked[70:].sum() < 30  # only the dotted baseline on the right


def test_sparkline_with_no_history_paints_nothing(qapp) -> None:  # type: ignore[no-untyped-def]
    m = QuoteTableModel(_book())
    m.set_symbols(["600000.SH"])
    img = QImage(120, 30, QImage.Format.Format_ARGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    opt = QStyleOptionViewItem()
    opt.rect = QRect(0, 0, 120, 30)
    SparklineDelegate(m.palette).paint(p, opt, m.index(0, column_index("spark")))
    p.end()
    assert all(
        img.pixelColor(x, y) == QColor("white") for x in range(0, 120, 7) for y in range(0, 30, 3)
    )


@pytest.mark.parametrize(
    ("v", "lang", "out"),
    [
        (123456789.0, "zh", "1.23亿"),
        (45678.0, "zh", "4.57万"),
        (999.0, "zh", "999"),
        (2.5e9, "en", "2.50B"),
        (3.2e6, "en", "3.20M"),
        (4500.0, "en", "4.5K"),
    ],
)
def test_big_number_format(v: float, lang: str, out: str) -> None:
    assert fmt_big(v, lang) == out


def test_every_column_has_both_headers() -> None:
    assert all(c.en and c.title() for c in COLUMNS)
    assert [c.key for c in COLUMNS][:5] == ["code", "name", "last", "change", "change_pct"]


def test_many_signal_emits_do_not_crash(qapp) -> None:  # type: ignore[no-untyped-def]
    """Regression guard for PySide6 6.12.0 on Python 3.11 (bool_dealloc after ~600 emits)."""
    b = _book()
    m = QuoteTableModel(b)
    m.set_symbols(["600519.SH", "000001.SZ"])
    seen = []
    m.dataChanged.connect(lambda *a: seen.append(1))
    for i in range(3000):
        b.apply(Tick("600519.SH", 1400.0 + (i % 50), T0 + 20_000_000 + i))
        m.flush()
    assert len(seen) >= 3000
