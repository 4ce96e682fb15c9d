"""Files in and out: snapshot CSV export, list import/export, symbol list import.

The dialogs ask where; the service does the work (and remembers the folder). What
happened goes out as ``message(text, ms)`` for the status bar; what failed as
``problem(title, text)`` for a non-modal box.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from monitor.core.master import MasterError
from monitor.core.symbols import ParseReport, parse_many
from monitor.core.watchlist_io import WatchlistFileError, read_watchlist_file, write_watchlist
from monitor.service.monitor import MonitorService
from monitor.ui.texts import error_text

__all__ = ["FileActions", "file_safe"]

_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_safe(name: str) -> str:
    """``name`` usable as a file name on every desktop (a list may be called “A/B”)."""
    return _UNSAFE_FILE_CHARS.sub("_", name).strip(" .") or "list"


class FileActions(QObject):
    message = Signal(str, int)
    problem = Signal(str, str)

    def __init__(self, service: MonitorService, parent: QWidget) -> None:
        super().__init__(parent)
        self.service = service
        self.parent_widget = parent

    def folder(self) -> str:
        d = self.service.settings.export_dir
        return d if d and Path(d).is_dir() else str(Path.home())

    # --- snapshots ---------------------------------------------------------------------
    def file_name(self, label: str) -> str:
        """``<list>-<YYYYMMDD-HHMMSS>.csv`` (Shanghai time: the market's clock)."""
        return f"{file_safe(label)}-{self.service.clock().strftime('%Y%m%d-%H%M%S')}.csv"

    def export_snapshot(self, symbols: list[str], label: str, lang: str) -> None:
        default = str(Path(self.folder()) / self.file_name(label))
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget, self.tr("Export snapshot"), default, "CSV (*.csv)"
        )
        if path:
            self.export_to(Path(path), symbols, lang)

    def export_to(self, path: Path, symbols: list[str], lang: str) -> int:
        try:
            n = self.service.export_snapshot(path, symbols, lang)
        except OSError as e:
            self.problem.emit(self.tr("Export snapshot"), f"{path}: {e.strerror or e}")
            return 0
        self.message.emit(self.tr("Exported %d rows to %s") % (n, path), 8000)
        return n

    # --- lists -------------------------------------------------------------------------
    def export_list(self, name: str, label: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent_widget,
            self.tr("Export list"),
            str(Path(self.folder()) / f"{file_safe(label)}.csv"),
            "CSV (*.csv);;Text (*.txt)",
        )
        if path:
            syms = self.service.watchlists.get(name)
            try:
                write_watchlist(Path(path), syms, [self.service.master.name(s) for s in syms])
            except OSError as e:
                self.problem.emit(self.tr("Export list"), str(e))

    def ask_list_file(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("Import list"),
            self.folder(),
            "Lists (*.csv *.txt);;All files (*)",
        )
        return Path(path) if path else None

    def import_list_file(self, path: Path, taken: set[str]) -> str | None:
        """A new list from a CSV/TXT of codes, named after the file; its key or None."""
        try:
            tokens = read_watchlist_file(path)
        except WatchlistFileError as e:
            self.problem.emit(self.tr("Import list"), error_text(e))
            return None
        rep: ParseReport = self.service.known(parse_many(tokens))
        if not rep.symbols:
            self.problem.emit(self.tr("Import list"), self.tr("No valid codes in %s") % path.name)
            return None
        name = self.service.import_list(path.stem, rep.symbols, taken)
        if rep.errors:
            self.problem.emit(
                self.tr("Import list"),
                self.tr("Imported %d codes; skipped %d:\n") % (len(rep.symbols), len(rep.errors))
                + "\n".join(f"• {error_text(e)}" for e in rep.errors[:20]),
            )
        return name

    # --- the listing -------------------------------------------------------------------
    def import_listing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            self.tr("Import symbol list"),
            self.folder(),
            "CSV (*.csv *.txt);;All files (*)",
        )
        if path:
            self.import_listing_file(Path(path))

    def import_listing_file(self, path: Path) -> int | None:
        """Merge a broker's symbol list (code, name …) into the listing; None if unusable."""
        try:
            count, skipped = self.service.import_listing(path)
        except (MasterError, OSError) as e:
            self.problem.emit(self.tr("Import symbol list"), f"{path.name}: {e}")
            return None
        text = self.tr("Symbol list: %1 codes from %2 merged into the listing")
        text = text.replace("%1", f"{count:,}").replace("%2", path.name)
        if skipped:
            text += " · " + self.tr("%1 lines skipped").replace("%1", f"{len(skipped):,}")
        self.message.emit(text, 8000)
        return count
