"""Start-up: process start -> first live row painted, on the embedded simulator.

Measured from outside (Popen to the ``--smoke`` line), so interpreter start, imports,
the simulator, the connection and the first paint all count. The floor next to it is
what any PySide6 app pays: start Python, import QtWidgets, show an empty window.

    python bench/startup.py [--runs 5] [--short]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Row, say, table, write_section  # noqa: E402

FLOOR = (
    "import os; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "app = QApplication([]); w = QWidget(); w.show(); app.processEvents(); print('shown', flush=True)"
)


def _time_until(cmd: list[str], marker: str, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=ROOT
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if marker in line:
                return time.perf_counter() - t0
        raise RuntimeError(f"{marker!r} never printed by {cmd}")
    finally:
        proc.kill()
        proc.wait()


def run(runs: int, write: bool = True) -> list[Row]:
    app, allm, floor = [], [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ASHARE_MONITOR_HOME": home}
            app.append(
                _time_until(
                    [sys.executable, "-m", "monitor", "--smoke", "--smoke-settle", "0"],
                    "first live row painted",
                    env,
                )
            )
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ASHARE_MONITOR_HOME": home}
            allm.append(
                _time_until(
                    [
                        sys.executable,
                        "-m",
                        "monitor",
                        "--smoke",
                        "--smoke-settle",
                        "0",
                        "--all-market",
                    ],
                    "first live row painted",
                    env,
                )
            )
        floor.append(_time_until([sys.executable, "-c", FLOOR], "shown", dict(os.environ)))
    med = statistics.median
    rows = [
        Row(
            "process start → first live row (watchlist)",
            med(app),
            "s",
            None,
            f"median of {runs}; floor {med(floor):.2f} s",
        ),
        Row(
            "process start → first live row (all market, 5,500 rows)",
            med(allm),
            "s",
            None,
            f"median of {runs}",
        ),
        Row("floor: Python + import QtWidgets + empty window", med(floor), "s"),
    ]
    text = table(rows, higher_is_better=False)
    say(text)
    if write:
        write_section(
            "startup",
            "Start-up",
            f"python bench/startup.py --runs {runs}",
            "Target: start-up to first live row ≤ 2.5 s. There is no naive variant of "
            "start-up; the floor shows what any PySide6 app pays before our code runs.\n\n" + text,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--short", action="store_true")
    args = ap.parse_args()
    run(1 if args.short else args.runs, write=not args.short)
    return 0


if __name__ == "__main__":
    sys.exit(main())
