"""What the menus, shortcuts and boxes do: each command reads the window's current view
and selection and calls a panel or a service operation.

:meth:`Commands.menu_spec` is the menu bar as data (key, command, shortcut); texts
live in :mod:`monitor.ui.window_menus`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog

from monitor import __version__
from monitor.core.symbols import ParseReport, parse_many
from monitor.core.watchlist import DEFAULT_LIST, WatchlistError
from monitor.ui.dialogs import PasteDialog
from monitor.ui.lists_panel import ALL_MARKET
from monitor.ui.texts import error_text, reason_text
from monitor.ui.window_menus import MenuSpec

if TYPE_CHECKING:
    from monitor.ui.main_window import MainWindow

__all__ = ["Commands"]

log = logging.getLogger(__name__)


class Commands(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        self.service = window.service
        self.last_paste_report = ""
        self._tasks: set[asyncio.Task[object]] = set()

    def _run(self, coro: Coroutine[Any, Any, object], title: str) -> None:
        """Run a session change in the background; a failure is said, not lost."""
        task: asyncio.Task[object] = asyncio.get_event_loop().create_task(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[object]) -> None:
            self._tasks.discard(t)
            if not t.cancelled() and (e := t.exception()) is not None:
                log.error("%s failed", title, exc_info=e)
                self.w.notify(title, str(e))

        task.add_done_callback(done)

    def menu_spec(self) -> MenuSpec:
        w = self.w
        std = QKeySequence.StandardKey
        return [
            (
                "file",
                [
                    ("export_view", self.export_view, "Ctrl+E"),
                    ("export_market", self.export_market, "Ctrl+Shift+E"),
                    None,
                    ("import_list", self.import_list, "Ctrl+I"),
                    ("export_list", self.export_list, "Ctrl+Shift+S"),
                    None,
                    ("listing", w.open_listing, None),
                    ("import_listing", w.files.import_listing, "Ctrl+Shift+I"),
                    None,
                    ("record", self.toggle_recording, "Ctrl+R"),
                    ("open_replay", self.open_replay, "Ctrl+O"),
                    ("replay_pause", self.pause_replay, "Ctrl+P"),
                    ("replay_speed", self.replay_speed, "Ctrl+]"),
                    ("replay_seek", self.seek_replay, "Ctrl+J"),
                    ("leave_replay", self.leave_replay, None),
                    None,
                    ("settings", w.open_settings, "Ctrl+,"),
                    None,
                    ("quit", w.close, std.Quit),
                ],
            ),
            (
                "edit",
                [
                    ("undo", w.undo.undo, std.Undo),
                    ("redo", w.undo.redo, std.Redo),
                    None,
                    ("paste", self.paste_codes, "Ctrl+Shift+V"),
                    ("remove", self.remove_selected, std.Delete),
                    ("move_up", lambda: self.move_selected(-1), "Ctrl+Up"),
                    ("move_down", lambda: self.move_selected(1), "Ctrl+Down"),
                    None,
                    ("find", lambda: self._focus(w.entry.filter), std.Find),
                    ("add_box", lambda: self._focus(w.entry.add_box), "Ctrl+L"),
                ],
            ),
            (
                "lists",
                [
                    ("next_list", lambda: w.lists.step(1), "Ctrl+PgDown"),
                    ("prev_list", lambda: w.lists.step(-1), "Ctrl+PgUp"),
                    ("all_market", lambda: w.lists.setCurrentRow(ALL_MARKET), "Ctrl+0"),
                    None,
                    ("new_list", self.new_list, "Ctrl+N"),
                    ("rename_list", self.rename_list, "F2"),
                    ("delete_list", self.delete_list, "Ctrl+Shift+Del"),
                ],
            ),
            (
                "alerts",
                [
                    ("new_alert", w.alerts_panel.new_alert, "Ctrl+Shift+A"),
                    ("alert_rules", w.show_alert_rules, "Ctrl+Alt+A"),
                    ("remove_alerts", self.remove_alerts, None),
                ],
            ),
            (
                "view",
                [
                    ("toggle_chart", self.toggle_chart, "Ctrl+G"),
                    None,
                    ("theme_auto", lambda: w.set_theme("auto"), None),
                    ("theme_light", lambda: w.set_theme("light"), None),
                    ("theme_dark", lambda: w.set_theme("dark"), "Ctrl+Shift+T"),
                    None,
                    ("discreet", w.appearance.toggle_discreet, "Ctrl+D"),
                    ("holdings_in_discreet", w.appearance.toggle_holdings_in_discreet, None),
                    ("floating_ticker", lambda: w.tickers.toggle(w.current_list()), "Ctrl+Shift+F"),
                    None,
                    ("lang_auto", lambda: w.set_language("auto"), None),
                    ("lang_zh", lambda: w.set_language("zh"), None),
                    ("lang_en", lambda: w.set_language("en"), None),
                ],
            ),
            (
                "help",
                [
                    ("shortcuts", w.show_shortcuts, std.HelpContents),
                    ("about", self.show_about, None),
                ],
            ),
        ]

    @staticmethod
    def _focus(box: object) -> None:
        box.setFocus()  # type: ignore[attr-defined]
        box.selectAll()  # type: ignore[attr-defined]

    def toggle_chart(self) -> None:
        self.w.bottom.setVisible(self.w.acts["toggle_chart"].isChecked())

    def show_about(self) -> None:
        self.w.notify(
            self.tr("About A-Share Monitor"),
            self.tr(
                "A-Share Monitor %1\nReal-time China A-share quotes over batch-subscribed WebSockets."
            ).replace("%1", __version__),
            warning=False,
        )

    # --- adding --------------------------------------------------------------------------
    def _target(self, list_name: str | None = None) -> str:
        return list_name or self.w.current_list() or self.service.watchlists.names()[0]

    def add_from_box(self, text: str) -> None:
        rep = self.service.resolve(text)
        added = self.add_symbols(list(rep.symbols)) if rep.symbols else []
        if rep.errors:
            self.w.statusBar().showMessage(
                self.tr("Not added: ") + "; ".join(map(error_text, rep.errors)), 8000
            )
        self.w.entry.added(bool(added), [e.token for e in rep.errors])

    def add_symbols(self, symbols: list[str], list_name: str | None = None) -> list[str]:
        name = self._target(list_name)
        added = self.w.edits.add(name, symbols)
        if not added and name == self.w.current_list():
            self.w.select_symbols(symbols)  # already there: show where
        return added

    def quick_pick(self, symbol: str) -> None:
        """Quick search picked ``symbol``: add it to the current list, or jump to its row."""
        name = self.w.current_list()
        if name is not None and symbol not in self.service.watchlists.get(name):
            self.add_symbols([symbol])
        self.w.select_symbol(symbol)
        self.w.table.setFocus()

    def paste_codes(self) -> None:
        name = self._target()
        dlg = PasteDialog(self.w.list_label(name), self.w)
        if dlg.exec() == PasteDialog.DialogCode.Accepted:
            self.paste_text(dlg.text.toPlainText(), name)

    def paste_text(self, text: str, name: str) -> tuple[list[str], ParseReport]:
        """Add a pasted block; shows what was added, already there, and rejected (and why).

        The report is a strip above the table: it covers no quote, takes no focus and
        goes away by itself, later when something was rejected.
        """
        rep = self.service.known(parse_many(text))
        existing = set(self.service.watchlists.get(name))
        already = [s for s in rep.symbols if s in existing]
        fresh = [s for s in rep.symbols if s not in existing]
        added = self.add_symbols(fresh, name) if fresh else []
        label = self.w.list_label(name)
        lines = [self.tr("Added %n symbol(s) to “%1”.", "", len(added)).replace("%1", label)]
        if already or rep.duplicates:
            n = len(already) + len(rep.duplicates)
            lines.append(self.tr("%n already in the list or repeated.", "", n))
        if rep.errors:
            lines.append(self.tr("Rejected %n:", "", len(rep.errors)))
            by_reason: dict[str, list[str]] = {}
            for e in rep.errors:
                by_reason.setdefault(reason_text(e), []).append(e.token)
            for reason, tokens in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))[:12]:
                shown = ", ".join(repr(t) for t in dict.fromkeys(tokens[:5]))
                more = " …" if len(tokens) > 5 else ""
                lines.append(f"  • {len(tokens):,} × {reason}: {shown}{more}")
            if len(by_reason) > 12:
                more_kinds = self.tr("%1 more kinds of problem")
                lines.append("  … " + more_kinds.replace("%1", str(len(by_reason) - 12)))
        self.last_paste_report = "\n".join(lines)
        self.w.pane.paste_report.show_report(self.last_paste_report, warning=bool(rep.errors))
        return added, rep

    # --- removing and moving -------------------------------------------------------------
    def remove_selected(self) -> None:
        name = self.w.current_list()
        syms = self.w.selected_symbols()
        if name is None or not syms:
            return
        model = self.w.model
        first_row = min(r for s in syms if (r := model.row_of(s)) is not None)
        self.w.edits.remove(name, syms, first_row)

    def reorder(self, symbols: list[str], target: int) -> None:
        """Drop ``symbols`` before display row ``target`` of the current list (undoable)."""
        name = self.w.current_list()
        if name is None or not self.w.model.reorderable:
            self.w.statusBar().showMessage(
                self.tr("Clear the sort and the filter to reorder the list by dragging"), 5000
            )
            return
        self.w.edits.reorder(name, symbols, target, self.tr("Reorder list"))

    def move_selected(self, step: int) -> None:
        """Ctrl+Up/Down: the selected rows past their neighbour in the table (a sort is
        cleared first: the list's own order is what moves). Undoable and repeatable:
        the moved rows stay selected."""
        name = self.w.current_list()
        syms = self.w.selected_symbols()
        if name is None or not syms:
            return
        self.w.pane.clear_sort()
        model = self.w.model
        rows = sorted(r for s in syms if (r := model.row_of(s)) is not None)
        if not rows:
            return
        neighbour = model.symbol_at(rows[0] - 1 if step < 0 else rows[-1] + 1)
        if neighbour is None:
            return  # already at the top (bottom)
        to = self.service.watchlists.get(name).index(neighbour) + (0 if step < 0 else 1)
        text = self.tr("Move up") if step < 0 else self.tr("Move down")
        self.w.edits.reorder(name, syms, to, text)

    # --- lists -----------------------------------------------------------------------------
    def _check_label(self, name: str, renaming: str | None = None) -> None:
        """The built-in list's shown name is taken too (two lists both shown as “Watchlist”)."""
        builtin = self.service.watchlists.is_builtin(DEFAULT_LIST)
        shown = self.w.list_label(DEFAULT_LIST)
        if builtin and renaming != DEFAULT_LIST and name.strip() == shown:
            raise WatchlistError("a list named “{0}” already exists", name.strip())

    def new_list(self) -> None:
        name, ok = QInputDialog.getText(self.w, self.tr("New list"), self.tr("Name:"))
        if ok:
            try:
                self._check_label(name)
                self.service.create_list(name)
            except WatchlistError as e:
                self.w.notify(self.tr("New list"), error_text(e))

    def rename_list(self) -> None:
        old = self.w.current_list()
        if old is None:
            return
        label = self.w.list_label(old)
        new, ok = QInputDialog.getText(self.w, self.tr("Rename list"), self.tr("Name:"), text=label)
        if ok and new.strip() != label:  # unchanged: the built-in list keeps its key
            try:
                self._check_label(new, renaming=old)
                self.service.rename_list(old, new)
            except WatchlistError as e:
                self.w.notify(self.tr("Rename list"), error_text(e))

    def delete_list(self) -> None:
        name = self.w.current_list()
        if name is not None:
            self.w.edits.delete_list(name)

    def import_list(self) -> None:
        path = self.w.files.ask_list_file()
        if path is not None:
            self.w.import_list_file(path)

    def export_list(self) -> None:
        name = self.w.current_list()
        if name is not None:
            self.w.files.export_list(name, self.w.list_label(name))

    # --- snapshots -------------------------------------------------------------------------
    def export_view(self) -> None:
        model = self.w.model
        symbols = [s for r in range(model.rowCount()) if (s := model.symbol_at(r))]
        label = self.w.list_label(self.w.current_list())
        self.w.files.export_snapshot(symbols, label, self.w.lang)

    def export_market(self) -> None:
        label = self.w.list_label(None)
        self.w.files.export_snapshot(self.service.market(), label, self.w.lang)

    # --- recording and replay -------------------------------------------------------------
    def toggle_recording(self) -> None:
        on = not self.service.settings.record_ticks
        self._run(
            self.w.apply_settings(self.service.settings.with_(record_ticks=on), None),
            self.tr("Record ticks"),
        )

    def open_replay(self) -> None:
        folder = self.service.paths.recordings
        path, _ = QFileDialog.getOpenFileName(
            self.w,
            self.tr("Open recorded day"),
            str(folder if folder.is_dir() else Path.home()),
            self.tr("Recorded ticks (*.sqlite);;All files (*)"),
        )
        if path:
            self._run(self.replay_file(Path(path)), self.tr("Open recorded day"))

    async def replay_file(self, path: Path, speed: float | None = 10.0) -> bool:
        """Play ``path`` instead of the live feed; False (and a message) if unusable."""
        try:
            await self.service.open_replay(path, speed)
        except (OSError, sqlite3.Error, ValueError) as e:
            self.w.notify(self.tr("Open recorded day"), f"{path.name}: {e}")
            return False
        self.w.session_changed()
        return True

    def pause_replay(self) -> None:
        replay = self.service.replaying
        if replay is not None and replay.server is not None:
            server = replay.server
            server.resume() if server.paused else server.pause()
            self.w.status.refresh()

    def replay_speed(self) -> None:
        """Next speed: ×1 → ×10 → ×60 → max → ×1."""
        replay = self.service.replaying
        if replay is not None and replay.server is not None:
            speeds: list[float | None] = [1.0, 10.0, 60.0, None]
            now = replay.server.speed
            replay.server.set_speed(speeds[(speeds.index(now) + 1) % 4 if now in speeds else 0])
            self.w.status.refresh()

    def seek_replay(self) -> None:
        replay = self.service.replaying
        if replay is None or replay.server is None:
            return
        text, ok = QInputDialog.getText(
            self.w,
            self.tr("Jump to a time"),
            self.tr("Time of the recorded day (HH:MM:SS):"),
            text=replay.server.clock_time() or "09:30:00",
        )
        if ok:
            self.seek_to(text.strip())

    def seek_to(self, hhmmss: str) -> bool:
        """Jump the replay to ``hhmmss`` of the recorded day; False if not a time."""
        if self.service.replaying is None:
            return False
        try:
            dt.time.fromisoformat(hhmmss)
        except ValueError:
            self.w.statusBar().showMessage(
                self.tr("Not a time: %1 (use HH:MM:SS)").replace("%1", hhmmss), 6000
            )
            return False

        async def seek() -> None:
            await self.service.seek_replay(hhmmss)
            self.w.session_changed()

        self._run(seek(), self.tr("Jump to a time"))
        return True

    def leave_replay(self) -> None:
        async def back() -> None:
            await self.service.close_replay()
            self.w.session_changed()

        self._run(back(), self.tr("Back to the live feed"))

    # --- alerts ----------------------------------------------------------------------------
    def add_alert(self, symbol: str, kind: str, value: float | None, repeat: bool = False) -> bool:
        return self.w.alerts_panel.add_rule(symbol, kind, value, repeat) is not None

    def remove_alerts(self) -> None:
        self.service.remove_alerts_of(self.w.selected_symbols())
