"""Breadth over the book: up / flat / down in cents, limits, unknowns, turnover."""

from __future__ import annotations

import numpy as np

from monitor.core.book import QuoteBook
from monitor.core.breadth import breadth
from monitor.core.quotes import Tick

T0 = 1_795_570_200_000


def test_counts_agree_with_each_rows_change() -> None:
    b = QuoteBook()
    closes = {"600000.SH": 10.0, "600001.SH": 10.0, "600002.SH": 10.1, "600003.SH": 10.0}
    for s, c in closes.items():
        b.set_prev_close(s, c)
    b.ensure("600004.SH")  # no previous close, no price: unknown
    prices = {"600000.SH": 11.0, "600001.SH": 9.0, "600002.SH": 10.1, "600003.SH": 10.5}
    for i, (s, p) in enumerate(prices.items()):
        b.apply(Tick(s, p, T0 + i, volume=100, turnover=p * 100, seq=i + 1))
    got = breadth(b, np.arange(len(b), dtype=np.int64))
    assert (got.up, got.flat, got.down, got.unknown) == (2, 1, 1, 1)
    assert (got.limit_up, got.limit_down) == (1, 1)  # 11.00 and 9.00 on a 10 % board
    assert got.turnover == sum(p * 100 for p in prices.values())
    assert breadth(b, np.empty(0, np.int64)).up == 0
