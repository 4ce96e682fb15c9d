"""The K-line tab on a real window with the simulator: candles, volume, MA5/10/20."""

from __future__ import annotations

import datetime as dt
import itertools
import math

from monitor.core.kline import Period
from monitor.core.quotes import SHANGHAI
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until


def test_daily_weekly_monthly_candles_with_volume_and_averages(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    k = window.bottom.kline
    row = window.model.row_of("600519.SH")
    assert row is not None
    window.table.selectRow(row)
    window.bottom.setCurrentWidget(k)
    qloop.run_until_complete(until(lambda: k.pages.currentWidget() is k.plots, 10, "the candles"))
    bars = k.bars
    assert len(bars) >= 100
    ma5 = k.ma_curves[0].getData()[1]
    assert math.isnan(ma5[3]) and abs(ma5[-1] - sum(b.close for b in bars[-5:]) / 5) < 1e-6
    assert len(k.up_volume.opts["x"]) + len(k.down_volume.opts["x"]) == len(bars)
    assert "MA5" in k.title.text() and "贵州茅台" in k.title.text()
    k.period_buttons[Period.WEEK].setChecked(True)
    qloop.run_until_complete(
        until(lambda: k.bars and len({b.day.isocalendar()[:2] for b in k.bars}) == len(k.bars), 10)
    )
    weeks = k.bars
    assert all(
        b.day.isocalendar()[:2] != c.day.isocalendar()[:2] for b, c in itertools.pairwise(weeks)
    )
    k.period_buttons[Period.MONTH].setChecked(True)
    qloop.run_until_complete(until(lambda: k.bars is not weeks and k.bars, 10, "months"))
    months = [(b.day.year, b.day.month) for b in k.bars]
    assert months == sorted(set(months))
    # Another symbol: its own bars, never the last one's.
    k.period_buttons[Period.DAY].setChecked(True)
    other = window.model.row_of("000001.SZ")
    assert other is not None
    window.table.selectRow(other)
    qloop.run_until_complete(
        until(lambda: k.pages.currentWidget() is k.plots and "000001.SZ" in k.title.text(), 10)
    )
    assert k.bars[-1].close < 100
    # Today's candle follows the live price (read in the same turn of the loop).
    today = dt.datetime.now(SHANGHAI).date()
    book = window.service.book
    qloop.run_until_complete(until(lambda: book.quote("000001.SZ").last is not None, 10))  # type: ignore[union-attr]
    k.refresh()
    q = book.quote("000001.SZ")
    assert q is not None and k.bars[-1].day == today and k.bars[-1].close == q.last
    assert "not live" not in k.title.text()
    # The provider goes away: the last candle is said to be as of the fetch, not live.
    sim = window.service.source.sim  # type: ignore[attr-defined]
    qloop.run_until_complete(sim.stop())
    qloop.run_until_complete(until(lambda: window.service.phase().value != "live", 10))
    k.refresh()
    assert "not live: bars as of" in k.title.text()
