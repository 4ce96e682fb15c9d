"""The shipped A-share listing: real codes and names, initials with no pinyin at run time."""

from __future__ import annotations

import sys

import pytest

from monitor.core.listing import ListingError, parse_listing
from monitor.core.search import SymbolIndex
from monitor.core.symbols import Board
from monitor.platform.resources import shipped_listing


def test_the_shipped_listing_is_the_real_market() -> None:
    listing = shipped_listing()
    stocks = listing.stocks()
    assert len(stocks) >= 5000
    m = listing.master
    assert (m.name("600519.SH"), m.name("000001.SZ"), m.name("300750.SZ")) == (
        "贵州茅台",
        "平安银行",
        "宁德时代",
    )
    assert m.name("688981.SH") == "中芯国际" and m.name("000001.SH") == "上证指数"
    assert m.get("000001.SH").board is Board.INDEX  # type: ignore[union-attr]
    assert "000001.SH" not in stocks  # the whole market is stocks
    # No B-shares, no retired BSE codes, no full-width names.
    assert not [s for s in stocks if s[:3] in ("200", "900") or s[:2] in ("43", "83", "87")]
    assert m.name("000002.SZ") == "万科A"
    assert listing.as_of >= "2025-01-01"


def test_search_needs_no_pinyin_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypinyin", None)  # importing it now fails
    index = SymbolIndex(shipped_listing().master)
    assert index.search("gzmt")[0].symbol == "600519.SH"
    assert "601005.SH" in [m.symbol for m in index.search("zqgt")]  # 重庆钢铁, 重 as zhong
    assert "601005.SH" in [m.symbol for m in index.search("cqgt")]


def test_a_damaged_listing_says_so() -> None:
    with pytest.raises(ListingError, match="header"):
        parse_listing("foo,bar\n1,2\n")
    with pytest.raises(ListingError, match="no valid"):
        parse_listing("code,name\nAAPL,Apple\n")
    listing = parse_listing("code,name,list_date,initials\n600519,贵州茅台,2001-08-27,gzmt\nx\n")
    assert listing.master.name("600519.SH") == "贵州茅台" and listing.as_of == "2001-08-27"


def test_names_the_listing_does_not_know_are_searchable_without_pypinyin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from monitor.core.master import SymbolInfo, SymbolMaster
    from monitor.platform.resources import char_initials

    monkeypatch.setitem(sys.modules, "pypinyin", None)
    master = SymbolMaster([SymbolInfo("600999.SH", "重庆银行新", Board.MAIN)])  # not listed
    index = SymbolIndex(master, char_initials())
    for query in ("cqyhx", "zqyxx"):
        assert [m.symbol for m in index.search(query)] == ["600999.SH"], query
