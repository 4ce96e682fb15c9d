"""A-share trading sessions (SSE and SZSE share them), in China time.

Pre-open auction 09:15-09:25, (matching pause to 09:30), continuous 09:30-11:30,
lunch break, continuous 13:00-14:57, closing auction 14:57-15:00, then closed.
Weekends are closed; exchange holidays come from a calendar (see issue 7).
"""

from __future__ import annotations

import datetime as dt
import enum

from monitor.core.quotes import SHANGHAI

__all__ = ["Phase", "is_trading", "phase_at"]


class Phase(enum.StrEnum):
    PRE_OPEN = "pre_open"  # before 09:15 on a trading day
    OPENING_AUCTION = "opening_auction"  # 09:15-09:25
    PRE_CONTINUOUS = "pre_continuous"  # 09:25-09:30: auction result shown, no matching
    CONTINUOUS = "continuous"
    LUNCH = "lunch"
    CLOSING_AUCTION = "closing_auction"  # 14:57-15:00
    CLOSED = "closed"  # after 15:00 or a non-trading day


_T = dt.time
_SCHEDULE: tuple[tuple[dt.time, Phase], ...] = (
    (_T(9, 15), Phase.PRE_OPEN),
    (_T(9, 25), Phase.OPENING_AUCTION),
    (_T(9, 30), Phase.PRE_CONTINUOUS),
    (_T(11, 30), Phase.CONTINUOUS),
    (_T(13, 0), Phase.LUNCH),
    (_T(14, 57), Phase.CONTINUOUS),
    (_T(15, 0), Phase.CLOSING_AUCTION),
)


def phase_at(when: dt.datetime, *, trading_day: bool | None = None) -> Phase:
    """The session phase at ``when`` (any timezone; naive means China time)."""
    local = when.astimezone(SHANGHAI) if when.tzinfo else when.replace(tzinfo=SHANGHAI)
    if trading_day is None:
        trading_day = local.weekday() < 5
    if not trading_day:
        return Phase.CLOSED
    t = local.time()
    for end, phase in _SCHEDULE:
        if t < end:
            return phase
    return Phase.CLOSED


def is_trading(phase: Phase) -> bool:
    """True while prices are being set (auctions and continuous trading)."""
    return phase in (Phase.OPENING_AUCTION, Phase.CONTINUOUS, Phase.CLOSING_AUCTION)
