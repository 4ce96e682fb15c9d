"""Light and dark themes, and the discreet look (no red or green, muted greys).

The application palette is set once per switch (Fusion style for dark, whose colours
every platform honours); the table's quote colours are a :class:`Palette` chosen
from the theme, the colour convention and discreet mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

__all__ = ["THEMES", "Look", "apply_app_palette", "resolve_theme"]

THEMES = ("auto", "light", "dark")


def resolve_theme(pref: str) -> str:
    """``light`` or ``dark``: the setting, or for ``auto`` the system's colour scheme."""
    if pref in ("light", "dark"):
        return pref
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    return "dark" if scheme is not None and scheme() == Qt.ColorScheme.Dark else "light"


@dataclass(frozen=True)
class Look:
    """Everything the widgets need to paint in the current theme."""

    dark: bool
    discreet: bool

    @property
    def selection(self) -> tuple[QColor, QColor]:
        """Row highlight and its text: light enough to keep up/down colours readable."""
        if self.dark:
            return QColor(52, 70, 98), QColor(235, 235, 235)
        return QColor(206, 224, 250), QColor(20, 20, 20)

    @property
    def chart(self) -> dict[str, str]:
        if self.dark:
            return {
                "background": "#1e1f22",
                "foreground": "#b8b8b8",
                "line": "#6ea8fe",
                "avg": "#f0c040",
                "guide": "#777777",
            }
        if self.discreet:
            return {
                "background": "#ffffff",
                "foreground": "#555555",
                "line": "#666666",
                "avg": "#aaaaaa",
                "guide": "#999999",
            }
        return {
            "background": "#ffffff",
            "foreground": "#444444",
            "line": "#1f5fbf",
            "avg": "#e08a00",
            "guide": "#999999",
        }

    @property
    def badge(self) -> str:
        if self.discreet:
            return "background:#9ca3af; color:white; border-radius:3px; padding:2px 6px"
        return (
            "background:#f59e0b; color:white; font-weight:bold; border-radius:3px; padding:2px 6px"
        )

    @property
    def muted_text(self) -> str:
        return "#8a8f98" if self.dark else "#888888"

    @property
    def divider(self) -> str:
        return "#3a3d42" if self.dark else "#dddddd"


_original: tuple[str, QPalette] | None = None  # the platform's style and palette


def apply_app_palette(app: QApplication, dark: bool) -> None:
    """Dark: Fusion with a dark palette; light: the platform's own style and palette.

    The platform's look is left untouched until dark is first asked for, and restored
    exactly (not replaced by the style's standard palette) when switching back.
    """
    global _original  # noqa: PLW0603 (the look before the first switch)
    if not dark and resolve_theme("auto") == "light":
        if _original is not None:  # back to the platform's own light look
            app.setStyle(_original[0])
            app.setPalette(_original[1])
            _original = None
        return
    if _original is None:
        _original = (app.style().name(), QPalette(app.palette()))
    if not dark:  # light asked for on a dark desktop: Fusion's light palette
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
        return
    app.setStyle("Fusion")
    p = QPalette()
    base, window, text = QColor(30, 31, 34), QColor(43, 45, 48), QColor(223, 225, 229)
    roles = QPalette.ColorRole
    for role, color in (
        (roles.Window, window),
        (roles.WindowText, text),
        (roles.Base, base),
        (roles.AlternateBase, QColor(37, 38, 42)),
        (roles.ToolTipBase, window),
        (roles.ToolTipText, text),
        (roles.Text, text),
        (roles.Button, window),
        (roles.ButtonText, text),
        (roles.BrightText, QColor(255, 255, 255)),
        (roles.Link, QColor(110, 168, 254)),
        (roles.Highlight, QColor(52, 70, 98)),
        (roles.HighlightedText, QColor(235, 235, 235)),
        (roles.PlaceholderText, QColor(130, 134, 140)),
        (roles.Mid, QColor(60, 62, 66)),
        (roles.Dark, QColor(25, 25, 28)),
    ):
        p.setColor(role, color)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(disabled, role, QColor(110, 112, 116))
    app.setPalette(p)
