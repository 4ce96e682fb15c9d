"""The three exchanges' listing endpoints, written from their public shapes — not from the app.

Nothing here imports ``monitor``. The requests and replies follow what the exchanges'
own listing pages exchange, as akshare (``akshare/stock/stock_info.py``) sends and reads
them; the SZSE envelope also matches a reply recorded in palmmicro/web
(``php/stock/szse.php``). The exchanges cannot be reached from the test machines, so the
replies are reconstructed, not recorded: field names and nesting as documented there,
contents from the rows a test gives.

- SSE ``GET /sseQuery/commonQuery.do``: ``sqlId=COMMON_SSE_CP_GPJCTPZ_GPLB_GP_L``,
  ``STOCK_TYPE`` 1 (main board) or 8 (STAR), ``pageHelp.pageNo``/``pageHelp.pageSize``
  (capped at ``sse_page_cap``). Without a ``Referer`` from sse.com.cn the SSE answers
  403, as it does to scripts that leave it out. Reply: JSON (JSONP with ``jsonCallBack``)
  with the rows in ``result`` and in ``pageHelp.data``, ``pageHelp.pageCount``. Rows:
  ``A_STOCK_CODE``, ``SEC_NAME_CN``, ``SEC_NAME_FULL``, ``COMPANY_ABBR``, ``LIST_DATE``
  (YYYYMMDD), ``DELIST_DATE`` ("-"), ``LIST_BOARD``, ``STOCK_TYPE`` and more.
- SZSE ``GET /api/report/ShowReport?SHOWTYPE=xlsx&CATALOGID=1110&TABKEY=tab1``: a
  workbook, one sheet, headers 板块, 公司全称, A股代码, A股简称, A股上市日期, A股总股本,
  A股流通股本, 所属行业 … (codes as text, or as numbers with ``szse_numeric_codes``).
- BSE ``POST /nqxxController/nqxxCnzq.do`` form ``page`` (from 0), ``typejb=T``,
  ``xxfcbj[]=2``, ``sortfield=xxzqdm``: ``null([{"content": [...], "totalPages": …,
  "totalElements": …, "number": page, "size": …}])``; rows ``xxzqdm``, ``xxzqjc``,
  ``fxssrq`` (YYYYMMDD), ``xxhyzl``, ``xxssdq`` …
- Requests from one client closer than ``min_interval`` s get 403 (the exchanges block
  scrapers that hammer them); ``broken[exchange]`` makes one exchange misbehave:
  ``"html"`` (a WAF page), ``"empty"`` (no rows), ``"garbage"``, ``"http500"``, ``"hang"``;
  ``drop_pages`` answers some SSE main-board pages with no rows (the total still counts
  them), ``damaged_codes`` sends some codes unreadable.
"""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import openpyxl


@dataclass(frozen=True)
class Row:
    """A listed stock as a test gives it: six-digit code, name, YYYYMMDD listing date."""

    code: str
    name: str
    listed: str = "20200102"


@dataclass
class Seen:
    exchange: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    at: float


@dataclass
class DocExchanges:
    sse: list[Row] = field(default_factory=list)
    szse: list[Row] = field(default_factory=list)
    bse: list[Row] = field(default_factory=list)
    sse_page_cap: int = 1000
    bse_page_size: int = 20
    min_interval: float = 0.0
    szse_numeric_codes: bool = False
    broken: dict[str, str] = field(default_factory=dict)
    drop_pages: dict[str, set[int]] = field(default_factory=dict)  # pages answered empty
    damaged_codes: dict[str, set[str]] = field(default_factory=dict)  # codes sent as "??"
    seen: list[Seen] = field(default_factory=list)
    refused: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> DocExchanges:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                owner._answer(self, b"")

            def do_POST(self) -> None:
                size = min(int(self.headers.get("Content-Length") or 0), 65536)
                owner._answer(self, self.rfile.read(size))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def urls(self) -> dict[str, str]:
        """The settings' ``listing_urls`` for this server."""
        return {
            "sse": f"{self.base}/sseQuery/commonQuery.do",
            "szse": f"{self.base}/api/report/ShowReport",
            "bse": f"{self.base}/nqxxController/nqxxCnzq.do",
        }

    def asked(self, exchange: str) -> list[Seen]:
        return [s for s in self.seen if s.exchange == exchange]

    # --- answering -----------------------------------------------------------------
    def _answer(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        url = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        form = dict(urllib.parse.parse_qsl(body.decode("latin-1"), keep_blank_values=True))
        exchange = {
            "/sseQuery/commonQuery.do": "SSE",
            "/api/report/ShowReport": "SZSE",
            "/nqxxController/nqxxCnzq.do": "BSE",
        }.get(url.path, "")
        seen = Seen(exchange, url.path, query, form, dict(h.headers.items()), time.monotonic())
        with self._lock:
            last = self._last.get(exchange)
            self._last[exchange] = seen.at
            too_soon = last is not None and seen.at - last < self.min_interval
            (self.refused if too_soon else self.seen).append(seen)
        if not exchange:
            return self._send(h, 404, b"not found", "text/plain")
        if too_soon:
            return self._send(h, 403, "<html>访问过于频繁</html>".encode(), "text/html")
        mode = self.broken.get(exchange, "")
        if mode == "hang":
            time.sleep(30)
            return None
        if mode == "http500":
            return self._send(h, 500, b"<html>500</html>", "text/html")
        if mode == "html":
            page = "<html><body><script>/* security check */</script></body></html>"
            return self._send(h, 200, page.encode(), "text/html")
        if mode == "garbage":
            return self._send(h, 200, b"\x00\xff{[not json", "application/json")
        if exchange == "SSE":
            return self._sse(h, query)
        if exchange == "SZSE":
            return self._szse(h, query)
        return self._bse(h, form)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes, kind: str) -> None:
        h.send_response(status)
        h.send_header("Content-Type", kind)
        h.send_header("Content-Length", str(len(body)))
        h.send_header("Connection", "close")
        h.end_headers()
        h.wfile.write(body)

    def _rows(self, exchange: str) -> list[Row]:
        rows = {"SSE": self.sse, "SZSE": self.szse, "BSE": self.bse}[exchange]
        return [] if self.broken.get(exchange) == "empty" else rows

    def _sse(self, h: BaseHTTPRequestHandler, q: dict[str, str]) -> None:
        if "sse.com.cn" not in h.headers.get("Referer", ""):
            return self._send(h, 403, b"<html>403 Forbidden</html>", "text/html")
        if q.get("sqlId") != "COMMON_SSE_CP_GPJCTPZ_GPLB_GP_L":
            return self._send(h, 200, b'{"result":[],"actionErrors":["sqlId"]}', "application/json")
        star = q.get("STOCK_TYPE") == "8"
        rows = [r for r in self._rows("SSE") if r.code.startswith("68") == star]
        size = max(1, min(int(q.get("pageHelp.pageSize") or 25), self.sse_page_cap))
        number = max(1, int(q.get("pageHelp.pageNo") or 1))
        chunk = rows[(number - 1) * size : number * size]
        if number in self.drop_pages.get("SSE", set()) and q.get("STOCK_TYPE") == "1":
            chunk = []
        damaged = self.damaged_codes.get("SSE", set())
        data = [
            {
                "A_STOCK_CODE": "??" if r.code in damaged else r.code,
                "AREA_NAME": "310000",
                "AREA_NAME_DESC": "上海市",
                "B_STOCK_CODE": "-",
                "COMPANY_ABBR": r.name.removeprefix("*ST").removeprefix("ST"),
                "COMPANY_ABBR_EN": "COMPANY",
                "COMPANY_CODE": r.code,
                "CSRC_CODE": "C",
                "CSRC_CODE_DESC": "制造业",
                "DELIST_DATE": "-",
                "FULL_NAME": f"{r.name}股份有限公司",
                "LIST_BOARD": "2" if star else "1",
                "LIST_DATE": r.listed,
                "NUM": str(i + 1),
                "PRODUCT_STATUS": "   F  N          ",
                "SEC_NAME_CN": r.name,
                "SEC_NAME_FULL": r.name,
                "STATE_CODE": "2",
                "STOCK_TYPE": "8" if star else "1",
            }
            for i, r in enumerate(chunk)
        ]
        pages = max(1, -(-len(rows) // size))
        reply: dict[str, Any] = {
            "actionErrors": [],
            "actionMessages": [],
            "fieldErrors": {},
            "isPagination": "true",
            "jsonCallBack": q.get("jsonCallBack"),
            "locale": "zh_CN",
            "pageHelp": {
                "beginPage": number,
                "cacheSize": 1,
                "data": data,
                "endDate": None,
                "endPage": number,
                "objectResult": None,
                "pageCount": pages,
                "pageNo": number,
                "pageSize": size,
                "searchDate": None,
                "sort": None,
                "startDate": None,
                "total": len(rows),
            },
            "result": data,
            "securityCode": "",
            "sqlId": "COMMON_SSE_CP_GPJCTPZ_GPLB_GP_L",
            "texts": None,
            "type": "inParams",
            "validateCode": "",
        }
        text = json.dumps(reply, ensure_ascii=False)
        if q.get("jsonCallBack"):
            text = f"{q['jsonCallBack']}({text})"
        return self._send(h, 200, text.encode(), "application/json;charset=UTF-8")

    def _szse(self, h: BaseHTTPRequestHandler, q: dict[str, str]) -> None:
        if (q.get("SHOWTYPE"), q.get("CATALOGID"), q.get("TABKEY")) != ("xlsx", "1110", "tab1"):
            return self._send(h, 200, b"[]", "application/json")
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.title = "A股列表"
        sheet.append(
            ["板块", "公司全称", "英文名称", "注册地址", "A股代码", "A股简称", "A股上市日期",
             "A股总股本", "A股流通股本", "B股代码", "B股简称", "B股上市日期", "B股总股本",
             "B股流通股本", "地区", "省份", "城市", "所属行业", "公司网址"]
        )  # fmt: skip
        for r in self._rows("SZSE"):
            board = "创业板" if r.code.startswith("30") else "主板"
            code: object = int(r.code) if self.szse_numeric_codes else r.code
            listed = f"{r.listed[:4]}-{r.listed[4:6]}-{r.listed[6:]}"
            sheet.append(
                [board, f"{r.name}股份有限公司", "", "深圳", code, r.name, listed, "1,000,000",
                 "900,000", "", "", "", "0", "0", "华南", "广东", "深圳", "C 制造业", ""]
            )  # fmt: skip
        out = io.BytesIO()
        book.save(out)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return self._send(h, 200, out.getvalue(), kind)

    def _bse(self, h: BaseHTTPRequestHandler, form: dict[str, str]) -> None:
        if form.get("typejb") != "T" or form.get("xxfcbj[]") != "2":
            return self._send(h, 200, b"null([])", "text/html;charset=UTF-8")
        rows = self._rows("BSE")
        size = self.bse_page_size
        number = max(0, int(form.get("page") or 0))
        chunk = rows[number * size : (number + 1) * size]
        pages = max(1, -(-len(rows) // size))
        content = [
            {
                "fxssrq": r.listed,
                "xxfcbj": "2",
                "xxhyzl": "制造业",
                "xxssdq": "北京市",
                "xxzbqs": "券商",
                "xxzgb": 100000000,
                "xxzqdm": r.code,
                "xxzqjc": r.name,
                "xxzrlx": "竞价",
            }
            for r in chunk
        ]
        page = {
            "content": content,
            "firstPage": number == 0,
            "lastPage": number >= pages - 1,
            "number": number,
            "numberOfElements": len(content),
            "size": size,
            "sort": [{"ascending": True, "direction": "ASC", "property": "xxzqdm"}],
            "totalElements": len(rows),
            "totalPages": pages,
        }
        text = f"null([{json.dumps(page, ensure_ascii=False)}])"
        return self._send(h, 200, text.encode(), "text/html;charset=UTF-8")
