"""The quick-search popup (键盘精灵): type digits, letters or Chinese anywhere in the table.

Data flow: the table forwards the first printable key; the popup queries the pure
``SymbolIndex`` on every keystroke (< 1 ms over the whole market) and emits
``chosen(symbol)`` on Enter; the window adds it to the current list or jumps to it.
Keyboard only: arrows move, Enter picks, Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from monitor.core.search import SymbolIndex

__all__ = ["QuickSearch"]


class QuickSearch(QFrame):
    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.index: SymbolIndex | None = None
        self.edit = QLineEdit(self)
        self.results = QListWidget(self)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.edit)
        lay.addWidget(self.results)
        self.resize(300, 320)
        self.edit.textChanged.connect(self.update_results)
        self.edit.installEventFilter(self)
        self.results.itemActivated.connect(self._activated)
        self.retranslate()

    def retranslate(self) -> None:
        self.edit.setPlaceholderText(self.tr("Code, name or pinyin initials"))
        self.edit.setAccessibleName(self.tr("Quick search"))
        self.edit.setAccessibleDescription(
            self.tr("Type a code, name or pinyin initials; Enter picks, Esc closes")
        )
        self.results.setAccessibleName(self.tr("Quick search results"))

    def open_with(self, text: str, anchor: QWidget) -> None:
        pos = anchor.mapToGlobal(anchor.rect().bottomRight())
        self.move(pos.x() - self.width() - 8, pos.y() - self.height() - 8)
        self.show()
        self.edit.setFocus()
        self.edit.setText(text)
        self.update_results(text)

    def update_results(self, text: str) -> None:
        self.results.clear()
        if self.index is None:
            self.results.addItem(self.tr("(the symbol list is still loading)"))
            return
        for m in self.index.search(text, 30):
            item = QListWidgetItem(f"{m.symbol}   {m.name}")
            item.setData(Qt.ItemDataRole.UserRole, m.symbol)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _activated(self, _item: QListWidgetItem) -> None:
        self.pick()

    def pick(self) -> None:
        item = self.results.currentItem()
        symbol = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if symbol:
            self.hide()
            self.chosen.emit(symbol)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = max(0, min(self.results.count() - 1, self.results.currentRow() + step))
                self.results.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pick()
                return True
            if key == Qt.Key.Key_Escape:
                self.hide()
                return True
        return super().eventFilter(obj, event)
