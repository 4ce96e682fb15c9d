"""The listing refreshed from the exchanges, as the window shows it: started by itself
after the first rows, said in the status bar, delisted rows flagged and not priced, the
File › A-share listing dialog with its changes, Refresh now and double-click to chart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from monitor.core.settings import Settings
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService
from monitor.ui.main_window import MainWindow
from tests.servers.exchanges_doc import DocExchanges, Row
from tests.service.test_listing_refresh import NEW_SSE, _exchange_rows
from tests.ui.conftest import until


@pytest.fixture
def exchanges() -> Iterator[DocExchanges]:
    sse, szse, bse = _exchange_rows()
    sse = [r for r in sse if r.code != "600000"] + [NEW_SSE]
    with DocExchanges(sse=sse, szse=szse, bse=[Row("920001", "新北交股", "20261127"), *bse]) as ex:
        yield ex


@pytest.fixture
def listing_window(
    qloop: qasync.QEventLoop,
    paths: Paths,
    exchanges: DocExchanges,
    monkeypatch: pytest.MonkeyPatch,
    qtbot,
) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ASHARE_MONITOR_LISTING_REFRESH", "1")  # as on a user's machine
    Settings(sim_symbols=600, sim_rate=500, language="en", listing_urls=exchanges.urls()).save(
        paths.settings
    )
    core = MonitorService(paths)
    core.create_list("mine", ["600000.SH", "600519.SH"])
    w = MainWindow(core)
    w.show()
    qloop.run_until_complete(w.start())
    yield w
    w.close()
    qloop.run_until_complete(core.close())


def _cell(w: MainWindow, symbol: str, key: str) -> str:
    model = w.model
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == symbol:
            col = [c.key for c in model.columns].index(key)
            return str(model.index(row, col).data() or "")
    raise AssertionError(f"{symbol} not in the table")


def _name_cell(w: MainWindow, symbol: str) -> str:
    return _cell(w, symbol, "name")


def test_the_window_refreshes_the_listing_and_flags_what_changed(
    listing_window: MainWindow, qloop: qasync.QEventLoop, exchanges: DocExchanges
) -> None:
    w = listing_window
    w.lists.reload("mine")
    qloop.run_until_complete(
        until(lambda: "Listing refreshed" in w.statusBar().message(), 30, "refresh")
    )
    assert (
        w.statusBar()
        .message()
        .startswith("Listing refreshed from the exchanges: 2 new, 1 delisted")
    )
    assert len(exchanges.asked("SZSE")) == 1  # asked by itself, once
    assert _name_cell(w, "600000.SH") == "[delisted] 浦发银行"
    assert _cell(w, "600000.SH", "last") == ""  # not subscribed: no price at all
    assert _name_cell(w, "600519.SH") == "贵州茅台"
    assert "600000.SH" not in w.service.wanted()
    dlg = w.open_listing()
    assert dlg.heading.text().startswith(f"A-share listing as of {w.service.listing_as_of}")
    assert "From the exchanges" in dlg.source.text()
    rows = [[dlg.table.item(r, c).text() for c in range(4)] for r in range(dlg.table.rowCount())]
    assert ["603397.SH", "新上市股", "New listing", "listed 2026-11-28"] in rows
    found = w.service.listing.delisted["600000.SH"]
    assert ["600000.SH", "浦发银行", "Delisted", f"found {found}"] in rows
    # Refresh now asks again (the same day: nothing new) and says so.
    dlg.refresh_button.click()
    qloop.run_until_complete(until(lambda: dlg.task is not None and dlg.task.done(), 30))
    assert dlg.status.text() == (
        "Listing refreshed from the exchanges: no new listings or delistings"
    )
    assert len(exchanges.asked("SZSE")) == 2
    # Enter (or a double-click) adds a new listing to the current list; a delisted one
    # is not added.
    for code in ("603397.SH", "600000.SH"):
        dlg.table.setCurrentCell(next(i for i, r in enumerate(rows) if r[0] == code), 0)
        dlg.table.setFocus()
        QTest.keyClick(dlg.table, Qt.Key.Key_Return)
    assert w.service.watchlists.get("mine") == ["600000.SH", "600519.SH", "603397.SH"]
    assert (
        len(exchanges.asked("SZSE")) == 2 and dlg.refresh_button.isEnabled()
    )  # Enter pressed no button
    dlg.close()


def test_a_failed_refresh_is_said_and_changes_nothing(
    listing_window: MainWindow, qloop: qasync.QEventLoop, exchanges: DocExchanges
) -> None:
    w = listing_window
    qloop.run_until_complete(
        until(lambda: "Listing refreshed" in w.statusBar().message(), 30, "refresh")
    )
    exchanges.broken.update(SSE="http500", SZSE="garbage", BSE="html")
    dlg = w.open_listing()
    before = [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())]
    dlg.refresh_button.click()
    qloop.run_until_complete(until(lambda: dlg.task is not None and dlg.task.done(), 30))
    text = dlg.status.text()
    assert text == (
        "Listing not refreshed: SSE cannot be reached; SZSE answered with something that "
        "is not its listing; BSE answered with something that is not its listing"
    )
    details = dlg.status.toolTip()  # the exact reasons, for whoever asks
    assert "HTTP 500 from" in details and "SZSE: the answer is not a workbook (xlsx)" in details
    assert [dlg.table.item(r, 0).text() for r in range(dlg.table.rowCount())] == before
    assert w.statusBar().message() == text
    dlg.close()
