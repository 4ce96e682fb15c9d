"""Soak: the app's pipeline at 5,000 ticks/s for N minutes with a fault every minute.

The simulator runs in its own process (5,500 symbols, AllTick protocol); this process
runs the real feed pool, quote book, table model and fast view (offscreen) with the
20 Hz flush timer. Every ``--fault-every`` seconds the simulator is killed and
restarted on the same port, or frozen (SIGSTOP) for a few seconds, alternately.
Every 5 s it samples RSS, asyncio tasks, threads and ticks; at the end it checks that
RSS after warm-up stays within 10 % and that every symbol updates again after the
last fault. Writes docs/soak.md unless ``--no-write``.

    python bench/soak.py --minutes 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import machine, rss_mb, say, sim_command  # noqa: E402


def _start_sim(port: int, rate: int) -> subprocess.Popen[bytes]:
    cmd = sim_command(rate, port=port, token="soak")
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--rate", type=int, default=5000)
    ap.add_argument("--fault-every", type=float, default=60.0)
    ap.add_argument("--warmup", type=float, default=30.0)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()

    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_API"] = "pyside6"
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from monitor.core.book import QuoteBook
    from monitor.core.quotes import Tick
    from monitor.core.simmarket import SimMarket
    from monitor.feed.client import FeedPool, Phase
    from monitor.feed.config import FeedConfig
    from monitor.platform.resources import shipped_listing
    from monitor.ui.columns import column_index
    from monitor.ui.quote_model import QuoteTableModel
    from monitor.ui.table_view import QuoteTableView

    port = _free_port()
    sim = _start_sim(port, args.rate)
    # The simulator's own universe: the shipped listing's codes first (as it builds it).
    symbols = SimMarket(5500, seed=1, listing=shipped_listing().master).symbols
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    book = QuoteBook(history_points=240, bucket_seconds=5)
    model = QuoteTableModel(book)
    view = QuoteTableView()
    view.setModel(model)
    view.resize(1200, 1000)
    view.show()

    def sink(ticks: list[Tick], received_ms: float, scope: int) -> int:
        return book.apply_many(ticks, received_ms, scope)

    cfg = FeedConfig.for_url(
        f"ws://127.0.0.1:{port}/quote-stock-b-ws-api", token="soak", min_request_interval=0.2
    )
    pool = FeedPool(cfg, sink)
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(model.flush)
    samples: list[tuple[float, float, int, int, int, str]] = []
    faults: list[tuple[float, str, float]] = []

    async def run() -> bool:
        nonlocal sim
        await asyncio.sleep(1.5)  # let the simulator bind
        model.set_symbols(symbols)
        model.sort(column_index("change_pct"))
        pool.set_symbols(symbols)
        await pool.start()
        timer.start()
        t0 = time.monotonic()
        next_fault = t0 + args.fault_every
        next_sample = t0
        kind = 0
        end = t0 + args.minutes * 60
        while time.monotonic() < end:
            await asyncio.sleep(0.25)
            now = time.monotonic()
            if now >= next_sample:
                samples.append(
                    (
                        now - t0,
                        rss_mb(),
                        len(asyncio.all_tasks()),
                        threading.active_count(),
                        pool.stats.ticks,
                        pool.state.phase.value,
                    )
                )
                next_sample += 5
            if now >= next_fault and now < end - 15:
                fault_t = now - t0
                if kind % 2 == 0:
                    sim.kill()
                    sim.wait()
                    await asyncio.sleep(1.0)
                    sim = _start_sim(port, args.rate)
                    label = "simulator killed and restarted"
                else:
                    sim.send_signal(signal.SIGSTOP)
                    await asyncio.sleep(3.0)
                    sim.send_signal(signal.SIGCONT)
                    label = "simulator frozen 3 s (SIGSTOP)"
                kind += 1
                rec0 = time.monotonic()
                while pool.state.phase is not Phase.LIVE and time.monotonic() - rec0 < 60:
                    await asyncio.sleep(0.1)
                faults.append((fault_t, label, time.monotonic() - rec0))
                next_fault += args.fault_every
        # Every symbol must have a price *applied* after the last fault, not just a frame.
        since_ms = time.time() * 1000.0
        t_check = time.monotonic()

        def updated() -> int:
            return sum(1 for s in symbols if book.received_ms[book.ensure(s)] >= since_ms)

        while time.monotonic() - t_check < 30 and updated() < len(symbols):
            await asyncio.sleep(0.2)
        everyone = updated() == len(symbols)
        await pool.stop()
        return everyone

    try:
        with loop:
            everyone = loop.run_until_complete(run())
    finally:
        sim.kill()
    after = [s for s in samples if s[0] >= args.warmup]
    rss = [s[1] for s in after] or [samples[-1][1]]
    tasks = [s[2] for s in after] or [samples[-1][2]]
    spread = (max(rss) - min(rss)) / min(rss) * 100
    flat = spread <= 10
    lines = [
        "| t (s) | RSS (MB) | asyncio tasks | threads | ticks received | feed |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {t:.0f} | {r:.1f} | {n} | {th} | {tk:,} | {ph} |" for t, r, n, th, tk, ph in samples
    ]
    fl = ["| at (s) | fault | back to live in |", "|---|---|---|"]
    fl += [f"| {t:.0f} | {label} | {d:.1f} s |" for t, label, d in faults]
    verdict = (
        f"RSS after {args.warmup:.0f} s warm-up: {min(rss):.1f}–{max(rss):.1f} MB "
        f"(spread {spread:.1f} %, {'flat' if flat else 'NOT flat'} within 10 %); "
        f"asyncio tasks {min(tasks)}–{max(tasks)}; after the last fault every one of "
        f"{len(symbols):,} symbols updated again: {'yes' if everyone else 'NO'}."
    )
    text = "\n".join(lines) + "\n\nFaults:\n\n" + "\n".join(fl) + "\n\n" + verdict
    say(text)
    if not args.no_write:
        doc = ROOT / "docs" / "soak.md"
        doc.write_text(
            "# Soak\n\n"
            f"Command: `python bench/soak.py --minutes {args.minutes:g} --rate {args.rate}` — run "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {machine()}.\n\n"
            f"The app's pipeline (feed pool → quote book → table model → offscreen view, 20 Hz "
            f"flush) against the simulator at {args.rate:,} ticks/s for the whole market, with a "
            f"fault every {args.fault_every:g} s.\n\n" + text + "\n",
            encoding="utf-8",
        )
    return 0 if (flat and everyone) else 1


if __name__ == "__main__":
    sys.exit(main())
