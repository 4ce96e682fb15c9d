"""Awaitable waiting helpers: no sleeps where a condition can be awaited."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Iterator


async def wait_until(pred: Callable[[], object], timeout: float = 5.0, what: str = "") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not pred():
        if loop.time() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or pred}")
        await asyncio.sleep(0.005)


def fast_backoff() -> Iterator[float]:
    return itertools.repeat(0.01)
