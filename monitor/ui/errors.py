"""Errors reach the user: uncaught exceptions open a non-modal dialog, never a silent exit.

Data flow: ``sys.excepthook``, ``threading.excepthook`` and the asyncio loop's
exception handler all feed :meth:`ErrorReporter.report`, which logs the traceback
(to the rotating log file) and shows one dialog with the details to copy and the log
path; further errors are appended to the open dialog rather than stacking windows.
The app keeps running. Every text shown passes through :func:`redact`.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from monitor.core.redact import redact

__all__ = ["ErrorDialog", "ErrorReporter"]

log = logging.getLogger(__name__)


class ErrorDialog(QDialog):
    def __init__(self, logfile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("A-Share Monitor: something went wrong"))
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.resize(640, 380)
        lay = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        lay.addWidget(self.details, 1)
        where = QLabel(self.tr("The app keeps running. Log file: %s") % (logfile or "—"), self)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        lay.addWidget(where)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = QPushButton(self.tr("Copy details"), self)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.hide)
        lay.addWidget(buttons)
        self.count = 0

    def add(self, summary: str, details: str) -> None:
        self.count += 1
        self.summary.setText(summary if self.count == 1 else f"{summary} (+{self.count - 1})")
        self.details.appendPlainText(details.rstrip() + "\n" + "-" * 60)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class ErrorReporter(QObject):
    """Installs the hooks; :meth:`report` is safe to call from any thread."""

    _reported = Signal(str, str)

    def __init__(self, logfile: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.logfile = logfile
        self.parent_widget = parent
        self.dialog: ErrorDialog | None = None
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._old_hook = sys.excepthook

    def install(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_hook
        if loop is not None:
            loop.set_exception_handler(self._loop_handler)

    def uninstall(self) -> None:
        sys.excepthook = self._old_hook

    def _excepthook(
        self, tp: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(tp, KeyboardInterrupt):
            self._old_hook(tp, exc, tb)
            return
        self.report(exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            self.report(args.exc_value, args.exc_traceback)

    def _loop_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if exc is None:
            log.warning("asyncio: %s", context.get("message"))
            return
        self.report(exc, exc.__traceback__, context.get("message", ""))

    def report(self, exc: BaseException, tb: TracebackType | None = None, where: str = "") -> None:
        details = redact("".join(traceback.format_exception(type(exc), exc, tb)))
        summary = redact(f"{type(exc).__name__}: {exc}")
        if where:
            summary = f"{redact(where)}\n{summary}"
        log.error("uncaught error: %s", details)
        self._reported.emit(summary, details)

    def _show(self, summary: str, details: str) -> None:
        if self.dialog is None:
            self.dialog = ErrorDialog(self.logfile, self.parent_widget)
        self.dialog.add(summary, details)
        self.dialog.show()
        self.dialog.raise_()
