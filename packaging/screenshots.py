"""Take the README's screenshots from the real window on the embedded simulator.

Run on an X display (Xvfb is enough) with Qt's xcb platform, as a user's desktop:

    Xvfb :98 -screen 0 1400x900x24 &
    DISPLAY=:98 QT_QPA_PLATFORM=xcb python packaging/screenshots.py docs/

Each shot starts the window in a fresh home (simulator, the whole market), selects
贵州茅台 and shows one tab: the K-line tab, the holdings tab (with two example
holdings), the floating ticker, File › A-share listing after a refresh (against the
tests' doc-written exchange servers listing the shipped stocks with three example
changes: a new listing, a delisting, a rename). The 分时 shots (zh, en, dark) need a trading day's
ticks whatever the hour the script runs at: the simulator's market is stepped through
the last weekday's session (300 names, a trade every few seconds each) into a
recording, which the window then replays (File › Open recorded day) — the status bar
says "Replay".
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def make_demo_day(path: Path, names: int = 300) -> None:
    """The last weekday's session of the simulated market, recorded tick by tick."""
    import datetime as dt

    from monitor.core.quotes import SHANGHAI, Tick
    from monitor.core.simmarket import SimMarket
    from monitor.platform.resources import shipped_listing
    from monitor.service.recorder import TickRecorder

    market = SimMarket(names, seed=11, listing=shipped_listing().master)
    day = dt.datetime.now(SHANGHAI).date() - dt.timedelta(days=1)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    prev = dict(zip(market.symbols, market.prev_close.tolist(), strict=True))
    rec = TickRecorder(path, reference=prev.get)

    def at(h: int, m: int) -> int:
        return int(dt.datetime.combine(day, dt.time(h, m), SHANGHAI).timestamp() * 1000)

    for start, end in ((at(9, 25), at(11, 30)), (at(13, 0), at(15, 0))):
        for now in range(start, end, 2000):
            rows = market.step(20, now)
            ticks = [
                Tick(
                    market.symbols[r],
                    float(market.px.last[r]),
                    now,
                    volume=float(market.trade_volume[r]),
                    turnover=float(market.trade_volume[r] * market.px.last[r]),
                    seq=int(market.seq[r]),
                )
                for r in rows.tolist()
            ]
            rec.add(ticks, now)
            rec.flush()
    rec.close()


async def _shoot(out: Path, lang: str, theme: str, tab: str, settle: float) -> None:
    from monitor.core.settings import Settings
    from monitor.platform.paths import Paths
    from monitor.service.monitor import MonitorService
    from monitor.ui.main_window import MainWindow

    paths = Paths.default()
    exchanges = _example_exchanges() if tab == "listing" else None
    urls = exchanges.__enter__().urls() if exchanges is not None else {}
    Settings(language=lang, theme=theme, listing_urls=urls).save(paths.settings)
    service = MonitorService(paths)
    if tab == "holdings":
        service.portfolio.set("600519.SH", 200, 1398.5)
        service.portfolio.set("300750.SZ", 1000, 236.8)
    window = MainWindow(service)
    window.resize(1400, 860)
    window.show()
    await window.start()
    await asyncio.wait_for(asyncio.shield(window.first_row_painted), 30)
    demo = os.environ.get("SCREENSHOT_DAY")
    if tab == "chart" and demo:
        await service.open_replay(Path(demo), None, "09:25:00")  # as fast as it goes
        replay = service.replaying
        assert replay is not None
        assert replay.server is not None
        await asyncio.wait_for(replay.server.finished.wait(), 120)
    # The replayed day has 300 names: its shots show the watchlist, the others the market.
    window.lists.setCurrentRow(1 if tab == "chart" and demo else 0)
    await asyncio.sleep(2.0)
    row = window.model.row_of("600519.SH")
    if row is not None:
        window.table.selectRow(row)
    pages = {
        "chart": window.bottom.intraday,
        "kline": window.bottom.kline,
        "holdings": window.bottom.holdings,
    }
    window.bottom.setCurrentWidget(pages.get(tab, window.bottom.intraday))
    if tab == "ticker":
        window.tickers.open()
    listing = None
    if exchanges is not None:
        await service.refresh_listing()
        exchanges.__exit__(None, None, None)
        listing = window.open_listing()
    await asyncio.sleep(settle)
    if tab == "ticker" and window.tickers.ticker is not None:
        window.tickers.ticker.grab().save(str(out))
    elif listing is not None:
        listing.grab().save(str(out))
    else:
        window.grab().save(str(out))
    print(f"saved {out}")
    window.close()
    await service.close()


def _example_exchanges() -> Any:
    """The shipped listing as the exchanges would list it, with three example changes."""
    from monitor.platform.resources import shipped_listing
    from tests.servers.exchanges_doc import DocExchanges, Row

    rows: dict[str, list[Row]] = {"SH": [], "SZ": [], "BJ": []}
    for info in shipped_listing().master:
        code, _, ex = info.symbol.partition(".")
        if info.board.value != "index" and code != "600000":  # example: delisted
            name = "国华网安" if code == "000004" else info.name  # example: *ST lifted
            rows[ex].append(Row(code, name))
    rows["SH"].append(Row("603397", "新上市股", "20261128"))  # example: a new listing
    return DocExchanges(sse=rows["SH"], szse=rows["SZ"], bse=rows["BJ"])


SHOTS = {
    "screenshot.png": ("zh", "light", "chart"),
    "screenshot-en.png": ("en", "light", "chart"),
    "screenshot-dark.png": ("zh", "dark", "chart"),
    "screenshot-kline.png": ("zh", "light", "kline"),
    "screenshot-holdings.png": ("zh", "light", "holdings"),
    "screenshot-ticker.png": ("zh", "light", "ticker"),
    "screenshot-listing.png": ("zh", "light", "listing"),
}


def _one(out: Path, lang: str, theme: str, tab: str) -> None:
    from PySide6.QtWidgets import QApplication

    from monitor.ui.loop import make_loop

    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the shot ends the run, not a closed window
    loop = make_loop(app)
    loop.run_until_complete(_shoot(out, lang, theme, tab, 8.0))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        _one(Path(sys.argv[2]), *sys.argv[3:6])
        return
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    only = set(sys.argv[2:])
    work = Path(tempfile.mkdtemp())
    day = work / "demo-day.sqlite"
    make_demo_day(day)
    for name, (lang, theme, tab) in SHOTS.items():
        if only and name not in only:
            continue
        with tempfile.TemporaryDirectory() as home:  # a fresh home per shot, one process each
            env = {**os.environ, "ASHARE_MONITOR_HOME": home, "SCREENSHOT_DAY": str(day)}
            cmd = [sys.executable, __file__, "--one", str(folder / name), lang, theme, tab]
            subprocess.run(cmd, env=env, check=True)


if __name__ == "__main__":
    main()
