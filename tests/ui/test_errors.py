"""Uncaught errors and broken settings reach the user in the window, never silently."""

from __future__ import annotations

import json

from monitor.core.redact import register_secret
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService
from monitor.ui.errors import ErrorReporter
from monitor.ui.main_window import MainWindow


def test_uncaught_error_opens_a_non_modal_dialog_without_the_token(qapp, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    register_secret("s3cret-tok-999")
    reporter = ErrorReporter(str(tmp_path / "app.log"))
    try:
        raise RuntimeError("failed for wss://x/quote?token=s3cret-tok-999")
    except RuntimeError as e:
        reporter.report(e, e.__traceback__)
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    d = reporter.dialog
    assert d is not None and not d.isModal()
    text = d.details.toPlainText() + d.summary.text()
    assert "RuntimeError" in text and "s3cret-tok-999" not in text and "***" in text
    reporter.report(ValueError("second"))
    qtbot.waitUntil(lambda: d.count == 2)
    assert "(+1)" in d.summary.text()
    d.copy()
    assert "ValueError" in qapp.clipboard().text()
    d.hide()


def test_broken_settings_are_shown_in_a_dialog(qloop, paths: Paths) -> None:  # type: ignore[no-untyped-def]
    paths.config.mkdir(parents=True)
    paths.settings.write_text(
        json.dumps({"provider": "alltick", "alltick_url": "http://not-ws", "sim_symbols": 300})
    )
    core = MonitorService(paths)
    w = MainWindow(core)
    qloop.run_until_complete(w.start())
    try:
        box = w.startup_box
        assert box.isVisible() and not box.isModal()
        assert "ws://" in box.text() and "simulator" in box.text()
        assert core.simulated  # fell back to the simulator and runs
    finally:
        w.close()
        qloop.run_until_complete(core.close())
