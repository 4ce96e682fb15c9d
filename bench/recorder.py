"""What recording costs: CPU per tick and bytes per tick, against a naive recorder.

Ours: :class:`monitor.service.recorder.TickRecorder` — WAL, ``synchronous=NORMAL``,
micro-batches of 500 rows / 200 ms, no index. Naive, in the same run: one INSERT and
one COMMIT per tick in SQLite's default (rollback journal, ``synchronous=FULL``), what a
first version usually does. Ticks are the simulated full market's (5,500 symbols);
building them is outside the timed part.

Two views of the cost: a tight loop (CPU µs per tick → % of a core at 1,700 ticks/s),
and ours paced in real time at 1,700 ticks/s on an asyncio loop for ``--seconds``
(process CPU of the recording only, the ticks prepared beforehand).

python bench/recorder.py [--ticks 340000] [--seconds 20] [--short]
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, Row, say, table, write_section
from monitor.core.quotes import Tick
from monitor.core.simmarket import SimMarket
from monitor.service.recorder import TickRecorder

DAY_TICKS = 24_500_000  # a full A-share day at ~1,700 ticks/s over 4 h (scale-out.md)
DOC = ROOT / "docs" / "scale-out.md"


def _ticks(n: int) -> list[tuple[Tick, float]]:
    market = SimMarket(5500, seed=7)
    px = market.px
    out: list[tuple[Tick, float]] = []
    now = 1_764_900_000_000
    while len(out) < n:
        for i in market.step(8, now):
            sym = market.symbols[i]
            vol = float(market.trade_volume[i])
            price = float(px.last[i])
            seq = int(market.seq[i])
            out.append((Tick(sym, price, now, vol, vol * price, seq), float(now)))
        now += 5
    return out[:n]


def _cpu() -> float:
    return time.process_time()


def ours(ticks: list[tuple[Tick, float]], path: Path) -> tuple[float, int]:
    """CPU seconds for ``ticks`` through the recorder (frames of 8, as the feed hands
    them), and the file's size after a checkpoint."""
    rec = TickRecorder(path)
    t0 = _cpu()
    frame: list[Tick] = []
    for tick, received in ticks:
        frame.append(tick)
        if len(frame) == 8:
            rec.add(frame, received)
            frame = []
            if len(rec._rows) >= rec.max_rows:  # what run() does when woken
                rec.flush()
    rec.add(frame, ticks[-1][1])
    rec.close()
    cpu = _cpu() - t0
    return cpu, _size(path)


def naive(ticks: list[tuple[Tick, float]], path: Path) -> tuple[float, int]:
    db = sqlite3.connect(path)
    db.execute(
        "CREATE TABLE tick (received_ms INTEGER, symbol TEXT, time_ms INTEGER, price REAL, "
        "volume REAL, turnover REAL, seq INTEGER)"
    )
    db.commit()
    t0 = _cpu()
    for t, received in ticks:
        db.execute(
            "INSERT INTO tick VALUES (?,?,?,?,?,?,?)",
            (int(received), t.symbol, t.time_ms, t.price, t.volume, t.turnover, t.seq),
        )
        db.commit()
    cpu = _cpu() - t0
    db.close()
    return cpu, _size(path)


def _size(path: Path) -> int:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path.stat().st_size


async def _paced(ticks: list[tuple[Tick, float]], path: Path, rate: float, seconds: float) -> float:
    """Process CPU share while recording ``rate`` ticks/s for ``seconds`` (in frames of 8
    every 8/rate s, as a feed would), minus the same loop without the recorder."""

    async def loop(rec: TickRecorder | None) -> float:
        writer = asyncio.create_task(rec.run()) if rec is not None else None
        n = int(rate * seconds)
        start = time.monotonic()
        t0 = _cpu()
        for i in range(0, n, 8):
            due = start + i / rate
            if (wait := due - time.monotonic()) > 0:
                await asyncio.sleep(wait)
            if rec is not None:
                chunk = ticks[i % len(ticks) : i % len(ticks) + 8]
                rec.add([t for t, _ in chunk], chunk[0][1] if chunk else 0.0)
        if writer is not None:
            writer.cancel()
            rec.close()  # type: ignore[union-attr]
        return (_cpu() - t0) / (time.monotonic() - start)

    idle = await loop(None)
    busy = await loop(TickRecorder(path))
    return max(0.0, busy - idle) * 100


def run(n: int, seconds: float, write: bool = True) -> list[Row]:
    ticks = _ticks(n)
    with tempfile.TemporaryDirectory() as tmp:
        cpu_ours, size_ours = ours(ticks, Path(tmp) / "ours.sqlite")
        few = ticks[: max(1000, n // 20)]  # the naive one is slow: a twentieth is enough
        cpu_naive, size_naive = naive(few, Path(tmp) / "naive.sqlite")
        paced = asyncio.run(_paced(ticks, Path(tmp) / "paced.sqlite", 1700.0, seconds))
    us_ours = cpu_ours / n * 1e6
    us_naive = cpu_naive / len(few) * 1e6
    per_tick = size_ours / n
    rows = [
        Row("CPU per tick (tight loop)", us_ours, "µs", us_naive),
        Row(
            "CPU at 1,700 ticks/s, from the tight loop",
            us_ours * 1700 / 1e4,
            "% of a core",
            us_naive * 1700 / 1e4,
        ),
        Row(
            "CPU at 1,700 ticks/s, paced on an asyncio loop",
            paced,
            "% of a core",
            None,
            f"{seconds:g} s, the loop's own cost subtracted",
        ),
        Row(
            "bytes per tick on disk",
            per_tick,
            "B",
            size_naive / len(few),
            "13 columns (naive: 7), no index",
        ),
        Row("a full day (24.5 M ticks)", per_tick * DAY_TICKS / 1e9, "GB", None),
    ]
    text = table(rows, higher_is_better=False)
    say(text)
    if write:
        write_section(
            "recorder",
            "Recording cost (SQLite WAL micro-batches vs a commit per tick)",
            f"python bench/recorder.py --ticks {n} --seconds {seconds:g}",
            f"{n:,} ticks of the simulated full market (5,500 symbols). Ours: 500-row / 200 ms "
            "transactions, WAL, synchronous=NORMAL. Naive: one INSERT + COMMIT per tick, "
            "SQLite's defaults (rollback journal, synchronous=FULL), on a twentieth of the "
            "ticks. Target: ≤ 3 % of a core at 1,700 ticks/s.\n\n" + text,
            doc=DOC,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ticks", type=int, default=340_000)
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--short", action="store_true")
    args = ap.parse_args()
    if args.short:
        run(20_000, 2.0, write=False)
    else:
        run(args.ticks, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
