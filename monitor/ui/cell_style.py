"""What a table cell is made of, apart from the model: the colours (red-up/green-down,
dark and discreet variants), the facts a row's cells share, and number formatting."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtGui import QColor

__all__ = ["LIMIT_TINTED", "Cell", "Palette", "RowFacts", "fmt_big"]

LIMIT_TINTED = frozenset({"code", "name", "last", "change_pct"})  # tinted at a price limit

# (text, foreground, background, bold): one cell as painted and as data() answers it.
Cell = tuple[str, QColor | None, QColor | None, bool]


@dataclass(frozen=True, slots=True)
class RowFacts:
    """What every cell of a row depends on, worked out once per row."""

    prev: float  # previous close (NaN: unknown)
    stale: bool
    limit: int  # 1 at limit-up, -1 at limit-down
    limit_bg: QColor | None
    flash: QColor | None  # the last price just changed
    sign: QColor | None  # colour of the change against the previous close


def fmt_big(v: float, lang: str) -> str:
    """Volumes and amounts the way Chinese terminals show them (万, 亿) or K/M/B."""
    if math.isnan(v):
        return ""
    a = abs(v)
    if lang == "zh":
        if a >= 1e8:
            return f"{v / 1e8:.2f}亿"
        if a >= 1e4:
            return f"{v / 1e4:.2f}万"
        return f"{v:.0f}"
    if a >= 1e9:
        return f"{v / 1e9:.2f}B"
    if a >= 1e6:
        return f"{v / 1e6:.2f}M"
    if a >= 1e3:
        return f"{v / 1e3:.1f}K"
    return f"{v:.0f}"


class Palette:
    """Colours of the table: red-up/green-down by default (the China convention).

    Dark themes get brighter hues; discreet mode has no red or green at all: rises
    in a darker grey than falls, the sign of the change still saying which is which.
    """

    def __init__(self, red_up: bool = True, *, dark: bool = False, discreet: bool = False) -> None:
        if discreet:
            red, green = (
                (QColor(200, 200, 200), QColor(140, 140, 140))
                if dark
                else (QColor(60, 60, 60), QColor(125, 125, 125))
            )
        elif dark:
            red, green = QColor(239, 83, 80), QColor(38, 186, 101)
        else:
            red, green = QColor(220, 38, 38), QColor(22, 150, 60)
        self.up, self.down = (red, green) if red_up or discreet else (green, red)
        self.flat = QColor(170, 170, 170) if dark else QColor(90, 90, 90)
        self.stale = QColor(105, 105, 105) if dark else QColor(150, 150, 150)
        a_bg, a_flash = (0, 45) if discreet else (40, 90)
        self.up_bg = QColor(self.up.red(), self.up.green(), self.up.blue(), a_bg)
        self.down_bg = QColor(self.down.red(), self.down.green(), self.down.blue(), a_bg)
        self.flash_up = QColor(self.up.red(), self.up.green(), self.up.blue(), a_flash)
        self.flash_down = QColor(self.down.red(), self.down.green(), self.down.blue(), a_flash)
