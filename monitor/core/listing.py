"""The A-share listing the app ships: codes, names, listing dates, pinyin initials.

Built by ``packaging/build_listing.py`` from a licensed public source (see
``resources/listing/SOURCE.md``), so the whole market, names, quick search and
add-by-name work with any provider — AllTick serves no symbol list. Pinyin initials
are precomputed at build time: no pinyin dictionary is loaded at run time.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from monitor.core.master import SymbolInfo, SymbolMaster, is_st
from monitor.core.symbols import Board, SymbolError, board_of, normalize

__all__ = ["Listing", "ListingError", "parse_listing"]


class ListingError(ValueError):
    """A listing file that cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Listing:
    """The listing as a symbol master, and the newest listing date it knows."""

    master: SymbolMaster
    as_of: str  # YYYY-MM-DD

    def stocks(self) -> list[str]:
        """Every listed stock (the indices left out), in code order."""
        return [i.symbol for i in self.master if i.board is not Board.INDEX]


def parse_listing(text: str) -> Listing:
    """Parse ``code,name,list_date,initials`` CSV (as built); bad rows are skipped."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or header[:2] != ["code", "name"]:
        raise ListingError("not a listing file (expected a 'code,name,…' header)")
    infos: list[SymbolInfo] = []
    newest = ""
    for row in reader:
        if len(row) < 2:
            continue
        try:
            symbol = normalize(row[0])
        except SymbolError:
            continue
        name = row[1]
        date = row[2] if len(row) > 2 else ""
        readings = tuple(r for r in row[3].split("|") if r) if len(row) > 3 else ()
        newest = max(newest, date)
        infos.append(SymbolInfo(symbol, name, board_of(symbol), is_st(name), None, readings, date))
    if not infos:
        raise ListingError("the listing has no valid A-share codes")
    return Listing(SymbolMaster(infos), newest)
