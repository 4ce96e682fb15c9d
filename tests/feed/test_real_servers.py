"""Freshness against servers that behave like real ones, not like our simulator.

The servers here (tests/servers/) are written from the providers' public docs: seq
numbered per connection and restarting on every new one, no symbol list, hostile
frames. Each test checks what a person would see — the *applied* price and its time —
never a frame counter, and records a row of the fault matrix from what it measured.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable

import pytest

from monitor.core.book import QuoteBook
from monitor.core.master import SymbolMaster
from monitor.feed.client import Phase
from monitor.feed.config import FeedConfig
from monitor.feed.status import describe
from monitor.service.collect import collect
from monitor.service.session import FeedSession
from tests.feed.helpers import fast_backoff, wait_until
from tests.reliability import REPORT, Row
from tests.servers import alltick_doc
from tests.servers.alltick_doc import DocAllTick
from tests.servers.batch_doc import DocBatchServer

UNIVERSE = {"600519.SH": 1500.0, "000001.SZ": 11.0, "300750.SZ": 250.0, "688981.SH": 90.0}


def alltick_cfg(srv: DocAllTick, **kw: object) -> FeedConfig:
    kw.setdefault("backoff", fast_backoff)
    kw.setdefault("min_request_interval", 0.1)
    kw.setdefault("cross_request_interval", 0.1)  # AllTick's 3 s, small for tests
    kw.setdefault("kline_interval", 0.05)
    return FeedConfig.for_url(srv.url, token="T", http_base=srv.http_base, **kw)  # type: ignore[arg-type]


def fresh_rows(book: QuoteBook, symbols: list[str], since_s: float) -> list[str]:
    """Symbols whose last *applied* tick is stamped at or after ``since_s``."""
    out = []
    for s in symbols:
        q = book.quote(s)
        if q is not None and q.last is not None and q.time_ms >= since_s * 1000:
            out.append(s)
    return out


async def test_seq_per_connection_and_dropped_connections_never_freeze_a_price() -> None:
    """The issue's first finding: after a reconnect seq starts again at 1.

    The server drops every connection after 1 s and numbers seq per connection.
    At the end, every row must carry a tick from the last second of pushes.
    """
    async with DocAllTick(
        universe=UNIVERSE,
        push_interval=0.05,
        drop_after=1.0,
        min_interval=0.1,
        cross_interval=0.0,
    ) as srv:
        cfg = alltick_cfg(srv)
        result = await collect(cfg, list(UNIVERSE), 5.0)
        end = time.time()
        syms = list(UNIVERSE)
        fresh = fresh_rows(result.book, syms, end - 1.5)
        restarts = sum(1 for c in srv.conns if c.seq and c.pushes)
        row = REPORT.add(
            Row(
                "freshness",
                "seq numbered per connection; every connection dropped after 1 s (doc server)",
                f"{len(fresh)} of {len(syms)} rows priced within 1.5 s of the end",
                result.pool.state.phase is not Phase.FAILED,
                None,
                f"{len(fresh)}/{len(syms)}",
                {
                    "every row current": len(fresh) == len(syms),
                    "connections restarted seq": restarts >= 4,
                },
                f"{len(srv.conns)} connections, seq restarted at 1 on each; "
                f"{result.book.stats.applied:,} ticks applied, "
                f"{result.book.stats.duplicates} dropped as duplicates",
            )
        )
        REPORT.count("faults injected")
        assert row.passed, (row.failed_checks, row.seen)


async def test_provider_restart_on_the_same_port_restarts_seq() -> None:
    """A provider restart is a new server with seq from 1: prices must keep moving."""
    port = 0
    srv = DocAllTick(universe=UNIVERSE, push_interval=0.05, min_interval=0.1, cross_interval=0.0)
    await srv.__aenter__()
    port = int(srv.url.split(":")[2].split("/")[0])
    book = QuoteBook()
    session = FeedSession(alltick_cfg(srv), book, SymbolMaster(), want_master=False)
    session.set_symbols(list(UNIVERSE))
    await session.start()
    try:
        await wait_until(lambda: book.stats.applied > 40, 5, "ticks before the restart")
        await srv.__aexit__()
        await wait_until(lambda: session.pool.state.phase is Phase.BACKOFF, 5, "backoff")
        seen = describe(session.pool.state)
        srv2 = DocAllTick(
            universe=UNIVERSE, push_interval=0.05, min_interval=0.1, cross_interval=0.0, port=port
        )
        await srv2.__aenter__()
        t0 = time.monotonic()
        since = time.time()
        try:
            await wait_until(
                lambda: len(fresh_rows(book, list(UNIVERSE), since)) == len(UNIVERSE),
                5,
                "every price applied after the restart",
            )
            took = time.monotonic() - t0
        finally:
            await srv2.__aexit__()
    finally:
        await session.stop()
    REPORT.count("faults injected")
    REPORT.count("recoveries")
    REPORT.count("symbols re-verified", len(UNIVERSE))
    REPORT.add(
        Row(
            "freshness",
            "provider restarts on the same port, seq from 1 again (doc server)",
            seen,
            True,
            took,
            f"{len(UNIVERSE)}/{len(UNIVERSE)}",
            {"prices applied again": True},
            "a new connection is a new seq scope",
        )
    )


HOSTILE: list[tuple[str, Callable[[str], str], str]] = [
    ("a 200,000-deep nested JSON frame", lambda code: alltick_doc.deep_json(), "bad frame"),
    ("a 400-digit tick_time", alltick_doc.tick_huge_time, "bad frame"),
    ("a tick_time in microseconds", alltick_doc.tick_microseconds, "understood"),
    ("a tick stamped in the year 2100", alltick_doc.tick_year_2100, "rejected time"),
    ("seq 2^63+5 (beyond int64)", alltick_doc.tick_huge_seq, "bad frame"),
]


@pytest.mark.parametrize(("label", "make", "expect"), HOSTILE, ids=[h[0] for h in HOSTILE])
async def test_one_hostile_frame_costs_one_frame_and_pins_nothing(
    label: str, make: Callable[[str], str], expect: str
) -> None:
    async with DocAllTick(
        universe=UNIVERSE, push_interval=0.05, min_interval=0.1, cross_interval=0.0
    ) as srv:

        async def inject() -> None:
            await wait_until(lambda: srv.live and srv.live[0].pushes > 8, 5, "pushes")
            for code in UNIVERSE:
                await srv.inject(make(code))

        injector = asyncio.get_running_loop().create_task(inject())
        result = await collect(alltick_cfg(srv), list(UNIVERSE), 3.0)
        end = time.time()
        await injector
        syms = list(UNIVERSE)
        fresh = fresh_rows(result.book, syms, end - 1.0)
        stats, bstats = result.pool.stats, result.book.stats
        one_connection = len(srv.conns) == 1
        counted = {
            "bad frame": stats.bad_frames >= 1,
            "rejected time": bstats.bad_time >= 1,
            "understood": stats.bad_frames == 0,
        }[expect]
        kinds = ", ".join(f"{k} ×{n}" for k, n in stats.bad_by_kind.items())
        row = REPORT.add(
            Row(
                "data",
                f"{label}, amid normal ticks (doc server)",
                f"{len(srv.conns)} connection(s) for the whole run"
                + (f" · bad frames {stats.bad_frames}" if stats.bad_frames else "")
                + (f" · impossible times {bstats.bad_time}" if bstats.bad_time else ""),
                one_connection,
                None,
                f"{len(fresh)}/{len(syms)}",
                {
                    "connection kept": one_connection,
                    "every row current": len(fresh) == len(syms),
                    f"{expect}": counted,
                },
                kinds or "no bad frame",
            )
        )
        REPORT.count("faults injected")
        REPORT.count("bad inputs tried", len(UNIVERSE))
        assert row.passed, (row.failed_checks, row.seen, row.figures)


async def test_ticks_for_codes_never_subscribed_are_counted_not_stored() -> None:
    async with DocAllTick(
        universe=UNIVERSE, push_interval=0.05, min_interval=0.1, cross_interval=0.0
    ) as srv:

        async def inject() -> None:
            await wait_until(lambda: bool(srv.live), 5, "a connection")
            await asyncio.sleep(0.3)
            for i in range(50):
                await srv.inject(
                    alltick_doc.tick_frame(
                        f"60{i:04d}.SH", seq=i + 1, tick_time=int(time.time() * 1000)
                    )
                )

        injector = asyncio.get_running_loop().create_task(inject())
        result = await collect(alltick_cfg(srv), ["600519.SH"], 2.0)
        await injector
    assert result.book.stats.unsubscribed == 50
    assert len(result.book) == 1  # no row for any code nobody asked for


async def test_frames_arriving_but_nothing_applied_is_not_called_live() -> None:
    """A server replaying old ticks: frames flow, no price moves — the status says so."""
    async with DocAllTick(
        universe=UNIVERSE, push_interval=None, min_interval=0.1, cross_interval=0.0
    ) as srv:
        book = QuoteBook()
        session = FeedSession(alltick_cfg(srv), book, SymbolMaster(), want_master=False)
        session.set_symbols(["600519.SH"])
        await session.start()
        try:
            await wait_until(lambda: bool(srv.live), 5, "a connection")
            now = int(time.time() * 1000)
            await srv.inject(alltick_doc.tick_frame("600519.SH", seq=100, tick_time=now))
            await wait_until(lambda: book.stats.applied == 1, 5, "the first tick")
            session.health()
            t_end = time.monotonic() + 2.0
            n = 0
            while time.monotonic() < t_end:  # the same tick again and again
                n += 1
                await srv.inject(alltick_doc.tick_frame("600519.SH", seq=100, tick_time=now))
                await asyncio.sleep(0.05)
            health = session.health()
        finally:
            await session.stop()
    assert health.phase is Phase.LIVE
    assert health.applied_per_s == 0 and health.received_per_s > 0
    assert health.dropping is not None and "sequence" in str(health.dropping)


# --- side channels: the feed starts first, whatever the HTTP side does -------------------


class HostileHttp:
    """A plain HTTP server for /symbols that misbehaves in one chosen way."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requests = 0
        self.server: asyncio.Server | None = None
        self.port = 0

    async def __aenter__(self) -> HostileHttp:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        for w in list(self._writers):
            w.close()

    _writers: set[asyncio.StreamWriter] = set()  # noqa: RUF012

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        self.requests += 1
        try:
            await reader.readuntil(b"\r\n\r\n")
            body = (
                b'[{"code":"600519.SH","name":"\xe8\xb4\xb5\xe5\xb7\x9e\xe8\x8c\x85\xe5\x8f\xb0"}]'
            )
            if self.mode == "trickle":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                for _ in range(100_000):
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(0.02)
            elif self.mode == "trickled headers":
                writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(100_000):  # a header byte every 0.3 s: each read is "on time"
                    await writer.drain()
                    await asyncio.sleep(0.3)
                    writer.write(b"a")
            elif self.mode == "truncated":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n" + body[:20])
                await writer.drain()
            elif self.mode == "deep JSON":
                deep = b"[" * 200_000 + b"]" * 200_000
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(deep) + deep)
                await writer.drain()
            elif self.mode == "huge body":
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 150000000\r\n\r\n")
                chunk = b" " * 65536
                for _ in range(150_000_000 // 65536):
                    writer.write(chunk)
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


@pytest.mark.parametrize(
    "mode", ["trickle", "trickled headers", "truncated", "deep JSON", "huge body"]
)
async def test_a_hostile_symbol_list_never_holds_up_the_prices(mode: str) -> None:
    async with (
        DocBatchServer(universe=UNIVERSE, push_interval=0.05) as ws,
        HostileHttp(mode) as http,
    ):
        cfg = FeedConfig.for_url(
            ws.url,
            "generic",
            backoff=fast_backoff,
            http_base=f"http://127.0.0.1:{http.port}",
            http_deadline=1.5,
            http_max_body=1 << 20,
        )
        book, master = QuoteBook(), SymbolMaster()
        session = FeedSession(cfg, book, master)
        session.set_symbols(list(UNIVERSE))
        t0 = time.monotonic()
        await session.start()
        try:
            await wait_until(
                lambda: len(fresh_rows(book, list(UNIVERSE), time.time() - 5)) == len(UNIVERSE),
                5,
                "prices while the symbol list misbehaves",
            )
            priced_after = time.monotonic() - t0
            await wait_until(lambda: bool(session.health().notes), 10, "the note")
            note = str(session.health().notes[0])
            live = session.pool.state.phase is Phase.LIVE
        finally:
            t_stop = time.monotonic()
            await session.stop()
            stop_took = time.monotonic() - t_stop
    REPORT.count("faults injected")
    row = REPORT.add(
        Row(
            "side channel",
            f"symbol list: {mode}",
            f"live · {note[:90]}",
            live,
            None,
            f"{len(UNIVERSE)}/{len(UNIVERSE)}",
            {
                "prices first": priced_after < 3.0,
                "said what is missing": note.startswith("symbol list"),
                "stops promptly": stop_took < 5.0,
            },
            f"every price applied {priced_after:.2f} s after start; stopped in {stop_took:.2f} s",
        )
    )
    assert row.passed, (row.failed_checks, note)


# --- plan limits, as a server written from AllTick's docs enforces them ------------------


async def test_pool_keeps_every_spacing_a_plan_demands_at_start_and_on_reconnect() -> None:
    """≥ min_interval on one connection, ≥ cross_interval across connections (a new
    WebSocket after a reconnect counts as another connection), never more connections
    than the plan: the server refuses nothing, and every code gets priced."""
    universe = {f"6000{i:02d}.SH": 10.0 + i for i in range(25)}
    plan = alltick_doc.ALL_CN.with_(codes_per_connection=10, max_connections=3)
    async with DocAllTick(
        universe=universe,
        plan=plan,
        push_interval=0.05,
        min_interval=0.3,
        cross_interval=0.5,
        drop_after=2.5,
    ) as srv:
        cfg = alltick_cfg(
            srv,
            max_codes=10,
            max_connections=3,
            min_request_interval=0.3,
            cross_request_interval=0.5,
        )
        book = QuoteBook()
        session = FeedSession(cfg, book, SymbolMaster(), want_master=False)
        session.set_symbols(list(universe))
        await session.start()
        try:
            await asyncio.sleep(4.0)  # start-up, then every connection dropped and reopened
            since = time.time()
            await wait_until(
                lambda: len(fresh_rows(book, list(universe), since)) == len(universe),
                5,
                "every code priced after the reconnects",
            )
        finally:
            await session.stop()
    assert len(srv.conns) > 3  # the drops happened
    assert not srv.refusals, srv.refusals
    assert not srv.connections_refused, srv.connections_refused
    # The spacing as the server saw it: consecutive subscription requests on different
    # connections at least cross_interval apart.
    reqs = sorted(
        (r.at, c.number) for c in srv.conns for r in c.received if r.cmd in (22004, 22006)
    )
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(reqs) if a[1] != b[1]]
    assert gaps and min(gaps) >= 0.5 - 0.02, gaps


# --- the whole market from a provider that serves no symbol list -------------------------


@pytest.mark.slow
async def test_whole_market_over_alltick_with_no_symbol_list_within_plan_limits() -> None:
    """Issue 12's acceptance: 5,000+ codes over an All-CN plan's two connections, names
    from the shipped listing, previous closes from batch K-lines at the plan's pace,
    and the server — written from AllTick's docs — never refuses anything."""
    import random

    from monitor.platform.resources import shipped_listing

    listing = shipped_listing()
    rng = random.Random(7)
    universe = {s: round(rng.uniform(3, 300), 2) for s in listing.stocks()}
    prev = {s: round(p * rng.uniform(0.95, 1.05), 2) for s, p in universe.items()}
    async with DocAllTick(
        universe=universe, prev_closes=prev, push_interval=0.5, push_fraction=0.35
    ) as srv:
        cfg = FeedConfig.for_url(srv.url, token="T", http_base=srv.http_base)
        master = SymbolMaster(listing.master)
        result = await collect(cfg, None, 9.0, master=master)
    book = result.book
    rows = [q for s in result.symbols if (q := book.quote(s)) is not None]
    priced = [q for q in rows if q.last is not None]
    with_close = [q for q in priced if q.prev_close is not None]
    assert len(rows) == len(universe) >= 5000
    assert len(priced) >= 5000, len(priced)
    assert book.quote("600519.SH").name == "贵州茅台"  # type: ignore[union-attr]
    wrong = [q.symbol for q in with_close if abs((q.prev_close or 0) - prev[q.symbol]) > 1e-6]
    assert not wrong, wrong[:5]
    for q in with_close[:200]:
        expect = (q.last - prev[q.symbol]) / prev[q.symbol] * 100  # type: ignore[operator]
        assert q.change_pct is not None and abs(q.change_pct - expect) < 1e-6
    assert len(with_close) == len(priced), (len(with_close), len(priced))
    assert len(srv.conns) == 2 and max(len(c.subscribed) for c in srv.conns) <= 3000
    assert not srv.refusals, srv.refusals[:3]
    # Asked once for a symbol list (AllTick serves none: 404); nothing refused for limits.
    limits = [r for r in srv.http_refusals if r.ret != 404]
    assert not limits, limits[:3]
    assert len(srv.http_refusals) <= 1
    assert not srv.connections_refused


async def test_a_connection_cut_for_the_plan_limit_is_reported_as_such() -> None:
    plan = alltick_doc.FREE.with_(codes_per_connection=5)
    async with DocAllTick(universe=UNIVERSE, plan=plan, push_interval=0.05) as srv:
        first = FeedSession(alltick_cfg(srv), QuoteBook(), SymbolMaster(), want_master=False)
        first.set_symbols(["600519.SH"])
        await first.start()
        second = FeedSession(alltick_cfg(srv), QuoteBook(), SymbolMaster(), want_master=False)
        try:
            await wait_until(lambda: bool(srv.live), 5, "the first connection")
            second.set_symbols(["000001.SZ"])  # another app with the same token
            await second.start()
            await wait_until(lambda: second.pool.state.phase is Phase.BACKOFF, 5, "the cut")
            reason = second.pool.state.reason
        finally:
            await second.stop()
            await first.stop()
    assert reason.startswith("cut by the provider (code 1008"), reason
    assert "more connections than the plan allows" in reason


# --- the order book (五档) -----------------------------------------------------------------


async def test_order_book_of_the_selected_symbol_within_the_plans_spacing() -> None:
    """22002 for the selected symbol only, spaced like every other request; 22999 pushes
    become the session's order book; a new selection replaces it; nothing refused."""
    universe = {"600519.SH": 1500.0, "000001.SZ": 10.0, "600036.SH": 40.0}
    async with DocAllTick(
        universe=universe, push_interval=0.05, min_interval=0.3, cross_interval=0.5
    ) as srv:
        cfg = alltick_cfg(srv, min_request_interval=0.3, cross_request_interval=0.5)
        session = FeedSession(cfg, QuoteBook(), SymbolMaster(), want_master=False)
        session.set_symbols(list(universe))
        session.set_depth(["600519.SH"])
        await session.start()
        try:
            await wait_until(lambda: "600519.SH" in session.depths, 5, "the first order book")
            book, _ = session.depths["600519.SH"]
            assert len(book.bids) == 5 and len(book.asks) == 5
            assert book.bids[0][0] < book.asks[0][0]
            session.set_depth(["000001.SZ"])
            await wait_until(lambda: "000001.SZ" in session.depths, 5, "the new selection's book")
            assert "600519.SH" not in session.depths  # the old one is not kept as current
            session.set_depth([])
            await wait_until(
                lambda: all(not c.depth for c in srv.conns if c.open), 5, "depth cancelled"
            )
        finally:
            await session.stop()
    assert not srv.refusals, srv.refusals
    reqs = sorted(r.at for c in srv.conns for r in c.received if r.cmd in (22002, 22004, 22006))
    gaps = [b - a for a, b in itertools.pairwise(reqs)]
    assert gaps and min(gaps) >= 0.3 - 0.02, gaps
    sent = [r.cmd for c in srv.conns for r in c.received if r.cmd in (22002, 22006)]
    assert sent == [22002, 22002, 22006]
