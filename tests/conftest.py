from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


def pytest_sessionfinish(session: object, exitstatus: int) -> None:
    """Write docs/reliability.md when the whole fault matrix ran in this session."""
    from tests.reliability import REPORT

    if REPORT.rows and len(REPORT.rows) >= REPORT.expected and os.environ.get("CI") != "true":
        REPORT.write()
