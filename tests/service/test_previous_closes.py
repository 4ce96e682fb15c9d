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


async def test_batch_spacing_holds_across_sessions_of_one_provider() -> None:
    """Two sessions of one provider one after the other (a reconnect, a settings change)
    with the owner's pacers: the second's first batch waits out the first's last one."""
    from monitor.feed.http import HttpPacer
    from tests.servers import alltick_doc

    plan = alltick_doc.ALL_CN.with_(batch_items=2, batch_interval=2.0)
    async with DocAllTick(universe=UNIVERSE, plan=plan, push_interval=0.05) as srv:
        cfg = FeedConfig.for_url(
            srv.url.split("?")[0],
            "alltick",
            "T",
            http_base=srv.http_base,
            kline_batch=2,
            kline_interval=2.0,
        )
        http, batch = HttpPacer(cfg.http_interval), HttpPacer(cfg.kline_interval)
        for _ in range(2):
            book = QuoteBook()
            session = FeedSession(
                cfg, book, book.master, want_master=False, http_pacer=http, batch_pacer=batch
            )
            session.set_symbols(list(UNIVERSE))
            await session.start()
            try:
                await wait_until(session.closes_idle.is_set, 15, "closes")
            finally:
                await session.stop()
    batches = [r for r in srv.http_requests if r.path.endswith("/batch-kline")]
    assert len(batches) == 4
    assert not [r for r in srv.http_refusals if r.ret != 404], srv.http_refusals
