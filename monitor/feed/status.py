"""What the user reads about the connection: one line per pool state, in zh or en.

Kept out of the widgets so the status bar and the reliability report (generated from
the fault tests) say exactly the same thing.
"""

from __future__ import annotations

import time

from monitor.feed.client import Phase, PoolState

__all__ = ["describe"]

_WORDS = {
    "connecting": ("连接中", "connecting"),
    "live": ("实时", "live"),
    "reconnecting": ("重连倒计时", "reconnecting in"),
    "failed": ("失败", "failed"),
    "stopped": ("已停止", "stopped"),
}


def describe(state: PoolState | None, lang: str = "en", now: float | None = None) -> str:
    """``live ×2``, ``reconnecting in 3 s: <reason>``, ``failed: <reason>`` ..."""
    zh = lang == "zh"

    def w(key: str) -> str:
        return _WORDS[key][0 if zh else 1]

    if state is None or state.phase in (Phase.CONNECTING, Phase.IDLE):
        return w("connecting")
    if state.phase is Phase.LIVE:
        n = len(state.connections)
        return w("live") + (f" ×{n}" if n > 1 else "")
    if state.phase is Phase.BACKOFF:
        secs = max(0.0, state.retry_at - (time.time() if now is None else now))
        return f"{w('reconnecting')} {secs:.0f} s: {state.reason}"
    if state.phase is Phase.FAILED:
        return f"{w('failed')}: {state.reason}"
    return w("stopped")
