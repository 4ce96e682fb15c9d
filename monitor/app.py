"""Composition root for the window: QApplication + qasync loop, the service, the window.

One thread, one event loop: Qt's, driven through qasync, runs the WebSocket client and
(by default) the embedded simulator. The application itself is
:class:`~monitor.service.monitor.MonitorService`; nothing else lives here.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import logging.handlers
import os
import sys
import time
from typing import TYPE_CHECKING

from monitor.core.redact import RedactFilter
from monitor.platform.display_check import display_problem
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService

if TYPE_CHECKING:
    from monitor.ui.main_window import MainWindow

__all__ = ["run_app"]

log = logging.getLogger(__name__)


def _setup_logging(paths: Paths, verbose: int) -> str:
    paths.logs.mkdir(parents=True, exist_ok=True)
    logfile = paths.logs / "ashare-monitor.log"
    handler = logging.handlers.RotatingFileHandler(
        logfile, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO)
    logging.getLogger("monitor.simulator").setLevel(logging.WARNING)
    logging.getLogger("monitor.simulator.ws").setLevel(logging.WARNING)
    logging.getLogger("monitor.feed.ws").setLevel(logging.INFO)
    return str(logfile)


def run_app(args: argparse.Namespace) -> int:
    """Open the window on the qasync loop; returns the exit code."""
    os.environ.setdefault("QT_API", "pyside6")
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from monitor.platform.desktop import APP_ID
    from monitor.platform.resources import resource_path
    from monitor.ui.errors import ErrorReporter
    from monitor.ui.loop import make_loop  # imports qasync, bound to PySide6 via QT_API
    from monitor.ui.main_window import MainWindow
    from monitor.ui.single_instance import SingleInstance

    paths = Paths.default()
    logfile = _setup_logging(paths, getattr(args, "verbose", 0))
    if QApplication.instance() is None and (problem := display_problem()) is not None:
        log.info("%s", problem)  # to the log file; the console gets it once, below
        if sys.stderr is not None:
            print(problem, file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("A-Share Monitor")
    app.setOrganizationName("ashare-monitor")
    app.setDesktopFileName(APP_ID)  # matches the .desktop file and the AppStream metainfo
    with contextlib.suppress(FileNotFoundError):
        app.setWindowIcon(QIcon(str(resource_path("icons/ashare-monitor.svg"))))
    instance = SingleInstance(paths.config)
    if not instance.acquire():
        log.info("already running: asked the running window to come to the front")
        _say("A-Share Monitor is already running: its window was brought to the front.")
        return 0
    loop = make_loop(app)
    service = MonitorService(paths)
    window = MainWindow(service, logfile=logfile)

    def bring_to_front() -> None:
        log.info("a second launch asked for the window")
        window.bring_to_front()

    instance.raise_requested.connect(bring_to_front)
    reporter = ErrorReporter(logfile, window)
    reporter.install(loop)

    result = 0

    async def main() -> None:
        nonlocal result
        closed = asyncio.Event()
        # Quit only after the feed and simulator are stopped, not when Qt would.
        app.setQuitOnLastWindowClosed(False)
        app.aboutToQuit.connect(closed.set)
        window.closed.connect(closed.set)
        window.show()
        t0 = time.monotonic()
        await window.start()
        if getattr(args, "all_market", False):
            window.lists.setCurrentRow(0)
        if getattr(args, "smoke", False):
            result = await _smoke(window, args, t0)
            await service.close()
            return
        await closed.wait()
        await service.close()

    try:
        with loop:
            loop.run_until_complete(main())
    finally:
        instance.release()
    return result


async def _smoke(window: MainWindow, args: argparse.Namespace, t0: float) -> int:
    """Wait for a live row on screen, optionally save a screenshot; 0 on success."""
    try:
        painted = await asyncio.wait_for(
            asyncio.shield(window.first_row_painted), args.smoke_timeout
        )
    except TimeoutError:
        state = window.service.state
        reason = state.reason if state and state.reason else "no live row"
        _say(f"smoke: FAILED after {args.smoke_timeout:.0f} s: {reason}")
        return 1
    _say(f"smoke: first live row painted {painted - t0:.2f} s after start")
    await asyncio.sleep(args.smoke_settle)
    if args.screenshot is not None:
        window.grab().save(str(args.screenshot))
        _say(f"smoke: screenshot saved to {args.screenshot}")
    window.hide()
    return 0


def _say(text: str) -> None:
    log.info("%s", text)  # a windowed build has no console: its log file says it
    if sys.stdout is not None:
        print(text, flush=True)
