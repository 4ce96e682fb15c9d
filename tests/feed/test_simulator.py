"""The simulator as a server: protocol faithfulness, HTTP side-channels, market model."""

from __future__ import annotations

import asyncio
import json
import urllib.request

import numpy as np
from websockets.asyncio.client import connect

from monitor.core.simmarket import SimMarket
from monitor.core.symbols import Board, board_of, normalize
from monitor.feed.simulator import SimConfig, Simulator


def test_market_is_whole_valid_and_deterministic() -> None:
    a, b = SimMarket(5500, seed=7), SimMarket(5500, seed=7)
    assert a.symbols == b.symbols and len(a) == 5500
    assert all(normalize(s) == s for s in a.symbols)
    boards = {board_of(s) for s in a.symbols}
    assert {Board.MAIN, Board.CHINEXT, Board.STAR, Board.BSE, Board.INDEX} <= boards
    assert a.master.name("600519.SH") == "贵州茅台"
    assert "000001.SH" in a.master and "000001.SZ" in a.master
    assert any(i.st for i in a.master)
    for step in range(300):
        idx = a.step(2000, 1_700_000_000_000 + step)
        assert np.all(a.px.last[idx] <= a.limit_up[idx]) and np.all(
            a.px.last[idx] >= a.limit_down[idx]
        )
    assert np.allclose(a.px.last, np.round(a.px.last, 2))
    at_limit = np.count_nonzero(a.px.last >= a.limit_up) + np.count_nonzero(
        a.px.last <= a.limit_down
    )
    assert at_limit > 10  # some names stick at a limit


def _get(url: str) -> object:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=5) as r:
        return json.loads(r.read())


async def test_http_symbols_and_kline() -> None:
    async with Simulator(SimConfig(symbols=100)) as sim:
        base = f"http://127.0.0.1:{sim.port}"
        syms = await asyncio.to_thread(_get, base + "/symbols")
        assert isinstance(syms, list) and len(syms) == 100
        assert {"code": "600519.SH", "name": "贵州茅台", "board": "main", "st": False} in syms
        q = urllib.parse.quote(
            json.dumps(
                {"trace": "t", "data": {"code": "600519.SH", "kline_type": 8, "query_kline_num": 2}}
            )
        )
        k = await asyncio.to_thread(_get, f"{base}/quote-stock-b-api/kline?token=x&query={q}")
        assert k["ret"] == 200  # type: ignore[index]
        assert k["data"]["kline_list"][0]["close_price"] == "1450.00"  # type: ignore[index]


async def test_alltick_cap_truncates_silently_and_replaces_the_list() -> None:
    async with Simulator(SimConfig(symbols=300, max_codes=100, min_request_interval=0)) as sim:
        async with connect(sim.url("alltick", "T")) as ws:
            codes = sim.market.symbols[:150]
            await ws.send(
                json.dumps(
                    {
                        "cmd_id": 22004,
                        "seq_id": 1,
                        "trace": "a",
                        "data": {"symbol_list": [{"code": c} for c in codes]},
                    }
                )
            )
            ack = json.loads(await ws.recv())
            assert (ack["cmd_id"], ack["ret"], ack["seq_id"], ack["trace"]) == (22005, 200, 1, "a")
            (client,) = sim.clients
            assert client.count == 100  # silently truncated to the first 100
            await ws.send(
                json.dumps(
                    {
                        "cmd_id": 22004,
                        "seq_id": 2,
                        "trace": "b",
                        "data": {"symbol_list": [{"code": codes[0]}]},
                    }
                )
            )
            while True:  # skip snapshot pushes until the ack
                msg = json.loads(await ws.recv())
                if msg["cmd_id"] == 22005:
                    break
            assert client.count == 1  # replaced, not added


async def test_alltick_rate_limit_heartbeat_and_bad_codes() -> None:
    async with Simulator(
        SimConfig(
            symbols=50,
            rate=1,  # no tick stream queued in front of the close frame
            min_request_interval=5,
            heartbeat_timeout=0.5,
            snapshot_on_subscribe=False,
        )
    ) as sim:
        async with connect(sim.url("alltick", "T")) as ws:
            sub = {
                "cmd_id": 22004,
                "seq_id": 1,
                "trace": "t",
                "data": {"symbol_list": [{"code": "600519.SH"}]},
            }
            await ws.send(json.dumps(sub))
            assert json.loads(await ws.recv())["ret"] == 200
            await ws.send(json.dumps(sub))
            assert json.loads(await ws.recv())["ret"] == 605
            await ws.send(json.dumps({"cmd_id": 22000, "seq_id": 9, "trace": "h", "data": {}}))
            hb = json.loads(await ws.recv())
            assert (hb["cmd_id"], hb["seq_id"], hb["ret"]) == (22001, 9, 200)
            # no heartbeat for 0.5 s: the server closes the connection
            closed = await asyncio.wait_for(ws.wait_closed(), 3)
            assert closed is None
            assert ws.close_reason == "heartbeat timeout"
        async with connect(sim.url("alltick", "T")) as ws:
            await ws.send(
                json.dumps(
                    {
                        "cmd_id": 22004,
                        "seq_id": 1,
                        "trace": "t",
                        "data": {"symbol_list": [{"code": "BOGUS"}]},
                    }
                )
            )
            assert json.loads(await ws.recv())["ret"] == 600


async def test_generic_comma_string_and_wildcard() -> None:
    async with Simulator(SimConfig(symbols=80, rate=4000)) as sim:
        async with connect(sim.url("generic")) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": "000001,600036"}))
            ack = json.loads(await ws.recv())
            assert ack == {"event": "subscribed", "count": 2}
            seen: set[str] = set()
            while len(seen) < 2:
                msg = json.loads(await ws.recv())
                seen.update(t["code"] for t in msg.get("ticks", []))
            assert seen == {"000001.SZ", "600036.SH"}
            await ws.send(json.dumps({"action": "subscribe", "symbols": "*"}))
            while True:
                msg = json.loads(await ws.recv())
                if msg.get("event") == "subscribed":
                    assert msg["count"] == 80
                    break
            await ws.send("nonsense")
            while True:
                msg = json.loads(await ws.recv())
                if msg.get("event") == "error":
                    assert "invalid JSON" in msg["message"]
                    break


def test_the_simulated_day_moves_in_real_time_not_per_tick() -> None:
    """A minute of a busy whole market moves prices like a minute, not like a day."""
    from monitor.core.simmarket import SimMarket

    market = SimMarket(5500, seed=3)
    stocks = ~market.is_index
    start = market.px.last.copy()
    t0 = 1_795_570_200_000
    for s in range(300):  # one minute at 1,700 ticks/s in 200 ms steps
        market.step(340, t0 + s * 200)
    moved = np.abs(market.px.last / start - 1.0)[stocks & ~market.pinned]
    assert moved.max() < 0.03  # was ±9 % after 30 s, 招商银行 at limit-up within a minute
    at_limit = (market.px.last >= market.limit_up) | (market.px.last <= market.limit_down)
    assert 0.01 < at_limit[stocks].mean() < 0.04  # about 2.5 % sealed, as on a real day
    change = (market.px.last - market.prev_close)[stocks]
    assert 0.3 < (change > 0).mean() < 0.6 and 0.3 < (change < 0).mean() < 0.7
