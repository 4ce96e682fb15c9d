"""CSV snapshot export that opens cleanly in Excel and cannot inject formulas.

UTF-8 with a BOM (Excel then shows Chinese names intact), one header row, ISO times
with +08:00, plain numbers (no thousands separators), unknown values empty (never 0:
a symbol with no tick yet has no time, and no volume or turnover unless today's daily bar
gave them), text cells that could start a
formula (``= + - @``, tab, CR) prefixed with an apostrophe, written atomically with
the permissions an ordinary save gives (0666 less the umask, or the replaced file's).
Used by the CLI (``ashare-monitor export``) and the window alike.
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

from monitor.core.atomic import atomic_write_bytes
from monitor.core.quotes import Quote, ms_to_iso

__all__ = ["COLUMNS", "export_csv", "file_mode", "render_csv", "safe_text"]

# (key, English header, Chinese header)
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("code", "code", "代码"),
    ("name", "name", "名称"),
    ("last", "last", "最新"),
    ("change", "change", "涨跌"),
    ("change_pct", "change_pct", "涨跌幅%"),
    ("open", "open", "开盘"),
    ("high", "high", "最高"),
    ("low", "low", "最低"),
    ("prev_close", "prev_close", "昨收"),
    ("volume", "volume", "成交量"),
    ("turnover", "turnover", "成交额"),
    ("limit_up", "limit_up", "涨停价"),
    ("limit_down", "limit_down", "跌停价"),
    ("time", "time", "时间"),
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Neutralise a text cell that a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _price(v: float | None) -> str:
    return "" if v is None or math.isnan(v) else f"{v:.2f}"


def _amount(q: Quote, v: float, fmt: str) -> str:
    """Volume/turnover: NaN in the book until the provider sends one (a tick's, or today's
    daily bar): unknown is empty, never 0."""
    return format(v, fmt) if math.isfinite(v) else ""


def _row(q: Quote) -> list[str]:
    return [
        safe_text(q.symbol),
        safe_text(q.name),
        _price(q.last),
        _price(q.change),
        _price(q.change_pct),
        _price(q.open),
        _price(q.high),
        _price(q.low),
        _price(q.prev_close),
        _amount(q, q.volume, ".0f"),
        _amount(q, q.turnover, ".2f"),
        _price(q.limit_up),
        _price(q.limit_down),
        ms_to_iso(q.time_ms) if q.ticks and q.time_ms > 0 else "",
    ]


def render_csv(quotes: Iterable[Quote], *, lang: str = "en") -> bytes:
    """The CSV bytes (BOM, CRLF as Excel expects) for ``quotes`` in the given order."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([zh if lang == "zh" else en for _, en, zh in COLUMNS])
    for q in quotes:
        w.writerow(_row(q))
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _umask() -> int:
    try:  # Linux 4.7+: read it without changing it (other threads may be creating files)
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: Path) -> int:
    """The mode ``open(path, "w")`` would leave: a replaced file's own, else 0666 less
    the umask (0644 usually). A snapshot is a document to share, not a secret: the temp
    file :func:`atomic_write_bytes` renames into place is private (0600) otherwise."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o666 & ~_umask()


def export_csv(path: Path, quotes: Sequence[Quote], *, lang: str = "en") -> int:
    """Write ``quotes`` to ``path`` atomically; returns the number of data rows."""
    path = Path(path)
    atomic_write_bytes(path, render_csv(quotes, lang=lang), mode=file_mode(path))
    return len(quotes)
