"""AllTick stock WebSocket codec (``/quote-stock-b-ws-api``), sans-I/O.

Commands: heartbeat 22000/22001, trade subscribe 22004/22005, depth (order book)
subscribe 22002/22003, cancel 22006/22007, trade push 22998, depth push 22999. A new
22004 (or 22002) *replaces* the connection's list of that kind (it does not add to
it), so callers always send the full list. Prices and volumes arrive as strings; ``seq`` and
``tick_time`` as int or numeric string, ``tick_time`` in seconds or milliseconds.
"""

from __future__ import annotations

import itertools
import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import msgspec

from monitor.core.protocols.base import Event, ProtocolSpec, Subscription
from monitor.core.protocols.errors import (
    ProtocolError,
    ProviderError,
    UnknownSymbolError,
    error_for_ret,
)
from monitor.core.quotes import MAX_SEQ, Depth, Tick, depth_levels, normalize_epoch_ms
from monitor.core.symbols import SymbolError, normalize

__all__ = [
    "CANCEL_ALL",
    "CANCEL_DEPTH",
    "CANCEL_TRADE",
    "HEARTBEAT",
    "HEARTBEAT_ACK",
    "PATH",
    "SPEC",
    "SUBSCRIBE_TRADE",
    "SUBSCRIBE_TRADE_ACK",
    "TRADE_PUSH",
    "AllTickCodec",
    "Reply",
    "cancel",
    "decode",
    "decode_depth",
    "encode_depth_push",
    "encode_trade_push",
    "heartbeat",
    "subscribe_depth",
    "subscribe_trades",
]

PATH = "/quote-stock-b-ws-api"
HEARTBEAT, HEARTBEAT_ACK = 22000, 22001
SUBSCRIBE_DEPTH, SUBSCRIBE_DEPTH_ACK = 22002, 22003
SUBSCRIBE_TRADE, SUBSCRIBE_TRADE_ACK = 22004, 22005
CANCEL, CANCEL_ACK = 22006, 22007
TRADE_PUSH, DEPTH_PUSH = 22998, 22999
CANCEL_ALL, CANCEL_DEPTH, CANCEL_TRADE = 0, 1, 2
_REPLIES = {HEARTBEAT_ACK, SUBSCRIBE_DEPTH_ACK, SUBSCRIBE_TRADE_ACK, CANCEL_ACK}


@dataclass(frozen=True, slots=True)
class Reply:
    """A response to one of our requests (echoes ``seq_id``); ``error`` when ret != 200."""

    cmd_id: int
    seq_id: int
    trace: str
    ret: int
    msg: str
    error: ProviderError | None


class _Envelope(msgspec.Struct):
    cmd_id: int
    ret: int | None = None
    msg: str = ""
    seq_id: int | str | None = None
    trace: str | None = None
    data: msgspec.Raw = msgspec.Raw(b"{}")


class _Book(msgspec.Struct):
    code: str
    seq: int | str = 0
    tick_time: int | str | float = 0
    bids: list[Any] = msgspec.field(default_factory=list)
    asks: list[Any] = msgspec.field(default_factory=list)


class _Trade(msgspec.Struct):
    code: str
    price: str | float
    seq: int | str = 0
    tick_time: int | str | float = 0
    volume: str | float | None = None  # absent: unknown (NaN), never 0
    turnover: str | float | None = None
    trade_direction: int = 0


_env_decoder = msgspec.json.Decoder(_Envelope)
_trade_decoder = msgspec.json.Decoder(_Trade)
_book_decoder = msgspec.json.Decoder(_Book)
_encoder = msgspec.json.Encoder()


@lru_cache(maxsize=65536)
def _canonical(code: str) -> str:
    return normalize(code)


def _num(value: str | float, field: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ProtocolError(f"{field} is not a number: {value!r}") from None
    if not math.isfinite(v):
        raise ProtocolError(f"{field} is not finite: {value!r}")
    return v


def _int(value: int | str | float, field: str) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and len(value) > 30:  # int() of a huge digit string is slow
        raise ProtocolError(f"{field} is too long to be a number: {value[:30]!r}…")
    try:
        return int(value) if isinstance(value, str) and value.isdigit() else int(float(value))
    except (TypeError, ValueError, OverflowError):
        raise ProtocolError(f"{field} is not an integer: {str(value)[:30]!r}") from None


def decode_depth(data: msgspec.Raw) -> Depth:
    """The ``data`` of a 22999 push; raises ProtocolError."""
    try:
        d = _book_decoder.decode(data)
        symbol = _canonical(d.code)
        time_ms = normalize_epoch_ms(_int(d.tick_time, "tick_time"))
        return Depth(symbol, time_ms, depth_levels(d.bids, "bids"), depth_levels(d.asks, "asks"))
    except SymbolError as e:
        raise UnknownSymbolError(f"22999 for {e}") from None
    except (msgspec.DecodeError, RecursionError, ValueError) as e:
        raise ProtocolError(f"bad 22999 data: {e}") from None


def decode(
    frame: str | bytes, depths: list[Depth] | None = None
) -> tuple[list[Tick], Reply | None]:
    """Decode one text frame into ticks (a 22998 push) or a reply to a request.

    A 22999 order book is appended to ``depths`` when given (ignored otherwise).
    Raises :class:`ProtocolError` for anything malformed; other pushes (unknown
    commands) decode to ``([], None)`` so a newer server cannot break the client.
    """
    try:
        env = _env_decoder.decode(frame)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError) as e:
        raise ProtocolError(f"not an AllTick message: {e}") from None
    cmd = env.cmd_id
    if cmd == TRADE_PUSH:
        try:
            d = _trade_decoder.decode(env.data)
        except (msgspec.DecodeError, RecursionError) as e:
            raise ProtocolError(f"bad 22998 data: {e}") from None
        try:
            symbol = _canonical(d.code)
        except SymbolError as e:
            raise UnknownSymbolError(f"22998 for {e}") from None
        price = _num(d.price, "price")
        try:
            time_ms = normalize_epoch_ms(_int(d.tick_time, "tick_time"))
        except ValueError as e:
            raise ProtocolError(f"tick_time: {e}") from None
        seq = _int(d.seq, "seq")
        if not 0 <= seq <= MAX_SEQ:
            raise ProtocolError(f"seq out of range: {str(seq)[:30]}")
        tick = Tick(
            symbol=symbol,
            price=price,
            time_ms=time_ms,
            volume=math.nan if d.volume is None else _num(d.volume, "volume"),
            turnover=math.nan if d.turnover is None else _num(d.turnover, "turnover"),
            seq=seq,
        )
        return [tick], None
    if cmd == DEPTH_PUSH:
        if depths is not None:
            depths.append(decode_depth(env.data))
        return [], None
    if cmd in _REPLIES or env.ret is not None:
        ret = env.ret if env.ret is not None else 200
        seq_id = env.seq_id
        seq = seq_id if isinstance(seq_id, int) else _int(seq_id or 0, "seq_id")
        err = None if ret == 200 else error_for_ret(ret, env.msg)
        return [], Reply(cmd, seq, env.trace or "", ret, env.msg, err)
    return [], None


def _envelope(cmd_id: int, seq_id: int, data: object, trace: str | None = None) -> str:
    return _encoder.encode(
        {"cmd_id": cmd_id, "seq_id": seq_id, "trace": trace or uuid.uuid4().hex, "data": data}
    ).decode()


def heartbeat(seq_id: int, trace: str | None = None) -> str:
    """22000: must be sent at least every 10 s; the server drops us after 30 s without."""
    return _envelope(HEARTBEAT, seq_id, {}, trace)


def subscribe_trades(symbols: Iterable[str], seq_id: int, trace: str | None = None) -> str:
    """22004 with the *whole* list for this connection (it replaces the previous one)."""
    return _envelope(
        SUBSCRIBE_TRADE, seq_id, {"symbol_list": [{"code": s} for s in symbols]}, trace
    )


def subscribe_depth(symbols: Iterable[str], seq_id: int, trace: str | None = None) -> str:
    """22002 with the whole order-book list, five levels each (the most for CN stocks)."""
    return _envelope(
        SUBSCRIBE_DEPTH,
        seq_id,
        {"symbol_list": [{"code": s, "depth_level": 5} for s in symbols]},
        trace,
    )


def cancel(cancel_type: int, seq_id: int, trace: str | None = None) -> str:
    """22006: 0 cancels all, 1 depth, 2 trades. Used to empty a list (never send [])."""
    return _envelope(CANCEL, seq_id, {"cancel_type": cancel_type}, trace)


def encode_trade_push(
    code: str,
    seq: int,
    tick_time_ms: int,
    price: str,
    volume: str,
    turnover: str,
    direction: int = 0,
    *,
    legacy_strings: bool = False,
) -> str:
    """A 22998 push as the server sends it (used by the simulator and tests)."""
    s: int | str = str(seq) if legacy_strings else seq
    t: int | str = str(tick_time_ms) if legacy_strings else tick_time_ms
    return (
        '{"cmd_id":22998,"data":{"code":"%s","seq":%s,"tick_time":%s,"price":"%s",'
        '"volume":"%s","turnover":"%s","trade_direction":%d}}'
        % (
            code,
            f'"{s}"' if isinstance(s, str) else s,
            f'"{t}"' if isinstance(t, str) else t,
            price,
            volume,
            turnover,
            direction,
        )
    )


def encode_depth_push(
    code: str,
    seq: int,
    tick_time_ms: int,
    bids: Sequence[tuple[float, float]],
    asks: Sequence[tuple[float, float]],
) -> str:
    """A 22999 push as the server sends it (used by the simulator). An empty side is
    sent as zero-valued levels, as AllTick documents it at a price limit."""

    def side(levels: Sequence[tuple[float, float]]) -> list[dict[str, str]]:
        if not levels:
            return [{"price": "0", "volume": "0"}]
        return [{"price": f"{p:.2f}", "volume": f"{v:.0f}"} for p, v in levels]

    data = {
        "code": code,
        "seq": seq,
        "tick_time": tick_time_ms,
        "bids": side(bids),
        "asks": side(asks),
    }
    return _encoder.encode({"cmd_id": DEPTH_PUSH, "data": data}).decode()


def reply(cmd_id: int, seq_id: int, trace: str, ret: int = 200, msg: str = "ok") -> str:
    """A server reply envelope (used by the simulator)."""
    return _encoder.encode(
        {"ret": ret, "msg": msg, "cmd_id": cmd_id, "seq_id": seq_id, "trace": trace, "data": {}}
    ).decode()


class AllTickCodec:
    """One AllTick connection: a 22004 replaces the whole list, so it is sent whole."""

    def __init__(self, **_style: object) -> None:
        self._seq_ids = itertools.count(1)
        self._heartbeats = itertools.count(1)
        self._depths: list[Depth] = []
        # seq_id -> what that request was: replies echo seq_id, errors name no command.
        self._asked: dict[int, str] = {}

    def decode(self, frame: str | bytes, now_ms: int) -> tuple[list[Tick], Event | None]:
        depths = self._depths  # reused: no list per frame on the tick path
        if depths:  # left by a frame that failed half-way
            depths.clear()
        ticks, reply = decode(frame, depths)
        if depths:
            event = Event(depths=tuple(depths))
            depths.clear()
            return ticks, event
        if reply is None:
            return ticks, None
        acked = reply.cmd_id in (SUBSCRIBE_TRADE_ACK, SUBSCRIBE_DEPTH_ACK, CANCEL_ACK)
        if not acked and reply.error is None:
            return ticks, None  # a heartbeat's answer
        about = self._asked.pop(reply.seq_id, "")
        return ticks, Event(acked=acked, error=reply.error, text=reply.msg, about=about)

    def plan(
        self,
        sent: Subscription,
        want: Sequence[str],
        wildcard: bool,
        resend: bool,
        depth: Sequence[str] = (),
    ) -> list[str]:
        frames = []
        asked = self._asked
        if len(asked) > 64:  # requests never answered (a server that drops some)
            asked.clear()
        if set(want) != sent.symbols or resend:
            seq = next(self._seq_ids)
            if want:
                frames.append(subscribe_trades(want, seq))
                asked[seq] = "trades"
            elif sent.symbols or resend:
                frames.append(cancel(CANCEL_TRADE, seq))
                asked[seq] = "cancel"
            sent.symbols = set(want)
        if set(depth) != sent.depth or (resend and depth):
            seq = next(self._seq_ids)
            frames.append(subscribe_depth(depth, seq) if depth else cancel(CANCEL_DEPTH, seq))
            asked[seq] = "depth" if depth else "cancel"
            sent.depth = set(depth)
        return frames

    def heartbeat(self) -> str | None:
        return heartbeat(next(self._heartbeats))


SPEC = ProtocolSpec(
    name="alltick",
    codec=AllTickCodec,
    # AllTick's published rules: 3,000 codes per connection, ≥ 1 s between requests on a
    # connection and ≥ 2 s (English docs) / 3 s (Chinese docs, 2025-04) across them.
    defaults={"max_codes": 3000, "min_request_interval": 1.0, "cross_request_interval": 3.0},
    ws_path=PATH,
    own_heartbeat=True,
    token_required=True,
    plans=True,
    daily_closes=True,
    depth=True,
    symbol_list=False,  # AllTick serves none: never asked (each request spends the plan's)
)
