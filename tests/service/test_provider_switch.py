"""Switching provider starts a clean session: no number of the old one survives.

Two servers written from the seed article's protocol serve the same codes at very
different prices (and different previous closes, open, high, low); after switching,
every column and the history must come from the new one alone.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from monitor.core.settings import Settings
from monitor.core.watchlist import DEFAULT_LIST
from monitor.feed.status import describe
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService
from tests.feed.helpers import wait_until
from tests.reliability import REPORT, Row
from tests.servers.batch_doc import DocBatchServer

CODES = ["600519.SH", "000001.SZ", "300750.SZ"]
OLD = {"600519.SH": 1500.0, "000001.SZ": 11.0, "300750.SZ": 250.0}
NEW = {"600519.SH": 50.0, "000001.SZ": 900.0, "300750.SZ": 3.0}


def _within(value: float | None, base: float, band: float = 0.05) -> bool:
    return value is not None and math.isfinite(value) and abs(value / base - 1) <= band


async def test_switching_provider_shows_no_number_of_the_old_one(tmp_path: Path) -> None:
    async with (
        DocBatchServer(universe=OLD, push_interval=0.05, extra_fields=True) as old,
        DocBatchServer(universe=NEW, push_interval=0.05, extra_fields=True) as new,
    ):
        paths = Paths(tmp_path / "config", tmp_path / "logs")
        settings = Settings(provider="generic", generic_url=old.url)
        core = MonitorService(paths, settings)
        core.watchlists.replace(DEFAULT_LIST, CODES)
        await core.start(master_wait=0.0)
        try:
            await wait_until(
                lambda: all(_within((q := core.book.quote(s)) and q.last, OLD[s]) for s in CODES),
                5,
                "the old provider's prices",
            )
            switched_at = time.time()
            await core.apply_settings(settings.with_(generic_url=new.url))
            # Right after the switch: empty cells, or already the new provider's first tick
            # (a loaded machine may let it arrive before apply_settings returns) -- never
            # a number of the old one.
            blank = all(
                (q := core.book.quote(s)) is not None
                and (
                    (q.last is None and q.prev_close is None)
                    or (q.time_ms >= switched_at * 1000 and _within(q.last, NEW[s]))
                )
                for s in CODES
            )
            await wait_until(
                lambda: all(
                    (q := core.book.quote(s)) is not None and q.time_ms >= switched_at * 1000
                    for s in CODES
                ),
                5,
                "the new provider's prices",
            )
            seen = describe(core.state)
            wrong: list[str] = []
            for s in CODES:
                q = core.book.quote(s)
                assert q is not None
                for field in ("last", "prev_close", "open", "high", "low"):
                    if not _within(getattr(q, field), NEW[s]):
                        wrong.append(f"{s} {field}={getattr(q, field)}")
                if q.limit_up is not None and not _within(q.limit_up, NEW[s], 0.35):
                    wrong.append(f"{s} limit_up={q.limit_up}")
                if q.change_pct is not None and abs(q.change_pct) > 5:
                    wrong.append(f"{s} change_pct={q.change_pct:.2f}")
                r = core.book.row_of(s)
                assert r is not None
                hist = core.book.history(r).prices
                if not all(_within(float(p), NEW[s]) for p in hist if p == p):
                    wrong.append(f"{s} history")
        finally:
            await core.stop()
    REPORT.count("faults injected")
    row = REPORT.add(
        Row(
            "provider switch",
            "switch from one batch server to another with a different price universe",
            f"{seen}; every cell empty until the new provider's first tick",
            True,
            None,
            f"{len(CODES)}/{len(CODES)}",
            {"blank at once": blank, "no old number": not wrong},
            "last, prev close, open, high, low, limits, change %, history checked",
        )
    )
    assert row.passed, (row.failed_checks, wrong)
