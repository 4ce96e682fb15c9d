"""Reading and writing watchlist files (TXT: codes one per line; CSV: code,name).

A watchlist file may hold codes one per line, comma- or space-separated, a JSON
array, or the app's own CSV export (``code,name`` with a header); ``#`` starts a
comment. Broker exports in GBK are read too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from monitor.core.atomic import atomic_write_bytes
from monitor.core.errors import UserError
from monitor.core.export import safe_text
from monitor.core.symbols import split_tokens

__all__ = ["WatchlistFileError", "parse_watchlist_text", "read_watchlist_file", "render_watchlist"]

_MAX_BYTES = 5 << 20
_CODE_HEADERS = ("code", "symbol", "ts_code", "代码", "证券代码", "股票代码")


class WatchlistFileError(UserError):
    """A watchlist file that cannot be read; the message names the file and the problem."""


def parse_watchlist_text(text: str) -> list[str]:
    """Tokens (not yet validated) from the text of a watchlist file."""
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    body = "\n".join(lines).strip()
    if not body:
        return []
    first = lines[0] if lines else ""
    if "," in first or "\t" in first:
        header = [h.strip().lower() for h in next(csv.reader([first]))]
        col = next((header.index(h) for h in _CODE_HEADERS if h in header), None)
        if col is not None:
            rows = list(csv.reader(io.StringIO(body)))[1:]
            return [r[col].strip() for r in rows if len(r) > col and r[col].strip()]
    return split_tokens(body)


def read_watchlist_file(path: Path) -> list[str]:
    """Read tokens from ``path``; raises :class:`WatchlistFileError` with the reason."""
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise WatchlistFileError(
                "{0}: {1} KiB is too large for a watchlist", path, size // 1024
            )
        raw = path.read_bytes()
    except OSError as e:
        raise WatchlistFileError("cannot read {0}: {1}", path, e.strerror or e) from None
    if b"\x00" in raw[:4096]:
        raise WatchlistFileError("{0}: not a text file", path)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return parse_watchlist_text(raw.decode(enc))
        except UnicodeDecodeError:
            continue
    raise WatchlistFileError("{0}: not UTF-8 or GBK text", path)  # pragma: no cover


def render_watchlist(symbols: Sequence[str], names: Sequence[str], *, fmt: str = "csv") -> bytes:
    """A watchlist file: CSV (BOM, ``code,name``) or TXT (one code per line)."""
    if fmt == "txt":
        return ("\n".join(symbols) + "\n").encode()
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["code", "name"])
    for s, n in zip(symbols, names, strict=True):
        w.writerow([s, safe_text(n)])
    return b"\xef\xbb\xbf" + buf.getvalue().encode()


def write_watchlist(path: Path, symbols: Sequence[str], names: Sequence[str]) -> None:
    """Write atomically; the format follows the file suffix (.txt or .csv)."""
    fmt = "txt" if path.suffix.lower() == ".txt" else "csv"
    atomic_write_bytes(path, render_watchlist(symbols, names, fmt=fmt))
