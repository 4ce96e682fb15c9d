"""The A-share listing kept current: the shipped snapshot, overlaid per exchange with
what the exchanges themselves last listed, refreshed at most once a day.

The refreshed listing is cached (``exchange_listing.json`` in the user's cache folder)
with the date each exchange was asked and what the last refresh changed — new
listings, delistings, new names — so the window can flag them after a restart too.
An exchange whose answer is unreachable, broken or implausible (far fewer stocks than
before) keeps its previous list; the others are still refreshed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.core.atomic import atomic_write_text
from monitor.core.exchange_listing import (
    EXCHANGES,
    SUFFIX,
    Listed,
    ListingChanges,
    clean_name,
    compare,
    implausible,
)
from monitor.core.listing import Listing
from monitor.core.master import SymbolInfo, SymbolMaster, is_st
from monitor.core.symbols import Board, SymbolError, board_of, normalize
from monitor.feed.exchange_fetch import ExchangeEndpoints, ExchangeResult, fetch_exchange

__all__ = ["Failure", "ListingKeeper", "RefreshOutcome"]

log = logging.getLogger(__name__)
_VERSION = 1
_MAX_CACHE = 8 << 20


def _exchange_of(symbol: str) -> str:
    suffix = symbol.rpartition(".")[2]
    return next(ex for ex, s in SUFFIX.items() if s == suffix)


@dataclass(frozen=True)
class Failure:
    """Why one exchange's list was not refreshed: ``kind`` is "unreachable",
    "not_a_listing", "incomplete" (an answer that cannot be the whole list), "busy",
    "failed" (the refresh itself stopped) or "not_saved" (the cache could not be written);
    ``detail`` says it in one line (English, for the log and the command line)."""

    exchange: str
    kind: str
    detail: str


@dataclass
class RefreshOutcome:
    """What one refresh did: which exchanges answered, the changes, what failed."""

    refreshed: list[str] = field(default_factory=list)
    changes: ListingChanges = field(default_factory=ListingChanges)
    failures: list[Failure] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [f.detail for f in self.failures]

    def to_json(self) -> dict[str, Any]:
        return {
            "refreshed": self.refreshed,
            "changes": self.changes.to_json(),
            "failures": [[f.exchange, f.kind, f.detail] for f in self.failures],
        }

    @classmethod
    def from_json(cls, data: object) -> RefreshOutcome:
        """Read what :meth:`to_json` wrote (a child process's answer); odd parts dropped."""
        if not isinstance(data, dict):
            return cls()
        refreshed = data.get("refreshed")
        failures = data.get("failures")
        return cls(
            [ex for ex in refreshed if ex in EXCHANGES] if isinstance(refreshed, list) else [],
            ListingChanges.from_json(data.get("changes")),
            [
                Failure(*(str(x)[:500] for x in f))
                for f in (failures if isinstance(failures, list) else [])[:10]
                if isinstance(f, list) and len(f) == 3
            ],
        )


class ListingKeeper:
    """Per exchange: the stocks the app takes as listed, their source and date."""

    def __init__(self, shipped: Listing, cache: Path) -> None:
        self.cache = cache
        self._shipped = shipped
        self.shipped_as_of = shipped.as_of
        self.stocks: dict[str, dict[str, Listed]] = {ex: {} for ex in EXCHANGES}
        for info in shipped.master:
            if info.board is not Board.INDEX:
                self.stocks[_exchange_of(info.symbol)][info.symbol] = Listed(info.symbol, info.name)
        self.fetched: dict[str, str] = {}  # exchange -> the day it was last listed from it
        self.changes = ListingChanges()  # of the last refresh that changed anything
        self.changed_on = ""
        self.delisted: dict[str, str] = {}  # symbol -> the day its exchange stopped listing it
        self.problem = ""  # why the cache could not be read
        self._load()

    # --- what is known -------------------------------------------------------------
    @property
    def as_of(self) -> str:
        """The listing's date: the oldest day an exchange was asked, else the snapshot's."""
        return min(self.fetched.values()) if self.from_exchanges else self.shipped_as_of

    @property
    def from_exchanges(self) -> bool:
        return len(self.fetched) == len(EXCHANGES)

    def symbols(self) -> list[str]:
        """Every listed stock, in code order per exchange (SSE, SZSE, BSE)."""
        return [s for ex in EXCHANGES for s in sorted(self.stocks[ex])]

    def master(self) -> SymbolMaster:
        """Names (and ST from them) of the stocks the exchanges listed."""
        return SymbolMaster(
            SymbolInfo(r.symbol, r.name, board_of(r.symbol), is_st(r.name), listed=r.list_date)
            for ex in EXCHANGES
            if ex in self.fetched
            for r in self.stocks[ex].values()
        )

    def current_master(self) -> SymbolMaster:
        """The whole listing for a command line run: the snapshot's indices, the stocks
        as the exchanges last listed them (delisted ones out)."""
        listed = self._listed()
        master = SymbolMaster(
            i
            for i in self._shipped.master
            if i.board is Board.INDEX or (i.symbol in listed and i.symbol not in self.delisted)
        )
        master.merge(self.master())
        return master

    def due(self, today: dt.date) -> list[str]:
        """Exchanges not yet asked today (a date ahead of today — a clock that was
        wrong — counts as not asked)."""
        return [ex for ex in EXCHANGES if self.fetched.get(ex, "") != today.isoformat()]

    # --- refreshing ----------------------------------------------------------------
    async def refresh(
        self,
        endpoints: ExchangeEndpoints,
        today: dt.date,
        *,
        exchanges: list[str] | None = None,
        in_thread: Callable[[Callable[[], Any]], Awaitable[Any]] = asyncio.to_thread,
        record_to: Path | None = None,
        ca_file: str | None = None,
    ) -> RefreshOutcome:
        """Ask the exchanges (all of them, or those given) for their listing, then apply
        the answers that can be whole lists, all at once, and save the cache. The
        others keep their previous lists.

        A stock is delisted only when its exchange's answer arrived whole (every row it
        announced, none unreadable) and no longer lists it.
        """
        outcome = RefreshOutcome()
        results: list[ExchangeResult] = []
        for ex in exchanges or list(EXCHANGES):  # one at a time: they are small, spaced
            results.append(
                await in_thread(
                    functools.partial(
                        fetch_exchange, ex, endpoints, record_to=record_to, ca_file=ca_file
                    )
                )
            )
        day = today.isoformat()
        changes: list[ListingChanges] = []
        for result in results:
            ex, page = result.exchange, result.page
            if page is None:
                outcome.failures.append(Failure(ex, result.kind or "unreachable", result.error))
                continue
            old = self.stocks[ex]
            listed = {r.symbol: r for r in page.rows}
            missing = sum(1 for s in old if s not in listed)
            recent = ex in self.fetched and (
                today - dt.date.fromisoformat(self.fetched[ex])
            ) <= dt.timedelta(days=31)
            why = implausible(ex, page, len(old), recent=recent, missing=missing)
            if why is not None:
                outcome.failures.append(
                    Failure(ex, "incomplete", f"{why}: the previous list is kept")
                )
                continue
            if page.skipped:
                # An unreadable row may be a listed stock: nothing is delisted this time.
                log.info("listing refresh: %s: %d rows skipped", ex, page.skipped)
                listed = {**{s: r for s, r in old.items() if s not in listed}, **listed}
            since = self.fetched.get(ex, self.shipped_as_of)
            changes.append(
                compare({s: r.name for s, r in old.items()}, list(listed.values()), since)
            )
            self.stocks[ex] = dict(sorted(listed.items()))
            self.fetched[ex] = day
            outcome.refreshed.append(ex)
        if outcome.refreshed:
            outcome.changes = ListingChanges(
                [r for c in changes for r in c.new],
                [d for c in changes for d in c.delisted],
                [r for c in changes for r in c.renamed],
                [r for c in changes for r in c.added],
                min(c.since for c in changes),
            )
            for sym, _name in outcome.changes.delisted:
                self.delisted[sym] = day
            for r in outcome.changes.new + outcome.changes.added:
                self.delisted.pop(r.symbol, None)
            if outcome.changes:
                self.changes, self.changed_on = outcome.changes, day
            why = self._save()
            if why:  # whoever reads the cache next would not see this refresh
                outcome.failures.append(
                    Failure("", "not_saved", f"the refreshed listing could not be saved: {why}")
                )
        return outcome

    def reload(self) -> None:
        """Read the cache again (another process refreshed it)."""
        fresh = ListingKeeper(self._shipped, self.cache)
        self.stocks, self.fetched = fresh.stocks, fresh.fetched
        self.delisted.clear()  # in place: views hold this mapping
        self.delisted.update(fresh.delisted)
        self.changes, self.changed_on, self.problem = fresh.changes, fresh.changed_on, fresh.problem

    # --- the cache -----------------------------------------------------------------
    def _save(self) -> str:
        """Write the cache; "" when written, else why not."""
        data = {
            "version": _VERSION,
            "exchanges": {
                ex: {
                    "fetched": self.fetched[ex],
                    "rows": [[r.symbol, r.name, r.list_date] for r in self.stocks[ex].values()],
                }
                for ex in EXCHANGES
                if ex in self.fetched
            },
            "delisted": self.delisted,
            "changes": self.changes.to_json(),
            "changed_on": self.changed_on,
        }
        try:
            atomic_write_text(self.cache, json.dumps(data, ensure_ascii=False))
        except OSError as e:
            why = f"{self.cache}: {e.strerror or e}"
            log.warning("listing refresh: not saved: %s", why)
            return why
        return ""

    def _load(self) -> None:
        """Overlay the cached exchange lists; a damaged cache is ignored (and said)."""
        try:
            if not self.cache.exists():
                return
            if self.cache.stat().st_size > _MAX_CACHE:
                raise ValueError("larger than 8 MB")
            data = json.loads(self.cache.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError) as e:
            self._drop_cache(f"not read ({str(e)[:80]})")
            return
        if not isinstance(data, dict) or data.get("version") != _VERSION:
            self._drop_cache("not a listing cache")
            return
        exchanges = data.get("exchanges")
        for ex in EXCHANGES:
            entry = exchanges.get(ex) if isinstance(exchanges, dict) else None
            rows = _cached_rows(ex, entry)
            if rows is None or not isinstance(entry, dict):
                continue
            fetched = entry.get("fetched")
            if not (isinstance(fetched, str) and _is_day(fetched)):
                continue
            shipped = len(self.stocks[ex])
            if shipped >= 100 and len(rows) < shipped * 0.5:  # not a list that ever passed
                continue
            self.stocks[ex] = {r.symbol: r for r in rows}
            self.fetched[ex] = fetched
        delisted = data.get("delisted")
        if isinstance(delisted, dict):
            listed = self._listed()
            self.delisted = {
                s: d
                for s, d in list(delisted.items())[:20_000]
                if isinstance(d, str) and _is_day(d) and _canonical(s) and s not in listed
            }
        self.changes = ListingChanges.from_json(data.get("changes"))
        changed_on = data.get("changed_on")
        self.changed_on = changed_on if isinstance(changed_on, str) and _is_day(changed_on) else ""

    def _drop_cache(self, why: str) -> None:
        """A damaged cache is only a cache: removed (the next refresh writes it again)."""
        self.problem = f"{self.cache.name}: {why}; removed, the shipped listing is used"
        log.warning("listing: %s", self.problem)
        with contextlib.suppress(OSError):
            self.cache.unlink()

    def _listed(self) -> set[str]:
        return {s for ex in EXCHANGES for s in self.stocks[ex]}


def _is_day(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _canonical(symbol: object) -> bool:
    if not isinstance(symbol, str):
        return False
    try:
        return normalize(symbol) == symbol
    except SymbolError:
        return False


def _cached_rows(exchange: str, entry: object) -> list[Listed] | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("rows"), list):
        return None
    rows = []
    for item in entry["rows"][:20_000]:
        if not (
            isinstance(item, list) and len(item) == 3 and all(isinstance(x, str) for x in item)
        ):
            continue
        symbol, name, day = item
        if not _canonical(symbol) or _exchange_of(symbol) != exchange:
            continue
        if board_of(symbol) is Board.INDEX or not clean_name(name):
            continue
        rows.append(Listed(symbol, clean_name(name), day if _is_day(day) else ""))
    return rows or None
