"""What a provider never sent is empty, never 0: the seed article's server sends only
code, price and time (tests/servers/batch_doc.py, ``article_fields``)."""

from __future__ import annotations

import csv
import io
import math

import numpy as np

from monitor.core.breadth import breadth
from monitor.core.export import render_csv
from monitor.feed.config import FeedConfig
from monitor.service.collect import collect
from tests.servers.batch_doc import DocBatchServer

UNIVERSE = {"600519.SH": 1450.0, "000001.SZ": 11.5}


async def test_volume_and_turnover_never_sent_stay_empty_in_book_csv_and_breadth() -> None:
    async with DocBatchServer(universe=UNIVERSE, push_interval=0.05, article_fields=True) as srv:
        result = await collect(FeedConfig.for_url(srv.url, "generic"), list(UNIVERSE), 1.5)
    book = result.book
    quotes = [q for s in UNIVERSE if (q := book.quote(s)) is not None]
    assert len(quotes) == 2 and all(q.last is not None and q.ticks > 1 for q in quotes)
    assert all(math.isnan(q.volume) and math.isnan(q.turnover) for q in quotes)
    rows = list(csv.DictReader(io.StringIO(render_csv(quotes).decode("utf-8-sig"))))
    assert [(r["volume"], r["turnover"]) for r in rows] == [("", ""), ("", "")]
    assert all(r["last"] for r in rows)
    idx = np.array([book.row_of(s) for s in UNIVERSE], np.int64)
    assert math.isnan(breadth(book, idx).turnover)  # "—" on the bar, not "Turnover 0"


async def test_a_volume_sent_without_turnover_keeps_turnover_empty() -> None:
    async with DocBatchServer(universe=UNIVERSE, push_interval=0.05) as srv:  # volume, no turnover
        result = await collect(FeedConfig.for_url(srv.url, "generic"), list(UNIVERSE), 1.5)
    q = result.book.quote("600519.SH")
    assert q is not None and q.volume > 0 and math.isnan(q.turnover)
    row = next(csv.DictReader(io.StringIO(render_csv([q]).decode("utf-8-sig"))))
    assert row["volume"] != "" and row["turnover"] == ""
