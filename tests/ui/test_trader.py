"""Everyday use as a trader would: keyboard reordering, removing, adding by pinyin, sorting."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from monitor.core.watchlist import DEFAULT_LIST
from monitor.ui.main_window import MainWindow


def _drive(qloop, fn: Callable[[], object]) -> object:  # type: ignore[no-untyped-def]
    """Run ``fn`` (key presses, clicks) while the event loop runs, as a user's input arrives."""

    async def go() -> object:
        return fn()

    return qloop.run_until_complete(go())


def _selected_rows(window: MainWindow) -> list[int]:
    return sorted({i.row() for i in window.table.selectionModel().selectedRows()})


def _click_row(window: MainWindow, qtbot, row: int) -> None:  # type: ignore[no-untyped-def]
    rect = window.table.visualRect(window.model.index(row, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _key(window: MainWindow, qtbot, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window.table, key, mods)


def test_ctrl_up_down_moves_one_row_keeps_it_selected_and_repeats(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    ctrl = Qt.KeyboardModifier.ControlModifier
    start = list(window.service.watchlists.get(DEFAULT_LIST))
    moving = start[3]
    _drive(qloop, lambda: _click_row(window, qtbot, 3))
    assert window.selected_symbols() == [moving]
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Up, ctrl))
    assert window.service.watchlists.get(DEFAULT_LIST).index(moving) == 2
    assert _selected_rows(window) == [2] and window.selected_symbols() == [moving]
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Up, ctrl))  # again: it repeats
    assert window.service.watchlists.get(DEFAULT_LIST).index(moving) == 1
    assert _selected_rows(window) == [1]
    assert window.table.currentIndex().row() == 1
    for _ in range(3):
        _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Down, ctrl))
    assert window.service.watchlists.get(DEFAULT_LIST).index(moving) == 4
    assert _selected_rows(window) == [4]
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Delete))  # removes that one only
    after = window.service.watchlists.get(DEFAULT_LIST)
    assert moving not in after and len(after) == len(start) - 1
    assert len(_selected_rows(window)) == 1


def test_delete_says_what_went_and_ctrl_z_brings_it_back_selected(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    start = list(window.service.watchlists.get(DEFAULT_LIST))
    row = window.model.row_of("600519.SH")
    assert row is not None
    _drive(qloop, lambda: _click_row(window, qtbot, row))
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Delete))
    said = window.statusBar().message()
    assert "600519.SH 贵州茅台" in said and "Ctrl+Z" in said and "Watchlist" in said, said
    assert window.selected_symbols() == [window.model.symbol_at(row)]  # the next row
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Z, ctrl))
    assert window.service.watchlists.get(DEFAULT_LIST) == start
    assert window.selected_symbols() == ["600519.SH"]
    assert "600519.SH" in window.statusBar().message()
    # Three rows at once: named (up to three), all restored and selected by Ctrl+Z.
    _drive(qloop, lambda: _click_row(window, qtbot, 1))
    rect = window.table.visualRect(window.model.index(3, 1))

    def shift_click() -> None:
        qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, shift, rect.center())

    _drive(qloop, shift_click)
    three = window.selected_symbols()
    assert len(three) == 3
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Delete))
    said = window.statusBar().message()
    assert "3 symbol" in said and all(s in said for s in three), said
    _drive(qloop, lambda: _key(window, qtbot, Qt.Key.Key_Z, ctrl))
    assert window.service.watchlists.get(DEFAULT_LIST) == start
    assert window.selected_symbols() == three and _selected_rows(window) == [1, 2, 3]


def _new_empty_list(window: MainWindow, monkeypatch, name: str = "新列表") -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (name, True))
    window.acts["new_list"].trigger()  # Lists › New list… (Ctrl+N), the name typed
    assert window.current_list() == name


def _wait_index(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import until

    qloop.run_until_complete(until(lambda: window.quick.index is not None, 15, "pinyin index"))


def _type_into(window: MainWindow, qtbot, box, text: str, enter: bool = True) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    box.setFocus()
    qtbot.keyClicks(box, text)
    if enter:
        qtbot.keyClick(box, Qt.Key.Key_Return)


def _ime_commit(box, text: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(box, event)


def test_add_box_takes_pinyin_initials_with_the_quick_search_completion(
    window: MainWindow, qloop, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _wait_index(window, qloop)
    _new_empty_list(window, monkeypatch)
    assert window.quick.index is not None
    quick = [f"{m.symbol}   {m.name}" for m in window.quick.index.search("gzmt", 30)]

    def type_gzmt() -> None:
        _type_into(window, qtbot, window.entry.add_box, "gzmt", enter=False)
        model = window.entry.completer.model()
        assert model.stringList() == quick == ["600519.SH   贵州茅台"]  # type: ignore[attr-defined]
        assert window.entry.completion_popup.isVisible()
        qtbot.keyClick(window.entry.add_box, Qt.Key.Key_Return)  # with the list open: adds at once

    _drive(qloop, type_gzmt)
    assert window.service.watchlists.get("新列表") == ["600519.SH"]
    assert window.entry.add_box.text() == "" and not window.entry.completion_popup.isVisible()
    assert window.selected_symbols() == ["600519.SH"]

    # A name's start, and one of several picked from the list with the arrow keys.
    def type_chinese() -> None:  # as an input method commits it
        window.entry.add_box.setFocus()
        _ime_commit(window.entry.add_box, "中国平安")
        qtbot.keyClick(window.entry.add_box, Qt.Key.Key_Return)

    _drive(qloop, type_chinese)
    assert window.service.watchlists.get("新列表")[-1] == "601318.SH"

    def pick_second() -> None:
        _type_into(window, qtbot, window.entry.add_box, "pa", enter=False)
        second = window.entry.completer.model().stringList()[1]  # type: ignore[attr-defined]
        popup = window.entry.completion_popup
        popup.setCurrentIndex(popup.model().index(1, 0))  # what Down, Down does
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert window.service.watchlists.get("新列表")[-1] == second.split()[0]

    _drive(qloop, pick_second)
    # Ambiguous initials are refused with the count; the box keeps them, selected.
    _drive(qloop, lambda: _type_into(window, qtbot, window.entry.add_box, "mt"))
    assert "matches" in window.statusBar().message()
    assert window.entry.add_box.selectedText() == "mt"


def test_filter_takes_pinyin_initials_and_says_when_nothing_matches(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _wait_index(window, qloop)
    _drive(qloop, lambda: _type_into(window, qtbot, window.entry.filter, "payh", enter=False))
    assert window.model.symbols() and window.model.rowCount() == 1
    assert window.model.symbol_at(0) == "000001.SZ"
    assert not window.pane.no_match.isVisible()
    window.entry.filter.clear()
    _drive(qloop, lambda: _type_into(window, qtbot, window.entry.filter, "xyzq9", enter=False))
    assert window.model.rowCount() == 0 and window.table.isVisible()
    assert window.pane.no_match.isVisible()
    assert window.pane.no_match.text() == "No symbol matches “xyzq9”"
    window.entry.filter.clear()
    assert not window.pane.no_match.isVisible() and window.model.rowCount() == 10


def test_a_refused_code_is_selected_so_the_next_one_replaces_it(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    _wait_index(window, qloop)  # with the completion list, as people type
    master = window.service.master
    unlisted = next(f"{c}" for c in range(603999, 600000, -1) if f"{c}.SH" not in master)
    _drive(qloop, lambda: _type_into(window, qtbot, window.entry.add_box, unlisted))
    assert "Not added" in window.statusBar().message()
    assert window.entry.add_box.selectedText() == unlisted and window.entry.add_box.hasFocus()
    _drive(qloop, lambda: _type_into(window, qtbot, window.entry.add_box, "688981", enter=False))
    assert window.entry.add_box.text() == "688981"
    qtbot.keyClick(window.entry.add_box, Qt.Key.Key_Return)
    assert "688981.SH" in window.service.watchlists.get(DEFAULT_LIST)
    assert window.entry.add_box.text() == ""
    _drive(
        qloop, lambda: _type_into(window, qtbot, window.entry.add_box, "600519")
    )  # already there
    assert window.entry.add_box.text().startswith("600519")  # what it was taken for, if completed
    assert window.entry.add_box.selectedText() == window.entry.add_box.text()
    assert window.selected_symbols() == ["600519.SH"]  # shown where it is


def test_paste_report_sits_above_the_table_and_goes_away_by_itself(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from monitor.ui.dialogs import PasteDialog
    from tests.ui.conftest import until

    banner = window.pane.paste_report
    banner.seconds_warning = 0.5

    def fill_dialog() -> None:
        shown = [d for d in window.findChildren(PasteDialog) if d.isVisible()]
        if not shown:  # not open yet
            QTimer.singleShot(20, fill_dialog)
            return
        shown[0].text.setPlainText("601888\nbogus\n900901")
        shown[0].accept()

    def paste() -> None:
        QTimer.singleShot(50, fill_dialog)
        _key(
            window,
            qtbot,
            Qt.Key.Key_V,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )

    # From Qt's event loop, as a real key press arrives (the dialog runs its own loop).
    QTimer.singleShot(0, paste)
    qloop.run_until_complete(until(banner.isVisible, 5, "the paste report"))
    assert "601888.SH" in window.service.watchlists.get(DEFAULT_LIST)
    assert banner.isVisible() and "'bogus'" in banner.label.text()
    assert not [b for b in window.findChildren(QMessageBox) if b.isVisible()]  # no box over it
    top_left = banner.mapTo(window, banner.rect().topLeft())
    table_top = window.table.mapTo(window, window.table.rect().topLeft()).y()
    assert top_left.y() + banner.height() <= table_top  # above the rows, not over them
    assert not banner.hasFocus() and QApplication.activeModalWidget() is None
    qloop.run_until_complete(until(lambda: not banner.isVisible(), 5, "the report to go"))


def test_the_default_list_is_named_in_the_ui_language_and_keeps_its_key(
    window: MainWindow, qloop
) -> None:  # type: ignore[no-untyped-def]
    import json

    assert window.lists.item(1).text() == "Watchlist"
    assert window.current_list() == DEFAULT_LIST
    window.set_language("zh")
    assert window.lists.item(1).text() == "自选"
    window.set_language("en")
    assert window.lists.item(1).text() == "Watchlist"
    window.service.create_list("Mine")
    saved = json.loads(window.service.paths.watchlists.read_text(encoding="utf-8"))
    assert saved["version"] == 2
    assert saved["lists"][0]["name"] == DEFAULT_LIST and saved["lists"][0]["key"] == "default"
    assert "key" not in saved["lists"][1]


def test_watchlist_files_old_and_new_keep_the_users_names() -> None:
    from monitor.core.watchlist import Watchlists

    old = {"version": 1, "lists": [{"name": "自选", "symbols": ["600519"]}, {"name": "科技"}]}
    wl, problems = Watchlists.from_json(old)
    assert not problems and wl.is_builtin(DEFAULT_LIST) and not wl.is_builtin("科技")
    assert wl.get(DEFAULT_LIST) == ["600519.SH"]
    again, _ = Watchlists.from_json(wl.to_json())
    assert again.is_builtin(DEFAULT_LIST) and again.names() == ["自选", "科技"]
    # A list the user named 自选 (the built-in one renamed away) stays theirs.
    wl.rename(DEFAULT_LIST, "Core")
    wl.create("自选")
    assert not wl.is_builtin("自选") and not wl.is_builtin("Core")
    mine, _ = Watchlists.from_json(wl.to_json())
    assert not mine.is_builtin("自选") and mine.names() == ["Core", "科技", "自选"]
    fresh = Watchlists()
    assert fresh.is_builtin(DEFAULT_LIST)
    pos, syms = fresh.delete(DEFAULT_LIST) if len(fresh.lists) > 1 else (0, [])
    assert (pos, syms) == (0, [])


def test_refuses_a_second_list_shown_as_watchlist_and_renames_by_label(
    window: MainWindow, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QInputDialog

    answers = iter([("Watchlist", True), ("Watchlist", True), ("Core", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    notes: list[str] = []
    monkeypatch.setattr(window, "notify", lambda _t, text: notes.append(text))
    window.commands.new_list()
    assert notes and "Watchlist" in notes[0] and window.service.watchlists.names() == [DEFAULT_LIST]
    window.lists.setCurrentRow(1)
    window.commands.rename_list()  # unchanged label: nothing renamed, still the built-in list
    assert window.service.watchlists.is_builtin(DEFAULT_LIST)
    window.commands.rename_list()
    assert window.service.watchlists.names() == ["Core"] and window.lists.item(1).text() == "Core"


def _click_header(window: MainWindow, qtbot, key: str) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint

    from monitor.ui.columns import column_index

    hh = window.table.horizontalHeader()
    i = column_index(key)
    pos = QPoint(hh.sectionViewportPosition(i) + hh.sectionSize(i) // 2, hh.height() // 2)
    qtbot.mouseClick(hh.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_first_click_sorts_numbers_descending_and_text_ascending(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import until

    book = window.service.book
    qloop.run_until_complete(
        until(lambda: all(book.quote(s).change_pct is not None for s in window.model.symbols()))  # type: ignore[union-attr]
    )
    hh = window.table.horizontalHeader()
    for key in ("change_pct", "last", "volume"):
        _drive(qloop, lambda key=key: _click_header(window, qtbot, key))
        assert hh.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder, key
    # Hold the prices still while the order is read: the feed applies ticks to the book
    # whatever the UI timer does, so stop the feed (the window keeps the last prices).
    qloop.run_until_complete(window.service.stop())
    window.timer.stop()
    _drive(qloop, lambda: _click_header(window, qtbot, "change_pct"))
    _drive(qloop, lambda: _click_header(window, qtbot, "change_pct"))  # 2nd click: ascending
    assert hh.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    _drive(qloop, lambda: _click_header(window, qtbot, "change_pct"))
    pcts = [book.quote(window.model.symbol_at(r)).change_pct for r in range(10)]  # type: ignore[union-attr,arg-type]
    assert pcts == sorted(pcts, reverse=True)  # gainers first
    _drive(qloop, lambda: _click_header(window, qtbot, "name"))
    assert hh.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    window.timer.start()


def test_volume_in_lots_in_chinese_shares_selectable_and_numbers_never_clipped(
    window: MainWindow, qloop, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtGui import QFontMetrics
    from PySide6.QtWidgets import QApplication, QMenu

    from monitor.ui.columns import column_index
    from monitor.ui.delegates import fit_text
    from monitor.ui.quote_model import fmt_big
    from tests.ui.conftest import until

    book = window.service.book
    vol_col = column_index("volume")
    qloop.run_until_complete(until(lambda: book.quote("600519.SH").volume > 0))  # type: ignore[union-attr]
    qloop.run_until_complete(window.service.stop())  # the volume stays still while compared
    window.timer.stop()
    row = window.model.row_of("600519.SH")
    assert row is not None

    def shown() -> str:
        return str(window.model.data(window.model.index(row, vol_col)))

    volume = book.quote("600519.SH").volume  # type: ignore[union-attr]
    assert shown() == fmt_big(volume, "en")  # English: shares by default
    window.set_language("zh")
    assert shown() == fmt_big(volume / 100, "zh")  # Chinese: 手
    assert window.model.headerData(vol_col, Qt.Orientation.Horizontal) == "成交量(手)"
    assert fmt_big(123_456_789.0, "zh") == "1.23亿"  # turnover in 万/亿
    window.set_language("en")

    def choose_lots() -> None:  # the header's context menu: "Volume in lots"
        def pick() -> None:
            menu = QApplication.activePopupWidget()
            assert isinstance(menu, QMenu)
            action = next(a for a in menu.actions() if a.text().startswith("Volume in lots"))
            action.trigger()
            menu.close()

        QTimer.singleShot(50, pick)
        hh = window.table.horizontalHeader()
        hh.customContextMenuRequested.emit(QPoint(hh.sectionViewportPosition(vol_col) + 5, 5))

    QTimer.singleShot(0, choose_lots)  # from Qt's event loop: the menu runs its own loop
    qloop.run_until_complete(until(lambda: window.model.volume_lots, 5, "lots chosen"))
    assert shown() == fmt_big(volume / 100, "en")
    assert window.model.headerData(vol_col, Qt.Orientation.Horizontal) == "Volume (lots)"
    assert window.service.settings.ui["volume_unit"] == "lots"
    # Chg %: the default width shows a new listing's +283.65 % whole, in bold too.
    font = window.table.font()
    font.setBold(True)
    fm = QFontMetrics(font)
    width = window.table.columnWidth(column_index("change_pct")) - 12
    assert fit_text("+283.65%", fm, width, True) == "+283.65%"
    assert fit_text("+1283.65%", fm, fm.horizontalAdvance("+1284%"), True) == "+1284%"
    assert fit_text("+283.65%", fm, 5, True) == "##"  # never a cut-off, misleading "+28"
    window.timer.start()


def test_settings_offer_the_volume_unit(window: MainWindow) -> None:
    from monitor.ui.dialogs import SettingsDialog

    dlg = SettingsDialog(window.service.settings, None, "keyring", window)
    assert dlg.volume_unit.currentData() == "auto"
    dlg.volume_unit.setCurrentIndex(dlg.volume_unit.findData("shares"))
    assert dlg.value().ui["volume_unit"] == "shares"
    dlg.deleteLater()


def test_export_is_named_after_the_list_and_readable_by_others(
    window: MainWindow, qloop, qtbot, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt
    import os
    import re

    from PySide6.QtWidgets import QFileDialog

    from monitor.core.quotes import SHANGHAI

    window.service.clock = lambda: dt.datetime(2026, 3, 2, 10, 31, 5, tzinfo=SHANGHAI)
    asked: list[str] = []
    out = tmp_path / "snap.csv"

    def save_dialog(_parent, _title, default, _filter):  # type: ignore[no-untyped-def]
        asked.append(default)
        return str(out), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    old = os.umask(0o022)
    try:
        _drive(
            qloop, lambda: _key(window, qtbot, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        )
    finally:
        os.umask(old)
    assert re.search(r"[/\\]Watchlist-20260302-103105\.csv$", asked[0]), asked
    assert out.exists() and (out.stat().st_mode & 0o777) == 0o644
    window.set_language("zh")
    assert window.export_file_name(window.list_label(DEFAULT_LIST)) == "自选-20260302-103105.csv"
    assert window.export_file_name("A/B: x") == "A_B_ x-20260302-103105.csv"


def test_csv_export_modes_follow_the_umask_and_keep_an_existing_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os

    from monitor.core.export import export_csv

    old = os.umask(0o027)
    try:
        export_csv(tmp_path / "a.csv", [])
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o640
        (tmp_path / "a.csv").chmod(0o664)
        export_csv(tmp_path / "a.csv", [])
        assert (tmp_path / "a.csv").stat().st_mode & 0o777 == 0o664
    finally:
        os.umask(old)
