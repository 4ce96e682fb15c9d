"""Where the app keeps its files (platformdirs: XDG on Linux, AppData, Library)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

__all__ = ["Paths"]

APP = "ashare-monitor"


@dataclass(frozen=True)
class Paths:
    config: Path
    logs: Path
    data: Path | None = None  # recorded ticks; None: beside the config folder
    cache: Path | None = None  # what can be fetched again (the exchanges' listing)

    @classmethod
    def default(cls) -> Paths:
        """The user's directories; ``ASHARE_MONITOR_HOME`` overrides both (tests, portable use)."""
        home = os.environ.get("ASHARE_MONITOR_HOME")
        if home:
            root = Path(home)
            return cls(root / "config", root / "logs", root / "data", root / "cache")
        return cls(
            Path(platformdirs.user_config_dir(APP, appauthor=False)),
            Path(platformdirs.user_log_dir(APP, appauthor=False)),
            Path(platformdirs.user_data_dir(APP, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP, appauthor=False)),
        )

    @property
    def recordings(self) -> Path:
        """One SQLite file of recorded ticks per trading day."""
        return (self.data or self.config.parent / "data") / "ticks"

    @property
    def settings(self) -> Path:
        return self.config / "settings.json"

    @property
    def watchlists(self) -> Path:
        return self.config / "watchlists.json"

    @property
    def alerts(self) -> Path:
        return self.config / "alerts.json"

    @property
    def holdings(self) -> Path:
        return self.config / "holdings.json"

    @property
    def alert_log(self) -> Path:
        """Fired alerts, one JSON line each, kept across restarts."""
        return (self.data or self.config.parent / "data") / "alert_log.jsonl"

    @property
    def listing(self) -> Path:
        """A symbol list the user imported (merged over the shipped one at start)."""
        return self.config / "listing.csv"

    @property
    def exchange_listing(self) -> Path:
        """The listing last fetched from the exchanges (refreshed at most daily)."""
        return (self.cache or self.config.parent / "cache") / "exchange_listing.json"

    @property
    def secrets(self) -> Path:
        return self.config / "secrets.json"
