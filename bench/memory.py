"""Memory: RSS of the table with 5,500 symbols and a full trading day of history.

Each variant runs in a fresh process (offscreen Qt, the model and the fast view on the
all-market list) and fills one point per minute for 240 minutes for every symbol:

- ours: the QuoteBook's float32 ring buffers (2-D numpy);
- naive: per-symbol Python lists of (time, price, volume) floats, as monitors keep them.

    python bench/memory.py [--short]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Row, rss_mb, say, table, write_section  # noqa: E402


def child(variant: str, symbols: int, points: int) -> dict[str, float]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from monitor.core.book import QuoteBook
    from monitor.core.quotes import Tick
    from monitor.core.simmarket import SimMarket
    from monitor.ui.quote_model import QuoteTableModel
    from monitor.ui.table_view import QuoteTableView

    app = QApplication.instance() or QApplication([])
    market = SimMarket(symbols, seed=5)
    book = QuoteBook(market.master, history_points=points, bucket_seconds=60)
    model = QuoteTableModel(book)
    model.set_symbols(market.symbols)
    view = QuoteTableView()
    view.setModel(model)
    view.resize(1200, 1000)
    view.show()
    app.processEvents()
    before = rss_mb()
    t0 = 1_795_570_200_000
    naive: dict[str, dict[str, list[float]]] = {}
    for minute in range(points):
        idx = market.step(len(market), t0 + minute * 60_000)
        for r in idx.tolist():
            sym = market.symbols[r]
            price = float(market.px.last[r])
            tick = Tick(sym, price, t0 + minute * 60_000, volume=100.0, seq=int(market.seq[r]))
            book.apply(tick)
            if variant == "naive":
                h = naive.setdefault(sym, {"t": [], "p": [], "v": []})
                h["t"].append(tick.time_ms / 1000)
                h["p"].append(price)
                h["v"].append(100.0)
    if variant == "naive":
        # The naive app keeps its own lists instead of the ring buffers: drop ours.
        book.hist_price = book.hist_price[:0]
        book.hist_volume = book.hist_volume[:0]
        book.hist_slot = book.hist_slot[:0]
    import gc

    gc.collect()
    app.processEvents()
    after = rss_mb()
    return {
        "rss": after,
        "history": after - before,
        "rows": float(len(book)),
        "points": float(
            book.hist_count[0] if variant == "ours" else len(naive[market.symbols[0]]["p"])
        ),
    }


def run(symbols: int, points: int, write: bool = True) -> list[Row]:
    res = {}
    for variant in ("ours", "naive"):
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                variant,
                "--symbols",
                str(symbols),
                "--points",
                str(points),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(out.stdout[-2000:] + out.stderr[-2000:])
        res[variant] = json.loads(line[7:])
    rows = [
        Row(
            f"RSS, {symbols:,} symbols × {points} points, table shown",
            res["ours"]["rss"],
            "MB",
            res["naive"]["rss"],
        ),
        Row(
            "of which the day's history",
            res["ours"]["history"],
            "MB",
            res["naive"]["history"],
            "float32 ring buffers vs Python lists",
        ),
    ]
    text = table(rows, higher_is_better=False)
    say(text)
    if write:
        write_section(
            "memory",
            "Memory (5,500 symbols, a full trading day)",
            "python bench/memory.py",
            "Target: RSS ≤ 300 MB with 5,500 symbols and a full day of history.\n\n" + text,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--child", choices=("ours", "naive"))
    ap.add_argument("--symbols", type=int, default=5500)
    ap.add_argument("--points", type=int, default=240)
    args = ap.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.symbols, args.points)), flush=True)
        return 0
    if args.short:
        run(500, 30, write=False)
    else:
        run(args.symbols, args.points)
    return 0


if __name__ == "__main__":
    sys.exit(main())
