"""The recording file: one SQLite table of ticks in arrival order, plus metadata.

Written by :class:`monitor.service.recorder.TickRecorder`; read here in chunks by
replay (and by anyone with ``sqlite3``: ``SELECT * FROM tick``). WAL mode lets a reader
open the file while the recorder is still writing it.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.core.quotes import MAX_SEQ, SHANGHAI, Tick

__all__ = [
    "SCHEMA",
    "RecordedTick",
    "connect",
    "count_ticks",
    "day_file",
    "first_received",
    "read_references",
    "read_ticks",
    "rowid_at",
]

SCHEMA = """
CREATE TABLE IF NOT EXISTS tick (
    received_ms INTEGER NOT NULL,  -- wall time the frame arrived (replay paces by it)
    symbol TEXT NOT NULL,
    time_ms INTEGER NOT NULL,      -- exchange time of the trade
    price REAL NOT NULL,
    volume REAL,                   -- NULL: the provider sent none (unknown, not 0)
    turnover REAL,
    seq INTEGER NOT NULL,
    day_volume REAL, day_turnover REAL,
    prev_close REAL, open REAL, high REAL, low REAL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- The provider session's previous closes (AllTick's come from daily K-lines, not ticks):
-- replay sends each with the symbol's first tick, so change % replays as it was.
CREATE TABLE IF NOT EXISTS ref (symbol TEXT PRIMARY KEY, prev_close REAL NOT NULL);
"""
INSERT = "INSERT INTO tick VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"


@dataclass(frozen=True, slots=True)
class RecordedTick:
    received_ms: int
    tick: Tick


def day_file(folder: Path, received_ms: float) -> Path:
    """``folder/YYYY-MM-DD.sqlite`` for the Shanghai date of ``received_ms``."""
    day = dt.datetime.fromtimestamp(received_ms / 1000, SHANGHAI).date()
    return folder / f"{day.isoformat()}.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating) a recording for writing: WAL, ``synchronous=NORMAL``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    return db


def _reader(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise FileNotFoundError(f"no such recording: {path}")
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


_MAX_PRICE = 1_000_000.0  # as the quote book: no A-share trades near this
_MAX_AMOUNT = 1e16  # shares or CNY in a day, far above any stock's


def _num(v: object, lo: float, hi: float, *, optional: bool) -> float | None:
    """``v`` if it is a real number in [lo, hi); None where allowed; raises otherwise."""
    if v is None and optional:
        return None
    if not isinstance(v, int | float) or isinstance(v, bool) or not lo <= v < hi:
        raise ValueError(v)  # also NaN, inf, text, BLOB
    return float(v)


def _valid(row: tuple[Any, ...]) -> RecordedTick | None:
    """A recorded row as a tick, or None when any field cannot be real (a damaged or
    hand-edited file: an ``inf`` price, a text time, a BLOB, volume 1e300)."""
    try:
        _rowid, rms, sym, tms, price, vol, turn, seq, dv, dtn, pc, o, hi, lo = row
        if type(rms) is not int or type(tms) is not int or type(seq) is not int:
            return None
        if not isinstance(sym, str) or not 0 <= seq <= MAX_SEQ or not 0 < tms < 1 << 45:
            return None
        p = _num(price, 1e-4, _MAX_PRICE, optional=False)
        assert p is not None
        v = _num(vol, 0.0, _MAX_AMOUNT, optional=True)
        t = _num(turn, 0.0, _MAX_AMOUNT, optional=True)
        tick = Tick(
            sym,
            p,
            tms,
            math.nan if v is None else v,
            math.nan if t is None else t,
            seq,
            _num(dv, 0.0, _MAX_AMOUNT, optional=True),
            _num(dtn, 0.0, _MAX_AMOUNT, optional=True),
            _num(pc, 1e-4, _MAX_PRICE, optional=True),
            _num(o, 1e-4, _MAX_PRICE, optional=True),
            _num(hi, 1e-4, _MAX_PRICE, optional=True),
            _num(lo, 1e-4, _MAX_PRICE, optional=True),
        )
    except ValueError:
        return None
    return RecordedTick(rms, tick)


def read_ticks(
    path: Path,
    *,
    chunk: int = 5_000,
    after_rowid: int = 0,
    on_bad: Callable[[int], None] | None = None,
    on_gap: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, RecordedTick]]:
    """``(rowid, tick)`` in recorded order, read in chunks (never the whole day at once).

    A row whose fields cannot be real is skipped (``on_bad`` gets its rowid); a damaged
    database page raises ``sqlite3.DatabaseError`` when reached, or reads as fewer rows:
    rows are written with consecutive rowids and never deleted, so ``on_gap`` gets how
    many are missing wherever the rowids jump."""
    db = _reader(path)
    try:
        last = after_rowid
        size = chunk
        while True:
            try:
                rows = db.execute(
                    "SELECT rowid, * FROM tick WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, size)
                ).fetchall()
            except sqlite3.DatabaseError:
                if size == 1:
                    raise  # this row's page is damaged: everything before it was read
                size = max(1, size // 8)  # closer to the damaged page in smaller reads
                continue
            if not rows:
                return
            for row in rows:
                rowid = row[0]
                if rowid != last + 1 and on_gap is not None:
                    on_gap(rowid - last - 1)
                last = rowid
                recorded = _valid(row)
                if recorded is None:
                    if on_bad is not None:
                        on_bad(rowid)
                    continue
                yield rowid, recorded
            last = rows[-1][0]
    finally:
        db.close()


def read_references(path: Path) -> dict[str, float]:
    """Previous closes recorded with the ticks (empty for a file without them)."""
    db = _reader(path)
    try:
        return dict(db.execute("SELECT symbol, prev_close FROM ref").fetchall())
    except sqlite3.OperationalError:  # written before the table existed
        return {}
    finally:
        db.close()


def first_received(path: Path) -> int | None:
    """Arrival time of the first recorded tick (its Shanghai date is the day's)."""
    db = _reader(path)
    try:
        row = db.execute("SELECT received_ms FROM tick ORDER BY rowid LIMIT 1").fetchone()
        return int(row[0]) if row else None
    finally:
        db.close()


def count_ticks(path: Path) -> int:
    db = _reader(path)
    try:
        return int(db.execute("SELECT count(*) FROM tick").fetchone()[0])
    finally:
        db.close()


def rowid_at(path: Path, received_ms: int) -> int:
    """The last rowid recorded before ``received_ms`` (seek)."""
    db = _reader(path)
    try:
        row = db.execute(
            "SELECT max(rowid) FROM tick WHERE received_ms < ?", (received_ms,)
        ).fetchone()
        return int(row[0] or 0)
    finally:
        db.close()
