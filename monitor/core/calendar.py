"""The SSE/SZSE trading calendar: holidays, the session phase and the next open.

Holidays come from ``exchange-calendars`` (XSHG, maintained upstream) rather than a
hand-written list. Its data ends at a fixed date (the exchanges publish each year's
holidays in December); past that date weekdays count as trading days and
:attr:`TradingCalendar.covered_until` says so. Loading pandas takes ~0.5 s, so the
calendar is loaded lazily (the window does it in a worker thread).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from monitor.core.quotes import SHANGHAI
from monitor.core.session import Phase, phase_at

__all__ = ["MarketStatus", "TradingCalendar"]

log = logging.getLogger(__name__)
_OPEN = dt.time(9, 30)


@dataclass(frozen=True, slots=True)
class MarketStatus:
    phase: Phase
    holiday: bool  # a weekday the exchanges are closed
    next_open: dt.datetime | None  # when the market is closed now
    known: bool  # False past the end of the holiday data (weekday rule used)


class TradingCalendar:
    def __init__(self, load: bool = True) -> None:
        self._sessions: set[dt.date] = set()
        self.covered_from: dt.date | None = None
        self.covered_until: dt.date | None = None
        if load:
            self._load()

    def _load(self) -> None:
        try:
            import exchange_calendars as xc

            cal = xc.get_calendar("XSHG")
            self._sessions = {ts.date() for ts in cal.sessions}
            self.covered_from = cal.first_session.date()
            self.covered_until = cal.last_session.date()
        except Exception as e:  # no package, or a broken one: weekdays only
            log.warning("trading calendar unavailable (%s); using weekdays only", e)

    def knows(self, day: dt.date) -> bool:
        return (
            self.covered_from is not None
            and self.covered_until is not None
            and self.covered_from <= day <= self.covered_until
        )

    def is_trading_day(self, day: dt.date) -> bool:
        if self.knows(day):
            return day in self._sessions
        return day.weekday() < 5

    def status(self, now: dt.datetime | None = None) -> MarketStatus:
        local = (now or dt.datetime.now(SHANGHAI)).astimezone(SHANGHAI)
        day = local.date()
        trading = self.is_trading_day(day)
        phase = phase_at(local, trading_day=trading)
        holiday = not trading and day.weekday() < 5
        next_open = None
        if phase in (Phase.CLOSED, Phase.PRE_OPEN) or not trading:
            d = day if (trading and local.time() < _OPEN) else day + dt.timedelta(days=1)
            for _ in range(40):
                if self.is_trading_day(d):
                    next_open = dt.datetime.combine(d, _OPEN, SHANGHAI)
                    break
                d += dt.timedelta(days=1)
        return MarketStatus(phase, holiday, next_open, self.knows(day))
