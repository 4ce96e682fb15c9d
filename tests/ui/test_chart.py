"""The 分时 chart on a real widget: session axis, 均价, per-minute volume, empty state."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from monitor.core.book import QuoteBook
from monitor.core.quotes import SHANGHAI, Tick
from monitor.ui.cell_style import Palette
from monitor.ui.chart import DetailChart
from monitor.ui.theme import Look

DAY = dt.datetime(2026, 11, 30, tzinfo=SHANGHAI)


def _ms(h: int, m: int, s: int = 0) -> int:
    return int(DAY.replace(hour=h, minute=m, second=s).timestamp() * 1000)


@pytest.fixture
def chart(qapp: QApplication, qtbot) -> DetailChart:  # type: ignore[no-untyped-def]
    book = QuoteBook(bucket_seconds=60)
    book.set_prev_close("600519.SH", 100.0)
    book.ensure("000001.SZ")
    c = DetailChart(book, Palette())
    qtbot.addWidget(c)
    c.apply_look(Look(dark=False, discreet=False), Palette())
    c.resize(800, 400)
    c.show()
    return c


def _trade(c: DetailChart, price: float, when_ms: int, volume: float = 100.0) -> None:
    seq = int(c.book.seq[0]) + 1 if len(c.book) else 1
    c.book.apply(Tick("600519.SH", price, when_ms, volume=volume, seq=seq))


def test_the_session_axis_closes_the_lunch_break_and_draws_average_and_volume(
    chart: DetailChart,
) -> None:
    trades = [
        (101.0, _ms(9, 30, 5), 200),
        (99.0, _ms(9, 31, 5), 100),
        (102.0, _ms(11, 29, 50), 100),
    ]
    trades += [(103.0, _ms(13, 0, 10), 300), (102.5, _ms(14, 59, 30), 100)]
    for price, when, volume in trades:
        _trade(chart, price, when, volume)
    chart.set_row(0)
    assert chart.session_axis
    x, y = chart.curve.getData()
    assert x.tolist() == [1, 2, 120, 121, 240]  # 11:29 and 13:00 side by side
    assert y.tolist() == [101.0, 99.0, 102.0, 103.0, 102.5]
    amount = np.cumsum([p * v for p, _, v in trades])
    volume = np.cumsum([v for _, _, v in trades])
    assert np.allclose(chart.avg_curve.getData()[1], amount / volume, rtol=1e-6)
    # Red where the minute closed at or above the one before (the first against prev close).
    up_x = chart.up_bars.opts["x"].tolist()
    down_x = chart.down_bars.opts["x"].tolist()
    assert up_x == [1, 120, 121] and down_x == [2, 240]
    assert chart.prev_line.isVisible() and chart.prev_line.value() == 100.0
    lo, hi = chart.price_plot.vb.viewRange()[1]
    assert lo < 99.0 and hi > 103.0 and abs((lo + hi) / 2 - 100.0) < 1e-6  # centred on prev


def test_the_current_minute_moves_with_every_tick(chart: DetailChart) -> None:
    _trade(chart, 101.0, _ms(10, 0, 1))
    chart.set_row(0)
    _trade(chart, 101.7, _ms(10, 0, 40))
    assert chart.refresh()
    x, y = chart.curve.getData()
    assert x.tolist() == [31] and y.tolist() == [pytest.approx(101.7)]
    assert not chart.refresh()  # nothing new, nothing drawn


def test_volume_bars_in_lots_when_asked(chart: DetailChart) -> None:
    _trade(chart, 101.0, _ms(10, 0, 1), volume=2500)
    chart.set_row(0)
    chart.set_units(lots=True, lang="zh")
    assert chart.up_bars.opts["height"].tolist() == [25.0]
    chart.set_units(lots=False, lang="en")
    assert chart.up_bars.opts["height"].tolist() == [2500.0]


def test_empty_states_say_what_is_missing_and_draw_no_axes(chart: DetailChart) -> None:
    chart.set_row(None)
    assert chart.pages.currentWidget() is chart.message
    assert chart.message.text() == "Select a row to chart it"
    chart.set_row(1)  # 000001.SZ: no trade yet
    assert chart.pages.currentWidget() is chart.message
    assert chart.message.text() == "Waiting for the first trade"
    assert not chart.layout_widget.isVisible()


def test_the_crosshair_readout_belongs_to_one_symbol(chart: DetailChart) -> None:
    _trade(chart, 101.0, _ms(10, 0, 1))
    _trade(chart, 102.0, _ms(10, 1, 1))
    chart.set_row(0)
    chart.show_readout_at(31.2)
    text = chart.readout.text()
    assert text.startswith("10:01") and "101.00" in text and "+1.00%" in text
    assert chart.vline.isVisible() and chart.vline.value() == 31
    chart.set_row(1)
    assert chart.readout.text() == "" and not chart.vline.isVisible()


def test_points_outside_trading_hours_are_drawn_on_clock_time(chart: DetailChart) -> None:
    _trade(chart, 101.0, _ms(20, 15, 1))
    _trade(chart, 101.5, _ms(20, 16, 1))
    chart.set_row(0)
    assert not chart.session_axis
    assert "outside trading hours" in chart.title.text()
    chart.show_readout_at(chart.curve.getData()[0][-1])
    assert chart.readout.text().startswith("20:17")


def test_dark_theme_paints_the_chart_dark(chart: DetailChart) -> None:
    _trade(chart, 101.0, _ms(10, 0, 1))
    chart.set_row(0)
    dark = Palette(dark=True)
    chart.apply_look(Look(dark=True, discreet=False), dark)
    assert chart.layout_widget.backgroundBrush().color().lightness() < 60
    assert chart.up_bars.opts["brush"] == dark.up


def test_minutes_on_one_spot_are_one_point_and_after_hours_trades_stay_off(
    chart: DetailChart,
) -> None:
    _trade(chart, 101.0, _ms(11, 29, 10), 100)
    _trade(chart, 101.5, _ms(11, 30, 0), 300)  # the morning's last print, on 11:30
    _trade(chart, 102.0, _ms(13, 0, 5), 100)
    _trade(chart, 102.2, _ms(15, 10, 0), 500)  # STAR after-hours fixed-price trade
    chart.set_row(0)
    assert chart.session_axis
    x, y = chart.curve.getData()
    assert x.tolist() == [120, 121] and y.tolist() == [101.5, 102.0]
    heights = chart.up_bars.opts["height"].tolist() + chart.down_bars.opts["height"].tolist()
    assert sorted(heights) == [100.0, 400.0]
    assert "average price from 11:29" in chart.title.text()  # first seen after the open
