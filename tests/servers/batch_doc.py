"""A server for the seed article's batch-subscribe JSON protocol, written from the article only.

Source: /work/shared/seed/batch-subscribe-article.txt (dev.to, "How to Batch Subscribe to 5000+
A-Share Real-Time Quotes with a Single WebSocket"). providers.md §3 warns that the article is not
an AllTick spec. It is a generic protocol the app also supports, and this server holds it to what
the article shows:

- The client sends ``{"action":"subscribe","symbols":[...]}``. ``symbols`` is an array or a
  comma-separated string (the article's "Two Common Subscription Message Formats" table). ``"*"``
  subscribes to everything ("a wildcard to subscribe to all listed A-shares"). The article shows
  no ack, so none is sent.
- ``{"action":"unsubscribe","symbols":...}`` removes codes. Both actions are incremental.
- The server pushes ``{"ticks":[{"code","price","time",...}]}``. The article's client reads
  ``tick['code']``, ``tick['price']`` and ``tick['time']``. ``volume`` and a per-connection ``seq``
  (1 on every new connection) are added for the tests. ``prev_close``/``open``/``high``/``low``
  come only with ``extra_fields=True``.
- The article gives the endpoint as a docs URL, so any path is accepted and there is no auth.
  A plain (non-upgrade) HTTP GET, ``/symbols`` included, gets 404: no symbol list is served.

Codes: universe keys are ``NNNNNN.SH``/``.SZ``. A bare 6-digit code, as in the article, matches
every universe key with those digits (000001 matches both 000001.SH and 000001.SZ). Ticks carry
the code as the client wrote it (default) or the universe key (``code_style="suffixed"``).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from tests.servers.alltick_doc import PriceWalk, Received

__all__ = ["BatchConn", "DocBatchServer"]


@dataclass(eq=False)
class BatchConn:
    """One connection: its subscription (universe key -> code as the client wrote it) and records."""

    number: int
    ws: ServerConnection
    opened_at: float
    subscribed: dict[str, str] = field(default_factory=dict)
    unknown: set[str] = field(default_factory=set)  # subscribed codes not in the universe
    received: list[Received] = field(default_factory=list)
    bad_messages: list[str] = field(default_factory=list)
    seq: int = 0
    pushes: int = 0  # ticks sent
    closed_at: float | None = None
    close_code: int | None = None
    close_cause: str | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        """True until the connection ends."""
        return self.closed_at is None


class DocBatchServer:
    """The seed article's protocol on ws://127.0.0.1:PORT/<any path>."""

    def __init__(
        self,
        *,
        universe: dict[str, float] | None = None,
        prev_closes: dict[str, float] | None = None,
        push_interval: float | None = 0.5,
        push_fraction: float = 1.0,
        max_ticks_per_frame: int = 500,
        extra_fields: bool = False,
        article_fields: bool = False,
        code_style: Literal["as_subscribed", "suffixed"] = "as_subscribed",
        numbers_as_strings: bool = False,
        allow_wildcard: bool = True,
        drop_after: float | None = None,
        drop_mode: Literal["close", "abort"] = "close",
        seed: int = 0,
        band: float = 0.02,
        clock: Callable[[], float] = time.time,
        port: int = 0,
    ) -> None:
        """Args:

        universe: universe key ("600519.SH") -> base price. ``"*"`` means all of these.
        prev_closes: key -> previous close for ``extra_fields`` (default: the base price).
        push_interval: seconds between push rounds. None = only ``push()`` sends.
        push_fraction: chance that each subscribed code is pushed in a round (1.0 = every code).
        max_ticks_per_frame: ticks per ``{"ticks":[...]}`` frame. A round is split across frames.
        extra_fields: add prev_close/open/high/low to every tick.
        article_fields: send only what the article's client reads: code, price, time.
        code_style: "as_subscribed" echoes the client's code; "suffixed" sends the universe key.
        numbers_as_strings: send price/volume/prev_close... as strings, not JSON numbers.
        allow_wildcard: False ignores "*" (a plan without full-market access).
        drop_after, drop_mode: close (1001) or abort every connection this long after it opened.
        seed, band: the price walk (±band around the base). clock: wall clock for ``time``.
        """
        self.universe = dict(universe or {"600519.SH": 1500.0, "000001.SZ": 10.0})
        self.prev_closes = dict(prev_closes or {})
        self.push_interval = push_interval
        self.push_fraction = push_fraction
        self.max_ticks_per_frame = max_ticks_per_frame
        self.extra_fields = extra_fields
        self.article_fields = article_fields
        self.code_style = code_style
        self.numbers_as_strings = numbers_as_strings
        self.allow_wildcard = allow_wildcard
        self.drop_after = drop_after
        self.drop_mode = drop_mode
        self.clock = clock
        self.port = port
        self.walk = PriceWalk(self.universe, seed=seed, band=band)
        self.rng = random.Random(seed + 1)
        self.conns: list[BatchConn] = []
        self.handshakes = 0
        self._open: dict[str, float] = {}
        self._high: dict[str, float] = {}
        self._low: dict[str, float] = {}
        self._server: Server | None = None
        self._pusher: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """A WS URL (any path works)."""
        return f"ws://127.0.0.1:{self.port}/quotes"

    @property
    def http_base(self) -> str:
        """Base URL for plain HTTP probes (all 404)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def live(self) -> list[BatchConn]:
        """Connections still open."""
        return [c for c in self.conns if c.open]

    def conn(self, number: int) -> BatchConn:
        """The connection numbered ``number`` (1-based)."""
        return self.conns[number - 1]

    async def __aenter__(self) -> DocBatchServer:
        self._server = await serve(
            self._handle,
            "127.0.0.1",
            self.port,
            process_request=self._process_request,
            ping_interval=None,
            max_size=2**22,
        )
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        if self.push_interval is not None:
            self._pusher = asyncio.get_running_loop().create_task(self._push_loop())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._pusher is not None:
            self._pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pusher
        for c in self.conns:
            for t in c.tasks:
                t.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    # ---- test controls ----

    async def inject(self, frame: str | bytes, conn: int | None = None) -> int:
        """Send a raw frame to connection ``conn`` (or every open one). Returns how many got it."""
        targets = [self.conn(conn)] if conn is not None else self.live
        sent = 0
        for c in targets:
            with contextlib.suppress(ConnectionClosed):
                await c.ws.send(frame)
                sent += 1
        return sent

    async def push(self, key: str, *, conn: int | None = None, price: float | None = None) -> int:
        """Push one tick for universe key ``key`` now, to ``conn`` or every subscriber."""
        if price is not None:
            self.walk.set(key, price)
        targets = (
            [self.conn(conn)] if conn is not None else [c for c in self.live if key in c.subscribed]
        )
        for c in targets:
            await self._send_ticks(c, [key])
        return len(targets)

    def set_price(self, key: str, price: float | None) -> None:
        """Pin a price (None: back to the random walk)."""
        self.walk.set(key, price)

    async def kick(self, conn: int, code: int = 1001, reason: str = "kicked") -> None:
        """Close one connection from the server side."""
        c = self.conn(conn)
        c.close_cause = reason
        await c.ws.close(code, reason)

    # ---- protocol ----

    def _process_request(self, ws: ServerConnection, request: Request) -> Response | None:
        self.handshakes += 1
        if "websocket" not in request.headers.get("Upgrade", "").lower():
            return ws.respond(http.HTTPStatus.NOT_FOUND, "404 page not found")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        conn = BatchConn(len(self.conns) + 1, ws, time.monotonic())
        self.conns.append(conn)
        if self.drop_after is not None:
            conn.tasks.append(asyncio.get_running_loop().create_task(self._drop_later(conn)))
        try:
            async for raw in ws:
                self._on_frame(conn, raw)
        except ConnectionClosed:
            pass
        finally:
            for t in conn.tasks:
                t.cancel()
            conn.closed_at = time.monotonic()
            conn.close_code = ws.close_code

    async def _drop_later(self, conn: BatchConn) -> None:
        assert self.drop_after is not None
        await asyncio.sleep(self.drop_after)
        conn.close_cause = "drop_after"
        if self.drop_mode == "abort":
            conn.ws.transport.abort()
        else:
            await conn.ws.close(1001, "drop_after")

    def _resolve(self, code: str) -> list[str]:
        """Universe keys a subscribed code stands for."""
        if code in self.universe:
            return [code]
        if len(code) == 6 and code.isdigit():
            return [k for k in self.universe if k.split(".", 1)[0] == code]
        return []

    def _on_frame(self, conn: BatchConn, raw: str | bytes) -> None:
        now = time.monotonic()
        try:
            msg = json.loads(raw)
        except (ValueError, RecursionError):
            msg = None
        action = msg.get("action") if isinstance(msg, dict) else None
        symbols = msg.get("symbols") if isinstance(msg, dict) else None
        if isinstance(symbols, str):
            symbols = [s.strip() for s in symbols.split(",") if s.strip()]
        if (
            not isinstance(msg, dict)
            or action not in ("subscribe", "unsubscribe")
            or not isinstance(symbols, list)
            or not all(isinstance(s, str) for s in symbols)
        ):
            text = raw if isinstance(raw, str) else repr(raw)
            conn.bad_messages.append(text[:500])
            conn.received.append(
                Received(now, msg if isinstance(msg, dict) else {"_raw": text[:500]})
            )
            return
        conn.received.append(Received(now, msg))
        for sym in symbols:
            if sym == "*":
                if not self.allow_wildcard:
                    continue
                pairs = [(k, k) for k in self.universe]
            else:
                pairs = [(k, sym) for k in self._resolve(sym)]
                if not pairs and action == "subscribe":
                    conn.unknown.add(sym)
                elif not pairs:
                    conn.unknown.discard(sym)
            if action == "subscribe":
                for key, shown in pairs:
                    conn.subscribed.setdefault(key, shown)
            elif sym == "*":
                conn.subscribed.clear()
                conn.unknown.clear()
            else:
                for key, _ in pairs:
                    conn.subscribed.pop(key, None)

    # ---- pushes ----

    def _num(self, value: float) -> float | str:
        return f"{value:.2f}" if self.numbers_as_strings else value

    def _tick(self, conn: BatchConn, key: str) -> dict[str, Any]:
        conn.seq += 1
        conn.pushes += 1
        price = self.walk.price(key)
        volume = self.rng.randint(1, 100) * 100
        tick: dict[str, Any] = {
            "code": key if self.code_style == "suffixed" else conn.subscribed.get(key, key),
            "price": self._num(price),
            "time": int(self.clock() * 1000),
            "volume": str(volume) if self.numbers_as_strings else volume,
            "seq": conn.seq,
        }
        if self.article_fields:
            return {k: tick[k] for k in ("code", "price", "time")}
        if self.extra_fields:
            opening = self._open.setdefault(key, self.universe[key])
            self._high[key] = max(self._high.get(key, opening), price)
            self._low[key] = min(self._low.get(key, opening), price)
            tick["prev_close"] = self._num(self.prev_closes.get(key, self.universe[key]))
            tick["open"] = self._num(opening)
            tick["high"] = self._num(self._high[key])
            tick["low"] = self._num(self._low[key])
        return tick

    async def _send_ticks(self, conn: BatchConn, keys: list[str]) -> None:
        step = max(1, self.max_ticks_per_frame)
        for i in range(0, len(keys), step):
            ticks = [self._tick(conn, k) for k in keys[i : i + step]]
            with contextlib.suppress(ConnectionClosed):
                await conn.ws.send(json.dumps({"ticks": ticks}, separators=(",", ":")))

    async def _push_loop(self) -> None:
        assert self.push_interval is not None
        while True:
            await asyncio.sleep(self.push_interval)
            live = self.live
            self.walk.step({k for c in live for k in c.subscribed})
            for conn in live:
                keys = list(conn.subscribed)
                if self.push_fraction < 1.0:
                    keys = [k for k in keys if self.rng.random() < self.push_fraction]
                if keys and conn.open:
                    await self._send_ticks(conn, keys)
