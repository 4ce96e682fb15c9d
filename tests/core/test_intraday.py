"""The 分时 session axis: the lunch break closed, each minute at its end."""

from __future__ import annotations

import datetime as dt

import numpy as np

from monitor.core import intraday
from monitor.core.quotes import SHANGHAI


def _at(h: int, m: int) -> float:
    return dt.datetime(2026, 11, 30, h, m, tzinfo=SHANGHAI).timestamp()


def test_session_positions_close_the_lunch_break() -> None:
    starts = np.array(
        [_at(9, 25), _at(9, 30), _at(11, 29), _at(11, 30), _at(13, 0), _at(14, 59), _at(15, 0)]
    )
    assert intraday.session_x(starts).tolist() == [0, 1, 120, 120, 121, 240, 240]


def test_labels_of_positions() -> None:
    assert [intraday.label_at(x) for x in (0, 1, 60, 120, 121, 180, 240)] == [
        "09:30",
        "09:31",
        "10:30",
        "11:30/13:00",
        "13:01",
        "14:00",
        "15:00",
    ]


def test_points_outside_trading_hours_are_not_on_the_session_axis() -> None:
    day = np.array([_at(9, 30), _at(14, 0)])
    assert intraday.in_session(day)
    assert not intraday.in_session(np.array([_at(9, 30), _at(20, 0)]))
    assert not intraday.in_session(np.array([_at(14, 0), _at(14, 0) + 86400]))  # two days
    assert not intraday.in_session(np.array([], np.float64))
