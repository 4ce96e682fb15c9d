"""Security: certificates are verified by default, tokens stay out of every text."""

from __future__ import annotations

import logging
import ssl
from pathlib import Path

import pytest
import trustme

from monitor.core.redact import RedactFilter
from monitor.feed.client import Phase
from monitor.feed.simulator import SimConfig, Simulator
from monitor.feed.status import describe
from tests.feed.helpers import wait_until
from tests.feed.scripted import ScriptedAllTick
from tests.feed.test_pool import make_pool, running
from tests.reliability import REPORT, Row


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


def _server_ctx(ca: trustme.CA) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    return ctx


async def test_wss_refuses_an_untrusted_certificate_without_retrying(ca: trustme.CA) -> None:
    async with ScriptedAllTick(ssl=_server_ctx(ca)) as srv:
        pool, _ = make_pool(srv.url)
        async with running(pool):
            pool.set_symbols(["600519.SH"])
            await wait_until(lambda: pool.state.phase is Phase.FAILED)
            assert "certificate verification failed" in pool.state.reason
            assert pool.stats.reconnects == 0  # no silent downgrade, no retry storm
            seen = describe(pool.state)
            no_retry = pool.stats.reconnects == 0
    REPORT.count("faults injected")
    REPORT.add(
        Row(
            "security",
            "wss:// server with a certificate from an unknown CA",
            seen[:90] + ("…" if len(seen) > 90 else ""),
            True,
            None,
            "—",
            {"no retry": no_retry, "refused": seen.startswith("failed: certificate")},
            "no retry, no downgrade; works once its CA file is configured",
        )
    )


async def test_wss_with_a_configured_ca_file(ca: trustme.CA, tmp_path: Path) -> None:
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    async with ScriptedAllTick(ssl=_server_ctx(ca)) as srv:
        pool, _book = make_pool(srv.url, ca_file=str(pem))
        async with running(pool):
            pool.set_symbols(["600519.SH", "000001.SZ"])
            await wait_until(lambda: pool.receiving() == 2)


async def test_token_never_reaches_the_log_file(tmp_path: Path) -> None:
    log_file = tmp_path / "app.log"
    handler = logging.FileHandler(log_file)
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        async with Simulator(SimConfig(symbols=50, token="right-token-1")) as sim:
            pool, _ = make_pool(sim.url("alltick"), token="wrong-token-7")
            async with running(pool):
                pool.set_symbols(sim.market.symbols[:3])
                await wait_until(lambda: pool.state.phase is Phase.FAILED)
            pool, _ = make_pool(sim.url("alltick", "right-token-1"))
            async with running(pool):
                pool.set_symbols(sim.market.symbols[:3])
                await wait_until(lambda: pool.receiving() == 3)
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
        handler.close()
    text = log_file.read_text()
    assert "token=***" in text  # the handshake was logged, masked
    assert "wrong-token-7" not in text and "right-token-1" not in text


def test_simulator_binds_to_loopback_by_default() -> None:
    assert SimConfig().host == "127.0.0.1"
