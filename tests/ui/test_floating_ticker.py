"""The floating ticker: on top, frameless, draggable, remembered, kept when minimised."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until


def test_the_ticker_stays_on_top_of_a_minimised_window_and_remembers_its_place(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    window.acts["floating_ticker"].trigger()  # Ctrl+Shift+F
    ticker = window.tickers.ticker
    assert ticker is not None and ticker.isVisible() and ticker.isWindow()
    flags = ticker.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint and flags & Qt.WindowType.FramelessWindowHint
    qloop.run_until_complete(
        until(
            lambda: (ticker.refresh(), "%" in "".join(lb.text() for lb in ticker.labels))[1],
            10,
        )
    )
    text = " ".join(lb.text() for lb in ticker.labels if lb.isVisible())
    assert "%" in text and "平安银行" in text
    window.showMinimized()
    assert ticker.isVisible()  # a window of its own: not minimised with the main one
    window.showNormal()
    # Dragged somewhere: saved with its screen (as a column, to fit the small test screen).
    ticker.set_vertical(True)
    ticker.move(10, 100)
    start = ticker.pos()
    QTest.mousePress(ticker, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    QTest.mouseMove(ticker, QPoint(45, 25))
    QTest.mouseRelease(ticker, Qt.MouseButton.LeftButton, pos=QPoint(45, 25))
    moved = ticker.pos()
    assert moved != start
    saved = window.service.settings.ui["ticker"]
    assert (saved["x"], saved["y"], saved["open"]) == (moved.x(), moved.y(), True)
    # Click-through and transparency, from its menu (and the tray's).
    ticker.set_click_through(True)
    assert ticker.windowFlags() & Qt.WindowType.WindowTransparentForInput and ticker.isVisible()
    ticker.set_click_through(False)
    ticker.set_opacity(0.7)
    assert abs(ticker.windowOpacity() - 0.7) < 0.02
    # The app quits with it open: the next start opens it where it was.
    window.tickers.shutdown()
    window.tickers.restore()
    again = window.tickers.ticker
    assert again is not None and again.isVisible() and again.pos() == moved
    assert abs(again.opacity - 0.7) < 0.01
    # Click-through without a tray to turn it off: never restored; the shortcut clears it.
    again.set_click_through(True)
    window.tickers.shutdown()
    window.tickers.has_tray = False
    window.tickers.restore()
    again = window.tickers.ticker
    assert again is not None and not again.click_through
    again.set_click_through(True)
    window.acts["floating_ticker"].trigger()  # closes it
    window.acts["floating_ticker"].trigger()  # opens it, taking the mouse again
    again = window.tickers.ticker
    assert again is not None and not again.click_through
    # Closed by the user: not reopened next time.
    again.close()
    assert window.tickers.ticker is None
    window.tickers.restore()
    assert window.tickers.ticker is None


def test_discreet_mode_greys_the_ticker(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    ticker = window.tickers.open()
    window.set_discreet(True)
    try:
        ticker.refresh()
        colours = {c for lb in ticker.labels for c in ("#dc2626", "#16963c") if c in lb.text()}
        assert not colours
    finally:
        window.set_discreet(False)
        ticker.close()


def test_a_long_strip_stays_on_its_screen(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    ticker = window.tickers.open()
    try:
        ticker.refresh()
        area = ticker.screen().availableGeometry()
        assert area.contains(ticker.frameGeometry().topLeft())
        assert ticker.x() + ticker.width() <= area.right() + 1
    finally:
        ticker.close()
