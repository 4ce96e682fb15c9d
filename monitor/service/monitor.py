"""MonitorService: the application without widgets — state, whole operations, events.

It owns the settings, watchlists, alerts, the symbol master, the quote book and the
current provider session. Every user operation is one method that validates, mutates,
saves and resubscribes by itself, then publishes a typed event (see
:mod:`monitor.service.events`); the window is one observer, tests and the CLI others.
Nothing here imports Qt: one asyncio loop (Qt's, through qasync, in the app).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import os
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from monitor.core.alert_log import AlertLog, LoggedAlert
from monitor.core.alerts import AlertEngine, AlertKind, AlertRule
from monitor.core.atomic import atomic_write_bytes
from monitor.core.book import QuoteBook
from monitor.core.breadth import MAIN_INDICES, Breadth, breadth
from monitor.core.calendar import MarketStatus, TradingCalendar
from monitor.core.export import export_csv
from monitor.core.holdings import Valuation
from monitor.core.kline import Bar, Period
from monitor.core.market_rules import shanghai_today
from monitor.core.master import MasterError, SymbolMaster
from monitor.core.persist import save_json
from monitor.core.quotes import SHANGHAI, Depth, Quote, Tick
from monitor.core.search import SymbolIndex, initials
from monitor.core.session import is_trading
from monitor.core.settings import Settings
from monitor.core.symbols import Board, ParseReport, SymbolError, board_of, normalize, parse_many
from monitor.core.watchlist import Watchlists
from monitor.feed.client import FeedPool, Phase, PoolState, RequestClock
from monitor.feed.config import FeedConfig
from monitor.feed.http import HttpPacer
from monitor.feed.recording import count_ticks
from monitor.platform.paths import Paths
from monitor.platform.resources import char_initials, shipped_listing
from monitor.platform.secrets import TokenStore, move_url_tokens
from monitor.service.events import (
    AlertFired,
    AlertsChanged,
    CalendarReady,
    Event,
    EventBus,
    HoldingsChanged,
    IndexReady,
    ListingRefreshed,
    ListsChanged,
    MasterChanged,
    NotSaved,
    SessionStarted,
    SettingsChanged,
)
from monitor.service.kline_cache import Cached, KlineCache
from monitor.service.listing_keeper import Failure, ListingKeeper, RefreshOutcome
from monitor.service.listing_worker import refresh_in_child
from monitor.service.portfolio import Portfolio
from monitor.service.recorder import TickRecorder
from monitor.service.session import FeedSession, Health
from monitor.service.sources import ReplaySource, Source, needs_restart, source_for

__all__ = ["DeletedList", "MonitorService", "SessionChanged", "StartupNotes"]

log = logging.getLogger(__name__)


@dataclass
class StartupNotes:
    """Problems found while loading saved state, to show the user once."""

    messages: list[str]


@dataclass(frozen=True)
class DeletedList:
    """What :meth:`MonitorService.delete_list` took away, for :meth:`restore_list`."""

    name: str
    position: int
    symbols: list[str]
    builtin: bool


@dataclass
class _Background:
    """One-off loads (calendar, search index) that wait for the first paint, then
    run in a worker thread. Cancelled while waiting; a running thread is waited for
    (it cannot be cancelled, and must not post into a closed loop)."""

    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    in_thread: set[asyncio.Task[Any]] = field(default_factory=set)


REFRESH_ENV = "ASHARE_MONITOR_LISTING_REFRESH"  # "0": never ask the exchanges


class SessionChanged(Exception):
    """A result asked of one provider session arrived after another one started."""


class MonitorService:
    """Everything but the widgets; drive it from tests without a window."""

    def __init__(self, paths: Paths, settings: Settings | None = None) -> None:
        self.paths = paths
        self.events = EventBus()
        loaded, problems = Settings.load(paths.settings)
        self.settings = settings or loaded
        self.watchlists, wl_problems = Watchlists.load(paths.watchlists)
        self.notes = StartupNotes(problems + wl_problems)
        self.tokens = TokenStore(paths.secrets)
        if settings is None and (moved := move_url_tokens(loaded, self.tokens)) is not loaded:
            self.settings = moved  # a token saved inside a URL by an older version
            with contextlib.suppress(OSError):
                moved.save(paths.settings)
        self.alerts, alert_problems = AlertEngine.load(paths.alerts)
        self.alert_log, log_problems = AlertLog.load(paths.alert_log)
        self.portfolio = Portfolio(
            paths.holdings,
            on_change=self._holdings_changed,
            on_not_saved=lambda detail: self.publish(NotSaved("holdings", detail)),
        )
        self.notes.messages += (
            alert_problems + log_problems + self.portfolio.problems + self.tokens.check()
        )
        listing = shipped_listing()
        self.listing = ListingKeeper(listing, paths.exchange_listing)  # a damaged cache: logged
        self.listing_as_of = self.listing.as_of
        self.listed_stocks = self.listing.symbols()
        self.master = SymbolMaster(listing.master)  # names for every provider
        self.master.merge(self.listing.master())  # …as the exchanges last listed them
        self._imported: list[str] = []  # stocks only a user's imported list names
        self._imported_as_of = ""
        self._listing_busy = False
        self.listing_check_s = 3600.0  # how often a running app looks for a new day's list
        self.last_listing_outcome: RefreshOutcome | None = None
        self.master_generation = 0  # bumped when a provider's symbol list arrives
        if paths.listing.exists():  # a listing the user imported earlier (newer names, codes)
            try:
                self._merge_listing(SymbolMaster.from_csv(paths.listing)[0], paths.listing)
            except MasterError as e:
                self.notes.messages.append(f"{paths.listing.name}: {e}")
        self.source: Source = source_for(self.settings, self.tokens)
        self.book = QuoteBook(self.master, bucket_seconds=self.source.bucket_seconds)
        self.session: FeedSession | None = None
        self._restart_lock = asyncio.Lock()
        self.all_market = False
        self.state: PoolState | None = None
        self.config: FeedConfig | None = None
        self.index: SymbolIndex | None = None  # names and pinyin initials, built in background
        self.calendar: TradingCalendar | None = None  # weekdays count as trading until loaded
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(SHANGHAI)
        self._background = _Background()
        self._closed = False
        self._replay: tuple[Path, float | None, str | None] | None = (
            None  # a recorded day being played
        )
        self.recorder: TickRecorder | None = None  # the last session's, for its figures
        self.depth_symbol: str | None = None  # whose order book is wanted (the selected row)
        self.subscribed_indices: list[str] = []  # the breadth bar's indices now subscribed
        self._breadth_rows: npt.NDArray[np.int64] | None = None  # stocks subscribed
        self.kline_cache = KlineCache()
        self._pacers: dict[tuple[str, str, str, float], HttpPacer] = {}
        # The last subscription request per provider and token: a new session's first
        # request keeps the provider's spacing from the old session's last.
        self._request_clocks: dict[tuple[str, str], RequestClock] = {}
        self.generation = 0  # bumped by every provider session: results of an older one are dropped
        # Codes the provider refused (it does not serve them), per provider and day: a
        # new session of the same provider does not search for them again. ``not_served``
        # is the current provider's (the table flags those rows; one set, kept in place).
        self._refused: dict[tuple[str, str, str], set[str]] = {}
        self.not_served: set[str] = set()
        self._recorder_task: asyncio.Task[None] | None = None

    def publish(self, event: Event) -> None:
        self.events.publish(event)

    # --- what is running ---------------------------------------------------------------
    @property
    def simulated(self) -> bool:
        return self.source.simulated

    @property
    def pool(self) -> FeedPool | None:
        return self.session.pool if self.session is not None else None

    def phase(self) -> Phase:
        return self.state.phase if self.state else Phase.CONNECTING

    def health(self) -> Health | None:
        """The current session as the status shows it (None before the first start)."""
        return self.session.health() if self.session is not None else None

    def now(self) -> dt.datetime:
        """The session's clock: the wall clock, or the recorded time a replay is playing."""
        replay = self.replaying
        if replay is not None and replay.server is not None and replay.server.clock_ms:
            return dt.datetime.fromtimestamp(replay.server.clock_ms / 1000, SHANGHAI)
        return self.clock()

    def market_status(self) -> MarketStatus:
        cal = self.calendar or TradingCalendar(load=False)  # weekdays until it has loaded
        return cal.status(self.now())

    def trading_now(self) -> bool:
        """Prices are being made: alerts fire and staleness counts (the simulator: always)."""
        return self.simulated or is_trading(self.market_status().phase)

    def provider_symbols(self) -> list[str] | None:
        return self.session.provider_symbols if self.session is not None else None

    # --- lifecycle ---------------------------------------------------------------------
    async def start(self, master_wait: float = 3.0) -> None:
        """Start a fresh provider session: the feed first, the symbol list beside it.

        Waits up to ``master_wait`` s for the provider's symbol list (so the first view
        has names and the whole market); a slower or missing list arrives later or
        never without holding up a price.
        """
        if self._replay is not None:
            path, speed, start = self._replay
            self.source = ReplaySource(
                self.settings, self.tokens, path=path, speed=speed, start=start
            )
        else:
            self.source = source_for(self.settings, self.tokens)
        self.source.listing = self.listing.current_master()
        cfg = await self.source.open()
        self.config = cfg
        self.generation += 1
        self.alerts.new_session()
        self.session = FeedSession(
            cfg,
            self.book,
            self.master,
            on_state=self._on_state,
            on_applied=self._on_applied,
            on_master=self._on_master,
            http_pacer=self._pacer(cfg, "http", cfg.http_interval),
            batch_pacer=self._pacer(cfg, "batch", cfg.kline_interval),
            requests=self._request_clocks.setdefault(
                (cfg.public_url(), cfg.token or ""), RequestClock()
            ),
        )
        self._remember_refusals(self.session)
        if self.settings.record_ticks and self.replaying is None:
            self._start_recording(self.session)  # a replay is not recorded again
        self.resubscribe()
        self.session.set_depth([self.depth_symbol] if self.depth_symbol else [])
        await self.session.start()
        self.publish(SessionStarted(self.simulated))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.session.master_loaded.wait(), master_wait)

    def _remember_refusals(self, session: FeedSession) -> None:
        """Codes this provider refused today stay out of the new session's requests."""
        cfg = session.config
        key = (cfg.spec.name, cfg.public_url(), shanghai_today().isoformat())
        known = self._refused.setdefault(key, set())
        for sym in self.not_served:
            self.book.touch(sym)
        self.not_served.clear()
        self.not_served.update(known)
        session.pool.refused.update(dict.fromkeys(known))

        def refused(codes: list[str]) -> None:
            known.update(codes)
            self.not_served.update(codes)
            for sym in codes:
                self.book.touch(sym)  # flagged in the table

        session.on_refused = refused

    def _pacer(self, cfg: FeedConfig, kind: str, interval: float) -> HttpPacer:
        """One HTTP pace per provider host, token and kind: a reconnect or a settings
        change does not forget the requests of the last minute."""
        key = (cfg.http_url(""), cfg.token or "", kind, interval)
        pacer = self._pacers.get(key)
        if pacer is None:
            pacer = self._pacers[key] = HttpPacer(interval)
        return pacer

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.stop()
            self.session = None
        await self._stop_recording()
        await self.source.close()

    # --- recording -----------------------------------------------------------------------
    def _start_recording(self, session: FeedSession) -> None:
        rec = TickRecorder(self.paths.recordings, per_day=True, source=session.config.public_url())
        rec.attach(session)
        self.recorder = rec
        self._recorder_task = asyncio.get_event_loop().create_task(rec.run(), name="recorder")

    async def _stop_recording(self) -> None:
        """Stop recording; "not recording" is said only once the file has everything."""
        task = self._recorder_task
        if self.session is not None and self.recorder is not None:
            with contextlib.suppress(ValueError):
                self.session.taps.remove(self.recorder.add)
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.recorder is not None:
            self.recorder.close()  # commits what is buffered
        self._recorder_task = None

    def recording(self) -> TickRecorder | None:
        """The recorder of the running session (None: not recording)."""
        return self.recorder if self._recorder_task is not None else None

    async def close(self) -> None:
        """Stop everything: the background loads (waiting only for a running thread),
        then the feed (after a restart under way: none is started after this)."""
        self._closed = True
        bg = self._background
        for t in bg.tasks - bg.in_thread:
            t.cancel()
        if bg.tasks:
            await asyncio.wait(bg.tasks, timeout=15)
        async with self._restart_lock:
            await self.stop()

    async def open_replay(
        self, path: Path, speed: float | None = 10.0, start: str | None = None
    ) -> None:
        """Play a recorded day instead of the live feed, from ``start`` (HH:MM:SS) or its
        beginning (raises for an unusable file or time, before anything stops)."""
        if count_ticks(path) == 0:
            raise ValueError("no ticks in this file")
        if start is not None:
            dt.time.fromisoformat(start)
        self._replay = (path, speed, start)
        await self.restart_feed()

    async def seek_replay(self, start: str) -> None:
        """Replay from ``start`` (HH:MM:SS): a new session, so no later number survives."""
        replay = self.replaying
        if replay is not None:
            speed = replay.server.speed if replay.server is not None else replay.speed
            await self.open_replay(replay.path, speed, start)

    async def close_replay(self) -> None:
        """Back to the source the settings choose."""
        if self._replay is not None:
            self._replay = None
            await self.restart_feed()

    @property
    def replaying(self) -> ReplaySource | None:
        return self.source if isinstance(self.source, ReplaySource) else None

    async def restart_feed(self) -> None:
        """A new provider session: nothing of the old one's numbers survives it.

        Serialised: a second change of settings while a restart is under way waits for
        it, so no session is ever started twice or left running unstopped.
        """
        async with self._restart_lock:
            await self.stop()
            if not self._closed:
                await self.start()

    def load_in_background(self, after: Awaitable[object] | None = None) -> None:
        """Build the search index and load the calendar off the loop's critical path,
        once ``after`` (the first painted row) is done or 3 s have passed."""
        self._spawn(self._build_index(after), "search-index")
        self._spawn(self._load_calendar(after), "calendar")
        self._spawn(self._keep_listing_fresh(after), "listing-refresh")

    def _spawn(self, coro: Any, name: str) -> asyncio.Task[Any]:
        task = asyncio.get_event_loop().create_task(coro, name=name)
        self._background.tasks.add(task)
        task.add_done_callback(self._background.tasks.discard)
        return task

    @staticmethod
    async def _in_daemon_thread(fn: Callable[[], Any]) -> Any:
        """``fn`` in a thread nobody waits for at exit: a slow exchange must not hold
        the app's quit. Cancelling the awaiting task leaves the thread to finish alone."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Any] = loop.create_future()

        def run() -> None:
            try:
                result, error = fn(), None
            except Exception as e:
                result, error = None, e

            def settle() -> None:
                if done.done():
                    return
                if error is not None:
                    done.set_exception(error)
                else:
                    done.set_result(result)

            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(settle)

        threading.Thread(target=run, name="listing-refresh", daemon=True).start()
        return await done

    async def _in_thread(self, fn: Callable[[], Any]) -> Any:
        task = asyncio.current_task()
        assert task is not None
        self._background.in_thread.add(task)
        try:
            return await asyncio.to_thread(fn)
        finally:
            self._background.in_thread.discard(task)

    @staticmethod
    async def _wait_for(after: Awaitable[object] | None) -> None:
        if after is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(after), 3)

    async def _build_index(self, after: Awaitable[object] | None) -> None:
        await self._wait_for(after)
        master = SymbolMaster(list(self.master))  # a snapshot: merges happen on the loop
        index = await self._in_thread(lambda: SymbolIndex(master, char_initials()))
        if not self._closed:
            self.index = index
            self.publish(IndexReady())

    async def _load_calendar(self, after: Awaitable[object] | None) -> None:
        await self._wait_for(after)
        calendar = await self._in_thread(TradingCalendar)
        if not self._closed:
            self.calendar = calendar
            self.book.use_calendar(calendar.is_trading_day)
            self.publish(CalendarReady())

    def listing_refresh_on(self) -> bool:
        """The listing is refreshed from the exchanges unless the settings say not to,
        or ``ASHARE_MONITOR_LISTING_REFRESH=0`` (machines that must not call out)."""
        return self.settings.listing_refresh and os.environ.get(REFRESH_ENV, "1") != "0"

    async def _keep_listing_fresh(self, after: Awaitable[object] | None) -> None:
        """After the first rows, then every hour while the app runs (a window left open
        overnight): ask the exchanges whose list is not today's yet."""
        await self._wait_for(after)
        await asyncio.sleep(2)  # after the first rows and the search index
        said = ""  # the day a failure was last said: hourly retries fail quietly
        while not self._closed:
            today = self.clock().date().isoformat()
            due = self.listing.due(self.clock().date())
            if due and self.listing_refresh_on():
                try:
                    await self.refresh_listing(exchanges=due, quiet=said == today)
                except Exception:  # a bug costs this hour's refresh, not the next ones
                    log.exception("listing refresh failed")
                said = today
            await asyncio.sleep(self.listing_check_s)

    def start_listing_refresh(self) -> asyncio.Task[RefreshOutcome]:
        """Refresh the listing now, in the background (cancelled when the app closes)."""
        return self._spawn(self.refresh_listing(), "listing-refresh")

    async def refresh_listing(
        self,
        record_to: Path | None = None,
        exchanges: list[str] | None = None,
        *,
        quiet: bool = False,
    ) -> RefreshOutcome:
        """Ask the exchanges for their listing now; apply what they list.

        New listings join the whole market, delisted stocks leave it (and are no longer
        subscribed from watchlists: the exchange no longer lists them), new names and
        ST flags are taken; :class:`ListingRefreshed` says what changed.
        """
        if self._listing_busy:
            busy = Failure("", "busy", "a listing refresh is already running")
            return RefreshOutcome(failures=[busy])
        self._listing_busy = True
        try:
            outcome = await refresh_in_child(
                self.listing.cache,
                self.settings.listing_urls,
                self.settings.ca_file or None,
                self.clock().date(),
                exchanges=exchanges,
                record_to=record_to,
                in_thread=self._in_daemon_thread,
            )
        finally:
            self._listing_busy = False
        self.listing.reload()  # what the child wrote
        if any(f.kind == "not_saved" for f in outcome.failures):
            # Not in the cache the window reads: nothing of it is applied or announced.
            outcome = RefreshOutcome(failures=outcome.failures)
        if self._closed:
            return outcome
        if outcome.refreshed:
            self.master.merge(self.listing.master())
            for sym, _old, _new in outcome.changes.renamed:
                self.book.relisted(sym)  # the new name; ST on or off changes the limits
            for sym, _name in outcome.changes.delisted:
                self.book.forget(sym)  # no longer subscribed: nothing may stand still
                if sym == self.depth_symbol:
                    self.watch_depth(None)
                if self.session is not None:
                    self.session.depths.pop(sym, None)
            listed = self.listing.symbols()
            have, gone = set(listed), self.listing.delisted
            self.listed_stocks = listed + [
                s for s in self._imported if s not in have and s not in gone
            ]
            self.listing_as_of = max(self.listing.as_of, self._imported_as_of)
            self._on_master()
        for f in outcome.failures:  # offline is normal for some machines: not a warning
            level = logging.INFO if f.kind == "unreachable" else logging.WARNING
            log.log(level, "listing refresh: %s", f.detail)
        self.last_listing_outcome = outcome
        if outcome.refreshed or not quiet:
            self.publish(ListingRefreshed(outcome))
        return outcome

    # --- the tick path's consumers -----------------------------------------------------
    def _on_state(self, state: PoolState) -> None:
        self.state = state

    def _on_applied(self, ticks: list[Tick]) -> None:
        # Alerts are about the live market: a replayed day must not fire (or disarm) them.
        if self.alerts.rules and self.replaying is None:
            watched = self.alerts.symbols()
            hits = {t.symbol for t in ticks if t.symbol in watched}
            if hits:
                self._check_alerts(hits)

    def _check_alerts(self, symbols: set[str]) -> None:
        trading = self.trading_now()
        before = [r.armed for r in self.alerts.rules]
        for sym in symbols:
            q = self.book.quote(sym)
            if q is None:
                continue
            for ev in self.alerts.evaluate(
                sym, q.last, q.change_pct, q.limit_up, q.limit_down, q.time_ms, trading
            ):
                log.info("alert: %s", ev.message)
                logged = LoggedAlert.of(ev, int(time.time() * 1000))
                try:
                    self.alert_log.append(logged)
                except OSError as e:
                    self.publish(NotSaved("alert log", f"{self.alert_log.path}: {e.strerror or e}"))
                self.publish(AlertFired(ev, logged))
        if [r.armed for r in self.alerts.rules] != before:
            self._save_alerts()  # fired or re-armed: keep that across a restart
            self.publish(AlertsChanged())

    def _on_master(self) -> None:
        self.master_generation += 1
        self.resubscribe()  # the whole market grew, or the indices it serves are known now
        self._rebuild_index()
        self.publish(MasterChanged(self.master_generation))

    def _rebuild_index(self) -> None:
        if self.index is not None and not self._closed:
            self._spawn(self._build_index(None), "search-index")

    # --- subscription ------------------------------------------------------------------
    def market(self) -> list[str]:
        """The whole market: the provider's own list where it serves one, else the
        shipped listing's stocks."""
        served = self.provider_symbols()
        if served and self.listing.delisted:
            gone = self.listing.delisted
            return [s for s in served if s not in gone]  # a provider may list it still
        return served or self.listed_stocks

    def wanted(self) -> list[str]:
        """What to subscribe: the lists, the holdings, the whole market when shown —
        never a stock its exchange no longer lists (a provider may refuse the whole
        request for it, and its last price would stand still)."""
        mine = dict.fromkeys([*self.watchlists.union(), *self.portfolio.holdings.symbols()])
        gone = self.listing.delisted
        served = self.provider_symbols()
        # A provider may refuse a whole request for one code it does not serve.
        listed = set(served) if served else None
        syms = [s for s in mine if s not in gone and (listed is None or s in listed)]
        if self.all_market:
            have = set(syms)
            syms += [s for s in self.market() if s not in have]
        return syms

    def holdings_now(self) -> list[Valuation]:
        """Every holding valued at this session's prices (see Portfolio.valuations)."""
        return self.portfolio.valuations(self.book)

    def _holdings_changed(self) -> None:
        self.resubscribe()  # held symbols are priced even when in no watchlist
        self.publish(HoldingsChanged())

    def resubscribe(self) -> None:
        """Make the live subscription match the watchlists (and the all-market view),
        plus the main indices for the breadth bar where the plan has room for them."""
        wanted = self.wanted()
        self._breadth_rows = None
        indices = self._indices_that_fit(wanted)
        if self.session is not None:
            self.session.set_symbols(wanted + indices)
        else:
            self.book.ensure_all(wanted + indices)

    def _indices_that_fit(self, wanted: list[str]) -> list[str]:
        """The main indices not already wanted, if every one of the user's codes still
        fits the plan (theirs come first); where the provider lists its codes, only those
        it lists. Without a list (AllTick) they are asked for too: an index the provider
        refuses (AllTick refuses a whole 22004 for one code it does not serve) is found
        and left out like any refused code, the others stay.
        """
        have = set(wanted)
        extra = [s for s in MAIN_INDICES if s not in have]
        listed = self.provider_symbols()
        cfg = self.config
        if listed is not None:
            served = set(listed)
            extra = [s for s in extra if s in served]
        pool = self.pool
        cap = pool.cap if pool is not None else (cfg.max_codes if cfg is not None else None)
        if cfg is not None and cap is not None:
            room = cap * cfg.max_connections - len(wanted)
            extra = extra[: max(0, room)]
        self.subscribed_indices = extra + [s for s in MAIN_INDICES if s in have]
        return extra

    # --- market breadth --------------------------------------------------------------
    def breadth(self) -> Breadth:
        """Up / flat / down and limit counts, turnover, over the subscribed stocks."""
        rows = self._breadth_rows
        if rows is None:
            row_of = self.book.row_of
            found = (row_of(s) for s in self.wanted() if board_of(s) is not Board.INDEX)
            rows = self._breadth_rows = np.fromiter((r for r in found if r is not None), np.int64)
        return breadth(self.book, rows)

    def index_quotes(self) -> list[tuple[Quote, bool]]:
        """The main indices subscribed now, as the book has them, and whether each one's
        price is not current (the feed is not live, or it has not ticked for the stale
        limit): ``(quote, stale)``."""
        out = []
        live = self.phase() is Phase.LIVE
        limit_ms = self.settings.stale_seconds * 1000.0
        now_ms = time.time() * 1000.0
        for sym in MAIN_INDICES:
            r = self.book.row_of(sym)
            if r is not None and sym in self.subscribed_indices:
                received = float(self.book.received_ms[r])
                stale = not live or (received > 0 and now_ms - received > limit_ms)
                out.append((self.book.quote_at(r), stale))
        return out

    # --- K-lines (日K / 周K / 月K) ------------------------------------------------------
    @property
    def klines_supported(self) -> bool:
        return self.config is not None and self.config.spec.daily_closes

    async def bars(self, symbol: str, period: Period) -> Cached:
        """The provider's K-lines of ``symbol`` (see KlineCache). Raises HttpError,
        LookupError where the provider has no K-line API, or SessionChanged when the
        provider session changed while they were asked for (they are not this one's)."""
        session, cfg = self.session, self.config
        if session is None or cfg is None:
            raise LookupError("no provider session")
        generation = self.generation
        provider = cfg.public_url()
        today = self.now().date()
        cached = self.kline_cache.get(provider, symbol, period, today)
        if cached is not None:
            return cached
        bars = await session.bars(symbol, period)
        if self.generation != generation:
            raise SessionChanged()
        return self.kline_cache.put(provider, symbol, period, today, bars)

    def live_bar(self, symbol: str) -> Bar | None:
        """Today's bar from the book (this session's prices), if the symbol traded today."""
        r = self.book.row_of(symbol)
        if r is None:
            return None
        b = self.book
        last, time_ms = float(b.last[r]), int(b.time_ms[r])
        if not math.isfinite(last) or not time_ms:
            return None
        day = dt.datetime.fromtimestamp(time_ms / 1000, SHANGHAI).date()
        o, h, lo = (float(x[r]) for x in (b.open, b.high, b.low))
        o = o if math.isfinite(o) else last
        h = h if math.isfinite(h) else last
        lo = lo if math.isfinite(lo) else last
        return Bar(
            day, o, max(h, last), min(lo, last), last, float(b.volume[r]), float(b.turnover[r])
        )

    # --- order book (五档) -------------------------------------------------------------
    def watch_depth(self, symbol: str | None) -> None:
        """Ask the provider for ``symbol``'s order book only (the row the user selected)."""
        if symbol is not None and (
            board_of(symbol) is Board.INDEX or symbol in self.listing.delisted
        ):
            symbol = None  # an index has no order book, a delisted stock no longer one
        if symbol == self.depth_symbol:
            return
        self.depth_symbol = symbol
        if self.session is not None:
            self.session.set_depth([symbol] if symbol else [])

    @property
    def depth_supported(self) -> bool:
        """The provider has an order-book subscription (a batch server may still send books)."""
        return self.config is not None and self.config.spec.depth

    def order_book(self, symbol: str) -> tuple[Depth, float] | None:
        """The latest order book of ``symbol`` from this session and its age in seconds."""
        if symbol in self.listing.delisted:
            return None
        got = self.session.depths.get(symbol) if self.session is not None else None
        if got is None:
            return None
        depth, received = got
        return depth, max(0.0, time.time() - received)

    def set_all_market(self, on: bool) -> None:
        """Show (and subscribe) the whole market, or only the watchlists."""
        if on != self.all_market:
            self.all_market = on
            self.resubscribe()

    # --- symbols: resolving what the user typed ----------------------------------------
    def symbol_label(self, symbol: str) -> str:
        """``600519.SH 贵州茅台``: how a stock is named in messages."""
        r = self.book.row_of(symbol)
        name = (self.book.names[r] if r is not None else "") or self.master.name(symbol)
        return f"{symbol} {name}".strip()

    def resolve(self, text: str) -> ParseReport:
        """Codes in any form, or names from the symbol master: the exact name, else what
        the search index finds for a name or its pinyin initials (贵州茅台, 茅台, gzmt),
        when that is one stock (or one whose initials are exactly the text)."""
        tokens = (
            [t for t in text.replace("，", ",").split(",") if t.strip()] if "," in text else [text]
        )
        out: list[str] = []
        errors: list[SymbolError] = []
        for raw in tokens:
            tok = raw.strip()
            first = tok.split()[0] if tok.split() else tok
            try:
                out.append(normalize(first))
                continue
            except SymbolError as e:
                err = e
            matches = self._by_name(tok)
            if len(matches) == 1:
                out.append(matches[0])
            else:
                errors.append(
                    err if not matches else SymbolError(tok, "matches {0} names", len(matches))
                )
        rep = self.known(parse_many(out))
        return ParseReport(rep.symbols, rep.duplicates, tuple(errors) + rep.errors)

    def _by_name(self, text: str) -> list[str]:
        """Symbols a name, the start of one, or pinyin initials could mean (best first)."""
        master = self.master
        exact = [i.symbol for i in master if i.name == text]
        if exact:
            return exact
        index = self.index
        if index is None:  # still building: names only
            return [i.symbol for i in master if i.name.startswith(text)]
        found = index.search(text, 200)
        if not found:
            return []
        best = [m for m in found if m.rank == found[0].rank]
        if len(best) > 1 and text.isascii():
            # Several start with these initials (gzmt...): the one spelled exactly wins.
            table = char_initials()
            spelled = [m for m in best if text.lower() in initials(m.name, table)]
            if len(spelled) == 1:
                return [spelled[0].symbol]
        return [m.symbol for m in best]

    def known(self, rep: ParseReport) -> ParseReport:
        """Drop well-formed codes the listing does not know (when a listing is known).

        A provider may refuse a whole subscription for one unknown code (AllTick's
        ret 600), so an unlisted code must not reach the feed.
        """
        master = self.master
        if not len(master):
            return rep
        gone = self.listing.delisted
        unknown = [s for s in rep.symbols if s not in master or s in gone]
        if not unknown:
            return rep
        errors = tuple(
            SymbolError(s, "delisted: no longer in its exchange's listing (found on {0})", gone[s])
            if s in gone
            else SymbolError(s, "not in the symbol list (not listed, or delisted)")
            for s in unknown
        )
        keep = tuple(s for s in rep.symbols if s in master and s not in gone)
        return ParseReport(keep, rep.duplicates, rep.errors + errors)

    def search(self, query: str, limit: int) -> list[str] | None:
        """Symbols the index finds for ``query`` (None while the index is being built)."""
        if self.index is None:
            return None
        return [m.symbol for m in self.index.search(query, limit)]

    # --- watchlist operations: each saves, resubscribes and publishes ------------------
    def _lists_edited(self, event: ListsChanged) -> None:
        self._save_watchlists()
        self.resubscribe()
        self.publish(event)

    def _save_watchlists(self) -> None:
        try:
            self.watchlists.save(self.paths.watchlists)
        except OSError as e:
            self.publish(NotSaved("watchlists", f"{self.paths.watchlists}: {e.strerror or e}"))

    def add_symbols(self, name: str, symbols: Sequence[str]) -> list[str]:
        """Append the symbols not yet in list ``name``; returns those added."""
        added = self.watchlists.add(name, symbols)
        if added:
            self._lists_edited(ListsChanged(name, select=tuple(added)))
        return added

    def remove_symbols(
        self, name: str, symbols: Sequence[str], row: int | None = None
    ) -> list[tuple[int, str]]:
        """Remove from list ``name``; returns ``(position, symbol)`` for :meth:`insert_symbols`.
        ``row``: the display row the view should select afterwards."""
        removed = self.watchlists.remove(name, symbols)
        if removed:
            self._lists_edited(ListsChanged(name, row=row))
        return removed

    def insert_symbols(self, name: str, placed: list[tuple[int, str]]) -> None:
        """Put removed symbols back where they were (undo of a removal)."""
        self.watchlists.insert(name, placed)
        self._lists_edited(ListsChanged(name, select=tuple(s for _, s in placed)))

    def reorder(self, name: str, symbols: Sequence[str], to: int) -> list[str]:
        """Move ``symbols`` before index ``to`` of list ``name``; returns the old order."""
        before = self.watchlists.reorder(name, list(symbols), to)
        self._lists_edited(ListsChanged(name, select=tuple(symbols)))
        return before

    def replace_list(self, name: str, symbols: Sequence[str], select: Sequence[str] = ()) -> None:
        """Give list ``name`` exactly ``symbols`` in this order (undo of a reorder)."""
        self.watchlists.replace(name, list(symbols))
        self._lists_edited(ListsChanged(name, select=tuple(select)))

    def create_list(self, name: str, symbols: Sequence[str] = ()) -> str:
        """A new list (raises WatchlistError for a bad or taken name); returns its key."""
        key = self.watchlists.create(name, symbols)
        self._lists_edited(ListsChanged(key, structure=True))
        return key

    def rename_list(self, old: str, new: str) -> str:
        key = self.watchlists.rename(old, new)
        self._lists_edited(ListsChanged(key, structure=True))
        return key

    def delete_list(self, name: str) -> DeletedList:
        """Delete list ``name`` (raises WatchlistError for the last one)."""
        builtin = self.watchlists.is_builtin(name)
        pos, syms = self.watchlists.delete(name)
        self._lists_edited(ListsChanged(None, structure=True))
        return DeletedList(name, pos, syms, builtin)

    def restore_list(self, deleted: DeletedList) -> None:
        self.watchlists.restore(
            deleted.position, deleted.name, deleted.symbols, builtin=deleted.builtin
        )
        self._lists_edited(ListsChanged(deleted.name, structure=True))

    def import_list(self, base: str, symbols: Sequence[str], taken: set[str]) -> str:
        """A new list named after ``base`` (``base (2)`` … when that or a label in
        ``taken`` is used); returns its key."""
        base = base[:30] or "list"
        name, n = base, 2
        while name in self.watchlists.lists or name in taken:
            name = f"{base} ({n})"
            n += 1
        return self.create_list(name, symbols)

    # --- the listing ---------------------------------------------------------------------
    def import_listing(self, path: Path) -> tuple[int, list[str]]:
        """Merge a symbol list CSV (a broker's export: code, name …) into the listing.

        It is kept in the config folder and merged again at every start, so codes and
        names newer than the shipped listing stay known. Returns the number of symbols
        and the skipped lines; raises :class:`MasterError` for an unusable file.
        """
        imported, skipped = SymbolMaster.from_csv(path)
        atomic_write_bytes(self.paths.listing, path.read_bytes())
        self._merge_listing(imported, path)
        self._on_master()
        return len(imported), skipped

    def _merge_listing(self, imported: SymbolMaster, source: Path) -> None:
        imported.forget_reference_prices()  # a file's closes are not the provider's
        self.master.merge(imported)
        self.master.merge(self.listing.master())  # the exchanges' own names and ST win
        known, gone = set(self.listed_stocks), self.listing.delisted
        extra = [
            i.symbol
            for i in imported
            if i.symbol not in known and i.symbol not in gone and i.board is not Board.INDEX
        ]
        self.listed_stocks += extra
        self._imported += extra
        stamp = dt.date.fromtimestamp(source.stat().st_mtime).isoformat()
        self._imported_as_of = max(self._imported_as_of, stamp)
        self.listing_as_of = max(self.listing_as_of, stamp)

    # --- settings and the token ----------------------------------------------------------
    def update_settings(self, **changes: object) -> Settings:
        """Change settings that need no new session (theme, language, layout …); saved."""
        old = self.settings
        self.settings = old.with_(**changes)
        try:
            self.settings.save(self.paths.settings)
        except OSError as e:
            self.publish(NotSaved("settings", str(e)))
        self.publish(SettingsChanged(old, self.settings))
        self._listing_switched(old)
        return self.settings

    def _listing_switched(self, old: Settings) -> None:
        """Refreshing turned on: ask the exchanges now if today's list is missing."""
        if (
            not old.listing_refresh
            and self.listing_refresh_on()
            and self.listing.due(self.clock().date())
            and not self._listing_busy
            and not self._closed
        ):
            self.start_listing_refresh()

    def set_token(self, key: str, token: str | None) -> None:
        """Keep (or with None/"" forget) a provider's token in the token store."""
        if token != self.tokens.get(key):
            self.tokens.set(key, token)

    async def apply_settings(self, new: Settings, token: str | None = None) -> None:
        """Save and apply new settings live: reconnect without a restart when the feed
        settings (or the token) changed. ``token``: the chosen source's token."""
        new.validate()
        old = self.settings
        token_key = source_for(new, self.tokens).token_key
        token_changed = (
            token is not None and token_key is not None and token != self.tokens.get(token_key)
        )
        if token_changed and token_key is not None:
            self.set_token(token_key, token)
        new = move_url_tokens(new, self.tokens, old)  # a token never goes to settings.json
        self.settings = new
        new.save(self.paths.settings)
        self.publish(SettingsChanged(old, new))
        self._listing_switched(old)
        if needs_restart(old, new) or token_changed:
            # A provider chosen during a replay is what the user wants now: the replay
            # ends and the new provider's session starts (it was saved and silently not
            # applied until File › Back to the live feed).
            self._replay = None
            await self.restart_feed()
        elif (
            old.record_ticks != new.record_ticks
            and self.session is not None
            and self.replaying is None
        ):
            # Recording goes on or off on the running session: no reconnect.
            if new.record_ticks:
                self._start_recording(self.session)
            else:
                await self._stop_recording()

    # --- export --------------------------------------------------------------------------
    def export_snapshot(self, path: Path, symbols: Sequence[str], lang: str) -> int:
        """Write the current quotes of ``symbols`` to a CSV; raises OSError."""
        quotes = [q for s in symbols if (q := self.book.quote(s)) is not None]
        n = export_csv(path, quotes, lang=lang)
        self.update_settings(export_dir=str(path.parent))
        return n

    # --- alerts --------------------------------------------------------------------------
    def _save_alerts(self) -> None:
        try:
            save_json(self.paths.alerts, self.alerts.to_json())
        except OSError as e:
            self.publish(NotSaved("alerts", f"{self.paths.alerts}: {e.strerror or e}"))

    def _alerts_edited(self) -> None:
        self._save_alerts()
        self.publish(AlertsChanged())

    def add_alert(
        self, symbol: str, kind: str, value: float | None, repeat: bool = False
    ) -> AlertRule:
        """Validate and add a rule (raises AlertRuleError or ValueError); saved."""
        rule = self.alerts.add(AlertRule(symbol, AlertKind(kind), value, repeat))
        self._alerts_edited()
        return rule

    def replace_alert(
        self, rule_id: int, kind: str, value: float | None, repeat: bool
    ) -> AlertRule | None:
        """Edit a rule (the old one stays if the new one is invalid: AlertRuleError)."""
        old = next((r for r in self.alerts.rules if r.id == rule_id), None)
        if old is None:
            return None
        new = self.alerts.replace(rule_id, AlertRule(old.symbol, AlertKind(kind), value, repeat))
        self._alerts_edited()
        return new

    def remove_alerts(self, rule_ids: Sequence[int]) -> None:
        for rule_id in rule_ids:
            self.alerts.remove(rule_id)
        self._alerts_edited()

    def remove_alerts_of(self, symbols: Sequence[str]) -> None:
        wanted = set(symbols)
        self.remove_alerts([r.id for r in self.alerts.rules if r.symbol in wanted])

    def rearm_alerts(self, rule_ids: Sequence[int]) -> None:
        ids = set(rule_ids)
        for rule in self.alerts.rules:
            if rule.id in ids:
                rule.armed = True
        self._alerts_edited()
