"""A-share daily price limits as dated data: the limit a stock has on a given trading day.

The exchanges change these rules — main-board ST/*ST stocks moved from ±5 % to ±10 % for
trading days from 2026-07-06 — so each rule is a row with the day it took effect and its
source, never a constant: a replay of an older day gets that day's rule. New listings
trade without a limit for their first days (ChiNext and STAR since their registration
reforms, the main board for stocks listed from 2023-04-10: 5 trading days; BSE: the
listing day).

Not modelled, so no limit is shown rather than a wrong one: a main-board listing day
before 2023-04-10 (then +44 % / −36 %, not a symmetric band).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from monitor.core.symbols import Board

__all__ = ["LIMITS", "NEW_LISTINGS", "LimitRow", "NewListingRow", "limit_pct", "shanghai_today"]

_SHANGHAI = dt.timezone(dt.timedelta(hours=8))
_RULES_2026 = (
    "SSE/SZSE risk-warning rule change for trading days from 2026-07-06 (after the June 2025 "
    "consultation; cited in TradingAgents-astock #85 and akquant #249)"
)


@dataclass(frozen=True, slots=True)
class LimitRow:
    """From ``since`` on, stocks of ``boards`` (ST or not, or either when ``st`` is None)
    may move ``pct`` of the previous close a day (``None``: no limit)."""

    boards: frozenset[Board]
    st: bool | None
    pct: float | None
    since: dt.date
    source: str


@dataclass(frozen=True, slots=True)
class NewListingRow:
    """Stocks of ``boards`` listed from ``since`` on trade with no limit for their first
    ``days`` trading days (the listing day is day 1)."""

    boards: frozenset[Board]
    days: int
    since: dt.date
    source: str


def _b(*boards: Board) -> frozenset[Board]:
    return frozenset(boards)


LIMITS: tuple[LimitRow, ...] = (
    LimitRow(_b(Board.MAIN), False, 0.10, dt.date(1996, 12, 16), "SSE/SZSE trading rules"),
    LimitRow(_b(Board.MAIN), True, 0.05, dt.date(1998, 4, 22), "SSE/SZSE special treatment"),
    LimitRow(_b(Board.MAIN), True, 0.10, dt.date(2026, 7, 6), _RULES_2026),
    LimitRow(_b(Board.CHINEXT), None, 0.10, dt.date(2009, 10, 30), "SZSE ChiNext rules"),
    LimitRow(_b(Board.CHINEXT), None, 0.20, dt.date(2020, 8, 24), "ChiNext registration reform"),
    LimitRow(_b(Board.STAR), None, 0.20, dt.date(2019, 7, 22), "SSE STAR Market rules"),
    LimitRow(_b(Board.BSE), None, 0.30, dt.date(2021, 11, 15), "BSE trading rules"),
    LimitRow(_b(Board.FUND), None, 0.10, dt.date(1996, 12, 16), "SSE/SZSE trading rules"),
    LimitRow(_b(Board.INDEX), None, None, dt.date(1990, 12, 19), "an index has no limit"),
)

NEW_LISTINGS: tuple[NewListingRow, ...] = (
    # Before full registration a main-board listing day had +44 % / -36 %: not a band,
    # so no limit is shown for it (see the module).
    NewListingRow(_b(Board.MAIN), 1, dt.date(2014, 1, 1), "main-board IPO day (+44 %/-36 %)"),
    NewListingRow(_b(Board.MAIN), 5, dt.date(2023, 4, 10), "full registration: first 5 days"),
    NewListingRow(_b(Board.CHINEXT), 5, dt.date(2020, 8, 24), "ChiNext registration reform"),
    NewListingRow(_b(Board.STAR), 5, dt.date(2019, 7, 22), "SSE STAR Market rules"),
    NewListingRow(_b(Board.BSE), 1, dt.date(2021, 11, 15), "BSE trading rules: listing day"),
)

# Five trading days never span more than this many calendar days (the longest closure,
# Spring Festival, is 9 days with its weekends).
_MAX_SPAN_DAYS = 21


def shanghai_today(now: dt.datetime | None = None) -> dt.date:
    """Today's date in China (the trading day a live quote belongs to)."""
    return (now or dt.datetime.now(_SHANGHAI)).astimezone(_SHANGHAI).date()


def _weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def _rule_pct(board: Board, st: bool, day: dt.date) -> float | None:
    found: LimitRow | None = None
    for row in LIMITS:
        applies = board in row.boards and row.st in (None, st) and row.since <= day
        if applies and (found is None or row.since >= found.since):
            found = row
    return found.pct if found is not None else None


def _in_first_days(
    board: Board, listed: dt.date, day: dt.date, is_trading_day: Callable[[dt.date], bool]
) -> bool:
    """True while ``day`` is one of the no-limit first days of a listing on ``listed``."""
    if day < listed or (day - listed).days > _MAX_SPAN_DAYS:
        return False
    rows = [r for r in NEW_LISTINGS if board in r.boards and r.since <= listed]
    if not rows:
        return False
    days = max(rows, key=lambda r: r.since).days
    n, d = 0, listed
    while d <= day:
        if is_trading_day(d):
            n += 1
        d += dt.timedelta(days=1)
    return n <= days


def limit_pct(
    board: Board,
    *,
    st: bool = False,
    day: dt.date | None = None,
    listed: dt.date | None = None,
    is_trading_day: Callable[[dt.date], bool] = _weekday,
) -> float | None:
    """Fraction of the previous close a stock may move on trading ``day`` (default:
    today in China); ``None`` means no limit (an index, a new listing's first days, a
    day before any rule known here)."""
    day = day or shanghai_today()
    if listed is not None and _in_first_days(board, listed, day, is_trading_day):
        return None
    return _rule_pct(board, st, day)
