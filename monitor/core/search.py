"""Quick search (键盘精灵): find symbols by code, Chinese name or pinyin initials.

Every polyphonic reading counts: 重庆 matches both ``cq`` and ``zq``, 银行 both ``yh`` and
``yx``. The index is built once per symbol master (pypinyin's dictionary, no network);
a query is one pass over precomputed strings, ranked: exact code, code prefix, initials
prefix, name prefix, then substring matches.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass

from monitor.core.master import SymbolMaster

__all__ = ["Match", "SymbolIndex", "initials"]

_MAX_READINGS = 16  # cap the product of readings for names full of polyphonic characters


def initials(name: str, table: Mapping[str, str] | None = None) -> list[str]:
    """All pinyin-initial spellings of ``name`` (lower case), e.g. 重庆 -> ['cq', 'zq'].

    ``table`` maps each Chinese character to the initials of all its readings (the
    app ships one, built with pypinyin); without it pypinyin itself is asked, and
    without that names are found by code and name only.
    """
    if table is None:
        try:
            from pypinyin import Style, pinyin
        except ImportError:
            return []

        def letters(ch: str) -> list[str]:
            readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0]
            return sorted({r.lower() for r in readings if r}) or [ch]
    else:

        def letters(ch: str) -> list[str]:
            return list(table.get(ch, ch))

    per_char: list[list[str]] = []
    for ch in name:
        if "\u4e00" <= ch <= "\u9fff":
            per_char.append(letters(ch))
        elif ch.isalnum():
            per_char.append([ch.lower()])
    out = ["".join(p) for p in itertools.islice(itertools.product(*per_char), _MAX_READINGS)]
    return sorted(set(out))


@dataclass(frozen=True, slots=True)
class Match:
    symbol: str
    name: str
    rank: int  # lower is better


class SymbolIndex:
    """Search over a symbol master; ``table`` as for :func:`initials`."""

    def __init__(self, master: SymbolMaster, table: Mapping[str, str] | None = None) -> None:
        # Readings joined as "\0cq\0zq": a prefix test is one substring search in C.
        self._entries: list[tuple[str, str, str, str, str]] = []
        for info in sorted(master, key=lambda i: i.symbol):  # results come out in code order
            readings = info.initials or initials(info.name, table)
            joined = "".join("\0" + i for i in readings)
            self._entries.append(
                (info.symbol, info.symbol[:6], info.name, info.name.lower(), joined)
            )

    def __len__(self) -> int:
        return len(self._entries)

    def search(self, query: str, limit: int = 20) -> list[Match]:
        q = query.strip().lower()
        if not q:
            return []
        digits = q.isdigit()
        q0 = "\0" + q
        sym_q = q.upper()
        # One bucket per rank, filled in code order: no sort, and no object per match
        # (a one-letter query matches most of the market).
        buckets: list[list[tuple[str, str]]] = [[] for _ in range(7)]
        for symbol, code, name, lname, inits in self._entries:
            if digits:
                if code == q:
                    buckets[0].append((symbol, name))
                elif code.startswith(q):
                    buckets[1].append((symbol, name))
                elif q in code:
                    buckets[6].append((symbol, name))
            elif q0 in inits:
                buckets[2].append((symbol, name))
            elif q in lname:
                buckets[3 if lname.startswith(q) else 4].append((symbol, name))
            elif q in inits:
                buckets[5].append((symbol, name))
            elif symbol == sym_q:
                buckets[0].append((symbol, name))
        out: list[Match] = []
        for rank, bucket in enumerate(buckets):
            for symbol, name in bucket[: limit - len(out)]:
                out.append(Match(symbol, name, rank))
            if len(out) >= limit:
                break
        return out
