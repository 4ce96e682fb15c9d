"""Double-click launch: desktop entry, icons, resources, windowed-mode safety."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.platform.desktop import APP_ID, desktop_entry_text, install_desktop, uninstall_desktop
from monitor.platform.resources import resource_path

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def test_resources_resolve() -> None:
    assert resource_path("icons/ashare-monitor.svg").read_text().startswith("<?xml")
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert resource_path(f"icons/ashare-monitor-{size}.png").stat().st_size > 100
    with pytest.raises(FileNotFoundError):
        resource_path("icons/nope.png")


def test_desktop_entry_names_and_exec() -> None:
    text = desktop_entry_text()
    assert "Name=A-Share Monitor" in text and "Name[zh_CN]=A股行情监控" in text
    assert "Categories=Office;Finance;Qt;" in text and "Terminal=false" in text
    assert f"Exec={sys.executable} -P -m monitor" in text  # -P: no monitor/ of the cwd


def test_install_and_uninstall_for_the_user(tmp_path: Path) -> None:
    legacy = tmp_path / "applications" / "ashare-monitor.desktop"  # from before the app id
    legacy.parent.mkdir(parents=True)
    legacy.write_text("[Desktop Entry]\n")
    files = install_desktop(tmp_path)
    desktop = tmp_path / "applications" / "io.github.ashare_monitor.desktop"
    assert not legacy.exists()  # one menu entry, not two
    assert desktop in files and desktop.exists()
    assert (tmp_path / "icons/hicolor/256x256/apps/ashare-monitor.png").exists()
    assert (tmp_path / "icons/hicolor/scalable/apps/ashare-monitor.svg").exists()
    validator = shutil.which("desktop-file-validate")
    if validator:
        r = subprocess.run([validator, str(desktop)], capture_output=True, text=True)
        assert r.returncode == 0 and "error" not in (r.stdout + r.stderr).lower(), (
            r.stdout + r.stderr
        )
    removed = uninstall_desktop(tmp_path)
    assert set(removed) == set(files)
    assert not desktop.exists()


def test_install_desktop_from_the_command_line(tmp_path: Path) -> None:
    r = subprocess.run(
        [sys.executable, "-m", "monitor", "--install-desktop"],
        env={**ENV, "XDG_DATA_HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "applications" / "io.github.ashare_monitor.desktop").exists()


def _no_console(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    code = (
        "import sys; sys.stdout = None; sys.stderr = None\n"
        "from monitor.cli import main\n"
        f"sys.exit(main({args!r}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**ENV, "ASHARE_MONITOR_HOME": str(tmp_path)},
    )


def test_windowed_build_without_console_does_not_crash(tmp_path: Path) -> None:
    r = _no_console(
        ["export", "--url", "http://wrong", "--symbols", "600519", "--out", "x.csv"], tmp_path
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = _no_console(["--smoke", "--smoke-settle", "0"], tmp_path)
    assert r.returncode == 0, r.stderr
    log = (tmp_path / "logs" / "ashare-monitor.log").read_text()
    assert "smoke: first live row painted" in log  # with no console, the log says it


@pytest.mark.slow
def test_a_second_launch_raises_the_running_window_and_exits(tmp_path: Path) -> None:
    """Two copies would open the token's connections twice (AllTick cuts the extras)."""
    import time

    env = {**ENV, "ASHARE_MONITOR_HOME": str(tmp_path)}
    log = tmp_path / "logs" / "ashare-monitor.log"
    first = subprocess.Popen(
        [sys.executable, "-m", "monitor"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        lock = tmp_path / "config" / "ashare-monitor.lock"
        while not (lock.exists() and log.exists()):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first window did not start"
            time.sleep(0.1)
        second = subprocess.run(
            [sys.executable, "-m", "monitor"], env=env, capture_output=True, text=True, timeout=30
        )
        assert second.returncode == 0
        assert "already running" in second.stdout
        deadline = time.monotonic() + 10
        while "a second launch asked for the window" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline, log.read_text()[-2000:]
            time.sleep(0.1)
        assert first.poll() is None  # the first one keeps running
    finally:
        first.terminate()
        first.wait(20)


def test_no_display_is_said_plainly_not_a_qt_abort(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env["ASHARE_MONITOR_HOME"] = str(tmp_path)
    r = subprocess.run(
        [sys.executable, "-m", "monitor"], env=env, capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 1, r.stderr  # not 134 (Qt's abort)
    assert r.stderr.count("No display to open a window on") == 1
    assert "QT_QPA_PLATFORM=offscreen" in r.stderr and "Traceback" not in r.stderr


def test_missing_qt_libraries_are_named_with_the_install_command() -> None:
    from monitor.platform.display_check import XCB_LIBRARIES, display_problem, missing_libraries

    fake = {"libashare-surely-missing.so.9": ("libashare9", "ashare9")}
    assert missing_libraries(fake) == ["libashare-surely-missing.so.9"]
    assert missing_libraries({"libc.so.6": ("libc6", "glibc")}) == []
    problem = display_problem({"DISPLAY": ":0"})
    missing = missing_libraries()
    if missing:  # as on a bare Debian: each named, with the packages to install
        assert problem is not None
        for soname in missing:
            assert soname in problem and XCB_LIBRARIES[soname][0] in problem
        assert "sudo apt-get install" in problem and "sudo dnf install" in problem
    else:
        assert problem is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    # A Wayland session (XWayland too): Qt uses its Wayland plugin, no xcb library needed.
    assert display_problem({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}) is None


METAINFO = Path(__file__).resolve().parents[2] / "resources" / f"{APP_ID}.metainfo.xml"


def _appstream_validator() -> list[str] | None:
    """``appstreamcli validate --no-net`` (package ``appstream``), or the older
    ``appstream-util validate-relax`` (``appstream-util``); None when neither exists."""
    if shutil.which("appstreamcli"):
        return ["appstreamcli", "validate", "--no-net"]
    if shutil.which("appstream-util"):
        return ["appstream-util", "validate-relax", "--nonet"]
    return None


def test_appstream_metainfo_validates_and_names_the_one_app_id() -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID == "io.github.ashare_monitor"
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("provides/binary") == "ashare-monitor"
    assert resource_path(f"{APP_ID}.desktop").exists()  # the launcher it names ships
    releases = [r.get("version") for r in root.iter("release")]
    from monitor import __version__

    assert releases[0] == __version__  # the newest release is this version
    validator = _appstream_validator()
    if validator is None:
        pytest.skip(
            "neither appstreamcli nor appstream-util is installed "
            "(apt-get install appstream); .ci/run installs it"
        )
    r = subprocess.run([*validator, str(METAINFO)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
