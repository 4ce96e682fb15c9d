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
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

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
_MAX_XLSX_PART = 16 * 1024 * 1024  # a zip bomb is refused before it is read
_MAX_STRINGS = 200_000  # the real workbook has ~30,000 distinct texts
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
    raw: int = 0  # rows in the answer, whatever they were
    total: int | None = None  # rows the exchange says the whole answer has (all pages)


@dataclass(frozen=True)
class ListingChanges:
    """What one refresh changed: new listings, delistings, new names (ST on or off …)."""

    new: list[Listed] = field(default_factory=list)
    delisted: list[tuple[str, str]] = field(default_factory=list)  # (symbol, last name)
    renamed: list[tuple[str, str, str]] = field(default_factory=list)  # (symbol, old, new)
    added: list[Listed] = field(default_factory=list)  # listed earlier, new to the app
    since: str = ""  # the date of the listing compared with

    def __bool__(self) -> bool:
        return bool(self.new or self.delisted or self.renamed or self.added)

    def to_json(self) -> dict[str, Any]:
        return {
            "new": [[r.symbol, r.name, r.list_date] for r in self.new],
            "delisted": [list(d) for d in self.delisted],
            "renamed": [list(r) for r in self.renamed],
            "added": [[r.symbol, r.name, r.list_date] for r in self.added],
            "since": self.since,
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

        since = data.get("since")
        return cls(
            [Listed(*r) for r in rows("new", 3)],
            [(r[0], r[1]) for r in rows("delisted", 2)],
            [(r[0], r[1], r[2]) for r in rows("renamed", 3)],
            [Listed(*r) for r in rows("added", 3)],
            since if isinstance(since, str) and _date(since) == since else "",
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


_ROW_FIELDS = frozenset(
    [
        "A_STOCK_CODE",
        "SECURITY_CODE_A",
        "SEC_NAME_CN",
        "SECURITY_ABBR_A",
        "COMPANY_ABBR",
        "LIST_DATE",
        "LISTING_DATE",
        "DELIST_DATE",
        "xxzqdm",
        "xxzqjc",
        "fxssrq",
        "xxgprq",
    ]
)


def _slim(d: dict[str, Any]) -> dict[str, Any]:
    """A listing row keeps only the fields read: the exchanges send ~25 per row, and
    a day's refresh should not leave the window holding their memory."""
    if "A_STOCK_CODE" in d or "xxzqdm" in d or "SECURITY_CODE_A" in d:
        return {k: v for k, v in d.items() if k in _ROW_FIELDS}
    return d


def _json(text: str, exchange: str) -> Any:
    """JSON, or JSONP (``callback({...})``, ``null([...])``) unwrapped."""
    start = len(text) - len(text.lstrip())
    if text[start : start + 1] not in ("{", "["):  # callback( … ) — sliced once, not copied
        m = re.match(r"\s*[\w$.]{0,64}\s*\(", text)
        end = text.rfind(")")
        if m is not None and end > m.end():
            text = text[m.end() : end]
    try:
        return json.loads(text, object_hook=_slim)
    except (ValueError, RecursionError):
        raise ExchangeAnswerError(f"{exchange}: the answer is not JSON") from None


def _count(value: object, default: int | None = 1, top: int = 10_000) -> int | None:
    if isinstance(value, bool):
        return default
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 9:
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= top else default


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
    page.pages = _count(help_.get("pageCount")) or 1
    page.raw, page.total = len(result), _count(help_.get("total"), None, MAX_ROWS)
    return page


def parse_bse(text: str) -> Page:
    """One page of BSE ``nqxxCnzq.do`` (JSONP ``null([{content, totalPages …}])``)."""
    data = _json(text, "BSE")
    if isinstance(data, list) and data:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        raise ExchangeAnswerError("BSE: the answer has no content rows")
    page = _rows("BSE", data["content"], ("xxzqdm", "xxzqjc", "fxssrq|xxgprq"))
    page.pages = _count(data.get("totalPages")) or 1
    page.raw, page.total = len(data["content"]), _count(data.get("totalElements"), None, MAX_ROWS)
    return page


_SZSE_HEADERS = {
    "code": ("A股代码", "证券代码"),
    "name": ("A股简称", "证券简称"),
    "date": ("A股上市日期", "上市日期"),
}
_X = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of a workbook's date serials


def _column(ref: str) -> int:
    """0-based column of a cell reference (``B7`` -> 1)."""
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + (ord(ch.upper()) - 64)
    return n - 1


def _workbook_rows(data: bytes, exchange: str) -> Iterator[list[object]]:
    """The first sheet's rows (strings, numbers, None) of an xlsx workbook, streamed.

    Reads the two parts a listing needs (shared strings, the first worksheet) with the
    standard library: openpyxl would cost the window 13 MB for one read a day.
    """
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ExchangeAnswerError(f"{exchange}: the answer is not a workbook (xlsx)") from None
    with z:
        if any(i.file_size > _MAX_XLSX_PART for i in z.infolist()) or len(z.infolist()) > 100:
            raise ExchangeAnswerError(f"{exchange}: the workbook unpacks to more than 16 MB")
        names = set(z.namelist())
        sheets = sorted(
            (n for n in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
            key=lambda n: int(re.sub(r"\D", "", n)),
        )
        if not sheets:
            raise ExchangeAnswerError(f"{exchange}: the workbook has no sheet")
        strings: list[str] = []
        try:
            if "xl/sharedStrings.xml" in names:
                for el in _elements(z, "xl/sharedStrings.xml", _X + "si", exchange):
                    strings.append(_text(el)[:200])
                    if len(strings) > _MAX_STRINGS:
                        raise ExchangeAnswerError(f"{exchange}: too many texts in the workbook")
            for el in _elements(z, sheets[0], _X + "row", exchange):
                row: list[object] = []
                for n, c in enumerate(el.iter(_X + "c")):
                    if n >= 1000:
                        raise ExchangeAnswerError(f"{exchange}: a workbook row of over 1,000 cells")
                    col = _column(c.get("r", "")) if c.get("r") else len(row)
                    if not 0 <= col < 200:
                        continue
                    row += [None] * (col + 1 - len(row))
                    row[col] = _cell(c, strings)
                yield row
        except ExchangeAnswerError:
            raise
        except (
            ElementTree.ParseError,
            KeyError,
            ValueError,
            zipfile.BadZipFile,
            zlib.error,
            EOFError,
            OSError,
            RuntimeError,  # an encrypted part
            NotImplementedError,  # a compression zipfile does not know
        ) as e:
            raise ExchangeAnswerError(
                f"{exchange}: unreadable workbook ({type(e).__name__})"
            ) from None


def _elements(
    z: zipfile.ZipFile, part: str, tag: str, exchange: str
) -> Iterator[ElementTree.Element]:
    """The ``tag`` elements of one part, each dropped once handed on, and every other
    element at the top levels dropped as it ends: a part of millions of empty
    elements must not grow a tree. A DTD (entity tricks) is refused outright."""
    data = z.read(part)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ExchangeAnswerError(f"{exchange}: the workbook declares a DTD")
    stack: list[ElementTree.Element] = []
    for event, el in ElementTree.iterparse(io.BytesIO(data), events=("start", "end")):
        if event == "start":
            stack.append(el)
            continue
        stack.pop()
        inside = any(e.tag == tag for e in stack)
        if el.tag == tag:
            yield el
        if el.tag == tag or (not inside and stack):
            el.clear()
            stack[-1].remove(el) if stack else None


def _text(si: ElementTree.Element) -> str:
    """A shared string: its text, or its rich-text runs — not the phonetic (rPh) runs."""
    direct = si.findall(_X + "t")
    runs = direct or si.findall(f"{_X}r/{_X}t")
    return "".join(t.text or "" for t in runs)


def _cell(c: ElementTree.Element, strings: list[str]) -> object:
    kind = c.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(_X + "t"))
    v = c.find(_X + "v")
    text = v.text if v is not None else None
    if text is None:
        return None
    if kind == "s":
        i = int(text) if text.isascii() and text.isdigit() and len(text) < 9 else -1
        return strings[i] if 0 <= i < len(strings) else None
    if kind in ("str", "b", "e", "d"):
        return text
    try:
        number = float(text[:40])
    except ValueError:
        return None
    return int(number) if number.is_integer() and abs(number) < 1e15 else number


def parse_szse_xlsx(data: bytes) -> Page:
    """The SZSE A-share list workbook (``ShowReport?SHOWTYPE=xlsx&CATALOGID=1110&TABKEY=tab1``)."""
    lines = _workbook_rows(data, "SZSE")
    first = next(lines, None)
    header = [str(h).strip() if h is not None else "" for h in first or ()]
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
        value = line[i] if i is not None and i < len(line) else None
        if key == "date" and isinstance(value, int | float) and 20_000 < value < 80_000:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))  # a date-formatted cell
        return value

    items = (
        {"code": cell(line, "code"), "name": cell(line, "name"), "date": cell(line, "date")}
        for line in lines
    )
    try:
        page = _rows("SZSE", items, ("code", "name", "date"))
    except (ValueError, IndexError, OverflowError) as e:
        if isinstance(e, ExchangeAnswerError):
            raise
        raise ExchangeAnswerError(f"SZSE: unreadable workbook ({type(e).__name__})") from None
    page.raw = len(page.rows) + page.skipped
    return page


def implausible(
    exchange: str, page: Page, before: int, *, recent: bool = False, missing: int = 0
) -> str | None:
    """Why an exchange's whole answer cannot be its listing (a partial or broken one),
    or None. ``before``: how many stocks it listed before; ``recent``: that list is a
    refresh of the last weeks, so only a few stocks can have gone since; ``missing``:
    how many of them the answer lacks.

    An exchange's listing changes by a few stocks a week; an answer with fewer rows
    than it announced, far fewer stocks than before, or dozens gone at once is a broken
    page, not a mass delisting.
    """
    fetched = len(page.rows)
    if fetched == 0:
        return f"{exchange} listed no A-shares"
    if page.total is not None and page.raw != page.total:
        return f"{exchange} announced {page.total:,} rows but {page.raw:,} arrived"
    if before >= 100 and fetched < before * 0.9:
        return f"{exchange} listed {fetched:,} A-shares where {before:,} were listed"
    if recent and missing > max(30, before // 50):
        return f"{exchange} no longer lists {missing:,} A-shares at once"
    return None


def compare(before: Mapping[str, str], after: Sequence[Listed], since: str = "") -> ListingChanges:
    """New listings, delistings and renames from ``before`` (symbol -> name), a listing
    as of ``since``, to ``after``. A stock new to the app but listed before ``since`` (a
    code the old listing lacked) is ``added``, not a new listing."""
    now = {r.symbol: r for r in after}
    fresh = sorted((r for r in after if r.symbol not in before), key=lambda r: r.symbol)
    new = [r for r in fresh if not (since and r.list_date and r.list_date < since)]
    added = [r for r in fresh if since and r.list_date and r.list_date < since]
    gone = [(s, n) for s, n in before.items() if s not in now]
    renamed = [
        (s, before[s], r.name) for s, r in now.items() if s in before and before[s] != r.name
    ]
    return ListingChanges(new, sorted(gone), sorted(renamed), added, since)
