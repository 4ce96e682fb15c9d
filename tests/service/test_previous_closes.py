"""Previous closes follow the subscription, however quickly it changes."""

from __future__ import annotations

import math

from monitor.core.book import QuoteBook
from monitor.feed.config import FeedConfig
from monitor.service.session import FeedSession
from tests.feed.helpers import wait_until
from tests.servers.alltick_doc import DocAllTick

UNIVERSE = {"600519.SH": 1450.0, "000001.SZ": 11.5, "600036.SH": 42.0, "300750.SZ": 260.0}


async def test_symbols_dropped_before_their_closes_came_get_them_when_back() -> None:
    """A view switched away and back (all market → watchlist → all market) while the first
    closes were being fetched: the symbols of the second switch still get theirs."""
    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        cfg = FeedConfig.for_url(srv.url.split("?")[0], "alltick", "T", http_base=srv.http_base)
        book = QuoteBook()
        session = FeedSession(cfg, book, book.master, want_master=False)
        few, many = ["600519.SH"], list(UNIVERSE)
        session.set_symbols(few)
        await session.start()
        try:
            session.set_symbols(many)  # queued while the first fetch runs …
            session.set_symbols(few)  # … and unsubscribed before their turn
            await wait_until(lambda: session.closes_idle.is_set(), 15, "first closes")
            session.set_symbols(many)

            def all_closes() -> bool:
                return all(
                    (q := book.quote(s)) is not None
                    and q.prev_close is not None
                    and not math.isnan(q.prev_close)
                    for s in many
                )

            await wait_until(all_closes, 15, "previous closes of every symbol")
        finally:
            await session.stop()
