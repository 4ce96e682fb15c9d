"""How the simulator's day compares with a reported real session (calibration).

Runs the simulated whole market (5,500 names from the shipped listing, as the app's
simulator builds it) through a trading session in simulated time — the model walks
in real time, so the tick rate does not change the result — and counts, at several
points of the session, names up / flat / down, at limit-up / limit-down, and the
spread of change %. The target is one reported session (``monitor.core.simmarket
.DayShape``'s source): of 4,669 tradable A-shares 41.9 % up, 55.5 % down, 2.6 % flat,
1.9 % at limit-up, 0.5 % at limit-down.

python bench/simulator_day.py [--seed 1] [--no-write]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, say, write_section
from monitor.core.simmarket import SimMarket
from monitor.platform.resources import shipped_listing

DOC = ROOT / "docs" / "simulator.md"
TARGET = {"up": 1958, "flat": 121, "down": 2590, "limit-up": 90, "limit-down": 23}
TRADABLE = 4669
RATE = 1700  # ticks/s, the whole market's usual rate (scale-out.md)


def breadth(market: SimMarket) -> dict[str, float]:
    stocks = ~market.is_index
    last, prev = market.px.last[stocks], market.prev_close[stocks]
    n = int(stocks.sum())
    change = (last - prev) / prev * 100.0
    return {
        "up": float((last > prev).sum()) / n * 100.0,
        "flat": float((last == prev).sum()) / n * 100.0,
        "down": float((last < prev).sum()) / n * 100.0,
        "limit-up": float((last >= market.limit_up[stocks]).sum()) / n * 100.0,
        "limit-down": float((last <= market.limit_down[stocks]).sum()) / n * 100.0,
        "beyond ±5 %": float((np.abs(change) > 5.0).sum()) / n * 100.0,
        "std of chg %": float(change.std()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    args = ap.parse_args()
    market = SimMarket(5500, seed=args.seed, listing=shipped_listing().master)
    checkpoints = {0: "start", 1: "+1 min", 30: "+30 min", 120: "+2 h", 240: "+4 h"}
    rows: list[tuple[str, dict[str, float]]] = []
    t0 = 1_795_570_200_000  # a session's start; only differences matter
    step_ms = 200
    per_step = RATE * step_ms // 1000
    minute_steps = 60_000 // step_ms
    for minute in range(max(checkpoints) + 1):
        if minute in checkpoints:
            rows.append((checkpoints[minute], breadth(market)))
            say(f"{checkpoints[minute]}: {rows[-1][1]}")
        if minute == max(checkpoints):
            break
        for s in range(minute_steps):
            market.step(per_step, t0 + (minute * minute_steps + s) * step_ms)
    target = {k: v / TRADABLE * 100.0 for k, v in TARGET.items()}
    keys = list(rows[0][1])
    head = "| | " + " | ".join(keys) + " |\n|---|" + "---|" * len(keys) + "\n"
    lines = [
        "| reported session | "
        + " | ".join(f"{target[k]:.1f} %" if k in target else "—" for k in keys)
        + " |"
    ]
    for name, b in rows:
        cells = [f"{b[k]:.2f}" if k.startswith("std") else f"{b[k]:.1f} %" for k in keys]
        lines.append(f"| simulator {name} | " + " | ".join(cells) + " |")
    body = (
        f"Shares of the {int((~market.is_index).sum()):,} simulated stocks (indices aside) at points of a session run in "
        f"simulated time at {RATE:,} ticks/s, seed {args.seed}, against the reported session "
        "(Choice statistics for an April 1 session as reported at "
        "chinastockmarketnews.com/post/615962: 4,669 tradable A-shares).\n\n"
        + head
        + "\n".join(lines)
        + "\n"
    )
    print(body)
    if not args.no_write:
        write_section(
            "simulator_day",
            "The simulated day against a reported session",
            "python bench/simulator_day.py",
            body,
            doc=DOC,
        )


if __name__ == "__main__":
    main()
