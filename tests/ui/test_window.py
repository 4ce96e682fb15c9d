"""The real window on the embedded simulator, offscreen, as a user drives it."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from monitor.core.breadth import MAIN_INDICES
from monitor.core.quotes import SHANGHAI
from monitor.core.settings import Settings
from monitor.core.watchlist import DEFAULT_LIST
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService
from monitor.ui.columns import column_index
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until

INDICES = len(MAIN_INDICES)  # the breadth bar's indices ride on every subscription


def test_starts_on_the_simulator_with_live_rows_badged(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    qloop.run_until_complete(window.first_row_painted)
    assert window.entry.sim_badge.isVisible()
    assert window.model.rowCount() == 10
    # The indices join once the simulator's symbol list has named them: wait for them too.
    qloop.run_until_complete(
        until(lambda: (h := window.service.health()) is not None and h.receiving == 10 + INDICES)
    )
    window.status.refresh()
    assert f"subscribed {10 + INDICES}" in window.status.subs.text()  # the list + indices


def test_adding_and_removing_changes_the_live_subscription(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    sim = window.service.source.sim
    assert sim is not None
    base = len(sim.requests)

    async def type_code() -> None:  # keyboard input while the loop runs
        qtbot.keyClicks(window.entry.add_box, "sh688981")
        qtbot.keyClick(window.entry.add_box, Qt.Key.Key_Return)

    qloop.run_until_complete(type_code())
    assert "688981.SH" in window.service.watchlists.get(DEFAULT_LIST)
    qloop.run_until_complete(
        until(
            lambda: len(sim.requests) > base and sim.requests[-1][2] == 11 + INDICES,
            what="22004 with 11 codes at the simulator",
        )
    )
    window.select_symbol("688981.SH")

    async def press_delete() -> None:
        window.table.setFocus()
        qtbot.keyClick(window.table, Qt.Key.Key_Delete)

    qloop.run_until_complete(press_delete())
    assert "688981.SH" not in window.service.watchlists.get(DEFAULT_LIST)
    qloop.run_until_complete(
        until(lambda: sim.requests[-1][2] == 10 + INDICES, what="back to the 10 codes")
    )
    window.undo.undo()  # undo the removal
    assert "688981.SH" in window.service.watchlists.get(DEFAULT_LIST)
    qloop.run_until_complete(until(lambda: sim.requests[-1][2] == 11 + INDICES))
    saved = json.loads(window.service.paths.watchlists.read_text())
    assert "688981.SH" in saved["lists"][0]["symbols"]


def test_add_by_name(window: MainWindow) -> None:
    rep = window.resolve("中芯国际")
    assert rep.symbols == ("688981.SH",)
    assert window.resolve("无此股票").errors


def test_paste_with_bad_entries_reports_each(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    async def paste():  # type: ignore[no-untyped-def]
        return window.paste_text("600519\n601888, 002352\nbogus\n900901\n600519", DEFAULT_LIST)

    added, _rep = qloop.run_until_complete(paste())
    assert added == ["601888.SH", "002352.SZ"]
    report = window.commands.last_paste_report
    assert "Added 2" in report and "'bogus'" in report and "B-share" in report
    assert "1 already in the list or repeated" in report or "2 already" in report


def test_a_long_junk_token_in_a_paste_does_not_widen_the_window(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    junk = "x9" * 100  # 200 characters, no space to wrap at

    async def paste():  # type: ignore[no-untyped-def]
        return window.paste_text(f"600519\n{junk}", DEFAULT_LIST)

    before = window.width()
    qloop.run_until_complete(paste())
    banner = window.pane.paste_report
    assert banner.isVisible() and junk in banner.label.toolTip()
    assert "…" in banner.label.text() and junk not in banner.label.text()
    assert banner.label.minimumSizeHint().width() < 500
    assert window.minimumSizeHint().width() <= max(before, 1000)


def test_sorting_by_change_pct_is_numeric_while_streaming(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    window.lists.setCurrentRow(0)  # all market
    qloop.run_until_complete(until(lambda: window.model.rowCount() == 600))
    book = window.service.book
    qloop.run_until_complete(
        until(
            lambda: (
                sum(1 for s in window.model.symbols() if book.quote(s).change_pct is not None) > 550
            ),  # type: ignore[union-attr]
            20,  # paced by the simulator's K-line plan; slower on a loaded machine
            what="previous closes from the K-line endpoint",
        )
    )
    window.table.sortByColumn(column_index("change_pct"), Qt.SortOrder.DescendingOrder)
    qloop.run_until_complete(until(lambda: window.model.flushes > 10))
    # Stop the feed, so no price moves between the last sort and the read.
    qloop.run_until_complete(window.service.stop())
    col = column_index("change_pct")
    window.model.sort(col, Qt.SortOrder.DescendingOrder)
    values = [
        window.model.data(window.model.index(r, col), window.model.SortRole) for r in range(600)
    ]
    known = [v for v in values if v == v]  # drop NaN (shown last)
    assert known == sorted(known, reverse=True)
    assert len(known) > 400


def test_export_from_the_window_is_excel_safe(window: MainWindow, qloop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    qloop.run_until_complete(
        until(lambda: (h := window.service.health()) is not None and h.receiving == 10 + INDICES)
    )
    out = tmp_path / "view.csv"
    assert window.export_to(out, window.model.symbols()) == 10
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "代码" if window.lang == "zh" else rows[0][0] == "code"
    assert any("贵州茅台" in r for r in rows)
    assert window.service.settings.export_dir == str(tmp_path)  # the dialog remembers the folder


def test_settings_round_trip_and_live_reconnect(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    core = window.service
    new = core.settings.with_(red_up=False, refresh_hz=10, sim_symbols=300)
    qloop.run_until_complete(window.apply_settings(new, None))
    qloop.run_until_complete(
        until(lambda: core.state is not None and core.state.phase.value == "live")
    )
    assert len(core.source.sim.market) == 300  # type: ignore[union-attr]
    loaded, problems = Settings.load(core.paths.settings)
    assert not problems and loaded.red_up is False and loaded.refresh_hz == 10
    assert window.timer.interval() == 100


def test_lists_and_layout_survive_a_restart(window: MainWindow, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    core = window.service
    core.create_list("科技", ["688981.SH", "688111.SH"])
    assert window.current_list() == "科技"  # a new list is shown
    window.table.horizontalHeader().setSectionHidden(column_index("open"), True)
    window.close()
    qloop.run_until_complete(core.stop())
    core2 = MonitorService(core.paths)
    w2 = MainWindow(core2)
    qloop.run_until_complete(w2.start())
    try:
        assert w2.current_list() == "科技"
        assert w2.model.symbols() == ["688981.SH", "688111.SH"]
        assert w2.table.horizontalHeader().isSectionHidden(column_index("open"))
    finally:
        w2.close()
        qloop.run_until_complete(core2.close())


def test_corrupt_files_are_kept_and_reported(paths: Paths) -> None:
    paths.config.mkdir(parents=True)
    paths.watchlists.write_text('{"lists": [{"name": "mine", "symbols": ["600519"')
    paths.settings.write_text("not json")
    core = MonitorService(paths)
    assert core.watchlists.names() == [DEFAULT_LIST]
    assert any("damaged" in m for m in core.notes.messages)
    backups = sorted(p.name for p in paths.config.iterdir() if ".corrupt-" in p.name)
    assert len(backups) == 2
    assert (paths.config / backups[1]).read_text().startswith('{"lists"')


def test_token_file_is_private_and_not_in_settings(paths: Paths) -> None:
    from monitor.platform.secrets import TokenStore

    store = TokenStore(paths.secrets, use_keyring=False)
    store.set("alltick", "tok-123456")
    assert oct(os.stat(paths.secrets).st_mode & 0o777) == "0o600"
    assert store.get("alltick") == "tok-123456"
    Settings(provider="alltick").save(paths.settings)
    assert "tok-123456" not in paths.settings.read_text()


def test_reorder_by_drag_moves_within_the_list_and_undoes(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    lst = window.service.watchlists.get(DEFAULT_LIST)
    first_two = lst[:2]
    assert window.model.reorderable
    assert window.model.flags(window.model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled

    async def drop() -> None:
        window.reorder(first_two, 5)  # what a drop of rows 0-1 onto row 5 emits

    qloop.run_until_complete(drop())
    lst = window.service.watchlists.get(DEFAULT_LIST)
    assert lst[3:5] == first_two
    assert window.model.symbols() == lst
    assert json.loads(window.service.paths.watchlists.read_text())["lists"][0]["symbols"] == lst
    qloop.run_until_complete(__import__("asyncio").sleep(0))
    window.undo.undo()
    assert window.service.watchlists.get(DEFAULT_LIST)[:2] == first_two
    window.table.sortByColumn(column_index("last"), Qt.SortOrder.AscendingOrder)
    assert not window.model.reorderable  # sorted: dragging would be ambiguous


def test_alltick_provider_with_token_from_settings(qloop, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    from monitor.feed.simulator import SimConfig, Simulator
    from monitor.platform.secrets import TokenStore

    sim = Simulator(SimConfig(symbols=200, token="tok-abc-123", rate=2000))
    qloop.run_until_complete(sim.start())
    try:
        Settings(
            provider="alltick", alltick_url=sim.url("alltick"), alltick_http_url=sim.http_base
        ).save(paths.settings)
        TokenStore(paths.secrets, use_keyring=False).set("alltick", "tok-abc-123")
        core = MonitorService(paths)
        core.tokens = TokenStore(paths.secrets, use_keyring=False)
        w = MainWindow(core)
        qloop.run_until_complete(w.start())
        try:
            assert not w.entry.sim_badge.isVisible()
            qloop.run_until_complete(
                until(lambda: (h := core.health()) is not None and h.receiving == 10 + INDICES)
            )
            qloop.run_until_complete(
                until(
                    lambda: all(
                        core.book.quote(s).change_pct is not None for s in w.model.symbols()
                    ),  # type: ignore[union-attr]
                    what="previous closes over HTTP",
                )
            )
            assert "tok-abc-123" not in w.windowTitle()
        finally:
            w.close()
            qloop.run_until_complete(core.close())
    finally:
        qloop.run_until_complete(sim.stop())


def test_bad_input_from_people_gets_clear_messages_and_loses_nothing(
    window: MainWindow, qloop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.reliability import REPORT, Row

    core = window.service
    before = (
        json.loads(core.paths.watchlists.read_text()) if core.paths.watchlists.exists() else None
    )
    listed = core.master.symbols()
    unlisted = next(f"{c}.SH" for c in range(603999, 600000, -1) if f"{c}.SH" not in core.master)
    lines = []
    for i in range(10_000):  # a 10,000-line paste: listed codes, repeats, garbage, other markets
        lines.append([listed[i % 300], "AAPL", "00700.HK", f"junk{i}", "999999", unlisted][i % 6])

    async def paste():  # type: ignore[no-untyped-def]
        return window.paste_text("\n".join(lines), DEFAULT_LIST)

    added, rep = qloop.run_until_complete(paste())
    report = window.commands.last_paste_report
    assert len(set(window.service.watchlists.get(DEFAULT_LIST))) == len(
        window.service.watchlists.get(DEFAULT_LIST)
    )
    assert "'AAPL'" in report and "'00700.HK'" in report and "not in the symbol list" in report
    assert len(report.splitlines()) < 20  # thousands of rejections summarised by reason
    # Malformed imports: a binary file and a CSV with no codes; nothing saved is lost.
    saved = list(window.service.watchlists.get(DEFAULT_LIST))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    empty = tmp_path / "empty.txt"
    empty.write_text("code,name\nfoo,bar\n")
    from PySide6.QtWidgets import QApplication, QMessageBox

    def shown_boxes() -> list[str]:
        return [
            w.text()
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]

    boxes0 = len(shown_boxes())
    assert window.import_list_file(bad) is None
    assert window.import_list_file(empty) is None
    said = shown_boxes()[boxes0:]
    lists_intact = window.service.watchlists.get(DEFAULT_LIST) == saved
    assert lists_intact
    REPORT.count("bad inputs tried", 10_000 + 2)
    REPORT.count("faults injected")
    first_line = report.splitlines()[0] if report else ""
    REPORT.add(
        Row(
            "people",
            "paste of 10,000 lines: repeats, garbage, US/HK codes, unlisted codes",
            f"{first_line} … ({len(report.splitlines())} lines, grouped by reason)",
            True,
            None,
            "—",
            {"no duplicates in the list": True, "garbage named": "'AAPL'" in report},
            f"{len(added)} added, {len(rep.errors):,} rejected, list intact",
        )
    )
    REPORT.count("faults injected")
    REPORT.add(
        Row(
            "people",
            "import of a binary file and of a CSV without codes",
            " / ".join(s.replace("\n", " ").replace(str(tmp_path) + "/", "") for s in said)
            or "(nothing said)",
            True,
            None,
            "—",
            {"lists unchanged": lists_intact, "each said why": len(said) == 2},
            "lists unchanged",
        )
    )
    assert before is None or before != {}


def test_quick_search_by_pinyin_adds_to_the_current_list(window: MainWindow, qloop, qtbot) -> None:  # type: ignore[no-untyped-def]
    core = window.service
    core.watchlists.create("新列表")
    window.lists.reload("新列表")
    qloop.run_until_complete(until(lambda: window.quick.index is not None, 15, "pinyin index"))

    async def type_payh() -> None:
        window.table.setFocus()
        qtbot.keyClicks(window.table, "p")
        qtbot.keyClicks(window.quick.edit, "ayh")
        assert window.quick.isVisible()
        assert window.quick.results.currentItem().text().startswith("000001.SZ")
        qtbot.keyClick(window.quick.edit, Qt.Key.Key_Return)

    qloop.run_until_complete(type_payh())
    assert core.watchlists.get("新列表") == ["000001.SZ"]
    assert not window.quick.isVisible()
    assert window.selected_symbols() == ["000001.SZ"]


def test_status_shows_lunch_break_and_holidays(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from monitor.core.quotes import SHANGHAI

    qloop.run_until_complete(until(lambda: window.service.calendar is not None, what="calendar"))
    window.service.clock = lambda: dt.datetime(2026, 11, 25, 12, 0, tzinfo=SHANGHAI)
    window.status.refresh()
    assert "Lunch break" in window.status.session.text()
    window.service.clock = lambda: dt.datetime(2026, 10, 1, 10, 0, tzinfo=SHANGHAI)
    window.status.refresh()
    assert "Closed (holiday)" in window.status.session.text()
    assert "next open 10-08 09:30" in window.status.session.text()
    window.set_language("zh")
    assert "休市（节假日）" in window.status.session.text()
    assert "下次开盘 10-08 09:30" in window.status.session.text()


def test_alert_fires_once_reaches_the_log_and_persists(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    core = window.service
    sym = "600519.SH"
    qloop.run_until_complete(until(lambda: (q := core.book.quote(sym)) is not None and q.last))
    last = core.book.quote(sym).last  # type: ignore[union-attr]
    assert window.add_alert(
        sym, "price_above", round(last * 0.9, 2)
    )  # already true: fires on the next tick
    assert not window.add_alert(sym, "price_above", None)  # refused with a reason, not saved
    qloop.run_until_complete(until(lambda: window.alert_log.count() == 1, what="alert in the log"))
    ticks = core.book.quote(sym).ticks  # type: ignore[union-attr]
    qloop.run_until_complete(until(lambda: core.book.quote(sym).ticks > ticks + 3, timeout=20))  # type: ignore[union-attr]
    assert window.alert_log.count() == 1  # one-shot: not again at the tick rate
    assert "贵州茅台" in window.alert_log.item(0).text()
    saved = json.loads(core.paths.alerts.read_text())
    assert saved[0]["symbol"] == sym and saved[0]["armed"] is False
    # Said in the window itself (the tray may not exist), and kept across a restart.
    assert window.pane.alert_banner.isVisible()
    assert "贵州茅台" in window.pane.alert_banner.label.text()
    line = window.alert_log.item(0).text()
    window.close()
    qloop.run_until_complete(core.close())
    again = MonitorService(core.paths)
    w2 = MainWindow(again)
    try:
        assert w2.alert_log.count() == 1 and w2.alert_log.item(0).text() == line
        assert not w2.pane.alert_banner.isVisible()  # an old alert is not news
    finally:
        w2.close()
        qloop.run_until_complete(again.close())


def _alltick_service(
    paths: Paths, srv: object, watchlist: list[str] | None = None
) -> MonitorService:
    """The service on a doc-written AllTick server (English UI), with the token saved."""
    from monitor.platform.secrets import TokenStore

    url, http = srv.url, srv.http_base  # type: ignore[attr-defined]
    Settings(provider="alltick", alltick_url=url, alltick_http_url=http, language="en").save(
        paths.settings
    )
    TokenStore(paths.secrets, use_keyring=False).set("alltick", "T")
    core = MonitorService(paths)
    if watchlist is not None:
        core.watchlists.replace(DEFAULT_LIST, watchlist)
    return core


def test_what_is_missing_is_said_in_the_status_bar(qloop, paths, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A provider with no K-line for some codes: the bar says previous closes are missing."""
    from monitor.core.watchlist import DEFAULT_SYMBOLS
    from tests.servers.alltick_doc import DocAllTick

    served = {s: 10.0 + i for i, s in enumerate(DEFAULT_SYMBOLS[:5])}  # half the list
    srv = DocAllTick(universe=served, push_interval=0.1, min_interval=0.1, cross_interval=0.0)
    qloop.run_until_complete(srv.__aenter__())
    try:
        core = _alltick_service(paths, srv)
        w = MainWindow(core)
        w.show()
        qloop.run_until_complete(w.start())
        try:
            qloop.run_until_complete(
                until(
                    # The 5 stocks this server has no K-line for, and the 5 indices (asked
                    # for on AllTick too: one it refused would be found and left out).
                    lambda: "no previous close for 10 symbols" in w.status.conn.text(),
                    15,
                    "the note",
                )
            )
            assert "no daily K-line before today" in w.status.conn.toolTip()
            assert core.subscribed_indices == list(MAIN_INDICES)
        finally:
            w.close()
            qloop.run_until_complete(core.close())
    finally:
        qloop.run_until_complete(srv.__aexit__())


def test_a_code_the_provider_refuses_is_flagged_and_the_rest_priced(qloop, paths, qtbot) -> None:  # type: ignore[no-untyped-def]
    """AllTick refuses a whole subscription for one code it does not serve (600): the row
    says so, the status does not claim Live while it is being found, the rest is priced."""
    from monitor.core.watchlist import DEFAULT_SYMBOLS
    from tests.servers.alltick_doc import DocAllTick

    refused = "600000.SH"  # 浦发银行
    served = {s: 10.0 + i for i, s in enumerate(DEFAULT_SYMBOLS)}
    srv = DocAllTick(universe=served, unserved=[refused], push_interval=0.05)
    qloop.run_until_complete(srv.__aenter__())
    try:
        core = _alltick_service(paths, srv, [*DEFAULT_SYMBOLS, refused])
        w = MainWindow(core)
        w.show()
        qloop.run_until_complete(w.start())
        said: list[str] = []
        try:

            def found() -> bool:
                said.append(w.status.conn.text())
                return core.not_served == {refused}

            qloop.run_until_complete(until(found, 30, "the refused code found"))
            assert any("finding which" in t for t in said)
            assert not any("Live" in t for t in said if "finding" in t)
            m = w.model
            qloop.run_until_complete(
                until(
                    lambda: (
                        (r := m.row_of(refused)) is not None
                        and m.data(m.index(r, column_index("name"))) == "[not served] 浦发银行"
                    ),
                    5,
                    "the row flagged",
                )
            )
            r = m.row_of(refused)
            assert r is not None
            assert "Not served by this provider" in m.data(
                m.index(r, column_index("name")), Qt.ItemDataRole.ToolTipRole
            )
            qloop.run_until_complete(
                until(lambda: "not served by this provider" in w.status.conn.text(), 5)
            )
            assert all(
                (q := core.book.quote(s)) is not None and q.last is not None
                for s in DEFAULT_SYMBOLS
            )
        finally:
            w.close()
            qloop.run_until_complete(core.close())
    finally:
        qloop.run_until_complete(srv.__aexit__())


def test_a_symbol_list_imported_in_the_window_extends_the_whole_market(
    window: MainWindow, qloop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    csv_file = tmp_path / "broker.csv"
    csv_file.write_text("代码,名称\n920001,北交新股\nnot-a-code,x\n", encoding="utf-8")
    assert window.import_listing_file(csv_file) == 1
    assert "1 codes from broker.csv" in window.statusBar().message()
    assert "1 lines skipped" in window.statusBar().message()
    assert window.service.master.name("920001.BJ") == "北交新股"
    bad = tmp_path / "bad.csv"
    bad.write_text("AAPL,Apple\n")
    assert window.import_listing_file(bad) is None  # said in a box, nothing changed


def test_record_in_the_window_then_replay_the_day(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    from monitor.feed.recording import count_ticks

    service = window.service
    window.acts["record"].trigger()  # File › Record ticks: on, on the running session
    qloop.run_until_complete(until(lambda: service.recording() is not None, what="recording"))
    rec = service.recording()
    assert rec is not None
    qloop.run_until_complete(until(lambda: rec.recorded >= 200, 15, "200 ticks recorded"))
    window.status.refresh()
    assert window.status.rec.isVisible() and "REC" in window.status.rec.text()
    path = rec.path
    assert path is not None and path.parent == service.paths.recordings
    assert path.name.endswith(".sqlite")
    window.acts["record"].trigger()  # off: everything buffered is committed
    qloop.run_until_complete(until(lambda: service.recording() is None, what="recording off"))
    window.status.refresh()
    assert not window.status.rec.isVisible()
    recorded = count_ticks(path)
    assert recorded >= rec.recorded >= 200
    assert json.loads(service.paths.settings.read_text())["record_ticks"] is False

    assert qloop.run_until_complete(window.commands.replay_file(path, speed=None))
    assert service.replaying is not None and window.acts["leave_replay"].isEnabled()
    window.acts["record"].trigger()  # recording is on in the settings, but a replay ...
    qloop.run_until_complete(until(lambda: service.settings.record_ticks, what="setting on"))
    assert service.recording() is None  # ... is never recorded again
    server = service.replaying.server
    assert server is not None
    qloop.run_until_complete(until(lambda: server.finished.is_set(), 20, "the day played"))
    window.status.refresh()
    assert window.status.session.text().startswith("Replay ")
    assert "ended" in window.status.session.text()
    # Recorded prices are never shown as live: the connection says it is a replay.
    qloop.run_until_complete(until(lambda: service.state is not None, 5))
    window.status.refresh()
    assert "Live" not in window.status.conn.text()
    assert "Replay ended" in window.status.conn.text()
    # The session's clock is the replay's: the recorded time, not the wall clock.
    assert service.now().timestamp() * 1000 == pytest.approx(server.clock_ms, abs=1)
    book = service.book
    shown = [s for s in window.model.symbols() if (q := book.quote(s)) and q.ticks]
    assert shown  # the recorded symbols are live again, from the file
    # Jump back to the first recorded second: a new session replays from there.
    first = dt.datetime.fromtimestamp(server.first_ms / 1000, SHANGHAI).strftime("%H:%M:%S")  # type: ignore[operator]
    assert not window.commands.seek_to("25:99")  # not a time: said, nothing changes
    assert window.commands.seek_to(first)
    qloop.run_until_complete(
        until(lambda: service.replaying is not None and service.replaying.server is not server)
    )
    again = service.replaying.server  # type: ignore[union-attr]
    assert again is not None
    qloop.run_until_complete(until(lambda: again.finished.is_set(), 20, "played again"))
    assert again.played == recorded  # the whole day again, from its first second
    window.commands.leave_replay()
    qloop.run_until_complete(until(lambda: service.replaying is None and service.simulated))


def test_a_long_status_message_is_cut_at_a_word_with_the_whole_in_the_tooltip(
    window: MainWindow, qloop
) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Listing not refreshed: the exchanges cannot be reached; the listing as of "
        "2025-08-08 stays in use"
    )
    window.resize(900, 600)
    bar = window.statusBar()
    bar.showMessage(text)
    shown = bar.currentMessage()
    assert shown != text and shown.endswith("…")
    assert text.startswith(shown[:-1]) and text[len(shown) - 1] == " "  # whole words only
    assert bar.toolTip() == text and bar.message() == text
    window.resize(2400, 600)
    bar.showMessage(text)
    assert bar.currentMessage() == text
