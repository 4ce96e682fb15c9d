"""HTTP side-channels: the symbol master and AllTick daily K-lines (previous close).

AllTick pushes no previous close, so change % needs the daily K-line: the close of
the last session before today. On the real provider the batch endpoint (POST) costs
one request per up to ``batch_size`` codes; where it is not served (the simulator
speaks HTTP only through its WebSocket port, GET only) the single-code GET endpoint
is used with bounded concurrency. Blocking ``urllib`` runs in worker threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import http.client
import json
import logging
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from monitor.core.kline import Bar, Period, parse_bars
from monitor.core.master import MasterError, SymbolMaster
from monitor.core.quotes import SHANGHAI
from monitor.core.redact import redact
from monitor.feed.config import FeedConfig, is_loopback_host

__all__ = [
    "DayBar",
    "HttpError",
    "HttpPacer",
    "fetch_bars",
    "fetch_bytes",
    "fetch_daily",
    "fetch_master",
    "prev_close_from_klines",
]

log = logging.getLogger(__name__)
_GET_BATCH = 50


class HttpError(Exception):
    """An HTTP side-channel request failed; the message is safe to show (no token).

    ``status`` is the HTTP status where there was one (404: the provider does not
    serve this at all, so asking again will not help); ``ret`` the provider's code.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        ret: int | None = None,
        unserved: bool = False,
    ):
        super().__init__(message)
        self.status = status
        self.ret = ret
        # The server is there but does not offer this (404/405/501, or it hangs up on
        # the request: a WebSocket port taking no POST): another form may work.
        self.unserved = unserved or status in (404, 405, 501)

    @property
    def rate_limited(self) -> bool:
        return self.ret in (429, 605) or self.status == 429


@dataclass(frozen=True, slots=True)
class DayBar:
    """What the daily K-lines say about one symbol: previous close and today so far."""

    symbol: str
    prev_close: float | None
    open: float | None = None
    high: float | None = None
    low: float | None = None
    volume: float | None = None
    turnover: float | None = None


class _Watchdog:
    """Cuts a request's sockets at its deadline. ``urllib``'s timeout bounds each read,
    not the whole reply: a server trickling its status line or headers a byte at a time
    would hold a worker thread for ever. Shutting the socket down ends the read."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket | None) -> None:
        if sock is not None:
            self._socks.append(sock)
            if self.fired:
                self._fire()

    def _fire(self) -> None:
        self.fired = True
        for sock in self._socks:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _watched(base: type[http.client.HTTPConnection], dog: _Watchdog) -> Callable[..., Any]:
    """A connection class whose socket the watchdog can cut."""

    class Watched(base):  # type: ignore[misc,valid-type]
        def connect(self) -> None:
            super().connect()
            dog.watch(self.sock)

    return Watched


class _HTTP(urllib.request.HTTPHandler):
    def __init__(self, dog: _Watchdog) -> None:
        super().__init__()
        self.dog = dog

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.dog), req)


class _HTTPS(urllib.request.HTTPSHandler):
    def __init__(self, dog: _Watchdog, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self.dog = dog
        self.ctx = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPSConnection, self.dog), req, context=self.ctx)


def _opener(dog: _Watchdog, ca_file: str | None, direct: bool) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_HTTP(dog)]
    if direct:  # a server on this machine is never reached through a proxy
        handlers.append(urllib.request.ProxyHandler({}))
    handlers.append(_HTTPS(dog, ssl.create_default_context(cafile=ca_file)))
    return urllib.request.build_opener(*handlers)


def fetch_bytes(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    deadline: float = 30.0,
    timeout: float = 10.0,
    max_body: int = 32 << 20,
    ca_file: str | None = None,
    shown: str | None = None,
) -> bytes:
    """One request and its whole reply — status line and headers too — within
    ``deadline`` seconds (``timeout`` per socket operation) and ``max_body`` bytes
    (blocking: run it in a worker thread).

    Every failure — unreachable, HTTP error, a reply that trickles or never ends, one
    too large — is one :class:`HttpError` with a short reason naming ``shown`` (the
    URL with any secret redacted by the caller).
    """
    shown = shown or url[:120]
    try:
        req = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    except ValueError:
        raise HttpError(f"not a web address: {shown}", status=404) from None
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    host = urllib.parse.urlsplit(url).hostname or ""
    end = time.monotonic() + deadline
    too_slow = HttpError(f"reply from {shown} took longer than {deadline:g} s")
    with _Watchdog(deadline) as dog:
        try:
            with _opener(dog, ca_file, is_loopback_host(host)).open(
                req, timeout=min(timeout, deadline)
            ) as resp:
                chunks: list[bytes] = []
                size = 0
                while chunk := resp.read1(65536):
                    size += len(chunk)
                    if size > max_body:
                        raise HttpError(f"reply from {shown} is larger than {max_body:,} bytes")
                    if time.monotonic() > end:
                        raise too_slow
                    chunks.append(chunk)
                body = b"".join(chunks)
        except HttpError:
            raise
        except urllib.error.HTTPError as e:
            raise HttpError(f"HTTP {e.code} from {shown}", status=e.code) from None
        except (urllib.error.URLError, OSError, TimeoutError) as e:
            if dog.fired:
                raise too_slow from None
            reason = getattr(e, "reason", e)
            hung_up = isinstance(reason, http.client.RemoteDisconnected)
            raise HttpError(f"cannot reach {shown}: {reason}", unserved=hung_up) from None
        except Exception as e:  # http.client's IncompleteRead, a bad status line …
            if dog.fired:
                raise too_slow from None
            raise HttpError(f"bad reply from {shown}: {type(e).__name__}") from None
        if dog.fired:
            raise too_slow
    return body


def _get(
    cfg: FeedConfig,
    url: str,
    data: bytes | None = None,
    timeout: float = 10.0,
) -> Any:
    """One request to the provider within the config's deadline and size cap, as JSON;
    truncated or deeply nested JSON is an :class:`HttpError` too."""
    shown = redact(url, cfg.token)[:120]
    body = fetch_bytes(
        url,
        data=data,
        headers={"Content-Type": "application/json"} if data else None,
        deadline=cfg.http_deadline,
        timeout=timeout,
        max_body=cfg.http_max_body,
        ca_file=cfg.ca_file,
        shown=shown,
    )
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise HttpError(f"not JSON from {shown}") from None


async def fetch_master(cfg: FeedConfig) -> SymbolMaster:
    """The symbol master served at ``/symbols`` by the simulator (or a compatible server)."""
    data = await asyncio.to_thread(_get, cfg, cfg.http_url("/symbols"))
    try:
        return SymbolMaster.from_records(data)
    except (MasterError, ValueError, TypeError, OverflowError) as e:
        raise HttpError(f"bad symbol list: {str(e)[:160]}") from None


def _f(value: object) -> float | None:
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if v > 0 else None


def prev_close_from_klines(
    symbol: str, klines: Sequence[dict[str, Any]], today: dt.date | None = None
) -> DayBar:
    """Previous close = close of the latest daily K-line dated before today (China time).

    If the latest K-line is today's, its open/high/low/volume seed today's figures.
    """
    today = today or dt.datetime.now(SHANGHAI).date()
    prev: float | None = None
    bar_today: dict[str, Any] | None = None
    dated = []
    for k in klines:
        try:
            day = dt.datetime.fromtimestamp(int(k["timestamp"]), SHANGHAI).date()
        except (KeyError, TypeError, ValueError, OverflowError, OSError):
            continue
        dated.append((day, k))
    dated.sort(key=lambda p: p[0])
    for day, k in dated:
        if day < today:
            prev = _f(k.get("close_price"))
        elif day == today:
            bar_today = k
    if bar_today is None:
        return DayBar(symbol, prev)
    return DayBar(
        symbol,
        prev,
        _f(bar_today.get("open_price")),
        _f(bar_today.get("high_price")),
        _f(bar_today.get("low_price")),
        _f(bar_today.get("volume")),
        _f(bar_today.get("turnover")),
    )


def _kline_query(symbol: str) -> dict[str, Any]:
    return {
        "code": symbol,
        "kline_type": 8,
        "kline_timestamp_end": 0,
        "query_kline_num": 2,
        "adjust_type": 0,
    }


def _single(cfg: FeedConfig, symbol: str) -> DayBar:
    query = json.dumps({"trace": uuid.uuid4().hex, "data": _kline_query(symbol)})
    qs = urllib.parse.urlencode({"token": cfg.token or "", "query": query})
    reply = _get(cfg, cfg.http_url("/quote-stock-b-api/kline") + "?" + qs)
    if not isinstance(reply, dict) or reply.get("ret") != 200:
        ret = reply.get("ret") if isinstance(reply, dict) else None
        raise HttpError(
            f"kline for {symbol}: ret {ret} {reply.get('msg', '') if ret else ''}",
            ret=ret if isinstance(ret, int) else None,
        )
    data = reply.get("data") or {}
    return prev_close_from_klines(symbol, data.get("kline_list") or [])


def _batch(cfg: FeedConfig, symbols: Sequence[str], *, as_get: bool = False) -> list[DayBar]:
    body = json.dumps(
        {"trace": uuid.uuid4().hex, "data": {"data_list": [_kline_query(s) for s in symbols]}},
        separators=(",", ":"),
    )
    url = cfg.http_url("/quote-stock-b-api/batch-kline")
    if as_get:
        qs = urllib.parse.urlencode({"token": cfg.token or "", "query": body})
        reply = _get(cfg, f"{url}?{qs}")
    else:
        url += "?" + urllib.parse.urlencode({"token": cfg.token or ""})
        reply = _get(cfg, url, data=body.encode())
    if not isinstance(reply, dict) or reply.get("ret") != 200:
        ret = reply.get("ret") if isinstance(reply, dict) else None
        msg = str(reply.get("msg", ""))[:80] if isinstance(reply, dict) else ""
        raise HttpError(
            f"batch-kline: ret {ret if ret is not None else '?'} {msg}".rstrip(),
            ret=ret if isinstance(ret, int) else None,
        )
    out = []
    for item in (reply.get("data") or {}).get("kline_list") or []:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            out.append(prev_close_from_klines(item["code"], item.get("kline_data") or []))
    return out


class HttpPacer:
    """At most one HTTP request per ``interval`` seconds for one provider session: the
    plan's per-minute cap counts every HTTP interface together (previous closes and
    K-line charts share it)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        """Until the next request may go."""
        async with self._lock:
            loop = asyncio.get_running_loop()
            delay = self._next - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = loop.time() + self.interval

    def done(self) -> None:
        """A request has its answer: count the spacing from here too. A server counts
        from when a request reached it, which may be well after we sent it."""
        self._next = max(self._next, asyncio.get_running_loop().time() + self.interval)


def _bars(cfg: FeedConfig, symbol: str, period: Period, count: int) -> list[Bar]:
    query = json.dumps(
        {
            "trace": uuid.uuid4().hex,
            "data": {
                "code": symbol,
                "kline_type": period.alltick_type,
                "kline_timestamp_end": 0,
                "query_kline_num": count,
                "adjust_type": 0,
            },
        }
    )
    qs = urllib.parse.urlencode({"token": cfg.token or "", "query": query})
    reply = _get(cfg, cfg.http_url("/quote-stock-b-api/kline") + "?" + qs)
    if not isinstance(reply, dict) or reply.get("ret") != 200:
        ret = reply.get("ret") if isinstance(reply, dict) else None
        msg = str(reply.get("msg", ""))[:80] if isinstance(reply, dict) else ""
        raise HttpError(
            f"kline for {symbol}: ret {ret if ret is not None else '?'} {msg}".rstrip(),
            ret=ret if isinstance(ret, int) else None,
        )
    data = reply.get("data")
    items = data.get("kline_list") if isinstance(data, dict) else None
    bars, bad = parse_bars(items if isinstance(items, list) else [])
    if bad:
        log.warning("kline for %s: %d unusable bars skipped", symbol, bad)
    return bars


async def fetch_bars(
    cfg: FeedConfig, symbol: str, period: Period, count: int, pacer: HttpPacer | None = None
) -> list[Bar]:
    """``count`` daily / weekly / monthly K-lines of ``symbol`` (AllTick ``/kline``), oldest
    first; a rate limit (605) is waited out and asked again, up to three times."""
    for attempt in range(4):
        if pacer is not None:
            await pacer.wait()
        try:
            return await asyncio.to_thread(_bars, cfg, symbol, period, count)
        except HttpError as e:
            if not e.rate_limited or attempt == 3:
                raise
            await asyncio.sleep(max(1.0, cfg.http_interval) * (attempt + 1))
        finally:
            if pacer is not None:
                pacer.done()
    raise AssertionError("unreachable")


async def fetch_daily(
    cfg: FeedConfig,
    symbols: Sequence[str],
    on_bar: Callable[[DayBar], None],
    *,
    batch_size: int | None = None,
    batch_interval: float | None = None,
    stop: asyncio.Event | None = None,
    pacer: HttpPacer | None = None,
    batch_pacer: HttpPacer | None = None,
) -> int:
    """Fetch daily bars for ``symbols``, calling ``on_bar`` as each arrives; returns the count.

    Tries AllTick's batch endpoint (POST) first; then the same batch as a GET with a
    ``query`` parameter (the simulator's form: its HTTP runs through the WebSocket port,
    which takes no request bodies); then one GET per code. Failures are logged, skipped.
    ``stop`` ends it between requests: a worker thread cannot be cancelled, so owners
    set it and wait rather than cancel. ``pacer`` spaces every HTTP request (the plan's
    per-minute cap), ``batch_pacer`` the batch requests (the plan's batch spacing) —
    across calls too, when the owner keeps them.
    """
    done = 0
    symbols = list(symbols)
    if not symbols:
        return 0
    interval = cfg.kline_interval if batch_interval is None else batch_interval
    batch_size = cfg.kline_batch if batch_size is None else batch_size
    for as_get in (False, True):
        if batch_size <= 1:
            break
        # A GET carries the batch in its URL, which servers cap at about 8 KB.
        size = min(batch_size, _GET_BATCH) if as_get else batch_size
        try:
            for i in range(0, len(symbols), size):
                chunk = symbols[i : i + size]
                for attempt in range(6):
                    if stop is not None and stop.is_set():
                        return done
                    if attempt:  # a rate limit: wait longer each time
                        await asyncio.sleep(interval * (attempt + 1))
                    if batch_pacer is not None:
                        await batch_pacer.wait()
                    elif i and not attempt:  # the provider's spacing between batch requests
                        await asyncio.sleep(interval)
                    if pacer is not None:
                        await pacer.wait()
                    try:
                        bars = await asyncio.to_thread(_batch, cfg, chunk, as_get=as_get)
                        break
                    except HttpError as e:
                        if not e.rate_limited or attempt == 5:
                            raise
                        log.info("batch K-lines: %s; the same request again later", e)
                    finally:
                        for p in (pacer, batch_pacer):
                            if p is not None:
                                p.done()
                for bar in bars:
                    on_bar(bar)
                    done += 1
            return done
        except HttpError as e:
            if done or not e.unserved:
                # A rate limit, an unreachable host, a failure after some batches worked:
                # the caller retries later. Falling back to one request per code would
                # only multiply the requests against the same limits.
                raise
            log.info("batch K-lines (%s) not served: %s", "GET" if as_get else "POST", e)
    log.info("using one K-line request per code, %.2f s apart", cfg.http_interval)
    failures = 0
    for sym in symbols:
        if stop is not None and stop.is_set():
            break
        if pacer is not None:
            await pacer.wait()
        try:
            bar = await asyncio.to_thread(_single, cfg, sym)
        except HttpError as e:
            if e.status == 404 or e.rate_limited:
                raise  # not served at all, or too fast: per code is no better
            failures += 1
            if failures <= 3:
                log.warning("%s", e)
            continue
        finally:
            if pacer is not None:
                pacer.done()
            else:
                await asyncio.sleep(cfg.http_interval)  # the plan's per-minute cap
        on_bar(bar)
        done += 1
    if failures:
        log.warning("daily K-line: %d of %d symbols failed", failures, len(symbols))
    return done
