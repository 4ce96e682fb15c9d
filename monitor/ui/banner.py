"""A report strip above the table: says what happened, never covers a quote, goes away.

Used for the paste report: a dialog over the table hid the rows being added and had to
be dismissed by hand. The strip sits in the layout between the input bar and the
table (the table moves down by its height), takes no focus, and hides itself after a
few seconds: longer when something was rejected, and never while the pointer is on it
(someone is reading it). Its × button or Esc inside it closes it at once.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QEnterEvent, QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

__all__ = ["ReportBanner"]


_LONG_RUN = re.compile(r"\S{48,}")


class ReportBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.seconds_ok = 8.0  # how long a report stays: all went in
        self.seconds_warning = 25.0  # something was rejected: time to read why
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.hide)
        self.warning = False
        self._colors = ("#fff7e0", "#fde2e2", "#333333")
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        self.close_button.setAccessibleName(self.tr("Close the report"))
        self.setAccessibleName(self.tr("Report"))
        self.label.setAccessibleName(self.tr("Report"))

    def set_colors(self, info_bg: str, warning_bg: str, text: str) -> None:
        self._colors = (info_bg, warning_bg, text)
        self._restyle()

    def _restyle(self) -> None:
        info, warn, text = self._colors
        bg = warn if self.warning else info
        self.setStyleSheet(
            f"ReportBanner {{ background: {bg}; border: 1px solid {text}40; border-radius: 3px }}"
            f" QLabel {{ color: {text} }}"
        )

    def show_report(self, text: str, *, warning: bool) -> None:
        """Show ``text``; it goes away by itself (see the module docstring)."""
        self.warning = warning
        self._restyle()
        # A word-wrapped label is as wide as its longest word: a pasted run of 200 junk
        # characters would widen the window for good. Long runs are shortened on screen
        # (the whole report stays in the tooltip).
        shown = _LONG_RUN.sub(lambda m: m.group()[:24] + "…" + m.group()[-12:], text)
        self.label.setText(shown)
        self.label.setToolTip(text if shown != text else "")
        self.setAccessibleDescription(text)
        self.show()
        self.timer.start(int(1000 * (self.seconds_warning if warning else self.seconds_ok)))

    def enterEvent(self, event: QEnterEvent) -> None:
        self.timer.stop()  # being read: stays
        super().enterEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self.isVisible():
            self.timer.start(int(1000 * min(self.seconds_ok, 4.0)))
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
