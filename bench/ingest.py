"""Ingest: ticks/s through socket -> decode -> quote book, per protocol, single and batched.

A blast server in a separate process sends pre-encoded frames (the simulator's
encoding of its market) as fast as the socket takes them, once the client has
subscribed. Measured on the client:

- raw: websockets receive only (no decode): the physical limit on this machine;
- ours: the real FeedPool reader (msgspec codec -> QuoteBook.apply_many);
- naive: the same book, but stdlib ``json.loads`` and hand conversion instead of the
  typed msgspec codec (so the ratio isolates the decoder).

    python bench/ingest.py [--ticks 400000] [--short]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Row, say, table, write_section
from monitor.core.book import QuoteBook
from monitor.core.protocols import alltick
from monitor.core.quotes import Tick
from monitor.core.simmarket import SimMarket
from monitor.feed.client import FeedPool
from monitor.feed.config import FeedConfig

N_SYMBOLS = 5500


def _frames(protocol: str, batch: int, n_ticks: int) -> list[str]:
    m = SimMarket(N_SYMBOLS, seed=3)
    out: list[str] = []
    now = int(time.time() * 1000)
    ticks = 0
    while ticks < n_ticks:
        idx = m.step(2000, now)
        now += 1
        parts = []
        for r in idx.tolist():
            p = float(m.px.last[r])
            if protocol == "alltick":
                out.append(
                    alltick.encode_trade_push(
                        m.symbols[r], int(m.seq[r]), now, f"{p:.2f}", "100", f"{p * 100:.2f}"
                    )
                )
            else:
                parts.append(
                    f'{{"code":"{m.symbols[r]}","price":{p:.2f},"time":{now},'
                    f'"seq":{int(m.seq[r])},"volume":100,"turnover":{p * 100:.2f}}}'
                )
            ticks += 1
            if ticks >= n_ticks:
                break
        if protocol != "alltick":
            for i in range(0, len(parts), batch):
                out.append('{"ticks":[' + ",".join(parts[i : i + batch]) + "]}")
    return out


def _serve(port_q: mp.Queue, protocol: str, batch: int, n_ticks: int) -> None:  # type: ignore[type-arg]
    from websockets.asyncio.server import serve

    frames = _frames(protocol, batch, n_ticks)

    async def handler(ws):  # type: ignore[no-untyped-def]
        await ws.recv()  # the subscription
        if protocol == "alltick":
            await ws.send(alltick.reply(22005, 1, "t"))
        for f in frames:
            await ws.send(f)
        await ws.wait_closed()

    async def main() -> None:
        async with serve(
            handler, "127.0.0.1", 0, compression=None, ping_interval=None, max_size=None
        ) as srv:
            port_q.put(next(iter(srv.sockets)).getsockname()[1])
            await asyncio.Future()

    asyncio.run(main())


class Server:
    def __init__(self, protocol: str, batch: int, n_ticks: int) -> None:
        q: mp.Queue = mp.get_context("spawn").Queue()  # type: ignore[type-arg]
        self.proc = mp.get_context("spawn").Process(
            target=_serve, args=(q, protocol, batch, n_ticks), daemon=True
        )
        self.proc.start()
        self.port = q.get(timeout=120)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.join(5)


async def _raw(port: int, protocol: str, n_frames: int) -> float:
    from websockets.asyncio.client import connect

    async with connect(
        f"ws://127.0.0.1:{port}/quote-stock-b-ws-api",
        compression=None,
        max_size=None,
        ping_interval=None,
    ) as ws:
        await ws.send("{}")
        got = 0
        t0 = 0.0
        async for _ in ws:
            if got == 0:
                t0 = time.perf_counter()
            got += 1
            if got >= n_frames:
                break
        return time.perf_counter() - t0


async def _ours(port: int, protocol: str, n_ticks: int) -> float:
    book = QuoteBook(history_points=240)
    done = asyncio.Event()
    t0 = 0.0

    def sink(ticks: list[Tick], received_ms: float, scope: int) -> int:
        nonlocal t0
        if not t0:
            t0 = time.perf_counter()
        applied = book.apply_many(ticks, received_ms, scope)
        if pool.stats.ticks >= n_ticks:
            done.set()
        return applied

    path = "/quote-stock-b-ws-api" if protocol == "alltick" else "/ws"
    cfg = FeedConfig.for_url(f"ws://127.0.0.1:{port}{path}", token="T", max_frame=1 << 24)
    pool = FeedPool(cfg, sink)
    pool.set_symbols(["600519.SH"])
    await pool.start()
    await done.wait()
    elapsed = time.perf_counter() - t0
    await pool.stop()
    return elapsed


async def _naive(port: int, protocol: str, n_ticks: int) -> float:
    """The same book and loop, but stdlib ``json`` instead of the typed msgspec codec."""
    from websockets.asyncio.client import connect

    book = QuoteBook(history_points=240)
    got = 0
    t0 = 0.0
    async with connect(
        f"ws://127.0.0.1:{port}/x", compression=None, max_size=None, ping_interval=None
    ) as ws:
        await ws.send("{}")
        async for frame in ws:
            if not t0:
                t0 = time.perf_counter()
            msg = json.loads(frame)
            items = (
                [msg["data"]] if protocol == "alltick" and "data" in msg else msg.get("ticks", [])
            )
            ticks = []
            for t in items:
                if "price" not in t:
                    continue
                ts = int(t.get("tick_time") or t.get("time") or 0)
                ticks.append(
                    Tick(
                        t["code"],
                        float(t["price"]),
                        ts if ts > 1e11 else ts * 1000,
                        float(t.get("volume", 0)),
                        float(t.get("turnover", 0)),
                        int(t.get("seq", 0)),
                    )
                )
            book.apply_many(ticks)
            got += len(ticks)
            if got >= n_ticks:
                break
    return time.perf_counter() - t0


def run(n_ticks: int, write: bool = True) -> list[Row]:
    rows: list[Row] = []
    cases = [("AllTick, 1 tick/frame", "alltick", 1), ("batch JSON, 50 ticks/frame", "generic", 50)]
    for label, protocol, batch in cases:
        n = n_ticks if batch > 1 else max(n_ticks // 5, 2000)
        n_frames = n if batch == 1 else -(-n // batch)
        results = {}
        for kind in ("raw", "ours", "naive"):
            srv = Server(protocol, batch, n)
            try:
                if kind == "raw":
                    coro = _raw(srv.port, protocol, n_frames)
                elif kind == "ours":
                    coro = _ours(srv.port, protocol, n)
                else:
                    coro = _naive(srv.port, protocol, n)
                results[kind] = n / asyncio.run(coro)
            finally:
                srv.stop()
        rows.append(
            Row(
                f"{label}: socket → decode → book",
                results["ours"],
                "ticks/s",
                results["naive"],
                f"{results['ours'] / results['raw'] * 100:.0f} % of raw",
            )
        )
        rows.append(
            Row(
                f"{label}: raw websockets receive (no decode)",
                results["raw"],
                "ticks/s",
                None,
                "physical limit",
            )
        )
    text = table(rows)
    say(text)
    if write:
        write_section(
            "ingest",
            "Ingest (socket → decode → quote book)",
            "python bench/ingest.py",
            "Target: ingest without UI ≥ 50 % of the raw websockets receive rate in the same run.\n"
            "The sender is a separate process blasting pre-encoded frames of the simulated "
            "market (5,500 symbols) over loopback.\n\n" + text,
        )
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ticks", type=int, default=400_000)
    ap.add_argument("--short", action="store_true", help="a few seconds, for CI")
    args = ap.parse_args()
    run(20_000 if args.short else args.ticks, write=not args.short)
    return 0


if __name__ == "__main__":
    sys.exit(main())
