"""The listing refresh in a child process (``ashare-monitor listing-worker``).

The exchanges' answers — megabytes of JSON and a workbook from the network — are read
in a process of their own: the window neither keeps the memory they took (about 8 MB
that Python's allocator would not give back) nor can be taken down by one. The child
asks the exchanges, writes the cache the window reads, and leaves what changed in a
small JSON file. Cancelling the refresh (quitting) kills the child.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from monitor.platform.desktop import own_command
from monitor.service.listing_keeper import Failure, RefreshOutcome

__all__ = ["refresh_in_child"]

log = logging.getLogger(__name__)
_TIMEOUT = 900.0  # seconds: above every request's 20 s deadline, all exchanges and pages


class _Child:
    """One child process, run to its end in a worker thread; killable from the loop."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.killed = False

    def run(self, cmd: list[str], timeout: float) -> tuple[int, str]:
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if sys.platform == "win32" else 0
        self.proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            creationflags=flags,
        )
        if self.killed:
            self.kill()
        try:
            _out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            _out, err = self.proc.communicate()
            return -1, f"no answer within {timeout:g} s"
        return self.proc.returncode, err.decode("utf-8", errors="replace")

    def kill(self) -> None:
        self.killed = True
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(OSError):
                self.proc.kill()


async def refresh_in_child(
    cache: Path,
    urls: dict[str, str],
    ca_file: str | None,
    today: dt.date,
    *,
    exchanges: list[str] | None,
    record_to: Path | None,
    in_thread: Callable[[Callable[[], Any]], Awaitable[Any]],
    timeout: float = _TIMEOUT,
) -> RefreshOutcome:
    """Refresh ``cache`` in a child process; what it did, or one failure saying why not."""
    with tempfile.TemporaryDirectory(prefix="ashare-listing-", ignore_cleanup_errors=True) as tmp:
        out = Path(tmp) / "outcome.json"
        cmd = [
            *own_command(),
            "listing-worker",
            "--cache", str(cache),
            "--urls", json.dumps(urls),
            "--today", today.isoformat(),
            "--outcome", str(out),
        ]  # fmt: skip
        if ca_file:
            cmd += ["--ca-file", ca_file]
        if exchanges:
            cmd += ["--exchanges", ",".join(exchanges)]
        if record_to is not None:
            cmd += ["--save-responses", str(record_to)]
        child = _Child()
        try:
            code, err = await in_thread(lambda: child.run(cmd, timeout))
        except OSError as e:  # the executable moved (an update underneath), no memory …
            detail = f"the listing refresh could not start: {e.strerror or e}"
            return RefreshOutcome(failures=[Failure("", "failed", detail)])
        except BaseException:  # cancelled (the app is closing): the child goes too
            child.kill()
            raise
        for line in err.splitlines()[-40:]:  # the child's log lines belong in the app's log
            if line.strip():
                log.warning("listing-worker: %s", line[:500])
        try:
            data = json.loads(out.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = (err.strip().splitlines() or ["no message"])[-1][:300]
            detail = f"the listing refresh stopped (exit {code}): {last}"
            return RefreshOutcome(failures=[Failure("", "failed", detail)])
    return RefreshOutcome.from_json(data)
