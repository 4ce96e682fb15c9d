"""The seed article's batch-subscribe JSON protocol, sans-I/O.

Client -> server: ``{"action":"subscribe","symbols":[...]}`` or the comma-string form
``{"action":"subscribe","symbols":"000001,600036"}``, ``"*"`` for the whole market,
and ``{"action":"unsubscribe","symbols":...}``. Subscriptions are incremental.
Server -> client: ``{"ticks":[{"code","price","time",...}, ...]}``; a bare tick object
and control messages (``{"event":"subscribed",...}``, ``{"event":"error",...}``) are
accepted too. Optional tick fields: volume, turnover, seq, prev_close, open, high, low,
name, day_volume, day_turnover; ``bids`` / ``asks`` (lists of ``[price, volume]`` or
``{"price","volume"}``, best first) when the server sends an order book with the tick.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import msgspec

from monitor.core.protocols.base import Event, ProtocolSpec, Subscription
from monitor.core.protocols.errors import ProtocolError, ProviderError, UnknownSymbolError
from monitor.core.quotes import MAX_SEQ, SHANGHAI, Depth, Tick, depth_levels, normalize_epoch_ms
from monitor.core.symbols import SymbolError, normalize

__all__ = [
    "SPEC",
    "WILDCARD",
    "BatchCodec",
    "Notice",
    "ServerSubscription",
    "decode",
    "encode_ticks",
    "subscribe",
    "tick_fields",
    "unsubscribe",
]

WILDCARD = "*"
ListForm = Literal["array", "string"]
CodeStyle = Literal["suffixed", "bare"]


@dataclass(frozen=True, slots=True)
class Notice:
    """A control message from the server: an ack, an error, anything not a tick."""

    kind: str
    message: str
    error: ProviderError | None = None


Num = float | str | None


class _Tick(msgspec.Struct):
    code: str
    price: float | str
    time: float | str = 0
    volume: Num = None
    turnover: Num = None
    seq: int | str | None = None
    prev_close: Num = None
    open: Num = None
    high: Num = None
    low: Num = None
    name: str | None = None
    day_volume: Num = None
    day_turnover: Num = None
    bids: msgspec.Raw = msgspec.Raw()  # empty when absent; decoded only when asked for
    asks: msgspec.Raw = msgspec.Raw()


class _Message(msgspec.Struct):
    ticks: list[_Tick] | None = None
    event: str | None = None
    action: str | None = None
    type: str | None = None
    message: str | None = None
    msg: str | None = None
    code: str | int | None = None
    price: float | str | None = None
    time: float | str | None = None


_decoder = msgspec.json.Decoder(_Message)
_tick_decoder = msgspec.json.Decoder(_Tick)
_encoder = msgspec.json.Encoder()


# Provider code -> canonical symbol, filled on first sight. Bounded by the market (and
# by _SEEN_MAX against a feed that sends endless garbage codes).
_SEEN: dict[str, str] = {}
_SEEN_MAX = 65536


def _num(value: Num, field: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        v = float(value)
    except ValueError:
        raise ProtocolError(f"{field} is not a number: {value!r}") from None
    if not math.isfinite(v):
        raise ProtocolError(f"{field} is not finite: {value!r}")
    return v


def parse_time(value: float | str, now_ms: int | None = None) -> int:
    """Epoch s/ms (number or numeric string), ISO 8601, or ``HH:MM:SS`` (today, China time)."""
    if isinstance(value, int | float):
        try:
            return normalize_epoch_ms(value)
        except ValueError as e:
            raise ProtocolError(str(e)) from None
    text = value.strip()
    try:
        return normalize_epoch_ms(float(text))
    except ValueError:
        pass
    try:
        if len(text) <= 12 and ":" in text:
            t = dt.time.fromisoformat(text)
            base = (
                dt.datetime.fromtimestamp(now_ms / 1000, SHANGHAI)
                if now_ms
                else dt.datetime.now(SHANGHAI)
            )
            stamp = dt.datetime.combine(base.date(), t, SHANGHAI)
        else:
            stamp = dt.datetime.fromisoformat(text)
            if stamp.tzinfo is None:
                stamp = stamp.replace(tzinfo=SHANGHAI)
        return int(stamp.timestamp() * 1000)
    except (ValueError, OverflowError):
        raise ProtocolError(f"time is not a timestamp: {value!r}") from None


def _known(v: Num, what: str) -> float:
    """A trade's volume or turnover; NaN when the server did not send it (unknown, not 0)."""
    f = _finite(v, what)
    return math.nan if f is None else f


def _finite(value: Num, field: str) -> float | None:
    """A number field: the common case (a finite float, or absent) without a call to _num."""
    if value.__class__ is float and value - value == 0.0:  # finite
        return value
    if value is None:
        return None
    return _num(value, field)


def _tick(t: _Tick, now_ms: int) -> Tick:
    code = t.code
    symbol = _SEEN.get(code)
    if symbol is None:
        try:
            symbol = normalize(code)
        except SymbolError as e:
            raise UnknownSymbolError(f"tick for {e}") from None
        if len(_SEEN) >= _SEEN_MAX:
            _SEEN.clear()
        _SEEN[code] = symbol
    price = _finite(t.price, "price")
    if price is None:
        raise ProtocolError("tick without a price")
    seq = t.seq
    if seq is None:
        seq = 0
    elif isinstance(seq, str):
        if len(seq) > 30:
            raise ProtocolError("seq is too long to be a number")
        try:
            seq = int(seq)
        except ValueError:
            raise ProtocolError(f"seq is not an integer: {str(t.seq)[:30]!r}") from None
    if not 0 <= seq <= MAX_SEQ:
        raise ProtocolError(f"seq out of range: {str(seq)[:30]}")
    tm = t.time
    if not tm:
        time_ms = now_ms
    elif tm.__class__ is float and 0 < tm < 1e14:
        time_ms = int(tm * 1000) if tm < 1e11 else int(tm)
    elif isinstance(tm, str) and len(tm) > 40:
        raise ProtocolError("time is too long to be a timestamp")
    else:
        time_ms = parse_time(tm, now_ms)
    # Trade pushes rarely carry day fields: one test instead of six conversions.
    pc, op, hi, lo, dv, dt_ = t.prev_close, t.open, t.high, t.low, t.day_volume, t.day_turnover
    if pc is None and op is None and hi is None and lo is None and dv is None and dt_ is None:
        return Tick(
            symbol,
            price,
            time_ms,
            _known(t.volume, "volume"),
            _known(t.turnover, "turnover"),
            seq,
            name=t.name,
        )
    return Tick(
        symbol=symbol,
        price=price,
        time_ms=time_ms,
        volume=_known(t.volume, "volume"),
        turnover=_known(t.turnover, "turnover"),
        seq=seq,
        day_volume=_finite(dv, "day_volume"),
        day_turnover=_finite(dt_, "day_turnover"),
        prev_close=_finite(pc, "prev_close"),
        open=_finite(op, "open"),
        high=_finite(hi, "high"),
        low=_finite(lo, "low"),
        name=t.name,
    )


def _depth(raw: _Tick, tick: Tick) -> Depth:
    try:
        bids = depth_levels(msgspec.json.decode(raw.bids), "bids") if raw.bids else ()
        asks = depth_levels(msgspec.json.decode(raw.asks), "asks") if raw.asks else ()
    except (msgspec.DecodeError, RecursionError, ValueError) as e:
        raise ProtocolError(f"bad order book: {e}") from None
    return Depth(tick.symbol, tick.time_ms, bids, asks)


def decode(
    frame: str | bytes,
    now_ms: int = 0,
    depths: list[Depth] | None = None,
    depth_symbols: Container[str] = (),
) -> tuple[list[Tick], Notice | None]:
    """Decode one frame into ticks or a control notice; raises :class:`ProtocolError`.

    ``now_ms`` stamps ticks that carry no time. A batch with one bad tick keeps the
    good ones; the frame fails only when none survive. Order books sent with ticks
    are appended to ``depths`` for the symbols in ``depth_symbols`` (the one selected:
    the others' are not parsed at all); a bad book costs the book, never the trade.
    """
    try:
        m = _decoder.decode(frame)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as e:
        raise ProtocolError(f"not a batch-protocol message: {e}") from None
    if m.ticks is not None:
        out: list[Tick] = []
        first_error: ProtocolError | None = None
        for raw in m.ticks:
            try:
                t = _tick(raw, now_ms)
            except ProtocolError as e:
                first_error = first_error or e
                continue
            out.append(t)
            if depths is not None and (raw.bids or raw.asks) and t.symbol in depth_symbols:
                with contextlib.suppress(ProtocolError):
                    depths.append(_depth(raw, t))
        if not out and first_error is not None:
            raise first_error
        return out, None
    if m.code is not None and m.price is not None:
        try:
            single = _tick_decoder.decode(frame)
        except (msgspec.DecodeError, RecursionError) as e:
            raise ProtocolError(f"bad tick: {e}") from None
        t = _tick(single, now_ms)
        if depths is not None and (single.bids or single.asks) and t.symbol in depth_symbols:
            with contextlib.suppress(ProtocolError):
                depths.append(_depth(single, t))
        return [t], None
    kind = m.event or m.action or m.type
    if kind is None:
        raise ProtocolError("message has neither ticks nor an event")
    text = m.message or m.msg or ""
    err = None
    if kind.lower() == "error":
        code = m.code if isinstance(m.code, int) else 400
        err = ProviderError(code, text or "server error")
    return [], Notice(kind, text, err)


def _symbols_field(symbols: Iterable[str], form: ListForm, style: CodeStyle) -> list[str] | str:
    codes = [s.split(".")[0] if style == "bare" else s for s in symbols]
    if codes == [WILDCARD]:
        return WILDCARD
    return ",".join(codes) if form == "string" else codes


def subscribe(
    symbols: Iterable[str], form: ListForm = "array", style: CodeStyle = "suffixed"
) -> str:
    """A subscribe request adding ``symbols`` (``["*"]`` means the whole market)."""
    return _encoder.encode(
        {"action": "subscribe", "symbols": _symbols_field(symbols, form, style)}
    ).decode()


def unsubscribe(
    symbols: Iterable[str], form: ListForm = "array", style: CodeStyle = "suffixed"
) -> str:
    """An unsubscribe request removing ``symbols``."""
    return _encoder.encode(
        {"action": "unsubscribe", "symbols": _symbols_field(symbols, form, style)}
    ).decode()


_OPTIONAL = ("day_volume", "day_turnover", "prev_close", "open", "high", "low")


def tick_fields(t: Tick, *, prev_close: bool = True) -> dict[str, object]:
    """A tick as a batch-protocol server sends it (what :func:`decode` reads back);
    fields that are unknown are left out, ``prev_close`` too unless asked for."""
    out: dict[str, object] = {"code": t.symbol, "price": t.price, "time": t.time_ms}
    if t.volume == t.volume:  # NaN: never sent, so not sent on
        out["volume"] = t.volume
    if t.turnover == t.turnover:
        out["turnover"] = t.turnover
    if t.seq:
        out["seq"] = t.seq
    for key in _OPTIONAL if prev_close else _OPTIONAL[:2] + _OPTIONAL[3:]:
        v = getattr(t, key)
        if v is not None:
            out[key] = v
    return out


def encode_ticks(ticks: list[dict[str, object]]) -> bytes:
    """A push frame as the server sends it (used by the simulator and tests)."""
    return _encoder.encode({"ticks": ticks})


MAX_REQUEST = 1 << 20  # bytes of one client request: the whole market is ~70 KB


def request_json(frame: str | bytes) -> object:
    """A client request's JSON, for servers (the simulator, replay, gateway): too large,
    too deeply nested or not JSON is a :class:`ProtocolError` (one line to the client),
    never a traceback."""
    if len(frame) > MAX_REQUEST:
        raise ProtocolError(f"request too large ({len(frame):,} bytes; at most {MAX_REQUEST:,})")
    try:
        return msgspec.json.decode(frame)
    except (msgspec.DecodeError, UnicodeDecodeError) as e:
        raise ProtocolError(f"invalid JSON: {e}") from None
    except RecursionError:
        raise ProtocolError("invalid JSON: nested too deeply") from None


def parse_request(frame: str | bytes) -> tuple[str, list[str] | Literal["*"]]:
    """Server side: ``(action, symbols)`` from a client request; ``"*"`` for all.

    Raises :class:`ProtocolError` naming what was wrong (used by the simulator).
    """
    msg = request_json(frame)
    if not isinstance(msg, dict):
        raise ProtocolError("request must be a JSON object")
    action = msg.get("action")
    if action not in ("subscribe", "unsubscribe"):
        raise ProtocolError(f"unknown action {action!r} (expected subscribe or unsubscribe)")
    raw = msg.get("symbols")
    if raw in (WILDCARD, [WILDCARD]):
        return str(action), "*"
    if isinstance(raw, str):
        items = [s for s in (p.strip() for p in raw.split(",")) if s]
    elif isinstance(raw, list) and all(isinstance(s, str) for s in raw):
        items = raw
    else:
        raise ProtocolError("symbols must be an array of strings, a comma string or '*'")
    return str(action), items


@dataclass(eq=False)
class ServerSubscription:
    """One client's subscription as a batch-protocol server keeps it (the replay server
    and the relay's gateway): incremental, codes normalised, ``*`` for everything."""

    symbols: set[str] = field(default_factory=set)
    everything: bool = False

    def wants(self, symbol: str) -> bool:
        return self.everything or symbol in self.symbols

    def apply(self, message: str | bytes) -> tuple[str, list[str], list[str]]:
        """Apply a client's request: ``(action, codes, newly subscribed codes)``, codes
        ``["*"]`` for the whole market. Raises :class:`ProtocolError` naming what was wrong."""
        action, symbols = parse_request(message)
        if symbols == WILDCARD:
            self.everything = action == "subscribe"
            return action, [WILDCARD], [WILDCARD] if self.everything else []
        codes = []
        for raw in symbols:
            try:
                codes.append(normalize(raw))
            except SymbolError as e:
                raise ProtocolError(f"not a code: {raw!r} ({e})") from None
        if action == "subscribe":
            new = [c for c in codes if c not in self.symbols]
            self.symbols.update(codes)
            return action, codes, new
        self.symbols.difference_update(codes)
        return action, codes, []


class BatchCodec:
    """One batch-protocol connection: subscriptions are incremental, so only the
    difference is sent (unsubscribe first, so that a following ``*`` is not undone)."""

    def __init__(self, list_form: ListForm = "array", code_style: CodeStyle = "suffixed") -> None:
        self.form: ListForm = list_form
        self.style: CodeStyle = code_style
        self.depth: set[str] = set()  # whose order books to read, when the server sends them
        self._depths: list[Depth] = []

    def decode(self, frame: str | bytes, now_ms: int) -> tuple[list[Tick], Event | None]:
        depths = self._depths if self.depth else None  # books only for the selection
        if depths:  # left by a frame that failed half-way
            depths.clear()
        ticks, notice = decode(frame, now_ms, depths, self.depth)
        if depths:
            event = Event(depths=tuple(depths))
            depths.clear()
            return ticks, event
        if notice is None:
            return ticks, None
        return ticks, Event(error=notice.error, text=notice.message)

    def plan(
        self,
        sent: Subscription,
        want: Sequence[str],
        wildcard: bool,
        resend: bool,
        depth: Sequence[str] = (),
    ) -> list[str]:
        # No order-book request in this protocol: a server sends books with its ticks,
        # and only the wanted symbols' are read.
        self.depth = set(depth)
        wanted = set(want)
        added = [s for s in want if s not in sent.symbols or resend]
        removed = [s for s in sent.symbols if s not in wanted]
        frames = []
        if removed:
            frames.append(unsubscribe(removed, self.form, self.style))
        if wildcard != sent.wildcard or (resend and wildcard):
            verb = subscribe if wildcard else unsubscribe
            frames.append(verb([WILDCARD], self.form, self.style))
            sent.wildcard = wildcard
        if added:
            frames.append(subscribe(added, self.form, self.style))
        sent.symbols = wanted
        return frames

    def heartbeat(self) -> str | None:
        return None  # WebSocket pings


SPEC = ProtocolSpec(name="generic", codec=BatchCodec, wildcard=True, token_bound_to_url=True)
