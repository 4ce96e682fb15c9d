"""Replay: a recorded day served over the seed article's batch-subscribe protocol.

Any client of that protocol — the window (as the "Replay" source), ``export``, the
seed article's own script — connects on any path, subscribes (array, comma string or
``*``; codes bare or suffixed) and receives the recorded ticks of its symbols, in
recorded order, paced by their recorded arrival times divided by ``speed`` (``None``:
as fast as the clients take them). The day is streamed from disk in chunks, never
loaded whole.

Playback starts when the first client subscribes (so nothing is played to nobody) and
can be paused, resumed, sped up and sought by control messages, an extension other
servers ignore: ``{"action": "pause"}``, ``{"action": "resume"}``,
``{"action": "speed", "value": 10}`` (0 = as fast as possible),
``{"action": "seek", "time": "10:31:00"}``. Each push carries the replay clock
(``"replay_ms"``: the recorded arrival time being played).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from monitor.core.protocols import ProtocolError, generic
from monitor.core.quotes import SHANGHAI, Tick
from monitor.feed.recording import (
    count_ticks,
    first_received,
    read_references,
    read_ticks,
    rowid_at,
)

__all__ = ["ReplayServer"]

log = logging.getLogger(__name__)
_FRAME_MS = 20  # ticks recorded within this many ms go out as one frame


@dataclass(eq=False)  # one per connection, kept in a set
class _Client:
    ws: ServerConnection
    sub: generic.ServerSubscription = field(default_factory=generic.ServerSubscription)
    sent: int = 0
    referenced: set[str] = field(default_factory=set)  # symbols sent their previous close


MAX_SPEED = 10_000.0  # × real time; more is "as fast as possible" (0)


class ReplayServer:
    """Serves ``path`` on ``host:port`` (0: any free port) at ``speed`` × real time."""

    def __init__(
        self,
        path: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        speed: float | None = 1.0,
        start: str | None = None,
    ) -> None:
        self.path = path
        self.host = host
        self.port = port
        self.speed = speed  # None or 0: as fast as possible
        self.total = count_ticks(path)  # raises FileNotFoundError / sqlite3 errors early
        self.references = read_references(path)
        self.first_ms = first_received(path)
        self._start_ms = self.time_of_day(start) if start else None  # ValueError: not a time
        self.clients: set[_Client] = set()
        self.played = 0  # ticks taken from the file
        self.bad_rows = 0  # rows skipped: values that cannot be real
        self.unreadable = 0  # rows a damaged page hid (their rowids are missing)
        self.error = ""  # why playback ended early (a damaged file), "" if it did not
        self.clock_ms = 0  # the recorded arrival time being played
        self.finished = asyncio.Event()
        self._server: Server | None = None
        self._player: asyncio.Task[None] | None = None
        self._started = asyncio.Event()
        self._running = asyncio.Event()  # cleared while paused
        self._running.set()
        self._control = asyncio.Event()  # set on pause, resume, speed change and seek
        self._repace = False  # the pacing restarts from the next tick
        self._seek_to: int | None = None

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/"

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def clock_time(self) -> str:
        """The recorded time being played, ``10:31:07`` (Shanghai); "" before the start."""
        if not self.clock_ms:
            return ""
        return dt.datetime.fromtimestamp(self.clock_ms / 1000, SHANGHAI).strftime("%H:%M:%S")

    def status(self) -> str:
        """``Replay 10:31:07 ×10`` (or ``paused``, ``max``, ``ended``): for logs and CLI."""
        when = self.clock_time() or "--:--:--"
        pace = f"×{self.speed:g}" if self.speed else "max"
        state = " ended" if self.finished.is_set() else "" if self._running.is_set() else " paused"
        return f"Replay {when} {pace}{state}"

    async def start(self) -> None:
        self._server = await serve(self._handle, self.host, self.port, compression=None)
        sock = next(iter(self._server.sockets))
        self.port = sock.getsockname()[1]
        self._player = asyncio.get_running_loop().create_task(self._play(), name="replay")
        log.info("replaying %s (%d ticks) on %s", self.path, self.total, self.url)

    async def stop(self) -> None:
        if self._player is not None:
            self._player.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._player
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    # --- control ---------------------------------------------------------------------
    def _changed(self) -> None:
        self._repace = True
        self._control.set()

    def pause(self) -> None:
        self._running.clear()
        self._changed()

    def resume(self) -> None:
        self._running.set()
        self._changed()

    def set_speed(self, speed: float | None) -> None:
        if speed is not None and not (0 <= speed <= MAX_SPEED):
            raise ValueError(
                f"speed must be from 0 (as fast as possible) to {MAX_SPEED:g}: {speed:g}"
            )
        self.speed = speed or None
        self._changed()

    def time_of_day(self, hhmmss: str) -> int:
        """``10:31:00`` of the recorded day (Shanghai) in epoch ms; ValueError if no time."""
        t = dt.time.fromisoformat(hhmmss)
        ms = self.first_ms or self.clock_ms or time.time() * 1000
        day = dt.datetime.fromtimestamp(ms / 1000, SHANGHAI).date()
        return int(dt.datetime.combine(day, t, SHANGHAI).timestamp() * 1000)

    def seek(self, hhmmss: str) -> None:
        """Jump to a time of the recorded day, e.g. ``10:31:00`` (a client's book keeps
        what it has: going back, a client should start a new session, as the window does)."""
        self._seek_to = self.time_of_day(hhmmss)
        self._changed()

    # --- playback ----------------------------------------------------------------------
    async def _play(self) -> None:
        await self._started.wait()
        whole = not self._start_ms  # from the first tick, no seek: every row is read
        try:
            after = rowid_at(self.path, self._start_ms) if self._start_ms else 0
            while True:
                seek, self._seek_to = self._seek_to, None
                if seek is not None:
                    whole = False
                    after = rowid_at(self.path, seek)
                after = await self._play_from(after)
                if self._seek_to is None:
                    break
        except sqlite3.DatabaseError as e:
            # A damaged page: play what came before it, then end with the reason.
            self.error = f"the recording is damaged after {self.played:,} ticks ({e})"
        else:
            missing = max(self.unreadable, self.total - self.played - self.bad_rows)
            if missing > 0 and (whole or self.unreadable):  # a damaged page read as fewer rows
                self.error = f"the recording is damaged: {missing:,} ticks could not be read"
        if self.error:
            log.error("replay stopped: %s", self.error)
        if self.bad_rows:
            log.warning("replay: %d recorded rows skipped (impossible values)", self.bad_rows)
        self.finished.set()
        log.info("replay finished: %d ticks played", self.played)

    def _bad_row(self, _rowid: int) -> None:
        self.bad_rows += 1

    def _gap(self, missing: int) -> None:
        self.unreadable += missing

    async def _play_from(self, after: int) -> int:
        """Play from rowid ``after``; returns the last rowid played (stops on a seek)."""
        loop = asyncio.get_running_loop()
        base_rec: int | None = None  # recorded ms and loop time the pacing counts from
        base_loop = 0.0
        frame: list[Tick] = []
        frame_ms = 0
        last = after
        rows = read_ticks(self.path, after_rowid=after, on_bad=self._bad_row, on_gap=self._gap)
        for rowid, rec in rows:
            if self._seek_to is not None:
                break
            if frame and rec.received_ms - frame_ms >= _FRAME_MS:
                await self._send(frame)
                frame = []
            if not frame:
                frame_ms = rec.received_ms
                # Wait for this frame's time; a pause, a speed change or a seek wakes the
                # wait and the pacing starts again from here (a long gap such as the lunch
                # break never holds a control back).
                while self._seek_to is None:
                    if not self._running.is_set():
                        await self._running.wait()
                    if self._repace:
                        self._repace, base_rec = False, None
                    if not self.speed:
                        base_rec = None
                        await asyncio.sleep(0)  # let clients and control messages in
                        break
                    if base_rec is None:
                        base_rec, base_loop = rec.received_ms, loop.time()
                    due = base_loop + (rec.received_ms - base_rec) / 1000 / self.speed
                    if (wait := due - loop.time()) <= 0:
                        break
                    self._control.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._control.wait(), wait)
                if self._seek_to is not None:
                    break
            self.clock_ms = rec.received_ms
            frame.append(rec.tick)
            self.played += 1
            last = rowid
        if frame:
            await self._send(frame)
        return last

    async def _send(self, ticks: list[Tick]) -> None:
        for client in list(self.clients):
            mine = [self._for(client, t) for t in ticks if client.sub.wants(t.symbol)]
            if not mine:
                continue
            body = json.dumps({"ticks": mine, "replay_ms": self.clock_ms}, separators=(",", ":"))
            try:
                await client.ws.send(body)  # waits for a slow client: nothing is dropped
                client.sent += len(mine)
            except ConnectionClosed:
                self.clients.discard(client)

    def _for(self, client: _Client, t: Tick) -> dict[str, object]:
        out = generic.tick_fields(t)
        if t.symbol not in client.referenced:
            client.referenced.add(t.symbol)
            if "prev_close" not in out and t.symbol in self.references:
                out["prev_close"] = self.references[t.symbol]
        return out

    # --- clients -----------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        client = _Client(ws)
        self.clients.add(client)
        try:
            async for message in ws:
                try:
                    reply = self._request(client, message)
                except (ProtocolError, ValueError) as e:
                    reply = {"event": "error", "message": str(e)[:200]}
                await ws.send(json.dumps(reply, ensure_ascii=False))
        except ConnectionClosed:
            pass
        finally:
            self.clients.discard(client)

    def _request(self, client: _Client, message: str | bytes) -> dict[str, object]:
        msg = generic.request_json(message)  # ProtocolError: one line to the client
        control = msg.get("action") if isinstance(msg, dict) else None
        if control == "pause":
            self.pause()
            return {"event": "paused", "message": self.status()}
        if control == "resume":
            self.resume()
            return {"event": "resumed", "message": self.status()}
        if control == "speed":  # a bad value is a ValueError: said to the client
            assert isinstance(msg, dict)
            self.set_speed(float(msg.get("value") or 0))
            return {"event": "speed", "message": self.status()}
        if control == "seek":
            assert isinstance(msg, dict)
            self.seek(str(msg.get("time")))
            return {"event": "seeking", "message": self.status()}
        action, codes, _new = client.sub.apply(message)
        if action == "subscribe":
            self._started.set()
        return {"event": f"{action}d", "symbols": codes}
