"""A recorded day as Parquet (zstd), for pandas / DuckDB / polars users.

Optional: needs ``pyarrow`` (``pip install 'ashare-monitor[parquet]'``); the desktop
bundle leaves it out. Rows are read from the SQLite file in chunks and written as row
groups, so a whole day never sits in memory.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

__all__ = ["ParquetUnavailable", "to_parquet"]

_CHUNK = 200_000


class ParquetUnavailable(Exception):
    """pyarrow is not installed."""


def to_parquet(source: Path, out: Path | None = None) -> tuple[Path, int]:
    """Write ``source`` (a recording) to ``out`` (default: same name, ``.parquet``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ParquetUnavailable(
            "Parquet needs pyarrow: pip install 'ashare-monitor[parquet]'"
        ) from None
    out = out or source.with_suffix(".parquet")
    schema = pa.schema(
        [
            ("received_ms", pa.int64()),
            ("symbol", pa.string()),
            ("time_ms", pa.int64()),
            ("price", pa.float64()),
            ("volume", pa.float64()),
            ("turnover", pa.float64()),
            ("seq", pa.int64()),
            ("day_volume", pa.float64()),
            ("day_turnover", pa.float64()),
            ("prev_close", pa.float64()),
            ("open", pa.float64()),
            ("high", pa.float64()),
            ("low", pa.float64()),
        ]
    )
    names = schema.names
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    rows = 0
    tmp = out.with_name(out.name + ".part")
    try:
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            cursor = db.execute(f"SELECT {', '.join(names)} FROM tick ORDER BY rowid")
            while batch := cursor.fetchmany(_CHUNK):
                columns = list(zip(*batch, strict=True))
                writer.write_table(pa.table(dict(zip(names, columns, strict=True)), schema=schema))
                rows += len(batch)
        tmp.replace(out)
    finally:
        db.close()
        tmp.unlink(missing_ok=True)
    return out, rows
