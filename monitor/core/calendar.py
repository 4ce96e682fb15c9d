"""The SSE/SZSE trading calendar: holidays, the session phase and the next open.

Closures come from :mod:`monitor.core.calendar_data`, generated at build time by
``packaging/build_calendar.py`` from the maintained ``holidays`` package (XSHG) rather
than a hand-written list; nothing is computed or downloaded at run time. Years up to
``PUBLISHED_THROUGH`` are the announced schedules; the following years are estimated
from the statutory rules (:meth:`TradingCalendar.is_estimated`). Past ``LAST_YEAR``
weekdays count as trading days and :attr:`MarketStatus.known` says so. The exchanges
never open on a weekend, make-up working days (调休) included.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from monitor.core.quotes import SHANGHAI
from monitor.core.session import Phase, phase_at

__all__ = ["MarketStatus", "TradingCalendar"]

_OPEN = dt.time(9, 30)


@dataclass(frozen=True, slots=True)
class MarketStatus:
    phase: Phase
    holiday: bool  # a weekday the exchanges are closed
    next_open: dt.datetime | None  # when the market is closed now
    known: bool  # False past the end of the holiday data (weekday rule used)
    # the holiday, or a closure between now and next_open, is estimated, not announced
    estimated: bool = False


class TradingCalendar:
    def __init__(self, load: bool = True) -> None:
        self._closed: frozenset[dt.date] = frozenset()
        self.covered_from: dt.date | None = None
        self.covered_until: dt.date | None = None
        self.published_until: dt.date | None = None  # announced closures end; estimates after
        if load:
            self._load()

    def _load(self) -> None:
        from monitor.core import calendar_data as data

        self._closed = frozenset(map(dt.date.fromisoformat, data.PUBLISHED + data.ESTIMATED))
        self.covered_from = dt.date(data.FIRST_YEAR, 1, 1)
        self.covered_until = dt.date(data.LAST_YEAR, 12, 31)
        self.published_until = dt.date(data.PUBLISHED_THROUGH, 12, 31)

    def knows(self, day: dt.date) -> bool:
        return (
            self.covered_from is not None
            and self.covered_until is not None
            and self.covered_from <= day <= self.covered_until
        )

    def is_estimated(self, day: dt.date) -> bool:
        """Whether ``day``'s closures are estimated (known, but not announced yet)."""
        return self.knows(day) and self.published_until is not None and day > self.published_until

    def is_trading_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        return day not in self._closed if self.knows(day) else True

    def is_holiday(self, day: dt.date) -> bool:
        """A weekday the exchanges are closed."""
        return day.weekday() < 5 and not self.is_trading_day(day)

    def status(self, now: dt.datetime | None = None) -> MarketStatus:
        local = (now or dt.datetime.now(SHANGHAI)).astimezone(SHANGHAI)
        day = local.date()
        trading = self.is_trading_day(day)
        phase = phase_at(local, trading_day=trading)
        holiday = self.is_holiday(day)
        estimated = holiday and self.is_estimated(day)
        next_open = None
        if phase in (Phase.CLOSED, Phase.PRE_OPEN) or not trading:
            d = day if (trading and local.time() < _OPEN) else day + dt.timedelta(days=1)
            for _ in range(40):
                if self.is_trading_day(d):
                    next_open = dt.datetime.combine(d, _OPEN, SHANGHAI)
                    break
                estimated = estimated or (self.is_holiday(d) and self.is_estimated(d))
                d += dt.timedelta(days=1)
        return MarketStatus(phase, holiday, next_open, self.knows(day), estimated)
