from __future__ import annotations

import datetime as dt
import warnings

import pytest

from monitor.core import calendar_data
from monitor.core.calendar import TradingCalendar
from monitor.core.quotes import SHANGHAI
from monitor.core.session import Phase

D = dt.date
DAY = dt.timedelta(days=1)

# The SSE's 2026 closures as announced (上证所 2026 年休市安排: 元旦 1/1-1/3, 春节 2/15-2/23,
# 清明 4/4-4/6, 劳动节 5/1-5/5, 端午 6/19-6/21, 中秋 9/25-9/27, 国庆 10/1-10/7; weekdays only).
SSE_2026 = {
    D(2026, 1, 1), D(2026, 1, 2),
    D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20), D(2026, 2, 23),
    D(2026, 4, 6),
    D(2026, 5, 1), D(2026, 5, 4), D(2026, 5, 5),
    D(2026, 6, 19),
    D(2026, 9, 25),
    D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 6), D(2026, 10, 7),
}  # fmt: skip


@pytest.fixture(scope="module")
def cal() -> TradingCalendar:
    c = TradingCalendar()
    assert c.covered_until is not None and c.covered_until >= D(2027, 12, 31)
    return c


def at(y: int, m: int, d: int, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def days(year: int) -> list[dt.date]:
    first = D(year, 1, 1)
    return [first + i * DAY for i in range((D(year + 1, 1, 1) - first).days)]


def test_lunch_break_and_continuous(cal: TradingCalendar) -> None:
    assert cal.status(at(2026, 11, 25, 12, 0)).phase is Phase.LUNCH
    assert cal.status(at(2026, 11, 25, 10, 0)).phase is Phase.CONTINUOUS
    assert cal.status(at(2026, 11, 25, 9, 20)).phase is Phase.OPENING_AUCTION
    assert cal.status(at(2026, 11, 25, 14, 58)).phase is Phase.CLOSING_AUCTION


def test_national_day_is_a_holiday_with_the_next_open(cal: TradingCalendar) -> None:
    s = cal.status(at(2026, 10, 1, 10, 0))
    assert s.phase is Phase.CLOSED and s.holiday and s.known and not s.estimated
    assert s.next_open == at(2026, 10, 8, 9, 30)


def test_weekend_and_evening(cal: TradingCalendar) -> None:
    s = cal.status(at(2026, 11, 28, 10, 0))  # Saturday
    assert s.phase is Phase.CLOSED and not s.holiday
    assert s.next_open == at(2026, 11, 30, 9, 30)
    assert cal.status(at(2026, 11, 25, 22, 0)).next_open == at(2026, 11, 26, 9, 30)
    assert cal.status(at(2026, 11, 25, 8, 0)).next_open == at(2026, 11, 25, 9, 30)


def test_2026_closures_are_the_announced_ones(cal: TradingCalendar) -> None:
    closed = {d for d in days(2026) if d.weekday() < 5 and not cal.is_trading_day(d)}
    assert closed == SSE_2026
    assert not any(cal.is_estimated(d) for d in days(2026))


def test_make_up_weekends_do_not_trade(cal: TradingCalendar) -> None:
    # 2026's make-up working days (调休) are offices' business: the exchanges stay shut
    for d in (D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20)):
        assert not cal.is_trading_day(d) and not cal.is_holiday(d)
    s = cal.status(at(2026, 10, 10, 10, 0))  # a make-up Saturday
    assert s.phase is Phase.CLOSED and not s.holiday and s.next_open == at(2026, 10, 12, 9, 30)


@pytest.mark.parametrize("year", [2007, 2026, 2027, 2036, 2040])
def test_weekends_never_trade(cal: TradingCalendar, year: int) -> None:
    assert not any(cal.is_trading_day(d) for d in days(year) if d.weekday() >= 5)


def test_2027_new_year_and_national_day_are_closed(cal: TradingCalendar) -> None:
    s = cal.status(at(2027, 1, 1, 10, 0))
    assert s.phase is Phase.CLOSED and s.holiday and s.known and s.estimated
    assert s.next_open == at(2027, 1, 4, 9, 30)
    for d in range(1, 8):
        assert not cal.is_trading_day(D(2027, 10, d))
    s = cal.status(at(2027, 10, 6, 10, 0))
    assert s.holiday and s.estimated and s.next_open == at(2027, 10, 8, 9, 30)


def test_2027_spring_festival_is_closed_and_estimated(cal: TradingCalendar) -> None:
    assert calendar_data.PUBLISHED_THROUGH < 2027, "2027 announced: these asserts need updating"
    assert cal.is_estimated(D(2027, 2, 10)) and not cal.is_estimated(D(2026, 12, 31))
    s = cal.status(at(2027, 2, 10, 10, 0))  # Wednesday, the 5th day of the lunar new year
    assert s.phase is Phase.CLOSED and s.holiday and s.known and s.estimated
    assert s.next_open == at(2027, 2, 15, 9, 30)
    # the evening before the break: trading then, the next open skips estimated closures
    s = cal.status(at(2027, 2, 4, 20, 0))
    assert not s.holiday and s.estimated and s.next_open == at(2027, 2, 15, 9, 30)


def test_ordinary_2027_weekdays_trade(cal: TradingCalendar) -> None:
    for d in (D(2027, 1, 4), D(2027, 3, 10), D(2027, 7, 15), D(2027, 10, 8), D(2027, 12, 31)):
        assert cal.is_trading_day(d), d
    s = cal.status(at(2027, 3, 10, 10, 0))
    assert s.phase is Phase.CONTINUOUS and not s.holiday and s.known and not s.estimated
    assert cal.status(at(2027, 3, 10, 20, 0)).next_open == at(2027, 3, 11, 9, 30)


def test_each_year_closes_for_the_long_holidays(cal: TradingCalendar) -> None:
    for year in range(calendar_data.FIRST_YEAR, calendar_data.LAST_YEAR + 1):
        closed = [d for d in days(year) if d.weekday() < 5 and not cal.is_trading_day(d)]
        assert 14 <= len(closed) <= 25, (year, len(closed))
        assert any(d.month == 10 and d.day <= 7 for d in closed), year


def test_past_the_holiday_data_weekdays_count_and_say_so(cal: TradingCalendar) -> None:
    c = TradingCalendar(load=False)
    s = c.status(at(2031, 5, 5, 10, 0))
    assert s.phase is Phase.CONTINUOUS and not s.known and not s.estimated
    assert not c.is_trading_day(D(2031, 5, 3))  # Saturday: even with no data
    s = cal.status(at(calendar_data.LAST_YEAR + 1, 3, 5, 10, 0))
    assert not s.known and not s.estimated


def test_data_is_weekdays_sorted_and_split_at_the_published_year() -> None:
    published = [D.fromisoformat(s) for s in calendar_data.PUBLISHED]
    estimated = [D.fromisoformat(s) for s in calendar_data.ESTIMATED]
    assert published == sorted(set(published)) and estimated == sorted(set(estimated))
    assert all(d.weekday() < 5 for d in published + estimated)
    assert all(d.year <= calendar_data.PUBLISHED_THROUGH for d in published)
    assert all(
        calendar_data.PUBLISHED_THROUGH < d.year <= calendar_data.LAST_YEAR for d in estimated
    )


def test_published_years_match_the_holidays_package() -> None:
    """The shipped data is what ``holidays`` says; warn when it has a newer year."""
    holidays = pytest.importorskip("holidays")
    from holidays.countries.china import ChinaStaticHolidays

    through = calendar_data.PUBLISHED_THROUGH
    years = range(calendar_data.FIRST_YEAR, through + 1)
    theirs = holidays.financial_holidays("XSHG", years=years)
    assert {d for d in theirs if d.weekday() < 5} == set(
        map(D.fromisoformat, calendar_data.PUBLISHED)
    )
    if max(ChinaStaticHolidays.special_public_holidays) > through:
        warnings.warn(
            "holidays has a newer year's schedule: run packaging/build_calendar.py", stacklevel=1
        )
