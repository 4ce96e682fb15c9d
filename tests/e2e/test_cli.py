"""End to end: the simulator and the exporter as separate processes, as a user runs them."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

SEED = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "batch-subscribe-article.txt"
)
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    yield from _sim(tmp_path, 5000)


@pytest.fixture
def whole_market_sim(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """The simulator serving every stock of the shipped listing (and a few codes more)."""
    yield from _sim(tmp_path, 5500)


def _sim(tmp_path: Path, symbols: int) -> Iterator[tuple[int, Path]]:
    log = tmp_path / "sim.log"
    with log.open("w") as f:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "monitor",
                "sim",
                "--port",
                "0",
                "--symbols",
                str(symbols),
                "--rate",
                "2000",
                "--token",
                "T",
            ],
            stdout=f,
            stderr=subprocess.STDOUT,
            env=ENV,
        )
    try:
        deadline = time.monotonic() + 30
        port = None
        while port is None:
            m = re.search(r"ws://127\.0\.0\.1:(\d+)/", log.read_text())
            if m:
                port = int(m.group(1))
            elif time.monotonic() > deadline or proc.poll() is not None:
                raise AssertionError("simulator did not start:\n" + log.read_text())
            else:
                time.sleep(0.05)
        yield port, log
    finally:
        proc.terminate()
        proc.wait(10)


def _http_url(log: Path) -> str:
    """The simulator's HTTP API, as it printed it when ready."""
    m = re.search(r"HTTP API (http://127\.0\.0\.1:\d+)", log.read_text())
    assert m, log.read_text()
    return m.group(1)


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No token of the user's (saved, keyring, environment) reaches these exports."""
    monkeypatch.setenv("ASHARE_MONITOR_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv("ASHARE_MONITOR_TOKEN", raising=False)


def _export(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "export", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        timeout=120,
    )


@pytest.mark.slow
def test_full_market_export_over_two_alltick_connections(
    whole_market_sim: tuple[int, Path], tmp_path: Path
) -> None:
    """AllTick serves no symbol list (none is asked for): the whole market is the shipped
    listing, which this simulator serves whole."""
    from monitor.platform.resources import shipped_listing

    port, log = whole_market_sim
    out = tmp_path / "snap.csv"
    r = _export(
        "--url",
        f"ws://127.0.0.1:{port}/quote-stock-b-ws-api",
        "--http-url",
        _http_url(log),
        "--token",
        "T",
        "--all",
        "--seconds",
        "6",
        "--out",
        str(out),
    )
    assert r.returncode == 0, r.stderr
    with out.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    stocks = len(shipped_listing().stocks())
    assert len(rows) == stocks
    priced = [row for row in rows if row["last"] and row["change_pct"]]
    assert len(priced) >= stocks - 10
    assert any(row["name"] == "贵州茅台" for row in rows)
    for row in rows:  # unknown is empty, never 0
        if not row["time"]:
            assert row["volume"] == "" and row["turnover"] == "" and row["last"] == "", row
    counts = [int(n) for n in re.findall(r"subscribed (\d+) codes", log.read_text())]
    assert counts and max(counts) <= 3000 and sum(counts) >= stocks
    assert "T" not in r.stdout.replace("To", "")  # the token never printed


@pytest.mark.slow
def test_export_errors_are_clear(sim: tuple[int, Path], tmp_path: Path) -> None:
    port, _ = sim
    out = tmp_path / "x.csv"
    r = _export(
        "--url",
        f"ws://127.0.0.1:{port}/quote-stock-b-ws-api",
        "--token",
        "bad-tok",
        "--symbols",
        "600519",
        "--seconds",
        "2",
        "--out",
        str(out),
    )
    assert r.returncode == 1 and "token" in r.stderr and "bad-tok" not in r.stderr
    assert not out.exists()
    r = _export(
        "--url", "ws://127.0.0.1:1/x", "--symbols", "600519", "--seconds", "1", "--out", str(out)
    )
    assert r.returncode == 1 and "could not connect" in r.stderr
    r = _export("--url", "http://nope", "--symbols", "600519", "--seconds", "1", "--out", str(out))
    assert r.returncode == 2 and "ws://" in r.stderr
    r = _export(
        "--url",
        f"ws://127.0.0.1:{port}/ws",
        "--symbols",
        "garbage,zzz",
        "--seconds",
        "1",
        "--out",
        str(out),
    )
    assert r.returncode == 2
    assert "no valid symbols to subscribe (skipped 2 codes: garbage (" in r.stderr
    assert "zzz (" in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_watchlist_file_over_the_batch_protocol(sim: tuple[int, Path], tmp_path: Path) -> None:
    port, _ = sim
    wl = tmp_path / "list.txt"
    wl.write_text("# mine\nsh600519\n000001\n300750.SZ\n")
    out = tmp_path / "w.csv"
    r = _export(
        "--url",
        f"ws://127.0.0.1:{port}/ws",
        "--watchlist",
        str(wl),
        "--seconds",
        "2",
        "--out",
        str(out),
        "--lang",
        "zh",
    )
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8-sig")
    assert text.startswith("代码,名称")
    assert "600519.SH,贵州茅台" in text and "000001.SZ,平安银行" in text


def _seed_script() -> str:
    article = SEED.read_text(encoding="utf-8")
    code = article[
        article.index("import websocket") : article.index("ws.run_forever()")
        + len("ws.run_forever()")
    ]
    return code


@pytest.mark.slow
@pytest.mark.skipif(not SEED.exists(), reason="shared/seed not present")
def test_seed_article_client_runs_unchanged_but_for_the_url(
    sim: tuple[int, Path], tmp_path: Path
) -> None:
    port, _ = sim
    code = _seed_script()
    code = re.sub(r'url = ".*?"', f'url = "ws://127.0.0.1:{port}/"', code)
    script = tmp_path / "seed_client.py"
    script.write_text(code)
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=ENV
    )
    try:
        lines = []
        assert proc.stdout is not None
        while len(lines) < 10:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
    finally:
        proc.kill()
        proc.wait(5)
    assert len(lines) == 10
    assert all(
        re.match(r"Code:\d{6}\.S[HZ] Price:\d+\.\d+ Time:\d{13}$", ln.strip()) for ln in lines
    ), lines


def test_seed_script_extraction_is_the_article_code() -> None:
    if not SEED.exists():
        pytest.skip("shared/seed not present")
    code = _seed_script()
    assert textwrap.dedent(code).startswith("import websocket")
    assert '"action": "subscribe"' in code and "ws.run_forever()" in code


# --- the token without --token, skipped codes, the output path --------------------------
def _alltick(port: int) -> str:
    return f"ws://127.0.0.1:{port}/quote-stock-b-ws-api"


def _rows(out: Path) -> list[dict[str, str]]:
    with out.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _secret_file(path: Path, text: str, mode: int = 0o600) -> Path:
    path.write_text(text)
    path.chmod(mode)
    return path


@pytest.mark.slow
def test_token_from_a_file_the_environment_or_the_app(
    sim: tuple[int, Path], tmp_path: Path
) -> None:
    port, log = sim
    out = tmp_path / "t.csv"
    base = ["--url", _alltick(port), "--http-url", _http_url(log), "--symbols", "600519"]
    base += ["--seconds", "1", "--out", str(out)]
    good = _secret_file(tmp_path / "good.txt", "T\nsecond line ignored\n")
    bad = _secret_file(tmp_path / "bad.txt", "  wrong-tok-1  \n")

    r = _export(*base)  # nothing anywhere: said plainly, before connecting
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == (
        "ashare-monitor: no token given: use --token-file, ASHARE_MONITOR_TOKEN "
        "or save one in the app's Settings"
    )
    r = _export(*base, "--token-file", str(good))
    assert r.returncode == 0, r.stderr
    assert _rows(out)[0]["code"] == "600519.SH"
    out.unlink()
    r = _export(*base, ASHARE_MONITOR_TOKEN="T")
    assert r.returncode == 0, r.stderr
    # The token the window saved (no keyring here: the 0600 file).
    home = Path(os.environ["ASHARE_MONITOR_HOME"]) / "config"
    home.mkdir(parents=True)
    _secret_file(home / "secrets.json", '{"alltick": "T"}')
    r = _export(*base)
    assert r.returncode == 0, r.stderr
    # Precedence: --token > --token-file > ASHARE_MONITOR_TOKEN > saved.
    r = _export(*base, "--token", "T", "--token-file", str(bad), ASHARE_MONITOR_TOKEN="wrong-2")
    assert r.returncode == 0, r.stderr
    r = _export(*base, "--token-file", str(bad), ASHARE_MONITOR_TOKEN="T")
    assert r.returncode == 1 and "token" in r.stderr and "wrong-tok-1" not in r.stderr
    r = _export(*base, ASHARE_MONITOR_TOKEN="wrong-tok-3")  # beats the saved "T"
    assert r.returncode == 1 and "token" in r.stderr and "wrong-tok-3" not in r.stderr


def test_a_token_file_others_can_read_is_refused(tmp_path: Path) -> None:
    if os.name != "posix":
        pytest.skip("POSIX file modes")
    loose = _secret_file(tmp_path / "tok.txt", "sekrit-tok-1\n", 0o644)
    out = tmp_path / "x.csv"
    r = _export(
        "--url", "ws://127.0.0.1:1/quote-stock-b-ws-api", "--token-file", str(loose),
        "--symbols", "600519", "--seconds", "1", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f"ashare-monitor: --token-file: {loose} is readable by other users (mode 0644): "
        f"run chmod 600 {loose}"
    )
    empty = _secret_file(tmp_path / "empty.txt", "\n")
    r = _export(
        "--url", "ws://127.0.0.1:1/quote-stock-b-ws-api", "--token-file", str(empty),
        "--symbols", "600519", "--seconds", "1", "--out", str(out),
    )  # fmt: skip
    assert r.returncode == 2 and "first line is empty" in r.stderr
    assert "sekrit" not in r.stderr and not out.exists()


def test_token_help_warns_that_ps_shows_it() -> None:
    from monitor.cli import _build_parser

    sub = _build_parser()._subparsers._group_actions[0].choices["export"]  # type: ignore[union-attr]
    text = " ".join(sub.format_help().split())
    assert "visible to other users of this machine in `ps`" in text and "--token-file" in text


def test_a_saved_batch_token_is_only_sent_to_its_own_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from monitor.cli import _stored_token

    home = tmp_path / "home" / "config"
    home.mkdir(parents=True)
    (home / "settings.json").write_text(json.dumps({"generic_url": "wss://b.example:9/q"}))
    _secret_file(home / "secrets.json", json.dumps({"generic": "gen-tok-1", "alltick": "at-1"}))
    monkeypatch.setattr("monitor.platform.secrets._keyring", lambda: None)
    assert _stored_token("generic", "wss://b.example:9/other") == "gen-tok-1"
    assert _stored_token("generic", "wss://elsewhere.example:9/q") is None
    assert _stored_token("alltick", "wss://quote.alltick.co/quote-stock-b-ws-api") == "at-1"


@pytest.mark.slow
def test_unknown_codes_are_skipped_and_named_in_one_line(
    sim: tuple[int, Path], tmp_path: Path
) -> None:
    port, log = sim
    out = tmp_path / "u.csv"
    codes = "600519,999999,AAPL,600002,000001.SZ"  # 600002: well formed, not listed
    for url in (_alltick(port), f"ws://127.0.0.1:{port}/ws"):
        r = _export(
            "--url", url, "--http-url", _http_url(log), "--token", "T", "--symbols", codes,
            "--seconds", "2", "--out", str(out),
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        lines = [ln for ln in r.stderr.splitlines() if ln.startswith("ashare-monitor: skipped")]
        if url == _alltick(port):
            # AllTick serves no symbol list (none is asked for): malformed codes are one
            # line before connecting, the code the provider refuses one line after.
            assert len(lines) == 2, r.stderr
            assert lines[0].startswith("ashare-monitor: skipped 2 codes: 999999 (no A-share")
            assert lines[1] == (
                "ashare-monitor: skipped 1 code: 600002.SH "
                "(not served by the provider: it refused the code)"
            )
        else:
            assert len(lines) == 1, r.stderr
            assert lines[0].startswith("ashare-monitor: skipped 3 codes: 999999 (no A-share")
            assert "600002.SH (not in the provider's symbol list)" in lines[0]
        assert "AAPL (not an A-share code" in lines[0]
        rows = _rows(out)
        assert [row["code"] for row in rows] == ["600519.SH", "000001.SZ"]
        assert all(row["last"] for row in rows)


@pytest.mark.slow
def test_without_a_server_list_master_names_the_unknown_codes(
    sim: tuple[int, Path], tmp_path: Path
) -> None:
    port, _ = sim
    master = tmp_path / "m.csv"
    master.write_text("code,name\n600519.SH,贵州茅台\n000001.SZ,平安银行\n")
    out = tmp_path / "m.csv.out"
    common = ["--url", _alltick(port), "--http-url", "http://127.0.0.1:1", "--token", "T"]
    common += ["--symbols", "600519,600002", "--seconds", "2", "--out", str(out)]
    r = _export(*common, "--master", str(master))
    assert r.returncode == 0, r.stderr
    assert "skipped 1 code: 600002.SH (not in --master)" in r.stderr
    assert [row["code"] for row in _rows(out)] == ["600519.SH"]
    # Neither a list nor --master: AllTick refuses the request (600); the code it refused
    # is found, named, and the rest exported.
    r = _export(*common)
    assert r.returncode == 0, r.stderr
    assert "skipped 1 code: 600002.SH (not served by the provider" in r.stderr
    assert [row["code"] for row in _rows(out)] == ["600519.SH"]


def test_output_path_is_checked_before_connecting(tmp_path: Path) -> None:
    started = time.monotonic()
    unroutable = "ws://10.255.255.1:9/quote-stock-b-ws-api"  # would hang if tried
    args = ["--url", unroutable, "--token", "T", "--symbols", "600519", "--seconds", "30"]
    r = _export(*args, "--out", str(tmp_path / "missing" / "x.csv"))
    assert r.returncode == 2
    assert r.stderr.strip() == f"ashare-monitor: --out: {tmp_path / 'missing'} does not exist"
    a_file = tmp_path / "f"
    a_file.write_text("")
    r = _export(*args, "--out", str(a_file / "x.csv"))
    assert r.returncode == 2 and r.stderr.strip().endswith(f"{a_file} is not a directory")
    r = _export(*args, "--out", str(tmp_path))
    assert r.returncode == 2 and "is a directory" in r.stderr
    assert time.monotonic() - started < 25


def test_unwritable_output_directory_is_one_line_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tempfile

    from monitor import cli

    def refuse(*a: object, **k: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    async def never(*a: object, **k: object) -> None:
        raise AssertionError("connected before checking --out")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr("monitor.service.collect.collect", never)
    monkeypatch.setattr("monitor.feed.http.fetch_master", never)
    rc = cli.main(
        ["export", "--url", "ws://127.0.0.1:1/ws", "--symbols", "600519",
         "--out", str(tmp_path / "x.csv")]
    )  # fmt: skip
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"ashare-monitor: --out: cannot write in {tmp_path}: Permission denied"]


@pytest.mark.slow
def test_plan_limits_and_a_warning_when_the_app_holds_the_same_token(
    sim: tuple[int, Path], tmp_path: Path
) -> None:
    port, log = sim
    out = tmp_path / "p.csv"
    home = Path(os.environ["ASHARE_MONITOR_HOME"]) / "config"
    home.mkdir(parents=True)
    _secret_file(home / "secrets.json", '{"alltick": "T"}')
    # The desktop app is running: its lock file names a live process (this one).
    (home / "ashare-monitor.lock").write_text(f"{os.getpid()}\nashare-monitor\nhost\n")
    codes = "600519,000001,300750,601318,600036,000858,002594"
    r = _export(
        *("--url", _alltick(port), "--http-url", _http_url(log), "--plan", "free"),
        *("--symbols", codes, "--seconds", "2", "--out", str(out)),
    )
    assert r.returncode == 0, r.stderr
    assert "warning: the desktop app is running" in r.stderr and "same token" in r.stderr
    rows = _rows(out)
    priced = [row for row in rows if row["last"]]
    # Free plan: one connection of 5 codes — the other two are left empty, not guessed.
    assert len(rows) == 7 and len(priced) == 5, r.stderr
    assert "1 connection(s)" in r.stdout


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--url", "ws://[::1/quote-stock-b-ws-api"], "invalid URL"),
        (["--seconds", "nan"], "--seconds must be"),
        (["--seconds", "inf"], "--seconds must be"),
        (["--http-url", "ftp://x"], "must start with http:// or https://"),
        (["--http-url", "http://127.0.0.1:99999"], "invalid URL"),
        (["--ca-file", "no-such.pem"], "--ca-file: no such file"),
        (["--url", "ws://127.0.0.1:0/quote-stock-b-ws-api"], "port 0"),
    ],
)
def test_bad_flag_values_are_one_line_before_connecting(
    extra: list[str], said: str, tmp_path: Path
) -> None:
    args = {"--url": "ws://127.0.0.1:9/quote-stock-b-ws-api", "--seconds": "1"}
    args.update(dict(zip(extra[::2], extra[1::2], strict=True)))
    flat = [x for kv in args.items() for x in kv]
    r = _export(*flat, "--token", "T", "--symbols", "600519", "--out", str(tmp_path / "o.csv"))
    assert r.returncode == 2, r.stderr
    assert said in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.slow
def test_ctrl_c_writes_what_was_collected(sim: tuple[int, Path], tmp_path: Path) -> None:
    import signal as sig

    port, log = sim
    out = tmp_path / "int.csv"
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "monitor", "export", "--url", _alltick(port)),
            *("--http-url", _http_url(log), "--token", "T", "--symbols", "600519,000001"),
            *("--seconds", "60", "--out", str(out)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: sig.signal(sig.SIGINT, sig.SIG_DFL),  # as in a terminal
    )
    time.sleep(4)
    proc.send_signal(sig.SIGINT)
    stdout, stderr = proc.communicate(timeout=40)
    assert proc.returncode == 0, stderr
    assert "Traceback" not in stderr and "wrote 2 rows" in stdout
    assert [row["code"] for row in _rows(out)] == ["600519.SH", "000001.SZ"]


@pytest.mark.slow
def test_an_unreachable_host_is_one_line_and_v_gives_the_details(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    common = ("--symbols", "600519", "--seconds", "2", "--out", str(out))
    url = ("--url", "ws://127.0.0.1:1/quote-stock-b-ws-api", "--token", "T")
    r = _export(*url, *common)
    lines = r.stderr.strip().splitlines()
    assert r.returncode == 1 and len(lines) == 1, r.stderr
    assert lines[0].startswith("ashare-monitor: could not connect to ws://127.0.0.1:1/")
    assert "(-v for details)" in lines[0] and len(lines[0]) < 200
    assert not out.exists()
    r = subprocess.run(
        [sys.executable, "-m", "monitor", "-v", "export", *url, *common],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) > 2  # each retry, etc.
    assert "retrying" in r.stderr


def test_sim_names_the_busy_port_in_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for args, said in (
            (("--port", str(port)), f"cannot listen on 127.0.0.1:{port}: "),
            (
                ("--port", str(port - 1)),
                f"cannot listen on 127.0.0.1:{port} (the HTTP API port; --http-port",
            ),
        ):
            r = subprocess.run(
                [sys.executable, "-m", "monitor", "sim", *args],
                capture_output=True,
                text=True,
                timeout=60,
            )
            lines = r.stderr.strip().splitlines()
            assert r.returncode == 1 and len(lines) == 1, r.stderr
            assert said in lines[0] and "attempting to bind" not in lines[0], lines[0]


async def test_the_cli_never_asks_alltick_for_a_symbol_list(tmp_path: Path) -> None:
    """AllTick serves none: asking would only spend the plan's HTTP budget (and print a
    warning on every export)."""
    import asyncio

    from tests.servers.alltick_doc import DocAllTick

    async with DocAllTick(universe={"600519.SH": 1450.0}, push_interval=0.1) as srv:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "monitor", "export", "--url", srv.url.split("?")[0],
            "--http-url", srv.http_base, "--token", srv.tokens[0], "--symbols", "600519",
            "--seconds", "2", "--out", str(tmp_path / "o.csv"),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    lists = [r for r in srv.http_requests if r.path.rstrip("/").endswith("symbols")]
    assert lists == [] and "WARNING" not in err.decode()


@pytest.mark.slow
async def test_listing_refresh_from_the_command_line_and_export_uses_it(tmp_path: Path) -> None:
    """``listing --refresh`` asks the (doc-written) exchanges, keeps their raw answers on
    request, and ``export --all --wildcard`` names a new listing from the refreshed list."""
    import asyncio

    from monitor.core.settings import Settings
    from tests.servers.batch_doc import DocBatchServer
    from tests.servers.exchanges_doc import DocExchanges
    from tests.service.test_listing_refresh import NEW_SSE, _exchange_rows

    sse, szse, bse = _exchange_rows()
    sse = [r for r in sse if r.code != "600000"] + [NEW_SSE]
    home = tmp_path / "home"
    env = {**os.environ, "ASHARE_MONITOR_HOME": str(home), "PYTHONUNBUFFERED": "1"}

    async def run(*args: str) -> tuple[int, str, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "monitor", *args, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(proc.communicate(), 90)
        assert proc.returncode is not None
        return proc.returncode, out.decode(), err.decode()

    with DocExchanges(sse=sse, szse=szse, bse=bse) as exchanges:
        Settings(listing_urls=exchanges.urls()).save(home / "config" / "settings.json")
        rc, out, err = await run("listing", "--refresh", "--save-responses", str(tmp_path / "raw"))
    assert rc == 0, err
    assert "refreshed from SSE, SZSE, BSE: 1 new, 1 delisted\n" in out
    assert "  new       603397.SH 新上市股 listed 2026-11-28" in out
    assert "  delisted  600000.SH 浦发银行" in out
    assert (tmp_path / "raw" / "szse-1110-tab1.xlsx").stat().st_size > 10_000
    rc, out, err = await run("listing")  # no network: the cached answer
    assert rc == 0 and "from the exchanges: SSE " in out and "603397.SH" in out, err
    universe = {"603397.SH": 12.0, "600519.SH": 1450.0}
    async with DocBatchServer(universe=universe, push_interval=0.1, code_style="suffixed") as srv:
        out_csv = tmp_path / "all.csv"
        rc, _out, err = await run(
            "export",
            "--url",
            srv.url,
            "--all",
            "--wildcard",
            "--seconds",
            "2",
            "--out",
            str(out_csv),
        )
    assert rc == 0, err
    names = {row["code"]: row["name"] for row in _rows(out_csv)}
    assert names.get("603397.SH") == "新上市股" and names.get("600519.SH") == "贵州茅台"
    # The exchanges unreachable: one line each, exit 1, the cached listing kept.
    rc, out, err = await run("listing", "--refresh")
    assert rc == 1 and err.count("cannot reach") == 3 and "603397.SH" in out
    # Saving answers into a file (not a folder) is one line, before asking anyone.
    rc, out, err = await run("listing", "--refresh", "--save-responses", str(out_csv))
    assert rc == 2 and err.count("\n") == 1 and "--save-responses" in err
