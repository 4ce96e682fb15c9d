"""The UI language: Qt translators for our strings and Qt's own (OK, Cancel, …).

Our strings are English in the code (``self.tr``) and translated by
``resources/i18n/ashare_monitor_zh_CN.qm``, compiled from the ``.ts`` source at install
or bundle time (``packaging/i18n.py``). A checkout whose ``.qm`` is missing or older
than its ``.ts`` gets one compiled into the cache directory, so a developer's edits show
up without reinstalling. Installing or removing a translator makes Qt send every
widget a ``LanguageChange`` event; windows retranslate themselves on it.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import platformdirs
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from monitor.platform.resources import resource_path

__all__ = ["LANGUAGES", "TRANSLATIONS", "Translations", "resolve_language"]

log = logging.getLogger(__name__)

LANGUAGES = {"zh": "zh_CN", "en": "en"}


def resolve_language(pref: str, system: QLocale | None = None) -> str:
    """``zh`` or ``en``: the setting, or for ``auto`` the system locale (zh_* -> zh)."""
    if pref in LANGUAGES:
        return pref
    name = (system or QLocale.system()).name()
    return "zh" if name.startswith("zh") else "en"


def _compiled(locale: str) -> Path | None:
    """Our .qm for ``locale``; compiled on the fly in a checkout whose .qm is stale."""
    try:
        ts = resource_path(f"i18n/ashare_monitor_{locale}.ts")
    except FileNotFoundError:
        ts = None
    qm_name = f"i18n/ashare_monitor_{locale}.qm"
    try:
        qm: Path | None = resource_path(qm_name)
    except FileNotFoundError:
        qm = None
    if ts is None or getattr(sys, "frozen", False):
        return qm
    if qm is not None and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    cached = Path(platformdirs.user_cache_dir("ashare-monitor", appauthor=False)) / qm_name
    if cached.exists() and cached.stat().st_mtime >= ts.stat().st_mtime:
        return cached
    try:
        import PySide6

        exe = Path(PySide6.__file__).parent / (
            "lrelease" + (".exe" if sys.platform == "win32" else "")
        )
        cached.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(exe), "-silent", str(ts), "-qm", str(cached)], check=True, timeout=60)
        log.info("compiled %s (the installed .qm was missing or older)", cached)
        return cached
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("could not compile translations: %s", e)
        return qm


class Translations:
    """Installs the translators for one language on the application, replacing any others."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []
        self.language = "en"

    def apply(self, lang: str) -> bool:
        """Switch to ``lang`` (``zh``/``en``); False if its translation could not be loaded."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        if lang == self.language and (self._installed or lang == "en"):
            return True
        for t in self._installed:
            app.removeTranslator(t)
        self._installed = []
        self.language = lang
        if lang == "en":
            return True
        locale = LANGUAGES[lang]
        ok = True
        ours = QTranslator(app)
        qm = _compiled(locale)
        if qm is not None and ours.load(str(qm)):
            self._installed.append(ours)
        else:
            log.warning("no %s translation found; the UI stays in English", locale)
            ok = False
        qt = QTranslator(app)  # Qt's own dialogs and standard buttons
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(f"qtbase_{locale}", qt_dir):
            self._installed.append(qt)
        for t in self._installed:
            app.installTranslator(t)
        return ok


TRANSLATIONS = Translations()
