"""Daily, weekly and monthly K-lines (日K / 周K / 月K): bars, moving averages, periods.

A bar is one period's open, high, low, close, volume (shares) and turnover, stamped
with the period's first trading day (China date). ``roll_up`` builds weekly and
monthly bars from daily ones (the simulator's history; a provider serves its own);
``with_live`` puts today's figures from the quote book on the last bar, so the chart
moves with the market between fetches.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from monitor.core.quotes import SHANGHAI

__all__ = ["Bar", "Period", "moving_average", "parse_bars", "roll_up", "with_live"]


class Period(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"

    @property
    def alltick_type(self) -> int:
        """AllTick's ``kline_type``: 8 day, 9 week, 10 month."""
        return {Period.DAY: 8, Period.WEEK: 9, Period.MONTH: 10}[self]

    def key(self, day: dt.date) -> tuple[int, int]:
        """Which period ``day`` belongs to (ISO week, or month)."""
        if self is Period.WEEK:
            iso = day.isocalendar()
            return iso.year, iso.week
        if self is Period.MONTH:
            return day.year, day.month
        return day.toordinal(), 0


@dataclass(frozen=True, slots=True)
class Bar:
    day: dt.date
    open: float
    high: float
    low: float
    close: float
    volume: float
    turnover: float = 0.0


def _num(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        v = float(value)
    except ValueError:
        return None
    return v if math.isfinite(v) and v >= 0 else None


def parse_bars(items: Iterable[object]) -> tuple[list[Bar], int]:
    """Bars from AllTick's ``kline_list`` items (strings or numbers; ``timestamp`` in
    epoch seconds), oldest first; returns (bars, how many items were unusable)."""
    out: dict[dt.date, Bar] = {}
    bad = 0
    for k in items:
        if not isinstance(k, dict):
            bad += 1
            continue
        ts = _num(k.get("timestamp"))
        o, h, lo, c = (
            _num(k.get(f)) for f in ("open_price", "high_price", "low_price", "close_price")
        )
        v = _num(k.get("volume"))
        if ts is None or not (o and h and lo and c):  # a missing or zero price
            bad += 1
            continue
        if not (lo <= min(o, c) and max(o, c) <= h):
            bad += 1  # a bar whose high is below its close cannot be drawn truthfully
            continue
        try:
            day = dt.datetime.fromtimestamp(ts if ts < 1e11 else ts / 1000, SHANGHAI).date()
        except (OverflowError, OSError, ValueError):
            bad += 1
            continue
        out[day] = Bar(day, o, h, lo, c, v or 0.0, _num(k.get("turnover")) or 0.0)
    return [out[d] for d in sorted(out)], bad


def moving_average(closes: Sequence[float], n: int) -> npt.NDArray[np.float64]:
    """Simple n-period average of closes; NaN until n closes exist."""
    c = np.asarray(closes, np.float64)
    out = np.full(len(c), np.nan)
    if len(c) >= n:
        s = np.cumsum(np.insert(c, 0, 0.0))
        out[n - 1 :] = (s[n:] - s[:-n]) / n
    return out


def roll_up(daily: Sequence[Bar], period: Period) -> list[Bar]:
    """Weekly or monthly bars from daily ones (oldest first)."""
    if period is Period.DAY:
        return list(daily)
    out: list[Bar] = []
    last_key: tuple[int, int] | None = None
    for b in daily:
        k = period.key(b.day)
        if out and k == last_key:
            p = out[-1]
            out[-1] = Bar(
                p.day,
                p.open,
                max(p.high, b.high),
                min(p.low, b.low),
                b.close,
                p.volume + b.volume,
                p.turnover + b.turnover,
            )
        else:
            out.append(b)
            last_key = k
    return out


def with_live(bars: list[Bar], today: Bar | None, period: Period) -> list[Bar]:
    """``bars`` with today's live figures: today's daily bar replaced (or added), or the
    current week's / month's bar extended by it."""
    if today is None:
        return bars
    out = [b for b in bars if b.day != today.day] if period is Period.DAY else list(bars)
    if period is Period.DAY:
        out.append(today)
        return out
    if out and period.key(out[-1].day) == period.key(today.day):
        p = out[-1]
        if p.day == today.day:  # the provider's bar already is today's only
            out[-1] = today
        else:
            out[-1] = replace(
                p, high=max(p.high, today.high), low=min(p.low, today.low), close=today.close
            )
        return out
    out.append(today)
    return out
