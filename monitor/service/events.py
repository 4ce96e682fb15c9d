"""Typed events the application publishes, and the small bus that carries them.

The service never calls into the UI: it publishes what happened (a list changed, an
alert fired, the symbol list arrived, something could not be saved) and whoever
observes — the window through a Qt bridge, a test, the CLI — reacts. Subscribers are
called synchronously on the event loop's thread, in the order they subscribed; one
that raises is logged and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.core.alert_log import LoggedAlert
from monitor.core.alerts import AlertEvent
from monitor.core.settings import Settings

if TYPE_CHECKING:
    from monitor.service.listing_keeper import RefreshOutcome

__all__ = [
    "AlertFired",
    "AlertsChanged",
    "CalendarReady",
    "Event",
    "EventBus",
    "HoldingsChanged",
    "IndexReady",
    "ListingRefreshed",
    "ListsChanged",
    "MasterChanged",
    "NotSaved",
    "SessionStarted",
    "SettingsChanged",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ListsChanged:
    """Watchlists were edited (and saved, and resubscribed).

    ``name``: the list edited (None: several or the set of lists); ``select``: the
    symbols the edit brought in or moved, for the view to select; ``row``: a display row
    to select instead (after a removal, the row below); ``structure``: lists were
    created, renamed, deleted or restored (the list panel must be rebuilt).
    """

    name: str | None = None
    select: tuple[str, ...] = ()
    row: int | None = None
    structure: bool = False


@dataclass(frozen=True, slots=True)
class ListingRefreshed:
    """The exchanges were asked for their listing: what was refreshed, what changed and
    what failed."""

    outcome: RefreshOutcome


@dataclass(frozen=True, slots=True)
class AlertFired:
    event: AlertEvent
    logged: LoggedAlert  # as kept in the alert log (when it fired)


@dataclass(frozen=True, slots=True)
class AlertsChanged:
    """Rules were added, edited, removed or re-armed."""


@dataclass(frozen=True, slots=True)
class HoldingsChanged:
    """A holding was set, removed or imported."""


@dataclass(frozen=True, slots=True)
class MasterChanged:
    """Names or the market's symbol list changed (the provider's list, an import)."""

    generation: int


@dataclass(frozen=True, slots=True)
class SettingsChanged:
    old: Settings
    new: Settings


@dataclass(frozen=True, slots=True)
class SessionStarted:
    """A provider session started (the first one, or after a provider change)."""

    simulated: bool


@dataclass(frozen=True, slots=True)
class IndexReady:
    """The pinyin/name search index is built."""


@dataclass(frozen=True, slots=True)
class CalendarReady:
    """The trading calendar is loaded (until then every weekday counts as trading)."""


@dataclass(frozen=True, slots=True)
class NotSaved:
    """Something the user did is in effect but could not be written to disk."""

    what: str  # "watchlists", "alerts", "settings", "export": the UI names it
    detail: str


Event = (
    ListsChanged
    | AlertFired
    | AlertsChanged
    | HoldingsChanged
    | MasterChanged
    | SettingsChanged
    | SessionStarted
    | IndexReady
    | CalendarReady
    | NotSaved
    | ListingRefreshed
)


class EventBus:
    """Publish/subscribe for :data:`Event`; synchronous, one thread."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[Event], None]] = []

    def subscribe(self, fn: Callable[[Event], None]) -> Callable[[], None]:
        """Call ``fn`` with every event from now on; returns the unsubscribe function."""
        self._subscribers.append(fn)
        return lambda: self._subscribers.remove(fn) if fn in self._subscribers else None

    def publish(self, event: Event) -> None:
        for fn in list(self._subscribers):
            try:
                fn(event)
            except Exception:
                log.exception("event subscriber failed on %s", type(event).__name__)
