from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.core.protocols import ProtocolError, UnknownSymbolError, generic


def test_seed_article_push_with_bare_codes() -> None:
    frame = '{"ticks":[{"code":"000001","price":11.5,"time":1700000000},{"code":"600036","price":"42.1","time":1700000000123}]}'
    ticks, notice = generic.decode(frame)
    assert notice is None
    assert [(t.symbol, t.price, t.time_ms) for t in ticks] == [
        ("000001.SZ", 11.5, 1700000000000),
        ("600036.SH", 42.1, 1700000000123),
    ]


def test_optional_fields_and_iso_time() -> None:
    frame = json.dumps(
        {
            "ticks": [
                {
                    "code": "600519.SH",
                    "price": 1450,
                    "time": "2026-11-25T09:30:00+08:00",
                    "volume": "300",
                    "turnover": 435000,
                    "seq": "17",
                    "prev_close": 1440.5,
                    "open": 1441,
                    "high": 1452,
                    "low": 1439,
                    "name": "贵州茅台",
                    "day_volume": 1000,
                    "day_turnover": 1450000,
                }
            ]
        }
    )
    (t,), _ = generic.decode(frame)
    assert t.time_ms == 1795570200000
    assert (t.volume, t.turnover, t.seq, t.prev_close) == (300.0, 435000.0, 17, 1440.5)
    assert (t.open, t.high, t.low, t.name) == (1441.0, 1452.0, 1439.0, "贵州茅台")
    assert (t.day_volume, t.day_turnover) == (1000.0, 1450000.0)


def test_clock_time_means_today_in_china() -> None:
    now_ms = 1795570200000  # 2026-11-25 09:30 CST
    (t,), _ = generic.decode('{"ticks":[{"code":"600519","price":1,"time":"10:15:30"}]}', now_ms)
    assert t.time_ms == now_ms + (45 * 60 + 30) * 1000


def test_missing_time_is_stamped_on_receipt() -> None:
    (t,), _ = generic.decode('{"ticks":[{"code":"600519","price":1}]}', 1234567890123)
    assert t.time_ms == 1234567890123


def test_bare_tick_object_and_control_messages() -> None:
    (t,), _ = generic.decode('{"code":"sh600519","price":"1450.5","time":1700000000}')
    assert t.symbol == "600519.SH"
    _, n = generic.decode('{"event":"subscribed","count":3}')
    assert n is not None and n.kind == "subscribed" and n.error is None
    _, n = generic.decode('{"event":"error","message":"bad symbols"}')
    assert n is not None and n.error is not None and "bad symbols" in str(n.error)


def test_one_bad_tick_does_not_lose_the_batch() -> None:
    frame = '{"ticks":[{"code":"700.HK","price":1},{"code":"600519","price":"x"},{"code":"000001","price":11}]}'
    ticks, _ = generic.decode(frame)
    assert [t.symbol for t in ticks] == ["000001.SZ"]


@pytest.mark.parametrize(
    ("frame", "exc"),
    [
        ("{", ProtocolError),
        ("[1,2]", ProtocolError),
        ('{"foo":1}', ProtocolError),
        ('{"ticks":"nope"}', ProtocolError),
        ('{"ticks":[{"code":"700.HK","price":1}]}', UnknownSymbolError),
        ('{"ticks":[{"code":"600519","price":"NaN"}]}', ProtocolError),
        ('{"ticks":[{"code":"600519","price":1,"time":"yesterday"}]}', ProtocolError),
        ('{"ticks":[{"price":1}]}', ProtocolError),
    ],
)
def test_malformed(frame: str, exc: type[Exception]) -> None:
    with pytest.raises(exc):
        generic.decode(frame)


def test_subscribe_forms() -> None:
    syms = ["000001.SZ", "600036.SH"]
    assert json.loads(generic.subscribe(syms)) == {"action": "subscribe", "symbols": syms}
    assert json.loads(generic.subscribe(syms, "string", "bare")) == {
        "action": "subscribe",
        "symbols": "000001,600036",
    }
    assert json.loads(generic.subscribe(["*"])) == {"action": "subscribe", "symbols": "*"}
    assert json.loads(generic.unsubscribe(["600036.SH"], "array", "bare")) == {
        "action": "unsubscribe",
        "symbols": ["600036"],
    }


@pytest.mark.parametrize(
    ("frame", "expected"),
    [
        (
            '{"action":"subscribe","symbols":["000001","600036"]}',
            ("subscribe", ["000001", "600036"]),
        ),
        ('{"action":"subscribe","symbols":"000001, 600036"}', ("subscribe", ["000001", "600036"])),
        ('{"action":"subscribe","symbols":"*"}', ("subscribe", "*")),
        ('{"action":"unsubscribe","symbols":["*"]}', ("unsubscribe", "*")),
    ],
)
def test_server_side_request_parsing(frame: str, expected: tuple[str, object]) -> None:
    assert generic.parse_request(frame) == expected


@pytest.mark.parametrize(
    "frame", ["nope", "[]", '{"action":"buy"}', '{"action":"subscribe","symbols":5}']
)
def test_server_side_bad_requests(frame: str) -> None:
    with pytest.raises(ProtocolError):
        generic.parse_request(frame)


@given(st.one_of(st.text(), st.binary()))
def test_any_input_raises_only_protocol_error(frame: str | bytes) -> None:
    try:
        generic.decode(frame, 1700000000000)
    except ProtocolError:
        pass


_val = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)


@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["code", "price", "time", "volume", "seq", "prev_close", "name", "high"]
            ),
            _val,
        ),
        max_size=4,
    )
)
def test_wrong_tick_shapes_raise_only_protocol_error(ticks: list[dict[str, object]]) -> None:
    try:
        generic.decode(json.dumps({"ticks": ticks}), 1700000000000)
    except ProtocolError:
        pass


def test_order_books_sent_with_ticks_are_decoded_when_asked_for() -> None:
    from monitor.core.protocols.generic import BatchCodec

    frame = (
        '{"ticks":[{"code":"600519.SH","price":1500.5,"time":1795570200000,'
        '"bids":[[1500.5,300],[1500.4,200]],"asks":[{"price":1500.6,"volume":100}]},'
        '{"code":"000001.SZ","price":11.2,"time":1795570200000}]}'
    )
    from monitor.core.protocols.base import Subscription

    codec = BatchCodec()
    assert codec.decode(frame, 0)[1] is None  # no book asked for: none read
    codec.plan(Subscription(), ["600519.SH", "000001.SZ"], False, False, ["600519.SH"])
    ticks, event = codec.decode(frame, 0)
    assert [t.symbol for t in ticks] == ["600519.SH", "000001.SZ"]
    assert event is not None and len(event.depths) == 1
    assert event.depths[0].bids == ((1500.5, 300.0), (1500.4, 200.0))
    assert event.depths[0].asks == ((1500.6, 100.0),)
    plain, _ = generic.decode(frame)  # callers that do not ask get the ticks alone
    assert len(plain) == 2
    bad = frame.replace("[[1500.5,300],[1500.4,200]]", '"junk"')
    ticks, event = codec.decode(bad, 0)  # a bad book costs the book, not the trade
    assert len(ticks) == 2 and event is None
