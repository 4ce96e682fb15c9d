"""Recording: every applied tick to SQLite (WAL), in micro-batches, one file per day.

The seed article's production advice — accumulate ticks and flush in micro-batches —
measured here (docs/scale-out.md): one transaction per ≤ 200 ms or ≤ 500 rows, WAL
journal, ``synchronous=NORMAL``, no index while recording. A crash or SIGKILL loses at
most the batch not yet committed; WAL never leaves a half-written transaction visible.

The recorder is a tap on a :class:`~monitor.service.session.FeedSession`: the session
hands it the ticks the book applied (duplicates, stale and impossible ticks are not
recorded) with their arrival time, which replay uses to pace them. Readers (replay,
pandas through ``sqlite3``; see :mod:`monitor.feed.recording`) can open the file while
it is being written.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import math
import sqlite3
from collections.abc import Callable
from pathlib import Path

from monitor.core.quotes import SHANGHAI, Tick
from monitor.feed.recording import INSERT, connect, day_file
from monitor.service.session import FeedSession

__all__ = ["TickRecorder"]

log = logging.getLogger(__name__)

MAX_ROWS = 500  # rows per transaction at most
MAX_DELAY = 0.2  # seconds a tick waits for its transaction at most


class TickRecorder:
    """Buffers applied ticks and commits them in micro-batches.

    ``target``: a file (``record --out``), or a folder that gets one file per Shanghai
    day (the window's recording). Call :meth:`add` from the tick path (cheap: a list
    append), run :meth:`run` as a task, and :meth:`close` at the end (it commits what
    is buffered).
    """

    def __init__(
        self,
        target: Path,
        *,
        per_day: bool = False,
        source: str = "",
        max_rows: int = MAX_ROWS,
        max_delay: float = MAX_DELAY,
        reference: Callable[[str], float | None] | None = None,
    ) -> None:
        self.target = target
        self.per_day = per_day
        self.source = source
        self.max_rows = max_rows
        self.max_delay = max_delay
        self.reference = reference  # symbol -> the session's previous close, if known
        self._referenced: dict[str, float] = {}  # written to the current file
        self._rows: list[tuple[object, ...]] = []
        self._db: sqlite3.Connection | None = None
        self._path: Path | None = None
        self._wake = asyncio.Event()
        self.recorded = 0  # rows committed
        self.dropped = 0  # rows lost to write errors
        self.batches = 0
        self.error = ""  # the last write error ("" when writing works)

    def attach(self, session: FeedSession) -> None:
        """Record what ``session`` applies, with its previous closes."""
        book = session.book

        def prev_close(symbol: str) -> float | None:
            r = book.row_of(symbol)
            pc = float(book.prev_close[r]) if r is not None else math.nan
            return pc if pc == pc else None

        self.reference = prev_close
        session.taps.append(self.add)

    @property
    def path(self) -> Path | None:
        """The file being written (None before the first tick)."""
        return self._path

    def add(self, ticks: list[Tick], received_ms: float) -> None:
        """Queue ``ticks`` (applied by the book, arrived at ``received_ms``)."""
        rms = int(received_ms)
        self._rows.extend(
            (
                rms,
                t.symbol,
                t.time_ms,
                t.price,
                t.volume if t.volume == t.volume else None,  # NaN: never sent -> NULL
                t.turnover if t.turnover == t.turnover else None,
                t.seq,
                t.day_volume,
                t.day_turnover,
                t.prev_close,
                t.open,
                t.high,
                t.low,
            )
            for t in ticks
        )
        if len(self._rows) >= self.max_rows:
            self._wake.set()

    async def run(self) -> None:
        """Commit every ``max_delay`` s, or sooner when ``max_rows`` are waiting."""
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.max_delay)
            self._wake.clear()
            self.flush()

    def flush(self) -> int:
        """Commit what is buffered (in transactions of at most ``max_rows``)."""
        rows, self._rows = self._rows, []
        done = 0
        while done < len(rows):
            chunk = rows[done : done + self.max_rows]
            try:
                db = self._open(int(chunk[0][0]))  # type: ignore[call-overload]
                refs = self._new_references(chunk)
                with db:
                    db.execute("BEGIN")
                    db.executemany(INSERT, chunk)
                    if refs:
                        db.executemany("INSERT OR REPLACE INTO ref VALUES (?, ?)", refs)
                self.error = ""
            except (sqlite3.Error, OSError) as e:
                # A full disk or a removed folder: say so, count what is lost, keep running.
                self.error = f"recording to {self._path or self.target}: {e}"
                self.dropped += len(rows) - done
                log.error("%s (%d ticks not recorded)", self.error, len(rows) - done)
                return done
            done += len(chunk)
            self.recorded += len(chunk)
            self.batches += 1
        return done

    def _new_references(self, rows: list[tuple[object, ...]]) -> list[tuple[str, float]]:
        if self.reference is None:
            return []
        out = []
        for sym in {str(r[1]) for r in rows}:
            pc = self.reference(sym)
            if pc is not None and self._referenced.get(sym) != pc:
                self._referenced[sym] = pc
                out.append((sym, pc))
        return out

    def _open(self, received_ms: int) -> sqlite3.Connection:
        path = day_file(self.target, received_ms) if self.per_day else self.target
        if self._db is None or path != self._path:
            if self._db is not None:
                self._db.close()
            self._db = connect(path)
            self._path = path
            self._referenced = {}
            with self._db:
                self._db.execute("BEGIN")
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('started', ?)",
                    (dt.datetime.now(SHANGHAI).isoformat(timespec="seconds"),),
                )
                if self.source:
                    self._db.execute(
                        "INSERT OR REPLACE INTO meta VALUES ('source', ?)", (self.source,)
                    )
        return self._db

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
