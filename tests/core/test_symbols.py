from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.core.symbols import (
    Board,
    SymbolError,
    board_of,
    limit_prices,
    normalize,
    parse_many,
    split_tokens,
)


@pytest.mark.parametrize(
    "token",
    [
        "600519",
        "600519.SH",
        "600519.sh",
        "SH600519",
        "sh600519",
        "sh.600519",
        " 600519 ",
        "SH.600519",
        "600519.SS",
        "600519.XSHG",
    ],
)
def test_every_common_form_normalises(token: str) -> None:
    assert normalize(token) == "600519.SH"


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("000001", "000001.SZ"),  # bare 000001 is Ping An Bank, as brokers read it
        ("000001.SH", "000001.SH"),  # the SSE Composite needs its suffix
        ("sz000001", "000001.SZ"),
        ("300750", "300750.SZ"),
        ("688981", "688981.SH"),
        ("689009", "689009.SH"),
        ("920001", "920001.BJ"),
        ("bj920001", "920001.BJ"),
        ("399001", "399001.SZ"),
        ("510300", "510300.SH"),
        ("159915", "159915.SZ"),
        ("002594.XSHE", "002594.SZ"),
    ],
)
def test_exchange_inferred_from_code_ranges(token: str, expected: str) -> None:
    assert normalize(token) == expected


def test_index_and_bank_never_collide() -> None:
    assert normalize("000001.SH") != normalize("000001.SZ")
    assert board_of("000001.SH") is Board.INDEX
    assert board_of("000001.SZ") is Board.MAIN


@pytest.mark.parametrize(
    ("token", "fragment"),
    [
        ("abc", "not an A-share code"),
        ("60051", "6 digits"),
        ("6005190", "7"),
        ("900901", "B-share"),
        ("200002", "B-share"),
        ("430047", "920xxx"),
        ("830799.BJ", "920xxx"),
        ("600519.SZ", "not listed on SZ"),
        ("300750.SH", "not listed on SH"),
        ("", "empty"),
        ("700.HK", "not an A-share"),
        ("123456", "prefix 123"),
    ],
)
def test_garbage_gets_a_clear_error_naming_the_token(token: str, fragment: str) -> None:
    with pytest.raises(SymbolError) as info:
        normalize(token)
    assert fragment in str(info.value)
    if token.strip():
        assert token.strip() in str(info.value)


@pytest.mark.parametrize(
    ("prev", "pct", "up", "down"),
    [
        (10.0, 0.10, 11.0, 9.0),
        (11.55, 0.10, 12.71, 10.40),  # 12.705 rounds half up, 10.395 -> 10.40
        (3.33, 0.05, 3.50, 3.16),  # 3.4965 -> 3.50, 3.1635 -> 3.16
        (1450.0, 0.10, 1595.0, 1305.0),
        (25.05, 0.20, 30.06, 20.04),
        (7.77, 0.30, 10.10, 5.44),
    ],
)
def test_limit_prices_round_to_cent(prev: float, pct: float, up: float, down: float) -> None:
    assert limit_prices(prev, pct) == (up, down)


def test_no_limit_for_index_or_unknown_prev_close() -> None:
    assert limit_prices(3000.0, None) is None
    assert limit_prices(0.0, 0.1) is None


def test_split_tokens_accepts_lines_commas_spaces_and_json() -> None:
    assert split_tokens("600519\n000001, 300750  sh688981") == [
        "600519",
        "000001",
        "300750",
        "sh688981",
    ]
    assert split_tokens('["600519", "000001.SZ"]') == ["600519", "000001.SZ"]
    assert split_tokens("600519，000001；300750") == ["600519", "000001", "300750"]


def test_parse_many_reports_added_duplicates_and_errors() -> None:
    r = parse_many("600519\nsh600519\nbogus\n000001\n900901")
    assert r.symbols == ("600519.SH", "000001.SZ")
    assert r.duplicates == ("600519.SH",)
    assert [e.token for e in r.errors] == ["bogus", "900901"]


def test_parse_many_caps_huge_pastes() -> None:
    r = parse_many(["600519"] * 10 + ["000001"] * 5, limit=12)
    assert r.symbols == ("600519.SH", "000001.SZ")
    assert "over 12" in str(r.errors[-1])


@given(st.text())
def test_normalize_raises_only_symbol_error(text: str) -> None:
    try:
        out = normalize(text)
    except SymbolError:
        return
    code, ex = out.split(".")
    assert len(code) == 6 and code.isdigit() and ex in ("SH", "SZ", "BJ")
    assert normalize(out) == out


@given(st.text())
def test_parse_many_never_raises(text: str) -> None:
    r = parse_many(text)
    assert len(set(r.symbols)) == len(r.symbols)


def test_full_width_input_from_chinese_ime() -> None:
    assert normalize("６００５１９．ＳＨ") == "600519.SH"
    with pytest.raises(SymbolError):
        normalize("٦٠٠٥١٩")  # other scripts' digits are not codes
