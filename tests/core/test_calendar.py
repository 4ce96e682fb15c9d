from __future__ import annotations

import datetime as dt

import pytest

from monitor.core.calendar import TradingCalendar
from monitor.core.quotes import SHANGHAI
from monitor.core.session import Phase


@pytest.fixture(scope="module")
def cal() -> TradingCalendar:
    c = TradingCalendar()
    assert c.covered_until is not None, "exchange-calendars should load offline"
    return c


def at(y: int, m: int, d: int, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def test_lunch_break_and_continuous(cal: TradingCalendar) -> None:
    assert cal.status(at(2026, 11, 25, 12, 0)).phase is Phase.LUNCH
    assert cal.status(at(2026, 11, 25, 10, 0)).phase is Phase.CONTINUOUS
    assert cal.status(at(2026, 11, 25, 9, 20)).phase is Phase.OPENING_AUCTION
    assert cal.status(at(2026, 11, 25, 14, 58)).phase is Phase.CLOSING_AUCTION


def test_national_day_is_a_holiday_with_the_next_open(cal: TradingCalendar) -> None:
    s = cal.status(at(2026, 10, 1, 10, 0))
    assert s.phase is Phase.CLOSED and s.holiday and s.known
    assert s.next_open == at(2026, 10, 8, 9, 30)


def test_weekend_and_evening(cal: TradingCalendar) -> None:
    s = cal.status(at(2026, 11, 28, 10, 0))  # Saturday
    assert s.phase is Phase.CLOSED and not s.holiday
    assert s.next_open == at(2026, 11, 30, 9, 30)
    assert cal.status(at(2026, 11, 25, 22, 0)).next_open == at(2026, 11, 26, 9, 30)
    assert cal.status(at(2026, 11, 25, 8, 0)).next_open == at(2026, 11, 25, 9, 30)


def test_past_the_holiday_data_weekdays_count_and_say_so() -> None:
    c = TradingCalendar(load=False)
    s = c.status(at(2031, 5, 5, 10, 0))
    assert s.phase is Phase.CONTINUOUS and not s.known
