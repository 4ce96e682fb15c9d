"""The snapshot table's columns, declared once as data (key, title, kind, width).

Titles are English source strings marked for ``lupdate`` (context ``Columns``) and
translated when shown, so a language switch renames the headers at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

__all__ = ["COLUMNS", "Column", "column_index"]


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for lupdate under ``context``; :meth:`Column.title` translates it."""
    return text


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    en: str  # the source title; see :meth:`title`
    kind: str  # text | price | change | pct | volume | amount | time | spark
    width: int
    book_field: str | None  # QuoteBook array used for sorting (None: sort by text)

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "spark")

    def title(self) -> str:
        """The header in the UI's current language."""
        return QCoreApplication.translate("Columns", self.en)


COLUMNS: tuple[Column, ...] = (
    Column("code", QT_TRANSLATE_NOOP("Columns", "Code"), "text", 88, None),
    Column("name", QT_TRANSLATE_NOOP("Columns", "Name"), "text", 84, None),
    Column("last", QT_TRANSLATE_NOOP("Columns", "Last"), "price", 72, "last"),
    Column("change", QT_TRANSLATE_NOOP("Columns", "Chg"), "change", 64, "change"),
    Column("change_pct", QT_TRANSLATE_NOOP("Columns", "Chg %"), "pct", 68, "change_pct"),
    Column("spark", QT_TRANSLATE_NOOP("Columns", "Intraday"), "spark", 110, None),
    Column("open", QT_TRANSLATE_NOOP("Columns", "Open"), "price", 68, "open"),
    Column("high", QT_TRANSLATE_NOOP("Columns", "High"), "price", 68, "high"),
    Column("low", QT_TRANSLATE_NOOP("Columns", "Low"), "price", 68, "low"),
    Column("prev_close", QT_TRANSLATE_NOOP("Columns", "Prev close"), "price", 72, "prev_close"),
    Column("volume", QT_TRANSLATE_NOOP("Columns", "Volume"), "volume", 84, "volume"),
    Column("turnover", QT_TRANSLATE_NOOP("Columns", "Turnover"), "amount", 84, "turnover"),
    Column("limit_up", QT_TRANSLATE_NOOP("Columns", "Limit up"), "price", 72, "limit_up"),
    Column("limit_down", QT_TRANSLATE_NOOP("Columns", "Limit down"), "price", 72, "limit_down"),
    Column("time", QT_TRANSLATE_NOOP("Columns", "Time"), "time", 72, "time_ms"),
)


def column_index(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)
