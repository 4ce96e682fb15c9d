"""Languages, themes, discreet mode, shortcuts and the alert rule editor, on a live window."""

from __future__ import annotations

import json
import re
import wave
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from monitor.ui.dialogs import AlertDialog, PasteDialog, SettingsDialog, ShortcutsDialog
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until

CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"[A-Za-z]{2,}")
# Words that are the same in both languages: codes, units, brand and product names.
NEUTRAL = re.compile(
    r"\S+://\S+|/[^\s（）()]+|\b(\d{6}\.(SH|SZ|BJ)|(sh|sz|bj)\d{6}|AllTick|WebSocket|HTTP|CSV|TXT|WAV|JSON|ST|Ctrl|Shift|s)\b"
)


def _english_words(text: str) -> bool:
    plain = re.sub(r"<[^>]+>|&\w+;", "", text)  # rich text: tags and entities
    return bool(WORD.search(NEUTRAL.sub("", plain)))


def widget_texts(root: QWidget) -> dict[str, str]:
    """Every string a user can see in ``root``: labels, buttons, placeholders, tabs, headers."""
    out: dict[str, str] = {}
    for i, w in enumerate(root.findChildren(QWidget)):
        if not w.isVisibleTo(root):
            continue
        name = f"{type(w).__name__}#{i}"
        if (isinstance(w, QLabel) and w.text()) or (isinstance(w, QAbstractButton) and w.text()):
            out[name] = w.text()
        elif isinstance(w, QLineEdit) and w.placeholderText():
            out[name + ".placeholder"] = w.placeholderText()
        if isinstance(w, QTabWidget):
            for t in range(w.count()):
                out[f"{name}.tab{t}"] = w.tabText(t)
        if isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                item = w.horizontalHeaderItem(c)
                if item is not None:
                    out[f"{name}.header{c}"] = item.text()
    if root.windowTitle():
        out["title"] = root.windowTitle()
    return out


def window_texts(w: MainWindow) -> dict[str, str]:
    out = widget_texts(w)
    for key, menu in w.menus.menus.items():
        out[f"menu:{key}"] = menu.title()
    for key, action in w.acts.items():
        out[f"action:{key}"] = action.text()
    for c in range(w.model.columnCount()):
        out[f"column{c}"] = str(w.model.headerData(c, Qt.Orientation.Horizontal))
    out["list0"] = w.lists.item(0).text()
    out["quick"] = w.quick.edit.placeholderText()
    out["filter"] = w.entry.filter.placeholderText()
    return out


def test_switching_to_chinese_changes_every_visible_string(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    qloop.run_until_complete(
        until(lambda: (h := window.service.health()) is not None and h.receiving > 0)
    )
    window.alerts_panel.add_rule("600519.SH", "limit_up", None)
    window.status.refresh()
    en = window_texts(window)
    english = {k: v for k, v in en.items() if _english_words(v) and k != "action:lang_en"}
    assert len(english) > 60  # menus, actions, columns, status bar, buttons, tabs …
    window.set_language("zh")
    zh = window_texts(window)
    still_english = {k: zh.get(k) for k in english if _english_words(zh.get(k, ""))}
    assert not still_english
    assert all(CJK.search(zh[k]) for k in english if k in zh)
    assert window.service.settings.language == "zh"  # the choice is saved
    window.set_language("en")
    assert window_texts(window)["menu:file"] == "&File"


@pytest.mark.parametrize("dialog", ["settings", "alert", "paste", "shortcuts"])
def test_dialogs_open_in_the_chosen_language(window: MainWindow, dialog: str) -> None:
    window.set_language("zh")
    dlg: QWidget = {
        "settings": lambda: SettingsDialog(
            window.service.settings, None, window.token_place(), window
        ),
        "alert": lambda: AlertDialog("600519.SH", 1700.0, window),
        "paste": lambda: PasteDialog("自选", window),
        "shortcuts": lambda: ShortcutsDialog(window.shortcut_rows(), window),
    }[dialog]()
    texts = widget_texts(dlg)
    assert texts
    leftover = {k: v for k, v in texts.items() if _english_words(v) and v != "English"}
    assert not leftover
    dlg.deleteLater()


def test_language_follows_the_system_locale() -> None:
    from PySide6.QtCore import QLocale

    from monitor.ui.i18n import resolve_language

    assert resolve_language("auto", QLocale("zh_CN")) == "zh"
    assert resolve_language("auto", QLocale("zh_TW")) == "zh"
    assert resolve_language("auto", QLocale("en_US")) == "en"
    assert resolve_language("en", QLocale("zh_CN")) == "en"


def test_translation_sources_are_complete_and_current() -> None:
    """Every tr() string in the code is in the .ts, translated, and none is left over."""
    import importlib.util

    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location("i18n_tool", root / "packaging" / "i18n.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.check() == []


def _lightness(role: QPalette.ColorRole) -> int:
    return QApplication.palette().color(role).lightness()


def test_dark_and_light_themes(window: MainWindow) -> None:
    window.set_theme("dark")
    assert _lightness(QPalette.ColorRole.Window) < 80
    assert _lightness(QPalette.ColorRole.Text) > 180
    up = window.model.palette.up
    assert up.red() > 200 and up.green() < 120  # still red for up, brighter on dark
    assert window.chart.layout_widget.backgroundBrush().color().lightness() < 60
    assert window.service.settings.theme == "dark"
    assert window.acts["theme_dark"].isChecked()
    window.set_theme("light")
    assert _lightness(QPalette.ColorRole.Window) > 180
    assert window.chart.layout_widget.backgroundBrush().color().lightness() > 200


def _press(window: MainWindow, action: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Trigger ``action`` by its keyboard shortcut, as the user would."""
    seq = window.acts[action].shortcut()
    combo = seq[0]
    window.activateWindow()
    window.table.setFocus()
    qtbot.keyClick(window.table, combo.key(), combo.keyboardModifiers())


def test_discreet_mode_by_shortcut_and_back(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    hidden_before = [window.table.isColumnHidden(i) for i in range(window.model.columnCount())]
    _press(window, "discreet", qtbot)
    assert window.discreet and window.compact
    p = window.model.palette
    for c in (p.up, p.down, p.up_bg, p.flash_up):  # no red, no green: greys only
        assert abs(c.red() - c.green()) < 8 and abs(c.green() - c.blue()) < 8
    assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert not window.lists.isVisible() and not window.bottom.isVisible()
    assert window.width() <= 420
    shown = [
        window.model.columns[i].key
        for i in range(window.model.columnCount())
        if not window.table.isColumnHidden(i)
    ]
    assert shown == ["code", "name", "last", "change_pct"]
    assert "A股" not in window.windowTitle() and "A-Share" not in window.windowTitle()
    assert window.service.settings.ui["discreet"] is True  # survives a restart
    _press(window, "discreet", qtbot)  # the menu bar is hidden: the shortcut still works
    assert not window.discreet and not window.compact
    assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert window.lists.isVisible() and window.bottom.isVisible() and window.menuBar().isVisible()
    assert [
        window.table.isColumnHidden(i) for i in range(window.model.columnCount())
    ] == hidden_before
    assert window.model.palette.up.red() > 200


def test_discreet_mode_without_the_small_window(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.service.settings = window.service.settings.with_(discreet_compact=False)
    _press(window, "discreet", qtbot)
    assert window.discreet and not window.compact and window.lists.isVisible()
    window.set_discreet(False)


def test_every_shortcut_is_unique_and_listed(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    keys = [a.shortcut().toString() for a in window.acts.values() if not a.shortcut().isEmpty()]
    assert len(keys) == len(set(keys)), "two actions share a shortcut"
    listed = dict(window.shortcut_rows())
    listed_keys = set(listed.values())
    for action in (
        "next_list",
        "prev_list",
        "remove",
        "export_view",
        "find",
        "toggle_chart",
        "discreet",
        "new_alert",
        "shortcuts",
    ):
        seq = window.acts[action].shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert seq and seq in listed_keys, action
    dlg = ShortcutsDialog(window.shortcut_rows(), window)
    assert dlg.table.rowCount() == len(window.shortcut_rows()) >= 25
    dlg.deleteLater()


def test_list_and_filter_shortcuts(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.lists.setCurrentRow(1)
    _press(window, "next_list", qtbot)
    assert window.lists.currentRow() == 0  # one list: wraps to the whole market
    _press(window, "prev_list", qtbot)
    assert window.lists.currentRow() == 1
    _press(window, "find", qtbot)
    assert window.entry.filter.hasFocus()
    _press(window, "toggle_chart", qtbot)
    assert not window.bottom.isVisible()
    _press(window, "toggle_chart", qtbot)
    assert window.bottom.isVisible()


def test_alert_rules_are_listed_edited_rearmed_and_deleted(
    window: MainWindow, paths, qloop
) -> None:  # type: ignore[no-untyped-def]
    panel = window.alerts_panel
    window.show_alert_rules()
    assert window.bottom.currentWidget() is panel
    assert window.add_alert("600519.SH", "price_above", 2000.0)
    assert window.add_alert("000001.SZ", "pct_below", -3.0, repeat=True)
    assert panel.table.rowCount() == 2
    assert panel.table.item(0, 2).text() == "Price at or above 2,000.00"
    assert panel.table.item(1, 2).text() == "Change % at or below -3.00 %"
    first = panel.table.item(0, 0).data(Qt.ItemDataRole.UserRole)
    assert panel.replace_rule(first, "price_below", 1500.0, False) is not None
    assert panel.table.item(0, 2).text() == "Price at or below 1,500.00"  # same place
    assert (
        panel.replace_rule(
            panel.selected_ids()[0]
            if panel.selected_ids()
            else panel.table.item(0, 0).data(Qt.ItemDataRole.UserRole),
            "price_below",
            -1.0,
            False,
        )
        is None
    )  # refused, old one kept
    assert panel.table.item(0, 2).text() == "Price at or below 1,500.00"
    saved = json.loads(paths.alerts.read_text(encoding="utf-8"))
    assert [(r["kind"], r["value"]) for r in saved] == [
        ("price_below", 1500.0),
        ("pct_below", -3.0),
    ]
    rule = window.service.alerts.rules[0]
    rule.armed = False  # as the engine does when it fires, on the tick path
    qloop.run_until_complete(  # the status timer shows it
        until(lambda: panel.table.item(0, 3).text() == "fired", what="fired shown")
    )
    panel.table.selectRow(0)
    panel.rearm_selected()
    assert rule.armed and panel.table.item(0, 3).text() == "armed"
    panel.table.selectRow(0)
    panel.delete_selected()
    assert panel.table.rowCount() == 1
    saved = json.loads(paths.alerts.read_text(encoding="utf-8"))
    assert [r["symbol"] for r in saved] == ["000001.SZ"]


def test_alert_dialog_refuses_bad_rules_in_place(window: MainWindow) -> None:
    dlg = AlertDialog("", None, window)
    dlg.symbol.setText("12345")
    dlg._accept()
    assert dlg.result_rule is None and "12345" in dlg.error.text()
    dlg.symbol.setText("sh600519")
    dlg.kind.setCurrentIndex(dlg.kind.findData("price_above"))
    dlg.value.setValue(0.0)
    dlg._accept()
    assert dlg.result_rule is None and "above 0" in dlg.error.text()
    dlg.value.setValue(1800.0)
    dlg._accept()
    assert dlg.result_rule is not None and dlg.result_rule.symbol == "600519.SH"
    dlg.deleteLater()


def _wav(path: Path) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * 800)
    return path


def test_alert_sound_choices(tmp_path: Path, qapp) -> None:  # type: ignore[no-untyped-def]
    from monitor.ui.sound import play_alert_sound, player_command

    assert play_alert_sound("none") == "none"
    assert play_alert_sound("beep") == "beep"
    assert play_alert_sound(str(tmp_path / "gone.wav")) == "beep"  # missing file: beep, no error
    wav = _wav(tmp_path / "ding.wav")
    assert play_alert_sound(str(wav)) == ("file" if player_command(wav) else "beep")


def test_settings_dialog_offers_theme_sound_and_discreet_options(
    window: MainWindow, tmp_path: Path
) -> None:
    dlg = SettingsDialog(window.service.settings, None, "keyring", window)
    dlg.theme.setCurrentIndex(dlg.theme.findData("dark"))
    dlg.set_sound_file(str(_wav(tmp_path / "ding.wav")))
    dlg.discreet_compact.setChecked(False)
    s = dlg.value().validate()
    assert (s.theme, s.alert_sound, s.discreet_compact) == (
        "dark",
        str(tmp_path / "ding.wav"),
        False,
    )
    dlg.set_sound_file(str(tmp_path / "notes.txt"))
    dlg._accept()
    assert dlg.result_settings is None and ".wav" in dlg.error.text()
    dlg.deleteLater()


def _templates_in_code(names: set[str] | None = None) -> tuple[set[str], list[str]]:
    """Every UserError template in monitor/ (or of calls to ``names``), and f-string ones."""
    import ast

    second_arg = {"SymbolError", "AlertSymbolError", "HoldingSymbolError"}  # (token, template, …)
    names = names or second_arg | {
        "UserError",
        "WatchlistError",
        "WatchlistFileError",
        "AlertRuleError",
        "SettingsError",
        "HoldingError",
    }
    found: set[str] = set()
    fstrings: list[str] = []
    root = Path(__file__).resolve().parents[2] / "monitor"
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in names:
                continue
            i = 1 if node.func.id in second_arg else 0
            if len(node.args) <= i or isinstance(node.args[i], ast.Starred):
                continue
            arg = node.args[i]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                fstrings.append(f"{path.name}:{node.lineno}")
    return found, fstrings


def test_every_reason_the_core_gives_can_be_translated() -> None:
    from monitor.ui.texts import ERROR_TEMPLATES, REASON_TEMPLATES

    found, fstrings = _templates_in_code()
    assert not fstrings, f"errors built from f-strings cannot be translated: {fstrings}"
    assert len(found) > 30
    assert found <= set(ERROR_TEMPLATES), found - set(ERROR_TEMPLATES)
    reasons, fstrings = _templates_in_code({"_Lost", "_Fatal", "Reason"})
    assert not fstrings, f"reasons built from f-strings cannot be translated: {fstrings}"
    assert len(reasons) > 12
    assert reasons <= set(REASON_TEMPLATES), reasons - set(REASON_TEMPLATES)


def test_paste_report_and_errors_in_chinese(window: MainWindow) -> None:
    from monitor.core.watchlist import DEFAULT_LIST, WatchlistError
    from monitor.ui.texts import error_text

    window.set_language("zh")
    window.paste_text("600519\nbogus\n900901\n12345\n999999", DEFAULT_LIST)
    report = window.commands.last_paste_report
    assert "不是A股代码" in report and "B股" in report and "6 位数字" in report
    assert not _english_words(report.replace("bogus", "")), report
    with pytest.raises(WatchlistError) as caught:
        window.service.watchlists.create(DEFAULT_LIST)
    assert error_text(caught.value) == f"已有名为“{DEFAULT_LIST}”的自选"


def test_discreet_notifications_do_not_name_the_stock(window: MainWindow) -> None:
    from monitor.core.alert_log import LoggedAlert
    from monitor.core.alerts import AlertEvent, AlertKind
    from monitor.service.events import AlertFired

    event = AlertEvent(1, "600519.SH", AlertKind.PRICE_ABOVE, 1501.0, 3.5, 0, "", 1500.0)
    fired = AlertFired(event, LoggedAlert.of(event, 1_795_570_200_000))
    window.service.publish(fired)
    assert "贵州茅台" in window.last_notification
    assert window.pane.alert_banner.isVisible()
    window.set_discreet(True)
    # The notice already on show named the stock: entering discreet mode takes it away.
    assert not window.pane.alert_banner.isVisible() and not window.statusBar().message()
    window.service.publish(fired)
    assert "贵州茅台" not in window.last_notification
    assert "600519" not in window.last_notification
    banner = window.pane.alert_banner.label.text()  # the in-window notice too
    assert "贵州茅台" not in banner and "600519" not in banner
    said = window.statusBar().message()  # and the status bar
    assert said and "贵州茅台" not in said and "600519" not in said
    assert window.alert_log.count() == 2 and "贵州茅台" in window.alert_log.item(0).text()
    window.set_discreet(False)


def test_connection_reasons_in_chinese() -> None:
    import time as _time

    from monitor.core.errors import Reason
    from monitor.feed.client import Phase, PoolState
    from monitor.ui.i18n import TRANSLATIONS
    from monitor.ui.texts import connection_text

    TRANSLATIONS.apply("zh")
    why = Reason("server closed the connection (code {0}{1})", ("1001", ""))
    state = PoolState(Phase.BACKOFF, str(why), _time.time() + 3, (), why)
    text = connection_text(state)
    assert "1001" in text and not _english_words(text), text
    fatal = Reason("handshake refused: HTTP {0} (check the token)", ("401",))
    text = connection_text(PoolState(Phase.FAILED, str(fatal), 0.0, (), fatal))
    assert "401" in text and "令牌" in text, text


def test_discreet_mode_survives_a_restart_and_leaves_the_full_layout(
    window: MainWindow, qloop, paths
) -> None:  # type: ignore[no-untyped-def]
    from monitor.service.monitor import MonitorService

    full_geometry = bytes(window.saveGeometry().data())
    window.set_discreet(True)
    window.save_ui_state()  # what closing the window does
    saved = window.service.settings.ui
    assert saved["discreet"] is True
    import base64

    assert base64.b64decode(saved["geometry"]) == full_geometry  # not the 380×300 one
    core = MonitorService(paths)  # a restart: the settings file as closing left it
    again = MainWindow(core)
    try:
        assert again.discreet and again.compact
        again.set_discreet(False)
        assert not again.menuBar().isHidden() and not again.bottom.isHidden()
        assert not again.lists.isHidden()
        hidden = [again.table.isColumnHidden(i) for i in range(again.model.columnCount())]
        assert not any(hidden)
    finally:
        again.close()
    window.set_discreet(False)


def test_the_new_button_opens_the_rule_dialog_for_the_selected_symbol(
    window: MainWindow, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox

    from monitor.ui.dialogs import AlertDialog

    window.select_symbol("600519.SH")
    window.show_alert_rules()
    panel = window.alerts_panel
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    dlg = panel.findChild(AlertDialog)
    assert dlg is not None and dlg.isVisible()
    assert dlg.symbol.text() == "600519.SH"  # the selected symbol
    dlg.kind.setCurrentIndex(dlg.kind.findData("price_above"))
    dlg.value.setValue(9999.0)
    dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    rules = window.service.alerts.rules
    assert [(r.symbol, r.kind.value, r.value) for r in rules] == [
        ("600519.SH", "price_above", 9999.0)
    ]
    assert panel.table.rowCount() == 1
    assert "Alert set" in window.statusBar().message()


def test_the_alert_dialog_suggests_a_threshold_for_each_condition(qapp) -> None:  # type: ignore[no-untyped-def]
    from monitor.ui.dialogs import AlertDialog

    dlg = AlertDialog("600519.SH", 1450.0)
    try:
        for kind, value in (("pct_above", 3.0), ("pct_below", -3.0), ("price_below", 1435.5)):
            dlg.kind.setCurrentIndex(dlg.kind.findData(kind))
            assert dlg.value.value() == value, kind
    finally:
        dlg.deleteLater()
