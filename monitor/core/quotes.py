"""Value types that cross the codec -> book boundary: one trade tick, one quote snapshot."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import msgspec

__all__ = [
    "MAX_SEQ",
    "SHANGHAI",
    "Depth",
    "Quote",
    "Tick",
    "depth_levels",
    "ms_to_iso",
    "normalize_epoch_ms",
]

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "CST")


class Tick(msgspec.Struct, frozen=True, gc=False):
    """One trade (or snapshot) for one symbol, as decoded from any provider.

    ``volume``/``turnover`` are this trade's (NaN when the provider did not send them:
    unknown, never 0); ``day_volume``/``day_turnover`` are the day's totals when the
    provider sends them (then they win). Optional fields are ``None`` when the provider
    does not send them (AllTick sends no OHLC or prev close).
    """

    symbol: str
    price: float
    time_ms: int
    volume: float = 0.0
    turnover: float = 0.0
    seq: int = 0
    day_volume: float | None = None
    day_turnover: float | None = None
    prev_close: float | None = None
    open: float | None = None
    high: float | None = None
    low: float | None = None
    name: str | None = None


MAX_SEQ = (1 << 63) - 1  # a provider sequence number beyond int64 cannot be real

Level = tuple[float, float]  # (price, volume in shares)


@dataclass(frozen=True, slots=True)
class Depth:
    """One symbol's order book (五档): best bid first, best ask first; (price, shares).

    A side is empty when nothing rests there (only bids at limit-up, only asks at
    limit-down); providers send zero-valued levels for that, which decoding drops.
    """

    symbol: str
    time_ms: int
    bids: tuple[Level, ...]
    asks: tuple[Level, ...]


MAX_LEVELS = 10


def depth_levels(items: object, side: str) -> tuple[Level, ...]:
    """Levels from a provider's list: ``{"price","volume"}``, ``{"p","v"}`` or
    ``[price, volume]`` items, numbers or numeric strings. Zero levels (an empty side)
    are dropped; raises ValueError for anything that is not a list of levels."""
    if not isinstance(items, list):
        raise ValueError(f"{side} is not a list")
    out: list[Level] = []
    for item in items[:MAX_LEVELS]:
        if isinstance(item, dict):
            p, v = item.get("price", item.get("p")), item.get("volume", item.get("v"))
        elif isinstance(item, list | tuple) and len(item) >= 2:
            p, v = item[0], item[1]
        else:
            raise ValueError(f"{side} level is not a price and a volume")
        if isinstance(p, bool) or isinstance(v, bool) or not isinstance(p, int | float | str):
            raise ValueError(f"{side} price is not a number")
        if not isinstance(v, int | float | str):
            raise ValueError(f"{side} volume is not a number")
        price, volume = float(p), float(v)
        if not (math.isfinite(price) and math.isfinite(volume)) or price < 0 or volume < 0:
            raise ValueError(f"{side} level out of range")
        if price > 0:
            out.append((price, volume))
    return tuple(out)


def normalize_epoch_ms(value: float) -> int:
    """Epoch seconds, milliseconds, microseconds or nanoseconds -> milliseconds.

    The unit is told by magnitude (providers document milliseconds but send seconds
    too, and some servers microseconds): below 1e11 seconds, below 1e14 ms, below
    1e17 µs, below 1e20 ns. Anything else raises ``ValueError``: it cannot be a time.
    """
    if value.__class__ is int:
        if not 0 < value < 10**20:
            raise ValueError(f"bad timestamp {str(value)[:24]}")
    elif not (math.isfinite(value) and 0 < value < 1e20):
        raise ValueError(f"bad timestamp {str(value)[:24]}")
    if value < 1e11:
        return int(value * 1000)
    if value < 1e14:
        return int(value)
    if value < 1e17:
        return int(value // 1000)
    return int(value // 1_000_000)


def ms_to_iso(ms: int) -> str:
    """ISO 8601 in China time with an explicit +08:00 offset, to the millisecond."""
    try:
        t = dt.datetime.fromtimestamp(ms / 1000, SHANGHAI)
    except (ValueError, OverflowError, OSError):
        return ""  # not a representable time: an empty cell, never a crash
    return t.isoformat(timespec="milliseconds")


@dataclass(frozen=True, slots=True)
class Quote:
    """The latest known state of one symbol; ``None`` where not yet known."""

    symbol: str
    name: str
    last: float | None
    prev_close: float | None
    open: float | None
    high: float | None
    low: float | None
    volume: float
    turnover: float
    change: float | None
    change_pct: float | None
    limit_up: float | None
    limit_down: float | None
    time_ms: int
    seq: int
    ticks: int
