"""Memory of the window in real use: all-market view, quick search and calendar loaded,
the day's listing refresh done.

The app runs in a child process against ``ashare-monitor sim`` (its own process, so
the simulator's memory is not counted) at 1,700 ticks/s over 5,500 symbols, on the
all-market view, until the pinyin index and the calendar are loaded and every row
has ticked; then it refreshes the listing from the three exchanges (the doc-written
exchange servers of the tests, run in this parent process, serving the shipped
listing's 5,255 stocks: the SZSE workbook is read as on a real day). RSS is sampled
every 0.5 s over the measured window and the peak kept.

- ours: the shipped listing with precomputed pinyin initials, a pure-Python calendar;
- naive: the same window computing every name's pinyin at run time (pypinyin's
  dictionaries in memory), as the app did before the listing shipped its initials.

    python bench/window_memory.py [--seconds 30] [--short]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Row, app_home_for_sim, rss_mb, say, table, write_section  # noqa: E402
from bench.ui_load import run_child  # noqa: E402

TARGET_MB = 200.0


def child(variant: str, port: int, seconds: float, home: str) -> dict[str, float]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["QT_API"] = "pyside6"
    os.environ["ASHARE_MONITOR_HOME"] = home
    from PySide6.QtWidgets import QApplication

    from monitor.service.monitor import MonitorService
    from monitor.ui.loop import make_loop
    from monitor.ui.main_window import MainWindow

    paths = app_home_for_sim(port)
    app = QApplication.instance() or QApplication([])
    loop = make_loop(app)
    core = MonitorService(paths)
    window = MainWindow(core)
    window.resize(1280, 800)
    result: dict[str, float] = {}

    async def main() -> None:
        import asyncio

        window.show()
        await window.start()
        window.lists.setCurrentRow(0)  # the whole market
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            await asyncio.sleep(0.5)
            health = core.health()
            loaded = window.quick.index is not None and window.service.calendar is not None
            if loaded and health is not None and health.receiving >= 5000:
                break
        before = 0.0
        t_end = time.monotonic() + min(seconds, 10.0)
        while time.monotonic() < t_end:
            await asyncio.sleep(0.5)
            before = max(before, rss_mb())
        result["before_refresh_mb"] = before
        urls = json.loads(os.environ.get("BENCH_LISTING_URLS", "{}"))
        if urls:
            core.settings = core.settings.with_(listing_urls=urls)
            outcome = await core.refresh_listing()
            assert outcome.refreshed == ["SSE", "SZSE", "BSE"], outcome.errors
        if variant == "naive":
            from monitor.core.master import SymbolMaster
            from monitor.core.search import SymbolIndex

            bare = SymbolMaster(
                type(i)(i.symbol, i.name, i.board, i.st, i.prev_close) for i in core.master
            )
            core.index = window.quick.index = await asyncio.to_thread(SymbolIndex, bare)
        peak = 0.0
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            await asyncio.sleep(0.5)
            peak = max(peak, rss_mb())
        health = core.health()
        result.update(
            peak_mb=peak,
            end_mb=rss_mb(),
            rows=float(window.model.rowCount()),
            receiving=float(health.receiving if health else 0),
        )
        await core.close()

    with loop:
        loop.run_until_complete(main())
    return result


def run_variant(variant: str, seconds: float) -> dict[str, float]:
    return run_child(__file__, variant, 1700, seconds, seconds + 240)


def _exchanges() -> Any:
    """The tests' doc-written exchange servers listing the shipped listing's stocks."""
    from monitor.platform.resources import shipped_listing
    from tests.servers.exchanges_doc import DocExchanges
    from tests.servers.exchanges_doc import Row as Listed

    rows: dict[str, list[Listed]] = {"SH": [], "SZ": [], "BJ": []}
    for info in shipped_listing().master:
        if info.board.value != "index":
            code, _, ex = info.symbol.partition(".")
            rows[ex].append(Listed(code, info.name))
    return DocExchanges(sse=rows["SH"], szse=rows["SZ"], bse=rows["BJ"])


def run(seconds: float, write: bool = True) -> list[Row]:
    with _exchanges() as exchanges:
        os.environ["BENCH_LISTING_URLS"] = json.dumps(exchanges.urls())
        ours = run_variant("ours", seconds)
        naive = run_variant("naive", seconds)
    say(f"ours {ours}\nnaive {naive}")
    note = f"{ours['rows']:,.0f} rows, {ours['receiving']:,.0f} receiving"
    rows = [
        Row(
            "window, all market, 1,700 ticks/s: peak RSS",
            ours["peak_mb"],
            "MB",
            naive["peak_mb"],
            note,
        ),
        Row("same, RSS at the end", ours["end_mb"], "MB", naive["end_mb"]),
        Row(
            "same, peak before the listing refresh",
            ours["before_refresh_mb"],
            "MB",
            naive["before_refresh_mb"],
        ),
    ]
    text = table(rows, higher_is_better=False)
    say(text)
    if write:
        verdict = "met" if ours["peak_mb"] <= TARGET_MB else "missed"
        write_section(
            "window_memory",
            "Memory of the window in real use",
            f"python bench/window_memory.py --seconds {seconds:g}",
            f"Target: ≤ {TARGET_MB:.0f} MB RSS on the all-market view with quick search and "
            f"the calendar loaded and the day's listing refresh done (5,255 stocks from "
            f"the doc-written exchange servers), at 1,700 ticks/s (the simulator in its own "
            f"process) — "
            f"{verdict}. Naive: every name's pinyin computed at run time.\n\n" + text,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--child", choices=("ours", "naive"))
    ap.add_argument("--port", type=int)
    ap.add_argument("--home")
    args = ap.parse_args()
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.port, args.seconds, args.home)))
        return 0
    run(3.0 if args.short else args.seconds, write=not args.short)
    return 0


if __name__ == "__main__":
    sys.exit(main())
