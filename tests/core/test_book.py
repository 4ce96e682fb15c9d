from __future__ import annotations

import math

import numpy as np
import pytest

from monitor.core.book import Applied, QuoteBook
from monitor.core.master import SymbolInfo, SymbolMaster
from monitor.core.quotes import Tick
from monitor.core.symbols import Board

T0 = 1795570200000  # 2026-11-25 09:30:00 CST


def tick(
    sym: str = "600519.SH", price: float = 10.0, t: int = T0, seq: int = 0, **kw: object
) -> Tick:
    return Tick(symbol=sym, price=price, time_ms=t, seq=seq, **kw)  # type: ignore[arg-type]


def test_latest_quote_and_ohlc() -> None:
    b = QuoteBook()
    for i, p in enumerate([10.0, 10.5, 9.8, 10.2]):
        assert (
            b.apply(tick(price=p, t=T0 + i, seq=i + 1, volume=100, turnover=p * 100))
            is Applied.APPLIED
        )
    q = b.quote("600519.SH")
    assert q is not None
    assert (q.last, q.open, q.high, q.low) == (10.2, 10.0, 10.5, 9.8)
    assert q.volume == 400 and math.isclose(q.turnover, 4050.0)
    assert q.ticks == 4 and q.seq == 4


def test_change_pct_is_unknown_until_prev_close_then_computed() -> None:
    b = QuoteBook()
    b.apply(tick(price=11.0))
    q = b.quote("600519.SH")
    assert q is not None and q.change_pct is None and q.change is None
    b.set_prev_close("600519.SH", 10.0)
    q = b.quote("600519.SH")
    assert (
        q is not None and math.isclose(q.change_pct or 0, 10.0) and math.isclose(q.change or 0, 1.0)
    )
    assert (q.limit_up, q.limit_down) == (11.0, 9.0)


def test_duplicate_and_older_seq_ignored() -> None:
    b = QuoteBook()
    assert b.apply(tick(price=10, seq=5)) is Applied.APPLIED
    assert b.apply(tick(price=11, seq=5)) is Applied.DUPLICATE
    assert b.apply(tick(price=12, seq=4)) is Applied.DUPLICATE
    assert b.quote("600519.SH").last == 10  # type: ignore[union-attr]
    assert b.stats.duplicates == 2


def test_out_of_order_time_ignored_without_seq() -> None:
    b = QuoteBook()
    b.apply(tick(price=10, t=T0 + 1000))
    assert b.apply(tick(price=9, t=T0)) is Applied.OUT_OF_ORDER
    assert b.apply(tick(price=11, t=T0 + 1000)) is Applied.APPLIED  # same second is fine


def test_invalid_prices_rejected() -> None:
    b = QuoteBook()
    for p in (0.0, -1.0, float("nan"), float("inf"), 5e6):
        assert b.apply(tick(price=p)) is Applied.INVALID
    assert b.stats.invalid == 5
    assert b.quote("600519.SH") is None  # nothing allocated for garbage


def test_dirty_set_collects_changed_rows_once() -> None:
    b = QuoteBook()
    b.apply(tick("600519.SH", t=T0))
    b.apply(tick("000001.SZ", t=T0))
    b.apply(tick("600519.SH", t=T0 + 1))
    assert b.take_dirty() == {0, 1}
    assert b.take_dirty() == set()


def test_master_names_st_limits_and_prev_close() -> None:
    m = SymbolMaster([SymbolInfo("600001.SH", "*ST测试", Board.MAIN, True, 10.0)])
    b = QuoteBook(m)
    b.apply(tick("600001.SH", price=10.3))
    q = b.quote("600001.SH")
    assert q is not None and q.name == "*ST测试"
    # ±10 % on a 2026-12 day: a risk warning no longer narrows the main-board limit
    # (core.market_rules; tests/core/test_market_rules.py has the days before 2026-07-06).
    assert (q.limit_up, q.limit_down) == (11.0, 9.0)
    assert math.isclose(q.change_pct or 0, 3.0)


def test_history_buckets_and_ring_order() -> None:
    b = QuoteBook(history_points=4, bucket_seconds=60)
    for minute, price in enumerate([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]):
        b.apply(tick(price=price, t=T0 + minute * 60_000, volume=100))
        b.apply(tick(price=price + 0.5, t=T0 + minute * 60_000 + 1000, volume=50))
    h = b.history(0)
    assert h.prices.tolist() == [3.5, 4.5, 5.5, 6.5]  # last price of each minute, oldest first
    assert h.volumes.tolist() == [150.0] * 4
    assert np.all(np.diff(h.times) > 0)


def test_new_trading_day_resets_day_fields_and_rolls_prev_close() -> None:
    b = QuoteBook()
    b.apply(tick(price=10.0, t=T0, volume=100))
    b.apply(tick(price=10.8, t=T0 + 86_400_000, volume=5))
    q = b.quote("600519.SH")
    assert q is not None
    assert q.prev_close == 10.0 and q.volume == 5 and q.open == 10.8
    assert len(b.history(0).prices) == 1


def test_set_day_seeds_today_and_survives_first_tick() -> None:
    b = QuoteBook()
    b.set_day("600519.SH", 100.0, 101.0, 105.0, 99.0, 1e6, 1e8, now_ms=T0)
    b.apply(tick(price=106.0, t=T0 + 1, volume=100))
    q = b.quote("600519.SH")
    assert q is not None
    assert (q.prev_close, q.open, q.high, q.low) == (100.0, 101.0, 106.0, 99.0)
    assert q.volume == 1e6 + 100


def test_day_totals_from_the_provider_win() -> None:
    b = QuoteBook()
    b.apply(tick(price=10, volume=1, day_volume=5000.0, day_turnover=50000.0))
    q = b.quote("600519.SH")
    assert q is not None and (q.volume, q.turnover) == (5000.0, 50000.0)


def test_grows_past_initial_capacity() -> None:
    b = QuoteBook(capacity=16)
    syms = [f"{600000 + i}.SH" for i in range(100)]
    for i, s in enumerate(syms):
        b.apply(tick(s, price=1 + i, t=T0))
    assert len(b) == 100 and b.ticked() == 100
    assert b.quote(syms[57]).last == 58  # type: ignore[union-attr]
    assert b.history(57).prices.tolist() == [58.0]


# --- freshness is scoped (a server's seq is only comparable within one connection) ---


def test_a_new_connection_starts_a_new_seq_scope() -> None:
    b = QuoteBook()
    assert b.apply(tick(price=10, t=T0, seq=90_000, volume=100), scope=1) is Applied.APPLIED
    # A new connection repeating the last trade (a snapshot on subscribe): not new.
    assert b.apply(tick(price=10, t=T0, seq=1, volume=100), scope=2) is Applied.DUPLICATE
    # The server restarted (or numbers per connection): seq 1 again, a later trade.
    assert b.apply(tick(price=11, t=T0 + 5, seq=1), scope=2) is Applied.APPLIED
    assert b.apply(tick(price=12, t=T0 + 5, seq=1), scope=2) is Applied.DUPLICATE
    assert b.apply(tick(price=13, t=T0 + 6, seq=2), scope=2) is Applied.APPLIED
    q = b.quote("600519.SH")
    assert q is not None and q.last == 13 and q.volume == 100  # the repeat counted once


def test_one_absurd_seq_does_not_pin_a_symbol_within_a_connection() -> None:
    b = QuoteBook()
    b.apply(tick(price=10, t=T0, seq=2**62), scope=1)
    # Later trades with ordinary seqs are newer in time: they win.
    assert b.apply(tick(price=11, t=T0 + 3000, seq=5), scope=1) is Applied.APPLIED
    assert b.quote("600519.SH").last == 11  # type: ignore[union-attr]


def test_a_tick_from_the_future_is_rejected_and_never_a_watermark() -> None:
    b = QuoteBook()
    now = T0 + 10_000
    year_2100 = 4_102_444_800_000
    assert b.apply(tick(price=99, t=year_2100, seq=1), received_ms=now) is Applied.BAD_TIME
    assert b.apply(tick(price=99, t=now + 600_000, seq=2), received_ms=now) is Applied.BAD_TIME
    assert b.apply(tick(price=10, t=T0, seq=3), received_ms=now) is Applied.APPLIED
    assert b.apply(tick(price=11, t=100, seq=4), received_ms=now) is Applied.BAD_TIME  # 1970
    assert b.quote("600519.SH").last == 10 and b.stats.bad_time == 3  # type: ignore[union-attr]


def test_codes_nobody_subscribed_are_counted_and_dropped() -> None:
    b = QuoteBook()
    b.ensure("600519.SH")
    b.accept_new = False
    assert b.apply(tick(sym="000002.SZ")) is Applied.UNSUBSCRIBED
    assert b.row_of("000002.SZ") is None and b.stats.unsubscribed == 1
    assert b.apply(tick()) is Applied.APPLIED


def test_reset_forgets_every_number_but_keeps_rows() -> None:
    b = QuoteBook()
    b.apply(tick(price=10, seq=5, volume=100, prev_close=9.5))
    r = b.row_of("600519.SH")
    b.reset()
    assert b.row_of("600519.SH") == r
    q = b.quote("600519.SH")
    assert q is not None and q.last is None and q.prev_close is None and q.limit_up is None
    assert math.isnan(q.volume) and q.ticks == 0 and len(b.history(r or 0).prices) == 0
    assert b.stats.applied == 0
    # A new session's first tick is applied whatever the old seq was.
    assert b.apply(tick(price=20, seq=1)) is Applied.APPLIED


def test_time_units_and_impossible_times() -> None:
    from monitor.core.quotes import ms_to_iso, normalize_epoch_ms

    ms = 1_795_570_200_000
    assert normalize_epoch_ms(ms // 1000) == ms
    assert normalize_epoch_ms(ms) == ms
    assert normalize_epoch_ms(ms * 1000) == ms  # microseconds
    assert normalize_epoch_ms(ms * 1_000_000) == ms  # nanoseconds
    for bad in (0, -1, 10**400, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="bad timestamp"):
            normalize_epoch_ms(bad)
    assert ms_to_iso(58886 * 365 * 86_400_000) == ""  # unrepresentable: empty, no crash


def test_a_tick_stamped_minutes_ahead_holds_nothing_back() -> None:
    b = QuoteBook()
    now = T0
    assert b.apply(tick(price=11, t=now + 240_000, seq=1), received_ms=now) is Applied.APPLIED
    # The next real trade, 3 s later by the exchange's clock, is applied.
    assert b.apply(tick(price=10.1, t=now + 3000, seq=2), received_ms=now + 3000) is Applied.APPLIED
    assert b.quote("600519.SH").last == 10.1  # type: ignore[union-attr]


def test_reference_fields_that_cannot_be_right_are_ignored() -> None:
    b = QuoteBook()
    b.apply(tick(price=10, seq=1, prev_close=9.5, high=10.2, low=9.8, open=9.9))
    b.apply(tick(price=10.1, t=T0 + 1, seq=2, prev_close=0.0, high=999_999_999.0, low=-5.0))
    b.apply(tick(price=10.2, t=T0 + 2, seq=3, prev_close=-5.0, high=1.0, low=50.0, open=-1.0))
    b.apply(tick(price=10.2, t=T0 + 3, seq=4, prev_close=0.01))  # 99,900 %: not a close
    q = b.quote("600519.SH")
    assert q is not None and q.prev_close == 9.5 and q.open == 9.9
    assert (q.high, q.low) == (10.2, 9.8)
    assert q.change_pct is not None and abs(q.change_pct - (10.2 - 9.5) / 9.5 * 100) < 1e-9


def test_average_price_is_the_days_volume_weighted_price_per_minute() -> None:
    b = QuoteBook(bucket_seconds=60)
    trades = [(10.0, 100, 0), (11.0, 300, 1000), (12.0, 100, 60_000), (9.0, 0, 61_000)]
    for price, volume, dt_ms in trades:
        b.apply(tick(price=price, t=T0 + dt_ms, volume=volume))
    h = b.history(0)
    first = (10.0 * 100 + 11.0 * 300) / 400
    second = (10.0 * 100 + 11.0 * 300 + 12.0 * 100) / 500  # a trade with no volume moves nothing
    assert np.allclose(h.averages, [first, second])
    b.apply(tick(price=20.0, t=T0 + 86_400_000, volume=10))  # a new day starts a new average
    assert np.allclose(b.history(0).averages, [20.0])


def test_no_volume_no_average_price() -> None:
    b = QuoteBook(bucket_seconds=60)
    b.apply(tick(price=10.0, t=T0, volume=0))
    assert np.isnan(b.history(0).averages).all()


def test_average_price_covers_the_whole_day_when_day_totals_are_known() -> None:
    b = QuoteBook(bucket_seconds=60)
    b.apply(tick(price=10.0, t=T0 + 4 * 3_600_000, volume=100))  # first seen at 13:30
    assert b.vwap_from_ms[0] == T0 + 4 * 3_600_000  # partial: only what was seen
    # The day's bar (as of now) from the provider: 1,000,000 shares for 10.2 million.
    b.set_day("600519.SH", 9.9, 10.1, 10.5, 9.8, 1_000_000.0, 10_200_000.0, now_ms=T0)
    assert b.vwap_from_ms[0] == 0
    assert np.allclose(b.history(0).averages[-1], 10.2)
    b.apply(tick(price=10.4, t=T0 + 4 * 3_600_000 + 1000, volume=1_000_000))
    assert np.allclose(b.history(0).averages[-1], (10_200_000.0 + 10_400_000.0) / 2_000_000)
    # Totals in other units (lots, or thousands of CNY) are not taken.
    c = QuoteBook(bucket_seconds=60)
    c.apply(tick(price=10.0, t=T0, volume=100))
    c.set_day("600519.SH", 9.9, 10.1, 10.5, 9.8, 10_000.0, 10_200_000.0, now_ms=T0)
    assert c.vwap_from_ms[0] == T0 and np.allclose(c.history(0).averages[-1], 10.0)
