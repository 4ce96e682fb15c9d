"""Loading JSON state files safely: a damaged file is kept as a backup, never lost.

Writes go through :mod:`monitor.core.atomic`, so a file is always either the last
complete save or the one before it. Reading is bounded and strict: at most
:data:`MAX_BYTES` bytes, UTF-8 (a BOM is allowed), standard JSON only (no ``NaN`` or
``Infinity``, no number that overflows to infinity) and at most :data:`MAX_DEPTH`
nested arrays/objects.

Two kinds of damage, two kinds of backup (see :func:`load_state`):

* **unusable** (unreadable, not JSON, too big, too deep, NaN, or the wrong shape for
  its kind): the file is *renamed* to ``NAME.corrupt-YYYYmmdd-HHMMSS`` and the caller
  gets defaults plus one message naming the file, the reason and the backup;
* **partly usable** (the loader kept the good entries and reported the rest): the
  file is *copied* to such a name, because the good parts stay in use and the next
  save would otherwise drop what was reported. An identical earlier copy is reused,
  so starting again and again with the same file does not pile up copies.

A backup never replaces an existing file: a ``-2``, ``-3`` ... suffix is added.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from monitor.core.atomic import atomic_write_bytes, remove_stale_temps

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "JsonCheck",
    "Loaded",
    "json_problem",
    "keep_copy",
    "load_json",
    "load_state",
    "read_state",
    "save_json",
]

T = TypeVar("T")

MAX_BYTES = 20 * 1024 * 1024  # no state file comes near this; a bigger one is damaged
MAX_DEPTH = 32  # nested arrays/objects; the deepest real file (watchlists) uses 4

# Messages (English templates with {0} slots, like UserError; the core keeps no UI language).
DAMAGED = "{0} was damaged ({1}); it was kept as {2} and defaults are used"
DAMAGED_IN_PLACE = "{0} was damaged ({1}) and could not be moved aside; defaults are used"
PARTLY_USED = (
    "{0} had entries that could not be used (listed below); the file was copied to {1} "
    "so nothing is lost"
)
PARTLY_USED_NO_COPY = (
    "{0} had entries that could not be used (listed below); no copy could be kept: {1}"
)

JsonCheck = Callable[[Any], str | None]


class _NonFinite(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise _NonFinite(name)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as inf
        raise _NonFinite(text)
    return value


def json_problem(value: object, max_depth: int = MAX_DEPTH) -> str | None:
    """Why ``value`` is not plain finite JSON at most ``max_depth`` deep, or None.

    Plain JSON: dicts with str keys, lists, str, int, finite float, bool, None.
    Iterative, so it is safe on any depth.
    """
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        v, depth = stack.pop()
        if isinstance(v, dict):
            if depth >= max_depth:
                return f"nested deeper than {max_depth} levels"
            if not all(isinstance(k, str) for k in v):
                return "an object key is not text"
            stack.extend((c, depth + 1) for c in v.values())
        elif isinstance(v, list):
            if depth >= max_depth:
                return f"nested deeper than {max_depth} levels"
            stack.extend((c, depth + 1) for c in v)
        elif isinstance(v, float):
            if not math.isfinite(v):
                return "contains NaN or Infinity"
        elif v is not None and not isinstance(v, str | int):
            return f"contains a {type(v).__name__}"
    return None


def any_container(data: object) -> str | None:
    """The default shape check: a state file holds an object or an array."""
    return None if isinstance(data, dict | list) else "not a JSON object or array"


def object_shape(data: object) -> str | None:
    return None if isinstance(data, dict) else "not a JSON object"


def array_shape(data: object) -> str | None:
    return None if isinstance(data, list) else "not a JSON array"


@dataclass(frozen=True, slots=True)
class Loaded:
    """What :func:`read_state` found: ``data`` is None when the file is absent or damaged."""

    path: Path
    data: Any = None
    raw: bytes = b""
    problem: str | None = None  # the one message when the file was damaged (and moved aside)


def _parse(raw: bytes, shape: JsonCheck) -> tuple[Any, str | None]:
    """``(data, None)`` or ``(None, reason)``."""
    if len(raw) > MAX_BYTES:
        return None, f"larger than {MAX_BYTES // (1024 * 1024)} MB"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)
    except _NonFinite:
        return None, "contains NaN or Infinity"
    except RecursionError:
        return None, f"nested deeper than {MAX_DEPTH} levels"
    except json.JSONDecodeError as e:
        return None, f"not valid JSON at line {e.lineno}, column {e.colno}"
    except ValueError as e:  # e.g. an integer with more digits than Python converts
        return None, f"not valid JSON: {e}"
    why = json_problem(data) or shape(data)
    return (None, why) if why else (data, None)


def read_state(path: Path, shape: JsonCheck = any_container) -> Loaded:
    """Read and parse ``path``; an unusable file is renamed to a backup (see the module)."""
    path = Path(path)
    remove_stale_temps(path)
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except FileNotFoundError:
        return Loaded(path)
    except OSError as e:
        reason = f"cannot be read: {e.strerror or e.__class__.__name__}"
        return Loaded(path, problem=_move_aside(path, reason))
    data, why = _parse(raw, shape)
    if why is not None:
        return Loaded(path, raw=raw, problem=_move_aside(path, why))
    return Loaded(path, data, raw)


def keep_copy(loaded: Loaded, problems: list[str]) -> list[str]:
    """Partial damage: with ``problems``, copy the file's bytes to a backup first.

    Returns the messages for the user: a note naming the file and its copy, then the
    problems; no problems, no copy, ``[]``.
    """
    if not problems:
        return []
    try:
        backup = _copy_aside(loaded.path, loaded.raw)
    except OSError as e:
        return [
            PARTLY_USED_NO_COPY.format(loaded.path.name, e.strerror or e.__class__.__name__),
            *problems,
        ]
    return [PARTLY_USED.format(loaded.path.name, backup.name), *problems]


def load_state(
    path: Path,
    parse: Callable[[Any], tuple[T, list[str]]],
    default: Callable[[], T],
    shape: JsonCheck = any_container,
) -> tuple[T, list[str]]:
    """Load a state file: ``(value, messages for the user)``; never raises for its content.

    * absent: ``(default(), [])``;
    * unusable, including ``shape(data)`` giving a reason: renamed to a backup,
      ``(default(), [one message])``;
    * ``parse(data)`` reports problems (it kept what it could): copied to a backup,
      ``(value, [note naming file and copy, *problems])``.
    """
    got = read_state(path, shape)
    if got.data is None:
        return default(), [got.problem] if got.problem else []
    value, problems = parse(got.data)
    return value, keep_copy(got, problems)


def load_json(path: Path) -> tuple[Any, str | None]:
    """``(data, None)``, ``(None, None)`` if absent, or ``(None, message)`` if unusable.

    Any object or array is accepted; prefer :func:`load_state`, which also checks the
    shape and keeps a copy when only part of the file can be used.
    """
    got = read_state(path)
    return got.data, got.problem


def save_json(path: Path, data: Any, *, mode: int | None = None) -> None:
    """Write atomically; NaN/Infinity raise ValueError (they could not be read back)."""
    atomic_write_bytes(
        path,
        json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False).encode("utf-8"),
        mode=mode,
    )


# --- backups -------------------------------------------------------------------------
def _backup_names(path: Path) -> list[Path]:
    stem = f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}"
    return [path.with_name(stem)] + [path.with_name(f"{stem}-{i}") for i in range(2, 1000)]


def _move_aside(path: Path, why: str) -> str:
    """Rename ``path`` to a fresh backup name; the message for the user."""
    for backup in _backup_names(path):
        try:
            os.link(path, backup)  # fails if the name exists: never replaces a backup
        except FileExistsError:
            continue
        except OSError:  # no hard links here (some file systems): rename if still free
            if backup.exists():
                continue
            try:
                path.rename(backup)
            except OSError:
                break
            return DAMAGED.format(path.name, why, backup.name)
        try:
            path.unlink()
        except OSError:
            with contextlib.suppress(OSError):
                backup.unlink()
            break
        return DAMAGED.format(path.name, why, backup.name)
    return DAMAGED_IN_PLACE.format(path.name, why)


def _copy_aside(path: Path, raw: bytes) -> Path:
    """A backup with ``raw`` (the bytes that were parsed), same permissions as ``path``.

    An existing backup of ``path`` with the same bytes is reused.
    """
    with contextlib.suppress(OSError):
        for old in sorted(path.parent.glob(f"{path.name}.corrupt-*")):
            if old.stat().st_size == len(raw) and old.read_bytes() == raw:
                return old
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o600
    for backup in _backup_names(path):
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(raw)
                f.flush()
                os.fsync(f.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                backup.unlink()
            raise
        with contextlib.suppress(OSError):
            os.chmod(backup, mode)  # os.open's mode is masked by the umask
        return backup
    raise FileExistsError(f"too many backups of {path.name}")
