"""The exchanges' own A-share listings (SSE, SZSE, BSE): read their public answers and
say what changed since the listing the app had.

The shapes are those of the exchanges' listing pages, as akshare reads them
(``akshare/stock/stock_info.py``): SSE ``commonQuery.do`` JSON or JSONP with rows in
``result`` (``A_STOCK_CODE``, ``SEC_NAME_CN``, ``LIST_DATE``) and the page count in
``pageHelp``; the SZSE ``ShowReport`` workbook (CATALOGID 1110, tab1: 板块, A股代码,
A股简称, A股上市日期 …); BSE ``nqxxCnzq.do`` JSONP pages (``content`` rows with
``xxzqdm``, ``xxzqjc``, ``fxssrq``; ``totalPages``). One bad row costs that row; an
answer that is not of its shape is one :class:`ExchangeAnswerError`.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitor.core.symbols import Board, SymbolError, board_of, normalize

__all__ = [
    "EXCHANGES",
    "ExchangeAnswerError",
    "Listed",
    "ListingChanges",
    "Page",
    "clean_name",
    "compare",
    "implausible",
    "parse_bse",
    "parse_sse",
    "parse_szse_xlsx",
]

EXCHANGES = ("SSE", "SZSE", "BSE")
SUFFIX = {"SSE": "SH", "SZSE": "SZ", "BSE": "BJ"}
MAX_ROWS = 20_000  # far above any exchange's A-share count; more is not a listing
_MAX_XLSX_UNPACKED = 64 * 1024 * 1024  # a zip bomb is refused before it is read
_NAME_LEN = 16  # exchange short names are 4-8 characters; 扩位 names up to 16


class ExchangeAnswerError(ValueError):
    """An exchange's answer that is not a listing; the message says why, in one line."""


@dataclass(frozen=True, slots=True)
class Listed:
    """One listed A-share stock as an exchange lists it."""

    symbol: str  # canonical, e.g. 600519.SH
    name: str
    list_date: str = ""  # YYYY-MM-DD, or "" when the exchange gives none


@dataclass
class Page:
    """One answer of an exchange: its stocks, how many pages there are, rows skipped."""

    rows: list[Listed]
    pages: int = 1
    skipped: int = 0


@dataclass(frozen=True)
class ListingChanges:
    """What one refresh changed: new listings, delistings, new names (ST on or off …)."""

    new: list[Listed] = field(default_factory=list)
    delisted: list[tuple[str, str]] = field(default_factory=list)  # (symbol, last name)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (symbol, old, new)

    def __bool__(self) -> bool:
        return bool(self.new or self.delisted or self.renamed)

    def to_json(self) -> dict[str, Any]:
        return {
            "new": [[r.symbol, r.name, r.list_date] for r in self.new],
            "delisted": [list(d) for d in self.delisted],
            "renamed": [list(r) for r in self.renamed],
        }

    @classmethod
    def from_json(cls, data: object) -> ListingChanges:
        """Read what :meth:`to_json` wrote; malformed entries are skipped."""
        if not isinstance(data, dict):
            return cls()

        def rows(key: str, width: int) -> list[list[str]]:
            items = data.get(key)
            if not isinstance(items, list):
                return []
            return [
                [str(x)[:40] for x in item]
                for item in items[:MAX_ROWS]
                if isinstance(item, list)
                and len(item) == width
                and all(isinstance(x, str) for x in item)
            ]

        return cls(
            [Listed(*r) for r in rows("new", 3)],
            [(r[0], r[1]) for r in rows("delisted", 2)],
            [(r[0], r[1], r[2]) for r in rows("renamed", 3)],
        )


def clean_name(raw: object) -> str:
    """An exchange's name as the app shows it: HTML links and entities stripped
    (SZSE wraps names in ``<a><u>…</u></a>``), folded to half-width, no spaces, no
    control characters, bounded."""
    if not isinstance(raw, str):
        return ""
    text = html.unescape(re.sub(r"<[^>]{0,500}>", "", raw[:1000]))
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if ch.isprintable() and not ch.isspace())
    return text[:_NAME_LEN]


def _date(raw: object) -> str:
    """YYYY-MM-DD from ``20211115``, ``2021-11-15``, ``2021-11-15 00:00:00`` or a
    date/datetime cell; "" for anything else (``-``, empty, out of range)."""
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat() if 1990 <= raw.year <= 2100 else ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return ""
    m = re.fullmatch(r"\s*(\d{4})-?(\d{2})-?(\d{2})(?:[ T][\d:.]*)?\s*", raw[:40])
    if m is None:
        return ""
    try:
        day = dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return ""
    return day.isoformat() if 1990 <= day.year <= 2100 else ""


def _stock(code: object, exchange: str) -> str | None:
    """The canonical symbol of an A-share stock code listed on ``exchange``; None for
    anything else (B-shares, funds, a dash, HTML around the code is stripped)."""
    if isinstance(code, int) and not isinstance(code, bool):
        code = f"{code:06d}"  # a workbook cell read as a number: 1 is 000001
    if not isinstance(code, str):
        return None
    digits = re.sub(r"<[^>]{0,500}>", "", code[:200]).strip()
    if not re.fullmatch(r"\d{6}", digits):
        return None
    try:
        symbol = normalize(f"{digits}.{SUFFIX[exchange]}")
    except SymbolError:
        return None
    return (
        symbol if board_of(symbol) in (Board.MAIN, Board.CHINEXT, Board.STAR, Board.BSE) else None
    )


def _rows(exchange: str, items: Iterable[object], keys: tuple[str, ...]) -> Page:
    """Listed stocks from dict rows; ``keys`` are (code, name, date) field names, each
    tried in order where an exchange has used more than one."""
    code_keys, name_keys, date_keys = (k.split("|") for k in keys)
    rows: list[Listed] = []
    skipped = 0
    seen: set[str] = set()
    for item in items:
        if len(rows) + skipped >= MAX_ROWS:
            raise ExchangeAnswerError(f"{exchange}: more than {MAX_ROWS:,} rows")
        if not isinstance(item, dict):
            skipped += 1
            continue

        def first(names: list[str], row: dict[Any, Any] = item) -> object:
            for n in names:
                v = row.get(n)
                if v not in (None, "", "-"):
                    return v
            return None

        symbol = _stock(first(code_keys), exchange)
        name = clean_name(first(name_keys))
        if symbol is None or not name or symbol in seen:
            skipped += 1
            continue
        seen.add(symbol)
        rows.append(Listed(symbol, name, _date(first(date_keys))))
    return Page(rows, skipped=skipped)


def _json(text: str, exchange: str) -> Any:
    """JSON, or JSONP (``callback({...})``, ``null([...])``) unwrapped."""
    body = text.strip()
    m = re.match(r"^[\w$.]{0,64}\s*\((.*)\)\s*;?\s*$", body, re.S)
    if m is not None and not body.startswith(("{", "[")):
        body = m.group(1)
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise ExchangeAnswerError(f"{exchange}: the answer is not JSON") from None


def _count(value: object, default: int = 1) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= 10_000 else default


def parse_sse(text: str) -> Page:
    """One page of SSE ``commonQuery.do`` (sqlId COMMON_SSE_CP_GPJCTPZ_GPLB_GP_L)."""
    data = _json(text, "SSE")
    if not isinstance(data, dict):
        raise ExchangeAnswerError("SSE: the answer is not a query result")
    help_ = data.get("pageHelp")
    help_ = help_ if isinstance(help_, dict) else {}
    result = data.get("result")
    if not isinstance(result, list):
        result = help_.get("data")
    if not isinstance(result, list):
        raise ExchangeAnswerError("SSE: the answer has no result rows")
    page = _rows(
        "SSE",
        (r for r in result if not (isinstance(r, dict) and _date(r.get("DELIST_DATE")))),
        (
            "A_STOCK_CODE|SECURITY_CODE_A",
            "SEC_NAME_CN|SECURITY_ABBR_A|COMPANY_ABBR",
            "LIST_DATE|LISTING_DATE",
        ),
    )
    page.pages = _count(help_.get("pageCount"))
    return page


def parse_bse(text: str) -> Page:
    """One page of BSE ``nqxxCnzq.do`` (JSONP ``null([{content, totalPages …}])``)."""
    data = _json(text, "BSE")
    if isinstance(data, list) and data:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        raise ExchangeAnswerError("BSE: the answer has no content rows")
    page = _rows("BSE", data["content"], ("xxzqdm", "xxzqjc", "fxssrq|xxgprq"))
    page.pages = _count(data.get("totalPages"))
    return page


_SZSE_HEADERS = {
    "code": ("A股代码", "证券代码"),
    "name": ("A股简称", "证券简称"),
    "date": ("A股上市日期", "上市日期"),
}


def parse_szse_xlsx(data: bytes) -> Page:
    """The SZSE A-share list workbook (``ShowReport?SHOWTYPE=xlsx&CATALOGID=1110&TABKEY=tab1``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > _MAX_XLSX_UNPACKED:
                raise ExchangeAnswerError("SZSE: the workbook unpacks to more than 64 MB")
    except zipfile.BadZipFile:
        raise ExchangeAnswerError("SZSE: the answer is not a workbook (xlsx)") from None
    import openpyxl  # only when refreshing: the app never needs it otherwise

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a damaged workbook
        raise ExchangeAnswerError(f"SZSE: unreadable workbook ({type(e).__name__})") from None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            raise ExchangeAnswerError("SZSE: the workbook has no sheet")
        lines = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(lines, ())]
        where: dict[str, int] = {}
        for key, names in _SZSE_HEADERS.items():
            for n in names:
                if n in header:
                    where[key] = header.index(n)
                    break
        if "code" not in where or "name" not in where:
            raise ExchangeAnswerError("SZSE: the workbook has no A股代码/A股简称 columns")

        def cell(line: Sequence[object], key: str) -> object:
            i = where.get(key)
            return line[i] if i is not None and i < len(line) else None

        items = (
            {"code": cell(line, "code"), "name": cell(line, "name"), "date": cell(line, "date")}
            for line in lines
        )
        return _rows("SZSE", items, ("code", "name", "date"))
    finally:
        book.close()


def implausible(exchange: str, fetched: int, before: int) -> str | None:
    """Why a refreshed count cannot be right (a partial or broken answer), or None.

    An exchange's listing grows or shrinks by a few stocks a week; an answer with far
    fewer stocks than before is a broken page, not a mass delisting.
    """
    if fetched == 0:
        return f"{exchange} listed no A-shares"
    if before >= 100 and fetched < before * 0.9:
        return f"{exchange} listed {fetched:,} A-shares where {before:,} were listed"
    return None


def compare(before: Mapping[str, str], after: Sequence[Listed]) -> ListingChanges:
    """New listings, delistings and renames from ``before`` (symbol -> name) to ``after``."""
    now = {r.symbol: r for r in after}
    new = [r for r in after if r.symbol not in before]
    gone = [(s, n) for s, n in before.items() if s not in now]
    renamed = [
        (s, before[s], r.name) for s, r in now.items() if s in before and before[s] != r.name
    ]
    return ListingChanges(sorted(new, key=lambda r: r.symbol), sorted(gone), sorted(renamed))
