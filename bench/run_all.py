"""Run every benchmark and rewrite docs/performance.md (``--short``: a quick check, no write).

python bench/run_all.py            # the full suite, ~6 minutes
python bench/run_all.py --short    # a few seconds each, as CI runs it
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import ingest, memory, recorder, search, startup, ui_load, window_memory


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--seconds", type=float, default=30.0, help="UI-load duration per run")
    args = ap.parse_args()
    if args.short:
        ingest.run(20_000, write=False)
        ui_load.run([1700], 2.0, write=False)
        memory.run(300, 20, write=False)
        startup.run(1, write=False)
        search.run(500, 2, write=False)
        window_memory.run(3.0, write=False)
        recorder.run(20_000, 2.0, write=False)
        return 0
    ingest.run(400_000)
    ui_load.run([1700, 20000], args.seconds)
    memory.run(5500, 240)
    startup.run(5)
    search.run(5500, 20)
    window_memory.run(30.0)
    recorder.run(340_000, 20.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
