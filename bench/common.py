"""Shared helpers for the benchmarks: machine facts, result tables, docs/performance.md.

Every benchmark prints a table and returns rows; ``write_section`` replaces that
benchmark's section of docs/performance.md, so one run of ``bench/run_all.py``
rewrites the whole file and a single benchmark rewrites only its part.
"""

from __future__ import annotations

import contextlib
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from monitor.platform.paths import Paths

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def rss_mb() -> float:
    """Current resident set size (Linux /proc), in MB."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.+)", f.read())
            if m:
                cpu = m.group(1).strip()
    except OSError:
        pass
    vers = []
    for pkg in ("PySide6-Essentials", "qasync", "websockets", "msgspec", "numpy", "pyqtgraph"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            vers.append(f"{pkg} {metadata.version(pkg)}")
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; " + ", ".join(vers)
    )


@dataclass
class Row:
    case: str
    value: float
    unit: str
    baseline: float | None = None
    note: str = ""

    def ratio(self, higher_is_better: bool) -> str:
        if self.baseline is None or self.baseline == 0 or self.value == 0:
            return ""
        r = self.value / self.baseline if higher_is_better else self.baseline / self.value
        return f"{r:.1f}×"


def fmt(v: float) -> str:
    if v != v:  # NaN
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def table(rows: Sequence[Row], higher_is_better: bool | dict[str, bool] = True) -> str:
    lines = ["| case | ours | naive baseline | better by | note |", "|---|---|---|---|---|"]
    for r in rows:
        hib = (
            higher_is_better.get(r.unit, True)
            if isinstance(higher_is_better, dict)
            else higher_is_better
        )
        base = f"{fmt(r.baseline)} {r.unit}" if r.baseline is not None else "—"
        lines.append(f"| {r.case} | {fmt(r.value)} {r.unit} | {base} | {r.ratio(hib)} | {r.note} |")
    return "\n".join(lines)


def write_section(name: str, title: str, command: str, body: str, doc: Path = DOC) -> None:
    """Replace (or append) the section ``name`` of ``doc`` (docs/performance.md)."""
    doc.parent.mkdir(exist_ok=True)
    text = doc.read_text(encoding="utf-8") if doc.exists() else _header()
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    section = (
        f"<!-- bench:{name} -->\n## {title}\n\n"
        f"Command: `{command}` — run {stamp} on {machine()}.\n\n{body}\n<!-- /bench:{name} -->\n"
    )
    pattern = re.compile(rf"<!-- bench:{name} -->.*?<!-- /bench:{name} -->\n", re.S)
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else text + "\n" + section
    doc.write_text(text, encoding="utf-8")


def _header() -> str:
    return (
        "# Performance\n\n"
        "Figures written by the benchmarks in `bench/` (re-run `python bench/run_all.py` to "
        "refresh them all). Each benchmark runs a naive baseline in the same run and prints "
        "the ratio, because absolute times drift on shared machines. Nothing here is asserted "
        "in tests; CI runs a short version of each so they never rot.\n"
    )


def git_rev() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""


def sim_command(
    rate: int, *, port: int = 0, symbols: int = 5500, token: str = "bench"
) -> list[str]:
    """``ashare-monitor sim`` as the benchmarks run it (its own process, AllTick token)."""
    return [
        sys.executable,
        "-m",
        "monitor",
        "sim",
        "--port",
        str(port),
        "--symbols",
        str(symbols),
        "--rate",
        str(rate),
        "--token",
        token,
        "--request-interval",
        "0.2",
    ]


def app_home_for_sim(port: int) -> Paths:
    """The app's files (in ``$ASHARE_MONITOR_HOME``) set up for the AllTick simulator on ``port``."""
    from monitor.core.settings import Settings
    from monitor.platform.paths import Paths
    from monitor.platform.secrets import TokenStore

    paths = Paths.default()
    Settings(
        provider="alltick",
        alltick_url=f"ws://127.0.0.1:{port}/quote-stock-b-ws-api",
        alltick_http_url="",  # the simulator answers K-lines on its WebSocket port too
        refresh_hz=20,
    ).save(paths.settings)
    TokenStore(paths.secrets, use_keyring=False).set("alltick", "bench")
    return paths


def say(*parts: object) -> None:
    print(*parts, file=sys.stdout, flush=True)
