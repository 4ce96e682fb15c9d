"""Damaged state files: the app starts, the user is told, and nothing they had is lost.

Real files in ``tmp_path``: for settings, watchlists, alerts and the token file, every
kind of damage gives defaults, a message naming the file, and a ``NAME.corrupt-<time>``
backup holding the original bytes, which a later save does not touch.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from monitor.core import persist
from monitor.core.alerts import AlertEngine, AlertKind
from monitor.core.persist import MAX_BYTES, MAX_DEPTH, json_problem, load_json, save_json
from monitor.core.settings import Settings, SettingsError
from monitor.core.watchlist import DEFAULT_LIST, DEFAULT_SYMBOLS, Watchlists
from monitor.platform.paths import Paths
from monitor.platform.secrets import TokenStore


@dataclass(frozen=True)
class Kind:
    """How to load, check for defaults and save one kind of state file."""

    name: str  # its file name in Paths
    load: Callable[[Path], tuple[object, list[str]]]
    is_default: Callable[[object], bool]
    save: Callable[[Path, object], None]


def _load_tokens(path: Path) -> tuple[object, list[str]]:
    store = TokenStore(path, use_keyring=False)
    problems = store.check()
    return store, problems


def _tokens_default(store: object) -> bool:
    assert isinstance(store, TokenStore)
    return store.get("alltick") is None and store.get("generic") is None


def _save_tokens(path: Path, store: object) -> None:
    assert isinstance(store, TokenStore)
    store.set("alltick", "tok-new-123")


KINDS = {
    "settings": Kind(
        "settings.json",
        lambda p: Settings.load(p),
        lambda s: s == Settings(),
        lambda p, s: s.save(p),  # type: ignore[attr-defined]
    ),
    "watchlists": Kind(
        "watchlists.json",
        lambda p: Watchlists.load(p),
        lambda w: w.lists == {DEFAULT_LIST: list(DEFAULT_SYMBOLS)},  # type: ignore[attr-defined]
        lambda p, w: w.save(p),  # type: ignore[attr-defined]
    ),
    "alerts": Kind(
        "alerts.json",
        lambda p: AlertEngine.load(p),
        lambda e: e.rules == [],  # type: ignore[attr-defined]
        lambda p, e: save_json(p, e.to_json()),  # type: ignore[attr-defined]
    ),
    "secrets": Kind("secrets.json", _load_tokens, _tokens_default, _save_tokens),
}

INVALID_UTF8 = b'{"name": "\xff\xfe\xc3"}'
DEEP = b"[" * 200_000

# Valid JSON of the wrong shape, and wrong types inside the right shape.
WRONG_SHAPE = {
    "settings": b'["simulator", 20]',
    "watchlists": b'{"lists": 5}',
    "alerts": b'{"rules": [{"symbol": "600519", "kind": "limit_up"}]}',
    "secrets": b'["tok-abc"]',
}
WRONG_TYPES = {
    "settings": json.dumps(
        {"red_up": "yes", "refresh_hz": "fast", "theme": 5, "sim_rate": "x", "ui": [1]}
    ).encode(),
    "watchlists": json.dumps({"lists": [5, {"name": 7, "symbols": ["600519"]}]}).encode(),
    "alerts": json.dumps(
        [5, {"symbol": 600519, "kind": "price_above", "value": 1}, {"symbol": "600519"}]
    ).encode(),
    "secrets": json.dumps({"alltick": 5, "generic": ["tok"]}).encode(),
}
NAN = {
    "settings": b'{"provider": "simulator", "sim_rate": NaN}',
    "watchlists": b'{"lists": [{"name": "x", "symbols": ["600519"], "w": Infinity}]}',
    "alerts": b'[{"symbol": "600519", "kind": "price_above", "value": -Infinity}]',
    "secrets": b'{"alltick": "tok", "n": 1e999}',
}


def _damages(kind: str) -> dict[str, bytes]:
    return {
        "deep nesting": DEEP,
        "invalid utf-8": INVALID_UTF8,
        "not json": b'{"a": 1,',
        "empty": b"",
        "wrong shape": WRONG_SHAPE[kind],
        "wrong types": WRONG_TYPES[kind],
        "nan": NAN[kind],
    }


CASES = [(k, d) for k in KINDS for d in _damages(k)]


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.corrupt-*"))


@pytest.mark.parametrize(("kind", "damage"), CASES)
def test_damaged_file_gives_defaults_a_message_and_a_backup(
    kind: str, damage: str, tmp_path: Path
) -> None:
    k = KINDS[kind]
    path = tmp_path / k.name
    original = _damages(kind)[damage]
    path.write_bytes(original)
    os.chmod(path, 0o600)

    value, messages = k.load(path)

    assert k.is_default(value)
    assert messages and k.name in messages[0], messages
    [backup] = _backups(path)
    assert backup.name in messages[0]
    assert backup.read_bytes() == original
    assert backup.name.startswith(f"{k.name}.corrupt-2")  # NAME.corrupt-YYYYmmdd-HHMMSS
    assert oct(backup.stat().st_mode & 0o777) == "0o600"  # a token file's backup stays private
    if damage == "wrong types":  # partly usable: copied, the file itself stays until a save
        assert path.read_bytes() == original and len(messages) > 1
    else:  # unusable: moved aside, one message
        assert not path.exists() and len(messages) == 1 and "damaged" in messages[0]

    k.save(path, value)
    again, messages2 = k.load(path)
    assert messages2 == []
    assert _backups(path) == [backup] and backup.read_bytes() == original
    if kind == "secrets":
        assert isinstance(again, TokenStore) and again.get("alltick") == "tok-new-123"


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_file_over_the_size_cap_is_damaged(kind: str, tmp_path: Path) -> None:
    k = KINDS[kind]
    path = tmp_path / k.name
    path.write_bytes(b"[" + b" " * MAX_BYTES + b"]")
    value, messages = k.load(path)
    assert k.is_default(value)
    assert len(messages) == 1 and "20 MB" in messages[0] and k.name in messages[0]
    assert _backups(path)[0].stat().st_size == MAX_BYTES + 2


def test_nesting_just_within_the_bound_is_fine_and_beyond_is_not(tmp_path: Path) -> None:
    ok = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    too_deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    assert json_problem(json.loads(ok)) is None
    assert json_problem(json.loads(too_deep)) == f"nested deeper than {MAX_DEPTH} levels"
    path = tmp_path / "x.json"
    path.write_text(too_deep)
    data, problem = load_json(path)
    assert data is None and problem is not None and "nested deeper" in problem


def test_a_backup_never_replaces_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persist.time, "strftime", lambda _fmt: "20250101-120000")
    path = tmp_path / "settings.json"
    first, second = b"not json 1", b"not json 2"
    path.write_bytes(first)
    Settings.load(path)
    path.write_bytes(second)
    _, messages = Settings.load(path)
    names = [p.name for p in _backups(path)]
    assert names == [
        "settings.json.corrupt-20250101-120000",
        "settings.json.corrupt-20250101-120000-2",
    ]
    assert (tmp_path / names[0]).read_bytes() == first
    assert (tmp_path / names[1]).read_bytes() == second
    assert names[1] in messages[0]


def test_partly_bad_settings_keep_the_good_parts_and_a_copy(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    raw = json.dumps(
        {"provider": "generic", "generic_url": "wss://example.com/q", "refresh_hz": "fast"}
    ).encode()
    path.write_bytes(raw)
    s, messages = Settings.load(path)
    assert (s.provider, s.generic_url, s.refresh_hz) == ("generic", "wss://example.com/q", 20)
    assert len(messages) == 2 and "settings.json" in messages[0] and "refresh_hz" in messages[1]
    [backup] = _backups(path)
    assert backup.read_bytes() == raw and path.read_bytes() == raw
    # Starting again with the same file reuses the copy instead of making another.
    _, messages = Settings.load(path)
    assert _backups(path) == [backup] and backup.name in messages[0]


def test_partly_bad_watchlists_and_alerts_keep_the_good_entries(tmp_path: Path) -> None:
    wl_path = tmp_path / "watchlists.json"
    wl_path.write_text(
        json.dumps(
            {
                "lists": [
                    {"name": "mine", "symbols": ["600519", "zzz", None]},
                    {"name": "bad", "symbols": 5},
                    {"name": "x" * 60, "symbols": ["000001"]},
                ]
            }
        )
    )
    wl, messages = Watchlists.load(wl_path)
    assert wl.get("mine") == ["600519.SH"] and wl.get("bad") == [] and wl.get("x" * 40)
    assert "watchlists.json" in messages[0] and len(messages) == 5
    assert len(_backups(wl_path)) == 1

    al_path = tmp_path / "alerts.json"
    al_path.write_text(
        json.dumps(
            [
                {"symbol": "600519", "kind": "price_above", "value": 1500, "repeat": "yes"},
                {"symbol": "000001", "kind": "no_such_kind"},
                {"symbol": "000001", "kind": "limit_up", "hysteresis_pct": 99},
            ]
        )
    )
    e, messages = AlertEngine.load(al_path)
    assert [(r.symbol, r.kind, r.repeat) for r in e.rules] == [
        ("600519.SH", AlertKind.PRICE_ABOVE, False),
        ("000001.SZ", AlertKind.LIMIT_UP, False),
    ]
    assert e.rules[1].hysteresis_pct == 0.5
    assert "alerts.json" in messages[0] and len(messages) == 4
    assert len(_backups(al_path)) == 1


def test_a_damaged_token_file_is_backed_up_before_a_token_is_saved(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"alltick": "tok-keep-1", "generic": 5}))
    os.chmod(path, 0o600)
    store = TokenStore(path, use_keyring=False)
    store.set("generic", "tok-new-2")  # no check() first: set() itself keeps the backup
    assert json.loads(path.read_text()) == {"alltick": "tok-keep-1", "generic": "tok-new-2"}
    [backup] = _backups(path)
    assert json.loads(backup.read_text()) == {"alltick": "tok-keep-1", "generic": 5}
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert all("tok-keep-1" not in m for m in TokenStore(path, use_keyring=False).check())


def test_unreadable_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.mkdir()  # cannot be read as a file
    s, messages = Settings.load(path)
    assert s == Settings() and len(messages) == 1 and "settings.json" in messages[0]
    assert not path.exists() and _backups(path)[0].is_dir()


def test_a_byte_order_mark_is_not_damage(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b'\xef\xbb\xbf{"theme": "dark"}')
    s, messages = Settings.load(path)
    assert s.theme == "dark" and messages == [] and not _backups(path)


def test_save_refuses_nan_instead_of_writing_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "alerts.json"
    path.write_text("[]")
    with pytest.raises(ValueError, match="not JSON compliant"):
        save_json(path, [{"value": math.nan}])
    assert path.read_text() == "[]"


# --- every setting is validated ------------------------------------------------------
BAD_SETTINGS = [
    ("provider", "bloomberg"),
    ("provider", 1),
    ("alltick_http_url", 5),
    ("alltick_url", 5),
    ("alltick_url", "x" * 5000),
    ("generic_url", None),
    ("plan", "platinum"),
    ("plan", 3),
    ("max_codes", 0),
    ("max_codes", 100_001),
    ("max_codes", 3000.0),
    ("max_codes", True),
    ("ca_file", 5),
    ("red_up", "yes"),
    ("red_up", 1),
    ("refresh_hz", 4),
    ("refresh_hz", 31),
    ("refresh_hz", "20"),
    ("language", "klingon"),
    ("language", None),
    ("theme", ["dark"]),
    ("discreet_compact", None),
    ("record_ticks", "yes"),
    ("relay_url", 42),
    ("alert_sound", 0),
    ("stale_seconds", 4),
    ("stale_seconds", 3601),
    ("stale_seconds", math.inf),
    ("sim_symbols", 0),
    ("sim_symbols", 10_001),
    ("sim_symbols", 5500.5),
    ("sim_rate", math.nan),
    ("sim_rate", math.inf),
    ("sim_rate", -math.inf),
    ("sim_rate", 0),
    ("sim_rate", 100_001),
    ("sim_rate", 10**400),
    ("sim_rate", "1800"),
    ("sim_rate", False),
    ("export_dir", 7),
    ("listing_refresh", "yes"),
    ("listing_urls", {"nasdaq": "http://x"}),
    ("listing_urls", {"sse": 7}),
    ("listing_urls", {"sse": "not a url"}),
    ("listing_urls", {"szse": ""}),
    ("listing_urls", {"bse": "ftp://x/y"}),
    ("listing_urls", "http://x"),
    ("ui", []),
    ("ui", {"geometry": math.nan}),
    ("ui", {"a": {"b": {"c": {"d": {"e": {"f": {"g": {"h": {"i": 1}}}}}}}}}),
]


def test_every_setting_has_a_bad_value_here() -> None:
    assert {f.name for f in fields(Settings)} == {name for name, _ in BAD_SETTINGS}


@pytest.mark.parametrize(("name", "bad"), BAD_SETTINGS)
def test_validate_rejects_a_bad_value_and_the_file_resets_only_it(
    name: str, bad: object, tmp_path: Path
) -> None:
    with pytest.raises(SettingsError):
        Settings(**{name: bad}).validate()
    if isinstance(bad, float) and not math.isfinite(bad):
        return  # not in a file: the file itself is damaged (tested above)
    other, good = ("theme", "dark") if name != "theme" else ("red_up", False)
    s, problems = Settings.from_json({name: bad, other: good})
    assert getattr(s, name) == getattr(Settings(), name)
    assert len(problems) == 1 and repr(name) in problems[0]
    assert getattr(s, other) == good  # the rest of the file is kept


def test_good_values_pass() -> None:
    s = Settings(sim_rate=3000, sim_symbols=1, refresh_hz=5, stale_seconds=3600, ui={"a": [1]})
    assert s.validate() is s
    back, problems = Settings.from_json(s.to_json())
    assert back == s and problems == [] and isinstance(back.sim_rate, float)


# --- the whole app starts with each damaged file -------------------------------------
@pytest.mark.parametrize(("kind", "damage"), CASES)
def test_the_app_starts_with_a_damaged_file_and_names_it(
    kind: str, damage: str, tmp_path: Path
) -> None:
    from monitor.service.monitor import MonitorService

    paths = Paths(tmp_path / "config", tmp_path / "logs")
    paths.config.mkdir(parents=True)
    path = paths.config / KINDS[kind].name
    original = _damages(kind)[damage]
    path.write_bytes(original)

    core = MonitorService(paths)

    named = [m for m in core.notes.messages if path.name in m]
    backed_up = [b.read_bytes() for b in _backups(path)] == [original]
    from tests.reliability import REPORT, Row

    REPORT.count("damaged state files at start-up")
    if damage in ("deep nesting", "wrong shape"):  # one row per file for each kind of damage
        REPORT.add(
            Row(
                "persistence",
                f"{path.name} damaged at start-up: {damage}",
                named[0][:110] if named else "(nothing said)",
                True,
                None,
                "—",
                {"told which file": bool(named), "original kept": backed_up},
                "the app starts with defaults for that file",
            )
        )
    assert named, core.notes.messages
    assert backed_up
    assert core.settings.validate() is core.settings
    assert core.watchlists.names()
