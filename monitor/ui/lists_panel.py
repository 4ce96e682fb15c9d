"""The list panel on the left: the whole market first, then the user's watchlists.

It shows the service's watchlists by their labels (the built-in list in the UI's
language, users' own as typed), keeps each entry's key, and says which view is chosen
through ``view_changed(key)`` (None: the whole market). Its context menu offers the
window's list actions, handed in as QActions.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QWidget

from monitor.service.monitor import MonitorService

__all__ = ["ALL_MARKET", "ListsPanel"]

ALL_MARKET = 0  # row of the all-market entry
_KEY = Qt.ItemDataRole.UserRole  # an entry's watchlist key (its text is the label)


class ListsPanel(QListWidget):
    view_changed = Signal(object)  # the key of the list shown, None for the whole market

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setMinimumWidth(130)
        self.setMaximumWidth(220)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.currentRowChanged.connect(self._row_changed)
        self.menu_actions: dict[str, QAction] = {}  # new/rename/delete/export/import list

    def current_list(self) -> str | None:
        """The key of the watchlist shown (None: the whole market)."""
        row = self.currentRow()
        if row <= ALL_MARKET:
            return None
        item = self.item(row)
        key = item.data(_KEY) if item else None
        return key if isinstance(key, str) else None

    def label(self, name: str | None) -> str:
        """A list as shown: the built-in one in the UI's language, users' own as typed."""
        if name is None:
            return self.tr("All market")
        return self.tr("Watchlist") if self.service.watchlists.is_builtin(name) else name

    def labels(self) -> set[str]:
        return {self.label(k) for k in self.service.watchlists.names()}

    def relabel(self) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setText(self.label(item.data(_KEY) if row != ALL_MARKET else None))
        self.update_counts()

    def reload(self, select: str | None = None) -> None:
        """Rebuild from the service's lists; show ``select`` (a key, ``*all*`` for the
        whole market; else the first list). Emits ``view_changed`` once."""
        self.blockSignals(True)
        self.clear()
        self.addItem(self.label(None))
        names = self.service.watchlists.names()
        for name in names:
            item = QListWidgetItem(self.label(name))
            item.setData(_KEY, name)
            self.addItem(item)
        self.update_counts()
        row = (
            ALL_MARKET if select == "*all*" else (names.index(select) + 1 if select in names else 1)
        )
        self.setCurrentRow(row)
        self.blockSignals(False)
        self._row_changed(row)

    def update_counts(self) -> None:
        wl = self.service.watchlists
        for i, name in enumerate(wl.names(), 1):
            item = self.item(i)
            if item is not None:
                item.setToolTip(f"{self.label(name)}: {len(wl.get(name))}")

    def step(self, step: int) -> None:
        """Next/previous entry (the whole market first), wrapping."""
        n = self.count()
        if n:
            self.setCurrentRow((self.currentRow() + step) % n)

    def _row_changed(self, row: int) -> None:
        if row >= 0:
            self.view_changed.emit(self.current_list())

    def _menu(self, pos: QPoint) -> None:
        acts = self.menu_actions
        menu = QMenu(self)
        keys = ["new_list"]
        if self.current_list() is not None:
            keys += ["rename_list", "delete_list", "export_list"]
        keys.append("import_list")
        for key in keys:
            if key in acts:
                menu.addAction(acts[key])
        menu.exec(self.mapToGlobal(pos))
