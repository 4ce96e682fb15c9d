"""Loading JSON state files safely: a corrupt file is kept as a backup, never lost.

Writes go through :mod:`monitor.core.atomic`, so a file is always either the last
complete save or the one before it. When a file cannot be parsed, it is renamed to
``NAME.corrupt-YYYYmmdd-HHMMSS`` and the caller gets defaults plus a message to show.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from monitor.core.atomic import atomic_write_bytes, remove_stale_temps

__all__ = ["load_json", "save_json"]


def load_json(path: Path) -> tuple[Any, str | None]:
    """``(data, None)``, ``(None, None)`` if absent, or ``(None, message)`` if corrupt."""
    remove_stale_temps(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, None
    except OSError as e:
        return None, f"cannot read {path}: {e.strerror or e}"
    try:
        return json.loads(raw.decode("utf-8")), None
    except (UnicodeDecodeError, ValueError) as e:
        backup = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            path.rename(backup)
            kept = f"it was kept as {backup.name}"
        except OSError:
            kept = "it was left in place"
        return None, f"{path.name} was damaged ({e.__class__.__name__}); {kept}"


def save_json(path: Path, data: Any, *, mode: int | None = None) -> None:
    atomic_write_bytes(
        path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"), mode=mode
    )
