"""The team relay: one upstream provider session, published to Redis Streams.

The relay holds the provider's token and connection pool once, for a whole team; the
gateways (``monitor.feed.gateway``) serve desktops from Redis. Every applied tick is
buffered and written every ``frame_ms`` (20–50 ms) as one entry per shard — not one
per tick — with the relay's own sequence number per shard, so readers detect gaps
(XREAD silently skips entries trimmed by ``MAXLEN ~``). The latest quote per symbol
(with the previous close) goes to a hash for snapshots.

Redis going away does not stop the feed: ticks are kept (up to ``backlog`` of them,
then the oldest are dropped and counted) and written when Redis is back, after the
whole snapshot is rewritten (a restarted Redis may have lost it). A Redis that
restarted between two writes raises nothing here (redis-py reconnects), so once a
second the relay stamps ``beat`` into the meta hash: when that field was new, the
meta hash had been lost (a restart, or an eviction) and meta and snapshot are
rewritten at once. Needs ``redis`` (the ``relay`` extra).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import msgspec

from monitor.core.book import QuoteBook
from monitor.core.master import SymbolMaster
from monitor.core.protocols.relay import Keys, encode_entry, encode_tick, shard_of
from monitor.core.quotes import Tick
from monitor.feed.config import FeedConfig
from monitor.service.session import FeedSession

__all__ = ["Relay", "RelayStats"]

_CHUNK = 20_000  # ticks per publish at most
BEAT_S = 1.0  # seconds between heartbeats in the meta hash

log = logging.getLogger(__name__)


@dataclass
class RelayStats:
    published: int = 0  # ticks written to Redis
    entries: int = 0
    dropped: int = 0  # ticks lost while Redis was unreachable (backlog full)
    redis_errors: int = 0
    last_error: str = ""


class Relay:
    def __init__(
        self,
        cfg: FeedConfig,
        symbols: Sequence[str],
        redis_url: str,
        *,
        master: SymbolMaster | None = None,
        wildcard: bool = False,
        shards: int = 4,
        maxlen: int = 12_000,  # entries per shard: ~10 minutes of 50 ms frames
        frame_ms: float = 50.0,
        backlog: int = 1_000_000,
        prefix: str = "ashare",
    ) -> None:
        import redis.asyncio as aioredis

        self.cfg = cfg
        self.symbols = list(symbols)
        self.wildcard = wildcard
        self.master = master or SymbolMaster()
        self.redis = aioredis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
        self.redis_url = redis_url
        self.keys = Keys(prefix)
        self.shards = shards
        self.maxlen = maxlen
        self.frame_ms = frame_ms
        self.backlog = backlog
        self.id = uuid.uuid4().hex[:12]
        self.seq = [0] * shards
        self.stats = RelayStats()
        self.book = QuoteBook(self.master)
        self.session: FeedSession | None = None
        self._buffer: list[Tick] = []
        self._skipped: set[int] = set()  # shards that lost ticks: their next seq jumps
        self._announced: dict[str, float] = {}  # previous closes sent with a tick
        self._snapshot_due = True  # rewrite the whole snapshot (start, Redis back)
        self._started = False
        self._beat_at = -BEAT_S  # monotonic time of the last heartbeat written

    # --- the tick path ---------------------------------------------------------------
    def _tap(self, ticks: list[Tick], _received_ms: float) -> None:
        self._buffer.extend(ticks)
        if len(self._buffer) > self.backlog:  # Redis away for long: keep the newest
            extra = len(self._buffer) - self.backlog
            for t in self._buffer[:extra]:  # a sequence number each: gateways see a gap
                self._skipped.add(shard_of(t.symbol, self.shards))
            del self._buffer[:extra]
            self.stats.dropped += extra

    def _quote(self, symbol: str) -> Tick | None:
        """The book's latest for ``symbol`` as a tick carrying its day and reference."""
        b = self.book
        r = b.row_of(symbol)
        if r is None or not b.ticks[r]:
            return None

        def known(v: float) -> float | None:
            return v if v == v else None

        return Tick(
            symbol,
            b.last[r],
            b.time_ms[r],
            0.0,
            0.0,
            b.seq[r],
            b.volume[r],
            b.turnover[r],
            known(b.prev_close[r]),
            known(b.open[r]),
            known(b.high[r]),
            known(b.low[r]),
        )

    # --- running ---------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Open the upstream session and publish until ``stop`` is set."""
        session = FeedSession(self.cfg, self.book, self.master)
        self.session = session
        session.taps.append(self._tap)
        session.set_symbols(self.symbols, wildcard=self.wildcard)
        await session.start()
        log.info("relay %s: %d symbols from %s", self.id, len(self.symbols), self.cfg.public_url())
        try:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.frame_ms / 1000)
                await self.publish()
        finally:
            await session.stop()
            with contextlib.suppress(Exception):
                await self.publish()
            await self.redis.aclose()

    async def publish(self) -> int:
        """Write the buffered ticks (and the snapshot when due); returns ticks written.

        At most ``_CHUNK`` ticks a call: after an outage the backlog goes out in pieces
        that each fit the socket timeout."""
        ticks, self._buffer = self._buffer[:_CHUNK], self._buffer[_CHUNK:]
        try:
            await self._beat()
            if self._snapshot_due:
                await self._write_snapshot()
            if not ticks:
                return 0
            await self._write(ticks)
        except Exception as e:  # redis-py raises ConnectionError, TimeoutError, …
            self._buffer[:0] = ticks  # kept for when Redis is back
            self.stats.redis_errors += 1
            self._snapshot_due = True
            if self.stats.last_error != str(e):
                log.warning("relay: Redis unavailable (%s); ticks kept, retrying", e)
            self.stats.last_error = str(e)
            await asyncio.sleep(min(1.0, self.frame_ms / 1000 * 10))
            return 0
        if self.stats.last_error:
            log.info("relay: Redis is back")
            self.stats.last_error = ""
        return len(ticks)

    async def _beat(self) -> None:
        """Stamp the meta hash once a second; a stamp that is a new field means Redis
        lost the hash since the last one (it restarted or evicted it): rewrite it all."""
        now = time.monotonic()
        if now - self._beat_at < BEAT_S:
            return
        added = await self.redis.hset(self.keys.meta, "beat", int(time.time() * 1000))
        self._beat_at = now
        if added and self._started:
            log.warning("relay: Redis lost the relay's keys (restarted or evicted); rewriting")
            self._snapshot_due = True

    async def _write(self, ticks: list[Tick]) -> None:
        ticks, announced = self._with_reference(ticks)
        by_shard: dict[int, list[Tick]] = {}
        for t in ticks:
            by_shard.setdefault(shard_of(t.symbol, self.shards), []).append(t)
        latest = {
            sym: encode_tick(q)
            for sym in dict.fromkeys(t.symbol for t in ticks)
            if (q := self._quote(sym)) is not None
        }
        pipe = self.redis.pipeline(transaction=False)
        seqs = list(self.seq)
        for shard, group in by_shard.items():
            seqs[shard] += 2 if shard in self._skipped else 1
            pipe.xadd(
                self.keys.stream(shard),
                encode_entry(self.id, seqs[shard], group),  # type: ignore[arg-type]
                maxlen=self.maxlen,
                approximate=True,
            )
        if latest:
            pipe.hset(self.keys.last, mapping=latest)  # type: ignore[arg-type]
        await pipe.execute()
        self.seq = seqs  # only once written: a failed write is retried with the same seqs
        self._announced.update(announced)
        self._skipped -= set(by_shard)
        self.stats.published += len(ticks)
        self.stats.entries += len(by_shard)

    def _with_reference(self, ticks: list[Tick]) -> tuple[list[Tick], dict[str, float]]:
        """The ticks, the first of each symbol carrying the session's previous close when
        it is new (AllTick's comes from daily K-lines, possibly after the first ticks).
        Clients that subscribe later have it in their snapshot; a gateway passes it on
        to each client when it is new to that client. Returns the announcements made,
        recorded only once written."""
        b, announced = self.book, self._announced
        fresh: dict[str, float] = {}
        out = ticks
        for i, t in enumerate(ticks):
            sym = t.symbol
            if sym in fresh or (r := b.row_of(sym)) is None:
                continue
            pc = b.prev_close[r]
            if pc == pc and announced.get(sym) != pc and t.prev_close is None:
                if out is ticks:
                    out = list(ticks)  # copied only when something is announced
                out[i] = msgspec.structs.replace(t, prev_close=pc)
                fresh[sym] = pc
        return out, fresh

    async def _write_snapshot(self) -> None:
        snapshot = {
            sym: encode_tick(q) for sym in self.book.symbols if (q := self._quote(sym)) is not None
        }
        pipe = self.redis.pipeline(transaction=False)
        if not self._started:  # quotes of symbols an earlier relay followed are not ours
            pipe.delete(self.keys.last)
        pipe.hset(
            self.keys.meta,
            mapping={
                "relay": self.id,
                "shards": self.shards,
                "beat": int(time.time() * 1000),
                "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "upstream": self.cfg.public_url(),
            },
        )
        if snapshot:
            pipe.hset(self.keys.last, mapping=snapshot)  # type: ignore[arg-type]
        await pipe.execute()
        self._snapshot_due = False
        self._started = True
