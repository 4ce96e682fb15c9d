"""Holdings on a real window with the simulator: P&L that moves with the price."""

from __future__ import annotations

import json
from pathlib import Path

from monitor.service.monitor import MonitorService
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until


def _row_texts(window: MainWindow, row: int) -> list[str]:
    t = window.bottom.holdings.table
    return [t.item(row, c).text() if t.item(row, c) else "" for c in range(t.columnCount())]


def test_100_shares_at_a_cost_show_pnl_that_moves(
    window: MainWindow, qloop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    panel = window.bottom.holdings
    window.bottom.setCurrentWidget(panel)
    sym = "600519.SH"
    qloop.run_until_complete(
        until(lambda: (q := window.service.book.quote(sym)) is not None and q.last)
    )
    dlg = panel.open_dialog(sym)
    dlg.quantity.setValue(100)
    dlg.cost.setValue(1400.0)
    dlg._accept()  # OK
    assert not dlg.isVisible()
    panel.refresh()
    cells = _row_texts(window, 0)
    assert cells[:4] == [sym, "贵州茅台", "100", "1400.00"]
    last = float(cells[4])
    assert (
        cells[6].replace(",", "") == f"{(last - 1400.0) * 100:+,.2f}".replace(",", "") or cells[6]
    )
    assert _row_texts(window, 1)[0].startswith("Total")
    first = cells[4]
    qloop.run_until_complete(
        until(
            lambda: (panel.refresh(), _row_texts(window, 0)[4])[1] != first, 20, "the price moving"
        )
    )
    moved = _row_texts(window, 0)
    assert moved[6] != cells[6]  # P&L follows the price
    pnl = float(moved[6].replace(",", "").replace("万", "e4"))
    assert abs(pnl - (float(moved[4]) - 1400.0) * 100) < 0.01
    # Kept on disk (atomically), shown on the breadth bar, exported and imported as CSV.
    saved = json.loads(window.service.paths.holdings.read_text(encoding="utf-8"))
    assert saved == [{"symbol": sym, "quantity": 100, "cost": 1400.0}]
    window.breadth.refresh()
    assert "Holdings" in window.breadth.counts.text()
    out = tmp_path / "h.csv"
    assert panel.export_to(out) == 1
    window.service.portfolio.remove([sym])
    assert panel.table.rowCount() == 0
    assert panel.import_from(out) == 1
    assert window.service.portfolio.holdings.symbols() == [sym]


def test_a_bad_entry_stays_in_the_dialog(window: MainWindow) -> None:
    dlg = window.bottom.holdings.open_dialog("600036.SH")
    dlg.quantity.setValue(0)
    dlg._accept()
    assert dlg.isVisible() and "quantity" in dlg.error.text()
    assert window.service.portfolio.holdings.get("600036.SH") is None
    dlg.reject()


def test_held_symbols_are_priced_when_in_no_list(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    sym = "601857.SH"  # 中国石油: not in the default list
    assert sym not in window.service.watchlists.union()
    window.service.portfolio.set(sym, 1000, 8.0)
    qloop.run_until_complete(
        until(lambda: (q := window.service.book.quote(sym)) is not None and q.last is not None, 15)
    )
    again = MonitorService(window.service.paths)  # a restart reads them back
    assert again.portfolio.holdings.get(sym) is not None


def test_holdings_are_hidden_in_discreet_mode_unless_asked(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    window.service.update_settings(discreet_compact=False)
    window.service.portfolio.set("600519.SH", 100, 1400.0)
    tabs = window.bottom
    index = tabs.indexOf(tabs.holdings)
    window.set_discreet(True)
    try:
        window.breadth.refresh()
        assert not tabs.isTabVisible(index) and "Holdings" not in window.breadth.counts.text()
        window.acts["holdings_in_discreet"].trigger()  # View › Show holdings in discreet mode
        window.breadth.refresh()
        assert tabs.isTabVisible(index) and "Holdings" in window.breadth.counts.text()
    finally:
        window.set_discreet(False)
    assert tabs.isTabVisible(index)


def test_the_dialog_takes_a_name_and_refuses_an_index(window: MainWindow, qloop) -> None:  # type: ignore[no-untyped-def]
    panel = window.bottom.holdings
    assert not panel.table.isVisible() and "Set holding" in panel.hint.text()  # empty state
    dlg = panel.open_dialog("")  # Add…: a code or a name is typed
    dlg.symbol.setText("贵州茅台")
    dlg.quantity.setValue(100)
    dlg.cost.setValue(1400.0)
    dlg._accept()
    assert window.service.portfolio.holdings.get("600519.SH") is not None
    dlg = panel.open_dialog("")
    dlg.symbol.setText("000001.SH")  # 上证指数
    dlg.quantity.setValue(100)
    dlg.cost.setValue(3000.0)
    dlg._accept()
    assert dlg.isVisible() and "index" in dlg.error.text()
    dlg.reject()
