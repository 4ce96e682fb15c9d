"""The log of fired alerts, kept across restarts in a JSON-lines file.

One line per alert, appended when it fires (a crash loses at most the line being
written, never the earlier ones). Reading skips a damaged line with one message
naming it and keeps the rest; a file grown past ``KEEP_ON_DISK`` lines is rewritten
atomically with the newest ``KEEP`` so it never grows without bound.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from monitor.core.alerts import AlertEvent, AlertKind
from monitor.core.atomic import atomic_write_text

__all__ = ["AlertLog", "LoggedAlert"]

KEEP = 500  # entries kept in memory and after a rewrite
_MIN_MS, _MAX_MS = 946_684_800_000, 4_102_444_800_000  # 2000-01-01 .. 2100-01-01
KEEP_ON_DISK = 2000
MAX_BYTES = 4 * 1024 * 1024  # larger than any log we write: not ours, not read


@dataclass(frozen=True, slots=True)
class LoggedAlert:
    """An alert that fired: what, on which symbol, at which price, and when (epoch ms)."""

    fired_ms: int
    symbol: str
    kind: AlertKind
    value: float | None
    price: float
    change_pct: float | None

    @classmethod
    def of(cls, event: AlertEvent, fired_ms: int) -> LoggedAlert:
        return cls(fired_ms, event.symbol, event.kind, event.value, event.price, event.change_pct)

    def to_line(self) -> str:
        return json.dumps(
            {
                "fired_ms": self.fired_ms,
                "symbol": self.symbol,
                "kind": self.kind.value,
                "value": self.value,
                "price": self.price,
                "change_pct": self.change_pct,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_line(cls, line: str) -> LoggedAlert:
        """Raises ValueError (or TypeError/KeyError) for a line that is not an entry."""
        d = json.loads(line)
        if not isinstance(d, dict):
            raise ValueError("not an object")
        fired, symbol, price = d["fired_ms"], d["symbol"], d["price"]
        value, pct = d.get("value"), d.get("change_pct")
        if not isinstance(fired, int) or isinstance(fired, bool) or not isinstance(symbol, str):
            raise TypeError("fired_ms must be a whole number and symbol text")
        if not _MIN_MS < fired < _MAX_MS:
            raise ValueError("fired_ms is not a time of this century")
        for x in (price, value, pct):
            if x is not None and (
                isinstance(x, bool)
                or not isinstance(x, int | float)
                or not -1e9 < x < 1e9  # also false for NaN; big ints never reach isfinite
            ):
                raise TypeError("prices must be finite numbers")
        if price is None:
            raise TypeError("price missing")
        return cls(
            fired,
            symbol,
            AlertKind(d["kind"]),
            None if value is None else float(value),
            float(price),
            None if pct is None else float(pct),
        )


class AlertLog:
    """Fired alerts, newest last; :meth:`append` writes each one through to the file."""

    def __init__(self, path: Path, entries: list[LoggedAlert] | None = None) -> None:
        self.path = path
        self.entries: list[LoggedAlert] = entries or []

    @classmethod
    def load(cls, path: Path) -> tuple[AlertLog, list[str]]:
        """The log at ``path`` and messages for the user (damaged lines, unreadable file)."""
        problems: list[str] = []
        try:
            if path.stat().st_size > MAX_BYTES:
                # Not ours (we keep it small): set aside, so the log starts again.
                aside = path.with_name(path.name + ".too-big")
                path.replace(aside)
                return cls(path), [
                    f"{path.name}: larger than {MAX_BYTES // 2**20} MB, moved to {aside.name}"
                ]
            raw = path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return cls(path), []
        except OSError as e:
            return cls(path), [f"{path.name}: {e.strerror or e}"]
        entries: list[LoggedAlert] = []
        bad = 0
        lines = raw.splitlines()
        for line in lines:
            if not line.strip():
                continue
            try:
                entries.append(LoggedAlert.from_line(line))
            except (ValueError, TypeError, KeyError, RecursionError, OverflowError):
                bad += 1
        if bad:
            problems.append(f"{path.name}: {bad} damaged line(s) skipped")
        log = cls(path, entries[-KEEP:])
        if len(lines) > KEEP_ON_DISK:
            try:
                atomic_write_text(path, "".join(e.to_line() + "\n" for e in log.entries))
            except OSError as e:
                problems.append(f"{path.name}: {e.strerror or e}")
        return log, problems

    def append(self, entry: LoggedAlert) -> None:
        """Keep ``entry`` and write it through; raises OSError (it stays in memory)."""
        self.entries.append(entry)
        del self.entries[:-KEEP]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Which stocks you watch, at which prices: readable by you only, like the rules.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a+b") as f:
            # A crash may have left half a line: end it, so this entry is a line of its own.
            f.seek(0, 2)
            if f.tell():
                f.seek(-1, 2)
                if f.read(1) != b"\n":
                    f.write(b"\n")
            f.write(entry.to_line().encode("utf-8") + b"\n")
