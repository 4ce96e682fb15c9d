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


# --- URL userinfo, tokens pasted into URLs, the keyring ------------------------------
def test_public_url_never_shows_userinfo_or_a_token() -> None:
    from monitor.feed.config import FeedConfig

    cfg = FeedConfig.for_url("wss://alice:pw-secret-1@feed.example.com/ws?token=tok-xyz-9")
    shown = cfg.public_url()
    assert shown == "wss://***@feed.example.com/ws?token=***"
    cfg = FeedConfig.for_url("ws://bob:p@ss-2@127.0.0.1:9/quote-stock-b-ws-api", token="tk-123")
    assert "p@ss-2" not in cfg.public_url() and "bob" not in cfg.public_url()


async def test_userinfo_never_reaches_the_log_file(tmp_path: Path) -> None:
    """websockets sends userinfo as HTTP Basic and logs every request header at debug."""
    import base64

    log_file = tmp_path / "app.log"
    handler = logging.FileHandler(log_file)
    handler.setFormatter(logging.Formatter("%(name)s %(message)s"))
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        async with Simulator(SimConfig(symbols=50)) as sim:
            url = sim.url("generic").replace("ws://", "ws://carol:pw-hidden-77@")
            pool, _ = make_pool(url)
            async with running(pool):
                pool.set_symbols(sim.market.symbols[:3])
                await wait_until(lambda: pool.receiving() == 3)
                logging.getLogger("tests.security").warning("feed at %s", url)
    finally:
        root.removeHandler(handler)
        root.setLevel(old)
        handler.close()
    text = log_file.read_text()
    basic = base64.b64encode(b"carol:pw-hidden-77").decode()
    assert "ws://***@127.0.0.1" in text  # logged, masked
    assert "pw-hidden-77" not in text and basic not in text and "carol" not in text


def test_split_and_restore_a_url_token() -> None:
    from monitor.platform.secrets import same_origin, split_url_token, url_with_token

    url = "wss://h.example/path?a=1&token=XYZ-123&b=x%20y#f"
    clean, token = split_url_token(url)
    assert (clean, token) == ("wss://h.example/path?a=1&b=x%20y#f", "XYZ-123")
    assert split_url_token("wss://h/p") == ("wss://h/p", None)
    assert split_url_token("wss://h/p?token=a%2Bb%3D") == ("wss://h/p", "a+b=")
    assert split_url_token("wss://h/p?TOKEN=abcd&x=1") == ("wss://h/p?x=1", "abcd")
    assert url_with_token("wss://h/p", "a+b=") == "wss://h/p?token=a%2Bb%3D"
    assert url_with_token("wss://h/p?x=1#f", "abcd") == "wss://h/p?x=1&token=abcd#f"
    assert url_with_token("wss://h/p?token=mine", "other") == "wss://h/p?token=mine"
    assert url_with_token("wss://h/p", None) == "wss://h/p"
    assert same_origin("ws://h:1/a", "WS://h:1/b?token=x")
    assert not same_origin("ws://h:1/a", "ws://h:2/a") and not same_origin("", "")


class _MemoryStore:
    def __init__(self, **tokens: str) -> None:
        self.tokens: dict[str, str] = dict(tokens)

    def get(self, provider: str) -> str | None:
        return self.tokens.get(provider)

    def set(self, provider: str, token: str | None) -> None:
        if token:
            self.tokens[provider] = token
        else:
            self.tokens.pop(provider, None)


def test_move_url_tokens_keeps_tokens_out_of_the_settings() -> None:
    from monitor.core.settings import Settings
    from monitor.platform.secrets import move_url_tokens

    store = _MemoryStore()
    old = Settings()
    new = old.with_(
        provider="generic",
        generic_url="wss://b.example/q?token=gen-tok-1",
        alltick_url="wss://quote.alltick.co/quote-stock-b-ws-api?token=at-tok-2",
    )
    moved = move_url_tokens(new, store, old)  # type: ignore[arg-type]
    assert moved.generic_url == "wss://b.example/q"
    assert moved.alltick_url == "wss://quote.alltick.co/quote-stock-b-ws-api"
    assert store.tokens == {"generic": "gen-tok-1", "alltick": "at-tok-2"}
    assert "tok" not in str(moved.to_json())
    # Unchanged URL: the token stays; another server: it is forgotten, never sent there.
    assert move_url_tokens(moved, store, moved) is moved  # type: ignore[arg-type]
    assert store.tokens["generic"] == "gen-tok-1"
    elsewhere = moved.with_(generic_url="wss://other.example/q")
    move_url_tokens(elsewhere, store, moved)  # type: ignore[arg-type]
    assert "generic" not in store.tokens and store.tokens["alltick"] == "at-tok-2"


def _no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError


async def test_app_moves_a_pasted_token_out_of_settings_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.platform.paths import Paths
    from monitor.service.monitor import MonitorService

    _no_keyring(monkeypatch)
    paths = Paths(tmp_path / "config", tmp_path / "logs")
    async with Simulator(SimConfig(symbols=50)) as sim:
        core = MonitorService(paths)
        try:
            url = sim.url("generic") + "?token=gen-tok-55"
            await core.apply_settings(core.settings.with_(provider="generic", generic_url=url))
            assert "gen-tok-55" not in paths.settings.read_text()
            assert core.settings.generic_url == sim.url("generic")
            assert core.tokens.get("generic") == "gen-tok-55"
            assert core.config is not None and core.config.connect_url() == url  # on the wire
            assert "gen-tok-55" not in core.config.public_url()
        finally:
            await core.stop()


def test_app_start_moves_a_token_an_older_version_saved_in_a_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from monitor.platform.paths import Paths
    from monitor.service.monitor import MonitorService

    _no_keyring(monkeypatch)
    paths = Paths(tmp_path / "config", tmp_path / "logs")
    paths.config.mkdir(parents=True)
    url = "wss://quote.alltick.co/quote-stock-b-ws-api?token=old-tok-77"
    paths.settings.write_text(json.dumps({"provider": "alltick", "alltick_url": url}))
    core = MonitorService(paths)
    assert core.settings.alltick_url == "wss://quote.alltick.co/quote-stock-b-ws-api"
    assert "old-tok-77" not in paths.settings.read_text()
    assert core.tokens.get("alltick") == "old-tok-77"
    assert (paths.secrets.stat().st_mode & 0o077) == 0


def test_settings_dialog_takes_the_token_out_of_the_alltick_url(qtbot) -> None:  # type: ignore[no-untyped-def]
    from monitor.core.settings import Settings
    from monitor.ui.dialogs import SettingsDialog

    base = "wss://quote.alltick.co/quote-stock-b-ws-api"
    for start, typed, expected in (
        (None, None, "url-tok-1"),  # empty field: the URL's token
        ("old-tok", None, "url-tok-1"),  # field left as it was: the pasted one wins
        ("old-tok", "typed-tok", "typed-tok"),  # typed in the field: that one wins
    ):
        dlg = SettingsDialog(Settings(provider="alltick"), start, "a file")
        qtbot.addWidget(dlg)
        dlg.alltick_url.setText(base + "?token=url-tok-1")
        if typed:
            dlg.token.setText(typed)
        dlg._accept()
        assert dlg.result_settings is not None, dlg.error.text()
        assert dlg.result_settings.alltick_url == base
        assert dlg.result_token == expected


def _fake_keyring(monkeypatch: pytest.MonkeyPatch, *, broken: bool = False) -> dict[object, str]:
    import sys
    import types

    saved: dict[object, str] = {}
    mod = types.ModuleType("keyring")
    backends = types.ModuleType("keyring.backends")
    fail = types.ModuleType("keyring.backends.fail")

    class FailKeyring:
        priority = 0

    class Backend:
        priority = 5

    def get_keyring() -> object:
        if broken:
            raise RuntimeError("no D-Bus session")
        return Backend()

    fail.Keyring = FailKeyring  # type: ignore[attr-defined]
    backends.fail = fail  # type: ignore[attr-defined]
    mod.backends = backends  # type: ignore[attr-defined]
    mod.get_keyring = get_keyring  # type: ignore[attr-defined]
    mod.get_password = lambda s, u: saved.get((s, u))  # type: ignore[attr-defined]
    mod.set_password = lambda s, u, p: saved.__setitem__((s, u), p)  # type: ignore[attr-defined]
    mod.delete_password = lambda s, u: saved.pop((s, u), None)  # type: ignore[attr-defined]
    for name, m in (("keyring", mod), ("keyring.backends", backends), (fail.__name__, fail)):
        monkeypatch.setitem(sys.modules, name, m)
    return saved


def test_token_store_uses_the_keyring_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.platform.secrets import SERVICE, TokenStore

    saved = _fake_keyring(monkeypatch)
    store = TokenStore(tmp_path / "secrets.json")
    assert store.keyring is not None and store.where == "the system keyring"
    store.set("alltick", "kr-tok-1")
    assert saved == {(SERVICE, "alltick"): "kr-tok-1"} and not store.file.exists()
    assert TokenStore(tmp_path / "secrets.json").get("alltick") == "kr-tok-1"


@pytest.mark.parametrize("how", ["not installed", "broken backend"])
def test_token_store_falls_back_to_a_private_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    from monitor.platform.secrets import TokenStore

    if how == "not installed":
        _no_keyring(monkeypatch)
    else:
        _fake_keyring(monkeypatch, broken=True)
    store = TokenStore(tmp_path / "secrets.json")
    assert store.keyring is None and "0600" in store.where
    store.set("alltick", "file-tok-1")
    assert (store.file.stat().st_mode & 0o777) == 0o600
    assert TokenStore(tmp_path / "secrets.json").get("alltick") == "file-tok-1"
