"""A-share symbol parsing, exchange inference, boards and price limits.

Every form people type or paste (``600519``, ``600519.SH``, ``sh600519``,
``SH.600519`` ...) is normalised to one canonical key ``NNNNNN.SH|SZ|BJ``. The
suffix is always kept, because ``000001.SH`` (SSE Composite index) and
``000001.SZ`` (Ping An Bank) are different instruments.
"""

from __future__ import annotations

import enum
import json
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitor.core.errors import UserError

__all__ = [
    "Board",
    "Exchange",
    "ParseReport",
    "SymbolError",
    "board_of",
    "is_valid",
    "limit_prices",
    "normalize",
    "parse_many",
    "split_tokens",
]


class SymbolError(UserError):
    """A token that is not an A-share symbol; ``token`` is what the user typed."""

    def __init__(self, token: str, template: str, *params: object) -> None:
        super().__init__(template, *params)
        self.token = token
        self.reason = template.format(*params)

    def __str__(self) -> str:
        return f"{self.token!r}: {self.reason}"


class Exchange(enum.StrEnum):
    SH = "SH"
    SZ = "SZ"
    BJ = "BJ"


class Board(enum.StrEnum):
    """Listing board; decides the daily price-limit rule."""

    MAIN = "main"
    CHINEXT = "chinext"
    STAR = "star"
    BSE = "bse"
    FUND = "fund"
    INDEX = "index"


# Three-digit prefixes per exchange and board. Order matters only for documentation.
_PREFIXES: dict[tuple[Exchange, str], Board] = {}
for _p in ("600", "601", "603", "605"):
    _PREFIXES[(Exchange.SH, _p)] = Board.MAIN
for _p in ("688", "689"):
    _PREFIXES[(Exchange.SH, _p)] = Board.STAR
for _p in (
    "510",
    "511",
    "512",
    "513",
    "515",
    "516",
    "517",
    "518",
    "560",
    "561",
    "562",
    "563",
    "588",
):
    _PREFIXES[(Exchange.SH, _p)] = Board.FUND
for _p in ("000",):
    _PREFIXES[(Exchange.SH, _p)] = Board.INDEX
for _p in ("000", "001", "002", "003"):
    _PREFIXES[(Exchange.SZ, _p)] = Board.MAIN
for _p in ("300", "301", "302"):
    _PREFIXES[(Exchange.SZ, _p)] = Board.CHINEXT
for _p in ("159",):
    _PREFIXES[(Exchange.SZ, _p)] = Board.FUND
for _p in ("399",):
    _PREFIXES[(Exchange.SZ, _p)] = Board.INDEX
_PREFIXES[(Exchange.BJ, "920")] = Board.BSE
_PREFIXES[(Exchange.BJ, "899")] = Board.INDEX  # 北证50 899050.BJ

# Which exchange a bare six-digit code belongs to. A bare 000xxx is the SZSE stock,
# as every broker reads it; the SSE index needs its explicit suffix.
_BARE: dict[str, Exchange] = {}
for (_ex, _p), _b in _PREFIXES.items():
    if _b is not Board.INDEX or _p == "399":
        _BARE.setdefault(_p, _ex)

_RETIRED_BSE = ("43", "83", "87", "40")

_FORM = re.compile(
    r"""^\s*(?:
        (?P<pre>SH|SZ|BJ)[.\-_ ]?(?P<code1>\d{6})        # sh600519, SH.600519
      | (?P<code2>\d{6})(?:[.\-_ ]?(?P<suf>SH|SZ|BJ|SS|XSHG|XSHE|BSE))?  # 600519.SH, 600519.XSHG
    )\s*$""",
    re.IGNORECASE | re.VERBOSE | re.ASCII,
)
_SUFFIX_ALIASES = {"SS": "SH", "XSHG": "SH", "XSHE": "SZ", "BSE": "BJ"}


def normalize(token: str) -> str:
    """Return the canonical ``NNNNNN.EX`` form of ``token`` or raise :class:`SymbolError`."""
    if not isinstance(token, str):
        raise SymbolError(repr(token), "not text")
    # NFKC turns full-width input (６００５１９．ＳＨ, common with Chinese IMEs) into ASCII.
    token = unicodedata.normalize("NFKC", token)
    m = _FORM.match(token)
    if m is None:
        shown = token.strip() or token
        if not shown.strip():
            raise SymbolError(token, "empty")
        digits = re.sub(r"\D", "", shown)
        if digits and len(digits) != 6 and len(digits) == len(shown):
            raise SymbolError(shown, "A-share codes have 6 digits, this has {0}", len(digits))
        raise SymbolError(shown, "not an A-share code (expected e.g. 600519, 600519.SH, sh600519)")
    code = m.group("code1") or m.group("code2")
    ex_text = (m.group("pre") or m.group("suf") or "").upper()
    ex_text = _SUFFIX_ALIASES.get(ex_text, ex_text)
    prefix = code[:3]
    if prefix == "900":
        raise SymbolError(token.strip(), "an SSE B-share (USD), not an A-share")
    if prefix == "200":
        raise SymbolError(token.strip(), "an SZSE B-share (HKD), not an A-share")
    if not ex_text:
        if code[:2] in _RETIRED_BSE:
            raise SymbolError(
                token.strip(), "old BSE code: BSE stocks moved to 920xxx on 2025-10-09"
            )
        exchange = _BARE.get(prefix)
        if exchange is None:
            raise SymbolError(token.strip(), "no A-share board uses the prefix {0}", prefix)
        return f"{code}.{exchange.value}"
    exchange = Exchange(ex_text)
    if (exchange, prefix) not in _PREFIXES:
        if exchange is Exchange.BJ and code[:2] in _RETIRED_BSE:
            raise SymbolError(
                token.strip(), "old BSE code: BSE stocks moved to 920xxx on 2025-10-09"
            )
        raise SymbolError(
            token.strip(), "{0}xxx codes are not listed on {1}", prefix, exchange.value
        )
    return f"{code}.{exchange.value}"


def is_valid(token: str) -> bool:
    """True when :func:`normalize` accepts ``token``."""
    try:
        normalize(token)
    except SymbolError:
        return False
    return True


def board_of(symbol: str) -> Board:
    """Board of a canonical symbol (``normalize`` first)."""
    code, _, ex = symbol.partition(".")
    try:
        return _PREFIXES[(Exchange(ex), code[:3])]
    except (KeyError, ValueError):
        raise SymbolError(symbol, "not a canonical symbol (use normalize first)") from None


_CENT = Decimal("0.01")


def limit_prices(prev_close: float, pct: float | None) -> tuple[float, float] | None:
    """Limit-up and limit-down prices, ``prev_close * (1 ± pct)`` rounded half-up to 0.01."""
    if pct is None or not prev_close > 0:
        return None
    base = Decimal(str(prev_close))
    p = Decimal(str(pct))
    up = (base * (1 + p)).quantize(_CENT, rounding=ROUND_HALF_UP)
    down = (base * (1 - p)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return float(up), float(down)


_SPLIT = re.compile(r"[\s,;，；、|]+")


def split_tokens(text: str) -> list[str]:
    """Split a pasted block into tokens: lines, commas, spaces, or a JSON array."""
    stripped = text.strip()
    if stripped.startswith("["):
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if isinstance(data, list):
            return [str(x).strip() for x in data if str(x).strip()]
    return [t.strip("\"'[]") for t in _SPLIT.split(stripped) if t.strip("\"'[]")]


@dataclass(frozen=True, slots=True)
class ParseReport:
    """Outcome of parsing many tokens: accepted symbols in order, duplicates, errors."""

    symbols: tuple[str, ...]
    duplicates: tuple[str, ...]
    errors: tuple[SymbolError, ...]


def parse_many(text_or_tokens: str | list[str], *, limit: int = 20_000) -> ParseReport:
    """Normalise many tokens, keeping order, reporting duplicates and errors per token."""
    tokens = split_tokens(text_or_tokens) if isinstance(text_or_tokens, str) else text_or_tokens
    seen: set[str] = set()
    out: list[str] = []
    dups: list[str] = []
    errors: list[SymbolError] = []
    for i, tok in enumerate(tokens):
        if i >= limit:
            errors.append(
                SymbolError(f"({len(tokens) - limit} more)", "over {0} entries", f"{limit:,}")
            )
            break
        try:
            sym = normalize(tok)
        except SymbolError as e:
            errors.append(e)
            continue
        if sym in seen:
            dups.append(sym)
            continue
        seen.add(sym)
        out.append(sym)
    return ParseReport(tuple(out), tuple(dups), tuple(errors))
