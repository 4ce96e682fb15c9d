"""The listing refreshed from the exchanges, against doc-written local exchange servers."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from pathlib import Path

import pytest

from monitor.core.exchange_listing import Listed
from monitor.core.quotes import SHANGHAI, Tick
from monitor.core.settings import Settings
from monitor.core.symbols import parse_many
from monitor.feed.exchange_fetch import ExchangeEndpoints, fetch_exchange
from monitor.platform.paths import Paths
from monitor.platform.resources import shipped_listing
from monitor.service.events import ListingRefreshed
from monitor.service.monitor import MonitorService
from tests.feed.helpers import wait_until
from tests.servers.exchanges_doc import DocExchanges, Row

NEW_BSE = Row("920001", "新北交股", "20261127")  # codes the snapshot does not list
NEW_SSE = Row("603397", "新上市股", "20261128")


def _exchange_rows() -> tuple[list[Row], list[Row], list[Row]]:
    """The shipped listing's stocks per exchange, as the exchanges would list them."""
    sse, szse, bse = [], [], []
    for info in shipped_listing().master:
        if info.board.value == "index":
            continue
        code, _, ex = info.symbol.partition(".")
        if ex == "SH":
            sse.append(Row(code, info.name))
        elif ex == "SZ":
            szse.append(Row(code, info.name))
        else:
            bse.append(Row(code, info.name))
    return sse, szse, bse


@pytest.fixture
def exchanges() -> DocExchanges:
    sse, szse, bse = _exchange_rows()
    # Since the snapshot: one SSE stock delisted, one SZSE stock out of risk warning
    # under a new name, a new listing on SSE and on BSE.
    sse = [r for r in sse if r.code != "600000"] + [NEW_SSE]
    szse = [Row(r.code, "国华网安") if r.code == "000004" else r for r in szse]
    bse = [NEW_BSE, *bse]
    with DocExchanges(sse=sse, szse=szse, bse=bse, sse_page_cap=2000, bse_page_size=20) as ex:
        yield ex


def _paths(tmp_path: Path) -> Paths:
    return Paths(tmp_path / "config", tmp_path / "logs", tmp_path / "data", tmp_path / "cache")


def _service(tmp_path: Path, exchanges: DocExchanges, day: dt.date) -> MonitorService:
    settings = Settings(listing_urls=exchanges.urls())
    core = MonitorService(_paths(tmp_path), settings)
    core.clock = lambda: dt.datetime.combine(day, dt.time(9, 0), SHANGHAI)
    return core


def test_each_exchange_is_asked_as_its_page_asks(exchanges: DocExchanges, tmp_path: Path) -> None:
    exchanges.sse_page_cap, exchanges.bse_page_size = 500, 10  # pages to follow
    exchanges.min_interval = 0.4  # a client that does not space its requests is refused
    endpoints = ExchangeEndpoints(**exchanges.urls())
    sse = fetch_exchange("SSE", endpoints, spacing=0.5, record_to=tmp_path / "raw")
    assert sse.error == "" and exchanges.refused == []
    asked = exchanges.asked("SSE")
    # main board and STAR, each paged at the server's cap of 500 rows
    assert [(s.query["STOCK_TYPE"], s.query["pageHelp.pageNo"]) for s in asked][:2] == [
        ("1", "1"),
        ("1", "2"),
    ]
    assert all("sse.com.cn" in s.headers["Referer"] for s in asked)
    assert len(sse.rows or []) == len(exchanges.sse)
    assert Listed("603397.SH", "新上市股", "2026-11-28") in (sse.rows or [])
    bse = fetch_exchange("BSE", endpoints, spacing=0.5)
    assert len(bse.rows or []) == len(exchanges.bse) == 29
    assert Listed("920001.BJ", "新北交股", "2026-11-27") in (bse.rows or [])
    assert Listed("920002.BJ", "万达轴承", "2020-01-02") in (bse.rows or [])
    forms = [s.form for s in exchanges.asked("BSE")]
    assert [f["page"] for f in forms] == ["0", "1", "2"]  # ten rows a page here
    assert all(f["typejb"] == "T" and f["xxfcbj[]"] == "2" for f in forms)
    szse = fetch_exchange("SZSE", endpoints, spacing=0.5)
    assert len(szse.rows or []) == len(exchanges.szse) and szse.requests == 1
    # The raw answers can be kept, to become recorded fixtures where the exchanges answer.
    assert sorted(p.name for p in (tmp_path / "raw").iterdir())[:2] == [
        "sse-1-p1.json",
        "sse-1-p2.json",
    ]
    assert exchanges.refused == []


def test_an_unspaced_client_would_be_refused(exchanges: DocExchanges) -> None:
    """The spacing test above can fail: the server refuses requests closer than its limit."""
    exchanges.min_interval = 0.4
    result = fetch_exchange("BSE", ExchangeEndpoints(**exchanges.urls()), spacing=0.0)
    assert result.rows is None and "HTTP 403" in result.error and exchanges.refused


async def test_a_refresh_brings_new_listings_names_and_delistings(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    today = dt.date(2026, 12, 1)
    core = _service(tmp_path, exchanges, today)
    assert "920001.BJ" not in core.master and "600000.SH" in core.market()
    core.create_list("mine", ["600000.SH", "600519.SH", "000004.SZ"])
    now = int(time.time() * 1000)
    core.book.apply(Tick("600000.SH", 10.57, now, volume=100))  # priced before the refresh
    core.book.set_day("000004.SZ", 10.0)
    core.book.apply(Tick("000004.SZ", 10.2, now, volume=100))
    # ST or not, ±10 % on the main board since 2026-07-06 (core.market_rules).
    assert core.book.quote("000004.SZ").limit_up == 11.0  # type: ignore[union-attr]
    seen: list[ListingRefreshed] = []
    core.events.subscribe(lambda e: seen.append(e) if isinstance(e, ListingRefreshed) else None)
    outcome = await core.refresh_listing()
    assert outcome.errors == [] and outcome.refreshed == ["SSE", "SZSE", "BSE"]
    changes = outcome.changes
    assert [r.symbol for r in changes.new] == ["603397.SH", "920001.BJ"]
    assert changes.delisted == [("600000.SH", "浦发银行")]
    assert changes.renamed == [("000004.SZ", "*ST国华", "国华网安")]
    assert seen and seen[0].outcome is outcome
    # New listings are in the whole market with their names; ST is taken from the name.
    assert core.master.name("920001.BJ") == "新北交股" and "920001.BJ" in core.market()
    assert core.master.get("000004.SZ").st is False  # type: ignore[union-attr]
    renamed = core.book.quote("000004.SZ")
    assert renamed is not None and renamed.name == "国华网安" and renamed.limit_up == 11.0
    assert renamed.last == 10.2  # still listed, still priced
    # The delisted stock leaves the market and is not subscribed from a watchlist, but
    # keeps its name there, flagged.
    assert "600000.SH" not in core.market()
    assert "600000.SH" not in core.wanted() and "600519.SH" in core.wanted()
    assert core.listing.delisted == {"600000.SH": "2026-12-01"}
    assert core.master.name("600000.SH") == "浦发银行"
    gone = core.book.quote("600000.SH")
    assert gone is not None and gone.last is None and gone.name == "浦发银行"
    assert core.listing_as_of == "2026-12-01" and core.listing.from_exchanges
    # Adding a delisted code is refused like any unlisted one.
    report = core.known(parse_many("600000"))
    assert report.symbols == () and "delisted" in report.errors[0].reason


async def test_the_refreshed_listing_survives_a_restart_and_is_asked_at_most_daily(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    today = dt.date(2026, 12, 1)
    core = _service(tmp_path, exchanges, today)
    await core.refresh_listing()
    market = core.market()
    cache = json.loads(_paths(tmp_path).exchange_listing.read_text(encoding="utf-8"))
    assert cache["exchanges"]["BSE"]["fetched"] == "2026-12-01"
    again = _service(tmp_path, exchanges, today)  # the next start, same day
    assert again.market() == market and again.master.name("920001.BJ") == "新北交股"
    assert again.listing.due(today) == []
    assert again.listing.changes.new[0].symbol == "603397.SH"  # still flagged after a restart
    assert again.listing.delisted == {"600000.SH": "2026-12-01"}
    assert again.listing.due(today + dt.timedelta(days=1)) == ["SSE", "SZSE", "BSE"]


async def test_a_broken_exchange_keeps_its_list_and_the_others_are_refreshed(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    szse_before = [s for s in core.market() if s.endswith(".SZ")]
    exchanges.szse = exchanges.szse[: len(exchanges.szse) // 2]  # a half-served workbook
    exchanges.broken["SSE"] = "html"  # a security-check page instead of JSON
    outcome = await core.refresh_listing()
    assert outcome.refreshed == ["BSE"]
    assert outcome.errors[0] == "SSE: the answer is not JSON"
    assert [f.kind for f in outcome.failures] == ["not_a_listing", "incomplete"]
    assert (
        outcome.errors[1].startswith("SZSE listed 1,4")
        and "previous list is kept" in outcome.errors[1]
    )
    assert [s for s in core.market() if s.endswith(".SZ")] == szse_before
    assert "600000.SH" in core.market() and "920001.BJ" in core.market()
    assert not core.listing.from_exchanges and core.listing.due(dt.date(2026, 12, 1)) == [
        "SSE",
        "SZSE",
    ]


async def test_unreachable_exchanges_change_nothing(tmp_path: Path) -> None:
    with DocExchanges() as gone:
        urls = gone.urls()
    core = MonitorService(_paths(tmp_path), Settings(listing_urls=urls))
    market = core.market()
    outcome = await core.refresh_listing()
    assert outcome.refreshed == [] and len(outcome.errors) == 3
    assert all("cannot reach" in e for e in outcome.errors)
    assert core.market() == market and not _paths(tmp_path).exchange_listing.exists()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xff garbage",
        b'{"version": 1, "exchanges": {"SSE": {"fetched": "2026-12-01", "rows": [["600000.SZ", "x", ""]]}}}',
        b'{"version": 1, "exchanges": {"BSE": {"fetched": "tomorrow", "rows": [["920001.BJ", "a", ""]]}}}',
        b"[" * 50_000,
    ],
)
def test_a_damaged_cache_is_ignored(tmp_path: Path, content: bytes) -> None:
    paths = _paths(tmp_path)
    paths.exchange_listing.parent.mkdir(parents=True)
    paths.exchange_listing.write_bytes(content)
    core = MonitorService(paths, Settings())
    assert core.market() == MonitorService(_paths(tmp_path / "fresh"), Settings()).market()
    assert core.listing_as_of == shipped_listing().as_of
    if content.startswith((b"\x00", b"[")):  # unreadable: removed, not said at every start
        assert not paths.exchange_listing.exists() and core.notes.messages == []


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc")
async def test_quitting_does_not_wait_for_a_hanging_exchange(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    exchanges.broken["SSE"] = "hang"  # accepts, never answers
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    task = core.start_listing_refresh()
    await wait_until(lambda: exchanges.asked("SSE"), 20, "the child asks")
    started = time.monotonic()
    await core.close()
    assert time.monotonic() - started < 3
    assert task.cancelled()
    await wait_until(lambda: not _workers(core.listing.cache), 5, "the child is killed")


def _workers(cache: Path) -> list[int]:
    """Running ``listing-worker`` children for ``cache``."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"listing-worker" in cmd and str(cache).encode() in cmd:
            found.append(int(proc.name))
    return found


async def test_a_child_that_dies_is_one_failure(
    exchanges: DocExchanges, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from monitor.service import listing_worker

    crash = [sys.executable, "-c", "import sys; sys.exit('listing-worker: out of memory')"]
    monkeypatch.setattr(listing_worker, "own_command", lambda: crash)
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    market = core.market()
    outcome = await core.refresh_listing()
    assert [(f.kind, f.detail) for f in outcome.failures] == [
        ("failed", "the listing refresh stopped (exit 1): listing-worker: out of memory")
    ]
    assert core.market() == market


async def test_a_short_answer_delists_nothing(exchanges: DocExchanges, tmp_path: Path) -> None:
    """A page lost on the way (fewer rows than the exchange announced) or unreadable rows
    never turn listed stocks into delisted ones."""
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    market = core.market()
    exchanges.sse_page_cap = 500
    exchanges.drop_pages["SSE"] = {2}  # the second main-board page never arrives
    outcome = await core.refresh_listing()
    assert [f.kind for f in outcome.failures] == ["incomplete"]
    assert "announced" in outcome.errors[0] and outcome.refreshed == ["SZSE", "BSE"]
    assert all(s in core.market() for s in market if s.endswith(".SH"))
    exchanges.drop_pages.clear()
    exchanges.damaged_codes["SSE"] = {"600519"}  # a row whose code cannot be read
    outcome = await core.refresh_listing()
    assert outcome.refreshed == ["SSE", "SZSE", "BSE"] and outcome.changes.delisted == []
    assert "600519.SH" in core.market() and "600000.SH" in core.market()
    assert core.listing.delisted == {}
    exchanges.damaged_codes.clear()
    outcome = await core.refresh_listing()  # whole again: now the delisting is taken
    assert outcome.changes.delisted == [("600000.SH", "浦发银行")]


async def test_dozens_gone_at_once_from_a_recent_list_is_refused(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    await core.refresh_listing()
    core.clock = lambda: dt.datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)
    exchanges.szse = exchanges.szse[60:]  # 60 stocks gone overnight: a broken answer
    outcome = await core.refresh_listing()
    assert outcome.errors == ["SZSE no longer lists 60 A-shares at once: the previous list is kept"]
    assert core.listing.due(dt.date(2026, 12, 2)) == ["SZSE"]


async def test_a_restart_with_an_imported_list_keeps_delistings_and_the_exchanges_names(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    await core.refresh_listing()
    broker = tmp_path / "broker.csv"
    broker.write_text("证券代码,证券名称\n600000,浦发银行\n000004,*ST国华\n920999,券商新股\n")
    core.import_listing(broker)
    for svc in (core, _service(tmp_path, exchanges, dt.date(2026, 12, 1))):  # now, restarted
        assert "600000.SH" not in svc.market() and "600000.SH" in svc.listing.delisted
        info = svc.master.get("000004.SZ")
        assert info is not None and info.name == "国华网安" and not info.st
        assert "920999.BJ" in svc.market()  # only the broker's list names it: kept
        svc.all_market = True
        assert "600000.SH" not in svc.wanted()


async def test_a_running_app_asks_again_on_a_new_day(
    exchanges: DocExchanges, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASHARE_MONITOR_LISTING_REFRESH", "1")
    day = [dt.date(2026, 12, 1)]
    core = _service(tmp_path, exchanges, day[0])
    core.clock = lambda: dt.datetime.combine(day[0], dt.time(23, 59), SHANGHAI)
    core.listing_check_s = 0.2
    core.load_in_background(None)
    await wait_until(lambda: len(exchanges.asked("SZSE")) == 1, 20)
    await asyncio.sleep(1)
    assert len(exchanges.asked("SZSE")) == 1  # once a day
    day[0] = dt.date(2026, 12, 2)
    await wait_until(lambda: core.listing.fetched.get("BSE") == "2026-12-02", 20)
    assert len(exchanges.asked("SZSE")) == 2 and core.listing.due(day[0]) == []
    await core.close()


def test_a_cache_from_the_future_is_asked_again(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    paths.exchange_listing.parent.mkdir(parents=True)
    rows = [[f"92000{i}.BJ", "北交股", ""] for i in range(1, 4)]
    paths.exchange_listing.write_text(
        json.dumps({"version": 1, "exchanges": {"BSE": {"fetched": "2099-01-01", "rows": rows}}})
    )
    core = MonitorService(paths, Settings())
    assert core.listing.due(dt.date(2026, 12, 1)) == ["SSE", "SZSE", "BSE"]


def test_the_simulator_models_the_listing_in_use(exchanges: DocExchanges, tmp_path: Path) -> None:
    """After a refresh the embedded simulator's market is the listing the app uses: new
    listings traded, delisted ones gone, names as the exchanges give them."""
    from monitor.feed.simulator import SimConfig, Simulator
    from monitor.service.listing_keeper import ListingKeeper

    keeper = ListingKeeper(shipped_listing(), _paths(tmp_path).exchange_listing)
    asyncio.run(keeper.refresh(ExchangeEndpoints(**exchanges.urls()), dt.date(2026, 12, 1)))
    sim = Simulator(SimConfig(symbols=6000, listing=keeper.current_master()))
    symbols = set(sim.market.symbols)
    assert "603397.SH" in symbols and "600000.SH" not in symbols
    assert sim.market.master.name("000004.SZ") == "国华网安"


async def test_codes_the_provider_does_not_serve_are_not_subscribed(tmp_path: Path) -> None:
    """A provider that lists its codes refuses a whole request for one it does not know
    (AllTick's 600): a watchlist code outside its list is left out, the rest stay live."""
    core = MonitorService(_paths(tmp_path), Settings(sim_symbols=60, sim_rate=600))
    core.create_list("mine", ["600519.SH", "920002.BJ"])  # the second: not among the 60
    await core.start()
    try:
        await wait_until(lambda: core.provider_symbols() is not None, 10, "the list")
        assert "920002.BJ" not in (core.provider_symbols() or [])
        assert "600519.SH" in core.wanted() and "920002.BJ" not in core.wanted()
        await wait_until(lambda: (q := core.book.quote("600519.SH")) is not None and q.last, 15)
    finally:
        await core.close()


async def test_turning_the_refresh_on_asks_at_once(
    exchanges: DocExchanges, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASHARE_MONITOR_LISTING_REFRESH", "1")
    core = MonitorService(
        _paths(tmp_path), Settings(listing_refresh=False, listing_urls=exchanges.urls())
    )
    core.update_settings(listing_refresh=True)
    await wait_until(lambda: core.listing.from_exchanges, 30, "a refresh")
    assert len(exchanges.asked("SZSE")) == 1
    await core.close()


async def test_a_whole_market_export_leaves_out_what_a_provider_still_lists() -> None:
    """``export --all`` takes the provider's own list, less the stocks delisted."""
    from monitor.feed.config import FeedConfig
    from monitor.feed.simulator import SimConfig, Simulator
    from monitor.service.collect import collect

    async with Simulator(SimConfig(symbols=40, rate=400)) as sim:
        cfg = FeedConfig.for_url(sim.url("generic"), http_base=sim.http_base)
        stocks = [s for s in sim.market.symbols if not s.startswith(("000001.SH", "399", "899"))]
        gone = stocks[-1]
        got = await collect(cfg, None, 1.0, delisted={gone})
        await got.pool.stop()
    assert gone not in got.symbols and stocks[-2] in got.symbols


async def test_a_refresh_that_cannot_be_saved_is_not_announced(
    exchanges: DocExchanges, tmp_path: Path
) -> None:
    """The window reads what the child saved: a refresh the child could not save is a
    failure, and nothing of it is applied (it would be announced again every hour)."""
    core = _service(tmp_path, exchanges, dt.date(2026, 12, 1))
    (tmp_path / "cache").write_text("a file where the cache folder should be")
    market = core.market()
    outcome = await core.refresh_listing()
    assert outcome.refreshed == [] and outcome.changes.delisted == []
    assert [f.kind for f in outcome.failures] == ["not_saved"]
    assert "could not be saved" in outcome.errors[0]
    assert core.market() == market and core.listing.due(dt.date(2026, 12, 1))


async def test_the_hourly_check_survives_a_failed_refresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import monitor.service.monitor as service_module

    monkeypatch.setenv("ASHARE_MONITOR_LISTING_REFRESH", "1")
    calls: list[int] = []

    async def broken(*_args: object, **_kw: object) -> object:
        calls.append(1)
        raise RuntimeError("a bug")

    monkeypatch.setattr(service_module, "refresh_in_child", broken)
    core = MonitorService(_paths(tmp_path), Settings())
    core.listing_check_s = 0.1
    core.load_in_background(None)
    await wait_until(lambda: len(calls) >= 2, 20, "a second try")
    await core.close()
