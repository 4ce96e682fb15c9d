"""User settings: provider, colours, theme, refresh rate, language, alert sound; validated.

The token is not stored here: it lives in the OS keyring, or where none exists in a
separate file created with mode 0600 (see :mod:`monitor.platform.secrets`).

Every field has its own check (type, range, finite, length), used by
:meth:`Settings.validate` and by :meth:`Settings.from_json`, so a bad value in the file
resets only itself. Damage in ``settings.json`` (see :mod:`monitor.core.persist`):

* unusable (not JSON, too big or deep, NaN/Infinity, not an object): renamed to
  ``settings.json.corrupt-<time>``; defaults and one message;
* a setting of the wrong type or out of range, or a provider URL that does not work:
  that setting is reported and defaulted (a bad URL resets the provider to the
  simulator and keeps the URL), the rest is used, and the file is *copied* to
  ``settings.json.corrupt-<time>`` so the next save loses nothing the user had.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from monitor.core.errors import UserError
from monitor.core.persist import json_problem, load_state, object_shape, save_json
from monitor.core.plans import PLANS

__all__ = ["PLAN_NAMES", "PROVIDERS", "THEMES", "Settings", "SettingsError"]

PROVIDERS = ("simulator", "alltick", "generic", "relay")
PLAN_NAMES = (*PLANS, "custom")
THEMES = ("auto", "light", "dark")
LANGUAGES = ("auto", "zh", "en")
ALLTICK_URL = "wss://quote.alltick.co/quote-stock-b-ws-api"
ALLTICK_HTTP = "https://quote.alltick.io"  # the HTTP API's host (K-lines), per AllTick's docs
MAX_TEXT = 4096  # URLs and paths
UI_DEPTH = 8  # the window's own state: flat today

Check = Callable[[object], None]  # raises SettingsError for a value that cannot work


class SettingsError(UserError):
    """A setting value that cannot work; names the setting."""


# The WebSocket URL setting each remote provider is reached at (the simulator has none).
_PROVIDER_URL = {
    "alltick": ("AllTick URL", "alltick_url"),
    "generic": ("batch-subscribe URL", "generic_url"),
    "relay": ("team relay URL", "relay_url"),
}


@dataclass(frozen=True)
class Settings:
    provider: str = "simulator"
    alltick_url: str = ALLTICK_URL
    alltick_http_url: str = ALLTICK_HTTP  # "" = the WebSocket URL's host over http(s)
    generic_url: str = ""
    relay_url: str = ""  # a team relay's gateway (ashare-monitor gateway), ws://host:port/
    plan: str = "all-cn"  # the AllTick plan whose limits the feed keeps (or "custom")
    max_codes: int = 3000  # AllTick codes per connection with the "custom" plan
    ca_file: str = ""
    red_up: bool = True  # China convention: red up, green down
    refresh_hz: int = 20
    language: str = "auto"  # auto | zh | en
    theme: str = "auto"  # auto | light | dark
    discreet_compact: bool = True  # discreet mode also shrinks to a small always-on-top window
    alert_sound: str = "beep"  # beep | none | path of a .wav file
    stale_seconds: int = 30
    record_ticks: bool = False  # every applied tick to a SQLite file per day (data folder)
    sim_symbols: int = 5500
    sim_rate: float = 1800.0
    export_dir: str = ""
    listing_refresh: bool = True  # ask the exchanges for their listing, at most daily
    listing_urls: dict[str, str] = field(default_factory=dict)  # sse/szse/bse: other endpoints
    ui: dict[str, Any] = field(default_factory=dict)  # geometry, header state, current list

    def validate(self) -> Settings:
        """Return self or raise :class:`SettingsError` naming the bad setting.

        Checks every field (type, range, NaN/Infinity, length), then the URL of the
        chosen provider.
        """
        for f in fields(self):
            _CHECKS[f.name](getattr(self, f.name))
        if self.provider in _PROVIDER_URL:
            label, field = _PROVIDER_URL[self.provider]
            _check_ws_url(label, getattr(self, field))
        return self

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> tuple[Settings, list[str]]:
        """Known keys with a valid value are taken; the rest are reported and defaulted.

        Unknown keys are ignored. A provider whose URL does not work is reset to the
        simulator (its URL is kept, for the user to fix).
        """
        if not isinstance(data, dict):
            return cls(), ["settings file is not an object; defaults used"]
        defaults = cls()
        kw: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            if f.name not in data:
                continue
            value, default = data[f.name], getattr(defaults, f.name)
            try:
                _CHECKS[f.name](value)
            except SettingsError as e:
                shown = json.dumps(default, ensure_ascii=False)
                problems.append(f"setting {f.name!r} ignored: {e}; {shown} used")
                continue
            kw[f.name] = float(value) if isinstance(default, float) else value
        s = cls(**kw)
        try:
            s.validate()
        except SettingsError as e:
            problems.append(f"{e}; provider reset to the simulator")
            s = replace(s, provider="simulator")
            try:
                s.validate()
            except SettingsError as e2:  # pragma: no cover - every field passed its check
                problems.append(f"{e2}; all settings reset")
                s = cls(ui=s.ui)
        return s, problems

    @classmethod
    def load(cls, path: Path) -> tuple[Settings, list[str]]:
        """Settings from ``path`` and messages for the user; damage handled as the module says."""
        return load_state(path, cls.from_json, cls, object_shape)

    def save(self, path: Path) -> None:
        save_json(path, self.to_json())


# --- one check per field -------------------------------------------------------------
# Each raises SettingsError for a value of any type that cannot work. The reasons the
# dialog can produce keep their own templates (translated in the UI).
def _one_of(choices: tuple[str, ...], error: Callable[[], SettingsError]) -> Check:
    def check(v: object) -> None:
        if not isinstance(v, str) or v not in choices:
            raise error()

    return check


def _text(label: str) -> Check:
    def check(v: object) -> None:
        if not isinstance(v, str) or len(v) > MAX_TEXT:
            raise SettingsError("{0} must be text, at most {1} characters", label, MAX_TEXT)

    return check


def _flag(label: str) -> Check:
    def check(v: object) -> None:
        if not isinstance(v, bool):
            raise SettingsError("{0} must be true or false", label)

    return check


def _whole(label: str, lo: int, hi: int, error: Callable[[], SettingsError] | None = None) -> Check:
    def check(v: object) -> None:
        if not isinstance(v, int) or isinstance(v, bool):
            raise SettingsError("{0} must be a whole number", label)
        if not lo <= v <= hi:
            raise (
                error()
                if error
                else SettingsError("{0} must be between {1} and {2}", label, lo, hi)
            )

    return check


def _number(label: str, lo: float, hi: float) -> Check:
    def check(v: object) -> None:
        if not isinstance(v, int | float) or isinstance(v, bool):
            raise SettingsError("{0} must be a finite number", label)
        if isinstance(v, float) and not math.isfinite(v):
            raise SettingsError("{0} must be a finite number", label)
        if not lo <= v <= hi:  # exact for any int, however large
            raise SettingsError("{0} must be between {1} and {2}", label, f"{lo:g}", f"{hi:g}")

    return check


def _check_ca_file(v: object) -> None:
    _text("CA file")(v)
    if v and not Path(str(v)).is_file():
        raise SettingsError("CA file not found: {0}", v)


def _check_alert_sound(v: object) -> None:
    _text("alert sound")(v)
    v = str(v)
    if v in ("beep", "none"):
        return
    if not v.lower().endswith(".wav"):
        raise SettingsError("alert sound must be a .wav file: {0}", v)
    if not Path(v).is_file():
        raise SettingsError("alert sound file not found: {0}", v)


def _check_ui(v: object) -> None:
    if not isinstance(v, dict) or json_problem(v, UI_DEPTH) is not None:
        raise SettingsError("{0} must be an object of plain values", "window state")


def _check_listing_urls(v: object) -> None:
    if not (
        isinstance(v, dict)
        and set(v) <= {"sse", "szse", "bse"}
        and all(
            isinstance(u, str) and len(u) <= MAX_TEXT and _HTTP_URL.match(u) for u in v.values()
        )
    ):
        raise SettingsError(
            "{0} must give sse, szse or bse an http:// or https:// address",
            "exchange listing URLs",
        )


_HTTP_URL = re.compile(r"^https?://[^/\s:?#]+(?::\d{1,5})?(?:[/?#]\S*)?$", re.I)


_CHECKS: dict[str, Check] = {
    "provider": _one_of(
        PROVIDERS, lambda: SettingsError("provider must be one of {0}", ", ".join(PROVIDERS))
    ),
    "alltick_url": _text("AllTick URL"),
    "alltick_http_url": _text("AllTick HTTP API URL"),
    "plan": _one_of(
        PLAN_NAMES, lambda: SettingsError("plan must be one of {0}", ", ".join(PLAN_NAMES))
    ),
    "generic_url": _text("batch-subscribe URL"),
    "relay_url": _text("team relay URL"),
    "max_codes": _whole(
        "codes per connection",
        1,
        100_000,
        lambda: SettingsError("codes per connection must be between 1 and 100000"),
    ),
    "ca_file": _check_ca_file,
    "red_up": _flag("red for up"),
    "refresh_hz": _whole(
        "refresh rate",
        5,
        30,
        lambda: SettingsError("refresh rate must be between 5 and 30 per second"),
    ),
    "language": _one_of(LANGUAGES, lambda: SettingsError("language must be auto, zh or en")),
    "theme": _one_of(THEMES, lambda: SettingsError("theme must be auto, light or dark")),
    "discreet_compact": _flag("discreet mode shrinks the window"),
    "record_ticks": _flag("record ticks"),
    "alert_sound": _check_alert_sound,
    "stale_seconds": _whole(
        "stale after",
        5,
        3600,
        lambda: SettingsError("stale after must be between 5 and 3600 seconds"),
    ),
    "sim_symbols": _whole("simulated symbols", 1, 10_000),
    "sim_rate": _number("simulated ticks per second", 1, 100_000),
    "export_dir": _text("export folder"),
    "listing_refresh": _flag("refresh the listing from the exchanges"),
    "listing_urls": _check_listing_urls,
    "ui": _check_ui,
}


_WS_URL = re.compile(
    r"^(?P<scheme>[a-z]+)://(?P<host>\[[0-9a-f:.]+\]|[^/:?#\s]*)(?::(?P<port>[^/?#]*))?(?:[/?#]\S*)?$",
    re.I,
)


def _check_ws_url(label: str, url: str) -> None:
    m = _WS_URL.match(url.strip())
    if m is None or m["scheme"].lower() not in ("ws", "wss"):
        raise SettingsError("{0} must start with ws:// or wss://", label)
    if not m["host"]:
        raise SettingsError("{0} has no host", label)
    port = m["port"]
    if port is not None and not (port.isdigit() and 0 < int(port) < 65536):
        raise SettingsError("{0} has an invalid port: {1}", label, repr(port))
