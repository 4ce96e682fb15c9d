"""The quote book: latest quote per symbol in columnar numpy arrays, plus history.

Feed messages only touch this book; the UI reads it on its own timer. Columns (one
array per field, one row per symbol) make a sort one ``argsort``, an export a slice,
and history a 2-D ring buffer. Rows touched since the last
:meth:`QuoteBook.take_dirty` are in the dirty set.

Freshness is scoped. A provider's ``seq`` is only comparable within the connection
that issued it (servers commonly number per connection), so each tick arrives with
the *scope* of its connection and a new scope starts a new seq watermark. Within a
scope a tick is dropped as a duplicate only when both its seq and its exchange time
say it is old, so one absurd seq cannot pin a symbol; a tick with a time that cannot
be real (minutes in the future, before 2000) is rejected and never becomes a
watermark, so one absurd time cannot either: the time watermark never runs more than 2 s ahead of
the tick's arrival.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from monitor.core.market_rules import limit_pct, shanghai_today
from monitor.core.master import SymbolMaster
from monitor.core.quotes import Quote, Tick
from monitor.core.symbols import board_of, limit_prices

__all__ = ["Applied", "BookStats", "History", "QuoteBook"]

_DAY_MS = 86_400_000
_CST_MS = 8 * 3_600_000
MAX_PRICE = 1_000_000.0  # no A-share trades anywhere near this; larger is a bad frame
MIN_TIME_MS = 946_656_000_000  # 2000-01-01 CST: no tick of this market's feeds is older
FUTURE_MS = 300_000  # a tick stamped more than 5 minutes ahead of its arrival is not real
_EPOCH = dt.date(1970, 1, 1)
MARK_SKEW_MS = 2_000  # how far ahead of its arrival a tick's time may hold the watermark


class Applied(enum.IntEnum):
    APPLIED = 0
    DUPLICATE = 1
    OUT_OF_ORDER = 2
    INVALID = 3
    BAD_TIME = 4
    UNSUBSCRIBED = 5


@dataclass(slots=True)
class BookStats:
    """What happened to every tick offered to the book, by outcome."""

    applied: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    invalid: int = 0  # price or volume that cannot be real
    bad_time: int = 0  # time in the future or before 2000
    unsubscribed: int = 0  # a code nobody asked for

    def main_drop(self, since: BookStats | None = None) -> str:
        """The commonest reason ticks were dropped since ``since``: a field name, or ""."""
        base = since or BookStats()
        counts = {
            name: getattr(self, name) - getattr(base, name)
            for name in ("duplicates", "out_of_order", "invalid", "bad_time", "unsubscribed")
        }
        name, n = max(counts.items(), key=lambda kv: kv[1])
        return name if n > 0 else ""

    def copy(self) -> BookStats:
        return BookStats(
            self.applied,
            self.duplicates,
            self.out_of_order,
            self.invalid,
            self.bad_time,
            self.unsubscribed,
        )


@dataclass(frozen=True, slots=True)
class History:
    """One symbol's intraday points, oldest first: bucket start (epoch s), last price, volume."""

    times: npt.NDArray[np.float64]
    prices: npt.NDArray[np.float32]
    volumes: npt.NDArray[np.float32]
    averages: npt.NDArray[np.float32]  # the day's volume-weighted average price (均价) so far


F64 = npt.NDArray[np.float64]


class QuoteBook:
    """Latest quote per symbol; rows are allocated on first sight and never move.

    Scalar columns are Python lists: the tick path writes single elements, which
    lists do several times faster than numpy; :meth:`array` gives a numpy copy of a
    column for vectorised reads (sorting, export). History is 2-D numpy (float32
    prices and volumes), so a full day for the whole market stays small.
    """

    _FLOAT_NAN = (
        "volume",
        "turnover",
        "last",
        "prev_close",
        "open",
        "high",
        "low",
        "limit_up",
        "limit_down",
        "limit_pct",
    )
    # vwap_*: the day's sum of price × volume and of volume over the ticks applied, for
    # the average price (均价); kept apart from volume/turnover, which a provider may send.
    # volume, turnover: the day's, NaN until the provider sends one (unknown, never 0).
    _FLOAT_ZERO = ("received_ms", "vwap_amount", "vwap_volume")
    # vwap_from_ms: the time 均价 counts trades from (0: the whole day, from day totals).
    _INT = ("time_ms", "seq", "scope", "ticks", "hist_count", "vwap_from_ms")
    # The per-row history rings and what an empty slot holds.
    _HIST = (
        ("hist_price", np.nan, np.float32),
        ("hist_volume", 0.0, np.float32),
        ("hist_avg", np.nan, np.float32),
        ("hist_slot", 0, np.int32),
    )

    def __init__(
        self,
        master: SymbolMaster | None = None,
        *,
        is_trading_day: Callable[[dt.date], bool] | None = None,
        history_points: int = 242,
        bucket_seconds: float = 60.0,
        capacity: int = 1024,
    ) -> None:
        self.master = master if master is not None else SymbolMaster()
        # Price limits follow the rules of each row's trading day (core.market_rules);
        # counting a new listing's first days needs the exchange calendar.
        self.is_trading_day = is_trading_day or (lambda d: d.weekday() < 5)
        self.history_points = history_points
        if not bucket_seconds >= 1.0:  # bucket numbers are int32 epoch-based
            raise ValueError(f"history buckets must be at least 1 s, got {bucket_seconds}")
        self.bucket_ms = int(bucket_seconds * 1000)
        self.accept_new = True  # False: ticks for symbols without a row are dropped
        self._init_rows(max(16, capacity))

    def _init_rows(self, capacity: int) -> None:
        self.stats = BookStats()
        self.symbols: list[str] = []
        self.names: list[str] = []
        self._row: dict[str, int] = {}
        self._dirty: set[int] = set()
        self.last: list[float] = []
        self.prev_close: list[float] = []
        self.open: list[float] = []
        self.high: list[float] = []
        self.low: list[float] = []
        self._hist_i: list[int] = []  # slot of the current history bucket
        self.limit_up: list[float] = []
        self.limit_down: list[float] = []
        self.limit_pct: list[float] = []
        self.volume: list[float] = []
        self.turnover: list[float] = []
        self.vwap_amount: list[float] = []
        self.vwap_volume: list[float] = []
        self.vwap_from_ms: list[int] = []
        self.received_ms: list[float] = []
        self.time_ms: list[int] = []
        self.seq: list[int] = []
        self.scope: list[int] = []  # the connection session that set ``seq``
        self.ticks: list[int] = []
        self.hist_count: list[int] = []
        self.day: list[int] = []
        self.hist_bucket: list[int] = []
        self.hist_price: npt.NDArray[np.float32] = np.empty((0, self.history_points), np.float32)
        self.hist_volume: npt.NDArray[np.float32] = np.empty((0, self.history_points), np.float32)
        self.hist_avg: npt.NDArray[np.float32] = np.empty((0, self.history_points), np.float32)
        self.hist_slot: npt.NDArray[np.int32] = np.empty((0, self.history_points), np.int32)
        self._cap = 0
        self._alloc(capacity)

    def reset(self) -> None:
        """Forget every quote, reference, history and counter: a new provider session.

        Nothing a previous provider said (prices, previous close, limits, day OHLC,
        volume, history) may survive into the next one. Rows and their symbols stay,
        so views that hold row numbers keep working and simply show empty cells.
        """
        n = len(self.symbols)
        nan = math.nan
        for name in self._FLOAT_NAN:
            getattr(self, name)[:] = [nan] * n
        for name in self._FLOAT_ZERO:
            getattr(self, name)[:] = [0.0] * n
        for name in self._INT:
            getattr(self, name)[:] = [0] * n
        self.day[:] = [-1] * n
        self.hist_bucket[:] = [-1] * n
        self._hist_i[:] = [0] * n
        for name, empty, _dtype in self._HIST:
            getattr(self, name)[:n].fill(empty)
        self.stats = BookStats()
        for r, sym in enumerate(self.symbols):
            info = self.master.get(sym)
            self.names[r] = info.name if info else ""
            self.limit_pct[r] = self._limit_pct(r)
            if info is not None and info.prev_close:
                self._set_prev_close(r, info.prev_close)
        self._dirty = set(range(n))

    # --- storage -----------------------------------------------------------------
    def _alloc(self, cap: int) -> None:
        """(Re)allocate the history arrays for ``cap`` rows."""
        old, n = self._cap, self.history_points
        for name, fill, dtype in self._HIST:
            # np.full writes every page now (np.zeros would leave them to fault in over
            # the day), so the day's history memory is taken up front and RSS stays flat.
            new = np.full((cap, n), fill, dtype)
            if old:
                new[:old] = getattr(self, name)[:old]
            setattr(self, name, new)
        self._cap = cap

    def array(self, column: str) -> npt.NDArray[np.float64]:
        """A numpy copy of a column (for sorting and other vectorised reads).

        ``change`` and ``change_pct`` are derived here rather than on every tick.
        """
        if column in ("change", "change_pct"):
            last = np.asarray(self.last, dtype=np.float64)
            prev = np.asarray(self.prev_close, dtype=np.float64)
            ch = last - prev
            return ch if column == "change" else ch / prev * 100.0
        return np.asarray(getattr(self, column), dtype=np.float64)

    def value(self, column: str, r: int) -> float:
        """One cell of a column, derived columns included (NaN when unknown)."""
        if column == "change":
            return self.last[r] - self.prev_close[r]
        if column == "change_pct":
            prev = self.prev_close[r]
            return (self.last[r] - prev) / prev * 100.0
        return float(getattr(self, column)[r])

    def __len__(self) -> int:
        return len(self.symbols)

    def row_of(self, symbol: str) -> int | None:
        return self._row.get(symbol)

    def ensure(self, symbol: str) -> int:
        """Row of ``symbol`` (canonical), allocating it (with master data) if new."""
        r = self._row.get(symbol)
        if r is not None:
            return r
        r = len(self.symbols)
        if r >= self._cap:
            self._alloc(self._cap * 2)
        nan = math.nan
        for name in self._FLOAT_NAN:
            getattr(self, name).append(nan)
        for name in self._FLOAT_ZERO:
            getattr(self, name).append(0.0)
        for name in self._INT:
            getattr(self, name).append(0)
        self.day.append(-1)
        self.hist_bucket.append(-1)
        self._hist_i.append(0)
        self._row[symbol] = r
        self.symbols.append(symbol)
        info = self.master.get(symbol)
        self.names.append(info.name if info else "")
        self.limit_pct[r] = self._limit_pct(r)
        if info is not None and info.prev_close:
            self._set_prev_close(r, info.prev_close)
        return r

    def _limit_pct(self, r: int) -> float:
        """Row ``r``'s limit on its trading day (today in China before its first tick),
        by the rules of that day, its board, ST and listing date; NaN: no limit."""
        symbol = self.symbols[r]
        info = self.master.get(symbol)
        d = self.day[r]
        day = _EPOCH + dt.timedelta(days=d) if d >= 0 else shanghai_today()
        listed = None
        if info is not None and info.listed:
            try:
                listed = dt.date.fromisoformat(info.listed)
            except ValueError:
                listed = None
        try:
            pct = limit_pct(
                board_of(symbol),
                st=bool(info and info.st),
                day=day,
                listed=listed,
                is_trading_day=self.is_trading_day,
            )
        except ValueError:
            pct = None
        return math.nan if pct is None else pct

    def use_calendar(self, is_trading_day: Callable[[dt.date], bool]) -> None:
        """Count new listings' no-limit first days by the exchanges' calendar (it loads
        after start; weekdays until then) and recompute every row's limits by it."""
        self.is_trading_day = is_trading_day
        for r in range(len(self.symbols)):
            self.limit_pct[r] = self._limit_pct(r)
            if self.prev_close[r] == self.prev_close[r]:
                self._set_prev_close(r, float(self.prev_close[r]))
                self._dirty.add(r)

    def ensure_all(self, symbols: Iterable[str]) -> None:
        wanted = list(symbols)
        need = len(self.symbols) + sum(1 for s in wanted if s not in self._row)
        if need > self._cap:  # one allocation of the right size, not repeated doubling
            self._alloc(need + need // 32)
        for s in wanted:
            self.ensure(s)

    # --- updates -----------------------------------------------------------------
    def set_prev_close(self, symbol: str, value: float) -> None:
        """Set the previous close (e.g. from the daily K-line); recomputes change and limits."""
        if not (value > 0 and math.isfinite(value)):
            return
        r = self.ensure(symbol)
        self._set_prev_close(r, value)
        self._dirty.add(r)

    def _set_prev_close(self, r: int, value: float) -> None:
        self.prev_close[r] = value
        pct = self.limit_pct[r]
        lim = limit_prices(value, None if math.isnan(pct) else float(pct))
        self.limit_up[r], self.limit_down[r] = lim if lim is not None else (math.nan, math.nan)

    def set_day(
        self,
        symbol: str,
        prev_close: float | None,
        open: float | None = None,
        high: float | None = None,
        low: float | None = None,
        volume: float | None = None,
        turnover: float | None = None,
        *,
        now_ms: int | None = None,
    ) -> None:
        """Seed a symbol from its daily bars (AllTick pushes only trades, no OHLC)."""
        r = self.ensure(symbol)
        day = ((now_ms if now_ms is not None else int(time.time() * 1000)) + _CST_MS) // _DAY_MS
        if self.day[r] != day:
            self._new_day(r, day)
        if prev_close is not None and prev_close > 0:
            self._set_prev_close(r, prev_close)
        if open is not None and open > 0:
            self.open[r] = open
        if high is not None and not self.high[r] >= high:
            self.high[r] = high
        if low is not None and low > 0 and not self.low[r] <= low:
            self.low[r] = low
        if volume is not None and volume >= 0 and not self.volume[r] >= volume:  # NaN: unknown
            self.volume[r] = volume
        if turnover is not None and turnover >= 0 and not self.turnover[r] >= turnover:
            self.turnover[r] = turnover
        if volume and turnover:
            self._seed_vwap(r, turnover, volume)
        self._dirty.add(r)

    def _seed_vwap(self, r: int, amount: float, volume: float) -> None:
        """The day's totals so far make 均价 cover the whole day, not only the trades seen
        since the app started — if they are in the units of the prices (the average lies
        within the day's range) and cover at least what was seen."""
        lo, hi = self.low[r], self.high[r]
        avg = amount / volume
        if (
            lo == lo
            and hi == hi
            and lo * 0.98 <= avg <= hi * 1.02
            and volume >= self.vwap_volume[r]
        ):
            self.vwap_amount[r], self.vwap_volume[r] = amount, volume
            self.vwap_from_ms[r] = 0

    def relisted(self, symbol: str) -> None:
        """The master's name or ST flag of ``symbol`` changed (the exchange renamed it):
        take the name again, and the price limits, which depend on ST."""
        r = self._row.get(symbol)
        if r is None:
            return
        info = self.master.get(symbol)
        self.names[r] = info.name if info else ""
        self.limit_pct[r] = self._limit_pct(r)
        if not math.isnan(self.prev_close[r]):
            self._set_prev_close(r, self.prev_close[r])
        self._dirty.add(r)

    def forget(self, symbol: str) -> None:
        """Empty ``symbol``'s row (its exchange delisted it): no price of it may stay on
        screen once nothing updates it. The row and its name stay."""
        r = self._row.get(symbol)
        if r is None:
            return
        for name in self._FLOAT_NAN:
            getattr(self, name)[r] = math.nan
        for name in self._FLOAT_ZERO:
            getattr(self, name)[r] = 0.0
        for name in self._INT:
            getattr(self, name)[r] = 0
        self.day[r], self.hist_bucket[r], self._hist_i[r] = -1, -1, 0
        for name, empty, _dtype in self._HIST:
            getattr(self, name)[r].fill(empty)
        self._dirty.add(r)

    def touch(self, symbol: str) -> None:
        """Repaint ``symbol``'s row (something about it changed outside the book)."""
        r = self._row.get(symbol)
        if r is not None:
            self._dirty.add(r)

    def set_name(self, symbol: str, name: str) -> None:
        r = self.ensure(symbol)
        self.names[r] = name

    def apply(self, t: Tick, received_ms: float = 0.0, scope: int = 0) -> Applied:
        """Fold one tick into the book; returns whether it was applied and why not."""
        before = self.stats.copy()
        if self.apply_many((t,), received_ms, scope):
            return Applied.APPLIED
        st = self.stats
        if st.duplicates != before.duplicates:
            return Applied.DUPLICATE
        if st.out_of_order != before.out_of_order:
            return Applied.OUT_OF_ORDER
        if st.bad_time != before.bad_time:
            return Applied.BAD_TIME
        if st.unsubscribed != before.unsubscribed:
            return Applied.UNSUBSCRIBED
        return Applied.INVALID

    def apply_many(
        self,
        ticks: Iterable[Tick],
        received_ms: float = 0.0,
        scope: int = 0,
        taken: list[Tick] | None = None,
    ) -> int:
        """Apply ticks in order; returns how many were applied.

        ``received_ms`` is the wall time the frame arrived (0: unknown, no future
        check); ``scope`` identifies the connection session the ticks came from;
        ``taken`` (when given) receives the ticks applied, in order (the recorder's).

        The one implementation of a tick's effect. It is the hot path (every tick of
        every frame), so columns are bound to locals once per frame instead of being
        looked up on ``self`` for each of their ~30 uses per tick.
        """
        row_of, ensure, accept_new = self._row.get, self.ensure, self.accept_new
        last, seq_col, time_col, recv = self.last, self.seq, self.time_ms, self.received_ms
        scope_col = self.scope
        latest_ok = received_ms + FUTURE_MS if received_ms > 0 else float("inf")
        latest_mark = int(received_ms) + MARK_SKEW_MS if received_ms > 0 else 1 << 62
        n_ticks, day_col, prev_col = self.ticks, self.day, self.prev_close
        open_col, high_col, low_col = self.open, self.high, self.low
        vol_col, turn_col, names = self.volume, self.turnover, self.names
        hist_bucket, hist_i, hist_count = self.hist_bucket, self._hist_i, self.hist_count
        hist_price, hist_volume, hist_slot = self.hist_price, self.hist_volume, self.hist_slot
        hist_avg, vwap_amount, vwap_volume = self.hist_avg, self.vwap_amount, self.vwap_volume
        bucket_ms, points = self.bucket_ms, self.history_points
        dirty_add = self._dirty.add
        keep = taken.append if taken is not None else None
        applied = invalid = duplicates = out_of_order = bad_time = unsubscribed = 0
        for t in ticks:
            price = t.price
            time_ms = t.time_ms
            if not (0.0 < price < MAX_PRICE) or t.volume < 0:
                invalid += 1
                continue
            if not MIN_TIME_MS < time_ms <= latest_ok:
                bad_time += 1
                continue
            r = row_of(t.symbol)
            if r is None:
                if not accept_new:
                    unsubscribed += 1
                    continue
                r = ensure(t.symbol)
                hist_price, hist_volume, hist_slot, hist_avg = (
                    self.hist_price,
                    self.hist_volume,
                    self.hist_slot,
                    self.hist_avg,
                )  # may have grown
            seq = t.seq
            last_time = time_col[r]
            if scope_col[r] != scope:
                if time_ms <= last_time and n_ticks[r]:
                    # The first tick of a new connection repeating one already applied
                    # (a snapshot on subscribe): not a new trade, its volume counted once.
                    duplicates += 1
                    continue
                scope_col[r] = scope  # a new connection: its seq starts a new watermark
                seq_col[r] = 0
            elif seq and seq <= seq_col[r] and time_ms <= last_time:
                duplicates += 1
                continue
            if time_ms < last_time:
                out_of_order += 1
                continue
            day = (time_ms + _CST_MS) // _DAY_MS
            if day != day_col[r]:
                self._new_day(r, day)
            last[r] = price
            seq_col[r] = seq
            # The time watermark never runs ahead of the arrival by more than the skew a
            # clock may have: a tick stamped minutes ahead must not hold back later ones.
            time_col[r] = time_ms if time_ms <= latest_mark else latest_mark
            recv[r] = received_ms
            n_ticks[r] += 1
            # Reference fields are rarely sent; one that cannot be right is ignored, so a
            # bad frame cannot pin a day's high or a previous close.
            pc = t.prev_close
            if pc is not None and pc != prev_col[r] and price * 0.05 < pc < price * 20.0:
                self._set_prev_close(r, pc)
            o = t.open
            if o is not None and 0.0 < o < MAX_PRICE:
                open_col[r] = o
            elif open_col[r] != open_col[r]:
                open_col[r] = price
            hi = t.high
            if hi is None or not price <= hi < MAX_PRICE:
                hi = price
            lo = t.low
            if lo is None or not 0.0 < lo <= price:
                lo = price
            if not high_col[r] >= hi:
                high_col[r] = hi
            if not low_col[r] <= lo:
                low_col[r] = lo
            vol = t.volume
            day_volume = t.day_volume
            if day_volume is not None:
                # Providers that send day totals: this trade's volume is the difference.
                before = vol_col[r]
                vol = max(0.0, day_volume - before) if n_ticks[r] > 1 and before == before else 0.0
                vol_col[r] = day_volume
                if n_ticks[r] == 1 and day_volume and t.day_turnover:
                    self._seed_vwap(r, t.day_turnover, day_volume)
            elif vol == vol:  # NaN: the provider sent none; the day's stays unknown
                before = vol_col[r]
                vol_col[r] = vol if before != before else before + vol
            else:
                vol = 0.0  # nothing to add to the minute's bar or 均价
            if t.day_turnover is not None:
                turn_col[r] = t.day_turnover
            elif (turn := t.turnover) == turn:
                before = turn_col[r]
                turn_col[r] = turn if before != before else before + turn
            if t.name and not names[r]:
                names[r] = t.name
            # History: one point per bucket (last price, summed volume), a ring per row.
            bucket = time_ms // bucket_ms
            if bucket != hist_bucket[r]:
                if hist_count[r] and vwap_volume[r]:
                    # The finished minute's 均价; the current one is worked out on read.
                    hist_avg[r, hist_i[r]] = vwap_amount[r] / vwap_volume[r]
                hist_bucket[r] = bucket
                i = hist_i[r] = hist_count[r] % points
                hist_count[r] += 1
                hist_volume[r, i] = vol
                hist_avg[r, i] = math.nan  # a reused ring slot keeps nothing of its last day
                hist_slot[r, i] = bucket  # the bucket number: its start is bucket * bucket_ms
            else:
                i = hist_i[r]
                if vol:
                    hist_volume[r, i] += vol
            hist_price[r, i] = price
            if vol:
                if not vwap_volume[r]:
                    self.vwap_from_ms[r] = time_ms  # 均价 from the first trade seen
                vwap_amount[r] += price * vol
                vwap_volume[r] += vol
            dirty_add(r)
            if keep is not None:
                keep(t)
            applied += 1
        st = self.stats
        st.applied += applied
        st.invalid += invalid
        st.duplicates += duplicates
        st.out_of_order += out_of_order
        st.bad_time += bad_time
        st.unsubscribed += unsubscribed
        return applied

    def _new_day(self, r: int, day: int) -> None:
        rolled = self.day[r] >= 0
        self.day[r] = day
        self.limit_pct[r] = self._limit_pct(r)  # the rules of this row's trading day
        if rolled:
            # A new trading day: yesterday's last becomes the reference if nothing better.
            last = self.last[r]
            if last == last:
                self._set_prev_close(r, float(last))
        elif self.prev_close[r] == self.prev_close[r]:
            self._set_prev_close(r, float(self.prev_close[r]))  # limits by this day's rules
        self.open[r] = self.high[r] = self.low[r] = math.nan
        self.volume[r] = self.turnover[r] = math.nan  # unknown until the provider says
        self.vwap_amount[r] = self.vwap_volume[r] = 0.0
        self.vwap_from_ms[r] = 0
        self.hist_count[r] = 0
        self.hist_bucket[r] = -1
        self.hist_price[r].fill(np.nan)
        self.hist_volume[r].fill(0.0)
        self.hist_avg[r].fill(np.nan)

    # --- reads -------------------------------------------------------------------
    def take_dirty(self) -> set[int]:
        """Rows changed since the last call (the UI flushes these once per frame)."""
        d = self._dirty
        self._dirty = set()
        return d

    def _bucket_starts(self, slots: npt.NDArray[np.int32]) -> npt.NDArray[np.float64]:
        """Epoch seconds of the buckets' starts (even spacing for charts)."""
        return slots.astype(np.float64) * (self.bucket_ms / 1000.0)

    def history(self, row: int) -> History:
        """Intraday points of ``row`` in time order (at most ``history_points``)."""
        n = self.history_points
        count = int(self.hist_count[row])
        order = np.r_[0:count] if count <= n else np.r_[count % n : n, 0 : count % n]
        avgs = self.hist_avg[row, order]  # a copy (fancy indexing)
        if count and self.vwap_volume[row]:
            avgs[-1] = self.vwap_amount[row] / self.vwap_volume[row]  # the current minute
        return History(
            self._bucket_starts(self.hist_slot[row, order]),
            self.hist_price[row, order],
            self.hist_volume[row, order],
            avgs,
        )

    def quote(self, symbol: str) -> Quote | None:
        r = self._row.get(symbol)
        if r is None:
            return None
        return self.quote_at(r)

    def quote_at(self, r: int) -> Quote:
        def opt(a: list[float]) -> float | None:
            v = float(a[r])
            return None if math.isnan(v) else v

        return Quote(
            symbol=self.symbols[r],
            name=self.names[r] or self.master.name(self.symbols[r]),
            last=opt(self.last),
            prev_close=opt(self.prev_close),
            open=opt(self.open),
            high=opt(self.high),
            low=opt(self.low),
            volume=float(self.volume[r]),
            turnover=float(self.turnover[r]),
            change=None if math.isnan(ch := self.value("change", r)) else ch,
            change_pct=None if math.isnan(pct := self.value("change_pct", r)) else pct,
            limit_up=opt(self.limit_up),
            limit_down=opt(self.limit_down),
            time_ms=int(self.time_ms[r]),
            seq=int(self.seq[r]),
            ticks=int(self.ticks[r]),
        )

    def ticked(self) -> int:
        """How many symbols have received at least one tick."""
        n = len(self.symbols)
        return sum(1 for t in self.ticks[:n] if t)
