"""The team relay on a real redis-server: one upstream, gateways, desktops; restarts.

Upstream is the server written from AllTick's docs; the relay and gateways run
in-process (the CLI's own wiring is checked once, in the last test).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import websockets

from monitor.core.book import QuoteBook
from monitor.core.protocols.relay import Keys, encode_entry, encode_tick
from monitor.core.quotes import Tick
from monitor.feed.config import FeedConfig
from monitor.feed.gateway import Gateway
from monitor.service.relay import Relay
from monitor.service.session import FeedSession
from tests.feed.helpers import fast_backoff, wait_until
from tests.servers.alltick_doc import DocAllTick
from tests.servers.redis_server import RedisServer, redis_binary
from tests.service.test_recording import SEED_CODES, UNIVERSE, seed_client

pytestmark = pytest.mark.skipif(
    redis_binary() is None and not os.environ.get("CI"),
    reason="redis-server not installed (CI installs it)",
)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@contextlib.asynccontextmanager
async def _relay(srv: DocAllTick, redis_url: str) -> AsyncIterator[Relay]:
    cfg = FeedConfig.for_url(srv.url.split("?")[0], "alltick", "T", http_base=srv.http_base)
    relay = Relay(cfg, list(UNIVERSE), redis_url, frame_ms=30)
    stop = asyncio.Event()
    task = asyncio.create_task(relay.run(stop))
    try:
        yield relay
    finally:
        stop.set()
        await asyncio.wait_for(task, 20)


@contextlib.asynccontextmanager
async def _gateway(redis_url: str, port: int = 0) -> AsyncIterator[Gateway]:
    gw = Gateway(redis_url, port=port, block_ms=100)
    await gw.start()
    try:
        yield gw
    finally:
        await gw.stop()


async def _frames(url: str, request: dict[str, object], n: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    async with websockets.connect(url) as ws:
        await ws.send(json.dumps(request))
        while len(out) < n:
            out.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
    return out


async def test_two_gateways_serve_snapshots_and_live_ticks_from_one_upstream(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    async with DocAllTick(universe=UNIVERSE, push_interval=0.1) as srv:
        async with _relay(srv, redis_server.url) as relay:
            await wait_until(
                lambda: len(relay.book.symbols) == 10 and relay.stats.published > 50, 15
            )
            async with _gateway(redis_server.url) as g1, _gateway(redis_server.url) as g2:
                for gw in (g1, g2):
                    frames = await _frames(
                        gw.url, {"action": "subscribe", "symbols": ["600519", "000001"]}, 4
                    )
                    assert frames[0]["event"] == "subscribed"
                    snapshot = frames[1]["ticks"]
                    assert isinstance(snapshot, list)
                    assert {t["code"] for t in snapshot} == {"600519.SH", "000001.SZ"}
                    assert all("prev_close" in t and "day_volume" in t for t in snapshot)
                    live = [t for f in frames[2:] for t in f["ticks"]]  # type: ignore[union-attr]
                    assert live and {t["code"] for t in live} <= {"600519.SH", "000001.SZ"}
                lines = await asyncio.gather(
                    seed_client(g1.port, tmp_path / "a.py", 30),
                    seed_client(g2.port, tmp_path / "b.py", 30),
                )
            # The provider saw the relay only: one connection, one token.
            assert srv.handshakes == 1 and len(srv.conns) == 1
    for got in lines:
        codes = {re.match(r"Code:(\S+)", ln).group(1) for ln in got}  # type: ignore[union-attr]
        assert len(got) >= 30 and codes == set(UNIVERSE)


async def test_gateway_redis_and_relay_restarts_lose_no_subscription(
    redis_server: RedisServer,
) -> None:
    watched = ["600519.SH", "000001.SZ", "300750.SZ"]
    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        async with _relay(srv, redis_server.url) as relay:
            await wait_until(lambda: relay.stats.published > 50, 15)
            gw = Gateway(redis_server.url, block_ms=100)
            await gw.start()
            port = gw.port
            book = QuoteBook()
            desk = FeedSession(
                FeedConfig.for_url(gw.url, "generic", backoff=fast_backoff), book, book.master
            )
            desk.set_symbols(watched)
            await desk.start()

            async def all_tick_again() -> None:
                marks = {s: book.received_ms[book.row_of(s) or 0] for s in watched}
                await wait_until(
                    lambda: all(book.received_ms[book.row_of(s) or 0] > marks[s] for s in watched),
                    15,
                    "every watched symbol ticking again",
                )

            try:
                await all_tick_again()
                # 1. The gateway dies and comes back on the same port: the desktop's pool
                #    reconnects and resubscribes by itself.
                await gw.stop()
                gw = Gateway(redis_server.url, port=port, block_ms=100)
                await gw.start()
                await all_tick_again()
                # 2. Redis restarts (every key gone): the relay keeps ticks and rewrites the
                #    snapshot; the gateway reconnects.
                redis_server.restart()
                await all_tick_again()
                await wait_until(
                    lambda: relay.stats.redis_errors == 0 or not relay.stats.last_error, 15
                )
                # Nothing counted twice or short: the desktop's day volume is the relay's.
                srv.push_fraction = 0.0  # the upstream goes quiet
                await asyncio.sleep(0.5)
                await wait_until(
                    lambda: all(
                        book.volume[book.row_of(s) or 0]
                        == relay.book.volume[relay.book.row_of(s) or 0]
                        for s in watched
                    ),
                    10,
                    "desktop volume == relay volume",
                )
            finally:
                await desk.stop()
                await gw.stop()
            assert gw.gaps == 0


async def test_a_lost_or_hostile_meta_hash_never_stops_the_gateway(
    redis_server: RedisServer,
) -> None:
    """Redis evicting the meta hash (``allkeys-lru`` evicts it first: written rarely) or
    someone writing nonsense into it: the gateway keeps following the streams it knows,
    and the relay's heartbeat puts the hash back within about a second."""
    import redis.asyncio as aioredis

    keys = Keys()
    r = aioredis.from_url(redis_server.url)
    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        async with _relay(srv, redis_server.url) as relay, _gateway(redis_server.url) as gw:
            async with websockets.connect(gw.url) as ws:
                await ws.send(json.dumps({"action": "subscribe", "symbols": "*"}))

                async def ticks_flow() -> None:
                    got = 0
                    while got < 20:
                        msg = json.loads(await asyncio.wait_for(ws.recv(), 5))
                        got += len(msg.get("ticks", []))

                await ticks_flow()
                await r.delete(keys.meta, keys.last)  # evicted
                await ticks_flow()
                for _ in range(50):  # the relay's heartbeat finds the hash gone
                    if await r.hget(keys.meta, "shards") and await r.hlen(keys.last):
                        break
                    await asyncio.sleep(0.1)
                else:
                    raise AssertionError("the relay did not rewrite its meta hash and snapshot")
                assert relay.stats.redis_errors == 0  # nothing failed: it was noticed
                for hostile in (3_000_000, -1, "x"):
                    await r.hset(keys.meta, "shards", hostile)
                    await ticks_flow()
    await r.aclose()
    assert gw.gaps == 0


async def test_a_relay_restart_is_not_a_gap_and_ticks_resume(redis_server: RedisServer) -> None:
    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        async with _gateway(redis_server.url) as gw:
            async with websockets.connect(gw.url) as ws:
                await ws.send(json.dumps({"action": "subscribe", "symbols": "600519,000001"}))
                for _round in range(2):  # a relay, then its restart
                    async with _relay(srv, redis_server.url) as relay:
                        got = 0
                        while got < 20:
                            msg = json.loads(await asyncio.wait_for(ws.recv(), 10))
                            assert msg.get("event") != "gap"
                            got += len(msg.get("ticks", []))
                        assert relay.stats.published > 0
            assert gw.gaps == 0


async def test_a_missing_entry_is_reported_as_a_gap(redis_server: RedisServer) -> None:
    import redis.asyncio as aioredis

    keys = Keys()
    r = aioredis.from_url(redis_server.url)
    await r.hset(keys.meta, mapping={"shards": 1, "relay": "r1"})
    tick = Tick("600519.SH", 1500.0, 1_796_090_400_000, 100.0)
    latest = Tick("600519.SH", 1503.0, 1_796_090_460_000, 0.0, day_volume=9_900.0)
    async with _gateway(redis_server.url) as gw:
        async with websockets.connect(gw.url) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": ["600519"]}))
            json.loads(await ws.recv())  # subscribed
            await asyncio.sleep(0.3)  # the gateway reads from now on
            await r.xadd(keys.stream(0), encode_entry("r1", 1, [tick]))  # type: ignore[arg-type]
            await r.hset(keys.last, mapping={"600519.SH": encode_tick(latest)})
            await r.xadd(keys.stream(0), encode_entry("r1", 3, [tick]))  # type: ignore[arg-type]
            events = []
            while not any(e.get("event") == "gap" for e in events):
                events.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
            # … then the latest quote of the client's symbol, as after a subscription.
            snapshot = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert snapshot["ticks"][0]["price"] == 1503.0
            assert snapshot["ticks"][0]["day_volume"] == 9_900.0
            # The same entry written again (a relay retrying a pipeline) is sent once.
            relayed = gw.relayed
            await r.xadd(keys.stream(0), encode_entry("r1", 3, [tick]))  # type: ignore[arg-type]
            await r.xadd(keys.stream(0), encode_entry("r1", 4, [tick]))  # type: ignore[arg-type]
            await wait_until(lambda: gw.relayed == relayed + 1, 5, "seq 4 relayed")
            # A bad threshold is refused with a reason, not ignored.
            await ws.send(json.dumps({"action": "subscribe", "symbols": ["1"], "threshold": -3}))
            while (reply := json.loads(await asyncio.wait_for(ws.recv(), 5))).get("ticks"):
                pass
            assert reply["event"] == "error" and "threshold" in reply["message"]
            await ws.send("[" * 100_000)  # hostile: one error line, the connection stays
            reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert reply == {"event": "error", "message": "invalid JSON: nested too deeply"}
            await ws.send(json.dumps({"action": "subscribe", "symbols": ["000001"]}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["event"] == "subscribed"
    await r.aclose()
    assert gw.gaps == 1


async def test_threshold_updates_send_only_moves_of_n_ticks(redis_server: RedisServer) -> None:
    async with DocAllTick(universe={"600519.SH": 1450.0}, push_interval=0.01, band=0.02) as srv:
        async with _relay(srv, redis_server.url), _gateway(redis_server.url) as gw:
            await asyncio.sleep(0.5)
            every, coarse = await asyncio.gather(
                _frames(gw.url, {"action": "subscribe", "symbols": ["600519"]}, 40),
                _frames(gw.url, {"action": "subscribe", "symbols": ["600519"], "threshold": 50}, 6),
            )
    prices = [t["price"] for f in coarse for t in f.get("ticks", [])]  # type: ignore[union-attr]
    assert len(prices) >= 3
    assert all(abs(b - a) >= 0.5 - 1e-9 for a, b in itertools.pairwise(prices))
    fine = [t["price"] for f in every for t in f.get("ticks", [])]  # type: ignore[union-attr]
    assert any(abs(b - a) < 0.5 for a, b in itertools.pairwise(fine))


async def test_relay_and_gateway_from_the_command_line(redis_server: RedisServer) -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ASHARE_MONITOR_TOKEN": "T"}
    async with DocAllTick(universe=UNIVERSE, push_interval=0.1) as srv:
        relay = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "monitor", "relay", "--url", srv.url.split("?")[0]),
            *("--http-url", srv.http_base, "--symbols", ",".join(SEED_CODES)),
            *("--redis", redis_server.url),
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        gateway = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "monitor", "gateway", "--redis", redis_server.url),
            *("--port", "0"),
            stdout=asyncio.subprocess.PIPE,
            env=env,
        )
        try:
            assert relay.stdout is not None and gateway.stdout is not None
            assert "relay" in (await asyncio.wait_for(relay.stdout.readline(), 20)).decode()
            line = (await asyncio.wait_for(gateway.stdout.readline(), 20)).decode()
            port = int(re.search(r":(\d+)/", line).group(1))  # type: ignore[union-attr]
            frames = await _frames(
                f"ws://127.0.0.1:{port}/", {"action": "subscribe", "symbols": "*"}, 3
            )
            assert frames[0]["event"] == "subscribed"
            assert any(f.get("ticks") for f in frames[1:])
        finally:
            for proc in (relay, gateway):
                proc.send_signal(2)  # Ctrl+C
                await asyncio.wait_for(proc.wait(), 20)
        assert relay.returncode == 0 and gateway.returncode == 0


async def test_the_window_s_team_relay_source_gets_live_quotes(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    from monitor.core.settings import Settings
    from monitor.platform.paths import Paths
    from monitor.service.monitor import MonitorService

    async with DocAllTick(universe=UNIVERSE, push_interval=0.1) as srv:
        async with _relay(srv, redis_server.url), _gateway(redis_server.url) as gw:
            paths = Paths(tmp_path / "config", tmp_path / "logs", tmp_path / "data")
            service = MonitorService(paths, Settings(provider="relay", relay_url=gw.url))
            await service.start()
            try:
                await wait_until(
                    lambda: (h := service.health()) is not None and h.receiving >= 10,
                    15,
                    "the watchlist live through the relay",
                )
                q = service.book.quote("600519.SH")
                assert q is not None and q.change_pct is not None  # prev close from the relay
            finally:
                await service.close()
            assert service.source.name == "relay" and not service.simulated
