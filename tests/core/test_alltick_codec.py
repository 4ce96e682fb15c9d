from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.core.protocols import (
    CodeInvalidError,
    EntitlementError,
    ProtocolError,
    ProviderError,
    RateLimitError,
    TokenError,
    UnknownSymbolError,
    alltick,
)


def test_trade_push_from_the_docs_with_int_fields() -> None:
    frame = (
        '{"cmd_id":22998,"data":{"code":"600519.SH","seq":1605509068000001,'
        '"tick_time":1605509068000,"price":"1451.12","volume":"300","turnover":"435336.0",'
        '"trade_direction":1}}'
    )
    ticks, reply = alltick.decode(frame)
    assert reply is None
    (t,) = ticks
    assert t.symbol == "600519.SH"
    assert t.price == 1451.12
    assert t.volume == 300.0
    assert t.turnover == 435336.0
    assert t.seq == 1605509068000001
    assert t.time_ms == 1605509068000


def test_legacy_string_seq_and_seconds_tick_time() -> None:
    frame = (
        '{"cmd_id":22998,"data":{"code":"000001.SZ","seq":"1605509068000001",'
        '"tick_time":"1605509068","price":"11.52","volume":"100","turnover":"1152"}}'
    )
    (t,), _ = alltick.decode(frame)
    assert t.seq == 1605509068000001
    assert t.time_ms == 1605509068000  # seconds became milliseconds


def test_string_milliseconds_tick_time() -> None:
    frame = (
        '{"cmd_id":22998,"data":{"code":"000001.SZ","seq":5,"tick_time":"1791000000123",'
        '"price":"11.52","volume":"100","turnover":"1152"}}'
    )
    (t,), _ = alltick.decode(frame.encode())
    assert t.time_ms == 1791000000123


def test_heartbeat_ack_and_subscribe_ack() -> None:
    _, r = alltick.decode(
        '{"ret":200,"msg":"ok","cmd_id":22001,"seq_id":123,"trace":"asdfsdfa","data":{}}'
    )
    assert r is not None and r.cmd_id == alltick.HEARTBEAT_ACK and r.error is None
    _, r = alltick.decode(
        '{"ret":200,"msg":"ok","cmd_id":22005,"seq_id":106254124,'
        '"trace":"3baaa938-f92c-4a74-a228-fd49d5e2","data":{}}'
    )
    assert r is not None and r.seq_id == 106254124 and r.trace.startswith("3baaa938")


@pytest.mark.parametrize(
    ("ret", "cls", "fatal"),
    [
        (401, TokenError, True),
        (600, CodeInvalidError, False),
        (603, EntitlementError, True),
        (604, EntitlementError, True),
        (605, RateLimitError, False),
        (606, RateLimitError, False),
        (201, ProviderError, False),
    ],
)
def test_ret_codes_become_typed_errors(ret: int, cls: type, fatal: bool) -> None:
    _, r = alltick.decode(
        json.dumps({"ret": ret, "msg": "x", "cmd_id": 22005, "seq_id": 1, "trace": "t", "data": {}})
    )
    assert r is not None and type(r.error) is cls
    assert r.error.fatal is fatal
    assert r.error.code == ret


def test_header_error_example_from_the_docs() -> None:
    _, r = alltick.decode(
        '{"ret":201,"msg":"request header param invalid","cmd_id":0,"seq_id":0,"trace":"","data":{}}'
    )
    assert r is not None and r.error is not None and "header" in str(r.error)


def test_depth_push_and_unknown_commands_are_ignored() -> None:
    frame = (
        '{"cmd_id":22999,"data":{"code":"600519.SH","seq":1,"tick_time":1,'
        '"bids":[{"price":"9.12","volume":"9"}],"asks":[]}}'
    )
    assert alltick.decode(frame) == ([], None)
    assert alltick.decode('{"cmd_id":99999,"data":{}}') == ([], None)


@pytest.mark.parametrize(
    "frame",
    [
        "",
        "not json",
        "[]",
        '{"data":{}}',
        '{"cmd_id":"x"}',
        '{"cmd_id":22998}',
        '{"cmd_id":22998,"data":{"code":"600519.SH"}}',
        '{"cmd_id":22998,"data":{"code":"600519.SH","price":"abc","tick_time":1}}',
        '{"cmd_id":22998,"data":{"code":"600519.SH","price":"NaN","tick_time":1}}',
        '{"cmd_id":22998,"data":{"code":"600519.SH","price":"1","tick_time":"soon"}}',
        '{"cmd_id":22998,"data":{"code":"600519.SH","price":"1","tick_time":-5}}',
        '{"cmd_id":22998,"data":{"code":"600519.SH","price":"1","tick_time":1,"seq":"x"}}',
        b"\xff\xfe\x00garbage",
        # the official markdown examples' trailing commas are not JSON
        '{"cmd_id":22004,"data":{"symbol_list":[{"code":"1"},],}}',
    ],
)
def test_malformed_frames_raise_protocol_error(frame: str | bytes) -> None:
    with pytest.raises(ProtocolError):
        alltick.decode(frame)


def test_non_a_share_code_is_an_unknown_symbol() -> None:
    frame = '{"cmd_id":22998,"data":{"code":"700.HK","price":"300","tick_time":1}}'
    with pytest.raises(UnknownSymbolError):
        alltick.decode(frame)


def test_subscribe_frame_carries_the_whole_list() -> None:
    frame = json.loads(alltick.subscribe_trades(["600519.SH", "000001.SZ"], 7, "trace-1"))
    assert frame == {
        "cmd_id": 22004,
        "seq_id": 7,
        "trace": "trace-1",
        "data": {"symbol_list": [{"code": "600519.SH"}, {"code": "000001.SZ"}]},
    }


def test_heartbeat_and_cancel_frames() -> None:
    hb = json.loads(alltick.heartbeat(3))
    assert hb["cmd_id"] == 22000 and hb["seq_id"] == 3 and hb["data"] == {}
    assert 0 < len(hb["trace"]) <= 64
    c = json.loads(alltick.cancel(alltick.CANCEL_TRADE, 4))
    assert c["cmd_id"] == 22006 and c["data"] == {"cancel_type": 2}


def test_encoded_push_round_trips() -> None:
    for legacy in (False, True):
        frame = alltick.encode_trade_push(
            "600519.SH", 42, 1700000000123, "1450.00", "200", "290000.00", legacy_strings=legacy
        )
        (t,), _ = alltick.decode(frame)
        assert (t.symbol, t.seq, t.time_ms, t.price) == ("600519.SH", 42, 1700000000123, 1450.0)


@given(st.one_of(st.text(), st.binary()))
def test_any_input_raises_only_protocol_error(frame: str | bytes) -> None:
    try:
        alltick.decode(frame)
    except ProtocolError:
        pass


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=12,
)


@given(
    st.fixed_dictionaries(
        {"cmd_id": st.sampled_from([22998, 22001, 22005, 22007, 0])},
        optional={"data": _json, "ret": _json, "seq_id": _json, "msg": _json, "trace": _json},
    )
)
def test_wrong_shapes_raise_only_protocol_error(msg: dict[str, object]) -> None:
    try:
        alltick.decode(json.dumps(msg))
    except ProtocolError:
        pass


# --- order book (22002 / 22999) ---------------------------------------------------------


def test_depth_push_from_the_docs_decodes_to_an_order_book() -> None:
    from monitor.core.protocols.alltick import AllTickCodec

    frame = (
        '{"cmd_id":22999,"data":{"code":"600519.SH","seq":1605509068000001,"tick_time":1605509068,'
        '"bids":[{"price":"9.12","volume":"9.12"}],"asks":[{"price":"147.12","volume":"147.12"}]}}'
    )
    ticks, event = AllTickCodec().decode(frame, 0)
    assert ticks == [] and event is not None and len(event.depths) == 1
    d = event.depths[0]
    assert (d.symbol, d.time_ms) == ("600519.SH", 1605509068000)
    assert d.bids == ((9.12, 9.12),) and d.asks == ((147.12, 147.12),)


def test_an_empty_side_at_a_limit_comes_as_zero_levels_and_is_dropped() -> None:
    from monitor.core.protocols.alltick import AllTickCodec, encode_depth_push

    frame = encode_depth_push("600519.SH", 7, 1_795_570_200_000, [(1595.0, 90000.0)], [])
    _, event = AllTickCodec().decode(frame, 0)
    assert (
        event is not None
        and event.depths[0].asks == ()
        and event.depths[0].bids == ((1595.0, 90000.0),)
    )


@pytest.mark.parametrize(
    "bids",
    [
        '"nope"',
        '[{"price":"x","volume":"1"}]',
        '[{"price":"-1","volume":"1"}]',
        "[[1]]",
        '[{"price":true,"volume":1}]',
    ],
)
def test_a_bad_order_book_is_a_bad_frame(bids: str) -> None:
    from monitor.core.protocols.alltick import AllTickCodec

    frame = (
        '{"cmd_id":22999,"data":{"code":"600519.SH","seq":1,"tick_time":1605509068,"bids":%s,"asks":[]}}'
        % bids
    )
    with pytest.raises(ProtocolError):
        AllTickCodec().decode(frame, 0)


def test_depth_is_its_own_list_replaced_whole_and_cancelled_with_type_1() -> None:
    from monitor.core.protocols.alltick import AllTickCodec
    from monitor.core.protocols.base import Subscription

    codec, sent = AllTickCodec(), Subscription()
    frames = [json.loads(f) for f in codec.plan(sent, ["600519.SH"], False, False, ["600519.SH"])]
    assert [f["cmd_id"] for f in frames] == [22004, 22002]
    assert frames[1]["data"]["symbol_list"] == [{"code": "600519.SH", "depth_level": 5}]
    assert codec.plan(sent, ["600519.SH"], False, False, ["600519.SH"]) == []  # nothing new
    frames = [json.loads(f) for f in codec.plan(sent, ["600519.SH"], False, False, [])]
    assert frames == [{**frames[0], "cmd_id": 22006, "data": {"cancel_type": 1}}]


def test_a_trade_without_volume_or_turnover_has_them_unknown_not_zero() -> None:
    import math

    ticks, _ = alltick.decode(
        '{"cmd_id":22998,"data":{"code":"600519.SH","seq":1,"tick_time":"1791000000123",'
        '"price":"1500.00"}}'
    )
    assert len(ticks) == 1 and math.isnan(ticks[0].volume) and math.isnan(ticks[0].turnover)
