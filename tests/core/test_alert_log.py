"""The fired-alert log file: appended line by line, damage skipped, bounded."""

from __future__ import annotations

from pathlib import Path

from monitor.core import alert_log
from monitor.core.alert_log import AlertLog, LoggedAlert
from monitor.core.alerts import AlertKind


def _entry(i: int) -> LoggedAlert:
    return LoggedAlert(
        1_795_570_200_000 + i, "600519.SH", AlertKind.PRICE_ABOVE, 1500.0, 1501.5 + i, 2.3
    )


def test_entries_survive_a_reload_in_order(tmp_path: Path) -> None:
    path = tmp_path / "data" / "alert_log.jsonl"
    log, problems = AlertLog.load(path)
    assert problems == [] and log.entries == []
    for i in range(3):
        log.append(_entry(i))
    again, problems = AlertLog.load(path)
    assert problems == [] and again.entries == [_entry(0), _entry(1), _entry(2)]


def test_a_damaged_line_costs_that_line_only(tmp_path: Path) -> None:
    path = tmp_path / "alert_log.jsonl"
    good = _entry(1).to_line()
    path.write_text(
        good + "\n{not json\n" + '{"fired_ms": 1, "symbol": "x", "kind": "nope", "price": 1}\n'
        '{"fired_ms": 1, "symbol": "x", "kind": "price_above", "price": NaN}\n' + good + "\n",
        encoding="utf-8",
    )
    log, problems = AlertLog.load(path)
    assert log.entries == [_entry(1), _entry(1)]
    assert problems == ["alert_log.jsonl: 3 damaged line(s) skipped"]


def test_the_file_is_kept_bounded(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(alert_log, "KEEP", 5)
    monkeypatch.setattr(alert_log, "KEEP_ON_DISK", 8)
    path = tmp_path / "alert_log.jsonl"
    log, _ = AlertLog.load(path)
    for i in range(12):
        log.append(_entry(i))
    assert log.entries == [_entry(i) for i in range(7, 12)]
    again, problems = AlertLog.load(path)  # 12 lines on disk > 8: rewritten with the newest 5
    assert problems == [] and again.entries == [_entry(i) for i in range(7, 12)]
    assert len(path.read_text(encoding="utf-8").splitlines()) == 5


def test_an_unreadable_log_is_one_message(tmp_path: Path) -> None:
    path = tmp_path / "alert_log.jsonl"
    path.mkdir()
    log, problems = AlertLog.load(path)
    assert log.entries == [] and len(problems) == 1 and problems[0].startswith("alert_log.jsonl:")


def test_hostile_lines_cost_their_line_and_never_the_start(tmp_path: Path) -> None:
    path = tmp_path / "alert_log.jsonl"
    good = _entry(2).to_line()
    hostile = [
        '{"fired_ms": 1795570200000, "symbol": "x", "kind": "price_above", "price": '
        + "9" * 400
        + "}",
        '{"fired_ms": 1000000000000000, "symbol": "x", "kind": "price_above", "price": 1}',
        '{"fired_ms": -5, "symbol": "x", "kind": "price_above", "price": 1}',
        "[" * 5000 + "]" * 5000,
    ]
    path.write_text("\n".join([*hostile, good]) + "\n", encoding="utf-8")
    log, problems = AlertLog.load(path)
    assert log.entries == [_entry(2)] and problems == ["alert_log.jsonl: 4 damaged line(s) skipped"]


def test_a_half_written_last_line_does_not_swallow_the_next_entry(tmp_path: Path) -> None:
    path = tmp_path / "alert_log.jsonl"
    path.write_text(_entry(1).to_line() + "\n" + '{"fired_ms": 17955', encoding="utf-8")
    log, _ = AlertLog.load(path)
    log.append(_entry(3))
    again, problems = AlertLog.load(path)
    assert again.entries == [_entry(1), _entry(3)] and len(problems) == 1


def test_the_log_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    path = tmp_path / "alert_log.jsonl"
    log, _ = AlertLog.load(path)
    log.append(_entry(1))
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
