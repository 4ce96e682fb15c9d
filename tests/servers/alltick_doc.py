"""An AllTick stock server written from AllTick's public docs, not from the project's simulator.

Tests use it to check the app against how the real server behaves, limits included. Nothing here
imports ``monitor``. Section numbers refer to /work/shared/reference/providers.md:

- §1.1: path ``/quote-stock-b-ws-api``, auth only by ``?token=``. How the WS reports a bad token
  is not documented (§5 q1), so both are offered: a ``{"ret":401,"msg":"token invalid"}`` frame
  then close (default, ``bad_token="frame"``), or an HTTP 401 handshake refusal (``"http"``).
- §1.2: the envelope. The header-error frame is copied exactly from the doc (``ret`` 201).
  ``trace`` is at most 64 characters. Pushes carry only ``cmd_id`` and ``data``.
- §1.3, §1.4: 22000/22001 heartbeat, 22002/22003 depth, 22004/22005 trades, 22006/22007 cancel,
  the 22998 and 22999 push shapes.
- §1.5: prices, volumes and turnover are strings. ``seq`` and ``tick_time`` are integers, with
  ``tick_time`` in milliseconds of the server's clock (``legacy_strings=True`` sends the pre-2026
  string form instead).
- §1.6: a 22004 *replaces* the connection's list. 22002 and 22004 lists are separate.
- §1.7: a connection is closed ``heartbeat_timeout`` s (30) after the last 22000.
- §1.8: per ``Plan``: connections per token (an extra one is "immediately disconnected": close
  1008) and codes per connection (silently truncated to the first N). Requests on one connection
  must be at least 1 s apart. Across connections of one token they must be ``cross_interval``
  apart: 2 s on the English page, 3 s on the Chinese one since 2025-04-09. A too-early request
  gets 605 and is ignored, or 606 and the connection is closed (``rate_mode="close"``).
  Heartbeats are exempt [I].
- §1.9: error codes 400, 401, 402, 600, 603, 605 and 606 with the doc's messages.
- §5 q3: whether one bad code gets 600 for the whole 22004 is not documented. The default
  refuses the whole request (``invalid_code="refuse"``); ``"skip"`` drops only the bad codes.
- §6: ``GET /quote-stock-b-api/kline`` and ``POST /quote-stock-b-api/batch-kline`` with the doc's
  body and reply shapes: string values, second timestamps, oldest bar first. The plan limits are
  items per batch (603), batch-kline spacing and HTTP requests per window (605).
- The doc does not say whether ``seq`` is global. This server numbers it per connection, starting
  at 1 on every new connection, so a client that drops "old" seqs across a reconnect loses ticks.
- Real AllTick serves no symbol list, so ``/symbols`` (and every other path) is a 404.

Ports: websockets cannot read a POST body, so the HTTP API runs on a second asyncio server
(``http_base``). It serves GET /kline and POST /batch-kline, one request per connection
(``Connection: close``). The WebSocket port also answers a plain ``GET /quote-stock-b-api/kline``
through ``process_request`` (``ws_http_base``), as the real single host does. The limits are shared.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import random
import re
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, Literal

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

__all__ = [
    "ALL_CN",
    "BASIC",
    "FREE",
    "PREMIUM",
    "PROFESSIONAL",
    "ConnRefusal",
    "DocAllTick",
    "DocConn",
    "HttpRecord",
    "Plan",
    "PriceWalk",
    "Received",
    "Refusal",
    "deep_json",
    "tick_frame",
    "tick_huge_seq",
    "tick_huge_time",
    "tick_microseconds",
    "tick_year_2100",
]

WS_PATH = "/quote-stock-b-ws-api"
KLINE_PATH = "/quote-stock-b-api/kline"
BATCH_KLINE_PATH = "/quote-stock-b-api/batch-kline"
CN_TZ = timezone(timedelta(hours=8))  # Asia/Shanghai has no DST, so no tzdata is needed
# §1.10 A-share form, plus the US/HK forms in the doc examples. Case matters (§1.10).
DEFAULT_CODE_PATTERN = r"^(\d{6}\.(SH|SZ|BJ)|[A-Z][A-Z0-9.\-]*\.US|\d{1,5}\.HK|HK-\d{1,5})$"
HEADER_INVALID = {  # §1.2, exact from the doc
    "ret": 201,
    "msg": "request header param invalid",
    "cmd_id": 0,
    "seq_id": 0,
    "trace": "",
    "data": {},
}
RATE_CMDS = (22002, 22004, 22006)
KLINE_SECONDS = {1: 60, 2: 300, 3: 900, 4: 1800, 5: 3600}


@dataclass(frozen=True)
class Plan:
    """Per-token limits of one AllTick plan (§1.8 for WS, §6 for HTTP). Use ``replace`` to change them."""

    name: str
    max_connections: int  # WS connections per token
    codes_per_connection: int  # per interface (trade and depth separately)
    batch_items: int  # products x K-line types in one batch-kline request
    batch_interval: float  # seconds between batch-kline requests
    http_per_minute: int  # all HTTP requests per token per ``http_window``

    def with_(self, **changes: Any) -> Plan:
        """The same plan with some limits changed (for fast tests)."""
        return replace(self, **changes)


FREE = Plan("free", 1, 5, 10, 10.0, 10)
BASIC = Plan("basic", 1, 100, 100, 3.0, 60)
PREMIUM = Plan("premium", 3, 200, 200, 2.0, 600)
PROFESSIONAL = Plan("professional", 10, 3000, 500, 1.0, 1200)
ALL_CN = Plan("all_cn", 10, 3000, 500, 1.0, 1200)


@dataclass(frozen=True)
class Refusal:
    """A WS request the server answered with ``ret`` other than 200. ``at`` is ``time.monotonic()``."""

    conn: int
    cmd: int
    ret: int
    reason: str
    at: float


@dataclass(frozen=True)
class ConnRefusal:
    """A connection refused for a bad token or over the connection limit."""

    token: str | None
    reason: str
    at: float


@dataclass(frozen=True)
class Received:
    """One frame a connection received, parsed (``{"_raw": ...}`` when it was not a JSON object)."""

    at: float
    msg: dict[str, Any]

    @property
    def cmd(self) -> int | None:
        """The frame's ``cmd_id``, or None."""
        cmd = self.msg.get("cmd_id")
        return cmd if isinstance(cmd, int) else None


@dataclass(frozen=True)
class HttpRecord:
    """One HTTP API request and the ``ret`` (or HTTP status, for 404/405) it got."""

    at: float
    method: str
    path: str
    token: str | None
    request: dict[str, Any] | None
    ret: int
    msg: str


class PriceWalk:
    """A seeded random walk of each code around its base price, clamped to ``±band``.

    Why: prices must move a little so the app has something to show, yet stay near the price
    the test chose, and be the same on every run.
    """

    def __init__(
        self, universe: dict[str, float], *, seed: int = 0, band: float = 0.02, step: float = 0.002
    ) -> None:
        self.base = dict(universe)
        self.rng = random.Random(seed)
        self.band = band
        self.step_size = step
        self.dev = dict.fromkeys(universe, 0.0)
        self.fixed: dict[str, float] = {}

    def step(self, codes: Iterable[str]) -> None:
        """Move each known code one step."""
        for code in codes:
            if code in self.dev:
                dev = self.dev[code] + self.rng.uniform(-self.step_size, self.step_size)
                self.dev[code] = max(-self.band, min(self.band, dev))

    def price(self, code: str) -> float:
        """The current price rounded to the A-share tick (0.01)."""
        if code in self.fixed:
            return self.fixed[code]
        return round(self.base[code] * (1.0 + self.dev[code]), 2)

    def set(self, code: str, price: float | None) -> None:
        """Pin a code to ``price`` (None: back to the walk)."""
        if price is None:
            self.fixed.pop(code, None)
        else:
            self.fixed[code] = price


# ---- frames -----------------------------------------------------------------------------------


def tick_frame(
    code: str,
    *,
    seq: int | str,
    tick_time: int | str,
    price: str = "10.00",
    volume: str = "100",
    turnover: str | None = None,
    trade_direction: int = 0,
) -> str:
    """A 22998 trade push in the §1.4 shape, with the given raw field values."""
    if turnover is None:
        try:
            turnover = f"{float(price) * float(volume):.2f}"
        except ValueError:
            turnover = "0"
    data = {
        "code": code,
        "seq": seq,
        "tick_time": tick_time,
        "price": price,
        "volume": volume,
        "turnover": turnover,
        "trade_direction": trade_direction,
    }
    return json.dumps({"cmd_id": 22998, "data": data}, separators=(",", ":"))


def deep_json(depth: int = 200_000) -> str:
    """A 22998 frame whose ``data`` nests ``depth`` arrays (a recursion bomb for naive parsers)."""
    return '{"cmd_id":22998,"data":' + "[" * depth + "]" * depth + "}"


def tick_huge_time(code: str, digits: int = 400, price: str = "10.00") -> str:
    """A 22998 whose ``tick_time`` is a ``digits``-digit integer."""
    return tick_frame(code, seq=1, tick_time=int("9" * digits), price=price)


def tick_microseconds(code: str, price: str = "10.00") -> str:
    """A 22998 whose ``tick_time`` is in microseconds (16 digits), not milliseconds."""
    return tick_frame(code, seq=1, tick_time=int(time.time() * 1_000_000), price=price)


def tick_year_2100(code: str, price: str = "10.00") -> str:
    """A 22998 stamped 2100-01-01 00:00 UTC in milliseconds."""
    ms = int(datetime(2100, 1, 1, tzinfo=UTC).timestamp() * 1000)
    return tick_frame(code, seq=1, tick_time=ms, price=price)


def tick_huge_seq(code: str, price: str = "10.00") -> str:
    """A 22998 whose ``seq`` is 2**63 + 5, just past a signed 64-bit integer."""
    return tick_frame(code, seq=2**63 + 5, tick_time=int(time.time() * 1000), price=price)


def _reply(cmd: int, req: dict[str, Any], ret: int = 200, msg: str = "ok") -> str:
    """A §1.2 response echoing ``seq_id`` and ``trace``."""
    out = {
        "ret": ret,
        "msg": msg,
        "cmd_id": cmd,
        "seq_id": req.get("seq_id", 0),
        "trace": req.get("trace", ""),
        "data": {},
    }
    return json.dumps(out, separators=(",", ":"))


def _fmt(price: float) -> str:
    return f"{price:.2f}"


# ---- per connection ---------------------------------------------------------------------------


@dataclass(eq=False)
class DocConn:
    """One admitted WebSocket connection and what happened on it."""

    number: int
    token: str
    ws: ServerConnection
    opened_at: float
    last_heartbeat: float
    received: list[Received] = field(default_factory=list)
    subscribed: list[str] = field(default_factory=list)  # 22004 list after truncation
    depth: list[str] = field(default_factory=list)  # 22002 list after truncation
    truncated: int = 0  # codes dropped by the last 22004 for the plan limit
    seq: int = 0  # last 22998/22999 seq sent on this connection
    pushes: int = 0
    last_request: float | None = None  # last accepted 22002/22004/22006
    last_by_cmd: dict[int, float] = field(default_factory=dict)
    closed_at: float | None = None
    close_code: int | None = None
    close_reason: str | None = None
    close_cause: str | None = None  # set when the server closed it: "heartbeat timeout" ...
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def open(self) -> bool:
        """True until the connection ends."""
        return self.closed_at is None

    def requests(self, cmd: int | None = None) -> list[dict[str, Any]]:
        """Parsed frames received, optionally only one ``cmd_id``."""
        return [r.msg for r in self.received if cmd is None or r.cmd == cmd]


# ---- the server -------------------------------------------------------------------------------


class DocAllTick:
    """AllTick stock WS (``url``) and HTTP K-line API (``http_base``) on 127.0.0.1, as documented.

    Use it as ``async with DocAllTick(universe={...}) as srv:``. Every option is a keyword. The
    defaults model the All-CN plan with the documented timings.
    """

    def __init__(
        self,
        *,
        universe: dict[str, float] | None = None,
        prev_closes: dict[str, float] | None = None,
        tokens: Iterable[str] = ("T",),
        plan: Plan = ALL_CN,
        bad_token: Literal["frame", "http"] = "frame",
        over_limit: Literal["close", "http"] = "close",
        over_limit_code: int = 1008,
        over_limit_reason: str = "connection limit exceeded",
        invalid_code: Literal["refuse", "skip"] = "refuse",
        unserved: Iterable[str] = (),
        code_pattern: str = DEFAULT_CODE_PATTERN,
        min_interval: float = 1.0,
        cross_interval: float = 2.0,
        interval_per_cmd: bool = False,
        rate_mode: Literal["reject", "close"] = "reject",
        heartbeat_timeout: float | None = 30.0,
        heartbeat_close_code: int = 1000,
        push_interval: float | None = 0.5,
        push_fraction: float = 1.0,
        snapshot_on_subscribe: bool = False,
        legacy_strings: bool = False,
        drop_after: float | None = None,
        drop_mode: Literal["close", "abort"] = "close",
        http_window: float = 60.0,
        http_error_status: int = 200,
        today_bar: bool | None = None,
        seed: int = 0,
        band: float = 0.02,
        clock: Callable[[], float] = time.time,
        port: int = 0,
        http_port: int = 0,
    ) -> None:
        """Args, with defaults from the docs:

        universe: code -> base price that ticks are pushed for (default two A-shares).
        prev_closes: code -> yesterday's close for daily K-lines (default: the base price).
        tokens: valid tokens (the first one is used in ``url``).
        plan: limits (§1.8, §6). ``plan.with_(...)`` makes them small for tests.
        bad_token: "frame" = ret 401 frame then close 1008; "http" = HTTP 401 at the handshake.
        over_limit: "close" = accept, then close ``over_limit_code``/``reason``; "http" = HTTP 429.
        invalid_code: "refuse" = ret 600 for the whole 22002/22004; "skip" = drop bad codes.
        unserved: well-formed codes this server does not serve (delisted, not in its
            product list): refused like malformed ones, also in batch-kline.
        min_interval: seconds between requests on one connection (§1.8: 1 s).
        cross_interval: seconds after a request on another connection of the same token (§1.8,
            English page: 2 s). Connections that have closed still count.
        interval_per_cmd: apply ``min_interval`` per cmd_id instead of across 22002/4/6 (§5 q5).
        rate_mode: "reject" = ret 605, request ignored; "close" = ret 606, then close 1008.
        heartbeat_timeout: close after this long without a 22000 (§1.7: 30 s). None = never.
        push_interval: seconds between push rounds. None = only ``push()`` sends ticks.
        push_fraction: chance that each subscribed code is pushed in a round (1.0 = every code).
        snapshot_on_subscribe: push each newly subscribed code right after the 22005 (§5 q4).
        legacy_strings: send ``seq``/``tick_time`` as strings, as the pre-2026 docs did (§1.5).
        drop_after: close every connection this many seconds after it opened.
        drop_mode: "close" = close frame 1001; "abort" = drop the TCP connection.
        http_window: window in seconds for ``plan.http_per_minute`` (60 s).
        http_error_status: HTTP status of replies whose ret is not 200 (the JSON body carries
            the ret either way).
        today_bar: whether daily K-lines include today's bar. None = only on weekdays.
        seed, band: the price walk (±band around the base).
        clock: wall clock for ``tick_time`` and K-line dates (default ``time.time``).
        port, http_port: 0 = any free port.
        """
        self.universe = dict(universe or {"600519.SH": 1500.0, "000001.SZ": 10.0})
        self.prev_closes = dict(prev_closes or {})
        self.tokens = list(tokens)
        self.plan = plan
        self.bad_token = bad_token
        self.over_limit = over_limit
        self.over_limit_code = over_limit_code
        self.over_limit_reason = over_limit_reason
        self.invalid_code = invalid_code
        self.unserved = set(unserved)
        self.code_re = re.compile(code_pattern)
        self.min_interval = min_interval
        self.cross_interval = cross_interval
        self.interval_per_cmd = interval_per_cmd
        self.rate_mode = rate_mode
        self.heartbeat_timeout = heartbeat_timeout
        self.heartbeat_close_code = heartbeat_close_code
        self.push_interval = push_interval
        self.push_fraction = push_fraction
        self.snapshot_on_subscribe = snapshot_on_subscribe
        self.legacy_strings = legacy_strings
        self.drop_after = drop_after
        self.drop_mode = drop_mode
        self.http_window = http_window
        self.http_error_status = http_error_status
        self.today_bar = today_bar
        self.clock = clock
        self.port = port
        self.http_port = http_port
        self.walk = PriceWalk(self.universe, seed=seed, band=band)
        self.rng = random.Random(seed + 1)

        self.conns: list[DocConn] = []
        self.refusals: list[Refusal] = []
        self.connections_refused: list[ConnRefusal] = []
        self.http_requests: list[HttpRecord] = []
        self.http_refusals: list[HttpRecord] = []
        self.handshakes = 0
        self._token_requests: dict[str, dict[int, float]] = {}  # token -> conn -> last request
        self._http_times: dict[str, deque[float]] = {}
        self._last_batch: dict[str, float] = {}
        self._ws_server: Server | None = None
        self._http_server: asyncio.Server | None = None
        self._pusher: asyncio.Task[None] | None = None

    # ---- addresses and lookups ----

    @property
    def url(self) -> str:
        """The WS URL with the first valid token."""
        return self.url_for(self.tokens[0] if self.tokens else "")

    def url_for(self, token: str | None) -> str:
        """The WS URL with ``token`` (None: no token parameter)."""
        base = f"ws://127.0.0.1:{self.port}{WS_PATH}"
        return base if token is None else f"{base}?token={urllib.parse.quote(token)}"

    @property
    def http_base(self) -> str:
        """Base URL of the full HTTP API (GET /kline and POST /batch-kline)."""
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def ws_http_base(self) -> str:
        """Base URL of the WS port, which answers GET /kline only."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def live(self) -> list[DocConn]:
        """Connections still open."""
        return [c for c in self.conns if c.open]

    def conn(self, number: int) -> DocConn:
        """The connection numbered ``number`` (1-based, in order of admission)."""
        return self.conns[number - 1]

    def subscribe_requests(self) -> list[tuple[int, list[str]]]:
        """(connection, codes) for every 22004 received, accepted or not."""
        out: list[tuple[int, list[str]]] = []
        for c in self.conns:
            for msg in c.requests(22004):
                codes = _symbol_codes(msg.get("data"))
                out.append((c.number, codes or []))
        return out

    # ---- lifecycle ----

    async def __aenter__(self) -> DocAllTick:
        self._ws_server = await serve(
            self._handle,
            "127.0.0.1",
            self.port,
            process_request=self._process_request,
            ping_interval=None,
            max_size=2**22,
        )
        self.port = next(iter(self._ws_server.sockets)).getsockname()[1]
        self._http_server = await asyncio.start_server(
            self._http_client, "127.0.0.1", self.http_port
        )
        self.http_port = self._http_server.sockets[0].getsockname()[1]
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
        if self._ws_server is not None:
            self._ws_server.close()
            await self._ws_server.wait_closed()
        if self._http_server is not None:
            self._http_server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._http_server.wait_closed(), 2)

    # ---- test controls ----

    async def inject(self, frame: str | bytes, conn: int | None = None) -> int:
        """Send a raw frame to connection ``conn`` (or to every open one). Returns how many got it."""
        targets = [self.conn(conn)] if conn is not None else self.live
        sent = 0
        for c in targets:
            with contextlib.suppress(ConnectionClosed):
                await c.ws.send(frame)
                sent += 1
        return sent

    async def push(self, code: str, *, conn: int | None = None, price: float | None = None) -> int:
        """Push one 22998 for ``code`` now: to ``conn``, or to every connection subscribed to it."""
        if price is not None:
            self.walk.set(code, price)
        targets = (
            [self.conn(conn)]
            if conn is not None
            else [c for c in self.live if code in c.subscribed]
        )
        for c in targets:
            await self._send_tick(c, code)
        return len(targets)

    def set_price(self, code: str, price: float | None) -> None:
        """Pin ``code``'s price (None: back to the random walk)."""
        self.walk.set(code, price)

    async def kick(self, conn: int, code: int = 1001, reason: str = "kicked") -> None:
        """Close one connection from the server side."""
        c = self.conn(conn)
        c.close_cause = reason
        await c.ws.close(code, reason)

    def abort(self, conn: int) -> None:
        """Drop one connection's TCP socket without a close frame."""
        c = self.conn(conn)
        c.close_cause = "abort"
        c.ws.transport.abort()

    # ---- WebSocket ----

    def _token_ok(self, token: str | None) -> bool:
        return token is not None and token in self.tokens

    def _live_for(self, token: str) -> int:
        return sum(1 for c in self.conns if c.open and c.token == token)

    def _process_request(self, ws: ServerConnection, request: Request) -> Response | None:
        """Route plain HTTP GETs and apply the handshake-time refusals."""
        self.handshakes += 1
        split = urllib.parse.urlsplit(request.path)
        upgrade = "websocket" in request.headers.get("Upgrade", "").lower()
        if split.path == KLINE_PATH and not upgrade:
            status, body = self._http_api("GET", request.path, b"")
            resp = ws.respond(http.HTTPStatus(status), body)
            resp.headers["Content-Type"] = "application/json"
            return resp
        if split.path != WS_PATH:
            return ws.respond(http.HTTPStatus.NOT_FOUND, "404 page not found")
        token = _query_token(split.query)
        if not self._token_ok(token) and self.bad_token == "http":
            reason = "token is required" if not token else "token invalid"
            self.connections_refused.append(ConnRefusal(token, reason, time.monotonic()))
            body = json.dumps({"msg": reason, "ret": 401})
            resp = ws.respond(http.HTTPStatus.UNAUTHORIZED, body)
            resp.headers["Content-Type"] = "application/json"
            return resp
        if (
            token is not None
            and self._token_ok(token)
            and self.over_limit == "http"
            and self._live_for(token) >= self.plan.max_connections
        ):
            self.connections_refused.append(
                ConnRefusal(token, "connection limit", time.monotonic())
            )
            return ws.respond(http.HTTPStatus.TOO_MANY_REQUESTS, self.over_limit_reason)
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        now = time.monotonic()
        assert ws.request is not None
        token = _query_token(urllib.parse.urlsplit(ws.request.path).query)
        if not self._token_ok(token):
            self.connections_refused.append(ConnRefusal(token, "token invalid", now))
            with contextlib.suppress(ConnectionClosed):
                await ws.send(
                    json.dumps(
                        {
                            "ret": 401,
                            "msg": "token invalid",
                            "cmd_id": 0,
                            "seq_id": 0,
                            "trace": "",
                            "data": {},
                        }
                    )
                )
                await ws.close(1008, "token invalid")
            return
        assert token is not None
        if self._live_for(token) >= self.plan.max_connections:
            self.connections_refused.append(ConnRefusal(token, "connection limit", now))
            with contextlib.suppress(ConnectionClosed):
                await ws.close(self.over_limit_code, self.over_limit_reason)
            return
        conn = DocConn(len(self.conns) + 1, token, ws, opened_at=now, last_heartbeat=now)
        self.conns.append(conn)
        loop = asyncio.get_running_loop()
        if self.heartbeat_timeout is not None:
            conn.tasks.append(loop.create_task(self._heartbeat_watch(conn)))
        if self.drop_after is not None:
            conn.tasks.append(loop.create_task(self._drop_later(conn)))
        try:
            async for raw in ws:
                await self._on_frame(conn, raw)
        except ConnectionClosed:
            pass
        finally:
            for t in conn.tasks:
                t.cancel()
            conn.closed_at = time.monotonic()
            conn.close_code = ws.close_code
            conn.close_reason = ws.close_reason

    async def _heartbeat_watch(self, conn: DocConn) -> None:
        assert self.heartbeat_timeout is not None
        while True:
            left = conn.last_heartbeat + self.heartbeat_timeout - time.monotonic()
            if left <= 0:
                conn.close_cause = "heartbeat timeout"
                await conn.ws.close(self.heartbeat_close_code, "heartbeat timeout")
                return
            await asyncio.sleep(left)

    async def _drop_later(self, conn: DocConn) -> None:
        assert self.drop_after is not None
        await asyncio.sleep(self.drop_after)
        conn.close_cause = "drop_after"
        if self.drop_mode == "abort":
            conn.ws.transport.abort()
        else:
            await conn.ws.close(1001, "drop_after")

    async def _send(self, conn: DocConn, frame: str) -> None:
        with contextlib.suppress(ConnectionClosed):
            await conn.ws.send(frame)

    async def _refuse(self, conn: DocConn, req: dict[str, Any], ret: int, msg: str) -> None:
        raw_cmd = req.get("cmd_id")
        cmd = raw_cmd if isinstance(raw_cmd, int) else 0
        self.refusals.append(Refusal(conn.number, cmd, ret, msg, time.monotonic()))
        await self._send(conn, _reply(cmd + 1 if cmd else 0, req, ret, msg))

    async def _on_frame(self, conn: DocConn, raw: str | bytes) -> None:
        now = time.monotonic()
        try:
            msg = json.loads(raw)
        except (ValueError, RecursionError):
            msg = None
        if not isinstance(msg, dict):
            text = raw if isinstance(raw, str) else repr(raw)
            conn.received.append(Received(now, {"_raw": text[:500]}))
            self.refusals.append(Refusal(conn.number, 0, 201, "request header param invalid", now))
            await self._send(conn, json.dumps(HEADER_INVALID))
            return
        conn.received.append(Received(now, msg))
        cmd, seq_id, trace, data = (
            msg.get("cmd_id"),
            msg.get("seq_id"),
            msg.get("trace"),
            msg.get("data"),
        )
        if not (
            isinstance(cmd, int)
            and isinstance(seq_id, int)
            and isinstance(trace, str)
            and len(trace) <= 64
            and isinstance(data, dict)
        ) or cmd not in (22000, *RATE_CMDS):
            self.refusals.append(
                Refusal(
                    conn.number,
                    cmd if isinstance(cmd, int) else 0,
                    201,
                    "request header param invalid",
                    now,
                )
            )
            await self._send(conn, json.dumps(HEADER_INVALID))
            return
        if cmd == 22000:
            conn.last_heartbeat = now
            await self._send(conn, _reply(22001, msg))
            return
        reason = self._spacing_violation(conn, cmd, now)
        if reason is not None:
            self.refusals.append(
                Refusal(conn.number, cmd, 606 if self.rate_mode == "close" else 605, reason, now)
            )
            if self.rate_mode == "close":
                await self._send(
                    conn,
                    _reply(cmd + 1, msg, 606, "too many requests and connection will be closed"),
                )
                conn.close_cause = "too many requests"
                with contextlib.suppress(ConnectionClosed):
                    await conn.ws.close(1008, "too many requests")
            else:
                await self._send(conn, _reply(cmd + 1, msg, 605, "too many requests"))
            return
        conn.last_request = now
        conn.last_by_cmd[cmd] = now
        self._token_requests.setdefault(conn.token, {})[conn.number] = now
        if cmd == 22006:
            cancel_type = data.get("cancel_type", 0)
            if cancel_type in (0, 2):
                conn.subscribed = []
            if cancel_type in (0, 1):
                conn.depth = []
            await self._send(conn, _reply(22007, msg))
            return
        codes = _symbol_codes(data)
        if codes is None:
            await self._refuse(conn, msg, 400, "request data param invalid")
            return
        bad = [c for c in codes if not self._serves(c)]
        if bad and self.invalid_code == "refuse":
            await self._refuse(conn, msg, 600, "code invalid")
            return
        good = list(dict.fromkeys(c for c in codes if self._serves(c)))
        kept = good[: self.plan.codes_per_connection]
        if cmd == 22002:
            conn.depth = kept
            await self._send(conn, _reply(22003, msg))
            return
        before = set(conn.subscribed)
        conn.subscribed = kept
        conn.truncated = len(good) - len(kept)
        await self._send(conn, _reply(22005, msg))
        if self.snapshot_on_subscribe:
            for code in kept:
                if code not in before and code in self.universe:
                    await self._send_tick(conn, code)

    def _serves(self, code: str) -> bool:
        return bool(self.code_re.match(code)) and code not in self.unserved

    def _spacing_violation(self, conn: DocConn, cmd: int, now: float) -> str | None:
        """Why ``cmd`` arriving now breaks the §1.8 spacing, or None."""
        last = conn.last_by_cmd.get(cmd) if self.interval_per_cmd else conn.last_request
        if last is not None and now - last < self.min_interval:
            return f"{now - last:.3f}s after the previous request on this connection"
        others = [
            t for n, t in self._token_requests.get(conn.token, {}).items() if n != conn.number
        ]
        if others and now - max(others) < self.cross_interval:
            return f"{now - max(others):.3f}s after a request on another connection"
        return None

    # ---- pushes ----

    async def _send_tick(self, conn: DocConn, code: str) -> None:
        conn.seq += 1
        conn.pushes += 1
        price = self.walk.price(code)
        volume = self.rng.randint(1, 100) * 100
        ms = int(self.clock() * 1000)
        frame = tick_frame(
            code,
            seq=str(conn.seq) if self.legacy_strings else conn.seq,
            tick_time=str(ms) if self.legacy_strings else ms,
            price=_fmt(price),
            volume=str(volume),
            turnover=f"{price * volume:.2f}",
            trade_direction=self.rng.choice((0, 1, 2)),
        )
        await self._send(conn, frame)

    async def _send_depth(self, conn: DocConn, code: str) -> None:
        conn.seq += 1
        conn.pushes += 1
        price = self.walk.price(code)
        ms = int(self.clock() * 1000)
        levels = range(1, 6)  # §1.4: 5 levels for CN stocks
        data = {
            "code": code,
            "seq": str(conn.seq) if self.legacy_strings else conn.seq,
            "tick_time": str(ms) if self.legacy_strings else ms,
            "bids": [{"price": _fmt(price - 0.01 * i), "volume": str(100 * i)} for i in levels],
            "asks": [{"price": _fmt(price + 0.01 * i), "volume": str(100 * i)} for i in levels],
        }
        await self._send(conn, json.dumps({"cmd_id": 22999, "data": data}, separators=(",", ":")))

    async def _push_loop(self) -> None:
        assert self.push_interval is not None
        while True:
            await asyncio.sleep(self.push_interval)
            live = self.live
            self.walk.step({c for conn in live for c in (*conn.subscribed, *conn.depth)})
            for conn in live:
                for codes, send in (
                    (conn.subscribed, self._send_tick),
                    (conn.depth, self._send_depth),
                ):
                    known = [c for c in codes if c in self.universe]
                    if self.push_fraction < 1.0:
                        known = [c for c in known if self.rng.random() < self.push_fraction]
                    for code in known:
                        if not conn.open:
                            break
                        await send(conn, code)

    # ---- HTTP ----

    async def _http_client(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Minimal HTTP/1.1: one request per connection, Content-Length bodies only."""
        status, body, ctype = 400, "bad request", "text/plain"
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _version = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip()
                for k, v in (line.split(":", 1) for line in lines[1:] if ":" in line)
            }
            if "chunked" in headers.get("transfer-encoding", "").lower():
                status, body = 411, "length required"
            else:
                length = int(headers.get("content-length", "0") or 0)
                payload = await asyncio.wait_for(reader.readexactly(length), 10) if length else b""
                status, body = self._http_api(method, target, payload)
                ctype = "application/json" if body.startswith("{") else "text/plain"
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, TimeoutError):
            pass
        try:
            data = body.encode()
            reason = http.HTTPStatus(status).phrase
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}; charset=utf-8\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
                + data
            )
            await writer.drain()
        except ConnectionError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    def _http_api(self, method: str, target: str, payload: bytes) -> tuple[int, str]:
        """Answer one HTTP API request: (HTTP status, body). Records it."""
        now = time.monotonic()
        split = urllib.parse.urlsplit(target)
        query = urllib.parse.parse_qs(split.query)
        token = query.get("token", [None])[0]
        path = split.path
        req: dict[str, Any] | None = None

        def done(
            ret: int, msg: str, data: dict[str, Any] | None = None, trace: str = ""
        ) -> tuple[int, str]:
            rec = HttpRecord(now, method, path, token, req, ret, msg)
            self.http_requests.append(rec)
            if ret != 200:
                self.http_refusals.append(rec)
            if ret == 404:
                return 404, "404 page not found"
            if ret == 405:
                return 405, "method not allowed"
            body: dict[str, Any] = {"ret": ret, "msg": msg, "trace": trace}
            if data is not None or ret == 200:
                body["data"] = data or {}
            return (200 if ret == 200 else self.http_error_status), json.dumps(
                body, separators=(",", ":")
            )

        kind = {(KLINE_PATH, "GET"): "kline", (BATCH_KLINE_PATH, "POST"): "batch"}.get(
            (path, method)
        )
        if kind is None:
            return done(405 if path in (KLINE_PATH, BATCH_KLINE_PATH) else 404, "not found")
        if not token:
            return done(401, "token is required")
        if token not in self.tokens:
            return done(401, "token invalid")
        times = self._http_times.setdefault(token, deque())
        while times and now - times[0] >= self.http_window:
            times.popleft()
        if len(times) >= self.plan.http_per_minute:
            return done(605, "too many requests")
        last = self._last_batch.get(token)
        if kind == "batch" and last is not None and now - last < self.plan.batch_interval:
            return done(605, "too many requests")
        times.append(now)
        if kind == "batch":
            self._last_batch[token] = now
        try:
            raw = query.get("query", [""])[0] if kind == "kline" else payload.decode()
            parsed = json.loads(raw) if raw else None
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if not isinstance(parsed, dict) or not isinstance(parsed.get("data"), dict):
            return done(
                402 if kind == "kline" else 601,
                "query invalid" if kind == "kline" else "body empty",
            )
        req = parsed
        raw_trace = parsed.get("trace")
        trace = raw_trace if isinstance(raw_trace, str) else ""
        data = parsed["data"]
        if kind == "kline":
            item = _kline_item(data, 1000)
            if item is None:
                return done(400, "request data param invalid", trace=trace)
            code, ktype, num = item
            if not self._serves(code):
                return done(600, "code invalid", trace=trace)
            out = {"code": code, "kline_type": ktype, "kline_list": self._bars(code, ktype, num)}
            return done(200, "ok", out, trace)
        items = data.get("data_list")
        if not isinstance(items, list) or not items:
            return done(400, "request data param invalid", trace=trace)
        if len(items) > self.plan.batch_items:
            return done(603, "token level not enough", trace=trace)
        result = []
        for raw_item in items:
            item = _kline_item(raw_item, 2) if isinstance(raw_item, dict) else None
            if item is None:
                return done(400, "request data param invalid", trace=trace)
            code, ktype, num = item
            if not self._serves(code):
                if self.invalid_code == "refuse":
                    return done(600, "code invalid", trace=trace)
                continue
            result.append(
                {"code": code, "kline_type": ktype, "kline_data": self._bars(code, ktype, num)}
            )
        return done(200, "ok", {"kline_list": result}, trace)

    def prev_close(self, code: str) -> float | None:
        """Yesterday's close served for ``code``: ``prev_closes``, else the base price."""
        return self.prev_closes.get(code, self.universe.get(code))

    def _bars(self, code: str, ktype: int, num: int) -> list[dict[str, str]]:
        """The latest ``num`` K-lines of ``code``, oldest first (§6). Unknown codes get none."""
        prev = self.prev_close(code)
        if prev is None:
            return []
        last = self.walk.price(code) if code in self.universe else prev
        now = self.clock()
        today = datetime.fromtimestamp(now, CN_TZ).date()
        if ktype in KLINE_SECONDS:
            period = KLINE_SECONDS[ktype]
            end = int(now) // period * period
            starts = [end - period * i for i in range(num)][::-1]
            closes = [_near(prev, code, s) for s in starts[:-1]] + [last]
        elif ktype == 8:
            has_today = today.weekday() < 5 if self.today_bar is None else self.today_bar
            days = _weekdays_before(today, num - 1 if has_today else num)
            closes = [_near(prev, code, _midnight(d)) for d in days[:-1]] + ([prev] if days else [])
            if has_today:
                days.append(today)
                closes.append(last)
            starts = [_midnight(d) for d in days][-num:]
            closes = closes[-num:]
        elif ktype in (9, 10):
            firsts: list[date] = []
            d = today - timedelta(days=today.weekday()) if ktype == 9 else today.replace(day=1)
            for _ in range(num):
                firsts.append(d)
                d = d - timedelta(days=7) if ktype == 9 else (d - timedelta(days=1)).replace(day=1)
            starts = [_midnight(x) for x in reversed(firsts)]
            closes = [_near(prev, code, s) for s in starts[:-1]] + [last]
        else:
            return []  # 6/7 (2h/4h) are not supported for stocks
        bars = []
        opening = prev
        for ts, close in zip(starts, closes, strict=True):
            volume = 100 * random.Random(f"{code}:{ts}:v").randint(1, 10_000)
            bars.append(
                {
                    "timestamp": str(ts),
                    "open_price": _fmt(opening),
                    "close_price": _fmt(close),
                    "high_price": _fmt(max(opening, close) * 1.005),
                    "low_price": _fmt(min(opening, close) * 0.995),
                    "volume": str(volume),
                    "turnover": f"{volume * close:.2f}",
                }
            )
            opening = close
        return bars


# ---- helpers ----------------------------------------------------------------------------------


def _query_token(query: str) -> str | None:
    values = urllib.parse.parse_qs(query, keep_blank_values=True).get("token")
    return values[0] if values else None


def _symbol_codes(data: object) -> list[str] | None:
    """Codes of a 22002/22004 ``data.symbol_list``, or None when it is malformed."""
    if not isinstance(data, dict) or not isinstance(data.get("symbol_list"), list):
        return None
    codes: list[str] = []
    for entry in data["symbol_list"]:
        if not isinstance(entry, dict) or not isinstance(entry.get("code"), str):
            return None
        codes.append(entry["code"])
    return codes


def _kline_item(item: dict[str, Any], max_num: int) -> tuple[str, int, int] | None:
    """(code, kline_type, count) of one K-line query, the count clamped to 1..max_num (§6)."""
    code, ktype, num = item.get("code"), item.get("kline_type"), item.get("query_kline_num", 1)
    if (
        not isinstance(code, str)
        or not isinstance(ktype, int)
        or not isinstance(num, int)
        or num < 1
    ):
        return None
    if ktype not in (1, 2, 3, 4, 5, 8, 9, 10):
        return None
    return code, ktype, min(num, max_num)


def _midnight(d: date) -> int:
    """Unix seconds of 00:00 Asia/Shanghai on ``d``."""
    return int(datetime(d.year, d.month, d.day, tzinfo=CN_TZ).timestamp())


def _weekdays_before(today: date, n: int) -> list[date]:
    """The ``n`` weekdays before ``today``, oldest first (holidays are not modelled)."""
    out: list[date] = []
    d = today
    while len(out) < n:
        d -= timedelta(days=1)
        if d.weekday() < 5:
            out.append(d)
    return out[::-1]


def _near(price: float, code: str, salt: int) -> float:
    """A stable price within ±3% of ``price`` for older bars."""
    frac = (random.Random(f"{code}:{salt}").random() - 0.5) * 0.06
    return round(price * (1 + frac), 2)
