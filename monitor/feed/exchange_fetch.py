"""Fetch the A-share listing from the three exchanges' public listing endpoints.

The requests are those the exchanges' own listing pages make (as akshare sends them):
SSE ``commonQuery.do`` for main-board (STOCK_TYPE 1) and STAR (8) stocks, paged, with
the Referer the SSE requires; the SZSE A-share workbook in one request; BSE's paged
``nqxxCnzq.do`` form POST. Requests to one exchange are spaced ``spacing`` seconds
apart. Blocking (urllib): run :func:`fetch_exchange` in a worker thread.
"""

from __future__ import annotations

import logging
import random
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from monitor.core.exchange_listing import (
    ExchangeAnswerError,
    Listed,
    Page,
    parse_bse,
    parse_sse,
    parse_szse_xlsx,
)
from monitor.feed.http import HttpError, fetch_bytes

__all__ = ["ExchangeEndpoints", "ExchangeResult", "fetch_exchange"]

log = logging.getLogger(__name__)

_BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124 Safari/537.36"
)
_MAX_PAGES = 200
_MAX_BODY = 16 << 20


@dataclass(frozen=True)
class ExchangeEndpoints:
    """Where each exchange answers; the defaults are the exchanges' own."""

    sse: str = "https://query.sse.com.cn/sseQuery/commonQuery.do"
    szse: str = "https://www.szse.cn/api/report/ShowReport"
    bse: str = "https://www.bse.cn/nqxxController/nqxxCnzq.do"

    def of(self, exchange: str) -> str:
        return {"SSE": self.sse, "SZSE": self.szse, "BSE": self.bse}[exchange]


@dataclass(frozen=True)
class ExchangeResult:
    """One exchange's listing, or why there is none: ``kind`` "unreachable" (no
    answer) or "not_a_listing" (an answer that is not its list), ``error`` in detail."""

    exchange: str
    page: Page | None
    error: str = ""
    kind: str = ""
    requests: int = 0

    @property
    def rows(self) -> list[Listed] | None:
        return self.page.rows if self.page is not None else None


class _Client:
    """Spaced requests to one exchange; raw answers optionally kept for fixtures."""

    def __init__(
        self,
        spacing: float,
        deadline: float,
        record_to: Path | None,
        ca_file: str | None,
    ) -> None:
        self.ca_file = ca_file
        self.spacing = spacing
        self.deadline = deadline
        self.record_to = record_to
        self.requests = 0
        self._last = 0.0

    def get(self, url: str, *, data: bytes | None = None, referer: str = "", name: str) -> bytes:
        wait = self._last + self.spacing - time.monotonic()
        if self.requests and wait > 0:
            time.sleep(wait)
        headers = {"User-Agent": _BROWSER, "Accept": "*/*"}
        if referer:
            headers["Referer"] = referer
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8"
        self.requests += 1
        try:
            body = fetch_bytes(
                url,
                data=data,
                headers=headers,
                deadline=self.deadline,
                max_body=_MAX_BODY,
                ca_file=self.ca_file,
            )
        finally:
            self._last = time.monotonic()
        if self.record_to is not None:
            self.record_to.mkdir(parents=True, exist_ok=True)
            (self.record_to / name).write_bytes(body)
        return body


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _paged(client: _Client, fetch_page: Callable[[int], Page], first: int) -> Page:
    """Every page, from ``first`` up to the count the first page announces; ``raw``
    counts every row that arrived, ``total`` is what the first page announced."""
    page = fetch_page(first)
    rows, skipped, raw = list(page.rows), page.skipped, page.raw
    pages = min(page.pages, _MAX_PAGES)
    for n in range(first + 1, first + pages):
        more = fetch_page(n)
        rows += more.rows
        skipped += more.skipped
        raw += more.raw
    return Page(rows, pages, skipped, raw, page.total)


def _sse(client: _Client, url: str) -> Page:
    referer = "https://www.sse.com.cn/assortment/stock/list/share/"
    rows: list[Listed] = []
    skipped = raw = total = 0
    announced = True
    for stock_type in ("1", "8"):  # main board A-shares, then the STAR market

        def page(n: int, stock_type: str = stock_type) -> Page:
            query = {
                "sqlId": "COMMON_SSE_CP_GPJCTPZ_GPLB_GP_L",
                "STOCK_TYPE": stock_type,
                "COMPANY_STATUS": "2,4,5,7,8",
                "type": "inParams",
                "isPagination": "true",
                "pageHelp.cacheSize": "1",
                "pageHelp.beginPage": str(n),
                "pageHelp.pageSize": "2000",
                "pageHelp.pageNo": str(n),
                "pageHelp.endPage": str(n),
                "REG_PROVINCE": "",
                "CSRC_CODE": "",
                "STOCK_CODE": "",
            }
            full = f"{url}?{urllib.parse.urlencode(query)}"
            body = client.get(full, referer=referer, name=f"sse-{stock_type}-p{n}.json")
            return parse_sse(_text(body))

        got = _paged(client, page, 1)
        rows += got.rows
        skipped += got.skipped
        raw += got.raw
        total += got.total or 0
        announced = announced and got.total is not None
    return Page(rows, skipped=skipped, raw=raw, total=total if announced else None)


def _szse(client: _Client, url: str) -> Page:
    query = {
        "SHOWTYPE": "xlsx",
        "CATALOGID": "1110",
        "TABKEY": "tab1",
        "random": f"{random.random():.16f}",  # a cache-buster, as the page sends
    }
    body = client.get(f"{url}?{urllib.parse.urlencode(query)}", name="szse-1110-tab1.xlsx")
    return parse_szse_xlsx(body)


def _bse(client: _Client, url: str) -> Page:
    def page(n: int) -> Page:
        form = {
            "page": str(n),
            "typejb": "T",
            "xxfcbj[]": "2",
            "xxzqdm": "",
            "sortfield": "xxzqdm",
            "sorttype": "asc",
        }
        data = urllib.parse.urlencode(form).encode()
        body = client.get(url, data=data, referer="https://www.bse.cn/", name=f"bse-p{n}.txt")
        return parse_bse(_text(body))

    return _paged(client, page, 0)


_FETCHERS: dict[str, Callable[[_Client, str], Page]] = {"SSE": _sse, "SZSE": _szse, "BSE": _bse}


def fetch_exchange(
    exchange: str,
    endpoints: ExchangeEndpoints,
    *,
    spacing: float = 0.5,
    deadline: float = 20.0,
    record_to: Path | None = None,
    ca_file: str | None = None,
) -> ExchangeResult:
    """One exchange's A-share listing; an unreachable exchange or a broken answer is an
    :class:`ExchangeResult` with no page and a one-line ``error``. Never raises."""
    client = _Client(spacing, deadline, record_to, ca_file)
    try:
        page = _FETCHERS[exchange](client, endpoints.of(exchange))
    except HttpError as e:
        log.info("listing refresh: %s", e)
        return ExchangeResult(exchange, None, str(e), "unreachable", client.requests)
    except ExchangeAnswerError as e:
        log.info("listing refresh: %s", e)
        return ExchangeResult(exchange, None, str(e), "not_a_listing", client.requests)
    except Exception as e:  # a bug must cost this exchange's refresh, not the app
        log.exception("listing refresh: %s failed", exchange)
        detail = f"{exchange}: {type(e).__name__}: {e}"[:300]
        return ExchangeResult(exchange, None, detail, "not_a_listing", client.requests)
    return ExchangeResult(exchange, page, requests=client.requests)
