"""A gateway: serves desktops the batch-subscribe protocol from the relay's Redis.

Stateless and restartable: everything it knows comes from Redis (see
:mod:`monitor.core.protocols.relay`), so any number of gateways can run on any hosts.
A client subscribes (array, comma string or ``*``; codes bare or suffixed) and gets a
snapshot of its symbols first (the latest quote with the previous close), then live
ticks. One reader task per gateway follows every shard with ``XREAD BLOCK``; clients
only ever see the symbols they asked for.

Gaps are detected with the relay's per-shard sequence number (a trimmed stream, a
gateway that fell behind, ticks lost while Redis was down), reported to clients as
``{"event": "gap", ...}`` and in :attr:`Gateway.gaps`, and followed by a fresh snapshot
of each client's symbols in that shard; a relay restart (a new relay id) is not a gap.

Optional per-client threshold (the seed's threshold-based updates):
``{"action": "subscribe", "symbols": [...], "threshold": 3}`` sends a tick only when
the price moved at least 3 ticks (0.01 each) since the last one sent.

Needs ``redis`` (the ``relay`` extra).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from monitor.core.protocols import ProtocolError, generic
from monitor.core.protocols.relay import Keys, decode_entry, decode_tick, shard_of
from monitor.core.quotes import Tick

__all__ = ["Gateway"]

log = logging.getLogger(__name__)
TICK_SIZE = 0.01
SEND_TIMEOUT = 2.0  # seconds a client may take to accept a frame
MAX_SHARDS = 256  # a meta "shards" beyond this is not a relay's: ignored


@dataclass(eq=False)
class _Client:
    ws: ServerConnection
    sub: generic.ServerSubscription = field(default_factory=generic.ServerSubscription)
    threshold: float = 0.0  # in price units
    last_sent: dict[str, float] = field(default_factory=dict)
    reference: dict[str, float] = field(default_factory=dict)  # previous closes sent
    sent: int = 0
    # Symbols whose snapshot is on its way: their live ticks wait for it (the snapshot
    # holds them), so the day's volume is never counted short or twice.
    pending: set[str] = field(default_factory=set)
    held: list[Tick] = field(default_factory=list)  # live ticks of pending symbols

    def passes(self, t: Tick) -> bool:
        if not self.threshold:
            return True
        before = self.last_sent.get(t.symbol)
        return before is None or abs(t.price - before) >= self.threshold - 1e-9


def _json(t: Tick, client: _Client) -> dict[str, object]:
    """A tick for ``client``: the previous close only when it is new to that client."""
    out = generic.tick_fields(t, prev_close=False)
    pc = t.prev_close
    if pc is not None and client.reference.get(t.symbol) != pc:
        out["prev_close"] = client.reference[t.symbol] = pc
    return out


class Gateway:
    def __init__(
        self,
        redis_url: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        prefix: str = "ashare",
        block_ms: int = 200,
    ) -> None:
        import redis.asyncio as aioredis

        self.redis = aioredis.from_url(redis_url, socket_connect_timeout=5)
        self.redis_url = redis_url
        self.host = host
        self.port = port
        self.keys = Keys(prefix)
        self.block_ms = block_ms
        self.clients: set[_Client] = set()
        self.gaps = 0  # entries missed (relay seq jumps)
        self.relayed = 0  # ticks read from Redis
        self.redis_errors = 0
        self._positions: dict[str, bytes] = {}  # stream -> last id read
        self._expect: dict[str, tuple[str, int]] = {}  # stream -> (relay id, last seq)
        self._server: Server | None = None
        self._reader: asyncio.Task[None] | None = None
        self._stopping = False
        self._from_start = False  # no relay had written when this gateway started
        self._bad_shards: object = None  # the last invalid meta value, logged once

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    async def start(self) -> None:
        self._server = await serve(self._handle, self.host, self.port, compression=None)
        self.port = next(iter(self._server.sockets)).getsockname()[1]
        self._reader = asyncio.get_running_loop().create_task(self._read(), name="gateway")
        log.info("gateway on %s, reading %s", self.url, self.redis_url)

    async def stop(self) -> None:
        self._stopping = True
        if self._reader is not None:
            # The reader ends after its current XREAD (at most block_ms): cancelling a
            # redis-py command in flight can stall for many seconds.
            done, _ = await asyncio.wait([self._reader], timeout=self.block_ms / 1000 + 2)
            if not done:
                self._reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._reader
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        await self.redis.aclose()

    # --- reading Redis -------------------------------------------------------------------
    async def _streams(self) -> list[str]:
        """The relay's streams: from its meta hash, or, while that is missing or not a
        relay's (Redis restarted or evicted it: the relay writes it again within a
        second), the streams this gateway already follows."""
        raw = await self.redis.hget(self.keys.meta, "shards")
        try:
            n = int(raw) if raw is not None else 0
        except ValueError:
            n = -1
        if not 1 <= n <= MAX_SHARDS:
            if raw is not None and raw != self._bad_shards:
                log.warning("gateway: ignoring meta shards=%r (not 1 to %d)", raw, MAX_SHARDS)
            self._bad_shards = raw
            return list(self._positions)
        return [self.keys.stream(i) for i in range(n)]

    async def _read(self) -> None:
        delay = 0.2
        while not self._stopping:
            try:
                streams = await self._streams()
                if not streams:  # no relay has written yet: whatever it writes is new
                    self._from_start = True
                    await asyncio.sleep(0.5)
                    continue
                for s in streams:
                    if s not in self._positions:
                        # From now on (the snapshot covers what came before), or from the
                        # start of a stream a relay began after this gateway. Not "$" in
                        # every XREAD: that would skip what arrives between two calls.
                        last: Any = (
                            [] if self._from_start else await self.redis.xrevrange(s, count=1)
                        )
                        self._positions[s] = bytes(last[0][0]) if last else b"0-0"
                reply: Any = await self.redis.xread(
                    dict(self._positions.items()),
                    block=self.block_ms,
                    count=1000,
                )
                delay = 0.2
            except asyncio.CancelledError:
                raise
            except Exception as e:
                self.redis_errors += 1
                log.warning("gateway: Redis unavailable (%s); retrying in %.1f s", e, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
                continue
            for stream, entries in reply or []:
                name = stream.decode() if isinstance(stream, bytes) else stream
                for entry_id, fields in entries:
                    self._positions[name] = entry_id
                    try:
                        entry = decode_entry(fields)
                    except ProtocolError as e:
                        log.warning("gateway: %s", e)
                        continue
                    if not await self._check_gap(name, entry.relay, entry.seq):
                        continue  # written twice (a retried pipeline): sent once
                    self.relayed += len(entry.ticks)
                    await self._fan_out(entry.ticks)

    async def _check_gap(self, stream: str, relay: str, seq: int) -> bool:
        """Note a gap before this entry; False for an entry already seen."""
        before = self._expect.get(stream)
        if before is not None and before[0] == relay and seq <= before[1]:
            return False
        self._expect[stream] = (relay, seq)
        if before is None or before[0] != relay:
            return True  # the first entry, or a restarted relay numbering afresh
        missed = seq - before[1] - 1
        if missed > 0:
            self.gaps += missed
            log.warning(
                "gateway: %d entries missing in %s (seq %d -> %d)", missed, stream, before[1], seq
            )
            note = json.dumps(
                {"event": "gap", "message": f"{missed} relay entries missing in {stream}"}
            )
            shard, shards = int(stream.rsplit(":", 1)[1]), len(self._positions)
            for c in list(self.clients):
                with contextlib.suppress(ConnectionClosed, TimeoutError):
                    await asyncio.wait_for(c.ws.send(note), SEND_TIMEOUT)
                # What the missing entries carried is in the latest quotes: a fresh
                # snapshot of the client's symbols in that shard puts it right.
                mine = (
                    ["*"]
                    if c.sub.everything
                    else [sym for sym in c.sub.symbols if shard_of(sym, shards) == shard]
                )
                if mine:
                    await self._snapshot(c, mine)
        return True

    async def _fan_out(self, ticks: list[Tick]) -> None:
        for client in list(self.clients):
            out = []
            for t in ticks:
                if t.symbol in client.pending:
                    client.held.append(t)  # sent after its snapshot, if newer
                    continue
                if client.sub.wants(t.symbol) and client.passes(t):
                    out.append(_json(t, client))
                    client.last_sent[t.symbol] = t.price
            if out:
                await self._send(client, out)

    async def _send(self, client: _Client, ticks: list[dict[str, object]]) -> None:
        try:
            await asyncio.wait_for(
                client.ws.send(json.dumps({"ticks": ticks}, separators=(",", ":"))), SEND_TIMEOUT
            )
            client.sent += len(ticks)
        except ConnectionClosed:
            self.clients.discard(client)
        except TimeoutError:
            # A client that cannot keep up must not hold everyone else's prices: it is
            # dropped, reconnects, and starts again from a snapshot.
            log.warning("gateway: a client too slow to take its ticks was disconnected")
            self.clients.discard(client)
            client.ws.transport.abort()

    # --- clients -------------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        client = _Client(ws)
        self.clients.add(client)
        try:
            async for message in ws:
                try:
                    reply, added = self._request(client, message)
                except (ProtocolError, ValueError) as e:
                    await ws.send(json.dumps({"event": "error", "message": str(e)[:200]}))
                    continue
                if added is not None and added != ["*"]:
                    client.pending.update(added)
                await ws.send(json.dumps(reply))
                if added is not None:
                    await self._snapshot(client, added)
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(client)

    def _request(
        self, client: _Client, message: str | bytes
    ) -> tuple[dict[str, object], list[str] | None]:
        """The reply, and the symbols a snapshot is due for (``["*"]``: all)."""
        msg = generic.request_json(message)  # ProtocolError: one line to the client
        threshold = msg.get("threshold") if isinstance(msg, dict) else None
        if threshold is not None:
            try:
                ticks = float(threshold)
            except (TypeError, ValueError):
                ticks = -1.0
            if not 0 <= ticks <= 10_000:  # also NaN
                raise ProtocolError("threshold must be a number of ticks from 0 to 10000")
            client.threshold = ticks * TICK_SIZE
        action, codes, new = client.sub.apply(message)
        if codes == ["*"]:
            return {"event": f"{action}d", "symbols": codes}, (new or None)
        if action == "subscribe":
            return {"event": "subscribed", "symbols": codes}, new
        for c in codes:
            client.last_sent.pop(c, None)
            client.reference.pop(c, None)
        return {"event": "unsubscribed", "symbols": codes}, None

    async def _snapshot(self, client: _Client, symbols: list[str]) -> None:
        """The latest quote of each symbol (with its previous close), before live ticks."""
        try:
            if symbols == ["*"]:
                raw = list((await self.redis.hgetall(self.keys.last)).values())
            else:
                raw = [v for v in await self.redis.hmget(self.keys.last, symbols) if v]
        except Exception as e:
            log.warning("gateway: no snapshot (%s)", e)
            raw = []
        out = []
        latest: dict[str, tuple[int, int]] = {}  # symbol -> (time, seq) of its snapshot
        for item in raw:
            try:
                t = decode_tick(item)
            except ProtocolError:
                continue
            out.append(_json(t, client))
            client.last_sent[t.symbol] = t.price
            latest[t.symbol] = (t.time_ms, t.seq)
        # Live ticks that arrived meanwhile: those newer than the snapshot follow it (the
        # older ones are in its day totals already).
        done = set(symbols)
        held, client.held = client.held, [t for t in client.held if t.symbol not in done]
        client.pending.difference_update(symbols)
        for t in held:
            newer = (t.time_ms, t.seq) > latest.get(t.symbol, (-1, -1))
            if t.symbol in done and newer and client.passes(t):
                out.append(_json(t, client))
                client.last_sent[t.symbol] = t.price
        if out:
            await self._send(client, out)
