"""Holdings: validation, value at a price, JSON damage, broker CSVs."""

from __future__ import annotations

import pytest

from monitor.core.holdings import Holding, HoldingError, Holdings, value


def test_a_holding_is_validated() -> None:
    assert Holding.make("sh600519", "1,000", "1500.5") == Holding("600519.SH", 1000, 1500.5)
    for qty, cost in (("0", "10"), ("10.5", "10"), ("x", "10"), ("100", "0"), ("100", "nan")):
        with pytest.raises(HoldingError):
            Holding.make("600519", qty, cost)
    with pytest.raises(HoldingError):
        Holding.make("123", "100", "10")


def test_value_at_the_current_price_and_none_without_one() -> None:
    h = Holding("600519.SH", 100, 1500.0)
    v = value(h, 1530.0, 1520.0)
    assert (v.market_value, v.pnl, v.today_pnl) == (153000.0, 3000.0, 1000.0)
    assert v.pnl_pct == pytest.approx(2.0)
    empty = value(h, None, 1520.0)
    assert (empty.market_value, empty.pnl, empty.pnl_pct, empty.today_pnl) == (None,) * 4
    assert value(h, 1530.0, None).today_pnl is None


def test_a_damaged_file_keeps_the_good_holdings() -> None:
    data = [
        {"symbol": "600519.SH", "quantity": 100, "cost": 1500},
        {"symbol": "600036.SH", "quantity": True, "cost": 40},
        {"symbol": "nope", "quantity": 1, "cost": 1},
        "junk",
    ]
    got, problems = Holdings.from_json(data)
    assert got.symbols() == ["600519.SH"] and len(problems) == 3


def test_broker_csvs_with_chinese_headers_and_bad_lines() -> None:
    text = "\ufeff证券代码,证券名称,股份余额,参考成本价\n600519,贵州茅台,200,1480.5\n000001,平安银行,abc,11\n\n300750,宁德时代,100,250\n"
    got, problems = Holdings.parse_csv(text)
    assert got == [Holding("600519.SH", 200, 1480.5), Holding("300750.SZ", 100, 250.0)]
    assert len(problems) == 1 and problems[0][0] == 3
    with pytest.raises(HoldingError):
        Holdings.parse_csv("a,b,c\n1,2,3\n")
    h = Holdings()
    for x in got:
        h.set(x)
    again, problems = Holdings.parse_csv(h.to_csv())
    assert again == got and problems == []


def test_a_file_that_is_not_csv_is_one_clear_error() -> None:
    with pytest.raises(HoldingError):
        Holdings.parse_csv('code,quantity,cost\n"600519,100,' + "x" * 200_000)
