"""One code the provider refuses never blacks out the watchlist (AllTick's 600).

Against the server written from AllTick's docs: it refuses a whole subscription naming a
code it does not serve, and the batch K-lines too, and serves no symbol list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.core.breadth import MAIN_INDICES
from monitor.core.settings import Settings
from monitor.core.watchlist import DEFAULT_LIST
from monitor.platform.paths import Paths
from monitor.platform.secrets import TokenStore
from monitor.service.monitor import MonitorService
from tests.feed.helpers import wait_until
from tests.servers.alltick_doc import DocAllTick
from tests.service.test_recording import UNIVERSE

SERVED = UNIVERSE  # the ten names the recording tests use
REFUSED = "600000.SH"  # 浦发银行: in the shipped listing, not served by this server
INDICES = {s: 3000.0 for s in MAIN_INDICES}


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("ASHARE_MONITOR_HOME", str(tmp_path / "home"))
    return Paths.default()


async def test_a_refused_code_is_found_named_and_the_rest_priced(paths: Paths) -> None:
    universe = {**SERVED, **INDICES}
    async with DocAllTick(universe=universe, unserved=[REFUSED], push_interval=0.05) as srv:
        Settings(
            provider="alltick", alltick_url=srv.url.split("?")[0], alltick_http_url=srv.http_base
        ).save(paths.settings)
        TokenStore(paths.secrets, use_keyring=False).set("alltick", srv.tokens[0])
        service = MonitorService(paths)
        service.watchlists.replace(DEFAULT_LIST, [*SERVED, REFUSED])
        await service.start()
        try:
            codes = [*SERVED, *MAIN_INDICES]

            def priced() -> int:
                return sum(1 for s in codes if (q := service.book.quote(s)) and q.last is not None)

            saw_search = False

            def done() -> bool:
                nonlocal saw_search
                h = service.health()
                if h is not None and h.dropping is not None and "finding" in h.dropping.template:
                    saw_search = True  # said, not "Live", while part of the list is unpriced
                return priced() == len(codes)

            await wait_until(done, 30, "the 10 stocks and 5 indices priced")
            assert saw_search
            assert service.not_served == {REFUSED}
            h = service.health()
            assert h is not None and h.dropping is None
            assert any("not served" in n.template for n in h.notes)
            q = service.book.quote(REFUSED)
            assert q is None or q.last is None  # empty, never a number
            # Previous closes for the others despite the batch K-line refusing the code.
            await wait_until(
                lambda: all(
                    (q := service.book.quote(s)) and q.prev_close is not None for s in SERVED
                ),
                30,
                "previous closes",
            )
            # AllTick serves no symbol list: never asked for one.
            assert not [r for r in srv.http_requests if r.path.endswith("/symbols")]
            # The same provider again (a reconnect, a settings round trip): remembered for
            # the day, so no search and no refusal.
            refusals = len(srv.refusals)
            await service.stop()
            await service.start()
            await wait_until(lambda: priced() == len(codes), 15, "priced again")
            assert srv.refusals[refusals:] == [] and service.not_served == {REFUSED}
        finally:
            await service.close()
