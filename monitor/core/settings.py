"""User settings: provider, colours, theme, refresh rate, language, alert sound; validated.

The token is not stored here: it lives in the OS keyring, or where none exists in a
separate file created with mode 0600 (see :mod:`monitor.ui.secrets`).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from monitor.core.errors import UserError
from monitor.core.persist import load_json, save_json

__all__ = ["PROVIDERS", "THEMES", "Settings", "SettingsError"]

PROVIDERS = ("simulator", "alltick", "generic")
THEMES = ("auto", "light", "dark")
ALLTICK_URL = "wss://quote.alltick.co/quote-stock-b-ws-api"


class SettingsError(UserError):
    """A setting value that cannot work; names the setting."""


@dataclass(frozen=True)
class Settings:
    provider: str = "simulator"
    alltick_url: str = ALLTICK_URL
    generic_url: str = ""
    max_codes: int = 3000  # AllTick codes per connection for the user's plan
    ca_file: str = ""
    red_up: bool = True  # China convention: red up, green down
    refresh_hz: int = 20
    language: str = "auto"  # auto | zh | en
    theme: str = "auto"  # auto | light | dark
    discreet_compact: bool = True  # discreet mode also shrinks to a small always-on-top window
    alert_sound: str = "beep"  # beep | none | path of a .wav file
    stale_seconds: int = 30
    sim_symbols: int = 5500
    sim_rate: float = 1800.0
    export_dir: str = ""
    ui: dict[str, Any] = field(default_factory=dict)  # geometry, header state, current list

    def validate(self) -> Settings:
        """Return self or raise :class:`SettingsError` naming the bad setting."""
        if self.provider not in PROVIDERS:
            raise SettingsError("provider must be one of {0}", ", ".join(PROVIDERS))
        if self.provider == "alltick":
            _check_ws_url("AllTick URL", self.alltick_url)
        if self.provider == "generic":
            _check_ws_url("batch-subscribe URL", self.generic_url)
        if not 1 <= self.max_codes <= 100_000:
            raise SettingsError("codes per connection must be between 1 and 100000")
        if not 5 <= self.refresh_hz <= 30:
            raise SettingsError("refresh rate must be between 5 and 30 per second")
        if self.language not in ("auto", "zh", "en"):
            raise SettingsError("language must be auto, zh or en")
        if self.theme not in THEMES:
            raise SettingsError("theme must be auto, light or dark")
        if self.alert_sound not in ("beep", "none"):
            if not self.alert_sound.lower().endswith(".wav"):
                raise SettingsError("alert sound must be a .wav file: {0}", self.alert_sound)
            if not Path(self.alert_sound).is_file():
                raise SettingsError("alert sound file not found: {0}", self.alert_sound)
        if not 5 <= self.stale_seconds <= 3600:
            raise SettingsError("stale after must be between 5 and 3600 seconds")
        if self.ca_file and not Path(self.ca_file).is_file():
            raise SettingsError("CA file not found: {0}", self.ca_file)
        return self

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> tuple[Settings, list[str]]:
        """Known keys of the right type are taken; the rest are reported and defaulted."""
        if not isinstance(data, dict):
            return cls(), ["settings file is not an object; defaults used"]
        defaults = cls()
        kw: dict[str, Any] = {}
        problems: list[str] = []
        for f in fields(cls):
            if f.name not in data:
                continue
            value, default = data[f.name], getattr(defaults, f.name)
            if isinstance(default, bool) and not isinstance(value, bool):
                problems.append(f"setting {f.name!r} ignored: expected true or false")
            elif (
                isinstance(default, float)
                and isinstance(value, int | float)
                and not isinstance(value, bool)
            ):
                kw[f.name] = float(value)
            elif type(value) is not type(default):
                problems.append(f"setting {f.name!r} ignored: wrong type")
            else:
                kw[f.name] = value
        s = cls(**kw)
        # A bad cosmetic setting resets only itself (a deleted sound file must not
        # cost the user their provider settings).
        cosmetic: dict[str, Any] = {"theme": "auto", "language": "auto", "alert_sound": "beep"}
        for name, default in cosmetic.items():
            try:
                replace(cls(), **{name: getattr(s, name)}).validate()
            except SettingsError as e:
                problems.append(f"{e}; {default!r} used")
                s = replace(s, **{name: default})
        try:
            s.validate()
        except SettingsError as e:
            problems.append(f"{e}; provider reset to the simulator")
            s = replace(s, provider="simulator")
            try:
                s.validate()
            except SettingsError as e2:
                problems.append(f"{e2}; all settings reset")
                s = cls(ui=s.ui)
        return s, problems

    @classmethod
    def load(cls, path: Path) -> tuple[Settings, list[str]]:
        data, problem = load_json(path)
        if data is None:
            return cls(), [problem] if problem else []
        return cls.from_json(data)

    def save(self, path: Path) -> None:
        save_json(path, self.to_json())


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
