"""Composition root: settings, watchlists, quote book, feed pool, simulator, window.

One thread, one event loop: Qt's, driven through qasync, runs the WebSocket client and
(by default) the embedded simulator. :class:`AppCore` owns the non-visual state and
turns watchlist edits and settings changes into live subscription changes; the window
only reads the book and calls the core.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from monitor.core.alerts import AlertEngine, AlertEvent
from monitor.core.atomic import atomic_write_bytes
from monitor.core.book import QuoteBook
from monitor.core.master import MasterError, SymbolMaster
from monitor.core.persist import save_json
from monitor.core.plans import plan_named
from monitor.core.quotes import Tick
from monitor.core.redact import RedactFilter
from monitor.core.settings import Settings
from monitor.core.symbols import Board
from monitor.core.watchlist import Watchlists
from monitor.display_check import display_problem
from monitor.feed.client import FeedPool, Phase, PoolState
from monitor.feed.config import FeedConfig
from monitor.feed.simulator import SimConfig, Simulator
from monitor.paths import Paths
from monitor.resources_path import shipped_listing
from monitor.secrets import TokenStore, move_url_tokens, url_with_token
from monitor.service.session import FeedSession, Health

if TYPE_CHECKING:
    from monitor.ui.main_window import MainWindow

__all__ = ["AppCore", "run_app"]

log = logging.getLogger(__name__)
SIM_TOKEN = "embedded-simulator"


@dataclass
class StartupNotes:
    """Problems found while loading saved state, to show the user once."""

    messages: list[str]


class AppCore:
    """Everything but the widgets; safe to drive from tests without a window."""

    def __init__(self, paths: Paths, settings: Settings | None = None) -> None:
        self.paths = paths
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
        self.notes.messages += alert_problems + self.tokens.check()
        self.on_alert: Callable[[AlertEvent], None] | None = None
        self.trading: Callable[[], bool] = lambda: True
        listing = shipped_listing()
        self.listing_as_of = listing.as_of
        self.listed_stocks = listing.stocks()
        self.master = SymbolMaster(listing.master)  # names for every provider
        self.master_generation = 0  # bumped when a provider's symbol list arrives
        if paths.listing.exists():  # a listing the user imported earlier (newer names, codes)
            try:
                self._merge_listing(SymbolMaster.from_csv(paths.listing)[0], paths.listing)
            except MasterError as e:
                self.notes.messages.append(f"{paths.listing.name}: {e}")
        self.book = QuoteBook(self.master, bucket_seconds=self._bucket_seconds())
        self.session: FeedSession | None = None
        self._restart_lock = asyncio.Lock()
        self.sim: Simulator | None = None
        self.all_market = False
        self.state: PoolState | None = None
        self.config: FeedConfig | None = None

    def _bucket_seconds(self) -> float:
        # The simulator runs around the clock for demos: finer buckets make the
        # sparklines move within a minute. Real feeds use one point per minute.
        return 5.0 if self.settings.provider == "simulator" else 60.0

    @property
    def simulated(self) -> bool:
        return self.settings.provider == "simulator"

    @property
    def pool(self) -> FeedPool | None:
        return self.session.pool if self.session is not None else None

    # --- lifecycle -----------------------------------------------------------------
    def _feed_config(self) -> FeedConfig:
        s = self.settings
        if s.provider == "simulator":
            assert self.sim is not None
            # The embedded simulator's own plan: K-line batches five a second (a real
            # provider's spacing comes from its plan; see FeedConfig.kline_interval).
            return FeedConfig.for_url(
                self.sim.url("alltick"),
                token=SIM_TOKEN,
                kline_interval=0.2,
                http_base=self.sim.http_base,
            )
        if s.provider == "alltick":
            limits = (
                {"max_codes": s.max_codes}
                if s.plan == "custom"
                else FeedConfig.plan_limits(plan_named(s.plan))
            )
            return FeedConfig.for_url(
                s.alltick_url,
                "alltick",
                self.tokens.get("alltick"),
                ca_file=s.ca_file or None,
                http_base=s.alltick_http_url.strip() or None,
                **limits,
            )
        token = self.tokens.get("generic")  # moved out of the URL on save: put it back
        return FeedConfig.for_url(
            url_with_token(s.generic_url, token), "generic", token, ca_file=s.ca_file or None
        )

    async def start(self, master_wait: float = 3.0) -> None:
        """Start a fresh provider session: the feed first, the symbol list beside it.

        Waits up to ``master_wait`` s for the provider's symbol list (so the first view
        has names and the whole market); a slower or missing list arrives later or
        never without holding up a price.
        """
        s = self.settings
        if s.provider == "simulator":
            self.sim = Simulator(
                SimConfig(port=0, symbols=s.sim_symbols, rate=s.sim_rate, token=SIM_TOKEN)
            )
            await self.sim.start()
        cfg = self._feed_config()
        self.config = cfg
        self.alerts.new_session()
        self.session = FeedSession(
            cfg,
            self.book,
            self.master,
            on_state=self._on_state,
            on_applied=self._on_applied,
            on_master=self._on_master,
        )
        self.resubscribe()
        await self.session.start()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.session.master_loaded.wait(), master_wait)

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.stop()
            self.session = None
        if self.sim is not None:
            await self.sim.stop()
            self.sim = None

    async def apply_settings(self, new: Settings) -> None:
        """Save and apply new settings live: reconnect without a restart."""
        new.validate()
        old = self.settings
        new = move_url_tokens(new, self.tokens, old)  # a token never goes to settings.json
        self.settings = new
        new.save(self.paths.settings)
        feed_keys = (
            "provider",
            "alltick_url",
            "alltick_http_url",
            "generic_url",
            "plan",
            "max_codes",
            "ca_file",
        )
        if any(getattr(old, k) != getattr(new, k) for k in feed_keys) or (
            new.provider == "simulator"
            and (old.sim_symbols != new.sim_symbols or old.sim_rate != new.sim_rate)
        ):
            await self.restart_feed()

    async def restart_feed(self) -> None:
        """A new provider session: nothing of the old one's numbers survives it.

        Serialised: a second change of settings while a restart is under way waits for
        it, so no session is ever started twice or left running unstopped.
        """
        async with self._restart_lock:
            await self.stop()
            self.book.bucket_ms = int(self._bucket_seconds() * 1000)
            await self.start()

    def _on_applied(self, ticks: list[Tick]) -> None:
        if self.alerts.rules:
            watched = self.alerts.symbols()
            hits = {t.symbol for t in ticks if t.symbol in watched}
            if hits:
                self._check_alerts(hits)

    def _on_master(self) -> None:
        self.master_generation += 1
        if self.all_market:
            self.resubscribe()

    def _check_alerts(self, symbols: set[str]) -> None:
        trading = self.trading()
        before = [r.armed for r in self.alerts.rules]
        for sym in symbols:
            q = self.book.quote(sym)
            if q is None:
                continue
            for ev in self.alerts.evaluate(
                sym, q.last, q.change_pct, q.limit_up, q.limit_down, q.time_ms, trading
            ):
                log.info("alert: %s", ev.message)
                if self.on_alert is not None:
                    self.on_alert(ev)
        if [r.armed for r in self.alerts.rules] != before:
            self.save_alerts()  # fired or re-armed: keep that across a restart

    def save_alerts(self) -> str | None:
        try:
            save_json(self.paths.alerts, self.alerts.to_json())
        except OSError as e:
            return f"could not save alerts: {e.strerror or e}"
        return None

    def _on_state(self, state: PoolState) -> None:
        self.state = state

    # --- subscription --------------------------------------------------------------
    def import_listing(self, path: Path) -> tuple[int, list[str]]:
        """Merge a symbol list CSV (a broker's export: code, name …) into the listing.

        It is kept in the config folder and merged again at every start, so codes and
        names newer than the shipped listing stay known. Returns the number of symbols
        and the skipped lines; raises :class:`MasterError` for an unusable file.
        """
        imported, skipped = SymbolMaster.from_csv(path)
        atomic_write_bytes(self.paths.listing, path.read_bytes())
        self._merge_listing(imported, path)
        self.master_generation += 1
        if self.all_market:
            self.resubscribe()
        return len(imported), skipped

    def _merge_listing(self, imported: SymbolMaster, source: Path) -> None:
        imported.forget_reference_prices()  # a file's closes are not the provider's
        self.master.merge(imported)
        known = set(self.listed_stocks)
        self.listed_stocks += [
            i.symbol for i in imported if i.symbol not in known and i.board is not Board.INDEX
        ]
        stamp = dt.date.fromtimestamp(source.stat().st_mtime).isoformat()
        self.listing_as_of = max(self.listing_as_of, stamp)

    def market(self) -> list[str]:
        """The whole market: the provider's own list where it serves one, else the
        shipped listing's stocks."""
        served = self.session.provider_symbols if self.session is not None else None
        return served or self.listed_stocks

    def wanted(self) -> list[str]:
        syms = self.watchlists.union()
        if self.all_market:
            have = set(syms)
            syms += [s for s in self.market() if s not in have]
        return syms

    def resubscribe(self) -> None:
        """Make the live subscription match the watchlists (and the all-market view)."""
        wanted = self.wanted()
        if self.session is not None:
            self.session.set_symbols(wanted)
        else:
            self.book.ensure_all(wanted)

    def health(self) -> Health | None:
        """The current session as the status shows it (None before the first start)."""
        return self.session.health() if self.session is not None else None

    def save_watchlists(self) -> str | None:
        """Persist watchlists; returns an error message instead of raising."""
        try:
            self.watchlists.save(self.paths.watchlists)
        except OSError as e:
            return f"could not save watchlists to {self.paths.watchlists}: {e.strerror or e}"
        return None

    # --- status --------------------------------------------------------------------
    def phase(self) -> Phase:
        return self.state.phase if self.state else Phase.CONNECTING


def _setup_logging(paths: Paths, verbose: int) -> str:
    paths.logs.mkdir(parents=True, exist_ok=True)
    logfile = paths.logs / "ashare-monitor.log"
    handler = logging.handlers.RotatingFileHandler(
        logfile, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    logging.getLogger("monitor.simulator").setLevel(logging.WARNING)
    logging.getLogger("monitor.simulator.ws").setLevel(logging.WARNING)
    logging.getLogger("monitor.feed.ws").setLevel(logging.INFO)
    return str(logfile)


def run_app(args: argparse.Namespace) -> int:
    """Open the window on the qasync loop; returns the exit code."""
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from monitor.desktop import APP_ID
    from monitor.resources_path import resource_path
    from monitor.ui.errors import ErrorReporter
    from monitor.ui.loop import make_loop  # imports qasync, bound to PySide6 via QT_API
    from monitor.ui.main_window import MainWindow
    from monitor.ui.single_instance import SingleInstance

    paths = Paths.default()
    logfile = _setup_logging(paths, getattr(args, "verbose", 0))
    if QApplication.instance() is None and (problem := display_problem()) is not None:
        log.info("%s", problem)  # to the log file; the console gets it once, below
        if sys.stderr is not None:
            print(problem, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("A-Share Monitor")
    app.setOrganizationName("ashare-monitor")
    app.setDesktopFileName(APP_ID)  # matches the .desktop file and the AppStream metainfo
    with contextlib.suppress(FileNotFoundError):
        app.setWindowIcon(QIcon(str(resource_path("icons/ashare-monitor.svg"))))
    instance = SingleInstance(paths.config)
    if not instance.acquire():
        log.info("already running: asked the running window to come to the front")
        _say("A-Share Monitor is already running: its window was brought to the front.")
        return 0
    loop = make_loop(app)
    core = AppCore(paths)
    window = MainWindow(core, logfile=logfile)

    def bring_to_front() -> None:
        log.info("a second launch asked for the window")
        if window.isMinimized():
            window.showNormal()
        window.show()
        window.raise_()
        window.activateWindow()

    instance.raise_requested.connect(bring_to_front)
    reporter = ErrorReporter(logfile, window)
    reporter.install(loop)

    result = 0

    async def main() -> None:
        nonlocal result
        closed = asyncio.Event()
        # Quit only after the feed and simulator are stopped, not when Qt would.
        app.setQuitOnLastWindowClosed(False)
        app.aboutToQuit.connect(closed.set)
        window.closed.connect(closed.set)
        window.show()
        t0 = time.monotonic()
        await window.start()
        if getattr(args, "all_market", False):
            window.lists.setCurrentRow(0)
        if getattr(args, "smoke", False):
            result = await _smoke(window, args, t0)
            await window.wait_background()
            await core.stop()
            return
        await closed.wait()
        await window.wait_background()
        await core.stop()

    try:
        with loop:
            loop.run_until_complete(main())
    finally:
        instance.release()
    return result


async def _smoke(window: MainWindow, args: argparse.Namespace, t0: float) -> int:
    """Wait for a live row on screen, optionally save a screenshot; 0 on success."""
    try:
        painted = await asyncio.wait_for(
            asyncio.shield(window.first_row_painted), args.smoke_timeout
        )
    except TimeoutError:
        state = window.core.state
        reason = state.reason if state and state.reason else "no live row"
        _say(f"smoke: FAILED after {args.smoke_timeout:.0f} s: {reason}")
        return 1
    _say(f"smoke: first live row painted {painted - t0:.2f} s after start")
    await asyncio.sleep(args.smoke_settle)
    if args.screenshot is not None:
        window.grab().save(str(args.screenshot))
        _say(f"smoke: screenshot saved to {args.screenshot}")
    window.hide()
    return 0


def _say(text: str) -> None:
    if sys.stdout is not None:
        print(text, flush=True)
