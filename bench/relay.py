"""The team relay under load: simulator → relay → Redis → gateway → N desktops.

Every part is its own process, as deployed (all on this 2-core machine, so they
compete for it): the simulator (AllTick protocol, the whole market), ``ashare-monitor
relay --all``, a real ``redis-server``, ``ashare-monitor gateway`` and N clients that
subscribe ``*`` (one measures latency, the others only receive). Latency is the
client's arrival time minus the tick's exchange time (stamped by the simulator when it
sends); the baseline is a client subscribed directly to the simulator's batch side in
the same run, so the difference is what the relay path adds. CPU from /proc; Redis
memory from INFO.

python bench/relay.py [--seconds 20] [--rates 1700,20000] [--clients 1,10] [--short]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import websockets

from bench.common import ROOT, Row, fmt, say, sim_command, write_section
from tests.servers.redis_server import RedisServer

DOC = ROOT / "docs" / "scale-out.md"
TICK_CLOCK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK_CLOCK


def _pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(p / 100 * len(s)))] if s else float("nan")


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env
    )


def _wait_line(proc: subprocess.Popen[str], pattern: str, timeout: float = 60) -> re.Match[str]:
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if m := re.search(pattern, line):
            return m
        if not line and proc.poll() is not None:
            break
    raise RuntimeError(f"{proc.args[3] if len(proc.args) > 3 else proc.args}: no {pattern!r}")


async def _clients(url: str, n: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (ms) seen by client 0, and ticks received by all clients."""
    latencies: list[float] = []
    counts = [0] * n
    seen: set[tuple[str, int]] = set()
    dup = [0]

    async def one(i: int) -> None:
        async with websockets.connect(url, max_size=None, compression=None) as ws:
            await ws.send(json.dumps({"action": "subscribe", "symbols": "*"}))
            end = time.monotonic() + seconds
            while (left := end - time.monotonic()) > 0:
                try:
                    raw = await asyncio.wait_for(ws.recv(), left)
                except TimeoutError:
                    break
                now = time.time() * 1000
                msg = json.loads(raw)
                ticks = msg.get("ticks") or []
                counts[i] += len(ticks)
                if i == 0 and time.monotonic() > end - seconds + 1.0:  # after the snapshot
                    latencies.extend(now - t["time"] for t in ticks)
                    for t in ticks:
                        key = (t["code"], t.get("seq", 0))
                        dup[0] += key in seen
                        seen.add(key)

    await asyncio.gather(*(one(i) for i in range(n)))
    if dup[0]:
        print(f"{url}: {dup[0]} repeated ticks", flush=True)
    return latencies, sum(counts)


def case(rate: int, clients: int, seconds: float) -> dict[str, float]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "ASHARE_MONITOR_TOKEN": "bench"}
    with tempfile.TemporaryDirectory() as tmp:
        env["ASHARE_MONITOR_HOME"] = tmp
        redis = RedisServer(Path(tmp))
        redis.start()
        port = _free_port()
        procs: list[subprocess.Popen[str]] = []
        try:
            sim = _spawn(sim_command(rate, port=port), env)
            procs.append(sim)
            _wait_line(sim, rf"ws://127\.0\.0\.1:{port}/")
            monitor = [sys.executable, "-m", "monitor"]
            relay = _spawn(
                [
                    *monitor,
                    *("relay", "--url", f"ws://127.0.0.1:{port}/quote-stock-b-ws-api"),
                    *("--http-url", f"http://127.0.0.1:{port + 1}", "--all"),
                    *("--redis", redis.url),
                ],
                env,
            )
            procs.append(relay)
            _wait_line(relay, r"^relay ")
            gateway = _spawn([*monitor, "gateway", "--redis", redis.url, "--port", "0"], env)
            procs.append(gateway)
            gw_port = int(_wait_line(gateway, r":(\d+)/").group(1))
            time.sleep(5)  # the relay subscribes (plan spacing) and the market starts
            direct, _ = asyncio.run(_clients(f"ws://127.0.0.1:{port}/", 1, min(5.0, seconds)))
            assert redis.proc is not None
            pids = {"relay": relay.pid, "redis": redis.proc.pid, "gateway": gateway.pid}
            cpu0 = {k: _cpu(p) for k, p in pids.items()}
            mem0 = _redis_memory(redis.port)
            t0 = time.monotonic()
            lat, received = asyncio.run(_clients(f"ws://127.0.0.1:{gw_port}/", clients, seconds))
            wall = time.monotonic() - t0
            cpu = {k: (_cpu(p) - cpu0[k]) / wall * 100 for k, p in pids.items()}
            mem = _redis_memory(redis.port) - mem0
        finally:
            for p in reversed(procs):
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
            redis.stop()
    return {
        "p50": _pct(lat, 50),
        "p99": _pct(lat, 99),
        "direct_p50": _pct(direct, 50),
        "direct_p99": _pct(direct, 99),
        "relay_cpu": cpu["relay"],
        "redis_cpu": cpu["redis"],
        "gateway_cpu": cpu["gateway"],
        "client_ticks_s": received / wall / clients,
        "redis_mb_min": mem / 1e6 / wall * 60,
    }


def _redis_memory(port: int) -> float:
    with socket.create_connection(("127.0.0.1", port), 5) as s:
        s.sendall(b"INFO memory\r\n")
        data = b""
        while b"used_memory:" not in data or not data.endswith(b"\r\n"):
            data += s.recv(65536)
    m = re.search(rb"used_memory:(\d+)", data)
    return float(m.group(1)) if m else float("nan")


def run(rates: list[int], clients: list[int], seconds: float, write: bool = True) -> list[Row]:
    rows: list[Row] = []
    for rate in rates:
        for n in clients:
            r = case(rate, n, seconds)
            tag = f"{rate:,} ticks/s, {n} client{'s' if n > 1 else ''}"
            rows += [
                Row(
                    f"{tag}: latency p50", r["p50"], "ms", None, f"direct: {r['direct_p50']:.2f} ms"
                ),
                Row(
                    f"{tag}: latency p99", r["p99"], "ms", None, f"direct: {r['direct_p99']:.2f} ms"
                ),
                Row(f"{tag}: added latency p50", r["p50"] - r["direct_p50"], "ms", None),
                Row(f"{tag}: added latency p99", r["p99"] - r["direct_p99"], "ms", None),
                Row(f"{tag}: relay CPU", r["relay_cpu"], "% of a core", None),
                Row(f"{tag}: Redis CPU", r["redis_cpu"], "% of a core", None),
                Row(f"{tag}: gateway CPU", r["gateway_cpu"], "% of a core", None),
                Row(f"{tag}: ticks delivered per client", r["client_ticks_s"], "ticks/s", None),
                Row(f"{tag}: Redis memory", r["redis_mb_min"], "MB per minute", None),
            ]
    # One path measured; the direct client is the reference, in the note.
    lines = ["| case | measured | note |", "|---|---|---|"]
    lines += [f"| {r.case} | {fmt(r.value)} {r.unit} | {r.note} |" for r in rows]
    text = "\n".join(lines) + "\n"
    say(text)
    if write:
        write_section(
            "relay",
            "Team relay under load (simulator → relay → Redis → gateway → clients)",
            f"python bench/relay.py --seconds {seconds:g} --rates {','.join(map(str, rates))} "
            f"--clients {','.join(map(str, clients))}",
            "Every part its own process on the same 2 cores (they compete). Latency: a "
            "client's arrival time minus the tick's exchange time; the baseline is a client "
            "subscribed directly to the simulator in the same run. Redis memory: growth over "
            "the run (the streams are capped by entry count, `--maxlen`, default 12,000 entries "
            "per shard ≈ 10 minutes of 50 ms frames, far beyond these 20 s).\n\n" + text,
            doc=DOC,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--rates", default="1700,20000")
    ap.add_argument("--clients", default="1,10")
    ap.add_argument("--short", action="store_true")
    args = ap.parse_args()
    if args.short:
        run([1700], [1], 3.0, write=False)
        return 0
    rates = [int(r) for r in args.rates.split(",")]
    clients = [int(c) for c in args.clients.split(",")]
    run(rates, clients, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
