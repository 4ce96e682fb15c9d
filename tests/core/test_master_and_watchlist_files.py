from __future__ import annotations

from pathlib import Path

import pytest

from monitor.core.master import MasterError, SymbolMaster
from monitor.core.symbols import Board
from monitor.core.watchlist_io import (
    WatchlistFileError,
    parse_watchlist_text,
    read_watchlist_file,
    write_watchlist,
)


def test_broker_csv_in_gbk_with_chinese_headers(tmp_path: Path) -> None:
    p = tmp_path / "broker.csv"
    p.write_bytes(
        "证券代码,证券名称,昨收\n600519,贵州茅台,1440.00\n000001,平安银行,11.50\nxx,坏,1\n".encode(
            "gbk"
        )
    )
    m, skipped = SymbolMaster.from_csv(p)
    assert m.symbols() == ["600519.SH", "000001.SZ"]
    assert m.name("000001.SZ") == "平安银行"
    assert m.get("600519.SH").prev_close == 1440.0  # type: ignore[union-attr]
    assert m.get("600519.SH").board is Board.MAIN  # type: ignore[union-attr]
    assert len(skipped) == 1 and "line 4" in skipped[0] and "'xx'" in skipped[0]


def test_headerless_csv_and_st_detection() -> None:
    m, _ = SymbolMaster.from_csv_text("600001.SH,*ST某某\n300750,宁德时代\n")
    assert m.get("600001.SH").st is True  # type: ignore[union-attr]
    assert m.get("300750.SZ").st is False  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["", "code,name\nfoo,bar\n", "\n\n"])
def test_unusable_master_csv_says_why(text: str) -> None:
    with pytest.raises(MasterError):
        SymbolMaster.from_csv_text(text)


def test_master_records_round_trip_and_bad_shapes() -> None:
    m, _ = SymbolMaster.from_csv_text("code,name\n600519,贵州茅台\n")
    assert SymbolMaster.from_records(m.to_records()).name("600519.SH") == "贵州茅台"
    for bad in ({"a": 1}, [1], [{"code": "zzz"}]):
        with pytest.raises(MasterError):
            SymbolMaster.from_records(bad)


def test_watchlist_text_forms() -> None:
    assert parse_watchlist_text("# my list\n600519\n000001\n") == ["600519", "000001"]
    assert parse_watchlist_text("code,name\n600519.SH,贵州茅台\n000001.SZ,平安银行\n") == [
        "600519.SH",
        "000001.SZ",
    ]
    assert parse_watchlist_text('["600519","000001"]') == ["600519", "000001"]


def test_watchlist_round_trip_csv_and_txt(tmp_path: Path) -> None:
    for name in ("list.csv", "list.txt"):
        p = tmp_path / name
        write_watchlist(p, ["600519.SH", "000001.SZ"], ["贵州茅台", "平安银行"])
        assert read_watchlist_file(p) == ["600519.SH", "000001.SZ"]


def test_unreadable_watchlist_files(tmp_path: Path) -> None:
    with pytest.raises(WatchlistFileError, match="cannot read"):
        read_watchlist_file(tmp_path / "missing.txt")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(WatchlistFileError, match="not a text file"):
        read_watchlist_file(binary)


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("wss://quote.alltick.co/quote-stock-b-ws-api", True),
        ("ws://127.0.0.1:8765/ws", True),
        ("ws://[::1]:8765", True),
        ("http://example.com", False),
        ("ws://", False),
        ("ws://host:99999/x", False),
        ("ws://host:abc/x", False),
        ("quote.alltick.co", False),
    ],
)
def test_settings_url_validation(url: str, ok: bool) -> None:
    from monitor.core.settings import Settings, SettingsError

    s = Settings(provider="generic", generic_url=url)
    if ok:
        s.validate()
    else:
        with pytest.raises(SettingsError):
            s.validate()


def test_bad_settings_file_values_are_reported_not_fatal() -> None:
    from monitor.core.settings import Settings

    s, problems = Settings.from_json(
        {
            "provider": "alltick",
            "alltick_url": "http://x",
            "red_up": "yes",
            "refresh_hz": 20,
            "bogus": 1,
        }
    )
    assert s.provider == "simulator" and s.red_up is True
    assert any("red_up" in p for p in problems) and any("provider reset" in p for p in problems)


def test_watchlist_edits_and_undo_data() -> None:
    from monitor.core.watchlist import WatchlistError, Watchlists

    wl = Watchlists({"a": ["1", "2", "3", "4", "5"]})
    assert wl.reorder("a", ["1", "2"], 4) == ["1", "2", "3", "4", "5"]
    assert wl.get("a") == ["3", "4", "1", "2", "5"]
    removed = wl.remove("a", ["4", "5"])
    assert removed == [(1, "4"), (4, "5")] and wl.get("a") == ["3", "1", "2"]
    wl.insert("a", removed)
    assert wl.get("a") == ["3", "4", "1", "2", "5"]
    assert wl.add("a", ["5", "6", "6"]) == ["6"]
    with pytest.raises(WatchlistError, match="already exists"):
        wl.create("a")
    with pytest.raises(WatchlistError, match="last list"):
        wl.delete("a")
    wl.create("b", ["7"])
    assert wl.union() == ["3", "4", "1", "2", "5", "6", "7"]
    pos, syms = wl.delete("a")
    wl.restore(pos, "a", syms)
    assert wl.names() == ["a", "b"]
    assert wl.rename("b", "c") == "c" and wl.names() == ["a", "c"]


def test_watchlists_json_with_garbage_keeps_what_it_can() -> None:
    from monitor.core.watchlist import Watchlists

    wl, problems = Watchlists.from_json({"lists": [{"name": "x", "symbols": ["600519", "zzz"]}, 5]})
    assert wl.get("x") == ["600519.SH"]
    assert len(problems) == 2
