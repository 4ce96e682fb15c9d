from __future__ import annotations

import pytest

from monitor.core.alerts import AlertEngine, AlertKind, AlertRule, AlertRuleError

T = 1795570200000


def feed(
    engine: AlertEngine,
    prices: list[float | None],
    *,
    trading: bool = True,
    pct: float | None = None,
    up: float | None = None,
    down: float | None = None,
) -> list[str]:
    out = []
    for i, p in enumerate(prices):
        out += [e.message for e in engine.evaluate("600519.SH", p, pct, up, down, T + i, trading)]
    return out


def test_one_shot_fires_exactly_once_when_crossed() -> None:
    e = AlertEngine()
    e.add(AlertRule("600519", AlertKind.PRICE_ABOVE, 101.0))
    fired = feed(e, [100.0, 100.5, 101.0, 101.2, 100.0, 101.5, 102.0])
    assert fired == ["600519.SH at or above 101.00: 101.00"]


def test_never_on_zero_missing_or_pre_open_price() -> None:
    e = AlertEngine()
    e.add(AlertRule("600519.SH", AlertKind.PRICE_BELOW, 50.0))
    assert feed(e, [0.0, None, float("nan"), -1.0]) == []  # 0.00 pre-open prints do not count
    assert feed(e, [10.0], trading=False) == []  # the pre-open auction is not trading
    assert len(feed(e, [49.0])) == 1


def test_re_arming_needs_the_hysteresis_not_every_tick() -> None:
    e = AlertEngine()
    e.add(AlertRule("600519.SH", AlertKind.PRICE_ABOVE, 100.0, repeat=True, hysteresis_pct=1.0))
    # hovering around the threshold: one alert, not one per tick
    assert len(feed(e, [100.0, 99.8, 100.1, 99.5, 100.2])) == 1
    # falls back below 99.0 (1 %), then crosses again: a second alert
    assert len(feed(e, [98.9, 100.0])) == 1


def test_change_pct_and_limits_and_opening_from_limit() -> None:
    e = AlertEngine()
    e.add(AlertRule("600519.SH", AlertKind.PCT_ABOVE, 5.0))
    e.add(AlertRule("600519.SH", AlertKind.LIMIT_UP))
    e.add(AlertRule("600519.SH", AlertKind.OPENS_FROM_LIMIT))
    assert feed(e, [105.0], pct=5.0, up=110.0, down=90.0) == [
        "600519.SH change ≥ +5.00%: 105.00 (+5.00%)"
    ]
    assert feed(e, [110.0], pct=10.0, up=110.0, down=90.0) == [
        "600519.SH reached limit-up 涨停: 110.00 (+10.00%)"
    ]
    assert feed(e, [109.9], pct=9.9, up=110.0, down=90.0) == [
        "600519.SH opened from its limit 开板: 109.90 (+9.90%)"
    ]
    assert feed(e, [None], pct=None) == []


def test_unknown_change_pct_never_fires() -> None:
    e = AlertEngine()
    e.add(AlertRule("600519.SH", AlertKind.PCT_BELOW, -3.0))
    assert feed(e, [90.0], pct=None) == []


@pytest.mark.parametrize(
    ("rule", "msg"),
    [
        (AlertRule("garbage", AlertKind.PRICE_ABOVE, 1.0), "garbage"),
        (AlertRule("600519", AlertKind.PRICE_ABOVE, None), "threshold"),
        (AlertRule("600519", AlertKind.PRICE_BELOW, 0.0), "above 0"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rule: AlertRule, msg: str) -> None:
    with pytest.raises(AlertRuleError, match=msg):
        AlertEngine().add(rule)


def test_rules_round_trip_and_bad_entries_are_reported() -> None:
    e = AlertEngine()
    e.add(AlertRule("600519", AlertKind.PRICE_ABOVE, 1500.0, repeat=True))
    e.add(AlertRule("000001.SZ", AlertKind.LIMIT_DOWN))
    back, problems = AlertEngine.from_json(
        [*e.to_json(), {"symbol": "zzz", "kind": "price_above", "value": 1}, 7]
    )
    assert [(r.symbol, r.kind, r.value, r.repeat) for r in back.rules] == [
        ("600519.SH", AlertKind.PRICE_ABOVE, 1500.0, True),
        ("000001.SZ", AlertKind.LIMIT_DOWN, None, False),
    ]
    assert len(problems) == 2


def test_replace_keeps_the_place_and_refuses_bad_rules() -> None:
    e = AlertEngine()
    a = e.add(AlertRule("600519.SH", AlertKind.PRICE_ABOVE, 1500.0))
    b = e.add(AlertRule("000001.SZ", AlertKind.LIMIT_UP))
    new = e.replace(a.id, AlertRule("600519.SH", AlertKind.PRICE_BELOW, 1400.0))
    assert [r.id for r in e.rules] == [new.id, b.id] and e.rules[0].kind is AlertKind.PRICE_BELOW
    with pytest.raises(AlertRuleError):
        e.replace(new.id, AlertRule("600519.SH", AlertKind.PRICE_BELOW, -1.0))
    assert e.rules[0] is new  # the old rule stays
    assert e.symbols() == {"600519.SH", "000001.SZ"}


def test_limit_rules_drop_a_threshold_left_in_the_form() -> None:
    rule = AlertRule("600519.SH", AlertKind.LIMIT_UP, 1700.0).validate()
    assert rule.value is None
    assert AlertKind.PCT_BELOW.needs_value and AlertKind.PCT_BELOW.is_pct
    assert not AlertKind.OPENS_FROM_LIMIT.needs_value


def test_a_change_threshold_beyond_100_percent_is_refused() -> None:
    from monitor.core.alerts import AlertKind, AlertRule, AlertRuleError

    with pytest.raises(AlertRuleError):
        AlertRule("600519", AlertKind.PCT_ABOVE, 1458.03).validate()
    assert AlertRule("600519", AlertKind.PCT_BELOW, -3.0).validate().value == -3.0
