"""Every interactive widget of the window and its dialogs has a name a screen reader says."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QWidget,
)

from monitor.ui.dialogs import AlertDialog, PasteDialog, SettingsDialog, ShortcutsDialog
from monitor.ui.listing_dialog import ListingDialog
from monitor.ui.main_window import MainWindow

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QTabWidget,
    QTabBar,
)


def _part_of_another(w: QWidget) -> bool:
    """Qt's own pieces, named through their owner: headers, a spin box's line edit,
    a table's corner button, a line edit's clear button."""
    parent = w.parentWidget()
    return (
        isinstance(w, QHeaderView)
        or isinstance(parent, QAbstractSpinBox | QLineEdit | QComboBox)
        or type(w).__name__ in ("QTableCornerButton", "QLineEditIconButton")
    )


def unnamed(root: QWidget) -> list[str]:
    """Visible interactive widgets under ``root`` without an accessible name (a button's
    text is its name; every other kind needs one set)."""
    out = []
    for w in [root, *root.findChildren(QWidget)]:
        if not isinstance(w, INTERACTIVE) or not w.isVisibleTo(root) or _part_of_another(w):
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.strip():
            out.append(f"{type(w).__name__} {w.objectName() or ''} in {type(w.parent()).__name__}")
    return out


def test_every_interactive_widget_of_the_window_is_named(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.conftest import until

    qloop.run_until_complete(until(lambda: window.quick.index is not None, 15, "pinyin index"))
    window.paste_text("600519\nbogus", window.current_list() or "")  # the report strip too
    checked = [w for w in window.findChildren(QWidget) if isinstance(w, INTERACTIVE)]
    assert len(checked) > 15
    assert unnamed(window) == []
    probe = QLineEdit(window.centralWidget())  # the check itself finds an unnamed one
    probe.show()
    assert unnamed(window) == ["QLineEdit  in QWidget"]
    probe.hide()
    probe.deleteLater()
    assert window.table.accessibleDescription()  # what the keys do
    window.show_alert_rules()  # the other tab
    assert unnamed(window) == []
    window.quick.open_with("6005", window.table)
    assert unnamed(window.quick) == []
    window.quick.hide()
    window.set_language("zh")
    assert window.entry.add_box.accessibleName() == "添加代码或名称"


@pytest.mark.parametrize("dialog", ["settings", "alert", "paste", "shortcuts", "listing"])
def test_every_interactive_widget_of_the_dialogs_is_named(window: MainWindow, dialog: str) -> None:
    dlg: QWidget = {
        "settings": lambda: SettingsDialog(
            window.service.settings, None, window.token_place(), window
        ),
        "alert": lambda: AlertDialog("600519.SH", 1700.0, window),
        "paste": lambda: PasteDialog("Watchlist", window),
        "shortcuts": lambda: ShortcutsDialog(window.shortcut_rows(), window),
        "listing": lambda: ListingDialog(window.service, window),
    }[dialog]()
    dlg.show()
    try:
        assert [w for w in dlg.findChildren(QWidget) if isinstance(w, INTERACTIVE)]
        assert unnamed(dlg) == []
    finally:
        dlg.close()
        dlg.deleteLater()


def test_settings_fields_are_named_after_their_labels(window: MainWindow) -> None:
    dlg = SettingsDialog(window.service.settings, None, "keyring", window)
    assert dlg.provider.accessibleName() == "Data provider"
    assert dlg.volume_unit.accessibleName() == "Volume unit"
    assert dlg.sound.accessibleName() == "Alert sound"
    assert dlg.plan.accessibleDescription()  # its tooltip
    dlg.deleteLater()
