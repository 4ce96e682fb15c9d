"""The connection pool against real websockets servers on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest

from monitor.core.book import QuoteBook
from monitor.core.quotes import Tick
from monitor.feed.client import FeedPool, Phase
from monitor.feed.config import FeedConfig
from monitor.feed.simulator import SimConfig, Simulator
from tests.feed.helpers import fast_backoff, wait_until
from tests.feed.scripted import Conn, ScriptedAllTick


def make_pool(url: str, **kw: object) -> tuple[FeedPool, QuoteBook]:
    book = QuoteBook()
    kw.setdefault("backoff", fast_backoff)
    kw.setdefault("debounce", 0.01)
    kw.setdefault("cross_request_interval", 0.05)  # AllTick's 3 s, made small for tests
    cfg = FeedConfig.for_url(url, **kw)  # type: ignore[arg-type]

    def sink(ticks: list[Tick], received_ms: float, scope: int) -> int:
        return book.apply_many(ticks, received_ms, scope)

    return FeedPool(cfg, sink), book


@contextlib.asynccontextmanager
async def running(pool: FeedPool):  # type: ignore[no-untyped-def]
    await pool.start()
    try:
        yield pool
    finally:
        await pool.stop()


async def test_splits_across_connections_and_never_exceeds_the_cap() -> None:
    async with Simulator(
        SimConfig(symbols=400, max_codes=50, rate=2000, min_request_interval=0.2)
    ) as sim:
        pool, _book = make_pool(sim.url("alltick", "T"), max_codes=50, min_request_interval=0.2)
        wanted = sim.market.symbols[:120]
        async with running(pool):
            pool.set_symbols(wanted)
            await wait_until(lambda: pool.receiving() == 120, what="all 120 symbols ticking")
            assert len(pool.connections) == 3
            assert [len(s) for s in pool.connection_symbols()] == [50, 50, 20]
            assert sim.max_subscribed <= 50
            assert pool.state.phase is Phase.LIVE
            # Shrinking drops the now-empty connections.
            pool.set_symbols(wanted[:30])
            await wait_until(lambda: len(pool.connections) == 1)
            await wait_until(lambda: sum(c.count for c in sim.clients) == 30)


async def test_burst_of_edits_becomes_one_request_with_the_final_list() -> None:
    async with Simulator(SimConfig(symbols=300, rate=500, min_request_interval=1.0)) as sim:
        pool, _ = make_pool(sim.url("alltick", "T"), debounce=0.05)
        syms = sim.market.symbols
        async with running(pool):
            pool.set_symbols(syms[:10])
            await wait_until(lambda: len(sim.requests) == 1)
            for i in range(50):  # 50 watchlist edits in a burst
                pool.set_symbols(syms[: 11 + i])
                await asyncio.sleep(0)
            await wait_until(lambda: len(sim.requests) >= 2, timeout=3)
            await asyncio.sleep(1.3)  # long enough for a second request, had there been one
            assert [n for _, _, n in sim.requests] == [10, 60]
            assert pool.stats.rate_limited == 0
            assert pool.stats.requests == 2


async def test_resubscribes_everything_after_the_server_drops_us() -> None:
    async with Simulator(SimConfig(symbols=300, rate=3000, min_request_interval=0.1)) as sim:
        pool, _book = make_pool(sim.url("alltick", "T"), min_request_interval=0.1)
        wanted = sim.market.symbols[:40]
        async with running(pool):
            pool.set_symbols(wanted)
            await wait_until(lambda: pool.receiving() == 40)
            for c in list(sim.clients):
                await c.ws.close(1001, "going away")
            await wait_until(lambda: pool.stats.reconnects >= 1)
            await wait_until(lambda: pool.state.phase is Phase.LIVE)
            await wait_until(lambda: any(c.count == 40 for c in sim.clients))
            pool.stats.last_tick.clear()
            await wait_until(lambda: pool.receiving() == 40, what="every symbol ticking again")


async def test_recovers_when_the_server_restarts_on_the_same_port() -> None:
    sim = Simulator(SimConfig(symbols=100, rate=2000, min_request_interval=0.1))
    await sim.start()
    port = sim.port
    pool, _book = make_pool(sim.url("alltick", "T"), min_request_interval=0.1)
    async with running(pool):
        pool.set_symbols(sim.market.symbols[:20])
        await wait_until(lambda: pool.receiving() == 20)
        await sim.stop()
        await wait_until(lambda: pool.state.phase is Phase.BACKOFF)
        assert "closed" in pool.state.reason or "refused" in pool.state.reason
        sim2 = Simulator(SimConfig(symbols=100, rate=2000, port=port, min_request_interval=0.1))
        await sim2.start()
        try:
            await wait_until(lambda: pool.state.phase is Phase.LIVE)
            pool.stats.last_tick.clear()
            await wait_until(lambda: pool.receiving() == 20)
        finally:
            await sim2.stop()


@pytest.mark.parametrize("mode", ["frame", "http"])
async def test_refused_token_stops_retrying_and_says_why(mode: str) -> None:
    async with Simulator(SimConfig(symbols=50, token="good", token_reject=mode)) as sim:
        pool, _ = make_pool(sim.url("alltick"), token="wrong-secret")
        async with running(pool):
            pool.set_symbols(sim.market.symbols[:5])
            await wait_until(lambda: pool.state.phase is Phase.FAILED)
            assert "token" in pool.state.reason
            assert "wrong-secret" not in pool.state.reason
            await asyncio.sleep(0.2)
            assert pool.stats.reconnects == 0


async def test_rate_limit_605_is_retried_with_the_final_list() -> None:
    async with Simulator(SimConfig(symbols=100, rate=500, min_request_interval=0.5)) as sim:
        # Misconfigured client: no spacing, so the server answers 605.
        pool, _ = make_pool(sim.url("alltick", "T"), min_request_interval=0.0)
        syms = sim.market.symbols
        async with running(pool):
            pool.set_symbols(syms[:5])
            await wait_until(lambda: len(sim.requests) == 1)
            pool.set_symbols(syms[:8])
            await wait_until(lambda: pool.stats.rate_limited >= 1)
            await wait_until(lambda: sim.requests[-1][2] == 8, timeout=4, what="final list sent")
            assert pool.state.phase is Phase.LIVE


async def test_606_close_reconnects_and_resubscribes() -> None:
    async with Simulator(
        SimConfig(symbols=100, rate=500, min_request_interval=0.5, rate_limit_close=True)
    ) as sim:
        pool, _ = make_pool(sim.url("alltick", "T"), min_request_interval=0.0)
        syms = sim.market.symbols
        async with running(pool):
            pool.set_symbols(syms[:5])
            await wait_until(lambda: len(sim.requests) == 1)
            pool.set_symbols(syms[:9])
            await wait_until(lambda: pool.stats.reconnects >= 1)
            await wait_until(lambda: any(c.count == 9 for c in sim.clients), timeout=4)


async def test_silent_server_is_detected_by_heartbeat_timeout() -> None:
    async def silence(conn: Conn) -> None:
        conn.answer_heartbeats = False
        conn.server.push_interval = 3600

    async with ScriptedAllTick(fault=silence) as srv:
        pool, _ = make_pool(srv.url, heartbeat_interval=0.05, heartbeat_timeout=0.3)
        async with running(pool):
            pool.set_symbols(["600519.SH"])
            await wait_until(lambda: pool.stats.reconnects >= 1, timeout=3)
            assert "heartbeat timeout" in pool.stats.last_error


async def test_reset_mid_frame_reconnects() -> None:
    async def reset(conn: Conn) -> None:
        if conn.number == 1:
            await asyncio.sleep(0.1)
            transport = conn.ws.transport
            transport.write(b'\x81\x7e\x01\x00{"cmd_id":22998,')  # half a frame
            transport.abort()

    async with ScriptedAllTick(fault=reset) as srv:
        pool, _book = make_pool(srv.url)
        async with running(pool):
            pool.set_symbols(["600519.SH", "000001.SZ"])
            await wait_until(lambda: len(srv.conns) >= 2, timeout=3)
            await wait_until(lambda: srv.conns[-1].subscribed == ["600519.SH", "000001.SZ"])
            pool.stats.last_tick.clear()
            await wait_until(lambda: pool.receiving() == 2)


async def test_garbage_is_counted_never_fatal() -> None:
    garbage = [
        "not json",
        "{}",
        '{"cmd_id":22998,"data":{"code":"600519.SH","price":"NaN","tick_time":1}}',
        b"\xff\xfe",
        '{"cmd_id":22998,"data":{"code":"700.HK","price":"1","tick_time":1}}',
    ]

    async def spew(conn: Conn) -> None:
        await asyncio.sleep(0.05)
        for g in garbage:
            await conn.ws.send(g)

    async with ScriptedAllTick(fault=spew) as srv:
        pool, _book = make_pool(srv.url)
        async with running(pool):
            pool.set_symbols(["600519.SH"])
            await wait_until(lambda: pool.stats.bad_frames == len(garbage))
            pool.stats.last_tick.clear()
            await wait_until(lambda: pool.receiving() == 1)
            assert pool.state.phase is Phase.LIVE
            assert pool.stats.reconnects == 0


async def test_handshake_503_is_retried_403_is_fatal() -> None:
    async with ScriptedAllTick(handshake_status=503) as srv:
        pool, _ = make_pool(srv.url)
        async with running(pool):
            await wait_until(lambda: srv.handshakes >= 3)
            assert pool.state.phase in (Phase.BACKOFF, Phase.CONNECTING)
            assert "503" in pool.stats.last_error
            srv.handshake_status = None
            await wait_until(lambda: pool.state.phase is Phase.LIVE)
    async with ScriptedAllTick(handshake_status=403) as srv:
        pool, _ = make_pool(srv.url)
        async with running(pool):
            await wait_until(lambda: pool.state.phase is Phase.FAILED)
            assert "403" in pool.state.reason
            assert srv.handshakes == 1


async def test_empty_list_cancels_instead_of_sending_an_empty_22004() -> None:
    async with ScriptedAllTick() as srv:
        pool, _ = make_pool(srv.url, min_request_interval=0.05)
        async with running(pool):
            pool.set_symbols(["600519.SH"])
            await wait_until(lambda: srv.conns and srv.conns[0].subscribed == ["600519.SH"])
            pool.set_symbols([])
            await wait_until(lambda: any(r["cmd_id"] == 22006 for r in srv.conns[0].received))
            subs = [r for r in srv.conns[0].received if r["cmd_id"] == 22004]
            assert all(r["data"]["symbol_list"] for r in subs)  # type: ignore[index]


async def test_generic_protocol_sends_incremental_diffs_and_wildcard() -> None:
    async with Simulator(SimConfig(symbols=200, rate=2000)) as sim:
        sent: list[dict[str, object]] = []
        pool, book = make_pool(sim.url("generic"))
        pool.on_request = lambda n, frame: sent.append(json.loads(frame))
        syms = sim.market.symbols
        async with running(pool):
            pool.set_symbols(syms[:3])
            await wait_until(lambda: pool.receiving() == 3)
            pool.set_symbols(syms[1:4])
            await wait_until(lambda: len(sent) == 3)
            assert sent == [
                {"action": "subscribe", "symbols": syms[:3]},
                {"action": "unsubscribe", "symbols": [syms[0]]},
                {"action": "subscribe", "symbols": [syms[3]]},
            ]
            await wait_until(lambda: next(iter(sim.clients)).count == 3)
            pool.set_symbols([], wildcard=True)
            await wait_until(lambda: next(iter(sim.clients)).count == 200)
            await wait_until(lambda: len(book) > 150, what="whole market ticking")


async def test_token_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG")
    async with Simulator(SimConfig(symbols=50, token="sekrit-123")) as sim:
        pool, _ = make_pool(sim.url("alltick"), token="wrong-sekrit-456")
        async with running(pool):
            pool.set_symbols(sim.market.symbols[:2])
            await wait_until(lambda: pool.state.phase is Phase.FAILED)
    assert "wrong-sekrit-456" not in caplog.text


async def test_export_cli_against_an_alltick_server_that_is_not_our_simulator(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The independent scripted server serves no symbol master and no K-lines."""
    import csv
    import sys

    async with ScriptedAllTick() as srv:
        out = tmp_path / "third-party.csv"
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "monitor",
            "export",
            "--url",
            srv.url.split("?")[0],
            "--token",
            "T",
            "--symbols",
            "600519,000001.SZ,sh601318",
            "--seconds",
            "2",
            "--out",
            str(out),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        _stdout, stderr = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, stderr.decode()
        with out.open(encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        assert [r["code"] for r in rows] == ["600519.SH", "000001.SZ", "601318.SH"]
        assert all(r["last"] == "10.00" for r in rows)
        assert all(r["change_pct"] == "" for r in rows)  # no previous close: unknown, not 0
        assert max(len(c.subscribed) for c in srv.conns) == 3


async def test_a_normal_stop_closes_with_1000_not_as_an_error() -> None:
    """The server sees a normal closure (1000), not an internal error (1011), and the
    client neither warns nor tries to reconnect."""
    from monitor.core.book import QuoteBook
    from monitor.service.session import FeedSession
    from tests.servers.alltick_doc import DocAllTick

    async with DocAllTick(universe={"600519.SH": 1500.0}, push_interval=0.05) as srv:
        cfg = FeedConfig.for_url(srv.url.split("?")[0], "alltick", "T", http_base=srv.http_base)
        book = QuoteBook()
        session = FeedSession(cfg, book, book.master, want_master=False)
        session.set_symbols(["600519.SH"])
        await session.start()
        await wait_until(lambda: session.pool.stats.applied > 0, 10, "a tick")
        await session.stop()
        await wait_until(lambda: srv.conns[0].ws.close_code is not None, 5)
        assert srv.conns[0].ws.close_code == 1000
        assert session.pool.stats.reconnects == 0
        assert len(srv.conns) == 1
