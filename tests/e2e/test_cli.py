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
                "5000",
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


def _export(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "export", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


@pytest.mark.slow
def test_full_market_export_over_two_alltick_connections(
    sim: tuple[int, Path], tmp_path: Path
) -> None:
    port, log = sim
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
    assert len(rows) == 5000
    priced = [row for row in rows if row["last"] and row["change_pct"]]
    assert len(priced) >= 4990
    assert any(row["name"] == "贵州茅台" for row in rows)
    counts = [int(n) for n in re.findall(r"subscribed (\d+) codes", log.read_text())]
    assert counts and max(counts) <= 3000 and sum(counts) >= 5000
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
    assert r.returncode == 2 and "'garbage'" in r.stderr


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
