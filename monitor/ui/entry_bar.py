"""The bar above the table: filter box, add box with completion, paste button, and the
simulated-data badge.

Enter in the add box asks for the text to be added (``add_requested``), completion
list open or not; the window resolves and adds it and hands the outcome back to
:meth:`EntryBar.added`. Until the search index exists the completer filters
"code name" lines itself; then it shows what the index finds (codes, names, pinyin).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from monitor.service.monitor import MonitorService

__all__ = ["EntryBar"]


class EntryBar(QWidget):
    add_requested = Signal(str)
    paste_requested = Signal()
    filter_changed = Signal(str)

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.filter_changed)
        self.add_box = QLineEdit(self)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.add_box.setCompleter(self.completer)
        self.add_box.textEdited.connect(self._complete)
        self.completer.activated.connect(self._completion_clicked)
        popup = self.completer.popup()
        assert popup is not None
        self.completion_popup = popup
        popup.installEventFilter(self)
        self.add_box.installEventFilter(self)
        self.paste_button = QPushButton(self)
        self.paste_button.clicked.connect(self.paste_requested)
        self.sim_badge = QLabel(self)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.add_box, 2)
        bar.addWidget(self.paste_button)
        bar.addStretch(1)
        bar.addWidget(self.sim_badge)

    def retranslate(self) -> None:
        self.filter.setPlaceholderText(self.tr("Filter code or name"))
        self.add_box.setPlaceholderText(self.tr("Add code or name (Enter)"))
        self.paste_button.setText(self.tr("Paste codes…"))
        self.sim_badge.setText(" " + self.tr("SIMULATED DATA") + " ")
        self.sim_badge.setToolTip(
            self.tr("Quotes come from the embedded simulator, not a market feed")
        )
        for widget, name, description in (
            (
                self.filter,
                self.tr("Filter the table"),
                self.tr("Shows only rows whose code, name or pinyin initials match"),
            ),
            (
                self.add_box,
                self.tr("Add a code or name"),
                self.tr("Type a code, name or pinyin initials and press Enter"),
            ),
            (self.paste_button, self.tr("Paste codes"), self.tr("Add a block of codes at once")),
            (self.sim_badge, self.tr("Simulated data"), ""),
        ):
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def set_simulated(self, on: bool) -> None:
        self.sim_badge.setVisible(on)

    def set_compact(self, compact: bool) -> None:
        for w in (self.filter, self.add_box, self.paste_button):
            w.setVisible(not compact)
        self.sim_badge.setVisible(not compact and self.service.simulated)

    # --- completion --------------------------------------------------------------------
    def refresh_completer(self) -> None:
        """Before the search index exists: every "code name" line, filtered by Qt."""
        if self.service.index is not None:
            return
        items = [f"{i.symbol} {i.name}" for i in self.service.master]
        self.completer.setModel(QStringListModel(items, self.completer))

    def index_ready(self) -> None:
        """The index is built: complete as the quick search finds."""
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setModel(QStringListModel([], self.completer))

    def _complete(self, text: str) -> None:
        index = self.service.index
        if index is None:
            return
        model = self.completer.model()
        assert isinstance(model, QStringListModel)
        query = text.strip()
        lines = [f"{m.symbol}   {m.name}" for m in index.search(query, 30)] if query else []
        model.setStringList(lines)
        if lines:
            self.completer.setCompletionPrefix(text)
            self.completer.complete()
        else:
            self.completion_popup.hide()

    def _completion_clicked(self, text: str) -> None:
        """A completion chosen with the mouse: add it, as Enter would."""
        self.add_box.setText(text)
        self._submit()

    def _submit(self) -> None:
        text = self.add_box.text().strip()
        if text:
            self.add_requested.emit(text)

    def added(self, added: bool, refused: list[str]) -> None:
        """The outcome of an add: all in -> the box clears; refused (in part) -> what was
        refused stays, selected, so the next code replaces it."""
        if added and not refused:
            self.add_box.clear()
            return
        if added:
            self.add_box.setText(", ".join(refused))
        self.add_box.setFocus()
        self.add_box.selectAll()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Enter in the add box adds at once, completion list open or not: Qt's completer
        # would first only close the list (and put the highlighted line in the box).
        popup = self.completion_popup
        if (
            obj in (self.add_box, popup)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            chosen = popup.currentIndex() if popup.isVisible() else QModelIndex()
            popup.hide()
            if chosen.isValid():
                self.add_box.setText(str(chosen.data()))
            self._submit()
            return True
        return super().eventFilter(obj, event)
