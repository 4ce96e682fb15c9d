"""The window's menus as data: (key, slot, shortcut) per action, texts per key.

Every action is also added to the window itself, so its shortcut works with the menu
bar hidden (compact mode). :meth:`WindowMenus.retranslate` sets every text in the
current language; :meth:`WindowMenus.shortcut_rows` lists them for the help dialog.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

__all__ = ["MenuSpec", "WindowMenus"]

Item = tuple[str, Callable[[], object], object] | None
MenuSpec = list[tuple[str, list[Item]]]


class WindowMenus(QObject):
    def __init__(self, window: QMainWindow, spec: MenuSpec) -> None:
        super().__init__(window)
        self.window = window
        self.menus: dict[str, QMenu] = {}
        self.acts: dict[str, QAction] = {}
        bar = window.menuBar()
        for menu_key, items in spec:
            menu = bar.addMenu("")
            self.menus[menu_key] = menu
            for item in items:
                if item is None:
                    menu.addSeparator()
                    continue
                key, slot, shortcut = item
                self.acts[key] = self._action(menu, slot, shortcut)
        for key in ("toggle_chart", "discreet", "record", "holdings_in_discreet"):
            self.acts[key].setCheckable(True)
        self.acts["toggle_chart"].setChecked(True)
        for prefix in ("theme_", "lang_"):
            group = QActionGroup(self)
            for key, a in self.acts.items():
                if key.startswith(prefix):
                    a.setCheckable(True)
                    group.addAction(a)

    def _action(self, menu: QMenu, slot: Callable[[], object], shortcut: object) -> QAction:
        a = QAction("", self.window)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        a.triggered.connect(lambda _checked=False: slot())
        menu.addAction(a)
        self.window.addAction(a)  # shortcuts keep working with the menu bar hidden
        return a

    def retranslate(self) -> None:
        titles = {
            "file": self.tr("&File"),
            "edit": self.tr("&Edit"),
            "lists": self.tr("&Lists"),
            "alerts": self.tr("&Alerts"),
            "view": self.tr("&View"),
            "help": self.tr("&Help"),
        }
        texts = {
            "export_view": self.tr("Export snapshot (this view)…"),
            "export_market": self.tr("Export snapshot (whole market)…"),
            "import_list": self.tr("Import list (CSV/TXT)…"),
            "listing": self.tr("A-share listing…"),
            "import_listing": self.tr("Import symbol list (CSV)…"),
            "export_list": self.tr("Export list…"),
            "record": self.tr("Record ticks"),
            "open_replay": self.tr("Open recorded day…"),
            "replay_pause": self.tr("Pause or resume the replay"),
            "replay_speed": self.tr("Replay speed: ×1, ×10, ×60, max"),
            "replay_seek": self.tr("Jump to a time of the replay…"),
            "leave_replay": self.tr("Back to the live feed"),
            "settings": self.tr("Settings…"),
            "quit": self.tr("Quit"),
            "paste": self.tr("Paste codes…"),
            "remove": self.tr("Remove from list"),
            "move_up": self.tr("Move up"),
            "move_down": self.tr("Move down"),
            "find": self.tr("Filter the table"),
            "add_box": self.tr("Add a code or name"),
            "next_list": self.tr("Next list"),
            "prev_list": self.tr("Previous list"),
            "all_market": self.tr("Whole market"),
            "new_list": self.tr("New list…"),
            "rename_list": self.tr("Rename list…"),
            "delete_list": self.tr("Delete list"),
            "new_alert": self.tr("New alert for the selected symbol…"),
            "alert_rules": self.tr("Alert rules…"),
            "remove_alerts": self.tr("Remove alerts of the selected symbol"),
            "toggle_chart": self.tr("Show chart and alerts"),
            "theme_auto": self.tr("Theme: follow the system"),
            "theme_light": self.tr("Theme: light"),
            "theme_dark": self.tr("Theme: dark"),
            "discreet": self.tr("Discreet mode"),
            "floating_ticker": self.tr("Floating ticker"),
            "holdings_in_discreet": self.tr("Show holdings in discreet mode"),
            "lang_auto": self.tr("Language: follow the system"),
            "lang_zh": "中文",
            "lang_en": "English",
            "shortcuts": self.tr("Keyboard shortcuts"),
            "about": self.tr("About A-Share Monitor"),
        }
        for key, menu in self.menus.items():
            menu.setTitle(titles[key])
        for key, action in self.acts.items():
            if key in texts:
                action.setText(texts[key])

    def set_undo_texts(self, can_undo: bool, undo: str, can_redo: bool, redo: str) -> None:
        u, r = self.acts["undo"], self.acts["redo"]
        u.setEnabled(can_undo)
        r.setEnabled(can_redo)
        u.setText(self.tr("Undo") + (f" {undo}" if can_undo else ""))
        r.setText(self.tr("Redo") + (f" {redo}" if can_redo else ""))

    def check(self, theme: str, language: str, discreet: bool, recording: bool) -> None:
        self.acts["record"].setChecked(recording)
        self.acts[f"theme_{theme}"].setChecked(True)
        self.acts[f"lang_{language}"].setChecked(True)
        self.acts["discreet"].setChecked(discreet)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(action, keys): every action with a shortcut, plus the table's own keys."""
        rows = []
        for menu in self.menus.values():
            for a in menu.actions():
                if a.isSeparator() or a.shortcut().isEmpty():
                    continue
                keys = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                title = re.sub(r"\(&\w\)|&", "", menu.title())  # 文件(&F) / &File -> 文件 / File
                rows.append((f"{title} › {a.text()}", keys))
        rows += [
            (self.tr("Quick search: type a code, name or pinyin initials in the table"), "0-9 A-Z"),
            (self.tr("Quick search: add to the list or jump to the row"), "Enter"),
            (self.tr("Close a popup"), "Esc"),
        ]
        return rows
