"""Reading the exchanges' listing answers: shapes as the exchanges send them, hostile ones."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import openpyxl
import pytest

from monitor.core.exchange_listing import (
    ExchangeAnswerError,
    Listed,
    ListingChanges,
    Page,
    clean_name,
    compare,
    implausible,
    parse_bse,
    parse_sse,
    parse_szse_xlsx,
)


def _sse_row(code: str, name: str, listed: str = "19991110", delisted: str = "-") -> dict[str, str]:
    return {
        "A_STOCK_CODE": code,
        "B_STOCK_CODE": "-",
        "COMPANY_ABBR": name,
        "COMPANY_CODE": code,
        "DELIST_DATE": delisted,
        "LIST_BOARD": "1",
        "LIST_DATE": listed,
        "SEC_NAME_CN": name,
        "SEC_NAME_FULL": name,
        "STOCK_TYPE": "1",
    }


def test_sse_json_and_jsonp_read_alike() -> None:
    reply = {
        "actionErrors": [],
        "pageHelp": {"pageCount": 3, "pageNo": 1, "total": 5},
        "result": [_sse_row("600000", "浦发银行"), _sse_row("600519", "贵州茅台", "20010827")],
    }
    text = json.dumps(reply, ensure_ascii=False)
    for body in (text, f"jsonpCallback12345({text})", f"cb({text});"):
        page = parse_sse(body)
        assert page.rows == [
            Listed("600000.SH", "浦发银行", "1999-11-10"),
            Listed("600519.SH", "贵州茅台", "2001-08-27"),
        ]
        assert (page.pages, page.total, page.raw) == (3, 5, 2)


def test_odd_page_counts_read_as_one_page() -> None:
    for count in ("²", "-3", "9" * 40, True, None, 1e9):
        body = json.dumps(
            {
                "result": [_sse_row("600000", "浦发银行")],
                "pageHelp": {"pageCount": count, "total": count},
            }
        )
        page = parse_sse(body)
        assert (page.pages, len(page.rows)) == (1, 1)


def test_sse_rows_may_be_in_page_help_and_old_field_names_are_read() -> None:
    old = {"SECURITY_CODE_A": "688981", "SECURITY_ABBR_A": "中芯国际", "LISTING_DATE": "2020-07-16"}
    page = parse_sse(json.dumps({"pageHelp": {"data": [old], "pageCount": 1}}, ensure_ascii=False))
    assert page.rows == [Listed("688981.SH", "中芯国际", "2020-07-16")]


def test_sse_skips_delisted_b_shares_dashes_and_duplicates() -> None:
    rows = [
        _sse_row("600001", "邯郸钢铁", delisted="20091229"),  # terminated: not listed
        _sse_row("900901", "云赛B股"),  # a B-share
        _sse_row("-", "-"),
        _sse_row("600000", "浦发银行"),
        _sse_row("600000", "浦发银行"),
        "not a row",
    ]
    page = parse_sse(json.dumps({"result": rows}, ensure_ascii=False))
    assert [r.symbol for r in page.rows] == ["600000.SH"]
    assert page.skipped == 4  # the delisted row is not even counted as a row


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>security check</body></html>",
        "",
        "[" * 100_000,
        '{"result": "rows"}',
        "[1, 2, 3]",
    ],
)
def test_sse_answers_that_are_not_listings_are_one_error(body: str) -> None:
    with pytest.raises(ExchangeAnswerError, match=r"^SSE: "):
        parse_sse(body)


def test_bse_jsonp_pages() -> None:
    page_json = {
        "content": [
            {"fxssrq": "20211115", "xxzqdm": "920001", "xxzqjc": "纬达光电", "xxhyzl": "制造业"},
            {"fxssrq": "20200727", "xxzqdm": "830799", "xxzqjc": "旧代码"},  # retired code
        ],
        "totalPages": 14,
        "totalElements": 271,
        "number": 0,
    }
    page = parse_bse(f"null([{json.dumps(page_json, ensure_ascii=False)}])")
    assert page.rows == [Listed("920001.BJ", "纬达光电", "2021-11-15")]
    assert (page.pages, page.skipped, page.raw, page.total) == (14, 1, 2, 271)
    with pytest.raises(ExchangeAnswerError, match=r"^BSE: "):
        parse_bse("null([])")


def _workbook(header: list[str], rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_szse_workbook_codes_as_text_or_numbers_names_in_links() -> None:
    data = _workbook(
        ["板块", "公司全称", "A股代码", "A股简称", "A股上市日期", "所属行业"],
        [
            ["主板", "平安银行股份有限公司", "000001", "平安银行", "1991-04-03", "J 金融业"],
            ["主板", "万科", 2, "万 科Ａ", "1991-01-29", "K 房地产"],
            ["创业板", "宁德时代", "300750", "<a href='x'><u>宁德时代</u></a>", "2018-06-11", ""],
            ["主板", "B股公司", "200011", "深物业B", "1992-03-30", ""],
            [None, None, None, None, None, None],
        ],
    )
    page = parse_szse_xlsx(data)
    assert page.rows == [
        Listed("000001.SZ", "平安银行", "1991-04-03"),
        Listed("000002.SZ", "万科A", "1991-01-29"),
        Listed("300750.SZ", "宁德时代", "2018-06-11"),
    ]
    assert page.skipped == 2


def test_szse_dates_written_as_date_cells_are_read() -> None:
    data = _workbook(
        ["板块", "A股代码", "A股简称", "A股上市日期"],
        [
            ["主板", "000001", "平安银行", dt.datetime(1991, 4, 3)],
            ["主板", "000002", "万科A", 33267],
        ],
    )
    assert [r.list_date for r in parse_szse_xlsx(data).rows] == ["1991-04-03", "1991-01-29"]


def _zipped(sheet: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def parse_szse_xlsx_or_error(data: bytes) -> str:
    try:
        page = parse_szse_xlsx(data)
    except ExchangeAnswerError as e:
        return str(e)
    return f"{len(page.rows)} rows"


def test_shared_strings_skip_phonetic_runs() -> None:
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>A股代码</t></si><si><t>A股简称</t></si><si><t>000001</t></si>"
        "<si><r><t>平安</t></r><r><t>银行</t></r><rPh><t>ピン</t></rPh></si></sst>"
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>'
        "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("xl/sharedStrings.xml", sst)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    assert parse_szse_xlsx(out.getvalue()).rows == [Listed("000001.SZ", "平安银行")]


def test_szse_answers_that_are_not_the_workbook_are_one_error() -> None:
    with pytest.raises(ExchangeAnswerError, match="not a workbook"):
        parse_szse_xlsx(b"<html>busy</html>")
    with pytest.raises(ExchangeAnswerError, match="no A股代码"):
        parse_szse_xlsx(_workbook(["foo", "bar"], [["1", "2"]]))
    with pytest.raises(ExchangeAnswerError, match="unreadable workbook"):
        parse_szse_xlsx(_zipped("<worksheet><sheetData><row><c"))
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
        + "".join(
            f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    with pytest.raises(ExchangeAnswerError, match="declares a DTD"):
        parse_szse_xlsx(_zipped(laughs))  # a billion laughs is refused before parsing
    # Millions of empty elements, a cell index that is not a number, a broken deflate
    # stream: each one line, never a tree the size of the part.
    empties = "<worksheet><sheetData>" + "<x/>" * 3_000_000 + "</sheetData></worksheet>"
    assert parse_szse_xlsx_or_error(_zipped(empties)).startswith("SZSE: the workbook has no")
    odd = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row><c t="s"><v>²</v></c><c t="s"><v>99999999999</v></c></row></sheetData></worksheet>'
    )
    assert "no A股代码" in parse_szse_xlsx_or_error(_zipped(odd))
    raw = bytearray(_workbook(["A股代码", "A股简称"], [["000001", "平安银行"]] * 50))
    at = raw.find(b"xl/worksheets/sheet1.xml") + 60
    raw[at : at + 40] = b"\xff" * 40  # inside the compressed sheet
    assert parse_szse_xlsx_or_error(bytes(raw)).startswith("SZSE: ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ExchangeAnswerError, match="no sheet"):
        parse_szse_xlsx(out.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 << 20))
    with pytest.raises(ExchangeAnswerError, match="16 MB"):
        parse_szse_xlsx(bomb.getvalue())


def test_names_are_cleaned_and_bounded() -> None:
    assert clean_name("*ST\u3000Ｆ　股份") == "*STF股份"
    assert clean_name("平安&amp;银行\x00\x1b[31m") == "平安&银行[31m"
    assert len(clean_name("长" * 400)) == 16
    assert clean_name(12345) == ""


def test_compare_says_what_changed() -> None:
    before = {"600000.SH": "浦发银行", "600001.SH": "邯郸钢铁", "600002.SH": "齐鲁石化"}
    after = [
        Listed("600000.SH", "浦发银行"),
        Listed("600002.SH", "ST齐鲁"),
        Listed("603999.SH", "新股份", "2026-11-30"),
    ]
    changes = compare(before, after)
    assert changes.new == [Listed("603999.SH", "新股份", "2026-11-30")]
    assert changes.delisted == [("600001.SH", "邯郸钢铁")]
    assert changes.renamed == [("600002.SH", "齐鲁石化", "ST齐鲁")]
    assert ListingChanges.from_json(json.loads(json.dumps(changes.to_json()))) == changes
    assert not compare(before, [Listed(s, n) for s, n in before.items()])
    assert ListingChanges.from_json({"new": [[1, 2, 3]], "delisted": "x"}) == ListingChanges()


def _page(n: int, total: int | None = None, raw: int | None = None) -> Page:
    rows = [Listed(f"{600000 + i}.SH", "股票") for i in range(n)]
    return Page(rows, raw=n if raw is None else raw, total=total)


def test_an_answer_that_cannot_be_the_whole_list_is_refused() -> None:
    assert implausible("SZSE", _page(1_203), 2_914) == (
        "SZSE listed 1,203 A-shares where 2,914 were listed"
    )
    assert implausible("BSE", _page(0), 28) == "BSE listed no A-shares"
    assert implausible("BSE", _page(280), 28) is None  # BSE grew under its new codes
    assert implausible("SSE", _page(2_300), 2_313) is None
    # Fewer rows than the exchange announced: a page went missing.
    assert implausible("SSE", _page(2_150, total=2_300), 2_313) == (
        "SSE announced 2,300 rows but 2,150 arrived"
    )
    assert implausible("SSE", _page(2_300, total=2_300), 2_313) is None
    # Against a list of the last weeks only a few stocks can have gone at once.
    assert implausible("SSE", _page(2_250), 2_313, recent=True, missing=63) == (
        "SSE no longer lists 63 A-shares at once"
    )
    assert implausible("SSE", _page(2_250), 2_313, recent=False, missing=63) is None
    assert implausible("SSE", _page(2_305), 2_313, recent=True, missing=8) is None


def test_codes_new_to_the_app_but_listed_before_are_not_new_listings() -> None:
    before = {"920002.BJ": "万达轴承"}
    after = [
        Listed("920002.BJ", "万达轴承", "2024-05-30"),
        Listed("920118.BJ", "太湖远大", "2024-01-05"),  # missing from the old snapshot
        Listed("920001.BJ", "新北交股", "2026-11-27"),
        Listed("920003.BJ", "无日期", ""),
    ]
    changes = compare(before, after, since="2025-08-08")
    assert [r.symbol for r in changes.new] == ["920001.BJ", "920003.BJ"]
    assert [r.symbol for r in changes.added] == ["920118.BJ"]
    assert changes.since == "2025-08-08"
