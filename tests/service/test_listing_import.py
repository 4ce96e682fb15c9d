"""A symbol list imported in the window extends the shipped listing, now and at every start."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.core.master import MasterError
from monitor.platform.paths import Paths
from monitor.service.monitor import MonitorService


def test_an_imported_listing_adds_codes_and_names_and_survives_a_restart(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "config", tmp_path / "logs")
    core = MonitorService(paths)
    assert "920001.BJ" not in core.master
    broker = tmp_path / "broker.csv"
    broker.write_bytes(
        "证券代码,证券名称,昨收\n920001,太湖远大,25.10\n600519,贵州茅台,1500\n".encode("gbk")
    )
    n, skipped = core.import_listing(broker)
    assert (n, skipped) == (2, [])
    assert core.master.name("920001.BJ") == "太湖远大" and "920001.BJ" in core.market()
    assert core.master.get("920001.BJ").prev_close is None  # type: ignore[union-attr]
    again = MonitorService(paths)  # the next start
    assert again.master.name("920001.BJ") == "太湖远大" and "920001.BJ" in again.market()
    assert len(again.market()) == len(core.market())


def test_an_unusable_listing_file_is_refused_and_named(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "config", tmp_path / "logs")
    core = MonitorService(paths)
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\nAAPL,Apple\n")
    with pytest.raises(MasterError, match="no valid A-share codes"):
        core.import_listing(bad)
    assert not paths.listing.exists()
    paths.listing.parent.mkdir(parents=True, exist_ok=True)
    paths.listing.write_text("garbage\n")
    assert any("listing.csv" in m for m in MonitorService(paths).notes.messages)
