"""Undoable watchlist edits: each is a QUndoCommand whose redo and undo are service
operations (which save, resubscribe and publish ``ListsChanged`` themselves).

What the user is told goes out as ``message(text, ms)`` for the status bar.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack

from monitor.core.watchlist import WatchlistError
from monitor.service.monitor import DeletedList, MonitorService
from monitor.ui.texts import error_text

__all__ = ["WatchlistEdits"]

log = logging.getLogger(__name__)


class _Edit(QUndoCommand):
    """An undoable edit made of two callables."""

    def __init__(self, text: str, do: Callable[[], object], undo: Callable[[], object]) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo

    # An exception escaping a virtual called from C++ can take the process down: log it.
    def redo(self) -> None:
        try:
            self._do()
        except Exception:
            log.exception("edit failed: %s", self.text())

    def undo(self) -> None:
        try:
            self._undo()
        except Exception:
            log.exception("undo failed: %s", self.text())


class WatchlistEdits(QObject):
    message = Signal(str, int)  # text for the status bar, milliseconds
    refused = Signal(str, str)  # title, why: an edit that could not be made

    def __init__(
        self,
        service: MonitorService,
        undo: QUndoStack,
        label: Callable[[str | None], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.undo = undo
        self.label = label  # a list's label as the list panel shows it

    def add(self, name: str, symbols: Sequence[str]) -> list[str]:
        """Add to list ``name`` what is not there yet; returns what will be added."""
        have = set(self.service.watchlists.get(name))
        added = [s for s in dict.fromkeys(symbols) if s not in have]
        if not added:
            self.message.emit(self.tr("Already in the list"), 4000)
            return []
        service = self.service
        self.undo.push(
            _Edit(
                self.tr("Add %n symbol(s)", "", len(added)),
                lambda: service.add_symbols(name, added),
                lambda: service.remove_symbols(name, added),
            )
        )
        self.message.emit(
            self.tr("Added %n symbol(s)", "", len(added)) + f" → {self.label(name)}", 5000
        )
        return added

    def remove(self, name: str, symbols: list[str], first_row: int) -> None:
        """Remove; the status bar names them and says how to undo. The row ``first_row``
        takes the selection (Delete again goes on down the list); undo selects the
        restored rows."""
        service = self.service
        removed: list[tuple[int, str]] = []
        labels = [service.symbol_label(s) for s in symbols]
        what = (
            labels[0]
            if len(labels) == 1
            else self.tr("%n symbol(s)", "", len(labels))
            + f" ({', '.join(labels[:3])}{', …' if len(labels) > 3 else ''})"
        )
        keys = QKeySequence(QKeySequence.StandardKey.Undo).toString(
            QKeySequence.SequenceFormat.NativeText
        )
        shown = self.label(name)

        def do() -> None:
            removed[:] = service.remove_symbols(name, symbols, row=first_row)
            self.message.emit(
                self.tr("Removed %1 from “%2” — %3 undoes it")
                .replace("%1", what)
                .replace("%2", shown)
                .replace("%3", keys),
                15000,
            )

        def undo() -> None:
            service.insert_symbols(name, removed)
            self.message.emit(
                self.tr("Restored %1 to “%2”").replace("%1", what).replace("%2", shown), 8000
            )

        self.undo.push(_Edit(self.tr("Remove %n symbol(s)", "", len(symbols)), do, undo))

    def reorder(self, name: str, symbols: list[str], to: int, text: str) -> None:
        """Move ``symbols`` before list index ``to``, undoably; they stay selected."""
        service = self.service
        before: list[str] = []

        def do() -> None:
            before[:] = service.reorder(name, symbols, to)

        def undo() -> None:
            service.replace_list(name, before, select=symbols)

        self.undo.push(_Edit(text, do, undo))

    def delete_list(self, name: str) -> None:
        service = self.service
        if len(service.watchlists.names()) <= 1:  # refused before it reaches the undo stack
            self.refused.emit(self.tr("Delete list"), self.tr("The last list cannot be deleted"))
            return
        deleted: list[DeletedList] = []

        def do() -> None:
            try:
                deleted[:] = [service.delete_list(name)]
            except WatchlistError as e:
                self.refused.emit(self.tr("Delete list"), error_text(e))

        def undo() -> None:
            if deleted:
                service.restore_list(deleted[0])

        self.undo.push(_Edit(self.tr("Delete list"), do, undo))
