"""The team relay's Redis layout and entry format, sans-I/O.

The relay (one per team, holding the upstream token) writes; any number of gateways
read. Keys, with ``prefix`` (default ``ashare``):

- ``{prefix}:ticks:{shard}`` — Redis Streams, one per shard (a stable hash of the code:
  the seed's "hash by stock code and feed separate worker queues"), capped with
  ``MAXLEN ~``. One entry per 20–50 ms frame of ticks, not per tick, with fields
  ``relay`` (the relay process's id), ``seq`` (the relay's sequence number in that
  shard: a reader sees a gap when it is not the previous one + 1) and ``ticks``.
- ``{prefix}:last`` — a hash, code -> the latest quote (with the previous close), the
  snapshot a client gets first.
- ``{prefix}:meta`` — a hash: shards, relay id, started, upstream (never the token).

A tick is a JSON array ``[code, price, time_ms, volume, turnover, seq, day_volume,
day_turnover, prev_close, open, high, low]`` (null for what is unknown: standard JSON,
never NaN).
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass

import msgspec

from monitor.core.protocols.errors import ProtocolError
from monitor.core.quotes import Tick

__all__ = [
    "Entry",
    "Keys",
    "decode_entry",
    "decode_tick",
    "encode_entry",
    "encode_tick",
    "shard_of",
]

_enc = msgspec.json.Encoder()
_Row = tuple[
    str,
    float,
    int,
    float | None,  # null: not sent by the provider (unknown)
    float | None,
    int,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
    float | None,
]
_dec_rows = msgspec.json.Decoder(list[_Row])
_dec_row = msgspec.json.Decoder(_Row)


@dataclass(frozen=True)
class Keys:
    prefix: str = "ashare"

    def stream(self, shard: int) -> str:
        return f"{self.prefix}:ticks:{shard}"

    @property
    def last(self) -> str:
        return f"{self.prefix}:last"

    @property
    def meta(self) -> str:
        return f"{self.prefix}:meta"


@dataclass(frozen=True, slots=True)
class Entry:
    relay: str
    seq: int
    ticks: list[Tick]


def shard_of(symbol: str, shards: int) -> int:
    """The shard of ``symbol``: stable across processes and runs (not Python's hash)."""
    return zlib.crc32(symbol.encode()) % shards


def _row(t: Tick) -> _Row:
    return (
        t.symbol,
        t.price,
        t.time_ms,
        t.volume if t.volume == t.volume else None,  # standard JSON: no NaN
        t.turnover if t.turnover == t.turnover else None,
        t.seq,
        t.day_volume,
        t.day_turnover,
        t.prev_close,
        t.open,
        t.high,
        t.low,
    )


def _tick(r: _Row) -> Tick:
    vol = math.nan if r[3] is None else r[3]
    turn = math.nan if r[4] is None else r[4]
    return Tick(r[0], r[1], r[2], vol, turn, r[5], r[6], r[7], r[8], r[9], r[10], r[11])


def encode_tick(t: Tick) -> bytes:
    return _enc.encode(_row(t))


def decode_tick(raw: bytes | str) -> Tick:
    try:
        return _tick(_dec_row.decode(raw))
    except (msgspec.DecodeError, msgspec.ValidationError) as e:
        raise ProtocolError(f"bad relay quote: {e}") from None


def encode_entry(relay: str, seq: int, ticks: list[Tick]) -> dict[str, bytes | str | int]:
    return {"relay": relay, "seq": seq, "ticks": _enc.encode([_row(t) for t in ticks])}


def decode_entry(fields: dict[bytes, bytes]) -> Entry:
    """An entry as XREAD returns its fields; ProtocolError for anything else."""
    try:
        relay = fields[b"relay"].decode()
        seq = int(fields[b"seq"])
        rows = _dec_rows.decode(fields[b"ticks"])
    except (KeyError, ValueError, UnicodeDecodeError, msgspec.DecodeError) as e:
        raise ProtocolError(f"bad relay entry: {e}") from None
    return Entry(relay, seq, [_tick(r) for r in rows])
