from __future__ import annotations

from monitor.core.master import SymbolInfo, SymbolMaster
from monitor.core.search import SymbolIndex, initials
from monitor.core.symbols import Board


def test_polyphonic_initials() -> None:
    assert {"cq", "zq"} <= set(initials("重庆"))
    assert "payh" in initials("平安银行")
    assert initials("TCL科技")[0].startswith("tcl")


def _index() -> SymbolIndex:
    names = [
        ("000001.SZ", "平安银行"),
        ("601318.SH", "中国平安"),
        ("600519.SH", "贵州茅台"),
        ("000001.SH", "上证指数"),
        ("000848.SZ", "承德露露"),
        ("600132.SH", "重庆啤酒"),
    ]
    return SymbolIndex(SymbolMaster(SymbolInfo(s, n, Board.MAIN) for s, n in names))


def test_ranking_by_code_initials_and_name() -> None:
    ix = _index()
    assert [m.symbol for m in ix.search("payh")] == ["000001.SZ"]
    assert ix.search("gzmt")[0].symbol == "600519.SH"
    assert [m.symbol for m in ix.search("000001")] == ["000001.SH", "000001.SZ"]  # both exchanges
    assert ix.search("平安")[0].symbol == "000001.SZ"  # name prefix before "contains"
    assert {m.symbol for m in ix.search("平安")} == {"000001.SZ", "601318.SH"}
    assert ix.search("zqpj")[0].symbol == "600132.SH" and ix.search("cqpj")[0].symbol == "600132.SH"
    assert ix.search("600519.sh")[0].symbol == "600519.SH"
    assert ix.search("") == [] and ix.search("zzzz") == []
