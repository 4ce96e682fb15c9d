"""AllTick's published plan limits, as data (providers.md §1.8 and §6).

A plan decides how many WebSocket connections a token may hold, how many codes each
may subscribe, and how fast the HTTP K-line API may be asked. The app never goes
past them: a server enforcing them refuses nothing (tests/servers/alltick_doc.py).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PLANS", "Plan", "plan_named"]


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    connections: int  # WebSocket connections per token (extra ones are cut)
    codes_per_connection: int  # codes beyond this are silently ignored by the server
    kline_batch: int  # items (codes × K-line types) per batch K-line request
    kline_interval: float  # seconds between batch K-line requests
    http_per_minute: int  # all HTTP requests of the token together


PLANS: dict[str, Plan] = {
    p.name: p
    for p in (
        Plan("free", 1, 5, 10, 10.0, 10),
        Plan("basic", 1, 100, 100, 3.0, 60),
        Plan("premium", 3, 200, 200, 2.0, 600),
        Plan("professional", 10, 3000, 500, 1.0, 1200),
        Plan("all-cn", 10, 3000, 500, 1.0, 1200),
    )
}


def plan_named(name: str) -> Plan:
    """The preset called ``name``; raises ``KeyError`` listing the valid names."""
    try:
        return PLANS[name]
    except KeyError:
        raise KeyError(f"unknown plan {name!r}: one of {', '.join(PLANS)}") from None
