"""K-lines fetched at most once per symbol, period and provider in a quarter of an hour.

The provider's K-line API shares the plan's HTTP budget with the previous closes, so
flicking between symbols and periods costs one request each, not one per look. Kept
in memory only, keyed by the day: a bar of the current period is the provider's as
of the fetch, so nothing partial is kept past the quarter hour, nor across a restart
or a new day (the chart moves today's candle with the live price in between).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from monitor.core.kline import Bar, Period

__all__ = ["Cached", "KlineCache"]

FRESH_SECONDS = 15 * 60.0


@dataclass(frozen=True, slots=True)
class Cached:
    bars: list[Bar]
    fetched_at: float  # wall-clock seconds


class KlineCache:
    def __init__(self, fresh_seconds: float = FRESH_SECONDS) -> None:
        self.fresh_seconds = fresh_seconds
        self._memory: dict[tuple[str, str, Period, dt.date], Cached] = {}

    def get(self, provider: str, symbol: str, period: Period, day: dt.date) -> Cached | None:
        got = self._memory.get((provider, symbol, period, day))
        if got is None or time.time() - got.fetched_at > self.fresh_seconds:
            return None
        return got

    def put(
        self, provider: str, symbol: str, period: Period, day: dt.date, bars: list[Bar]
    ) -> Cached:
        # Yesterday's entries are of no use any more.
        for key in [k for k in self._memory if k[3] != day]:
            del self._memory[key]
        c = Cached(bars, time.time())
        if bars:  # an empty answer is asked again next time
            self._memory[(provider, symbol, period, day)] = c
        return c
