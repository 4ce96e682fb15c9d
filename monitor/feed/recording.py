"""The recording file: one SQLite table of ticks in arrival order, plus metadata.

Written by :class:`monitor.service.recorder.TickRecorder`; read here in chunks by
replay (and by anyone with ``sqlite3``: ``SELECT * FROM tick``). WAL mode lets a reader
open the file while the recorder is still writing it.
"""

from __future__ import annotations

import datetime as dt
import math
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from monitor.core.quotes import SHANGHAI, Tick

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


def read_ticks(
    path: Path, *, chunk: int = 5_000, after_rowid: int = 0
) -> Iterator[tuple[int, RecordedTick]]:
    """``(rowid, tick)`` in recorded order, read in chunks (never the whole day at once)."""
    db = _reader(path)
    try:
        last = after_rowid
        while True:
            rows = db.execute(
                "SELECT rowid, * FROM tick WHERE rowid > ? ORDER BY rowid LIMIT ?", (last, chunk)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                rowid, rms, sym, tms, price, vol, turn, seq, dv, dtn, pc, o, hi, lo = row
                vol = math.nan if vol is None else vol
                turn = math.nan if turn is None else turn
                tick = Tick(sym, price, tms, vol, turn, seq, dv, dtn, pc, o, hi, lo)
                yield rowid, RecordedTick(rms, tick)
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
