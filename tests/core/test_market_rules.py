"""Price limits as dated rules: each change tested with days on both sides of it."""

from __future__ import annotations

import datetime as dt

import pytest

from monitor.core.book import QuoteBook
from monitor.core.calendar import TradingCalendar
from monitor.core.market_rules import limit_pct
from monitor.core.master import SymbolInfo, SymbolMaster
from monitor.core.quotes import Tick
from monitor.core.symbols import Board, board_of

D = dt.date


@pytest.mark.parametrize(
    ("symbol", "st", "day", "pct"),
    [
        ("600519.SH", False, D(2026, 12, 7), 0.10),
        # Main-board ST: 5 % up to the last trading day before 2026-07-06, 10 % from it.
        ("600000.SH", True, D(2026, 6, 15), 0.05),
        ("600000.SH", True, D(2026, 7, 3), 0.05),
        ("600000.SH", True, D(2026, 7, 6), 0.10),
        ("000001.SZ", True, D(2026, 12, 7), 0.10),
        # ChiNext: 10 % until its registration reform, 20 % from 2020-08-24, ST included.
        ("300750.SZ", False, D(2020, 8, 21), 0.10),
        ("300750.SZ", False, D(2020, 8, 24), 0.20),
        ("300750.SZ", True, D(2026, 12, 7), 0.20),
        ("688981.SH", True, D(2026, 12, 7), 0.20),
        ("920001.BJ", False, D(2026, 12, 7), 0.30),
        ("000001.SH", False, D(2026, 12, 7), None),  # an index
    ],
)
def test_board_limits_by_trading_day(symbol: str, st: bool, day: dt.date, pct: float) -> None:
    assert limit_pct(board_of(symbol), st=st, day=day) == pct


def test_new_listings_have_no_limit_for_their_first_trading_days() -> None:
    cal = TradingCalendar()
    # STAR, listed Tuesday 2026-12-01: days 1-5 are Tue..Mon 12-07, the 6th is 12-08.
    listed = D(2026, 12, 1)
    star = [limit_pct(Board.STAR, day=d, listed=listed) for d in (D(2026, 12, 7), D(2026, 12, 8))]
    assert star == [None, 0.20]
    # Counted in trading days: National Day closes 2026-10-01..07 (the calendar says so).
    listed = D(2026, 9, 29)
    days = [D(2026, 9, 29), D(2026, 9, 30), D(2026, 10, 8), D(2026, 10, 9), D(2026, 10, 12)]
    assert all(cal.is_trading_day(d) for d in days)
    kw = {"listed": listed, "is_trading_day": cal.is_trading_day}
    assert [limit_pct(Board.CHINEXT, day=d, **kw) for d in days] == [None] * 5
    assert limit_pct(Board.CHINEXT, day=D(2026, 10, 13), **kw) == 0.20
    # BSE: only the listing day.
    assert limit_pct(Board.BSE, day=D(2026, 12, 1), listed=D(2026, 12, 1)) is None
    assert limit_pct(Board.BSE, day=D(2026, 12, 2), listed=D(2026, 12, 1)) == 0.30
    # Main board: five days for stocks listed from 2023-04-10 (full registration) …
    assert limit_pct(Board.MAIN, day=D(2023, 4, 14), listed=D(2023, 4, 10)) is None
    assert limit_pct(Board.MAIN, day=D(2023, 4, 17), listed=D(2023, 4, 10)) == 0.10
    # … before it the listing day had +44 %/-36 %: no band, so no limit shown, not 10 %.
    assert limit_pct(Board.MAIN, day=D(2023, 3, 1), listed=D(2023, 3, 1)) is None
    assert limit_pct(Board.MAIN, day=D(2023, 3, 2), listed=D(2023, 3, 1)) == 0.10


def _ms(day: dt.date, hhmm: str = "10:00") -> int:
    h, m = map(int, hhmm.split(":"))
    t = dt.datetime(day.year, day.month, day.day, h, m, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return int(t.timestamp() * 1000)


@pytest.mark.parametrize(
    ("day", "up", "down"),
    [(D(2026, 12, 7), 11.0, 9.0), (D(2026, 6, 15), 10.5, 9.5)],
)
def test_the_book_limits_an_st_stock_by_the_rules_of_its_tick_s_day(
    day: dt.date, up: float, down: float
) -> None:
    """A live 2026 day and a replay of 2026-06: the same ST stock, the limits of each day
    (set before the first tick, as previous closes usually arrive)."""
    master = SymbolMaster([SymbolInfo("600000.SH", "*ST测试", Board.MAIN, st=True)])
    book = QuoteBook(master)
    book.set_prev_close("600000.SH", 10.0)
    book.apply(Tick("600000.SH", 10.2, _ms(day), 100.0))
    q = book.quote("600000.SH")
    assert q is not None and (q.limit_up, q.limit_down) == (up, down)


def test_a_new_listing_shows_no_limit_in_the_book() -> None:
    master = SymbolMaster([SymbolInfo("688999.SH", "新股", Board.STAR, listed="2026-12-03")])
    book = QuoteBook(master)
    book.set_prev_close("688999.SH", 30.0)
    book.apply(Tick("688999.SH", 45.0, _ms(D(2026, 12, 7)), 100.0))  # day 3
    q = book.quote("688999.SH")
    assert q is not None and q.limit_up is None and q.limit_down is None
    book.apply(Tick("688999.SH", 44.0, _ms(D(2026, 12, 10)), 100.0))  # day 6: 20 % of 45
    q = book.quote("688999.SH")
    assert q is not None and (q.limit_up, q.limit_down) == (54.0, 36.0)
