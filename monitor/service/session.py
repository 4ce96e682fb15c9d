"""FeedSession: one provider session — the pool, the book it fills, its side channels.

This is the one wiring of a provider's feed to the quote book, shared by the window
and the headless export. Everything per symbol belongs to the session that produced
it: a session starts by clearing the book of whatever an earlier provider said, and
its connections' sequence numbers are scoped to themselves (see
:mod:`monitor.core.book`).

The WebSocket feed starts first. Side channels — the provider's symbol list and the
previous closes from daily K-lines — run in the background with deadlines and
retries, so a slow, broken or hostile HTTP endpoint can delay a column but never the
prices; what is missing is said in :attr:`FeedSession.notes`.

:meth:`FeedSession.health` is what the status shows: it counts ticks *applied* to the
book, not frames received, and says why when frames arrive but nothing is applied.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core.book import BookStats, QuoteBook
from monitor.core.errors import Reason
from monitor.core.kline import Bar, Period
from monitor.core.master import SymbolMaster
from monitor.core.quotes import Depth, Tick
from monitor.feed.client import FeedPool, Phase, PoolState, RequestClock
from monitor.feed.config import FeedConfig
from monitor.feed.http import DayBar, HttpError, HttpPacer, fetch_bars, fetch_daily, fetch_master

__all__ = ["FeedSession", "Health"]

log = logging.getLogger(__name__)

# Why frames arrive but no price moves, by the book's drop counter (see BookStats).
DROP_REASONS = {
    "duplicates": Reason("receiving but not updating: duplicate or older sequence numbers"),
    "out_of_order": Reason("receiving but not updating: ticks older than the last price"),
    "invalid": Reason("receiving but not updating: impossible prices"),
    "bad_time": Reason("receiving but not updating: impossible tick times (clock or unit)"),
    "unsubscribed": Reason("receiving but not updating: codes that were not subscribed"),
}
RECEIVING_WINDOW = 30.0  # seconds: a symbol counts as receiving if a tick applied within
_RATE_WINDOW = 5.0  # seconds of samples behind the rates and the "dropping" verdict
_SIDE_DELAYS = (2.0, 5.0, 15.0, 30.0, 60.0)  # retry delays of a failed side channel
_CLOSE_RETRY = 60.0  # then previous closes still missing are asked for once a minute
_UNAVAILABLE = {
    "symbol list": "symbol list unavailable: {0}",
    "previous close": "previous close unavailable: {0}",
}
_NOT_SERVED = {
    "symbol list": "no symbol list from this provider",
    "previous close": "no previous close from this provider",
}


@dataclass(frozen=True, slots=True)
class Health:
    """What the status bar says about the session, all from applied ticks."""

    state: PoolState
    subscribed: int
    receiving: int  # subscribed symbols with a tick applied in the last RECEIVING_WINDOW s
    applied_per_s: float
    received_per_s: float
    newest_age: float | None  # seconds since the newest applied tick; None: none yet
    dropping: Reason | None  # frames arrive but no tick is applied, and why
    notes: tuple[Reason, ...]  # side channels that failed

    @property
    def phase(self) -> Phase:
        return self.state.phase


@dataclass(slots=True)
class _Sample:
    at: float
    ticks: int
    applied: int
    frames: int
    bad_frames: int
    book: BookStats


class FeedSession:
    """One provider session over a shared book and symbol master.

    ``on_applied`` is called with each frame's ticks after the book applied at least
    one of them (alerts); ``on_master`` after the provider's symbol list arrived.
    """

    def __init__(
        self,
        config: FeedConfig,
        book: QuoteBook,
        master: SymbolMaster,
        *,
        on_state: Callable[[PoolState], None] | None = None,
        on_applied: Callable[[list[Tick]], None] | None = None,
        on_master: Callable[[], None] | None = None,
        want_master: bool = True,
        http_pacer: HttpPacer | None = None,
        batch_pacer: HttpPacer | None = None,
        requests: RequestClock | None = None,
    ) -> None:
        self.config = config
        self.book = book
        self.master = master
        self.on_applied = on_applied
        self.on_master = on_master
        master.forget_reference_prices()  # another provider's closes are not ours
        book.reset()
        self.pool = FeedPool(
            config, self._sink, on_state=on_state, on_depth=self._on_depth, requests=requests
        )
        self.pool.on_refused = self._on_refused
        # Told when the provider turns out not to serve some codes (the window's memory).
        self.on_refused: Callable[[list[str]], None] | None = None
        # The latest order book per symbol and when it arrived (wall seconds): only the
        # symbols asked for with set_depth, and only from this session.
        self.depths: dict[str, tuple[Depth, float]] = {}
        self._depth_wanted: set[str] = set()
        # Every HTTP request (closes, K-line charts) under one per-minute cap — the
        # owner passes the same pacer to the next session of the same provider.
        self.http_pacer = http_pacer or HttpPacer(config.http_interval)
        self.batch_pacer = batch_pacer or HttpPacer(config.kline_interval)
        self.notes: dict[str, Reason] = {}
        self.provider_symbols: list[str] | None = None  # the provider's own list, if served
        self.master_loaded = asyncio.Event()
        self._want_master = want_master
        self._stop = asyncio.Event()
        self._tasks: set[asyncio.Task[object]] = set()
        self._daily_done: set[str] = set()
        self._no_close: set[str] = set()  # answered with no K-line before today
        self._daily_queue: list[str] = []
        self._daily_wake = asyncio.Event()
        self._side_wake = asyncio.Event()  # a failing side channel may try again now
        self.closes_idle = asyncio.Event()  # set while no previous close is being fetched
        self.closes_idle.set()
        self._samples: collections.deque[_Sample] = collections.deque()
        # Consumers of the ticks the book applied, with their arrival time (the recorder).
        self.taps: list[Callable[[list[Tick], float], None]] = []

    # --- the tick path ---------------------------------------------------------------
    def _sink(self, ticks: list[Tick], received_ms: float, scope: int) -> int:
        if self.taps:
            taken: list[Tick] = []
            applied = self.book.apply_many(ticks, received_ms, scope, taken)
            for tap in self.taps:
                try:
                    tap(taken, received_ms)
                except Exception:
                    log.exception("tick tap failed")
        else:
            applied = self.book.apply_many(ticks, received_ms, scope)
        if applied and self.on_applied is not None:
            try:
                self.on_applied(ticks)
            except Exception:
                log.exception("tick consumer failed")
        return applied

    async def bars(self, symbol: str, period: Period, count: int = 120) -> list[Bar]:
        """K-lines from the provider's K-line API (raises HttpError; LookupError where the
        provider has none)."""
        if not self.config.spec.daily_closes:
            raise LookupError("no K-line API")
        return await fetch_bars(self.config, symbol, period, count, self.http_pacer)

    def _on_depth(self, depth: Depth) -> None:
        # Books for a symbol no longer asked for keep coming until the server has the
        # new request: they are not the selection's, and not kept.
        if depth.symbol in self._depth_wanted:
            self.depths[depth.symbol] = (depth, time.time())

    def set_depth(self, symbols: Sequence[str]) -> None:
        """Order books wanted: the selected symbols only (see FeedPool.set_depth)."""
        self._depth_wanted = set(symbols)
        for sym in [s for s in self.depths if s not in self._depth_wanted]:
            del self.depths[sym]
        self.pool.set_depth(symbols)

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        """Open the feed now; fetch the symbol list and previous closes beside it."""
        await self.pool.start()
        if not self.config.spec.daily_closes:
            self.closes_idle.set()  # the ticks carry their own reference fields
        if self._want_master and self.config.asks_symbol_list:
            self._spawn(self._master_loop(), "symbol-list")
        else:
            self.master_loaded.set()
        if self.config.spec.daily_closes:
            self._spawn(self._daily_loop(), "previous-close")

    async def stop(self) -> None:
        """Stop the feed and the side channels (their worker threads finish first)."""
        self._stop.set()
        self._daily_wake.set()
        self._side_wake.set()
        await self.pool.stop()
        tasks = list(self._tasks)
        if tasks:
            # A worker thread cannot be cancelled: the loops check ``_stop`` between
            # requests, so wait for the request in flight rather than abandon it.
            _, pending = await asyncio.wait(tasks, timeout=15)
            for t in pending:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task: asyncio.Task[object] = asyncio.get_event_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[object]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("%s failed", task.get_name(), exc_info=task.exception())

    # --- subscription ----------------------------------------------------------------
    def set_symbols(self, symbols: Sequence[str], *, wildcard: bool = False) -> None:
        """Subscribe exactly ``symbols``; with ``wildcard`` also the provider's ``*``.

        Only subscribed codes are stored: a tick for any other code is counted and
        dropped, unless the whole market was asked for with ``*``.
        """
        self.book.ensure_all(symbols)
        self.book.accept_new = wildcard
        self.pool.set_symbols(symbols, wildcard=wildcard)
        todo = [s for s in symbols if s not in self._daily_done]
        if todo and self.config.spec.daily_closes:
            self._daily_done.update(todo)
            self._daily_queue.extend(todo)
            self.closes_idle.clear()
            self._daily_wake.set()

    # --- side channels ---------------------------------------------------------------
    async def _retrying(self, what: str, attempt: Callable[[], Awaitable[None]]) -> bool:
        """Run ``attempt`` until it succeeds, backing off; False if it never can.

        ``what`` names the side channel in :attr:`notes` ("symbol list" or
        "previous close") while it is failing.
        """
        for delay in (*_SIDE_DELAYS, None):
            if self._stop.is_set():
                return False
            try:
                await attempt()
                self.notes.pop(what, None)
                return True
            except HttpError as e:
                if e.status == 404:  # not served by this provider: asking again cannot help
                    if what == "symbol list":  # the shipped listing stands in: nothing missing
                        self.notes.pop(what, None)
                        log.info("no symbol list from this provider: the shipped listing is used")
                    else:
                        self.notes[what] = Reason(_NOT_SERVED[what])
                    return False
                self.notes[what] = Reason(_UNAVAILABLE[what], (str(e),))
            except Exception as e:  # a side channel must never take the session down
                log.exception("%s failed", what)
                self.notes[what] = Reason(_UNAVAILABLE[what], (type(e).__name__,))
            if delay is None:
                return False
            log.info("%s; retrying in %.0f s", self.notes[what], delay)
            if self._stop.is_set():
                return False
            self._side_wake.clear()  # set by stop() too
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._side_wake.wait(), delay)
        return False

    def _on_refused(self, codes: list[str]) -> None:
        """The provider does not serve ``codes``: they are out of the subscription; say so,
        and ask for the previous closes again without them (a batch naming one of them
        is refused whole, like the subscription was)."""
        wanted = self.pool.not_served
        shown = ", ".join(wanted[:5]) + (" …" if len(wanted) > 5 else "")
        note = Reason("not served by this provider: {0} codes ({1})", (f"{len(wanted):,}", shown))
        # First of the notes: the status bar shows the first one.
        self.notes = {
            "not served": note,
            **{k: v for k, v in self.notes.items() if k != "not served"},
        }
        self._side_wake.set()
        if self.on_refused is not None:
            try:
                self.on_refused(codes)
            except Exception:
                log.exception("refused-codes consumer failed")

    async def _master_loop(self) -> None:
        async def attempt() -> None:
            remote = await fetch_master(self.config)
            self.master.merge(remote)
            self.provider_symbols = remote.symbols()
            book = self.book
            for sym in remote.symbols():
                r = book.row_of(sym)
                if r is not None:
                    info = remote.get(sym)
                    if info is not None:
                        book.names[r] = book.names[r] or info.name
                        if info.prev_close:
                            book.set_prev_close(sym, info.prev_close)

        try:
            if await self._retrying("symbol list", attempt) and self.on_master is not None:
                self.on_master()
        finally:
            self.master_loaded.set()

    def _on_bar(self, bar: DayBar) -> None:
        if self.book.row_of(bar.symbol) is None:
            return  # not (or no longer) subscribed
        self.book.set_day(
            bar.symbol, bar.prev_close, bar.open, bar.high, bar.low, bar.volume, bar.turnover
        )

    async def _fetch_closes(self, missing: list[str]) -> None:
        """One pass over ``missing``; leaves in it the symbols the provider did not answer.

        A symbol answered with no K-line before today (a first trading day, a code the
        provider has no history for) has no previous close to fetch: it is kept in
        ``_no_close`` and not asked again.
        """
        answered: set[str] = set()
        subscribed = self.pool.symbols  # codes found not served since are left out
        missing[:] = [s for s in missing if s in subscribed]

        def seen(bar: DayBar) -> None:
            answered.add(bar.symbol)
            if bar.prev_close is None:
                self._no_close.add(bar.symbol)
            self._on_bar(bar)

        try:
            await fetch_daily(
                self.config,
                missing,
                seen,
                stop=self._stop,
                pacer=self.http_pacer,
                batch_pacer=self.batch_pacer,
            )
        finally:
            missing[:] = [s for s in missing if s not in answered]
        if missing and not self._stop.is_set():
            raise HttpError(f"no answer for {len(missing):,} symbols")

    async def _daily_loop(self) -> None:
        unanswered: list[str] = []
        while not self._stop.is_set():
            if unanswered:  # gave up for now: ask again every minute, or with new symbols
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._daily_wake.wait(), _CLOSE_RETRY)
            else:
                await self._daily_wake.wait()
            self._daily_wake.clear()
            missing, self._daily_queue = unanswered + self._daily_queue, []
            wanted = set(self.pool.symbols)
            # Symbols unsubscribed meanwhile are not fetched now, and not counted as done:
            # subscribed again later, they are asked for then.
            self._daily_done.difference_update(s for s in missing if s not in wanted)
            missing = [s for s in dict.fromkeys(missing) if s in wanted]
            if missing and not self._stop.is_set():
                await self._retrying(
                    "previous close", functools.partial(self._fetch_closes, missing)
                )
            unanswered = missing
            if not unanswered and self._no_close:
                self.notes["previous close"] = Reason(
                    "no previous close for {0} symbols (no daily K-line before today)",
                    (f"{len(self._no_close & wanted):,}",),
                )
            if not self._daily_queue:
                self.closes_idle.set()

    def closes_pending(self) -> int:
        """Subscribed symbols whose previous close is still to come from the provider."""
        if not self.config.spec.daily_closes:
            return 0
        book, no_close = self.book, self._no_close
        return sum(
            1
            for s in self.pool.symbols
            if s not in no_close
            and ((r := book.row_of(s)) is None or book.prev_close[r] != book.prev_close[r])
        )

    # --- status ----------------------------------------------------------------------
    def health(self, now: float | None = None) -> Health:
        """The session as the status shows it (call it at a steady pace, e.g. 2 Hz)."""
        wall = time.time() if now is None else now
        mono = time.monotonic()
        stats, book = self.pool.stats, self.book
        sample = _Sample(
            mono, stats.ticks, stats.applied, stats.frames, stats.bad_frames, book.stats.copy()
        )
        samples = self._samples
        samples.append(sample)
        while len(samples) > 2 and mono - samples[1].at >= _RATE_WINDOW:
            samples.popleft()
        first = samples[0]
        span = max(mono - first.at, 1e-9)
        received = sample.ticks - first.ticks
        applied = sample.applied - first.applied
        dropping: Reason | None = None
        finding = self.pool.finding_refused
        if finding is not None:
            # Not "Live": part of the list is refused and unpriced until the search ends.
            dropping = Reason(
                "the provider refused a code: finding which ({0} of {1} priced so far)",
                (f"{finding[0]:,}", f"{finding[1]:,}"),
            )
        elif span >= 1.0 and applied == 0:
            if received:
                dropping = DROP_REASONS.get(book.stats.main_drop(first.book))
            elif sample.frames > first.frames and sample.bad_frames > first.bad_frames:
                kinds = ", ".join(sorted(stats.bad_by_kind)[:3])
                dropping = Reason("receiving but not updating: every frame refused ({0})", (kinds,))
        cutoff = (wall - RECEIVING_WINDOW) * 1000.0
        recv = book.received_ms
        row_of = book.row_of
        receiving = newest = 0.0
        for sym in self.pool.symbols:
            r = row_of(sym)
            if r is not None:
                t = recv[r]
                if t >= cutoff:
                    receiving += 1
                newest = max(newest, t)
        subscribed = len(self.pool.symbols)
        if self.pool.wildcard:  # the whole market: every row the provider sent
            newest = max(recv, default=0.0)
            receiving = sum(1 for t in recv if t >= cutoff)
            subscribed = max(subscribed, len(book))
        return Health(
            state=self.pool.state,
            subscribed=subscribed,
            receiving=int(receiving),
            applied_per_s=applied / span if span >= 0.2 else 0.0,
            received_per_s=received / span if span >= 0.2 else 0.0,
            newest_age=(wall - newest / 1000.0) if newest else None,
            dropping=dropping,
            notes=tuple(self.notes.values()),
        )
