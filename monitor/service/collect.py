"""Headless collection: subscribe, listen for N seconds, return the filled quote book.

This is the engine of ``ashare-monitor export``: the same provider session (pool,
book, side channels) as the window, with no Qt.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from monitor.core.book import QuoteBook
from monitor.core.calendar import TradingCalendar
from monitor.core.master import SymbolMaster
from monitor.core.symbols import Board
from monitor.feed.client import FeedPool, Phase
from monitor.feed.config import FeedConfig
from monitor.feed.http import HttpError, fetch_master
from monitor.service.session import DROP_REASONS, FeedSession

__all__ = ["CollectError", "Collection", "collect"]

log = logging.getLogger(__name__)


class CollectError(Exception):
    """Collection could not produce anything; the message says why."""


@dataclass
class Collection:
    book: QuoteBook
    symbols: list[str]  # what was asked for and is served (the rows to export)
    pool: FeedPool
    with_quotes: int
    not_served: list[str] = field(default_factory=list)  # refused by the provider


async def collect(
    cfg: FeedConfig,
    symbols: list[str] | None,
    seconds: float,
    *,
    master: SymbolMaster | None = None,
    market: list[str] | None = None,
    wildcard: bool = False,
    stop: asyncio.Event | None = None,
    attach: Sequence[Callable[[FeedSession], None]] = (),
    ask_symbol_list: bool = True,
    delisted: AbstractSet[str] = frozenset(),
) -> Collection:
    """Subscribe ``symbols`` (``None`` = the whole market) and collect for ``seconds``.

    ``master`` names the symbols (the shipped listing, a user's CSV). The whole market
    is the provider's own symbol list where it serves one, else ``market``, else every
    stock in ``master``. The feed starts at once; previous closes are fetched beside it.
    ``ask_symbol_list=False``: the caller already merged the provider's list into
    ``master`` (the CLI checks codes against it), so it is not asked for again.
    ``delisted``: stocks their exchange no longer lists, left out of the whole market
    even where a provider's list still has them.
    """
    listing = master if master is not None else SymbolMaster()
    asked = not ask_symbol_list  # the provider's list was asked for already: once is enough
    if symbols is None and not wildcard:
        asked = True
        # The whole market needs the list before it can subscribe.
        try:
            if not cfg.asks_symbol_list:
                raise HttpError("the provider serves no symbol list")
            remote = await fetch_master(cfg)
        except HttpError as e:
            log.info("no symbol list from the server (%s): the shipped listing is used", e)
        else:
            listing.merge(remote)
            symbols = [s for s in remote.symbols() if s not in delisted]
        if symbols is None:
            symbols = market or [i.symbol for i in listing if i.board is not Board.INDEX]
        if not symbols:
            raise CollectError(
                "--all needs a symbol list: the server serves none and no listing is known; "
                "pass --master FILE.csv (for example exported from your broker), "
                "or --wildcard on the batch protocol"
            )
    # The exchanges' calendar counts new listings' no-limit first days.
    book = QuoteBook(listing, is_trading_day=TradingCalendar().is_trading_day)
    session = FeedSession(cfg, book, listing, want_master=not asked)
    for fn in attach:  # e.g. the recorder: every applied tick
        fn(session)
    subscribe = symbols or []
    session.set_symbols(subscribe, wildcard=wildcard)
    await session.start()
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
            if session.pool.state.phase is Phase.FAILED or (stop is not None and stop.is_set()):
                break
        interrupted = stop is not None and stop.is_set()
        # A refused list being split: finish finding the codes the provider does not
        # serve (each request within its spacing), or the rest of that list is unpriced.
        until = time.monotonic() + max(30.0, seconds)
        while not interrupted and session.pool.finding_refused and time.monotonic() < until:
            await asyncio.sleep(0.1)
            interrupted = stop is not None and stop.is_set()
        if (
            not interrupted
            and session.pool.state.phase is not Phase.FAILED
            and not session.closes_idle.is_set()
        ):
            # Previous closes still coming, paced by the provider's plan (batches of
            # kline_batch, kline_interval apart): wait as long as that pace needs for
            # what is missing, with a margin, then export what there is — empty, never
            # wrong; the summary says how many rows lack one.
            batches = -(-session.closes_pending() // max(1, cfg.kline_batch))
            extra = max(2.0, seconds, (batches + 1) * cfg.kline_interval * 1.5 + 5.0)
            log.info("waiting up to %.0f s for the remaining previous closes", extra)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(session.closes_idle.wait(), extra)
    finally:
        state = session.pool.state
        await session.stop()
    for note in session.notes.values():
        log.warning("%s", note)
    if wildcard and not symbols:
        subscribe = [s for s in book.symbols if book.ticks[book.row_of(s) or 0]]
    not_served = list(session.pool.not_served)
    if not_served:
        refused = set(not_served)
        subscribe = [s for s in subscribe if s not in refused]
    with_quotes = sum(1 for s in subscribe if (q := book.quote(s)) is not None and q.ticks)
    stats = session.pool.stats
    if with_quotes == 0:
        reason = state.reason or stats.last_error
        if state.phase is Phase.FAILED or stats.frames == 0:
            raise CollectError(
                f"could not connect to {cfg.public_url()}: {reason or 'no data received'}"
            )
        dropped = DROP_REASONS.get(book.stats.main_drop())
        raise CollectError(
            f"connected to {cfg.public_url()} but no quotes arrived in {seconds:g} s"
            + (f" ({dropped})" if dropped else f" ({reason})" if reason else "")
        )
    return Collection(book, subscribe, session.pool, with_quotes, not_served)
