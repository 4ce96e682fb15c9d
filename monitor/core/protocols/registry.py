"""Every wire protocol the feed speaks, by name: one entry per protocol module."""

from __future__ import annotations

from monitor.core.protocols import alltick, generic
from monitor.core.protocols.base import ProtocolSpec

__all__ = ["PROTOCOLS", "protocol_for_path"]

PROTOCOLS: dict[str, ProtocolSpec] = {spec.name: spec for spec in (alltick.SPEC, generic.SPEC)}
DEFAULT = generic.SPEC  # any other path: the seed article's batch-subscribe server


def protocol_for_path(path: str) -> ProtocolSpec:
    """The protocol a WebSocket URL path implies (AllTick's fixed path, else batch)."""
    path = path.rstrip("/")
    return next((s for s in PROTOCOLS.values() if s.ws_path == path), DEFAULT)
