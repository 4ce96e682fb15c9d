"""The index and breadth bar on a real window with the simulator."""

from __future__ import annotations

from monitor.core.symbols import Board, board_of
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until


def test_indices_and_counts_agree_with_the_table(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    bar = window.breadth
    window.lists.setCurrentRow(0)  # the whole market
    qloop.run_until_complete(
        until(lambda: window.service.breadth().unknown < 50, 15, "most rows priced")
    )
    qloop.run_until_complete(window.service.stop())  # compare still numbers
    bar.refresh()
    # Every main index the simulator serves is on the bar with a price and change %.
    shown = [s for s, label in bar.indices.items() if label.isVisible()]
    assert shown == ["000001.SH", "399001.SZ", "399006.SZ", "000688.SH", "899050.BJ"]
    assert (
        "SSE Composite" in bar.indices["000001.SH"].text()
        and "%" in bar.indices["000001.SH"].text()
    )
    # Counted independently from the table's own rows.
    up = flat = down = 0
    for sym in window.model.symbols():
        if board_of(sym) is Board.INDEX:
            continue
        q = window.service.book.quote(sym)
        if q is None or q.change is None:
            continue
        cents = round(q.change * 100)
        up, flat, down = up + (cents > 0), flat + (cents == 0), down + (cents < 0)
    text = bar.counts.text()
    for label, n in (("Up", up), ("Flat", flat), ("Down", down)):
        assert f"{label} " in text and f"<b>{n}</b>" in text, (label, n, text)
    assert up > 0 and down > 0 and "Limit-up" in text and "Turnover" in text


def test_clicking_an_index_charts_it_and_the_row_charts_again(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    row = window.model.row_of("000001.SZ")
    assert row is not None
    window.table.selectRow(row)
    label = window.breadth.indices["000001.SH"]  # 上证指数: the same digits as 平安银行
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert window.chart.row == window.service.book.row_of("000001.SH")
    assert window.bottom.currentWidget() is window.bottom.intraday
    assert window.bottom.order_book.message.text() == "An index has no order book"
    assert window.service.depth_symbol is None
    window.table.selectRow(row)  # the row clicked again: charted again
    assert window.chart.row == window.service.book.row_of("000001.SZ")
    window.bottom.setCurrentWidget(window.bottom.kline)  # on the K-line tab, it stays there
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
    assert window.bottom.currentWidget() is window.bottom.kline


def test_discreet_mode_keeps_the_bar_short_and_grey(window: MainWindow) -> None:
    window.set_discreet(True)
    try:
        bar = window.breadth
        assert [s for s, label in bar.indices.items() if label.isVisible()] == ["000001.SH"]
        assert "Limit-up" not in bar.counts.text() and "Turnover" not in bar.counts.text()
    finally:
        window.set_discreet(False)


def test_indices_and_counts_go_grey_when_the_feed_is_not_live(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    bar = window.breadth
    qloop.run_until_complete(
        until(lambda: (bar.refresh(), "%" in bar.indices["000001.SH"].text())[1], 10)
    )
    sim = window.service.source.sim  # type: ignore[attr-defined]
    qloop.run_until_complete(sim.stop())
    qloop.run_until_complete(until(lambda: window.service.phase().value != "live", 10))
    bar.refresh()
    assert f"color:{bar.muted}" in bar.indices["000001.SH"].text()
    assert "not live" in bar.counts.text()
