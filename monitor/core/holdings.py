"""Holdings (持仓): shares held and their average cost, and what they are worth now.

Kept on this machine only (``holdings.json``, written atomically like the watchlists;
damaged files handled by :mod:`monitor.core.persist`), imported and exported as CSV.
P&L is computed from the book's current price: a holding whose symbol has no price
from this session has no value, never one from an old price.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from monitor.core.errors import UserError
from monitor.core.persist import array_shape, load_state
from monitor.core.symbols import Board, SymbolError, board_of, normalize

__all__ = ["Holding", "HoldingError", "HoldingSymbolError", "Holdings", "Valuation", "value"]

MAX_QUANTITY = 10**10  # shares; more than any listed company has
CSV_HEADER = ("code", "quantity", "cost")
# Headers people's broker exports use for the same three fields.
_ALIASES = {
    "code": ("code", "symbol", "代码", "证券代码", "股票代码"),
    "quantity": ("quantity", "shares", "qty", "数量", "持仓", "持仓数量", "股份余额", "证券数量"),
    "cost": ("cost", "avg_cost", "cost_price", "成本", "成本价", "持仓成本", "参考成本价"),
}


class HoldingError(UserError):
    """A holding that cannot be right (says what, like every UserError)."""


class HoldingSymbolError(SymbolError, HoldingError):
    """A holding for a code that is not an A-share stock (says why, like SymbolError)."""


@dataclass(frozen=True, slots=True)
class Holding:
    symbol: str  # canonical
    quantity: int  # shares
    cost: float  # average price paid per share

    @classmethod
    def make(cls, symbol: str, quantity: object, cost: object) -> Holding:
        """Validated: a real A-share code, a whole positive quantity, a positive cost."""
        try:
            sym = normalize(symbol)
        except SymbolError as e:
            raise HoldingSymbolError(e.token, e.template, *e.params) from None
        if board_of(sym) is Board.INDEX:
            raise HoldingSymbolError(sym, "an index, not a stock: it cannot be held")
        try:
            q = float(str(quantity).replace(",", ""))
        except ValueError:
            raise HoldingError("quantity must be a number of shares: {0}", quantity) from None
        if not (q.is_integer() and 0 < q <= MAX_QUANTITY):
            raise HoldingError("quantity must be a whole number of shares above 0: {0}", quantity)
        try:
            c = float(str(cost).replace(",", ""))
        except ValueError:
            raise HoldingError("cost must be a price: {0}", cost) from None
        if not (math.isfinite(c) and 0 < c < 1e6):
            raise HoldingError("cost must be a price above 0: {0}", cost)
        return cls(sym, int(q), c)


@dataclass(frozen=True, slots=True)
class Valuation:
    """One holding at the current price; None where the price (or close) is unknown."""

    holding: Holding
    last: float | None
    market_value: float | None
    pnl: float | None
    pnl_pct: float | None
    today_pnl: float | None  # against the previous close (as if held since yesterday)


def value(h: Holding, last: float | None, prev_close: float | None) -> Valuation:
    if last is None or not math.isfinite(last):
        return Valuation(h, None, None, None, None, None)
    today = None
    if prev_close is not None and math.isfinite(prev_close):
        today = (last - prev_close) * h.quantity
    return Valuation(
        h,
        last,
        last * h.quantity,
        (last - h.cost) * h.quantity,
        (last / h.cost - 1.0) * 100.0,
        today,
    )


class Holdings:
    """Holdings by symbol, in the order added."""

    def __init__(self) -> None:
        self.items: dict[str, Holding] = {}

    def __len__(self) -> int:
        return len(self.items)

    def symbols(self) -> list[str]:
        return list(self.items)

    def get(self, symbol: str) -> Holding | None:
        return self.items.get(symbol)

    def set(self, h: Holding) -> None:
        self.items[h.symbol] = h

    def remove(self, symbols: list[str]) -> list[Holding]:
        return [h for s in symbols if (h := self.items.pop(s, None)) is not None]

    # --- files ---------------------------------------------------------------------------
    def to_json(self) -> list[dict[str, object]]:
        return [
            {"symbol": h.symbol, "quantity": h.quantity, "cost": h.cost}
            for h in self.items.values()
        ]

    @classmethod
    def from_json(cls, data: object) -> tuple[Holdings, list[str]]:
        out = cls()
        if not isinstance(data, list):
            return out, ["holdings file is not an array; no holdings loaded"]
        problems: list[str] = []
        for item in data:
            if not isinstance(item, dict):
                problems.append("skipped a holding that is not an object")
                continue
            try:
                q = item.get("quantity")
                c = item.get("cost")
                if isinstance(q, bool) or isinstance(c, bool):
                    raise HoldingError("quantity and cost must be numbers")
                out.set(Holding.make(str(item.get("symbol")), q, c))
            except HoldingError as e:
                problems.append(f"skipped holding {item.get('symbol')!r}: {e}")
        return out, problems

    @classmethod
    def load(cls, path: Path) -> tuple[Holdings, list[str]]:
        return load_state(path, cls.from_json, cls, array_shape)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(CSV_HEADER)
        for h in self.items.values():
            w.writerow([h.symbol, h.quantity, f"{h.cost:.4f}".rstrip("0").rstrip(".")])
        return buf.getvalue()

    @staticmethod
    def parse_csv(text: str) -> tuple[list[Holding], list[tuple[int, UserError]]]:
        """Holdings from a CSV with a header naming code, quantity and cost (English or
        the usual Chinese broker headers); each bad line is one (line number, reason),
        the rest kept."""
        try:
            rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
        except csv.Error as e:  # an unclosed quote swallowing the file, a NUL byte …
            raise HoldingError("not a CSV file: {0}", e) from None
        if not rows:
            raise HoldingError("the file is empty")
        header = [c.strip().lower() for c in rows[0]]
        cols: dict[str, int] = {}
        for key, names in _ALIASES.items():
            for i, name in enumerate(header):
                if name in names:
                    cols[key] = i
                    break
        missing = [k for k in CSV_HEADER if k not in cols]
        if missing:
            raise HoldingError(
                "the first line must name the columns code, quantity and cost; missing: {0}",
                ", ".join(missing),
            )
        out: list[Holding] = []
        problems: list[tuple[int, UserError]] = []
        for n, row in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            try:
                fields = [row[cols[k]].strip() for k in CSV_HEADER]
            except IndexError:
                problems.append((n, HoldingError("too few columns")))
                continue
            try:
                out.append(Holding.make(*fields))
            except HoldingError as e:
                problems.append((n, e))
        return out, problems
