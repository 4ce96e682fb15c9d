"""Tests of the documentation-based test servers themselves, using plain websockets and urllib.

These pin the behaviour that app tests depend on: per-connection ``seq``, the §1.8 spacing and
connection limits, silent truncation, heartbeat timeout, the §6 HTTP limits and no /symbols.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.servers.alltick_doc import (
    CN_TZ,
    FREE,
    PREMIUM,
    DocAllTick,
    deep_json,
    tick_huge_seq,
    tick_huge_time,
    tick_microseconds,
    tick_year_2100,
)
from tests.servers.batch_doc import DocBatchServer

FIVE = {
    "600519.SH": 1500.0,
    "000001.SZ": 10.0,
    "300750.SZ": 200.0,
    "601318.SH": 50.0,
    "002594.SZ": 250.0,
}


# ---- client helpers ----


def sub(codes: list[str], seq_id: int = 1, cmd: int = 22004) -> str:
    """A 22004 (or 22002) request."""
    return json.dumps(
        {
            "cmd_id": cmd,
            "seq_id": seq_id,
            "trace": f"t{seq_id}",
            "data": {"symbol_list": [{"code": c} for c in codes]},
        }
    )


def heartbeat(seq_id: int = 123) -> str:
    """A 22000 heartbeat as in the doc."""
    return json.dumps({"cmd_id": 22000, "seq_id": seq_id, "trace": "hb", "data": {}})


async def recv_until(
    ws: ClientConnection, pred: Callable[[dict[str, Any]], bool], timeout: float = 2.0
) -> dict[str, Any]:
    """The next JSON frame matching ``pred``, skipping others."""
    deadline = time.monotonic() + timeout
    while True:
        raw = await asyncio.wait_for(ws.recv(), max(0.01, deadline - time.monotonic()))
        msg: dict[str, Any] = json.loads(raw)
        if pred(msg):
            return msg


def reply_to(cmd: int) -> Callable[[dict[str, Any]], bool]:
    """Matches the response to ``cmd``."""
    return lambda m: m.get("cmd_id") == cmd + 1 and "ret" in m


def is_push(m: dict[str, Any]) -> bool:
    """Matches a 22998 trade push."""
    return m.get("cmd_id") == 22998


async def http(url: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """GET (or POST ``body``) in a thread, since the server runs on this loop."""

    def call() -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method="POST" if body is not None else "GET")
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                status, text = resp.status, resp.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode()
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text

    return await asyncio.to_thread(call)


def kline_url(base: str, code: str, num: int = 2, ktype: int = 8, token: str = "T") -> str:
    """GET /kline URL with the URL-encoded query JSON (§6)."""
    query = {
        "trace": "k",
        "data": {
            "code": code,
            "kline_type": ktype,
            "kline_timestamp_end": 0,
            "query_kline_num": num,
            "adjust_type": 0,
        },
    }
    q = urllib.parse.quote(json.dumps(query))
    return f"{base}/quote-stock-b-api/kline?token={token}&query={q}"


def batch_body(codes: list[str], num: int = 2) -> dict[str, Any]:
    """POST /batch-kline body (§6)."""
    items = [
        {
            "code": c,
            "kline_type": 8,
            "kline_timestamp_end": 0,
            "query_kline_num": num,
            "adjust_type": 0,
        }
        for c in codes
    ]
    return {"trace": "b", "data": {"data_list": items}}


# ---- AllTick WebSocket ----


async def test_seq_restarts_at_one_on_every_connection() -> None:
    async with DocAllTick(
        universe=FIVE, push_interval=0.03, drop_after=0.3, cross_interval=0.0
    ) as srv:
        seqs: list[list[int]] = []
        for _ in range(2):
            async with connect(srv.url) as ws:
                await ws.send(sub(["600519.SH", "000001.SZ"]))
                assert (await recv_until(ws, reply_to(22004)))["ret"] == 200
                got: list[int] = []
                async for raw in ws:  # ends at the server's 1001 close
                    msg = json.loads(raw)
                    if is_push(msg):
                        data = msg["data"]
                        assert isinstance(data["price"], str) and isinstance(data["volume"], str)
                        assert abs(data["tick_time"] - time.time() * 1000) < 5000
                        got.append(data["seq"])
                assert ws.close_code == 1001
            seqs.append(got)
        for got in seqs:
            assert got[:3] == [1, 2, 3]
            assert got == list(range(1, len(got) + 1))
        assert [c.close_cause for c in srv.conns] == ["drop_after", "drop_after"]
        assert not srv.refusals


async def test_second_subscribe_within_one_second_gets_605_and_is_ignored() -> None:
    async with DocAllTick(universe=FIVE, push_interval=None) as srv:
        async with connect(srv.url) as ws:
            await ws.send(heartbeat(5))  # heartbeats are exempt
            await ws.send(sub(["600519.SH"], seq_id=1))
            await ws.send(heartbeat(6))
            await ws.send(sub(["000001.SZ"], seq_id=2))
            first = await recv_until(ws, reply_to(22004))
            second = await recv_until(ws, reply_to(22004))
            assert (first["ret"], first["seq_id"]) == (200, 1)
            assert (second["ret"], second["msg"], second["seq_id"]) == (
                605,
                "too many requests",
                2,
            )
            assert srv.conn(1).subscribed == ["600519.SH"]
            assert [(r.conn, r.cmd, r.ret) for r in srv.refusals] == [(1, 22004, 605)]


async def test_rate_mode_close_sends_606_then_closes() -> None:
    async with DocAllTick(universe=FIVE, push_interval=None, rate_mode="close") as srv:
        async with connect(srv.url) as ws:
            await ws.send(sub(["600519.SH"], seq_id=1))
            await ws.send(sub(["000001.SZ"], seq_id=2))
            await recv_until(ws, reply_to(22004))
            assert (await recv_until(ws, reply_to(22004)))["ret"] == 606
            with pytest.raises(ConnectionClosed):
                await recv_until(ws, lambda m: False)
        assert srv.conn(1).close_cause == "too many requests"


async def test_request_soon_after_one_on_another_connection_gets_605() -> None:
    async with DocAllTick(
        universe=FIVE, plan=PREMIUM, push_interval=None, cross_interval=0.4
    ) as srv:
        async with connect(srv.url) as a, connect(srv.url) as b:
            await a.send(sub(["600519.SH"]))
            assert (await recv_until(a, reply_to(22004)))["ret"] == 200
            await b.send(sub(["000001.SZ"]))
            assert (await recv_until(b, reply_to(22004)))["ret"] == 605
            await asyncio.sleep(0.45)
            await b.send(sub(["000001.SZ"], seq_id=2))
            assert (await recv_until(b, reply_to(22004)))["ret"] == 200
        assert [(r.conn, r.ret) for r in srv.refusals] == [(2, 605)]
        assert "another connection" in srv.refusals[0].reason


async def test_connection_over_the_plan_limit_is_cut() -> None:
    async with DocAllTick(universe=FIVE, plan=FREE, push_interval=None) as srv:
        async with connect(srv.url) as first:
            async with connect(srv.url) as extra:
                with pytest.raises(ConnectionClosed):
                    await extra.recv()
                assert extra.close_code == 1008
                assert extra.close_reason == "connection limit exceeded"
            await first.send(heartbeat(9))
            assert (await recv_until(first, reply_to(22000)))["seq_id"] == 9
        assert len(srv.conns) == 1
        assert [r.reason for r in srv.connections_refused] == ["connection limit"]


async def test_connection_over_limit_http_mode_refuses_handshake() -> None:
    async with DocAllTick(plan=FREE, push_interval=None, over_limit="http") as srv:
        async with connect(srv.url):
            with pytest.raises(InvalidStatus) as err:
                async with connect(srv.url):
                    pass
            assert err.value.response.status_code == 429


async def test_subscription_truncated_to_codes_per_connection() -> None:
    plan = FREE.with_(codes_per_connection=3)
    async with DocAllTick(universe=FIVE, plan=plan, push_interval=0.03) as srv:
        async with connect(srv.url) as ws:
            await ws.send(sub(list(FIVE)))
            assert (await recv_until(ws, reply_to(22004)))["ret"] == 200
            seen = {(await recv_until(ws, is_push))["data"]["code"] for _ in range(12)}
        assert seen == set(list(FIVE)[:3])
        assert srv.conn(1).subscribed == list(FIVE)[:3]
        assert srv.conn(1).truncated == 2
        assert not srv.refusals


async def test_invalid_code_refuses_whole_request_or_is_skipped() -> None:
    async with DocAllTick(universe=FIVE, push_interval=None) as srv:
        async with connect(srv.url) as ws:
            await ws.send(sub(["600519.SH", "000001.sz"]))
            assert (await recv_until(ws, reply_to(22004)))["ret"] == 600
        assert srv.conn(1).subscribed == []
    async with DocAllTick(universe=FIVE, push_interval=None, invalid_code="skip") as srv:
        async with connect(srv.url) as ws:
            await ws.send(sub(["600519.SH", "000001.sz"]))
            assert (await recv_until(ws, reply_to(22004)))["ret"] == 200
        assert srv.conn(1).subscribed == ["600519.SH"]


async def test_cancel_replies_22007_and_stops_pushes() -> None:
    async with DocAllTick(universe=FIVE, push_interval=0.02, min_interval=0.05) as srv:
        async with connect(srv.url) as ws:
            await ws.send(sub(["600519.SH"]))
            await recv_until(ws, is_push)
            await asyncio.sleep(0.06)
            cancel = {"cmd_id": 22006, "seq_id": 3, "trace": "c", "data": {"cancel_type": 2}}
            await ws.send(json.dumps(cancel))
            assert (await recv_until(ws, reply_to(22006)))["ret"] == 200
            await asyncio.sleep(0.05)
            pushes = srv.conn(1).pushes
            await asyncio.sleep(0.1)
            assert srv.conn(1).pushes == pushes


async def test_heartbeat_echo_and_timeout() -> None:
    async with DocAllTick(universe=FIVE, push_interval=None, heartbeat_timeout=0.3) as srv:
        async with connect(srv.url) as ws:
            for i in range(4):  # kept alive by heartbeats for longer than the timeout
                await ws.send(heartbeat(100 + i))
                ack = await recv_until(ws, reply_to(22000))
                assert (ack["ret"], ack["seq_id"], ack["trace"]) == (200, 100 + i, "hb")
                await asyncio.sleep(0.15)
            t0 = time.monotonic()
            with pytest.raises(ConnectionClosed):
                await recv_until(ws, lambda m: False, timeout=2)
            assert time.monotonic() - t0 < 0.5
        assert srv.conn(1).close_cause == "heartbeat timeout"


@pytest.mark.parametrize("token", ["wrong", "", None])
async def test_bad_token_gets_401_frame_then_close(token: str | None) -> None:
    async with DocAllTick(push_interval=None) as srv:
        async with connect(srv.url_for(token)) as ws:
            msg = json.loads(await ws.recv())
            assert (msg["ret"], msg["msg"]) == (401, "token invalid")
            with pytest.raises(ConnectionClosed):
                await ws.recv()
            assert ws.close_code == 1008
        assert not srv.conns
        assert len(srv.connections_refused) == 1


async def test_bad_token_http_mode_refuses_handshake() -> None:
    async with DocAllTick(push_interval=None, bad_token="http") as srv:
        with pytest.raises(InvalidStatus) as err:
            async with connect(srv.url_for("wrong")):
                pass
        assert err.value.response.status_code == 401


async def test_hostile_frames_reach_the_client() -> None:
    async with DocAllTick(universe=FIVE, push_interval=None) as srv:
        async with connect(srv.url) as ws:
            await ws.send(heartbeat())
            await recv_until(ws, reply_to(22000))
            frames = [
                tick_huge_time("600519.SH"),
                tick_microseconds("600519.SH"),
                tick_year_2100("600519.SH"),
                tick_huge_seq("600519.SH"),
            ]
            for frame in frames:
                assert await srv.inject(frame) == 1
            got = [json.loads(await ws.recv())["data"] for _ in frames]
            assert len(str(got[0]["tick_time"])) == 400
            assert len(str(got[1]["tick_time"])) == 16
            assert datetime.fromtimestamp(got[2]["tick_time"] / 1000, CN_TZ).year == 2100
            assert got[3]["seq"] == 2**63 + 5
            bomb = deep_json(1000)
            await srv.inject(bomb, conn=1)
            assert await ws.recv() == bomb
            assert len(deep_json()) > 400_000


# ---- AllTick HTTP ----


async def test_symbols_is_404_everywhere() -> None:
    async with DocAllTick(push_interval=None) as srv, DocBatchServer(push_interval=None) as b:
        for base in (srv.http_base, srv.ws_http_base, b.http_base):
            status, _ = await http(f"{base}/symbols")
            assert status == 404


async def test_daily_kline_returns_yesterday_close_and_today() -> None:
    wednesday = datetime(2026, 3, 4, 10, 0, tzinfo=CN_TZ).timestamp()
    async with DocAllTick(
        universe=FIVE,
        prev_closes={"600519.SH": 1490.0},
        push_interval=None,
        clock=lambda: wednesday,
    ) as srv:
        srv.set_price("600519.SH", 1510.5)
        for base in (srv.http_base, srv.ws_http_base):
            status, body = await http(kline_url(base, "600519.SH"))
            assert status == 200 and body["ret"] == 200 and body["trace"] == "k"
            bars = body["data"]["kline_list"]
            assert [b["close_price"] for b in bars] == ["1490.00", "1510.50"]
            days = [datetime.fromtimestamp(int(b["timestamp"]), CN_TZ).day for b in bars]
            assert days == [3, 4]
            assert all(isinstance(v, str) for b in bars for v in b.values())
        assert not srv.http_refusals


async def test_batch_kline_item_limit_spacing_and_per_minute_cap() -> None:
    plan = FREE.with_(batch_items=2, batch_interval=0.4, http_per_minute=4)
    async with DocAllTick(universe=FIVE, plan=plan, push_interval=None, http_window=30) as srv:
        url = f"{srv.http_base}/quote-stock-b-api/batch-kline?token=T"
        _, body = await http(url, batch_body(["600519.SH", "000001.SZ", "300750.SZ"]))
        assert (body["ret"], body["msg"]) == (603, "token level not enough")
        _, body = await http(url, batch_body(["600519.SH"]))
        assert (body["ret"], body["msg"]) == (605, "too many requests")
        await asyncio.sleep(0.45)
        _, body = await http(url, batch_body(["600519.SH", "000001.SZ"], num=5))
        assert body["ret"] == 200
        lists = body["data"]["kline_list"]
        assert [k["code"] for k in lists] == ["600519.SH", "000001.SZ"]
        assert all(len(k["kline_data"]) == 2 for k in lists)  # batch-kline: latest 1 or 2
        rets = [(await http(kline_url(srv.http_base, "600519.SH")))[1]["ret"] for _ in range(3)]
        assert rets == [200, 200, 605]  # 4 accepted in the window, then refused
        assert [r.ret for r in srv.http_refusals] == [603, 605, 605]
        assert len(srv.http_requests) == 6
        _, body = await http(kline_url(srv.http_base, "600519.SH", token="nope"))
        assert body["ret"] == 401


# ---- seed-article batch server ----


def ticks(msg: dict[str, Any]) -> bool:
    """Matches a {"ticks": [...]} push."""
    return "ticks" in msg


async def test_batch_server_subscribe_forms_and_incremental_unsubscribe() -> None:
    async with DocBatchServer(universe=FIVE, push_interval=None) as srv:
        async with connect(srv.url) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": ["600519", "000001.SZ"]}))
            await ws.send(json.dumps({"action": "subscribe", "symbols": "300750, 601318.SH"}))
            await ws.send(json.dumps({"action": "unsubscribe", "symbols": ["601318.SH"]}))
            await ws.send("not json")
            await asyncio.sleep(0.05)
            conn = srv.conn(1)
            assert conn.subscribed == {
                "600519.SH": "600519",
                "000001.SZ": "000001.SZ",
                "300750.SZ": "300750",
            }
            assert conn.bad_messages == ["not json"]
            await ws.send(json.dumps({"action": "unsubscribe", "symbols": "*"}))
            await ws.send(json.dumps({"action": "subscribe", "symbols": "*"}))
            await asyncio.sleep(0.05)
            assert set(conn.subscribed) == set(FIVE)


async def test_batch_server_pushes_ticks_with_per_connection_seq() -> None:
    async with DocBatchServer(
        universe=FIVE, push_interval=0.03, drop_after=0.2, extra_fields=True
    ) as srv:
        firsts = []
        for _ in range(2):
            async with connect(srv.url) as ws:
                await ws.send(json.dumps({"action": "subscribe", "symbols": ["600519"]}))
                msg = await recv_until(ws, ticks)
                tick = msg["ticks"][0]
                assert tick["code"] == "600519"
                assert isinstance(tick["price"], float) and abs(tick["price"] - 1500) <= 30
                assert abs(tick["time"] - time.time() * 1000) < 5000
                assert {"prev_close", "open", "high", "low", "volume"} <= set(tick)
                firsts.append(tick["seq"])
                with pytest.raises(ConnectionClosed):
                    await recv_until(ws, lambda m: False)
        assert firsts == [1, 1]
        assert srv.conn(1).pushes > 1
