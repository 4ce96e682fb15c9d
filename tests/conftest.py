from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


def pytest_sessionfinish(session: object, exitstatus: int) -> None:
    """Write the reliability report when the whole fault matrix ran in this session.

    Always to build/ (untracked); to docs/ only when asked, so a test run never
    modifies tracked files.
    """
    from tests.reliability import BUILD_DOC, DOC, REPORT

    if not REPORT.rows or len(REPORT.rows) < REPORT.expected:
        return
    REPORT.write(BUILD_DOC)
    if os.environ.get("ASHARE_MONITOR_WRITE_DOCS") == "1":
        REPORT.write(DOC)


# The app asks the exchanges for their listing once a day; tests never call out. The
# refresh's own tests ask explicitly, against doc-written local exchange servers.
os.environ.setdefault("ASHARE_MONITOR_LISTING_REFRESH", "0")
