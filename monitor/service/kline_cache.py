"""K-lines fetched at most once a day per symbol, period and provider.

The provider's K-line API shares the plan's HTTP budget with the previous closes, so
a chart opened twice costs one request. Kept in memory, and on disk under
``data/klines/<provider>/<YYYYMMDD>/`` for real providers (so a restart the same day
asks again for nothing); a new day starts a new folder, and older days are removed.
The simulator's bars are only kept in memory: they come from a local process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import shutil
from dataclasses import asdict
from pathlib import Path

from monitor.core.kline import Bar, Period
from monitor.core.persist import save_json

__all__ = ["KlineCache"]

log = logging.getLogger(__name__)


class KlineCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._memory: dict[tuple[str, str, Period, dt.date], list[Bar]] = {}

    @staticmethod
    def provider_key(url: str) -> str:
        """A folder name for a provider (its public URL, hashed: no token, no odd characters)."""
        return hashlib.sha256(url.encode()).hexdigest()[:16]

    def _file(self, provider: str, symbol: str, period: Period, day: dt.date) -> Path:
        return self.root / provider / day.strftime("%Y%m%d") / f"{symbol}-{period.value}.json"

    def get(self, provider: str, symbol: str, period: Period, day: dt.date) -> list[Bar] | None:
        key = (provider, symbol, period, day)
        if key in self._memory:
            return self._memory[key]
        path = self._file(provider, symbol, period, day)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            bars = [
                Bar(dt.date.fromisoformat(b["day"]), *(float(b[f]) for f in _FIELDS)) for b in raw
            ]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as e:
            log.warning("ignored a damaged K-line cache file %s: %s", path.name, e)
            return None
        self._memory[key] = bars
        return bars

    def put(
        self,
        provider: str,
        symbol: str,
        period: Period,
        day: dt.date,
        bars: list[Bar],
        *,
        disk: bool,
    ) -> None:
        self._memory[(provider, symbol, period, day)] = bars
        if not disk:
            return
        path = self._file(provider, symbol, period, day)
        self._forget_older_days(path.parent)
        data = [{**asdict(b), "day": b.day.isoformat()} for b in bars]
        try:
            save_json(path, data)
        except (OSError, ValueError) as e:
            log.warning("K-line cache not written (%s): %s", path, e)

    def _forget_older_days(self, today_dir: Path) -> None:
        provider_dir = today_dir.parent
        if today_dir.exists() or not provider_dir.exists():
            return
        for old in provider_dir.iterdir():
            if old.is_dir() and old.name < today_dir.name:
                with contextlib.suppress(OSError):
                    shutil.rmtree(old)


_FIELDS = ("open", "high", "low", "close", "volume", "turnover")
