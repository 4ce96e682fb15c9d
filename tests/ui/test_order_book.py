"""The five-level order book beside the chart, on a real window with the simulator."""

from __future__ import annotations

from monitor.core.settings import Settings
from monitor.service.monitor import MonitorService
from monitor.ui.main_window import MainWindow
from tests.ui.conftest import until


def _levels(window: MainWindow) -> list[str]:
    ob = window.bottom.order_book
    return [p.text() + "/" + s.text() for p, s in zip(ob.prices, ob.sizes, strict=True)]


def test_selecting_a_stock_shows_five_bids_and_five_asks_updating(
    window: MainWindow, qloop
) -> None:  # type: ignore[no-untyped-def]
    ob = window.bottom.order_book
    assert ob.message.text() == "Select a row to see its order book" or ob.symbol is not None
    row = window.model.row_of("600519.SH")
    assert row is not None
    window.table.selectRow(row)
    assert ob.symbol == "600519.SH" and window.service.depth_symbol == "600519.SH"
    qloop.run_until_complete(until(lambda: ob.grid.isVisible(), 10, "the order book"))
    first = _levels(window)
    assert all(p.split("/")[0] != "—" for p in first)  # five asks above, five bids below
    asks = [float(p.split("/")[0]) for p in first[:5]]
    bids = [float(p.split("/")[0]) for p in first[5:]]
    assert asks == sorted(asks, reverse=True) and bids == sorted(bids, reverse=True)
    assert min(asks) > max(bids)
    assert ob.spread.text().startswith("Spread ")
    qloop.run_until_complete(until(lambda: _levels(window) != first, 15, "the book moving"))
    # Another row: its own book, never the last one's levels.
    other = window.model.row_of("000001.SZ")
    assert other is not None
    window.table.selectRow(other)
    assert window.service.depth_symbol == "000001.SZ"
    assert not ob.grid.isVisible() or "000001.SZ" in ob.title.text()
    qloop.run_until_complete(until(lambda: ob.grid.isVisible(), 10, "the new book"))
    assert all(float(p.split("/")[0]) < 100 for p in _levels(window) if p[0] != "—")
    # The provider goes away: the book is not current any more, and says so.
    sim = window.service.source.sim  # type: ignore[attr-defined]
    qloop.run_until_complete(sim.stop())
    qloop.run_until_complete(until(lambda: window.service.phase().value != "live", 10))
    ob.refresh()
    assert ob.message.isVisible() and ob.message.text().startswith("Not current")
    assert all(p.styleSheet() == f"color:{ob.muted}" for p in ob.prices)


def test_a_provider_without_order_books_says_so(qloop, paths, qtbot) -> None:  # type: ignore[no-untyped-def]
    from monitor.feed.simulator import SimConfig, Simulator

    sim = Simulator(SimConfig(symbols=300, rate=300, http_port=None))
    qloop.run_until_complete(sim.start())
    Settings(provider="generic", generic_url=sim.url("generic"), language="en").save(paths.settings)
    core = MonitorService(paths)
    w = MainWindow(core)
    w.show()
    try:
        qloop.run_until_complete(w.start())
        assert not core.depth_supported
        row = w.model.row_of("600519.SH")
        assert row is not None
        w.table.selectRow(row)
        ob = w.bottom.order_book
        assert ob.message.isVisible() and ob.message.text() == "No order book from this provider"
        assert not ob.grid.isVisible()
    finally:
        w.close()
        qloop.run_until_complete(core.close())
        qloop.run_until_complete(sim.stop())
