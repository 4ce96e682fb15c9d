"""The snapshot table's columns, declared once as data (key, headers, kind, width)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["COLUMNS", "Column", "column_index"]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    en: str
    zh: str
    kind: str  # text | price | change | pct | volume | amount | time | spark
    width: int
    book_field: str | None  # QuoteBook array used for sorting (None: sort by text)

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "spark")

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


COLUMNS: tuple[Column, ...] = (
    Column("code", "Code", "代码", "text", 88, None),
    Column("name", "Name", "名称", "text", 84, None),
    Column("last", "Last", "最新", "price", 72, "last"),
    Column("change", "Chg", "涨跌", "change", 64, "change"),
    Column("change_pct", "Chg %", "涨跌幅", "pct", 68, "change_pct"),
    Column("spark", "Intraday", "分时", "spark", 110, None),
    Column("open", "Open", "开盘", "price", 68, "open"),
    Column("high", "High", "最高", "price", 68, "high"),
    Column("low", "Low", "最低", "price", 68, "low"),
    Column("prev_close", "Prev close", "昨收", "price", 72, "prev_close"),
    Column("volume", "Volume", "成交量", "volume", 84, "volume"),
    Column("turnover", "Turnover", "成交额", "amount", 84, "turnover"),
    Column("limit_up", "Limit up", "涨停价", "price", 72, "limit_up"),
    Column("limit_down", "Limit down", "跌停价", "price", 72, "limit_down"),
    Column("time", "Time", "时间", "time", 72, "time_ms"),
)


def column_index(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS) if c.key == key)
