"""The architecture, enforced: core is pure, feed and service have no Qt (import-linter too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "monitor"
FORBIDDEN = {
    "core": {
        "PySide6",
        "pyqtgraph",
        "qasync",
        "websockets",
        "asyncio",
        "socket",
        "ssl",
        "urllib",
        "http",
        "monitor.feed",
        "monitor.ui",
    },
    "feed": {"PySide6", "pyqtgraph", "qasync", "monitor.ui", "monitor.service"},
    "service": {"PySide6", "pyqtgraph", "qasync", "monitor.ui"},
    "platform": {
        "PySide6",
        "pyqtgraph",
        "qasync",
        "websockets",
        "monitor.feed",
        "monitor.service",
        "monitor.ui",
    },
}


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_nothing_forbidden(layer: str) -> None:
    files = sorted((PKG / layer).rglob("*.py"))
    assert files
    bad = [
        f"{f.relative_to(PKG)} imports {name}"
        for f in files
        for name in sorted(_imports(f))
        if any(name == x or name.startswith(x + ".") for x in FORBIDDEN[layer])
    ]
    assert not bad, bad
