"""Codes a provider refuses for a whole subscription (AllTick's 600): found and isolated.

The server is written from AllTick's docs (tests/servers/alltick_doc.py): it refuses a
whole 22004 naming any code it does not serve, says not which, enforces the documented
spacing (1 s per connection, 2 s across connections: a request too early is refused with
605 and counted in ``srv.refusals``) and serves no symbol list.
"""

from __future__ import annotations

import time

from monitor.core.book import QuoteBook
from monitor.feed.config import FeedConfig
from monitor.service.session import FeedSession
from tests.feed.helpers import fast_backoff, wait_until
from tests.servers.alltick_doc import DocAllTick

CODES = [f"{600000 + i:06d}.SH" for i in range(200)]
UNSERVED = ["600007.SH", "600093.SH", "600150.SH"]


async def test_three_refused_codes_of_two_hundred_are_found_and_the_rest_priced() -> None:
    universe = {c: 10.0 + i / 100 for i, c in enumerate(CODES) if c not in UNSERVED}
    universe["600519.SH"] = 1500.0  # added to the watchlist later
    async with DocAllTick(universe=universe, unserved=UNSERVED, push_interval=0.05) as srv:
        cfg = FeedConfig.for_url(
            srv.url.split("?")[0], "alltick", "T", http_base=srv.http_base, backoff=fast_backoff
        )
        book = QuoteBook()
        session = FeedSession(cfg, book, book.master, want_master=False)
        found: list[list[str]] = []
        session.pool.on_refused = found.append
        session.set_symbols(CODES)
        t0 = time.monotonic()
        await session.start()
        try:
            # Codes found good are priced while the search goes on, not only at its end.
            await wait_until(
                lambda: session.health().receiving > 0 and session.pool.finding_refused, 20
            )
            progress = session.pool.finding_refused
            assert progress is not None and progress[1] == 200  # "n of 200 priced so far"
            await wait_until(
                lambda: session.health().receiving == 197, 45, "the 197 served codes priced"
            )
            took = time.monotonic() - t0
            assert sorted(session.pool.not_served) == UNSERVED
            assert [sorted(f) for f in found] == [UNSERVED]
            assert session.pool.finding_refused is None
            assert all((q := book.quote(c)) is None or q.last is None for c in UNSERVED)
            # Within the documented limits throughout: nothing refused for spacing.
            assert [r.ret for r in srv.refusals if r.ret != 600] == []
            # Not sent again: the pool subscribes the 197 only, and a resubscription of the
            # same watchlist (an edit elsewhere) costs no new search.
            requests = len(srv.subscribe_requests())
            session.set_symbols([*CODES, "600519.SH"])
            await wait_until(lambda: len(srv.subscribe_requests()) > requests, 5)
            last = srv.subscribe_requests()[-1][1]
            assert "600519.SH" in last and not set(UNSERVED) & set(last)
            await wait_until(
                lambda: (q := book.quote("600519.SH")) is not None and q.last is not None, 5
            )
            print(f"197 of 200 priced {took:.1f} s after start, 3 refused codes named")
        finally:
            await session.stop()
