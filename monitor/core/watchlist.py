"""Named watchlists: edits, their undo data, the subscription they imply, persistence.

Every edit returns what it changed so the UI can undo it and the feed can resubscribe.
The subscription is the union of all lists (switching lists is then instant), plus
the whole market while the all-market view is open.

The list every install starts with is the *built-in* list: its key is
:data:`DEFAULT_LIST` and its file entry carries ``"key": "default"``; the UI shows it
under a translated name ("Watchlist" / "自选") while users' own lists keep the names
they typed. Files written before the key existed (``version`` 1) stored the built-in
list under the name "自选", so there that name marks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from monitor.core.errors import UserError
from monitor.core.persist import load_state, save_json
from monitor.core.symbols import SymbolError, normalize

__all__ = ["BUILTIN_KEY", "DEFAULT_LIST", "WatchlistError", "Watchlists"]

DEFAULT_LIST = "自选"  # the built-in list's key (what every saved file has called it)
BUILTIN_KEY = "default"  # its marker in the file
DEFAULT_SYMBOLS = (  # the seed article's ten names
    "000001.SZ",
    "000002.SZ",
    "600036.SH",
    "600519.SH",
    "000858.SZ",
    "002415.SZ",
    "300750.SZ",
    "601318.SH",
    "000333.SZ",
    "002594.SZ",
)
MAX_NAME = 40
MAX_SYMBOLS = 20_000


def _shape(data: object) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    if not isinstance(data.get("lists"), list):
        return "no 'lists' array"
    return None


class WatchlistError(UserError):
    """An edit that cannot be done (duplicate name, empty name ...); says why."""


class Watchlists:
    """Ordered named lists of canonical symbols."""

    def __init__(
        self, lists: dict[str, list[str]] | None = None, *, builtin: bool | None = None
    ) -> None:
        """``builtin``: whether a list keyed :data:`DEFAULT_LIST` is the built-in one
        (default: yes, as in files from before the marker existed)."""
        self.lists: dict[str, list[str]] = (
            {k: list(v) for k, v in lists.items()}
            if lists
            else {DEFAULT_LIST: list(DEFAULT_SYMBOLS)}
        )
        self._builtin = True if builtin is None or not lists else builtin

    def is_builtin(self, name: str) -> bool:
        """Whether ``name`` is the built-in list (shown under a translated name)."""
        return name == DEFAULT_LIST and self._builtin and name in self.lists

    def names(self) -> list[str]:
        return list(self.lists)

    def get(self, name: str) -> list[str]:
        return self.lists[name]

    def union(self) -> list[str]:
        seen: dict[str, None] = {}
        for syms in self.lists.values():
            seen.update(dict.fromkeys(syms))
        return list(seen)

    # --- list-level edits --------------------------------------------------------
    def _check_name(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise WatchlistError("a list needs a name")
        if len(name) > MAX_NAME:
            raise WatchlistError("list names are at most {0} characters", MAX_NAME)
        if name in self.lists:
            raise WatchlistError("a list named “{0}” already exists", name)
        return name

    def create(self, name: str, symbols: Iterable[str] = ()) -> str:
        name = self._check_name(name)
        self.lists[name] = list(dict.fromkeys(symbols))
        if name == DEFAULT_LIST:
            self._builtin = False  # a list the user named 自选 is theirs, shown as typed
        return name

    def rename(self, old: str, new: str) -> str:
        if new.strip() == old:
            return old
        new = self._check_name(new)
        self.lists = {(new if k == old else k): v for k, v in self.lists.items()}
        if new == DEFAULT_LIST:
            self._builtin = False
        return new

    def delete(self, name: str) -> tuple[int, list[str]]:
        """Remove a list; returns its position and symbols for undo. The last list stays."""
        if len(self.lists) == 1:
            raise WatchlistError("the last list cannot be deleted")
        pos = self.names().index(name)
        return pos, self.lists.pop(name)

    def restore(self, pos: int, name: str, symbols: list[str], *, builtin: bool = False) -> None:
        """Undo of :meth:`delete` (``builtin``: what :meth:`is_builtin` said before)."""
        items = list(self.lists.items())
        items.insert(pos, (name, list(symbols)))
        self.lists = dict(items)
        if name == DEFAULT_LIST:
            self._builtin = builtin

    # --- symbol edits ------------------------------------------------------------
    def add(self, name: str, symbols: Iterable[str]) -> list[str]:
        """Append symbols not already in the list; returns those added."""
        lst = self.lists[name]
        have = set(lst)
        added = []
        for s in symbols:
            if s not in have and len(lst) < MAX_SYMBOLS:
                lst.append(s)
                have.add(s)
                added.append(s)
        return added

    def remove(self, name: str, symbols: Iterable[str]) -> list[tuple[int, str]]:
        """Remove symbols; returns ``(position, symbol)`` pairs, ascending, for undo."""
        lst = self.lists[name]
        drop = set(symbols)
        removed = [(i, s) for i, s in enumerate(lst) if s in drop]
        self.lists[name] = [s for s in lst if s not in drop]
        return removed

    def insert(self, name: str, items: list[tuple[int, str]]) -> None:
        """Undo of :meth:`remove`: put symbols back where they were."""
        lst = self.lists[name]
        for pos, sym in sorted(items):
            if sym not in lst:
                lst.insert(min(pos, len(lst)), sym)

    def move(self, name: str, symbol: str, to: int) -> int:
        """Move ``symbol`` to index ``to``; returns its old index."""
        lst = self.lists[name]
        old = lst.index(symbol)
        lst.pop(old)
        lst.insert(max(0, min(to, len(lst))), symbol)
        return old

    def reorder(self, name: str, symbols: list[str], to: int) -> list[str]:
        """Move ``symbols`` (kept in their order) before index ``to``; returns the old list."""
        old = list(self.lists[name])
        moving = [s for s in old if s in set(symbols)]
        before = sum(1 for s in old[:to] if s in set(symbols))
        rest = [s for s in old if s not in set(symbols)]
        at = max(0, min(len(rest), to - before))
        self.lists[name] = rest[:at] + moving + rest[at:]
        return old

    def replace(self, name: str, symbols: list[str]) -> None:
        self.lists[name] = list(symbols)

    # --- persistence -------------------------------------------------------------
    def to_json(self) -> dict[str, object]:
        def entry(name: str, symbols: list[str]) -> dict[str, object]:
            key = {"key": BUILTIN_KEY} if self.is_builtin(name) else {}
            return {"name": name, **key, "symbols": symbols}

        return {"version": 2, "lists": [entry(k, v) for k, v in self.lists.items()]}

    @classmethod
    def from_json(cls, data: object) -> tuple[Watchlists, list[str]]:
        """Rebuild from saved JSON; bad entries are dropped and reported, never fatal.

        Kept: every list with a text name (cut to :data:`MAX_NAME` characters, a
        duplicate name gets a ``'``), its valid symbols (at most :data:`MAX_SYMBOLS`).
        Reported: lists without a name, a ``symbols`` that is not an array, symbols
        that are not A-share codes, names cut short, symbols beyond the cap.
        """
        problems: list[str] = []
        lists: dict[str, list[str]] = {}
        if _shape(data) is not None:
            return cls(), ["watchlists file has no 'lists' array; started with the default list"]
        assert isinstance(data, dict)
        # Version 1 files have no key: there the built-in list is the one named 自选.
        keyed = isinstance(data.get("version"), int) and data["version"] >= 2
        builtin = not keyed
        for item in data["lists"]:
            if not isinstance(item, dict) or not isinstance(item.get("name"), str):
                problems.append("skipped a list without a name")
                continue
            raw_name: str = item["name"]
            name = raw_name.strip()[:MAX_NAME] or "list"
            if keyed and item.get("key") == BUILTIN_KEY and DEFAULT_LIST not in lists:
                name, builtin = DEFAULT_LIST, True
            if len(raw_name.strip()) > MAX_NAME:
                problems.append(f"list {raw_name!r}: name shortened to {name!r}")
            raw_syms = item.get("symbols", [])
            if not isinstance(raw_syms, list):
                problems.append(f"list {raw_name!r}: its symbols are not an array; list left empty")
                raw_syms = []
            syms: list[str] = []
            for s in raw_syms:
                if isinstance(s, bool) or not isinstance(s, str | int):
                    problems.append(f"list {raw_name!r}: dropped a symbol that is not text")
                    continue
                try:
                    syms.append(normalize(str(s)))
                except SymbolError as e:
                    problems.append(f"list {raw_name!r}: dropped {e}")
            syms = list(dict.fromkeys(syms))
            if len(syms) > MAX_SYMBOLS:
                problems.append(
                    f"list {raw_name!r}: {len(syms) - MAX_SYMBOLS} symbols beyond "
                    f"{MAX_SYMBOLS} dropped"
                )
                syms = syms[:MAX_SYMBOLS]
            while name in lists:
                name += "'"
            lists[name] = syms
        return (cls(lists, builtin=builtin) if lists else cls()), problems

    @classmethod
    def load(cls, path: Path) -> tuple[Watchlists, list[str]]:
        """Lists from ``path`` and messages for the user. Damage (see :mod:`monitor.core.persist`):

        * unusable (not JSON, too big or deep, NaN/Infinity, not an object with a
          ``lists`` array): renamed to ``watchlists.json.corrupt-<time>``; the default
          list and one message;
        * some entries bad (see :meth:`from_json`): the good lists are used and the file
          is *copied* to ``watchlists.json.corrupt-<time>``, so the next save (the
          first edit) loses nothing the user had.
        """
        return load_state(path, cls.from_json, cls, _shape)

    def save(self, path: Path) -> None:
        save_json(path, self.to_json())
