"""Compiles the UI translations (resources/i18n/*.ts -> .qm) whenever the package is built.

Everything else about the package is in pyproject.toml; this hook exists because the
.qm files are build output of Qt's lrelease, not sources kept in git. The packages are
found here, not listed by hand (a hand-kept list once left monitor.platform out of every
wheel): every package under monitor/, plus resources/ shipped as monitor.resources.
"""

import importlib.util
from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithTranslations(build_py):
    def run(self) -> None:
        spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "packaging" / "i18n.py")
        assert spec is not None
        assert spec.loader is not None
        tool = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(tool)
        tool.compile_all()  # next to the .ts, so editable installs see them too
        super().run()


PACKAGES = [*find_packages(include=["monitor", "monitor.*"]), "monitor.resources"]

setup(packages=PACKAGES, cmdclass={"build_py": BuildPyWithTranslations})
