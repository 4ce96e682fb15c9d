"""Qt translation tooling for the UI: refresh the .ts sources, compile them to .qm.

    python packaging/i18n.py update   # lupdate: tr() strings into resources/i18n/*.ts
    python packaging/i18n.py compile  # lrelease: *.ts -> *.qm (run by setup.py and build.sh)
    python packaging/i18n.py check    # fails if a .ts is stale or has untranslated strings

The .ts files are the source (reviewed in Qt Linguist or any editor); the .qm files are
build output and are not committed. Uses lupdate/lrelease shipped with PySide6.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS_DIR = ROOT / "resources" / "i18n"
# Where user-visible strings live: the Qt layer only (core/feed stay language-neutral).
SOURCES = [ROOT / "monitor" / "ui"]
LANGUAGES = ("zh_CN",)


def ts_files() -> list[Path]:
    return [TS_DIR / f"ashare_monitor_{lang}.ts" for lang in LANGUAGES]


def tool(name: str) -> str:
    """The lupdate/lrelease binary that PySide6 ships (or ``pyside6-<name>`` on PATH)."""
    try:
        import PySide6

        exe = Path(PySide6.__file__).parent / (name + (".exe" if sys.platform == "win32" else ""))
        if exe.exists():
            return str(exe)
    except ImportError:
        pass
    found = shutil.which(f"pyside6-{name}") or shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6-Essentials")
    return found


def update(ts: Path | None = None) -> None:
    for target in [ts] if ts else ts_files():
        lang = target.stem.split("_", 2)[-1]
        files = sorted(str(p) for d in SOURCES for p in d.rglob("*.py"))
        subprocess.run(
            [
                tool("lupdate"),
                "-silent",
                "-no-obsolete",
                "-locations",
                "none",
                "-source-language",
                "en",
                "-target-language",
                lang,
                *files,
                "-ts",
                str(target),
            ],
            check=True,
        )


def compile_all(out_dir: Path | None = None) -> list[Path]:
    out: list[Path] = []
    for ts in ts_files():
        qm = (out_dir or ts.parent) / (ts.stem + ".qm")
        qm.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([tool("lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        out.append(qm)
    return out


def messages(ts: Path) -> dict[tuple[str, str], tuple[str | None, list[str]]]:
    """(context, source) -> (translation type, translated forms)."""
    out: dict[tuple[str, str], tuple[str | None, list[str]]] = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            assert tr is not None
            forms = [f.text or "" for f in tr.iter("numerusform")] or [tr.text or ""]
            out[(name, msg.findtext("source") or "")] = (tr.get("type"), forms)
    return out


def check() -> list[str]:
    """Problems: strings in code missing from a .ts, strings no longer used, untranslated."""
    problems: list[str] = []
    for ts in ts_files():
        with tempfile.TemporaryDirectory() as tmp:
            fresh = Path(tmp) / ts.name
            shutil.copy(ts, fresh)
            update(fresh)
            now, before = messages(fresh), messages(ts)
        for key in now.keys() - before.keys():
            problems.append(f"{ts.name}: not in the .ts (run update): {key}")
        for key in before.keys() - now.keys():
            problems.append(f"{ts.name}: no longer in the code (run update): {key}")
        for key, (kind, forms) in now.items():
            if not key[0] or "." in key[0]:
                problems.append(f"{ts.name}: lupdate could not tell the context of {key[1]!r}")
            if kind in ("unfinished", "vanished", "obsolete") or not all(forms):
                problems.append(f"{ts.name}: untranslated: {key}")
    return problems


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "compile"
    if cmd == "update":
        update()
    elif cmd == "compile":
        for qm in compile_all(Path(argv[1]) if len(argv) > 1 else None):
            print(f"compiled {qm}")
    elif cmd == "check":
        problems = check()
        print("\n".join(problems) or "translations: complete and up to date")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
