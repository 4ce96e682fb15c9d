"""One English line per pool state, for logs and the generated reliability report.

The window shows the same states in the user's language (``monitor.ui.texts``).
"""

from __future__ import annotations

import time

from monitor.feed.client import Phase, PoolState

__all__ = ["describe"]


def describe(state: PoolState | None, now: float | None = None) -> str:
    """``live ×2``, ``reconnecting in 3 s: <reason>``, ``failed: <reason>`` ..."""
    if state is None or state.phase in (Phase.CONNECTING, Phase.IDLE):
        return "connecting"
    if state.phase is Phase.LIVE:
        n = len(state.connections)
        return "live" + (f" ×{n}" if n > 1 else "")
    if state.phase is Phase.BACKOFF:
        secs = max(0.0, state.retry_at - (time.time() if now is None else now))
        return f"reconnecting in {secs:.0f} s: {state.reason}"
    if state.phase is Phase.FAILED:
        return f"failed: {state.reason}"
    return "stopped"
