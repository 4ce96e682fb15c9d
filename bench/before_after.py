"""The window under load, this tree against an earlier commit, in the same run.

A change that moves code around (the application layer, new panels) must not make the
tick path or the paint slower. This runs ``bench/ui_load.py``'s own measured window
("ours") from a git worktree of ``REF`` and from this tree, alternately at each rate,
against the same simulator, and writes the two side by side.

python bench/before_after.py REF [--seconds 20] [--rates 1700,20000] [--short]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, Row, say, table, write_section
from bench.ui_load import start_sim


def _child(tree: Path, rate: int, seconds: float) -> dict[str, float]:
    """ui_load's "ours" child, importing ``monitor`` from ``tree``."""
    sim, port = start_sim(rate)
    try:
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "PYTHONPATH": str(tree)}
            out = subprocess.run(
                [
                    *(sys.executable, str(tree / "bench" / "ui_load.py"), "--child", "ours"),
                    *("--port", str(port), "--seconds", str(seconds), "--home", home),
                ],
                capture_output=True,
                text=True,
                cwd=tree,
                env=env,
                timeout=seconds + 180,
            )
        m = re.search(r"RESULT (\{.*\})", out.stdout)
        if not m:
            raise RuntimeError(f"{tree} at {rate}/s failed:\n{out.stderr[-3000:]}")
        return json.loads(m.group(1))  # type: ignore[no-any-return]
    finally:
        sim.terminate()
        sim.wait(10)


METRICS = (
    ("cpu_pct", "process CPU", "% of a core"),
    ("stall_p99", "loop stall p99", "ms"),
    ("paint_ms", "paint per frame p50", "ms"),
    ("paint_p99", "paint per frame p99", "ms"),
    ("applied_s", "ticks applied", "ticks/s"),
    ("lat_p50", "wire-to-screen latency p50", "ms"),
    ("lat_p99", "wire-to-screen latency p99", "ms"),
)


def run(ref: str, rates: list[int], seconds: float, write: bool) -> list[Row]:
    rev = subprocess.run(
        ["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(before), rev],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            for rate in rates:
                old = _child(before, rate, seconds)
                new = _child(ROOT, rate, seconds)
                for key, name, unit in METRICS:
                    rows.append(Row(f"{rate:,} ticks/s: {name}", new[key], unit, old[key]))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False
            )
    lower_better = {"% of a core": False, "ms": False, "ticks/s": True}
    text = table(rows, lower_better).replace("naive baseline", f"before ({rev})")
    say(text)
    if write:
        write_section(
            "before_after",
            f"This tree against {rev}, same run (the window under load)",
            f"python bench/before_after.py {ref} --seconds {seconds:g} "
            f"--rates {','.join(map(str, rates))}",
            "Both sides are bench/ui_load.py's measured window (all market, sorted by change %, "
            "sparklines) against the same simulator rate, one after the other.\n\n" + text,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("ref")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--rates", default="1700,20000")
    ap.add_argument("--short", action="store_true")
    args = ap.parse_args()
    rates = [int(r) for r in args.rates.split(",")]
    run(args.ref, rates, 3.0 if args.short else args.seconds, write=not args.short)
    return 0


if __name__ == "__main__":
    sys.exit(main())
