"""The symbol master: which instruments exist, their names, boards and ST status.

It comes from the connected simulator (JSON) or from a CSV the user imports, for
example one exported from their broker (often GBK-encoded, with Chinese headers).
``--all`` in the CLI and the all-market view mean this universe.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.core.symbols import Board, SymbolError, board_of, normalize

__all__ = ["MasterError", "SymbolInfo", "SymbolMaster"]


class MasterError(ValueError):
    """A symbol-master file or payload that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class SymbolInfo:
    symbol: str
    name: str
    board: Board
    st: bool = False
    prev_close: float | None = None
    initials: tuple[str, ...] = ()  # pinyin initials of the name, when known in advance
    listed: str = ""  # listing date YYYY-MM-DD, when known (new listings have no limit)


_CODE_HEADERS = ("code", "symbol", "ts_code", "代码", "证券代码", "股票代码")
_NAME_HEADERS = ("name", "名称", "证券名称", "股票名称", "证券简称", "简称")
_PREV_HEADERS = ("prev_close", "pre_close", "昨收", "昨收价", "前收盘")


def is_st(name: str) -> bool:
    """Risk-warning names: ST, *ST, S*ST, SST."""
    n = name.upper().replace(" ", "")
    return n.startswith(("ST", "*ST", "S*ST", "SST"))


class SymbolMaster:
    """Symbols with names, in a stable order; lookups by canonical symbol."""

    def __init__(self, infos: Iterable[SymbolInfo] = ()) -> None:
        self._by_symbol: dict[str, SymbolInfo] = {}
        for info in infos:
            self._by_symbol[info.symbol] = info

    def __len__(self) -> int:
        return len(self._by_symbol)

    def __iter__(self) -> Iterator[SymbolInfo]:
        return iter(self._by_symbol.values())

    def __contains__(self, symbol: object) -> bool:
        return symbol in self._by_symbol

    def get(self, symbol: str) -> SymbolInfo | None:
        return self._by_symbol.get(symbol)

    def name(self, symbol: str) -> str:
        info = self._by_symbol.get(symbol)
        return info.name if info else ""

    def symbols(self) -> list[str]:
        return list(self._by_symbol)

    def forget_reference_prices(self) -> None:
        """Drop every previous close: it belongs to the provider that served it."""
        for sym, info in self._by_symbol.items():
            if info.prev_close is not None:
                self._by_symbol[sym] = dataclasses.replace(info, prev_close=None)

    def merge(self, other: SymbolMaster) -> None:
        """Add or replace entries from ``other``; known pinyin initials and listing
        dates are kept."""
        mine = self._by_symbol
        for sym, new in other._by_symbol.items():
            old = mine.get(sym)
            if old is not None and old.initials and not new.initials and old.name == new.name:
                new = dataclasses.replace(new, initials=old.initials)  # noqa: PLW2901
            if old is not None and old.listed and not new.listed:
                new = dataclasses.replace(new, listed=old.listed)  # noqa: PLW2901
            mine[sym] = new

    # --- serialisation -------------------------------------------------------------
    def to_records(self) -> list[dict[str, Any]]:
        return [
            {
                "code": i.symbol,
                "name": i.name,
                "board": i.board.value,
                "st": i.st,
                "prev_close": i.prev_close,
            }
            for i in self
        ]

    @classmethod
    def from_records(cls, records: object) -> SymbolMaster:
        """Build from ``[{"code","name",...}]``; raises :class:`MasterError` on a bad shape."""
        if not isinstance(records, list):
            raise MasterError("symbol master must be a JSON array of objects")
        infos = []
        for n, rec in enumerate(records, 1):
            if not isinstance(rec, dict) or not isinstance(rec.get("code"), str):
                raise MasterError(f"entry {n}: expected an object with a 'code' string")
            try:
                sym = normalize(rec["code"])
            except SymbolError as e:
                raise MasterError(f"entry {n}: {e}") from None
            name = str(rec.get("name") or "")
            prev = rec.get("prev_close")
            infos.append(
                SymbolInfo(
                    sym,
                    name,
                    board_of(sym),
                    bool(rec.get("st", is_st(name))),
                    float(prev) if isinstance(prev, int | float) and prev > 0 else None,
                )
            )
        return cls(infos)

    @classmethod
    def from_csv_text(cls, text: str) -> tuple[SymbolMaster, list[str]]:
        """Parse CSV text; returns the master and one message per skipped line."""
        sample = text[:4096]
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                sample, delimiters=",\t;"
            )
        except csv.Error:
            dialect = csv.excel
        rows = list(csv.reader(io.StringIO(text), dialect))
        if not rows:
            raise MasterError("the file is empty")
        header = [h.strip().lower() for h in rows[0]]
        code_col = next((header.index(h) for h in _CODE_HEADERS if h in header), None)
        name_col = next((header.index(h) for h in _NAME_HEADERS if h in header), None)
        prev_col = next((header.index(h) for h in _PREV_HEADERS if h in header), None)
        body = rows[1:]
        if code_col is None:
            # No recognised header: treat the first column as codes, second as names.
            code_col, name_col, body = 0, (1 if len(rows[0]) > 1 else None), rows
        infos: list[SymbolInfo] = []
        skipped: list[str] = []
        for lineno, row in enumerate(body, 2 if body is not rows else 1):
            if not row or not any(c.strip() for c in row):
                continue
            if code_col >= len(row):
                skipped.append(f"line {lineno}: no code column")
                continue
            try:
                sym = normalize(row[code_col])
            except SymbolError as e:
                skipped.append(f"line {lineno}: {e}")
                continue
            name = row[name_col].strip() if name_col is not None and name_col < len(row) else ""
            prev: float | None = None
            if prev_col is not None and prev_col < len(row):
                try:
                    prev = float(row[prev_col]) if float(row[prev_col]) > 0 else None
                except ValueError:
                    prev = None
            infos.append(SymbolInfo(sym, name, board_of(sym), is_st(name), prev))
        if not infos:
            detail = f" ({skipped[0]})" if skipped else ""
            raise MasterError(f"no valid A-share codes found{detail}")
        return cls(infos), skipped

    @classmethod
    def from_csv(cls, path: Path) -> tuple[SymbolMaster, list[str]]:
        """Read a CSV file in UTF-8 (with or without BOM) or GBK, as brokers export it."""
        try:
            raw = path.read_bytes()
        except OSError as e:
            raise MasterError(f"cannot read {path}: {e.strerror or e}") from None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise MasterError(f"{path}: not UTF-8 or GBK text")
        return cls.from_csv_text(text)
