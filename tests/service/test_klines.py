"""K-lines from a server written from AllTick's docs: fetched once per quarter hour, within
the plan's HTTP pace, never kept from another provider session, today's candle from the book."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from monitor.core.kline import Period
from monitor.core.quotes import SHANGHAI
from monitor.core.settings import Settings
from monitor.platform.paths import Paths
from monitor.platform.secrets import TokenStore
from monitor.service.monitor import MonitorService
from tests.feed.helpers import wait_until
from tests.servers.alltick_doc import DocAllTick

UNIVERSE = {"600519.SH": 1450.0, "000001.SZ": 11.5}


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("ASHARE_MONITOR_HOME", str(tmp_path / "home"))
    return Paths.default()


def _kline_requests(srv: DocAllTick) -> list[int]:
    return [
        r.request["data"]["kline_type"]
        for r in srv.http_requests
        if r.path.endswith("/kline") and r.request
    ]


async def _alltick_service(srv: DocAllTick, paths: Paths) -> MonitorService:
    """The service on the doc-written AllTick server, started."""
    Settings(
        provider="alltick", alltick_url=srv.url.split("?")[0], alltick_http_url=srv.http_base
    ).save(paths.settings)
    TokenStore(paths.secrets, use_keyring=False).set("alltick", srv.tokens[0])
    service = MonitorService(paths)
    await service.start()
    return service


async def test_bars_once_a_day_per_symbol_and_period(paths: Paths) -> None:
    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        service = await _alltick_service(srv, paths)
        try:
            daily = (await service.bars("600519.SH", Period.DAY)).bars
            assert len(daily) == 120 and daily == sorted(daily, key=lambda b: b.day)
            assert all(
                b.low <= min(b.open, b.close) <= max(b.open, b.close) <= b.high for b in daily
            )
            weekly = (await service.bars("600519.SH", Period.WEEK)).bars
            assert all(b.day.weekday() == 0 for b in weekly)  # a week starts on Monday
            again = (await service.bars("600519.SH", Period.DAY)).bars
            assert again == daily
            assert _kline_requests(srv) == [8, 9]  # the second look cost nothing
            assert not [r for r in srv.http_refusals if r.ret != 404]
            # Today's candle follows the book.
            await wait_until(lambda: service.live_bar("600519.SH") is not None, 10, "a trade")
            live = service.live_bar("600519.SH")
            assert live is not None and live.day == dt.datetime.now(SHANGHAI).date()
            # A new session of the same provider within the quarter hour: still no request.
            await service.restart_feed()
            assert (await service.bars("600519.SH", Period.DAY)).bars == daily
            assert _kline_requests(srv) == [8, 9]
        finally:
            await service.close()


async def test_bars_of_an_old_session_are_never_shown_as_the_new_ones(paths: Paths) -> None:
    from monitor.service.monitor import SessionChanged

    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        service = await _alltick_service(srv, paths)
        try:
            pending = asyncio.ensure_future(service.bars("600519.SH", Period.DAY))
            await asyncio.sleep(0)
            await service.restart_feed()  # the provider session changes meanwhile
            with pytest.raises(SessionChanged):
                await pending
        finally:
            await service.close()


async def test_a_batch_provider_has_no_k_lines(paths: Paths) -> None:
    from monitor.feed.simulator import SimConfig, Simulator

    async with Simulator(SimConfig(symbols=50, rate=50, http_port=None)) as sim:
        Settings(provider="generic", generic_url=sim.url("generic")).save(paths.settings)
        service = MonitorService(paths)
        await service.start()
        try:
            assert not service.klines_supported
            with pytest.raises(LookupError):
                await service.bars("600519.SH", Period.DAY)
        finally:
            await service.close()
