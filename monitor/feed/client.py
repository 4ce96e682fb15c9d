"""The feed client: a pool of WebSocket connections that owns the whole subscription.

The pool splits the wanted symbols across connections when the provider caps codes
per connection (AllTick: 3,000), so 5,000+ symbols work and no connection is ever
sent more than its cap. Each connection:

- reconnects with exponential backoff and jitter, and resubscribes everything it owns
  on every new connection (the server remembers nothing);
- spaces subscription requests to the provider's limit and coalesces edits that
  arrive faster, sending one request with the final list (AllTick replaces the list,
  so it always gets the whole list; the batch protocol gets the difference);
- sends heartbeats and treats a connection that has gone silent past the protocol's
  timeout as dead;
- counts and logs bad frames and carries on; stops retrying only when the provider
  refuses the token or the entitlement, and says why;
- when the provider refuses a whole list for one code it does not serve (AllTick's 600),
  finds the refused codes by splitting the list within the same request spacing
  (:class:`~monitor.core.refusals.RefusalSearch`), keeps the rest subscribed, and
  reports them (:attr:`FeedPool.refused`); they are not sent again in this pool.

Ticks go to one synchronous sink (the quote book). Nothing here imports Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import itertools
import logging
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import (
    ConnectionClosed,
    InvalidHandshake,
    InvalidStatus,
    InvalidURI,
)

from monitor.core.errors import Reason
from monitor.core.protocols import ProtocolError, ProviderError, RateLimitError, TokenError
from monitor.core.protocols.base import Event, Subscription
from monitor.core.protocols.errors import CodeInvalidError
from monitor.core.quotes import Depth, Tick
from monitor.core.redact import RedactFilter, redact
from monitor.core.refusals import RefusalSearch
from monitor.feed.config import FeedConfig

__all__ = ["ConnectionState", "FeedPool", "FeedStats", "Phase", "PoolState", "RequestClock"]

log = logging.getLogger(__name__)
_YIELD_EVERY = 128  # frames read back-to-back before the reader lets other work run
# websockets logs the handshake request line (with ?token=) at debug level.
_ws_log = logging.getLogger("monitor.feed.ws")
_ws_log.addFilter(RedactFilter())

# (ticks, received wall ms, connection scope) -> how many the consumer applied.
TickSink = Callable[[list[Tick], float, int], int]
# Every connection session gets a scope no other has had in this process: a provider's
# seq is only comparable within the connection that issued it.
_SCOPES = itertools.count(1)
_SPACING_MARGIN = 1.05  # requests go at least 5 % later than the provider's minimum
_STABLE_AFTER = 5.0  # seconds live before an outage counts as new (backoff restarts)


class Phase(enum.StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    LIVE = "live"
    BACKOFF = "backoff"
    FAILED = "failed"
    STOPPED = "stopped"


@dataclass(frozen=True, slots=True)
class ConnectionState:
    """One connection's state; ``retry_at`` is wall-clock time for a countdown."""

    phase: Phase
    reason: str = ""  # English, for logs and reports
    retry_at: float = 0.0
    symbols: int = 0
    why: Reason | None = None  # the same reason as a template, for the UI to translate

    def seconds_left(self, now: float | None = None) -> float:
        return max(0.0, self.retry_at - (time.time() if now is None else now))


@dataclass(frozen=True, slots=True)
class PoolState:
    """The pool as a whole, plus each connection's state."""

    phase: Phase
    reason: str
    retry_at: float
    connections: tuple[ConnectionState, ...]
    why: Reason | None = None


@dataclass(slots=True)
class FeedStats:
    """Cumulative counters; rates are computed by whoever samples them."""

    ticks: int = 0  # decoded from frames
    applied: int = 0  # taken by the consumer (the book): what the status counts
    frames: int = 0
    bad_frames: int = 0
    bad_by_kind: dict[str, int] = field(default_factory=dict)
    reconnects: int = 0
    requests: int = 0
    rate_limited: int = 0
    last_error: str = ""
    last_tick: dict[str, float] = field(default_factory=dict)  # symbol -> wall time


@dataclass(slots=True)
class RequestClock:
    """When a token's last subscription request went (loop time) and on which WebSocket
    (its scope; 0: none yet): the provider's spacing across connections counts from it."""

    last: float = float("-inf")
    scope: int = 0


class _Ended(Exception):
    """A connection ended; ``why`` says how (a template the UI can translate)."""

    def __init__(self, template: str, *params: object) -> None:
        self.why = Reason(template, tuple(str(p) for p in params))
        super().__init__(str(self.why))


class _Fatal(_Ended):
    """Retrying cannot help (bad token, no entitlement, bad URL, bad certificate)."""


class _Lost(_Ended):
    """The connection dropped; it is retried."""


def _redacted(why: Reason, token: str | None) -> Reason:
    return Reason(why.template, tuple(redact(p, token) for p in why.params))


class _Connection:
    """One WebSocket of the pool and the symbols it owns."""

    def __init__(self, pool: FeedPool, number: int) -> None:
        self.pool = pool
        self.number = number
        self.cfg = pool.config
        self.desired: dict[str, None] = {}  # ordered set
        self.wildcard = False
        self.depth: list[str] = []  # order-book symbols (the first connection carries them)
        self.sent = Subscription()  # what the server has (a new connection: nothing)
        self.codec = self.cfg.codec()
        self.state = ConnectionState(Phase.IDLE)
        self.ws: ClientConnection | None = None
        self._wake = asyncio.Event()
        self._last_request = 0.0
        self._last_rx = 0.0
        self._resend = False
        self.task: asyncio.Task[None] | None = None
        self.sent_order: list[str] = []  # the list as last sent, for truncation checks
        self.sent_at = 0.0
        self.scope = 0
        self.search: RefusalSearch | None = None  # finding the codes a refusal was for

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        # get_event_loop: set_symbols() may be called from a (Qt) callback that runs
        # on this loop while it is between iterations.
        self.task = asyncio.get_event_loop().create_task(
            self._run(), name=f"feed-conn-{self.number}"
        )
        self.task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("feed connection %d crashed", self.number, exc_info=task.exception())

    async def stop(self) -> None:
        ws = self.ws
        self._closing = True
        if ws is not None:
            # A normal close (1000) first: cancelling the task inside the connection's
            # context would close it as an internal error (1011).
            with contextlib.suppress(Exception):
                await asyncio.wait_for(ws.close(1000, "client stopping"), 1.5)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self.task
        self._set(ConnectionState(Phase.STOPPED, symbols=len(self.desired)))

    def sync(self) -> None:
        """The desired list changed: send it (debounced, rate-spaced)."""
        self._wake.set()

    def _set(self, state: ConnectionState) -> None:
        self.state = state
        self.pool._state_changed()

    # --- main loop ---------------------------------------------------------------
    async def _run(self) -> None:
        delays: Iterator[float] | None = None
        while True:
            self._set(ConnectionState(Phase.CONNECTING, symbols=len(self.desired)))
            try:
                await self._connect_once()
                why = Reason("server closed the connection")
            except _Fatal as e:
                why = _redacted(e.why, self.cfg.token)
                msg = str(why)
                log.error("connection %d failed: %s", self.number, msg)
                self.pool.stats.last_error = msg
                self._set(ConnectionState(Phase.FAILED, msg, symbols=len(self.desired), why=why))
                return
            except asyncio.CancelledError:
                raise
            except Exception as e:  # every other failure is retried
                why = _redacted(_describe(e), self.cfg.token)
                if _policy_close(e) and not self._rate_limited_close:
                    # 1008 with no rate-limit reply before it: providers cut connections
                    # past the token's limit this way (AllTick: "immediately disconnected").
                    why = Reason(
                        "cut by the provider (code 1008{0}): more connections than the plan "
                        "allows? Another app or device may be using this token",
                        (why.params[1] if len(why.params) > 1 else "",),
                    )
            self._rate_limited_close = False
            if self._closing:  # our own normal close: no retry, no warning
                return
            reason = str(why)
            if self._live_since and time.monotonic() - self._live_since > _STABLE_AFTER:
                delays = None  # it worked for a while: start backoff from the bottom again
            self.ws = None
            if delays is None:
                delays = self.cfg.backoff()
            delay = next(delays)
            self.pool.stats.reconnects += 1
            self.pool.stats.last_error = reason
            log.warning("connection %d: %s; retrying in %.2f s", self.number, reason, delay)
            self._set(
                ConnectionState(Phase.BACKOFF, reason, time.time() + delay, len(self.desired), why)
            )
            await asyncio.sleep(delay)

    _live_since = 0.0
    _closing = False  # stop() is closing the connection
    _rate_limited_close = False  # a 606 came before the close: not a connection-limit cut

    async def _connect_once(self) -> None:
        cfg = self.cfg
        self._live_since = 0.0
        self.ws = None
        kwargs: dict[str, Any] = {
            "open_timeout": cfg.open_timeout,
            "max_size": cfg.max_frame,
            "compression": None,  # small JSON frames: deflate costs more CPU than it saves
            "user_agent_header": "ashare-monitor",
            "logger": _ws_log,
            # Closing waits for the server's close frame, which can sit behind a backlog
            # of ticks nobody reads any more: a stop must not hang for websockets' 10 s.
            "close_timeout": 1.0,
        }
        if cfg.is_loopback:
            kwargs["proxy"] = None
        if cfg.url.startswith("wss://"):
            ctx = ssl.create_default_context(cafile=cfg.ca_file)  # verifies by default
            kwargs["ssl"] = ctx
        if cfg.spec.own_heartbeat:
            kwargs["ping_interval"] = None  # the protocol's own heartbeat frames instead
        else:
            kwargs["ping_interval"] = cfg.heartbeat_interval
            kwargs["ping_timeout"] = cfg.heartbeat_timeout
        try:
            ws = await connect(cfg.connect_url(), **kwargs)
        except InvalidStatus as e:
            status = e.response.status_code
            if status in (401, 403):
                raise _Fatal("handshake refused: HTTP {0} (check the token)", status) from None
            raise _Lost("handshake refused: HTTP {0}", status) from None
        except InvalidURI as e:
            raise _Fatal("invalid URL: {0}", e) from None
        except ssl.SSLCertVerificationError as e:
            raise _Fatal("certificate verification failed: {0}", e.verify_message) from None
        async with ws:
            self.ws = ws
            self.scope = next(_SCOPES)
            self.sent, self.codec = Subscription(), cfg.codec()  # a new connection: nothing
            self.search = None  # a search starts again if the list is refused again
            self._last_rx = asyncio.get_running_loop().time()
            self._live_since = time.monotonic()
            self._set(ConnectionState(Phase.LIVE, symbols=len(self.desired)))
            self._wake.set()
            tasks = [
                asyncio.create_task(self._reader(ws)),
                asyncio.create_task(self._writer(ws)),
            ]
            if cfg.spec.own_heartbeat:
                tasks.append(asyncio.create_task(self._heartbeat(ws)))
            try:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            for t in done:
                exc = t.exception()
                if exc is not None:
                    raise exc

    # --- reading -----------------------------------------------------------------
    async def _reader(self, ws: ClientConnection) -> None:
        pool = self.pool
        stats = pool.stats
        loop = asyncio.get_running_loop()
        codec = self.codec
        last_tick = stats.last_tick
        scope = self.scope
        burst = 0
        try:
            async for frame in ws:
                # Frames already buffered are returned without suspending; after a backlog
                # (a flood, a GC pause) that could hold the loop — and the UI that shares
                # it — for hundreds of ms. Yield every few dozen frames instead.
                burst += 1
                if burst >= _YIELD_EVERY:
                    burst = 0
                    await asyncio.sleep(0)
                now = time.time()
                self._last_rx = loop.time()
                stats.frames += 1
                try:
                    ticks, event = codec.decode(frame, int(now * 1000))
                    if event is not None:
                        self._on_event(event)
                except _Fatal:
                    raise
                except Exception as e:  # one bad frame costs one frame, never the connection
                    pool._bad_frame(self.number, e, frame)
                    continue
                if ticks:
                    stats.ticks += len(ticks)
                    for t in ticks:
                        last_tick[t.symbol] = now
                    try:
                        stats.applied += pool.sink(ticks, now * 1000.0, scope)
                    except Exception:  # a consumer bug must not kill the feed
                        log.exception("tick sink failed")
        except ConnectionClosed as e:
            lost = _describe(e)
            raise _Lost(lost.template, *lost.params) from None
        code, text = ws.close_code, ws.close_reason
        raise _Lost("server closed the connection (code {0}{1})", code, f": {text}" if text else "")

    def _on_event(self, event: Event) -> None:
        if event.depths:
            on_depth = self.pool.on_depth
            if on_depth is not None:
                for d in event.depths:
                    try:
                        on_depth(d)
                    except Exception:  # a consumer bug must not kill the feed
                        log.exception("order-book sink failed")
            return
        err = event.error
        if event.acked:
            # The server has the request now: count its spacing from here. Timed from
            # our send, a request that reached a busy server late would make the next
            # one look early to it.
            now = asyncio.get_running_loop().time()
            self._last_request = max(self._last_request, now)
            self.pool._acked(self, now)
        if event.about in ("trades", "") and self._answered_trial(event, err):
            return
        if err is None:
            return
        self.pool.stats.last_error = str(err)
        if err.fatal:
            raise _Fatal("provider refused: {0}", err)
        if isinstance(err, RateLimitError):
            self._rate_limited_close = err.code == 606
            # The request was dropped: send the current list again, no sooner than the
            # provider's spacing (at least a second) from now.
            self.pool.stats.rate_limited += 1
            log.warning("connection %d rate-limited (%s); resending later", self.number, err)
            self._last_request = asyncio.get_running_loop().time() + max(
                0.0, 1.0 - self.cfg.min_request_interval
            )
            clock = self.pool.requests
            clock.last = max(clock.last, self._last_request)
            self._resend = True
            self._wake.set()
            return
        log.warning("connection %d: provider error %s", self.number, err)

    def _answered_trial(self, event: Event, err: ProviderError | None) -> bool:
        """A trade subscription refused for a code (start or go on finding which), or a
        trial of that search accepted; True when the event was that."""
        search = self.search
        if isinstance(err, CodeInvalidError):
            self.pool.stats.last_error = str(err)
            if search is None:
                refused = list(self.sent_order)
                if not refused:
                    return False
                search = self.search = RefusalSearch(refused)
                log.warning(
                    "connection %d: the provider refused the subscription (%s); "
                    "finding which of its %d codes it does not serve",
                    self.number,
                    err,
                    len(refused),
                )
            else:
                search.refused()
        elif err is None and event.acked and search is not None:
            search.accepted()
        else:
            return False
        if search.done:
            self.search = None
            self.pool._found_refused(self, search.refused_codes, search.trials)
        self.pool._state_changed()
        self._wake.set()
        return True

    # --- writing -----------------------------------------------------------------
    async def _writer(self, ws: ClientConnection) -> None:
        cfg = self.cfg
        pool = self.pool
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            if cfg.debounce > 0:
                await asyncio.sleep(cfg.debounce)
            self._wake.clear()
            frames = self._frames()
            for frame in frames:
                # The provider's spacing: on this connection, and across the token's
                # connections (AllTick: ≥ 1 s and ≥ 2–3 s). Connections take turns in
                # the order they asked, so a busy one cannot starve another's resubscribe.
                await pool._wait_turn(self, loop)
                await ws.send(frame)
                pool.stats.requests += 1
                pool._request_sent(self.number, frame)

    def _frames(self) -> list[str]:
        """Frames that bring the server from ``sent`` to ``desired`` (the codec plans
        them and updates ``sent``)."""
        search = self.search
        want = search.trial() if search is not None else list(self.desired)
        cap = self.pool.cap
        if cap is not None and len(want) > cap:  # the pool never does this
            log.error("connection %d asked for %d > cap %d", self.number, len(want), cap)
            want = want[:cap]
        resend, self._resend = self._resend, False
        frames = self.codec.plan(self.sent, want, self.wildcard, resend, self.depth)
        if frames:
            self.sent_order = want
            self.sent_at = time.time()
        return frames

    # --- liveness ----------------------------------------------------------------
    async def _heartbeat(self, ws: ClientConnection) -> None:
        cfg = self.cfg
        loop = asyncio.get_running_loop()
        while True:
            frame = self.codec.heartbeat()
            if frame is not None:
                await ws.send(frame)
            await asyncio.sleep(min(cfg.heartbeat_interval, cfg.heartbeat_timeout / 3))
            silent = loop.time() - self._last_rx
            if silent > cfg.heartbeat_timeout:
                raise _Lost("no reply for {0} s (heartbeat timeout)", f"{silent:.0f}")


def _policy_close(e: BaseException) -> bool:
    """The server closed with 1008 (policy violation)."""
    if isinstance(e, _Lost):
        closed_by_server = e.why.template in (
            "server closed the connection (code {0}{1})",
            "connection closed (code {0}{1})",
        )
        return closed_by_server and e.why.params[:1] == ("1008",)
    if isinstance(e, ConnectionClosed):
        return e.rcvd is not None and e.rcvd.code == 1008
    return False


def _frame_error_kind(err: Exception) -> str:
    """A short, stable name for why a frame was refused (the counters' keys).

    Codec errors start with what was wrong ("seq out of range: …", "tick_time: …",
    "not an AllTick message: …"); anything else is named by its exception type.
    """
    if isinstance(err, ProtocolError):
        return str(err).split(":", 1)[0][:40]
    return type(err).__name__


def _describe(e: BaseException) -> Reason:
    if isinstance(e, _Ended):
        return e.why
    if isinstance(e, ConnectionClosed):
        rcvd, sent = e.rcvd, e.sent
        if rcvd is not None:
            why = f": {rcvd.reason}" if rcvd.reason else ""
            return Reason("connection closed (code {0}{1})", (str(rcvd.code), why))
        if sent is not None:  # we closed it: a protocol error on our side of the wire
            why = f": {sent.reason}" if sent.reason else ""
            return Reason("connection closed by the client (code {0}{1})", (str(sent.code), why))
        return Reason("connection lost (no close frame)")
    if isinstance(e, TimeoutError | asyncio.TimeoutError):
        return Reason("timed out")
    if isinstance(e, ConnectionRefusedError):
        return Reason("connection refused")
    if isinstance(e, InvalidHandshake):
        return Reason("handshake failed: {0}", (str(e),))
    if isinstance(e, OSError):
        return Reason("network error: {0}", (str(e.strerror or e),))
    return Reason("{0}: {1}", (type(e).__name__, str(e)))


class FeedPool:
    """Owns the subscription and the connections that carry it."""

    def __init__(
        self,
        config: FeedConfig,
        sink: TickSink,
        *,
        on_state: Callable[[PoolState], None] | None = None,
        on_request: Callable[[int, str], None] | None = None,
        on_depth: Callable[[Depth], None] | None = None,
        requests: RequestClock | None = None,
    ) -> None:
        self.config = config
        self.sink = sink
        self.on_state = on_state
        self.on_request = on_request
        self.on_depth = on_depth
        self.stats = FeedStats()
        self.connections: list[_Connection] = []
        self.symbols: dict[str, None] = {}
        self.wildcard = False
        self.overflow: list[str] = []  # symbols beyond max_connections * max_codes
        self._started = False
        self._stopping: set[asyncio.Task[None]] = set()
        self.cap = config.max_codes  # lowered if the provider turns out to cap lower
        self.truncation_check_after = 15.0  # seconds after a subscription
        self._checker: asyncio.Task[None] | None = None
        # The token's last request, shared with the pools before and after this one for
        # the same provider (a restart or settings change): the provider counts the
        # spacing across all of the token's connections, closed ones included.
        self.requests = requests if requests is not None else RequestClock()
        self._turns: list[_Connection] = []  # connections waiting to send, first come first
        # Codes the provider refused (it does not serve them), found in this pool or
        # known from before (the owner passes the day's for the same provider): never
        # sent; ``not_served`` are those among the symbols asked for.
        self.refused: dict[str, None] = {}
        self.not_served: list[str] = []
        self.on_refused: Callable[[list[str]], None] | None = None

    # --- public API --------------------------------------------------------------
    async def start(self) -> None:
        """Open the connections needed for the current subscription (at least one)."""
        self._started = True
        if not self.connections:
            self._add_connection()
        for c in self.connections:
            if c.task is None:
                c.start()
        if self.cap is not None and self._checker is None:
            self._checker = asyncio.get_event_loop().create_task(self._watch_truncation())

    async def stop(self) -> None:
        self._started = False
        if self._checker is not None:
            self._checker.cancel()
            self._checker = None
        await asyncio.gather(*(c.stop() for c in self.connections))

    # --- silent truncation ---------------------------------------------------------
    async def _watch_truncation(self) -> None:
        while True:
            await asyncio.sleep(max(0.05, self.truncation_check_after / 3))
            try:
                self.check_truncation()
            except Exception:
                log.exception("truncation check failed")

    def check_truncation(self) -> int | None:
        """Detect a provider that silently keeps only the first N codes of a list.

        AllTick ignores codes beyond the plan's per-connection limit without an error.
        If, well after a subscription, exactly a prefix of the list has ticked and a
        large tail never has, lower the cap to that prefix and re-split the symbols
        over more connections. Returns the new cap when it changed.
        """
        now = time.time()
        last = self.stats.last_tick
        for c in self.connections:
            order = c.sent_order
            if not order or c.state.phase is not Phase.LIVE:
                continue
            if now - c.sent_at < self.truncation_check_after:
                continue
            ticked = [s in last and last[s] >= c.sent_at - 5 for s in order]
            k = sum(ticked)
            tail = len(order) - k
            truncated = k > 0 and all(ticked[:k]) and tail >= max(20, len(order) // 10)
            if truncated and (self.cap is None or k < self.cap):
                self.cap = k
                self.stats.last_error = (
                    f"the provider delivers only the first {k} codes per connection; "
                    f"re-split over more connections"
                )
                log.warning("%s", self.stats.last_error)
                self._reshard()
                return k
        return None

    def _reshard(self) -> None:
        """Re-split every symbol over connections of at most ``cap`` codes."""
        cap = self.cap or len(self.symbols) or 1
        symbols = list(self.symbols)
        chunks = [symbols[i : i + cap] for i in range(0, len(symbols), cap)] or [[]]
        while len(self.connections) < min(len(chunks), self.config.max_connections):
            self._add_connection()
        for i, c in enumerate(self.connections):
            c.desired = dict.fromkeys(chunks[i]) if i < len(chunks) else {}
            c.sent_order = []
            c.sync()
        self.overflow = [s for ch in chunks[len(self.connections) :] for s in ch]
        self._state_changed()

    def set_symbols(self, symbols: Iterable[str], *, wildcard: bool = False) -> None:
        """Make the subscription exactly ``symbols`` (canonical); cheap to call often.

        ``wildcard`` asks a batch-protocol server for the whole market (``"*"``).
        Symbols already placed stay on their connection; new ones fill connections
        with room, opening new ones up to ``max_connections``.
        """
        asked = list(symbols)
        refused = self.refused
        self.not_served = [s for s in asked if s in refused]
        new = dict.fromkeys(s for s in asked if s not in refused)
        cap = self.cap
        touched: set[_Connection] = set()
        if not self.connections:
            self._add_connection()
        for sym in [s for s in self.symbols if s not in new]:
            for c in self.connections:
                if sym in c.desired:
                    del c.desired[sym]
                    touched.add(c)
                    break
        self.overflow = []
        for sym in new:
            if sym in self.symbols:
                continue
            conn = next((c for c in self.connections if cap is None or len(c.desired) < cap), None)
            if conn is None:
                if len(self.connections) >= self.config.max_connections:
                    self.overflow.append(sym)
                    continue
                conn = self._add_connection()
            conn.desired[sym] = None
            touched.add(conn)
        for sym in self.overflow:
            del new[sym]
        if self.overflow:
            self.stats.last_error = (
                f"{len(self.overflow)} symbols not subscribed: over "
                f"{self.config.max_connections} connections x {cap} codes"
            )
            log.error("%s", self.stats.last_error)
        self.symbols = new
        if wildcard != self.wildcard:
            self.wildcard = wildcard
            self.connections[0].wildcard = wildcard
            touched.add(self.connections[0])
        # Drop connections that own nothing (keep the first so the feed stays up).
        for c in list(self.connections[1:]):
            if not c.desired:
                self.connections.remove(c)
                touched.discard(c)
                if c.task is not None:
                    stopping = asyncio.get_event_loop().create_task(c.stop())
                    self._stopping.add(stopping)
                    stopping.add_done_callback(self._stopping.discard)
        for c in touched:
            c.sync()
        self._state_changed()

    def set_depth(self, symbols: Sequence[str]) -> None:
        """Order books wanted (the selected symbols only). Where the protocol has a depth
        subscription (AllTick) the first connection asks for it, under the same
        per-connection limits and spacing as trades; where servers send books with
        their ticks (the batch protocol) every connection's codec reads those only."""
        if not self.connections:
            self._add_connection()
        want = list(dict.fromkeys(symbols))
        if self.cap is not None:
            want = want[: self.cap]
        targets = self.connections[:1] if self.config.spec.depth else self.connections
        for c in targets:
            if want != c.depth:
                c.depth = want
                c.sync()

    @property
    def state(self) -> PoolState:
        states = tuple(c.state for c in self.connections)
        phases = {s.phase for s in states}
        failed = [s for s in states if s.phase is Phase.FAILED]
        backoff = [s for s in states if s.phase is Phase.BACKOFF]
        if failed:
            return PoolState(Phase.FAILED, failed[0].reason, 0.0, states, failed[0].why)
        if backoff:
            first = min(backoff, key=lambda s: s.retry_at)
            return PoolState(Phase.BACKOFF, first.reason, first.retry_at, states, first.why)
        if phases == {Phase.LIVE}:
            return PoolState(Phase.LIVE, "", 0.0, states)
        if Phase.CONNECTING in phases:
            return PoolState(Phase.CONNECTING, "", 0.0, states)
        if phases <= {Phase.STOPPED}:
            return PoolState(Phase.STOPPED, "", 0.0, states)
        return PoolState(Phase.IDLE, "", 0.0, states)

    @property
    def finding_refused(self) -> tuple[int, int] | None:
        """While a refused list is being split: (codes found good so far, codes in the
        refused lists); None otherwise."""
        searches = [c.search for c in self.connections if c.search is not None]
        if not searches:
            return None
        return sum(len(s.good) for s in searches), sum(s.size for s in searches)

    def refuse(self, codes: Iterable[str]) -> None:
        """Codes known not to be served (the owner's memory of earlier sessions)."""
        self.refused.update(dict.fromkeys(codes))
        self.set_symbols(list(self.symbols) + self.not_served, wildcard=self.wildcard)

    def receiving(self, within: float | None = None) -> int:
        """Subscribed symbols that have ticked (within the last ``within`` seconds)."""
        last = self.stats.last_tick
        if within is None:
            return sum(1 for s in self.symbols if s in last)
        cutoff = time.time() - within
        return sum(1 for s in self.symbols if last.get(s, 0.0) >= cutoff)

    def connection_symbols(self) -> list[list[str]]:
        """Each connection's desired symbols (for tests and the status view)."""
        return [list(c.desired) for c in self.connections]

    # --- internals ---------------------------------------------------------------
    def _add_connection(self) -> _Connection:
        c = _Connection(self, len(self.connections))
        self.connections.append(c)
        if self._started:
            c.start()
        return c

    def _state_changed(self) -> None:
        if self.on_state is not None:
            try:
                self.on_state(self.state)
            except Exception:
                log.exception("state callback failed")

    def _next_slot(self, conn: _Connection) -> float:
        """Loop time from which ``conn`` may send its next request."""
        cfg = self.config
        # A margin over the provider's spacing: the server times arrivals, not sends, and
        # the previous request may have reached it later than this one will.
        own = conn._last_request + cfg.min_request_interval * _SPACING_MARGIN
        clock = self.requests
        if clock.scope in (0, conn.scope):
            return own
        return max(own, clock.last + cfg.cross_request_interval * _SPACING_MARGIN)

    async def _wait_turn(self, conn: _Connection, loop: asyncio.AbstractEventLoop) -> None:
        """Sleep until ``conn`` is first in line and its slot has come; then take it."""
        queue = self._turns
        queue.append(conn)
        try:
            while True:
                first = queue[0] is conn
                wait = self._next_slot(conn) - loop.time() if first else 0.05
                if first and wait <= 0:
                    break
                await asyncio.sleep(wait)
            self._took_slot(conn, loop.time())  # before the send's await: the slot is ours
        finally:
            queue.remove(conn)

    def _found_refused(self, conn: _Connection, codes: list[str], trials: int) -> None:
        """A search ended: ``codes`` are not served; the rest of the list stays."""
        for code in codes:
            self.refused[code] = None
            conn.desired.pop(code, None)
            if code in self.symbols:
                del self.symbols[code]
                self.not_served.append(code)
        shown = ", ".join(codes[:10]) + (" …" if len(codes) > 10 else "")
        self.stats.last_error = f"not served by this provider: {shown}" if codes else ""
        log.warning(
            "connection %d: %d codes not served by the provider (%s), found in %d requests; "
            "the other %d stay subscribed",
            conn.number,
            len(codes),
            shown,
            trials + 1,
            len(conn.desired),
        )
        if self.on_refused is not None and codes:
            try:
                self.on_refused(codes)
            except Exception:
                log.exception("refused-codes callback failed")

    def _acked(self, conn: _Connection, at: float) -> None:
        clock = self.requests
        if clock.scope == conn.scope:
            clock.last = max(clock.last, at)

    def _took_slot(self, conn: _Connection, at: float) -> None:
        conn._last_request = at
        self.requests.last = at
        self.requests.scope = conn.scope

    def _request_sent(self, number: int, frame: str) -> None:
        log.debug("connection %d sent %.200s", number, frame)
        if self.on_request is not None:
            self.on_request(number, frame)

    def _bad_frame(self, number: int, err: Exception, frame: str | bytes) -> None:
        """Count a frame that could not be used, by kind; log each kind once.

        Then one line per thousand, so a flood of garbage cannot fill the disk. The
        sample is cut short and has the token removed.
        """
        stats = self.stats
        stats.bad_frames += 1
        kind = _frame_error_kind(err)
        n = stats.bad_by_kind[kind] = stats.bad_by_kind.get(kind, 0) + 1
        stats.last_error = f"bad frame ({kind}): {str(err)[:120]}"
        if n == 1 or stats.bad_frames % 1000 == 0:
            shown = frame[:200] if isinstance(frame, str) else repr(frame[:200])
            log.warning(
                "connection %d: bad frame #%d (%s): %s: %s",
                number,
                stats.bad_frames,
                kind,
                str(err)[:200],
                redact(shown, self.config.token),
            )


# Re-exported for callers that want to catch them from the feed layer.
__all__ += ["ProviderError", "TokenError"]
