"""Market breadth (涨跌家数) over a set of rows of the quote book, vectorised.

Counted over stocks only (indices are shown apart) that have a current price and a
previous close from this session — a row without them is neither up nor down, it is
unknown, and counted as such. Limit-up / limit-down: at or beyond the limit price the
book computed from the previous close and the board's rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from monitor.core.book import QuoteBook

__all__ = ["MAIN_INDICES", "Breadth", "breadth"]

# What terminals show on their index bar, in this order.
MAIN_INDICES = ("000001.SH", "399001.SZ", "399006.SZ", "000688.SH", "899050.BJ")


@dataclass(frozen=True, slots=True)
class Breadth:
    up: int
    flat: int
    down: int
    limit_up: int
    limit_down: int
    unknown: int  # no price or no previous close yet
    turnover: float  # CNY, summed over the stocks counted; NaN: the provider sends none


def breadth(book: QuoteBook, rows: npt.NDArray[np.int64]) -> Breadth:
    """Breadth of ``rows`` (stocks; the caller leaves indices out)."""
    if not len(rows):
        return Breadth(0, 0, 0, 0, 0, 0, 0.0)
    last = np.asarray(book.last, np.float64)[rows]
    prev = np.asarray(book.prev_close, np.float64)[rows]
    known = np.isfinite(last) & np.isfinite(prev) & (prev > 0)
    # Prices are in 0.01 steps: compare in cents so 10.1 - 10.1 cannot come out as a change.
    diff = np.round((last - prev) * 100.0)
    up = int((known & (diff > 0)).sum())
    down = int((known & (diff < 0)).sum())
    flat = int(known.sum()) - up - down
    lim_up = np.asarray(book.limit_up, np.float64)[rows]
    lim_down = np.asarray(book.limit_down, np.float64)[rows]
    with np.errstate(invalid="ignore"):
        at_up = int((known & (last >= lim_up - 1e-6)).sum())
        at_down = int((known & (last <= lim_down + 1e-6)).sum())
    # Only turnovers the provider sent: NaN (none known) when it sends none at all.
    turns = np.asarray(book.turnover, np.float64)[rows][np.isfinite(last)]
    sent = np.isfinite(turns)
    turnover = float(turns[sent].sum()) if sent.any() else math.nan
    return Breadth(up, flat, down, at_up, at_down, len(rows) - int(known.sum()), turnover)
