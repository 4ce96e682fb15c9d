"""The one event loop: qasync on Qt's loop, with plain Python worker threads.

qasync's default executor runs ``asyncio.to_thread`` work on QThreads, which Qt may
destroy while still running when the loop closes ("QThread: Destroyed while thread is
still running") and which crashed the process in our tests. A standard thread pool
has neither problem: the loop joins it on close.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import qasync
from PySide6.QtWidgets import QApplication

__all__ = ["make_loop"]


def make_loop(
    app: QApplication, loop_class: type[qasync.QEventLoop] = qasync.QEventLoop
) -> qasync.QEventLoop:
    """A qasync loop for ``app``, set as the current loop, with a standard thread pool."""
    loop = loop_class(app)
    loop.set_default_executor(ThreadPoolExecutor(max_workers=8, thread_name_prefix="ashare-worker"))
    asyncio.set_event_loop(loop)
    return loop
