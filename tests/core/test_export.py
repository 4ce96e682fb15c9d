from __future__ import annotations

import csv
import io
import math
import os
from pathlib import Path

import pytest

from monitor.core.book import QuoteBook
from monitor.core.export import export_csv, render_csv, safe_text
from monitor.core.master import SymbolInfo, SymbolMaster
from monitor.core.quotes import Quote, Tick
from monitor.core.symbols import Board

T0 = 1795570200000


def _quotes() -> list[Quote]:
    m = SymbolMaster(
        [
            SymbolInfo("600519.SH", "贵州茅台", Board.MAIN, False, 1440.0),
            SymbolInfo("000001.SZ", '=HYPERLINK("x")', Board.MAIN),
        ]
    )
    b = QuoteBook(m)
    b.apply(Tick("600519.SH", 1450.0, T0, volume=300, turnover=435000.0))
    b.ensure("000001.SZ")
    return [b.quote("600519.SH"), b.quote("000001.SZ")]  # type: ignore[list-item]


def test_csv_is_excel_friendly() -> None:
    data = render_csv(_quotes())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["code", "name", "last", "change", "change_pct"]
    r = dict(zip(rows[0], rows[1], strict=True))
    assert r["name"] == "贵州茅台"
    assert r["last"] == "1450.00" and r["change"] == "10.00" and r["change_pct"] == "0.69"
    assert r["volume"] == "300" and r["turnover"] == "435000.00"
    assert r["limit_up"] == "1584.00" and r["limit_down"] == "1296.00"
    assert r["time"] == "2026-11-25T09:30:00.000+08:00"
    empty = dict(zip(rows[0], rows[2], strict=True))
    assert empty["last"] == "" and empty["change_pct"] == ""  # unknown is empty, never 0


def test_chinese_headers() -> None:
    assert render_csv([], lang="zh").decode("utf-8-sig").startswith("代码,名称,最新,涨跌,涨跌幅%")


@pytest.mark.parametrize("bad", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_neutralised(bad: str) -> None:
    assert safe_text(bad) == "'" + bad


def test_name_cell_cannot_run_a_formula() -> None:
    text = render_csv(_quotes()).decode("utf-8-sig")
    assert "'=HYPERLINK" in text


def test_export_is_atomic_and_leaves_no_temp_files(tmp_path: Path) -> None:
    out = tmp_path / "snap.csv"
    out.write_text("old")
    assert export_csv(out, _quotes()) == 2
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert os.listdir(tmp_path) == ["snap.csv"]


def test_failed_export_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "snap.csv"
    out.write_text("old")

    def boom(*a: object, **k: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        export_csv(out, _quotes())
    assert out.read_text() == "old"
    assert os.listdir(tmp_path) == ["snap.csv"]


def test_stale_temp_files_of_a_killed_writer_are_removed(tmp_path: Path) -> None:
    import time as _t

    from monitor.core.atomic import remove_stale_temps
    from monitor.core.persist import load_json, save_json

    target = tmp_path / "watchlists.json"
    save_json(target, {"a": 1})
    stale = tmp_path / ".watchlists.json.abc123.tmp"
    stale.write_text("{partial")
    old = _t.time() - 3600
    os.utime(stale, (old, old))
    fresh = tmp_path / ".watchlists.json.def456.tmp"
    fresh.write_text("{being written")
    assert load_json(target) == ({"a": 1}, None)
    assert not stale.exists() and fresh.exists()  # a writer may still own the fresh one
    assert remove_stale_temps(target, older_than=0) == 1


def test_redaction_masks_real_tokens_but_not_short_strings() -> None:
    from monitor.core.redact import redact

    assert redact("HTTP 401 for ws://x/?token=abcdef123", "T") == "HTTP 401 for ws://x/?token=***"
    assert redact("token abcdef123 refused", "abcdef123") == "token *** refused"


def _rows(quotes: list[Quote]) -> list[dict[str, str]]:
    text = render_csv(quotes).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_symbol_without_a_tick_has_no_volume_turnover_or_time() -> None:
    """Unknown is empty, never 0: the book holds NaN volume for a symbol with no tick."""
    b = QuoteBook(SymbolMaster([SymbolInfo("600519.SH", "贵州茅台", Board.MAIN, False, 1440.0)]))
    b.ensure("600519.SH")
    q = b.quote("600519.SH")
    assert q is not None and q.ticks == 0 and math.isnan(q.volume)
    row = _rows([q])[0]
    assert row["prev_close"] == "1440.00"  # known from the master
    for key in ("last", "change", "change_pct", "open", "high", "low", "volume", "turnover"):
        assert row[key] == "", key
    assert row["time"] == ""


def test_volume_from_todays_daily_bar_is_known_without_a_tick() -> None:
    b = QuoteBook(SymbolMaster())
    b.set_day("000001.SZ", 11.0, open=11.1, high=11.3, low=10.9, volume=12345, turnover=1.5e5)
    row = _rows([b.quote("000001.SZ")])[0]  # type: ignore[list-item]
    assert row["volume"] == "12345" and row["turnover"] == "150000.00"
    assert row["time"] == "" and row["last"] == ""


def test_a_real_zero_volume_after_a_tick_is_written() -> None:
    b = QuoteBook(SymbolMaster())
    b.apply(Tick("600000.SH", 10.0, T0))  # a snapshot tick without a traded volume
    row = _rows([b.quote("600000.SH")])[0]  # type: ignore[list-item]
    assert row["volume"] == "0" and row["turnover"] == "0.00"
    assert row["time"] == "2026-11-25T09:30:00.000+08:00"


def test_no_cell_of_an_unknown_row_is_zero() -> None:
    rows = _rows(_quotes())
    unknown = rows[1]
    assert all(v != "0" and not v.startswith("0.") for v in unknown.values()), unknown
