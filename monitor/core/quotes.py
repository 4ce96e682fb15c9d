"""Value types that cross the codec -> book boundary: one trade tick, one quote snapshot."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import msgspec

__all__ = ["SHANGHAI", "Quote", "Tick", "ms_to_iso", "normalize_epoch_ms"]

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "CST")


class Tick(msgspec.Struct, frozen=True, gc=False):
    """One trade (or snapshot) for one symbol, as decoded from any provider.

    ``volume``/``turnover`` are this trade's; ``day_volume``/``day_turnover`` are the
    day's totals when the provider sends them (then they win). Optional fields are
    ``None`` when the provider does not send them (AllTick sends no OHLC or prev close).
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


def normalize_epoch_ms(value: float) -> int:
    """Epoch seconds or milliseconds -> milliseconds (values below 1e11 are seconds)."""
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"bad timestamp {value!r}")
    return int(value * 1000) if value < 1e11 else int(value)


def ms_to_iso(ms: int) -> str:
    """ISO 8601 in China time with an explicit +08:00 offset, to the millisecond."""
    t = dt.datetime.fromtimestamp(ms / 1000, SHANGHAI)
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
