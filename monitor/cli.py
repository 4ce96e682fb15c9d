"""Command line: the desktop app by default, plus ``sim`` and ``export``.

``ashare-monitor`` opens the window; ``ashare-monitor sim`` runs the market simulator;
``ashare-monitor export`` collects quotes headlessly and writes a CSV snapshot.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.util
import logging
import os
import re
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.core.export import export_csv
from monitor.core.master import MasterError, SymbolMaster
from monitor.core.redact import RedactFilter
from monitor.core.symbols import parse_many
from monitor.core.watchlist_io import WatchlistFileError, read_watchlist_file

if TYPE_CHECKING:
    from monitor.feed.config import FeedConfig
    from monitor.service.listing_keeper import ListingKeeper

__all__ = ["main"]


def _setup_logging(verbose: int, quiet: int = logging.WARNING) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else quiet
    if sys.stderr is None:  # windowed build: no console
        logging.basicConfig(level=level, handlers=[logging.NullHandler()])
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)  # the GUI raises the root level for its log file, not the console
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter())
    logging.basicConfig(level=level, handlers=[handler])


def _err(msg: str) -> None:
    if sys.stderr is not None:
        print(f"ashare-monitor: {msg}", file=sys.stderr)


class _HeldWarnings(logging.Handler):
    """Holds the console's warnings back while an export collects (without -v).

    A host that cannot be reached gave four or five lines (each retry, each K-line
    request with its long URL, the missing symbol list) before the one that says it:
    on failure they are dropped for that one line (-v shows them as they happen); on
    success they are printed after, each kind once.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self._console: list[logging.Handler] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> _HeldWarnings:
        root = logging.getLogger()
        self._console = [h for h in root.handlers if isinstance(h, logging.StreamHandler)]
        for h in self._console:
            root.removeHandler(h)
        root.addHandler(self)
        return self

    def __exit__(self, exc_type: object, *_exc: object) -> None:
        root = logging.getLogger()
        root.removeHandler(self)
        for h in self._console:
            root.addHandler(h)
        if exc_type is None:
            seen: set[tuple[str, object]] = set()
            for record in self.records:
                if (record.name, record.msg) not in seen:
                    seen.add((record.name, record.msg))
                    for h in self._console:
                        h.handle(record)


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="ashare-monitor",
        description="Real-time China A-share quotes over batch-subscribed WebSockets.",
    )
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv: debug)")
    p.add_argument(
        "--smoke",
        action="store_true",
        help="start, wait for a live row on screen, exit 0 (non-zero with the reason)",
    )
    p.add_argument(
        "--screenshot", type=Path, default=None, help="with --smoke: save a PNG of the window"
    )
    p.add_argument("--smoke-timeout", type=float, default=20.0, help=argparse.SUPPRESS)
    p.add_argument("--smoke-settle", type=float, default=2.0, help=argparse.SUPPRESS)
    p.add_argument("--all-market", action="store_true", help="open on the all-market view")
    p.add_argument(
        "--install-desktop",
        action="store_true",
        help="add A-Share Monitor to this user's application menu (Linux)",
    )
    p.add_argument(
        "--uninstall-desktop", action="store_true", help="remove it from the application menu"
    )
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("sim", help="run the market simulator (AllTick + batch protocols)")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback only)")
    s.add_argument("--port", type=int, default=8765, help="port (0 picks a free one)")
    s.add_argument(
        "--http-port",
        type=int,
        default=None,
        help="port of the HTTP API: K-lines, symbol list (default: --port + 1; 0 any free)",
    )
    s.add_argument("--symbols", type=int, default=5500, help="size of the market (default 5500)")
    s.add_argument("--rate", type=float, default=1800.0, help="ticks per second (default 1800)")
    s.add_argument("--seed", type=int, default=1, help="random seed (deterministic market)")
    s.add_argument("--token", default=None, help="the AllTick token to accept (default: any)")
    s.add_argument("--max-codes", type=int, default=3000, help="AllTick codes per connection")
    s.add_argument(
        "--request-interval",
        type=float,
        default=1.0,
        help="AllTick minimum seconds between subscription requests (605 if faster)",
    )
    s.add_argument(
        "--close-on-rate-limit", action="store_true", help="reply 606 and close instead of 605"
    )
    s.add_argument(
        "--heartbeat-timeout",
        type=float,
        default=30.0,
        help="close AllTick connections silent this long (seconds)",
    )
    s.add_argument(
        "--sessions",
        action="store_true",
        help="tick only during the real trading sessions (default: always open)",
    )
    s.add_argument(
        "--no-snapshot",
        action="store_true",
        help="do not push the latest price right after a subscription",
    )
    s.add_argument(
        "--legacy-strings",
        action="store_true",
        help="send AllTick seq/tick_time as strings (pre-2026-06 format)",
    )
    s.add_argument(
        "--reject-token-http",
        action="store_true",
        help="refuse a bad token in the HTTP handshake (default: ret 401 then close)",
    )

    rl = sub.add_parser(
        "relay", help="hold the upstream once and publish it to Redis Streams for gateways"
    )
    _feed_arguments(rl, required=True)
    rl.add_argument("--redis", required=True, help="redis://HOST:PORT[/DB] (or rediss://)")
    rl.add_argument("--shards", type=int, default=4, help="streams, by a hash of the code")
    rl.add_argument("--frame-ms", type=float, default=50.0, help="ms of ticks per entry (20-50)")
    rl.add_argument(
        "--maxlen",
        type=int,
        default=12_000,
        help="entries kept per stream, about (default 12000: ~10 minutes of 50 ms frames)",
    )
    gw = sub.add_parser("gateway", help="serve desktops the batch protocol from the relay's Redis")
    gw.add_argument("--redis", required=True, help="redis://HOST:PORT[/DB]")
    gw.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    gw.add_argument("--port", type=int, default=8767, help="port (0 picks a free one)")

    rp = sub.add_parser(
        "replay", help="serve a recorded day over the batch-subscribe protocol (any path)"
    )
    rp.add_argument("file", type=Path, help="a recording (record --out, or the window's)")
    rp.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    rp.add_argument("--port", type=int, default=8766, help="port (0 picks a free one)")
    rp.add_argument(
        "--speed",
        default="1",
        help="times real time: 1, 10, 60 … or max (as fast as clients take it); default 1",
    )
    rp.add_argument(
        "--once", action="store_true", help="exit when the day has been played (default: stay)"
    )

    b = sub.add_parser("bench", help="run the benchmarks (from a source checkout)")
    b.add_argument("--short", action="store_true", help="a few seconds each, no docs written")
    b.add_argument("--seconds", type=float, default=30.0, help="UI-load duration per run")

    e = sub.add_parser("export", help="collect quotes for N seconds and write a CSV snapshot")
    _feed_arguments(e, required=True)
    e.add_argument("--seconds", type=float, default=10.0, help="how long to collect (default 10)")
    e.add_argument("--out", type=Path, required=True, help="CSV file to write")
    e.add_argument("--lang", choices=("en", "zh"), default="en", help="header language")

    ls = sub.add_parser(
        "listing", help="the A-share listing in use (date, source, last changes); --refresh"
    )
    ls.add_argument("--refresh", action="store_true", help="ask the exchanges now")
    ls.add_argument(
        "--save-responses",
        type=Path,
        metavar="DIR",
        default=None,
        help="with --refresh: keep the exchanges' raw answers in DIR (test fixtures)",
    )

    lw = sub.add_parser("listing-worker")  # the window's refresh, in a process of its own
    lw.add_argument("--cache", type=Path, required=True)
    lw.add_argument("--urls", default="{}")
    lw.add_argument("--ca-file", default=None)
    lw.add_argument("--today", required=True)
    lw.add_argument("--exchanges", default="")
    lw.add_argument("--outcome", type=Path, required=True)
    lw.add_argument("--save-responses", type=Path, default=None)

    r = sub.add_parser(
        "record", help="record every tick to SQLite (WAL, micro-batches), or convert to Parquet"
    )
    _feed_arguments(r, required=False)
    r.add_argument(
        "--seconds",
        type=float,
        default=None,
        help="how long to record (default: until Ctrl+C)",
    )
    r.add_argument("--out", type=Path, default=None, help="SQLite file to write (appended to)")
    r.add_argument(
        "--to-parquet",
        type=Path,
        metavar="FILE.sqlite",
        default=None,
        help="write a recorded file as Parquet (zstd) next to it; needs the parquet extra",
    )
    return p


def _feed_arguments(e: argparse.ArgumentParser, *, required: bool) -> None:
    """Where the quotes come from and which: shared by export and record."""
    e.add_argument("--url", required=required, help="WebSocket URL (ws:// or wss://)")
    e.add_argument(
        "--protocol",
        choices=("alltick", "generic"),
        default=None,
        help="default: alltick if the path is /quote-stock-b-ws-api, else generic",
    )
    e.add_argument(
        "--token",
        default=None,
        help="provider token; visible to other users of this machine in `ps`: prefer "
        "--token-file, ASHARE_MONITOR_TOKEN or the token saved in the app's Settings "
        "(used in that order when --token is not given)",
    )
    e.add_argument(
        "--token-file",
        type=Path,
        default=None,
        help="read the token from the first line of this file (mode 0600 on POSIX)",
    )
    which = e.add_mutually_exclusive_group(required=required)
    which.add_argument("--symbols", help="codes, comma- or space-separated, any common form")
    which.add_argument(
        "--watchlist", type=Path, help="file of codes (one per line, or a list export)"
    )
    which.add_argument("--all", action="store_true", help="the whole market (symbol master)")
    e.add_argument(
        "--master",
        type=Path,
        default=None,
        help="symbol master CSV (code,name[,prev_close]): names, and the whole market for "
        "--all when the server serves no list (default: the shipped A-share listing)",
    )
    e.add_argument(
        "--plan",
        choices=("free", "basic", "premium", "professional", "all-cn"),
        default=None,
        help="AllTick plan whose limits to keep: connections, codes per connection, K-line "
        "batch size and pace (default for AllTick: all-cn)",
    )
    e.add_argument(
        "--max-codes",
        type=int,
        default=None,
        help="codes per connection (default: the plan's; no cap for the batch protocol)",
    )
    e.add_argument("--ca-file", default=None, help="extra CA bundle for wss:// (self-signed)")
    e.add_argument(
        "--http-url",
        default=None,
        help="the provider's HTTP API base for previous closes and the symbol list "
        "(default: the WebSocket URL's host over http(s))",
    )
    e.add_argument(
        "--wildcard",
        action="store_true",
        help="with --all on the batch protocol, subscribe with '*'",
    )


TOKEN_ENV = "ASHARE_MONITOR_TOKEN"


def _stop_on_signals() -> asyncio.Event:
    """An event Ctrl+C or SIGTERM sets (where the loop can take signal handlers)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


def _check_out(out: Path) -> str | None:
    """Why ``--out`` cannot be written (checked before connecting), or ``None``."""
    import tempfile

    parent = out.parent
    if out.is_dir():
        return f"--out {out} is a directory"
    if not parent.is_dir():
        what = "is not a directory" if parent.exists() else "does not exist"
        return f"--out: {parent} {what}"
    try:  # the export is written next to the file, then renamed over it
        fd, probe = tempfile.mkstemp(dir=parent, prefix=f".{out.name}.", suffix=".probe")
    except OSError as e:
        return f"--out: cannot write in {parent}: {e.strerror or e}"
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return None


def _stored_token(protocol: str, url: str) -> str | None:
    """The token the window saved (keyring or secrets file). A batch-protocol token is
    used only with the batch URL it was saved for: it is never sent to another server."""
    import json

    from monitor.core.protocols.registry import PROTOCOLS
    from monitor.platform.paths import Paths
    from monitor.platform.secrets import TokenStore, same_origin

    paths = Paths.default()
    if PROTOCOLS[protocol].token_bound_to_url:
        try:
            saved = json.loads(paths.settings.read_text(encoding="utf-8")).get("generic_url")
        except (OSError, ValueError, AttributeError):
            return None
        if not isinstance(saved, str) or not same_origin(url, saved):
            return None
    try:
        return TokenStore(paths.secrets).get(protocol)
    except Exception as e:  # a damaged store must not stop an export
        logging.getLogger(__name__).info("no stored token: %s", e)
        return None


def _resolve_token(args: argparse.Namespace, protocol: str) -> str | None:
    """--token (or ``?token=`` in --url) > --token-file > $ASHARE_MONITOR_TOKEN > the
    token saved by the app. Raises ``TokenFileError`` for an unusable --token-file."""
    from monitor.core.redact import register_secret
    from monitor.platform.secrets import read_token_file, split_url_token

    explicit = args.token or split_url_token(args.url)[1]
    if explicit:
        return str(explicit)
    if args.token_file is not None:
        return read_token_file(args.token_file)
    env = os.environ.get(TOKEN_ENV, "").strip()
    if env:
        register_secret(env)
        return env
    return _stored_token(protocol, args.url)


def _app_with_token(protocol: str, url: str, token: str | None) -> int | None:
    """The desktop app's process id if it is running with this same token, else None.

    Read from its single-instance lock file (first line: the pid); the token compared is
    the one the window saved. Two users of one token share its connection limit.
    """
    from monitor.platform.paths import Paths

    if sys.platform == "win32":  # os.kill(pid, 0) there sends Ctrl+C, it does not probe
        return None
    lock = Paths.default().config / "ashare-monitor.lock"
    try:
        pid = int(lock.read_text(encoding="utf-8", errors="replace").split()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    return pid if token and _stored_token(protocol, url) == token else None


def _skipped(errors: list[tuple[str, str]], limit: int = 20) -> str:
    """One line naming every skipped code and why: ``skipped 2 codes: X (why), Y (why)``."""
    shown = ", ".join(f"{code} ({why})" for code, why in errors[:limit])
    more = f", and {len(errors) - limit} more" if len(errors) > limit else ""
    return f"skipped {len(errors)} code{'s' if len(errors) != 1 else ''}: {shown}{more}"


def _known_codes(
    cfg: object, symbols: list[str], mine: list[str] | None, master: object
) -> tuple[list[str], list[tuple[str, str]], bool]:
    """``symbols`` the provider lists, the others with why, and whether the provider's
    list was asked for already (merged into ``master``, or not served: the session need
    not ask again). A provider
    may refuse a whole subscription for one code it does not know (AllTick's ret 600
    names none), so codes are checked against its own list where its HTTP API serves
    one, else against --master; with neither, all are kept."""
    from monitor.feed.config import FeedConfig
    from monitor.feed.http import HttpError, fetch_master

    assert isinstance(cfg, FeedConfig)
    quick = cfg.with_(http_deadline=min(cfg.http_deadline, 5.0))
    from monitor.core.master import SymbolMaster

    assert isinstance(master, SymbolMaster)
    fetched = False
    if not cfg.asks_symbol_list:  # the provider serves none (AllTick): --master or nothing
        return (*_against(symbols, set(mine or ()), "not in --master"), True)
    try:
        remote = asyncio.run(fetch_master(quick))
        master.merge(remote)
        known: set[str] = set(remote.symbols())
        why, fetched = "not in the provider's symbol list", True
    except HttpError as e:
        logging.getLogger(__name__).info("no symbol list to check the codes against: %s", e)
        known, why = set(mine or ()), "not in --master"
        fetched = e.status == 404  # not served: asking again would only get another 404
    return (*_against(symbols, known, why), fetched)


def _against(
    symbols: list[str], known: set[str], why: str
) -> tuple[list[str], list[tuple[str, str]]]:
    """``symbols`` in ``known`` and the others with ``why`` (all kept when none known)."""
    if not known:
        return symbols, []
    return [s for s in symbols if s in known], [(s, why) for s in symbols if s not in known]


def _current_listing() -> ListingKeeper:
    """The listing the window uses: the snapshot with the exchanges' last answers."""
    from monitor.platform.paths import Paths
    from monitor.platform.resources import shipped_listing
    from monitor.service.listing_keeper import ListingKeeper

    keeper = ListingKeeper(shipped_listing(), Paths.default().exchange_listing)
    if keeper.problem:
        _err(keeper.problem)
    return keeper


def _listing_worker(args: argparse.Namespace) -> int:
    """``listing-worker``: the window's listing refresh, run in this child process; what
    it did goes to ``--outcome`` (JSON), the lists to ``--cache``."""
    import datetime as dt
    import json

    from monitor.core.atomic import atomic_write_text
    from monitor.feed.exchange_fetch import ExchangeEndpoints
    from monitor.platform.resources import shipped_listing
    from monitor.service.listing_keeper import ListingKeeper

    try:
        urls = json.loads(args.urls)
        endpoints = ExchangeEndpoints(**urls)
        today = dt.date.fromisoformat(args.today)
    except (ValueError, TypeError) as e:
        _err(f"listing-worker: {e}")
        return 2
    keeper = ListingKeeper(shipped_listing(), args.cache)
    exchanges = [ex for ex in args.exchanges.split(",") if ex] or None
    outcome = asyncio.run(
        keeper.refresh(
            endpoints,
            today,
            exchanges=exchanges,
            record_to=args.save_responses,
            ca_file=args.ca_file,
        )
    )
    atomic_write_text(args.outcome, json.dumps(outcome.to_json(), ensure_ascii=False))
    return 0


def _counts(c: Any) -> str:
    """``2 new, 1 delisted`` — only what happened (``no changes`` when nothing did)."""
    parts = [
        f"{len(c.new)} new" if c.new else "",
        f"{len(c.delisted)} delisted" if c.delisted else "",
        f"{len(c.renamed)} renamed" if c.renamed else "",
        f"{len(c.added)} listed earlier but new to the app" if c.added else "",
    ]
    return ", ".join(p for p in parts if p) or "no changes"


def _listing(args: argparse.Namespace) -> int:
    """``listing``: what the app takes as the A-share listing; ``--refresh`` asks now."""
    import datetime as dt

    from monitor.core.exchange_listing import EXCHANGES
    from monitor.core.quotes import SHANGHAI
    from monitor.core.settings import Settings
    from monitor.feed.exchange_fetch import ExchangeEndpoints
    from monitor.platform.paths import Paths

    if args.save_responses is not None and not args.refresh:
        _err("--save-responses keeps the answers of a refresh: add --refresh")
        return 2
    if args.save_responses is not None:
        try:
            args.save_responses.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            _err(f"--save-responses: {args.save_responses}: {e.strerror or e}")
            return 2
    keeper = _current_listing()
    status = 0
    if args.refresh:
        settings, problems = Settings.load(Paths.default().settings)
        for line in problems:
            _err(line)
        today = dt.datetime.now(SHANGHAI).date()
        endpoints = ExchangeEndpoints(**settings.listing_urls)
        outcome = asyncio.run(
            keeper.refresh(
                endpoints,
                today,
                record_to=args.save_responses,
                ca_file=settings.ca_file or None,
            )
        )
        for line in outcome.errors:
            _err(line)
        if not outcome.refreshed:
            status = 1
        else:
            print(f"refreshed from {', '.join(outcome.refreshed)}: {_counts(outcome.changes)}")
        if args.save_responses is not None and any(args.save_responses.iterdir()):
            print(f"raw answers kept in {args.save_responses}")
    counts = {ex: 0 for ex in EXCHANGES}
    for sym in keeper.symbols():
        counts[{"SH": "SSE", "SZ": "SZSE", "BJ": "BSE"}[sym[-2:]]] += 1
    print(
        f"A-share listing as of {keeper.as_of}: {sum(counts.values()):,} stocks ("
        + ", ".join(f"{ex} {n:,}" for ex, n in counts.items())
        + ")"
    )
    asked = [f"{ex} {keeper.fetched[ex]}" for ex in EXCHANGES if ex in keeper.fetched]
    shipped = [ex for ex in EXCHANGES if ex not in keeper.fetched]
    if asked:
        print(f"from the exchanges: {', '.join(asked)}")
    if shipped:
        print(f"from the shipped snapshot of {keeper.shipped_as_of}: {', '.join(shipped)}")
    c = keeper.changes
    if c:
        print(
            f"changes found on {keeper.changed_on} (against the listing of {c.since}): {_counts(c)}"
        )
        for r in c.new:
            print(
                f"  new       {r.symbol} {r.name}"
                + (f" listed {r.list_date}" if r.list_date else "")
            )
        for sym, name in c.delisted:
            print(f"  delisted  {sym} {name}")
        for sym, old, new in c.renamed:
            print(f"  renamed   {sym} {old} -> {new}")
        for r in c.added:
            print(f"  added     {r.symbol} {r.name} listed {r.list_date}")
    return status


def _export(args: argparse.Namespace) -> int:
    from monitor.core.plans import plan_named
    from monitor.feed.config import ConfigError, FeedConfig, check_http_url
    from monitor.platform.secrets import TokenFileError
    from monitor.service.collect import CollectError, Collection, collect
    from monitor.service.recorder import TickRecorder

    recording = args.command == "record"
    if args.command == "relay":
        args.seconds, args.out = 86_400.0, Path(os.devnull)
    if recording:
        if args.to_parquet is not None:
            return _to_parquet(args.to_parquet)
        if not args.url or args.out is None:
            _err("record needs --url and --out FILE.sqlite (or --to-parquet FILE.sqlite)")
            return 2
        if not (args.symbols or args.watchlist or args.all):
            _err("record needs one of --symbols, --watchlist or --all")
            return 2
        if args.seconds is None:
            args.seconds = 86_400.0  # until Ctrl+C (or a day)
    if not 0 < args.seconds <= 86_400:  # also NaN and infinity
        _err("--seconds must be a number greater than 0 and at most 86400 (a day)")
        return 2
    if args.ca_file and not Path(args.ca_file).is_file():
        _err(f"--ca-file: no such file: {args.ca_file}")
        return 2
    problem = _check_out(args.out) if args.command != "relay" else None
    if problem:
        _err(problem)
        return 2
    try:
        kw: dict[str, object] = {}
        if args.ca_file:
            kw["ca_file"] = args.ca_file
        if args.http_url:
            kw["http_base"] = check_http_url(args.http_url)
        cfg = FeedConfig.for_url(args.url, args.protocol, args.token, **kw)
        if cfg.spec.plans or args.plan is not None:
            cfg = cfg.with_(**FeedConfig.plan_limits(plan_named(args.plan or "all-cn")))
        if args.max_codes is not None:
            if args.max_codes < 1:
                raise ConfigError(f"--max-codes must be at least 1, got {args.max_codes}")
            cfg = cfg.with_(max_codes=args.max_codes)
    except ConfigError as e:
        _err(str(e))
        return 2
    try:
        token = _resolve_token(args, cfg.protocol)
    except TokenFileError as e:
        _err(f"--token-file: {e}")
        return 2
    if cfg.spec.token_required and not token:
        _err(f"no token given: use --token-file, {TOKEN_ENV} or save one in the app's Settings")
        return 2
    if token != cfg.token:
        cfg = cfg.with_(token=token)
    if (pid := _app_with_token(cfg.protocol, args.url, token)) is not None:
        _err(
            f"warning: the desktop app is running (pid {pid}) with the same token; the "
            f"provider limits connections per token ({cfg.max_connections} here) and cuts "
            "the extras — this export may take some of the window's"
        )
    keeper = _current_listing()
    master = keeper.current_master()  # names for every provider
    market: list[str] | None = None  # --all without a provider list: the listing's stocks
    listed = False  # the provider's symbol list is merged into master already
    if args.master is not None:
        try:
            mine, skipped = SymbolMaster.from_csv(args.master)
        except MasterError as e:
            _err(f"--master: {e}")
            return 2
        for line in skipped[:5]:
            _err(f"--master: skipped {line}")
        master.merge(mine)
        market = [s for s in mine.symbols() if s not in keeper.delisted]
    symbols: list[str] | None
    if args.all:
        symbols = None
    else:
        if args.watchlist is not None:
            try:
                tokens = read_watchlist_file(args.watchlist)
            except WatchlistFileError as e:
                _err(str(e))
                return 2
            report = parse_many(tokens)
        else:
            report = parse_many(args.symbols)
        dropped = [(e.token, e.reason) for e in report.errors]
        symbols = list(report.symbols)
        if symbols:
            symbols, unknown, listed = _known_codes(cfg, symbols, market, master)
            dropped += unknown
        if dropped:  # one line naming every skipped code
            line = _skipped(dropped)
            _err(line if symbols else f"no valid symbols to subscribe ({line})")
        if not symbols:
            if not dropped:
                _err("no valid symbols to subscribe")
            return 2

    if args.command == "relay":
        return _relay(args, cfg, master, market, symbols)
    recorder = TickRecorder(args.out, source=cfg.public_url()) if recording else None

    async def run() -> Collection:
        # Ctrl+C (or SIGTERM) ends the collection early; what arrived is still written.
        stop = _stop_on_signals()
        writer = asyncio.create_task(recorder.run()) if recorder is not None else None
        try:
            return await collect(
                cfg,
                symbols,
                args.seconds,
                master=master,
                market=market,
                wildcard=args.wildcard,
                stop=stop,
                attach=[recorder.attach] if recorder is not None else (),
                ask_symbol_list=not listed,
                delisted=set(keeper.delisted),
            )
        finally:
            if writer is not None:
                writer.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await writer

    held = _HeldWarnings()
    try:
        with held if args.verbose == 0 else contextlib.nullcontext(held):
            result = asyncio.run(run())
    except KeyboardInterrupt:  # where no signal handler could be installed (Windows)
        if recorder is not None:
            recorder.close()  # what arrived is kept
            _err(f"interrupted: {recorder.recorded:,} ticks recorded to {args.out}")
            return 130
        _err("interrupted before anything was collected")
        return 130
    except CollectError as e:
        if recorder is not None:
            recorder.close()
        details = " (-v for details)" if held.records and args.verbose == 0 else ""
        _err(f"{e}{details}")
        return 1
    if recorder is not None:
        recorder.close()
        if recorder.dropped:
            _err(f"{recorder.error}; {recorder.dropped:,} ticks not recorded")
            return 1
        if sys.stdout is not None:
            print(
                f"recorded {recorder.recorded:,} ticks to {args.out} in {recorder.batches:,} "
                f"transactions ({len(result.pool.connections)} connection(s))"
            )
        return 0
    if result.not_served:  # one line naming them; the rest is exported
        _err(
            _skipped(
                [(s, "not served by the provider: it refused the code") for s in result.not_served]
            )
        )
    quotes = [q for s in result.symbols if (q := result.book.quote(s)) is not None]
    try:
        n = export_csv(args.out, quotes, lang=args.lang)
    except OSError as e:
        _err(f"cannot write {args.out}: {e.strerror or e}")
        return 1
    missing = n - result.with_quotes
    no_close = sum(1 for q in quotes if q.ticks and q.prev_close is None)
    stats = result.pool.stats
    msg = (
        f"wrote {n} rows to {args.out} ({result.with_quotes} with quotes"
        f"{f', {missing} without' if missing else ''}"
        f"{f', {no_close} priced without a previous close (change % empty)' if no_close else ''}"
        f"; {stats.applied} ticks applied, {len(result.pool.connections)} connection(s))"
    )
    if sys.stdout is not None:
        print(msg)
    return 0


def _relay(
    args: argparse.Namespace,
    cfg: FeedConfig,
    master: SymbolMaster,
    market: list[str] | None,
    symbols: list[str] | None,
) -> int:
    """``relay``: the upstream once, published to Redis Streams until Ctrl+C."""
    from monitor.service.relay import Relay

    if symbols is None:
        symbols = [] if args.wildcard else (market or master_stocks(master))
    relay = Relay(
        cfg,
        symbols,
        args.redis,
        master=master,
        wildcard=args.wildcard,
        shards=args.shards,
        frame_ms=args.frame_ms,
        maxlen=args.maxlen,
    )

    async def run() -> None:
        stop = _stop_on_signals()
        if sys.stdout is not None:
            print(
                f"relay {relay.id}: {len(symbols or []):,} symbols from {cfg.public_url()} "
                f"to {args.redis} ({args.shards} shards)",
                flush=True,
            )
        await relay.run(stop)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    st = relay.stats
    if sys.stdout is not None:
        print(f"published {st.published:,} ticks in {st.entries:,} entries; dropped {st.dropped:,}")
    return 0


def master_stocks(master: SymbolMaster) -> list[str]:
    from monitor.core.symbols import Board

    return [i.symbol for i in master if i.board is not Board.INDEX]


def _gateway(args: argparse.Namespace) -> int:
    from monitor.feed.gateway import Gateway

    if not 0 <= args.port <= 65535:
        _err(f"--port must be between 0 and 65535, got {args.port}")
        return 2
    gateway = Gateway(args.redis, host=args.host, port=args.port)

    async def run() -> None:
        try:
            await gateway.start()
        except OSError as e:
            _err(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}")
            raise SystemExit(1) from None
        if sys.stdout is not None:
            print(f"gateway on {gateway.url} reading {args.redis}", flush=True)
        stop = _stop_on_signals()
        await stop.wait()
        await gateway.stop()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())
    return 0


def _replay(args: argparse.Namespace) -> int:
    import sqlite3

    from monitor.feed.replay import ReplayServer

    speed: float | None
    if args.speed == "max":
        speed = None
    else:
        try:
            speed = float(args.speed)
        except ValueError:
            speed = -1.0
        if not 0 < speed <= 10_000:
            _err(f"--speed must be a number above 0 (at most 10000) or max, got {args.speed!r}")
            return 2
    if not 0 <= args.port <= 65535:
        _err(f"--port must be between 0 and 65535, got {args.port}")
        return 2
    try:
        server = ReplayServer(args.file, host=args.host, port=args.port, speed=speed)
    except (FileNotFoundError, sqlite3.Error) as e:
        _err(f"cannot replay {args.file}: {e}")
        return 2

    async def run() -> None:
        try:
            await server.start()
        except OSError as e:
            _err(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}")
            raise SystemExit(1) from None
        if sys.stdout is not None:
            print(
                f"replaying {args.file} ({server.total:,} ticks) on {server.url} at "
                f"{'max speed' if speed is None else f'{speed:g}x'}; "
                "playback starts with the first subscription",
                flush=True,
            )
        stop = _stop_on_signals()
        waits = [asyncio.create_task(stop.wait())]
        if args.once:
            waits.append(asyncio.create_task(server.finished.wait()))
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for w in waits:
            w.cancel()
        await server.stop()
        if sys.stdout is not None:
            print(f"played {server.played:,} of {server.total:,} ticks", flush=True)
        if server.bad_rows:
            _err(f"{server.bad_rows:,} recorded rows skipped: values that cannot be real")
        if server.error:
            _err(server.error)

    try:
        asyncio.run(run())
    except KeyboardInterrupt:
        return 130
    return 1 if server.error else 0


def _to_parquet(source: Path) -> int:
    """``record --to-parquet``: the recorded day as Parquet (zstd), beside the file."""
    from monitor.service.parquet import ParquetUnavailable, to_parquet

    if not source.is_file():
        _err(f"--to-parquet: no such file: {source}")
        return 2
    try:
        out, rows = to_parquet(source)
    except ParquetUnavailable as e:
        _err(str(e))
        return 2
    except Exception as e:  # not a recording, damaged file
        _err(f"--to-parquet: {source}: {e}")
        return 1
    if sys.stdout is not None:
        print(f"wrote {rows:,} ticks to {out}")
    return 0


def _sim(args: argparse.Namespace) -> int:
    from monitor.feed.simulator import SimConfig, Simulator

    if not 1 <= args.symbols <= 20000:
        _err("--symbols must be between 1 and 20000")
        return 2
    for flag, port in (("--port", args.port), ("--http-port", args.http_port)):
        if port is not None and not 0 <= port <= 65535:
            _err(f"{flag} must be between 0 and 65535, got {port}")
            return 2
    if args.port == 65535 and args.http_port is None:
        _err("--port 65535 leaves no room for the HTTP API: pass --http-port")
        return 2
    if not 0 <= args.rate <= 200_000:
        _err("--rate must be between 0 and 200000 ticks/s")
        return 2
    cfg = SimConfig(
        listing=_current_listing().current_master(),  # the listing the app uses
        host=args.host,
        port=args.port,
        http_port=args.http_port
        if args.http_port is not None
        else (args.port + 1 if args.port else 0),
        symbols=args.symbols,
        rate=args.rate,
        seed=args.seed,
        token=args.token,
        max_codes=args.max_codes,
        min_request_interval=args.request_interval,
        rate_limit_close=args.close_on_rate_limit,
        heartbeat_timeout=args.heartbeat_timeout,
        always_open=not args.sessions,
        snapshot_on_subscribe=not args.no_snapshot,
        legacy_strings=args.legacy_strings,
        token_reject="http" if args.reject_token_http else "frame",
    )

    async def run() -> None:
        sim = Simulator(cfg)
        await sim.start()
        if args.host not in ("127.0.0.1", "localhost", "::1"):  # said once it is listening
            _err(
                f"warning: listening on {args.host}: the simulator is reachable from other machines"
            )
        stop = _stop_on_signals()
        if sys.stdout is not None:
            print(
                f"simulator ready: AllTick {sim.url('alltick')}?token=<any>  "
                f"batch {sim.url('generic')}  HTTP API {sim.http_base} "
                f"(/symbols, /quote-stock-b-api/batch-kline)",
                flush=True,
            )
        try:
            await stop.wait()
        finally:
            await sim.stop()

    logging.getLogger("monitor.simulator").setLevel(logging.INFO)
    logging.getLogger("monitor.simulator.ws").setLevel(logging.WARNING)
    try:
        asyncio.run(run())
    except OSError as e:
        _err(_listen_error(e, args.host, args.port, cfg.http_port))
        return 1
    except KeyboardInterrupt:
        pass
    return 0


def _listen_error(e: OSError, host: str, port: int, http_port: int | None) -> str:
    """One line naming the port that failed (the HTTP API's is often the busy one) and
    why, without asyncio's "error while attempting to bind on address (...)" wrapping."""
    text = str(e.strerror or e)
    m = re.search(r"\('([^']*)', (\d+)[^)]*\)", text)
    failed = int(m.group(2)) if m else port
    why = text.rsplit("): ", 1)[-1] if m else text
    which = "the HTTP API port; --http-port chooses another" if failed == http_port else ""
    where = f"{host}:{failed}" + (f" ({which})" if which and failed != port else "")
    return f"cannot listen on {where}: {why}"


def _bench(args: argparse.Namespace) -> int:
    import runpy

    script = Path(__file__).resolve().parents[1] / "bench" / "run_all.py"
    if not script.exists():
        _err("the benchmarks live in the source checkout (bench/); run this from there")
        return 2
    sys.argv = [str(script), *(["--short"] if args.short else []), "--seconds", str(args.seconds)]
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as e:
        return int(e.code or 0)
    return 0


def _no_console_safety() -> None:
    """A windowed build (no console) has ``sys.stdout``/``stderr`` set to ``None``.

    Anything that prints (a library warning, argparse) would then crash: give such
    processes a sink instead. Our own output goes to the log file.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115


def _desktop(install: bool) -> int:
    from monitor.platform.desktop import install_desktop, uninstall_desktop

    try:
        files = install_desktop() if install else uninstall_desktop()
    except OSError as e:
        _err(f"could not {'install' if install else 'remove'} the launcher: {e.strerror or e}")
        return 1
    if sys.stdout is not None:
        verb = "installed" if install else "removed"
        print(f"{verb} {len(files)} files" + (f"; launcher: {files[0]}" if files else ""))
    return 0


# Sub-commands that need an optional part: the module they import and the extra it is in.
_EXTRAS = {"relay": ("redis", "relay"), "gateway": ("redis", "relay")}


def _missing_extra(args: argparse.Namespace) -> str | None:
    """One line naming the extra to install, when the command needs one that is missing."""
    need = _EXTRAS.get(args.command)
    if args.command == "record" and getattr(args, "to_parquet", None) is not None:
        need = ("pyarrow", "parquet")
    if need is None or importlib.util.find_spec(need[0]) is not None:
        return None
    module, extra = need
    if getattr(sys, "frozen", False):  # the desktop bundles carry no extras
        return (
            f"'{args.command}' is not in the desktop bundle (it needs the {extra} extra): "
            f"install the package instead: pip install 'ashare-monitor[{extra}]'"
        )
    return (
        f"'{args.command}' needs the {extra} extra ({module} is not installed): "
        f"pip install 'ashare-monitor[{extra}]' (with pipx: pipx inject ashare-monitor {module})"
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point for ``ashare-monitor`` and ``python -m monitor``."""
    _no_console_safety()
    args = _build_parser().parse_args(argv)
    # The simulator's own INFO lines (who subscribed how many codes) are its output.
    _setup_logging(args.verbose, logging.INFO if args.command == "sim" else logging.WARNING)
    if (missing := _missing_extra(args)) is not None:
        _err(missing)
        return 2
    if args.command == "sim":
        if args.verbose == 0:
            logging.getLogger().setLevel(logging.WARNING)
        return _sim(args)
    if args.command in ("export", "record"):
        return _export(args)
    if args.command == "replay":
        return _replay(args)
    if args.command == "relay":
        return _export(args)
    if args.command == "gateway":
        return _gateway(args)
    if args.command == "bench":
        return _bench(args)
    if args.command == "listing":
        return _listing(args)
    if args.command == "listing-worker":
        return _listing_worker(args)
    if args.install_desktop or args.uninstall_desktop:
        return _desktop(args.install_desktop)
    from monitor.app import run_app

    return int(run_app(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
