"""The embedded market simulator: a real websockets server modelling the A-share market.

It speaks AllTick's stock protocol on ``/quote-stock-b-ws-api`` (token in ``?token=``,
the 3,000-code cap, the 1 s request spacing with 605/606, the 30 s heartbeat timeout,
a new 22004 replacing the list) and the seed article's batch protocol on every other
path. Over plain HTTP it serves AllTick's K-line API — ``/quote-stock-b-api/kline`` and
the batch ``/quote-stock-b-api/batch-kline`` (POST, up to 500 items, as on the real
provider) — and ``/symbols`` (the symbol master), on its own HTTP port (``http_base``;
AllTick's HTTP API is on another host than its WebSocket too). The WebSocket port
also answers the GET forms, for clients that only know one address. One shared market moves at
``rate`` ticks/s (Level-1 like by default: each symbol about every 3 s); every client
gets the ticks of the symbols it subscribes. It binds to loopback unless told otherwise.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import http
import json
import logging
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt
from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from monitor.core.kline import Bar, Period, roll_up
from monitor.core.master import SymbolMaster
from monitor.core.protocols import ProtocolError, alltick, generic
from monitor.core.quotes import SHANGHAI
from monitor.core.redact import RedactFilter
from monitor.core.session import is_trading, phase_at
from monitor.core.simmarket import SimMarket
from monitor.core.symbols import SymbolError, normalize
from monitor.platform.resources import shipped_listing

__all__ = ["SimConfig", "Simulator"]

log = logging.getLogger("monitor.simulator")
_ws_log = logging.getLogger("monitor.simulator.ws")
_ws_log.addFilter(RedactFilter())


@dataclass
class SimConfig:
    host: str = "127.0.0.1"
    port: int = 0
    symbols: int = 5500
    rate: float = 1800.0  # ticks per second across the market
    seed: int = 1
    token: str | None = None  # the AllTick token accepted; None accepts any non-empty one
    max_codes: int = 3000  # AllTick codes per connection; extra codes are silently dropped
    min_request_interval: float = 1.0  # AllTick: seconds between requests of one type
    rate_limit_close: bool = False  # reply 606 and close instead of 605
    heartbeat_timeout: float = 30.0
    token_reject: str = "frame"  # "frame": ret 401 then close; "http": refuse the handshake
    invalid_codes: str = "reject"  # "reject": ret 600 for the request; "ignore": drop them
    always_open: bool = True  # False: tick only during the trading sessions (China time)
    snapshot_on_subscribe: bool = True  # push the latest price of newly subscribed symbols
    legacy_strings: bool = False  # AllTick seq/tick_time as strings (pre-2026-06 docs)
    step_hz: float = 50.0
    max_backlog: int = 200_000  # frames queued for one client before it is dropped as slow
    http_port: int | None = 0  # the HTTP API's port (0: any free one; None: none)
    listing: SymbolMaster | None = None  # the real listing modelled (default: as shipped)


@dataclass(eq=False)
class _Client:
    ws: ServerConnection
    kind: str  # "alltick" | "generic"
    number: int
    mask: npt.NDArray[np.bool_]
    depth: npt.NDArray[np.bool_] | None = None  # rows with an order-book subscription (AllTick)
    wildcard: bool = False
    last_request: dict[int, float] = field(default_factory=dict)
    last_heartbeat: float = 0.0
    queue: list[str | bytes] = field(default_factory=list)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    sent_frames: int = 0

    @property
    def count(self) -> int:
        return int(self.mask.sum())


class Simulator:
    """Start with ``async with Simulator(cfg) as sim:``; ``sim.url(...)`` gives addresses."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.cfg = config or SimConfig()
        self.market = SimMarket(
            self.cfg.symbols,
            seed=self.cfg.seed,
            listing=self.cfg.listing or shipped_listing().master,
        )
        self.clients: set[_Client] = set()
        self.server: Server | None = None
        self.port = 0
        self._numbers = 0
        self._ticker: asyncio.Task[None] | None = None
        self.ticks_sent = 0
        self.max_subscribed = 0  # most codes any AllTick connection ever held
        self.requests: list[tuple[int, str, int]] = []  # (client, kind, codes) per request
        self._prices_txt: list[str] = []
        self._names_json = [json.dumps(i.name, ensure_ascii=False) for i in self.market.master]
        self._codes = self.market.symbols
        self._records = self.market.master.to_records()
        self.http_server: asyncio.Server | None = None
        self.http_port = 0

    # --- lifecycle ---------------------------------------------------------------
    async def start(self) -> None:
        self.server = await serve(
            self._handle,
            self.cfg.host,
            self.cfg.port,
            process_request=self._process_request,
            compression=None,
            max_size=1 << 22,
            ping_interval=None,
            logger=_ws_log,
        )
        sock = next(iter(self.server.sockets))
        self.port = sock.getsockname()[1]
        if self.cfg.http_port is not None:
            self.http_server = await asyncio.start_server(
                self._serve_http, self.cfg.host, self.cfg.http_port
            )
            self.http_port = self.http_server.sockets[0].getsockname()[1]
        self._ticker = asyncio.get_running_loop().create_task(self._tick_loop())
        log.info(
            "simulator on %s:%d: %d symbols, %.0f ticks/s, AllTick cap %d codes/connection",
            self.cfg.host,
            self.port,
            len(self.market),
            self.cfg.rate,
            self.cfg.max_codes,
        )

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        if self.http_server is not None:
            self.http_server.close()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def url(self, protocol: str = "alltick", token: str | None = None) -> str:
        host = self.cfg.host if self.cfg.host not in ("0.0.0.0", "::") else "127.0.0.1"
        if protocol == "alltick":
            return f"ws://{host}:{self.port}{alltick.PATH}" + (f"?token={token}" if token else "")
        return f"ws://{host}:{self.port}/ws"

    @property
    def http_base(self) -> str:
        """The HTTP API's base URL (K-lines, symbol list)."""
        host = self.cfg.host if self.cfg.host not in ("0.0.0.0", "::") else "127.0.0.1"
        return f"http://{host}:{self.http_port or self.port}"

    # --- HTTP side ---------------------------------------------------------------
    async def _serve_http(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """A minimal HTTP/1.1 server for the API: one request per connection."""
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {
                k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])
            }
            length = int(headers.get("content-length", "0") or 0)
            if length > 4 << 20:
                raise ValueError("body too large")
            body = await asyncio.wait_for(reader.readexactly(length), 10) if length else b""
            status, payload = self._api(method, target, body)
            data = msgspec.json.encode(payload) if status == 200 else b"not found\n"
            writer.write(
                f"HTTP/1.1 {status} {'OK' if status == 200 else 'Not Found'}\r\n"
                f"Content-Type: application/json; charset=utf-8\r\n"
                f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode()
                + data
            )
            await writer.drain()
        except (ValueError, TimeoutError, asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def _api(self, method: str, target: str, body: bytes) -> tuple[int, object]:
        parts = urllib.parse.urlsplit(target)
        if method == "GET" and parts.path == "/symbols":
            return 200, self._symbols()
        if parts.path == "/quote-stock-b-api/kline" and method == "GET":
            return 200, self._kline_reply(*self._query(parts.query))
        if parts.path == "/quote-stock-b-api/batch-kline":
            if method == "POST":
                q, error = self._query(parts.query, body)
            else:
                q, error = self._query(parts.query)
            return 200, self._batch_reply(q, error)
        return 404, None

    def _symbols(self) -> list[dict[str, Any]]:
        # Names and boards only: previous closes come from the K-line endpoint, as on
        # AllTick, so that path is exercised for real.
        return [{k: v for k, v in r.items() if k != "prev_close"} for r in self._records]

    def _process_request(self, conn: ServerConnection, request: Request) -> Response | None:
        parts = urllib.parse.urlsplit(request.path)
        if request.headers.get("Upgrade", "").lower() == "websocket":
            if parts.path == alltick.PATH and self.cfg.token_reject == "http":
                token = urllib.parse.parse_qs(parts.query).get("token", [""])[0]
                if not self._token_ok(token):
                    return conn.respond(http.HTTPStatus.UNAUTHORIZED, "token invalid\n")
            return None
        if parts.path == "/symbols":
            return _json_response(self._symbols())
        if parts.path == "/quote-stock-b-api/kline":
            return _json_response(self._kline_reply(*self._query(parts.query)))
        if parts.path == "/quote-stock-b-api/batch-kline":
            return _json_response(self._batch_reply(*self._query(parts.query)))
        if parts.path == "/health":
            return _json_response(
                {"ok": True, "clients": len(self.clients), "ticks_sent": self.ticks_sent}
            )
        return conn.respond(http.HTTPStatus.NOT_FOUND, "not found\n")

    def _token_ok(self, token: str) -> bool:
        return bool(token) and (self.cfg.token is None or token == self.cfg.token)

    def _query(
        self, query: str, body: bytes | None = None
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
        """The request's JSON (from ``query=`` or the POST body), or the error reply."""
        qs = urllib.parse.parse_qs(query)
        if not self._token_ok(qs.get("token", [""])[0]):
            return None, {"ret": 401, "msg": "token invalid", "trace": "", "data": {}}
        try:
            q = json.loads(body if body is not None else qs["query"][0])
            if not isinstance(q, dict) or not isinstance(q.get("data"), dict):
                raise ValueError("data")
        except (KeyError, ValueError, RecursionError):
            return None, {"ret": 400, "msg": "request data param invalid", "trace": "", "data": {}}
        return q, None

    def _batch_reply(self, q: dict[str, Any] | None, error: dict[str, Any] | None) -> object:
        """AllTick's batch-kline: at most 500 items (the All-CN plan's cap)."""
        if q is None:
            return error
        items = q["data"].get("data_list")
        if not isinstance(items, list) or len(items) > 500:
            return {"ret": 603, "msg": "token level not enough", "data": {}}
        out = []
        for item in items:
            code = item.get("code") if isinstance(item, dict) else None
            try:
                row = self.market.index[normalize(str(code))]
            except (KeyError, SymbolError):
                continue
            out.append({"code": code, "kline_type": 8, "kline_data": self._klines(row)})
        return {
            "ret": 200,
            "msg": "ok",
            "trace": str(q.get("trace", "")),
            "data": {"kline_list": out},
        }

    def _kline_reply(self, q: dict[str, Any] | None, error: dict[str, Any] | None) -> object:
        """AllTick's K-line: ``kline_type`` 8 day, 9 week, 10 month; the latest
        ``query_kline_num`` (≤ 1000) bars, today's live one last on a weekday."""
        if q is None:
            return error
        data = q["data"]
        try:
            sym = normalize(str(data["code"]))
            row = self.market.index[sym]
            n = int(data.get("query_kline_num", 2) or 2)
            period = {8: Period.DAY, 9: Period.WEEK, 10: Period.MONTH}[
                int(data.get("kline_type", 8))
            ]
        except (KeyError, SymbolError, ValueError, TypeError):
            return {"ret": 600, "msg": "code invalid", "trace": "", "data": {}}
        if not 1 <= n <= 1000:
            return {"ret": 400, "msg": "request data param invalid", "trace": "", "data": {}}
        return {
            "ret": 200,
            "msg": "ok",
            "trace": str(q.get("trace", "")),
            "data": {
                "code": sym,
                "kline_type": period.alltick_type,
                "kline_list": self._klines(row, period, n),
            },
        }

    def _klines(self, row: int, period: Period = Period.DAY, n: int = 2) -> list[dict[str, str]]:
        m = self.market
        today = dt.datetime.now(SHANGHAI).date()
        per_bar = {Period.DAY: 1, Period.WEEK: 5, Period.MONTH: 22}[period]
        days: list[dt.date] = []
        day = today - dt.timedelta(days=1)
        while len(days) < n * per_bar + per_bar:  # weekdays before today (no holidays here)
            if day.weekday() < 5:
                days.append(day)
            day -= dt.timedelta(days=1)
        daily = m.daily_history(row, days[::-1])
        if today.weekday() < 5:
            px = m.px
            daily.append(
                Bar(
                    today,
                    float(px.open[row]),
                    float(px.high[row]),
                    float(px.low[row]),
                    float(px.last[row]),
                    float(px.volume[row]),
                    float(px.turnover[row]),
                )
            )
        out = []
        for b in roll_up(daily, period)[-n:]:
            stamp = dt.datetime.combine(b.day, dt.time(), SHANGHAI)
            out.append(
                {
                    "timestamp": str(int(stamp.timestamp())),
                    "open_price": f"{b.open:.2f}",
                    "close_price": f"{b.close:.2f}",
                    "high_price": f"{b.high:.2f}",
                    "low_price": f"{b.low:.2f}",
                    "volume": f"{b.volume:.0f}",
                    "turnover": f"{b.turnover:.2f}",
                }
            )
        return out

    # --- WebSocket side ------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        parts = urllib.parse.urlsplit(ws.request.path)
        kind = "alltick" if parts.path == alltick.PATH else "generic"
        self._numbers += 1
        client = _Client(ws, kind, self._numbers, np.zeros(len(self.market), bool))
        peer = ws.remote_address
        if kind == "alltick":
            token = urllib.parse.parse_qs(parts.query).get("token", [""])[0]
            if not self._token_ok(token):
                log.info("conn #%d from %s: token refused", client.number, peer)
                await ws.send(alltick.reply(0, 0, "", 401, "token invalid"))
                await ws.close(1008, "token invalid")
                return
        log.info("conn #%d (%s) opened from %s", client.number, kind, peer)
        client.last_heartbeat = time.monotonic()
        self.clients.add(client)
        sender = asyncio.get_running_loop().create_task(self._sender(client))
        watchdog = (
            asyncio.get_running_loop().create_task(self._watchdog(client))
            if kind == "alltick"
            else None
        )
        try:
            async for message in ws:
                if kind == "alltick":
                    await self._on_alltick(client, message)
                else:
                    await self._on_generic(client, message)
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(client)
            sender.cancel()
            if watchdog is not None:
                watchdog.cancel()
            log.info("conn #%d closed (%d frames sent)", client.number, client.sent_frames)

    async def _watchdog(self, client: _Client) -> None:
        timeout = self.cfg.heartbeat_timeout
        while True:
            await asyncio.sleep(min(1.0, timeout / 4))
            if time.monotonic() - client.last_heartbeat > timeout:
                log.info("conn #%d: no heartbeat for %.0f s, closing", client.number, timeout)
                await client.ws.close(1000, "heartbeat timeout")
                return

    async def _on_alltick(self, client: _Client, message: str | bytes) -> None:
        ws = client.ws
        try:
            req = json.loads(message)
            cmd = int(req["cmd_id"])
            seq_id = int(req.get("seq_id", 0))
            trace = str(req.get("trace", ""))
            data = req.get("data")
            if not isinstance(data, dict):
                raise ValueError("data")
        except (ValueError, KeyError, TypeError):
            await ws.send(alltick.reply(0, 0, "", 400, "request header param invalid"))
            return
        if cmd == alltick.HEARTBEAT:
            client.last_heartbeat = time.monotonic()
            await ws.send(alltick.reply(alltick.HEARTBEAT_ACK, seq_id, trace))
            return
        if cmd in (alltick.SUBSCRIBE_TRADE, alltick.SUBSCRIBE_DEPTH, alltick.CANCEL):
            now = time.monotonic()
            last = client.last_request.get(cmd)
            client.last_request[cmd] = now
            if last is not None and now - last < self.cfg.min_request_interval:
                if self.cfg.rate_limit_close:
                    await ws.send(
                        alltick.reply(
                            cmd + 1,
                            seq_id,
                            trace,
                            606,
                            "too many requests and connection will be closed",
                        )
                    )
                    await ws.close(1008, "too many requests")
                else:
                    await ws.send(alltick.reply(cmd + 1, seq_id, trace, 605, "too many requests"))
                return
        if cmd in (alltick.SUBSCRIBE_TRADE, alltick.SUBSCRIBE_DEPTH):
            items = data.get("symbol_list")
            if not isinstance(items, list) or not items:
                await ws.send(
                    alltick.reply(cmd + 1, seq_id, trace, 400, "request data param invalid")
                )
                return
            rows: list[int] = []
            bad: list[str] = []
            for it in items:
                code = it.get("code") if isinstance(it, dict) else None
                row = self.market.index.get(code) if isinstance(code, str) else None
                if row is None:
                    bad.append(str(code))
                else:
                    rows.append(row)
            if bad and self.cfg.invalid_codes == "reject":
                await ws.send(alltick.reply(cmd + 1, seq_id, trace, 600, "code invalid"))
                return
            requested = len(rows)
            rows = rows[: self.cfg.max_codes]  # silently truncated, as AllTick does
            if cmd == alltick.SUBSCRIBE_DEPTH:  # a list of its own, replaced as a whole
                client.depth = np.zeros(len(self.market), bool)
                client.depth[rows] = True
                log.info("conn #%d (alltick) order book for %d codes", client.number, len(rows))
                await ws.send(alltick.reply(cmd + 1, seq_id, trace))
                self._send_books(client, np.asarray(rows, np.int64), int(time.time() * 1000))
                return
            old = client.mask
            client.mask = np.zeros(len(self.market), bool)
            client.mask[rows] = True
            self.max_subscribed = max(self.max_subscribed, client.count)
            self.requests.append((client.number, "alltick", client.count))
            log.info(
                "conn #%d (alltick) subscribed %d codes (requested %d, cap %d%s)",
                client.number,
                client.count,
                requested,
                self.cfg.max_codes,
                f", {requested - client.count} dropped" if requested > client.count else "",
            )
            await ws.send(alltick.reply(cmd + 1, seq_id, trace))
            if self.cfg.snapshot_on_subscribe:
                self._snapshot(client, np.flatnonzero(client.mask & ~old))
            return
        if cmd == alltick.CANCEL:
            if data.get("cancel_type") in (alltick.CANCEL_ALL, alltick.CANCEL_DEPTH):
                client.depth = None
            if data.get("cancel_type") in (alltick.CANCEL_ALL, alltick.CANCEL_TRADE):
                client.mask[:] = False
                self.requests.append((client.number, "alltick", 0))
                log.info("conn #%d (alltick) cancelled its trade subscription", client.number)
            await ws.send(alltick.reply(cmd + 1, seq_id, trace))
            return
        await ws.send(alltick.reply(cmd + 1, seq_id, trace, 400, "request header param invalid"))

    async def _on_generic(self, client: _Client, message: str | bytes) -> None:
        try:
            action, symbols = generic.parse_request(message)
        except ProtocolError as e:
            await client.ws.send(json.dumps({"event": "error", "message": str(e)}))
            return
        old = client.mask.copy()
        rows: list[int] = []
        unknown: list[str] = []
        if symbols == generic.WILDCARD:
            client.wildcard = action == "subscribe"
            client.mask[:] = client.wildcard
        else:
            for s in symbols:
                try:
                    rows.append(self.market.index[normalize(s)])
                except (SymbolError, KeyError):
                    unknown.append(s)
            client.mask[rows] = action == "subscribe"
        self.requests.append((client.number, "generic", client.count))
        log.info(
            "conn #%d (generic) %s %s -> %d symbols",
            client.number,
            action,
            "*" if symbols == generic.WILDCARD else len(rows),
            client.count,
        )
        ack: dict[str, Any] = {"event": action + "d", "count": client.count}
        if unknown:
            ack["unknown"] = unknown[:100]
        await client.ws.send(json.dumps(ack))
        if self.cfg.snapshot_on_subscribe:
            self._snapshot(client, np.flatnonzero(client.mask & ~old))

    # --- market --------------------------------------------------------------------
    def _snapshot(self, client: _Client, rows: npt.NDArray[np.int64]) -> None:
        if len(rows):
            self._enqueue(client, rows, int(time.time() * 1000), with_names=True)

    async def _tick_loop(self) -> None:
        loop = asyncio.get_running_loop()
        period = 1.0 / self.cfg.step_hz
        carry = 0.0
        last = loop.time()
        while True:
            await asyncio.sleep(period)
            now = loop.time()
            carry += self.cfg.rate * (now - last)
            last = now
            k = int(carry)
            carry -= k
            if not self.clients or k <= 0:
                continue
            if not self.cfg.always_open and not is_trading(phase_at(dt.datetime.now(SHANGHAI))):
                continue
            now_ms = int(time.time() * 1000)
            try:
                idx = self.market.step(k, now_ms)
                for client in list(self.clients):
                    sel = idx[client.mask[idx]]
                    if len(sel):
                        self._enqueue(client, sel, now_ms)
                    if client.depth is not None:
                        self._send_books(client, idx[client.depth[idx]], now_ms)
            except Exception:  # the market must keep running for everybody else
                log.exception("simulator tick failed")

    def _enqueue(
        self, client: _Client, rows: npt.NDArray[np.int64], now_ms: int, with_names: bool = False
    ) -> None:
        m = self.market
        px = m.px
        codes = self._codes
        if client.kind == "alltick":
            legacy = self.cfg.legacy_strings
            vols = m.trade_volume
            for r in rows.tolist():
                price = px.last[r]
                vol = vols[r]
                client.queue.append(
                    alltick.encode_trade_push(
                        codes[r],
                        int(m.seq[r]),
                        now_ms,
                        f"{price:.2f}",
                        f"{vol:.0f}",
                        f"{price * vol:.2f}",
                        1 + (r & 1),
                        legacy_strings=legacy,
                    )
                )
        else:
            parts = []
            last, prev, opn, high, low = (
                px.last.tolist(),
                m.prev_close.tolist(),
                px.open,
                px.high,
                px.low,
            )
            rl = rows.tolist()
            lastv = [last[r] for r in rl]
            for r, price in zip(rl, lastv, strict=True):
                extra = f',"name":{self._names_json[r]}' if with_names else ""
                parts.append(
                    f'{{"code":"{codes[r]}","price":{price:.2f},"time":{now_ms},'
                    f'"seq":{int(m.seq[r])},"prev_close":{prev[r]:.2f},"open":{opn[r]:.2f},'
                    f'"high":{high[r]:.2f},"low":{low[r]:.2f},'
                    f'"day_volume":{px.volume[r]:.0f},"day_turnover":{px.turnover[r]:.2f}{extra}}}'
                )
            # Split big batches so no frame nears a client's max frame size.
            for i in range(0, len(parts), 500):
                client.queue.append('{"ticks":[' + ",".join(parts[i : i + 500]) + "]}")
        self.ticks_sent += len(rows)
        if len(client.queue) > self.cfg.max_backlog:
            log.warning(
                "conn #%d is too slow (%d frames queued), closing", client.number, len(client.queue)
            )
            client.queue.clear()
            asyncio.get_running_loop().create_task(client.ws.close(1013, "slow consumer"))
        client.wake.set()

    def _send_books(self, client: _Client, rows: npt.NDArray[np.int64], now_ms: int) -> None:
        """22999 pushes: the order book of each row, consistent with its last price."""
        m = self.market
        for r in rows.tolist():
            bids, asks = m.order_book(r)
            client.queue.append(
                alltick.encode_depth_push(self._codes[r], int(m.seq[r]), now_ms, bids, asks)
            )
        if len(rows):
            client.wake.set()

    async def _sender(self, client: _Client) -> None:
        ws = client.ws
        with contextlib.suppress(ConnectionClosed):
            while True:
                await client.wake.wait()
                client.wake.clear()
                batch, client.queue = client.queue, []
                for frame in batch:
                    await ws.send(frame)
                client.sent_frames += len(batch)


def _json_response(payload: object) -> Response:
    body = msgspec.json.encode(payload)
    headers = Headers(
        [("Content-Type", "application/json; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return Response(200, "OK", headers, body)
