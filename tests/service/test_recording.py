"""Recording and replay, through the CLI as a user runs them, against a server written
from AllTick's docs (per-connection seq, no symbol list, plan limits)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest
import websockets

from monitor.core.quotes import Tick
from monitor.feed.recording import count_ticks, read_references, read_ticks
from monitor.feed.replay import ReplayServer
from monitor.service.recorder import TickRecorder
from tests.e2e.test_cli import SEED, _seed_script
from tests.servers.alltick_doc import DocAllTick

SEED_CODES = ["000001", "000002", "600036", "600519", "000858"]
SEED_CODES += ["002415", "300750", "601318", "000333", "002594"]
UNIVERSE = {
    "000001.SZ": 11.5,
    "000002.SZ": 6.8,
    "600036.SH": 42.0,
    "600519.SH": 1450.0,
    "000858.SZ": 125.0,
    "002415.SZ": 30.0,
    "300750.SZ": 260.0,
    "601318.SH": 52.0,
    "000333.SZ": 75.0,
    "002594.SZ": 330.0,
}
ENV = {**os.environ, "PYTHONUNBUFFERED": "1", "ASHARE_MONITOR_TOKEN": "T"}


async def _cli(*args: str, timeout: float = 60) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "monitor",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env=ENV,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode or 0, out.decode(), err.decode()


def _record_args(srv: DocAllTick, out: Path, seconds: float) -> list[str]:
    return [
        "record",
        *("--url", srv.url.split("?")[0], "--http-url", srv.http_base),
        *("--symbols", ",".join(SEED_CODES), "--seconds", str(seconds), "--out", str(out)),
    ]


async def test_record_then_replay_at_full_speed_reaches_the_seed_client_in_order(
    tmp_path: Path,
) -> None:
    out = tmp_path / "day.sqlite"
    async with DocAllTick(universe=UNIVERSE, push_interval=0.1) as srv:
        code, stdout, stderr = await _cli(*_record_args(srv, out, 4))
    assert code == 0, stderr
    recorded = [r.tick for _, r in read_ticks(out)]
    assert len(recorded) >= 100 and re.search(r"recorded [\d,]+ ticks", stdout)
    assert {t.symbol for t in recorded} == set(UNIVERSE)
    db = sqlite3.connect(out)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    # AllTick's ticks carry no previous close: the session's (from daily K-lines) is kept.
    assert read_references(out).keys() == set(UNIVERSE)

    proc = await asyncio.create_subprocess_exec(
        *(sys.executable, "-m", "monitor", "replay", str(out), "--port", "0", "--speed", "max"),
        stdout=asyncio.subprocess.PIPE,
        env=ENV,
    )
    try:
        assert proc.stdout is not None
        first = (await asyncio.wait_for(proc.stdout.readline(), 20)).decode()
        port = int(re.search(r"ws://127\.0\.0\.1:(\d+)/", first).group(1))  # type: ignore[union-attr]
        lines = await seed_client(port, tmp_path / "seed_client.py", len(recorded))
    finally:
        proc.send_signal(signal.SIGINT)
        await asyncio.wait_for(proc.wait(), 10)
    expected = [f"Code:{t.symbol} Price:{t.price} Time:{t.time_ms}" for t in recorded]
    assert lines == expected  # every recorded tick, in recorded order


async def seed_client(port: int, script: Path, n: int) -> list[str]:
    """The first ``n`` lines the seed article's script prints, with only its URL changed
    (written to ``script``); our own client of the same protocol without ../shared."""
    if SEED.exists():
        code = re.sub(r'url = ".*?"', f'url = "ws://127.0.0.1:{port}/any/path"', _seed_script())
        script.write_text(code)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(script), stdout=asyncio.subprocess.PIPE, env=ENV
        )
        lines: list[str] = []
        try:
            assert proc.stdout is not None
            while len(lines) < n:
                line = await asyncio.wait_for(proc.stdout.readline(), 20)
                if not line:
                    break
                lines.append(line.decode().strip())
        finally:
            proc.kill()
            await proc.wait()
        return lines
    lines = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/any/path") as ws:
        await ws.send(json.dumps({"action": "subscribe", "symbols": SEED_CODES}))
        while len(lines) < n:
            data = json.loads(await asyncio.wait_for(ws.recv(), 20))
            for t in data.get("ticks", []):
                lines.append(f"Code:{t['code']} Price:{t['price']} Time:{t['time']}")
    return lines


async def test_sigkill_loses_at_most_the_last_batch_and_never_corrupts(tmp_path: Path) -> None:
    out = tmp_path / "killed.sqlite"
    async with DocAllTick(universe=UNIVERSE, push_interval=0.05) as srv:
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "monitor", *_record_args(srv, out, 60)),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            env=ENV,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            await asyncio.sleep(0.25)
            if out.exists() and _rows(out) >= 200:
                break
        proc.kill()  # SIGKILL: no cleanup at all
        await proc.wait()
        pushed = sum(c.pushes for c in srv.conns)  # ticks the server sent
    db = sqlite3.connect(out)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = db.execute("SELECT rowid FROM tick ORDER BY rowid").fetchall()
    db.close()
    assert len(rows) >= 200
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))  # whole batches, no holes
    assert len(rows) <= pushed


def _rows(path: Path) -> int:
    try:
        return count_ticks(path)
    except sqlite3.Error:
        return 0


def _ticks(n: int, start_ms: int, step_ms: int) -> list[tuple[Tick, int]]:
    return [
        (
            Tick("600519.SH", 1500.0 + i / 100, start_ms + i * step_ms, 100.0, seq=i + 1),
            start_ms + i * step_ms,
        )
        for i in range(n)
    ]


def test_micro_batches_are_whole_transactions_of_at_most_max_rows(tmp_path: Path) -> None:
    rec = TickRecorder(tmp_path / "r.sqlite", max_rows=100)
    for tick, received in _ticks(1050, 1_764_900_000_000, 1):
        rec.add([tick], received)
    assert rec.flush() == 1050
    assert rec.batches == 11  # 10 × 100 + 50
    rec.close()
    back = [r for _, r in read_ticks(tmp_path / "r.sqlite", chunk=64)]
    assert [r.tick.seq for r in back] == list(range(1, 1051))
    assert back[0].received_ms == 1_764_900_000_000


def test_the_window_s_recording_is_one_file_per_shanghai_day(tmp_path: Path) -> None:
    rec = TickRecorder(tmp_path / "ticks", per_day=True)
    # 2026-12-01 23:59:59 and 2026-12-02 00:00:01 in Shanghai (UTC+8)
    for ms in (1_796_140_799_000, 1_796_140_801_000):
        rec.add([Tick("600519.SH", 1500.0, ms, 1.0)], ms)
        rec.flush()
    rec.close()
    assert sorted(p.name for p in (tmp_path / "ticks").glob("*.sqlite")) == [
        "2026-12-01.sqlite",
        "2026-12-02.sqlite",
    ]


def test_a_full_disk_is_said_and_recording_goes_on(tmp_path: Path) -> None:
    target = tmp_path / "gone" / "r.sqlite"
    rec = TickRecorder(target)
    (tmp_path / "gone").write_text("a file where the folder should be")
    rec.add([Tick("600519.SH", 1500.0, 1_764_900_000_000, 1.0)], 1_764_900_000_000)
    assert rec.flush() == 0
    assert "recording to" in rec.error


async def test_replay_paces_by_recorded_arrival(tmp_path: Path) -> None:
    path = tmp_path / "paced.sqlite"
    rec = TickRecorder(path)
    start = 1_764_900_000_000  # 2025-12-05 10:00:00 Shanghai
    for tick, received in _ticks(21, start, 100):  # 2 s of recorded time
        rec.add([tick], received)
    rec.close()
    server = ReplayServer(path, port=0, speed=10.0)
    await server.start()
    try:
        async with websockets.connect(server.url) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": "600519"}))
            got: list[float] = []
            t0 = time.monotonic()
            while len(got) < 21:
                data = json.loads(await asyncio.wait_for(ws.recv(), 5))
                got += [t["price"] for t in data.get("ticks", [])]
            took = time.monotonic() - t0
            assert got == [1500.0 + i / 100 for i in range(21)]
            assert 0.15 <= took <= 1.5  # 2 s recorded at 10x
            assert "Replay 10:00:02 ×10" in server.status()
            # A bad speed is said to the client, not played as "max".
            await ws.send(json.dumps({"action": "speed", "value": -5}))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
            assert reply["event"] == "error" and "speed" in reply["message"]
            for hostile in (json.dumps({"action": "speed", "value": 1e308}), "[" * 100_000):
                await ws.send(hostile)  # absurd speed, 100,000-deep JSON: one line each
                reply = json.loads(await asyncio.wait_for(ws.recv(), 5))
                assert reply["event"] == "error", reply
            assert "nested too deeply" in reply["message"]
            assert server.speed == 10.0  # unchanged, and the connection still serves
            await ws.send(json.dumps({"action": "speed", "value": 10}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 5))["event"] == "speed"
    finally:
        await server.stop()


async def test_replay_pause_and_speed_changes_take_effect_at_once(tmp_path: Path) -> None:
    path = tmp_path / "slow.sqlite"
    rec = TickRecorder(path)
    start = 1_764_900_000_000
    # Two ticks, then a 90-minute gap (a lunch break), then two more.
    for i, at in enumerate((0, 1_000, 5_400_000, 5_401_000)):
        tick = Tick("600519.SH", 1500.0 + i, start + at, 100.0, seq=i + 1)
        rec.add([tick], start + at)
    rec.close()
    server = ReplayServer(path, port=0, speed=1.0)
    await server.start()
    try:
        async with websockets.connect(server.url) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": ["600519"]}))
            got: list[float] = []

            async def take(n: int, timeout: float) -> None:
                while len(got) < n:
                    data = json.loads(await asyncio.wait_for(ws.recv(), timeout))
                    got.extend(t["price"] for t in data.get("ticks", []))

            await take(2, 5)  # the first two, a second apart
            # At ×1 the lunch break would take 90 minutes; paused, nothing comes even at
            # full speed; resumed, the rest follows at once.
            await ws.send(json.dumps({"action": "pause"}))
            await ws.send(json.dumps({"action": "speed", "value": 0}))
            with pytest.raises(TimeoutError):
                await take(3, 0.5)
            await ws.send(json.dumps({"action": "resume"}))
            await take(4, 5)
            assert got == [1500.0, 1501.0, 1502.0, 1503.0]
            assert server.finished.is_set() or await _finished(server)
    finally:
        await server.stop()


async def _finished(server: ReplayServer) -> bool:
    await asyncio.wait_for(server.finished.wait(), 5)
    return True


async def test_an_empty_recording_is_refused_before_the_feed_stops(tmp_path: Path) -> None:
    from monitor.core.settings import Settings
    from monitor.feed.recording import connect
    from monitor.platform.paths import Paths
    from monitor.service.monitor import MonitorService

    empty = tmp_path / "empty.sqlite"
    connect(empty).close()  # a recording with no rows
    service = MonitorService(Paths(tmp_path / "c", tmp_path / "l", tmp_path / "d"), Settings())
    with pytest.raises(ValueError, match="no ticks"):
        await service.open_replay(empty)
    assert service.replaying is None


@pytest.mark.skipif(
    __import__("importlib").util.find_spec("pyarrow") is None, reason="the parquet extra"
)
async def test_to_parquet_writes_every_tick(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "p.sqlite"
    rec = TickRecorder(path)
    for tick, received in _ticks(1234, 1_764_900_000_000, 5):
        rec.add([tick], received)
    rec.close()
    code, stdout, stderr = await _cli("record", "--to-parquet", str(path))
    assert "wrote 1,234 ticks" in stdout
    assert code == 0, stderr
    table = pq.read_table(tmp_path / "p.parquet")
    assert table.num_rows == 1234
    assert table.column("seq").to_pylist() == list(range(1, 1235))
    assert (
        pq.ParquetFile(tmp_path / "p.parquet").metadata.row_group(0).column(0).compression == "ZSTD"
    )


async def test_choosing_a_provider_during_a_replay_ends_it_and_applies_the_provider(
    tmp_path: Path,
) -> None:
    """It was saved and silently not applied until File › Back to the live feed."""
    from monitor.core.settings import Settings
    from monitor.platform.paths import Paths
    from monitor.service.monitor import MonitorService
    from tests.servers.batch_doc import DocBatchServer

    path = tmp_path / "day.sqlite"
    rec = TickRecorder(path)
    for tick, received in _ticks(1234, 1_764_900_000_000, 50):
        rec.add([tick], received)
    rec.close()
    paths = Paths(tmp_path / "c", tmp_path / "l", tmp_path / "d")
    service = MonitorService(paths, Settings(sim_symbols=50))
    await service.start()
    try:
        await service.open_replay(path, speed=None)
        assert service.replaying is not None
        async with DocBatchServer(universe={"600519.SH": 1450.0}, push_interval=0.05) as srv:
            await service.apply_settings(
                service.settings.with_(provider="generic", generic_url=srv.url)
            )
            assert service.replaying is None and service.source.name == "generic"
    finally:
        await service.close()


async def test_impossible_rows_are_skipped_and_a_damaged_file_ends_the_replay(
    tmp_path: Path,
) -> None:
    """A hand-edited or damaged recording: rows that cannot be real cost themselves; a
    damaged page ends playback after what came before it, with the reason; --once then
    exits non-zero with one line instead of hanging."""
    import sqlite3

    path = tmp_path / "day.sqlite"
    rec = TickRecorder(path)
    for tick, received in _ticks(4000, 1_764_900_000_000, 5):
        rec.add([tick], received)
    rec.close()
    db = sqlite3.connect(path)
    db.execute("UPDATE tick SET price = 1e999 WHERE rowid = 10")  # inf
    db.execute("UPDATE tick SET price = x'00ff' WHERE rowid = 11")  # a BLOB
    db.execute("UPDATE tick SET received_ms = 'soon' WHERE rowid = 12")  # text
    db.execute("UPDATE tick SET volume = 1e300 WHERE rowid = 13")
    db.commit()
    db.close()
    server = ReplayServer(path, port=0, speed=None)
    await server.start()
    try:
        async with websockets.connect(server.url) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": "*"}))
            await asyncio.wait_for(server.finished.wait(), 20)
    finally:
        await server.stop()
    assert server.bad_rows == 4 and server.played == 4000 - 4 and not server.error
    # 64 bytes overwritten on a page in the middle of the file.
    raw = bytearray(path.read_bytes())
    middle = (len(raw) // 4096 // 2) * 4096 + 100
    raw[middle : middle + 64] = b"\xff" * 64
    path.write_bytes(bytes(raw))
    try:
        server = ReplayServer(path, port=0, speed=None)
    except sqlite3.DatabaseError:
        return  # found damaged when opened: the CLI says so in one line (rc 2)
    await server.start()
    try:
        async with websockets.connect(server.url) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": "*"}))
            await asyncio.wait_for(server.finished.wait(), 20)  # ends: never hangs
    finally:
        await server.stop()
    assert 0 < server.played < 4000 - 4
    # The damage reads as an unreadable page (playback ends with the reason) or as rows
    # whose values cannot be real (each skipped and counted); either way it is said.
    assert server.error.startswith("the recording is damaged") or server.bad_rows > 4
