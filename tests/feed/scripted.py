"""A small, independent AllTick-protocol server for fault scripts.

It is deliberately not the project's simulator: it answers heartbeats and 22004 in
the documented shapes, pushes trade ticks for what was subscribed, and does whatever
``fault`` says on each connection (close, reset mid-frame, go silent, send garbage,
refuse the handshake ...). Every request received is recorded per connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

Fault = Callable[["Conn"], Awaitable[None]]


@dataclass(eq=False)
class Conn:
    server: ScriptedAllTick
    ws: ServerConnection
    number: int
    subscribed: list[str] = field(default_factory=list)
    received: list[dict[str, object]] = field(default_factory=list)
    seq: int = 0
    answer_heartbeats: bool = True

    async def push(self, code: str, price: str = "10.00") -> None:
        self.seq += 1
        now = int(time.time() * 1000)
        await self.ws.send(
            json.dumps(
                {
                    "cmd_id": 22998,
                    "data": {
                        "code": code,
                        "seq": now * 1000 + self.seq,
                        "tick_time": now,
                        "price": price,
                        "volume": "100",
                        "turnover": "1000",
                        "trade_direction": 1,
                    },
                }
            )
        )


class ScriptedAllTick:
    def __init__(
        self,
        *,
        fault: Fault | None = None,
        handshake_status: int | None = None,
        push_interval: float = 0.02,
        port: int = 0,
        ssl: object = None,
    ) -> None:
        self.fault = fault
        self.handshake_status = handshake_status
        self.push_interval = push_interval
        self.port = port
        self.conns: list[Conn] = []
        self.server: Server | None = None
        self.handshakes = 0
        self.ssl = ssl

    @property
    def url(self) -> str:
        scheme = "wss" if self.ssl else "ws"
        return f"{scheme}://127.0.0.1:{self.port}/quote-stock-b-ws-api?token=T"

    async def __aenter__(self) -> ScriptedAllTick:
        self.server = await serve(
            self._handle,
            "127.0.0.1",
            self.port,
            process_request=self._process_request,
            ping_interval=None,
            ssl=self.ssl,
        )
        self.port = next(iter(self.server.sockets)).getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()

    def _process_request(self, conn: ServerConnection, request: Request) -> Response | None:
        self.handshakes += 1
        if self.handshake_status is not None:
            return conn.respond(http.HTTPStatus(self.handshake_status), "no\n")
        if urllib.parse.urlsplit(request.path).path != "/quote-stock-b-ws-api":
            return conn.respond(http.HTTPStatus.NOT_FOUND, "not found\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        conn = Conn(self, ws, len(self.conns) + 1)
        self.conns.append(conn)
        pusher = asyncio.get_running_loop().create_task(self._pusher(conn))
        faulter = asyncio.get_running_loop().create_task(self.fault(conn)) if self.fault else None
        try:
            async for msg in ws:
                req = json.loads(msg)
                conn.received.append(req)
                cmd = req["cmd_id"]
                if cmd == 22000 and not conn.answer_heartbeats:
                    continue
                if cmd == 22004:
                    conn.subscribed = [d["code"] for d in req["data"]["symbol_list"]]
                if cmd == 22006:
                    conn.subscribed = []
                await ws.send(
                    json.dumps(
                        {
                            "ret": 200,
                            "msg": "ok",
                            "cmd_id": cmd + 1,
                            "seq_id": req["seq_id"],
                            "trace": req["trace"],
                            "data": {},
                        }
                    )
                )
        except ConnectionClosed:
            pass
        finally:
            pusher.cancel()
            if faulter is not None:
                faulter.cancel()

    async def _pusher(self, conn: Conn) -> None:
        with contextlib.suppress(ConnectionClosed):
            while True:
                await asyncio.sleep(self.push_interval)
                for code in list(conn.subscribed):
                    await conn.push(code)

    def subscribe_requests(self) -> list[tuple[int, list[str]]]:
        return [
            (c.number, [d["code"] for d in r["data"]["symbol_list"]])  # type: ignore[index]
            for c in self.conns
            for r in c.received
            if r["cmd_id"] == 22004
        ]
