"""What a provider protocol is to the rest of the program: a spec and a codec.

A :class:`ProtocolSpec` names a wire protocol, its default limits and what it can do
(its own heartbeat or WebSocket pings, the token in the URL, previous closes from a
daily K-line API or in the ticks themselves). A :class:`Codec` is one connection's
sans-I/O state machine: frames in -> ticks and one :class:`Event`; the subscription
it has sent and the one wanted -> the frames that bring the server from one to the
other; a heartbeat frame. The connection pool only moves bytes and obeys the limits.

Adding a protocol is one module defining both, plus one entry in
:data:`monitor.core.protocols.registry.PROTOCOLS`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from monitor.core.protocols.errors import ProviderError
from monitor.core.quotes import Depth, Tick

__all__ = ["Codec", "Event", "ProtocolSpec", "Subscription"]


@dataclass(frozen=True, slots=True)
class Event:
    """A control message: ``acked`` when the server took a subscription request (its
    spacing is counted from there), ``error`` when it refused something; order books
    (rare next to trades: only the selected symbols) travel here too."""

    acked: bool = False
    error: ProviderError | None = None
    text: str = ""
    depths: tuple[Depth, ...] = ()  # order-book pushes carried by the frame
    # Which request a reply answers, where the protocol tells: "trades" (the trade
    # subscription), "depth", "cancel"; "" when it does not.
    about: str = ""


@dataclass(slots=True)
class Subscription:
    """What one connection has told the server (the codec keeps it up to date)."""

    symbols: set[str] = field(default_factory=set)
    wildcard: bool = False
    depth: set[str] = field(default_factory=set)  # order-book subscription


class Codec(Protocol):
    """One connection's protocol state; pure."""

    def decode(self, frame: str | bytes, now_ms: int) -> tuple[list[Tick], Event | None]:
        """Ticks and at most one control event; raises ProtocolError for a bad frame."""
        ...

    def plan(
        self,
        sent: Subscription,
        want: Sequence[str],
        wildcard: bool,
        resend: bool,
        depth: Sequence[str] = (),
    ) -> list[str]:
        """Frames that make the server's subscription ``want`` (+ ``*`` if ``wildcard``)
        and its order-book subscription ``depth`` (where the protocol has one); updates
        ``sent``. ``resend``: the last request was dropped, send it again."""
        ...

    def heartbeat(self) -> str | None:
        """The next application-level heartbeat frame (None: WebSocket pings instead)."""
        ...


@dataclass(frozen=True)
class ProtocolSpec:
    name: str
    codec: Callable[..., Codec]  # (list_form, code_style) -> a fresh codec per connection
    # FeedConfig defaults for this protocol (limits from its published rules).
    defaults: dict[str, object] = field(default_factory=dict)
    ws_path: str | None = None  # a URL with this path speaks this protocol
    own_heartbeat: bool = False  # sends heartbeat() frames; no WebSocket pings
    token_required: bool = False  # no connection without a token
    token_bound_to_url: bool = False  # a stored token is sent only to the URL it was saved for
    plans: bool = False  # limits come from the subscription plan (see core.plans)
    daily_closes: bool = False  # previous closes come from a daily K-line HTTP API
    wildcard: bool = False  # can subscribe the whole market with ``*``
    depth: bool = False  # has an order-book subscription (五档)
    symbol_list: bool = True  # its HTTP API may serve a symbol list (asked once; 404: none)
