"""Quick search (键盘精灵): find symbols by code, Chinese name or pinyin initials.

Every polyphonic reading counts: 重庆 matches both ``cq`` and ``zq``, 银行 both ``yh`` and
``yx``. The index is built once per symbol master (pypinyin's dictionary, no network);
a query is one pass over precomputed strings, ranked: exact code, code prefix, initials
prefix, name prefix, then substring matches.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from pypinyin import Style, pinyin

from monitor.core.master import SymbolMaster

__all__ = ["Match", "SymbolIndex", "initials"]

_MAX_READINGS = 16  # cap the product of readings for names full of polyphonic characters


def initials(name: str) -> list[str]:
    """All pinyin-initial spellings of ``name`` (lower case), e.g. 重庆 -> ['cq', 'zq']."""
    per_char: list[list[str]] = []
    for ch in name:
        if "\u4e00" <= ch <= "\u9fff":
            readings = pinyin(ch, style=Style.FIRST_LETTER, heteronym=True)[0]
            per_char.append(sorted({r.lower() for r in readings if r}) or [ch])
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
    def __init__(self, master: SymbolMaster) -> None:
        # Readings joined as "\0cq\0zq": a prefix test is one substring search in C.
        self._entries: list[tuple[str, str, str, str, str]] = []
        for info in master:
            joined = "".join("\0" + i for i in initials(info.name))
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
        found: list[Match] = []
        for symbol, code, name, lname, inits in self._entries:
            rank = -1
            if digits:
                if code == q:
                    rank = 0
                elif code.startswith(q):
                    rank = 1
                elif q in code:
                    rank = 6
            elif q0 in inits:
                rank = 2
            elif q in lname:
                rank = 3 if lname.startswith(q) else 4
            elif q in inits:
                rank = 5
            elif symbol == sym_q:
                rank = 0
            if rank >= 0:
                found.append(Match(symbol, name, rank))
        found.sort(key=lambda m: (m.rank, m.symbol))
        return found[:limit]
