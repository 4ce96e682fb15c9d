"""Qt fixtures: a fresh qasync loop per test, driven synchronously (see qt-toolchain.md)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from monitor.core.settings import Settings
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService
from monitor.ui.loop import make_loop
from monitor.ui.main_window import MainWindow
from tests.feed.helpers import wait_until


class _QLoop(qasync.QEventLoop):  # type: ignore[misc]
    """qasync's loop whose ``run_until_complete`` never steps tasks outside a running loop.

    qasync 0.28 processes pending Qt events once more after ``run_forever`` returns,
    with no running loop set; a long-lived task (the feed, the simulator) stepped
    there dies with "no running event loop". Tests drive the loop many times, so
    they use this variant, which runs that last pass as a running loop.
    """

    def run_until_complete(self, future):  # type: ignore[no-untyped-def]
        future = asyncio.ensure_future(future, loop=self)
        future.add_done_callback(lambda _f: self.stop())
        self.run_forever()
        asyncio.events._set_running_loop(self)
        try:
            QApplication.processEvents()
        finally:
            asyncio.events._set_running_loop(None)
        if not future.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return future.result()


@pytest.fixture
def qloop(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[qasync.QEventLoop]:
    loop = make_loop(qapp, _QLoop)
    import pytestqt.plugin

    # pytest-qt processes pending Qt events between setup, call and teardown. Outside a
    # running qasync loop those events would step our asyncio tasks with no running
    # loop; process them inside the loop instead.
    def process_events() -> None:
        if not loop.is_closed() and not loop.is_running():
            loop.run_until_complete(asyncio.sleep(0))
        else:
            qapp.processEvents()

    monkeypatch.setattr(pytestqt.plugin, "_process_events", process_events)
    yield loop
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for t in tasks:
        t.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture(autouse=True)
def ui_defaults_afterwards() -> Iterator[None]:
    """A test that switches the language or theme must not leave it switched for the next."""
    yield
    from monitor.ui.i18n import TRANSLATIONS
    from monitor.ui.theme import apply_app_palette

    TRANSLATIONS.apply("en")
    app = QApplication.instance()
    if isinstance(app, QApplication):
        apply_app_palette(app, dark=False)


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Paths:
    monkeypatch.setenv("ASHARE_MONITOR_HOME", str(tmp_path / "home"))
    return Paths.default()


until = wait_until  # the ui tests' name for the shared awaitable wait


@pytest.fixture
def window(qloop: qasync.QEventLoop, paths: Paths, qtbot) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    settings = Settings(sim_symbols=600, sim_rate=3000, language="en")
    settings.save(paths.settings)
    core = MonitorService(paths)
    w = MainWindow(core)  # not qtbot.addWidget: pytest-qt would delete it before our teardown
    w.show()
    qloop.run_until_complete(w.start())
    qloop.run_until_complete(
        until(lambda: core.state is not None and core.state.phase.value == "live")
    )
    yield w
    w.close()
    qloop.run_until_complete(core.close())
