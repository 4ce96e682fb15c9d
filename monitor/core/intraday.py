"""The 分时 time axis: an A-share trading day as 240 minutes, the lunch break closed.

``x = 0`` is 09:30, ``120`` is both 11:30 and 13:00, ``240`` is 15:00. A minute's point
sits at the minute's end, as terminals draw it (trades of 09:30:00–09:30:59 at 09:31);
the opening auction lands on 0, trades after 11:30 on 120, after 15:00 on 240.

Points outside a trading day's hours (the simulator running in the evening) have no
place on this axis; :func:`in_session` says so and the chart falls back to clock time.
After-hours fixed-price trades (STAR / ChiNext, 15:05–15:30) are not part of the 分时
chart: :func:`session_mask` leaves them out rather than the day leaving the axis.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["SESSION_MINUTES", "TICKS", "in_session", "label_at", "session_mask", "session_x"]

SESSION_MINUTES = 240
_CST_S = 8 * 3600  # China has one offset and no summer time
_OPEN_AUCTION, _MORNING, _NOON, _AFTERNOON, _CLOSE, _LATE = 555, 570, 690, 780, 900, 905
_AFTER_HOURS_END = 931  # after-hours fixed-price trading ends at 15:30
TICKS = ((0, "09:30"), (60, "10:30"), (120, "11:30/13:00"), (180, "14:00"), (240, "15:00"))


def _minute_of_day(starts_s: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:
    return ((starts_s.astype(np.int64) + _CST_S) // 60) % 1440


def session_mask(starts_s: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    """Which points belong on the session axis (09:15–15:05 China time)."""
    m = _minute_of_day(starts_s)
    return (m >= _OPEN_AUCTION) & (m < _LATE)


def in_session(starts_s: npt.NDArray[np.float64]) -> bool:
    """True when the points are one China day's trading: every one between 09:15 and
    15:05, or after-hours trading up to 15:30 (left out of the chart), some in hours."""
    if not len(starts_s):
        return False
    days = (starts_s.astype(np.int64) + _CST_S) // 86400
    m = _minute_of_day(starts_s)
    ok = (m >= _OPEN_AUCTION) & (m < _AFTER_HOURS_END)
    return bool(days.min() == days.max() and ok.all() and session_mask(starts_s).any())


def session_x(starts_s: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Session-axis position of each minute bucket starting at ``starts_s`` (epoch s)."""
    m = _minute_of_day(starts_s)
    x = np.select(
        [m < _MORNING, m < _NOON, m < _AFTERNOON, m < _CLOSE],
        [0, m - _MORNING + 1, 120, m - _AFTERNOON + 121],
        default=SESSION_MINUTES,
    )
    return x.astype(np.float64)


def label_at(x: float) -> str:
    """China time (HH:MM) of a session-axis position; 120 is the lunch break's edges."""
    i = round(min(max(x, 0.0), float(SESSION_MINUTES)))
    if i == 120:
        return "11:30/13:00"
    minute = _MORNING + i if i < 120 else _AFTERNOON + i - 120
    return f"{minute // 60:02d}:{minute % 60:02d}"
