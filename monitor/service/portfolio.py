"""The holdings operations (持仓): set, remove, import, export, value — each saved at once.

Owned by :class:`~monitor.service.monitor.MonitorService`, which subscribes the held
symbols (so they are priced even when in no watchlist) and publishes
:class:`~monitor.service.events.HoldingsChanged` after every change. Nothing here
leaves the machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from monitor.core.atomic import atomic_write_text
from monitor.core.book import QuoteBook
from monitor.core.errors import UserError
from monitor.core.holdings import Holding, HoldingError, Holdings, Valuation, value
from monitor.core.persist import save_json

__all__ = ["Portfolio", "Totals"]


MAX_CSV_BYTES = 4 * 2**20  # a broker's holdings export is a few kilobytes


@dataclass(frozen=True, slots=True)
class Totals:
    market_value: float
    pnl: float
    today_pnl: float
    unpriced: int  # holdings without a current price: not in the sums
    no_close: int  # priced but without a previous close: not in today's P&L


class Portfolio:
    def __init__(
        self,
        path: Path,
        on_change: Callable[[], None],
        on_not_saved: Callable[[str], None],
    ) -> None:
        self.path = path
        self.holdings, self.problems = Holdings.load(path)
        self._changed = on_change
        self._not_saved = on_not_saved

    def _save(self) -> None:
        try:
            save_json(self.path, self.holdings.to_json())
        except OSError as e:
            self._not_saved(f"{self.path}: {e.strerror or e}")
        self._changed()

    # --- operations ----------------------------------------------------------------------
    def set(self, symbol: str, quantity: object, cost: object) -> Holding:
        """Add or replace a holding; raises HoldingError (nothing changed) if invalid."""
        h = Holding.make(symbol, quantity, cost)
        self.holdings.set(h)
        self._save()
        return h

    def remove(self, symbols: list[str]) -> list[Holding]:
        gone = self.holdings.remove(symbols)
        if gone:
            self._save()
        return gone

    def import_csv(self, path: Path) -> tuple[int, list[tuple[int, UserError]]]:
        """Add or replace the holdings in a CSV; returns (count, skipped lines with why).
        Raises HoldingError for a file that has no usable header, OSError if unreadable."""
        if path.stat().st_size > MAX_CSV_BYTES:
            raise HoldingError("the file is larger than {0} MB", MAX_CSV_BYTES // 2**20)
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("gb18030", errors="replace")  # Excel in China
        got, problems = Holdings.parse_csv(text)
        if not got and problems:
            raise HoldingError("no holding could be read: {0}", problems[0][1])
        for h in got:
            self.holdings.set(h)
        if got:
            self._save()
        return len(got), problems

    def export_csv(self, path: Path) -> int:
        """Write every holding to ``path`` (code, quantity, cost); raises OSError."""
        atomic_write_text(path, self.holdings.to_csv())
        return len(self.holdings)

    # --- reads -------------------------------------------------------------------------
    def valuations(self, book: QuoteBook) -> list[Valuation]:
        """Each holding at the book's price (the book holds this session's prices only:
        a new provider session clears it, so an old provider's price is never used)."""
        out = []
        for h in self.holdings.items.values():
            r = book.row_of(h.symbol)
            last = prev = None
            if r is not None:
                lv, pv = float(book.last[r]), float(book.prev_close[r])
                last = lv if math.isfinite(lv) else None
                prev = pv if math.isfinite(pv) else None
            out.append(value(h, last, prev))
        return out

    @staticmethod
    def totals(vals: list[Valuation]) -> Totals:
        priced = [v for v in vals if v.market_value is not None]
        return Totals(
            sum(v.market_value or 0.0 for v in priced),
            sum(v.pnl or 0.0 for v in priced),
            sum(v.today_pnl or 0.0 for v in priced),
            len(vals) - len(priced),
            sum(1 for v in priced if v.today_pnl is None),
        )
