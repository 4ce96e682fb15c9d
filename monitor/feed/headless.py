"""Headless collection: subscribe, listen for N seconds, return the filled quote book.

This is the engine of ``ashare-monitor export``: the same pool, book and exporter as
the window, with no Qt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from monitor.core.book import QuoteBook
from monitor.core.master import SymbolMaster
from monitor.core.quotes import Tick
from monitor.feed.client import FeedPool, Phase
from monitor.feed.config import FeedConfig, Protocol
from monitor.feed.http import DayBar, HttpError, fetch_daily, fetch_master

__all__ = ["CollectError", "Collection", "collect", "load_master"]

log = logging.getLogger(__name__)


class CollectError(Exception):
    """Collection could not produce anything; the message says why."""


@dataclass
class Collection:
    book: QuoteBook
    symbols: list[str]
    pool: FeedPool
    with_quotes: int


async def load_master(cfg: FeedConfig, local: SymbolMaster | None) -> SymbolMaster | None:
    """The server's symbol master merged with a local one; ``None`` if neither exists."""
    try:
        remote = await fetch_master(cfg)
    except HttpError as e:
        log.info("no symbol master from the server: %s", e)
        return local
    if local is not None:
        remote.merge(local)
    return remote


async def collect(
    cfg: FeedConfig,
    symbols: list[str] | None,
    seconds: float,
    *,
    master: SymbolMaster | None = None,
    wildcard: bool = False,
) -> Collection:
    """Subscribe ``symbols`` (``None`` = the whole master) and collect for ``seconds``."""
    master = await load_master(cfg, master)
    if symbols is None:
        if master is None or not len(master):
            raise CollectError(
                "--all needs the symbol list: the server does not serve /symbols; "
                "pass --master FILE.csv (for example exported from your broker)"
            )
        symbols = master.symbols()
    book = QuoteBook(master)
    book.ensure_all(symbols)

    def sink(ticks: list[Tick], received_ms: float) -> None:
        book.apply_many(ticks, received_ms)

    pool = FeedPool(cfg, sink)
    pool.set_symbols(symbols, wildcard=wildcard)
    await pool.start()
    daily: asyncio.Task[int] | None = None
    if cfg.protocol is Protocol.ALLTICK:

        def on_bar(bar: DayBar) -> None:
            book.set_day(
                bar.symbol, bar.prev_close, bar.open, bar.high, bar.low, bar.volume, bar.turnover
            )

        daily = asyncio.get_running_loop().create_task(fetch_daily(cfg, symbols, on_bar))
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(min(0.1, max(0.0, deadline - time.monotonic())))
            if pool.state.phase is Phase.FAILED:
                break
        if daily is not None:
            try:
                await asyncio.wait_for(daily, timeout=max(2.0, seconds / 2))
            except (TimeoutError, HttpError) as e:
                log.warning("previous closes incomplete: %s", e or "timed out")
    finally:
        if daily is not None and not daily.done():
            daily.cancel()
        state = pool.state
        await pool.stop()
    with_quotes = sum(1 for s in symbols if (q := book.quote(s)) is not None and q.ticks)
    if with_quotes == 0:
        reason = state.reason or pool.stats.last_error
        if state.phase is Phase.FAILED or pool.stats.frames == 0:
            raise CollectError(
                f"could not connect to {cfg.public_url()}: {reason or 'no data received'}"
            )
        raise CollectError(
            f"connected to {cfg.public_url()} but no quotes arrived in {seconds:g} s"
            + (f" ({reason})" if reason else "")
        )
    return Collection(book, symbols, pool, with_quotes)
