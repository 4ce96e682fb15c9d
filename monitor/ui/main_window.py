"""The main window: a shell composing the panels and wiring them to the service.

Panels, each its own module: the list panel (left), the entry bar and the quotes pane
(centre), the chart and alerts tabs (bottom), the status line, the menus (as data).
User actions call :class:`~monitor.service.monitor.MonitorService` operations — through
the undo stack for watchlist edits — and the service's events come back through the
:class:`~monitor.ui.bridge.ServiceBridge` as signals. Ticks reach the book without Qt;
one QTimer at the refresh rate flushes dirty rows to the model and the chart.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from functools import partial
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from monitor.core.alert_log import LoggedAlert
from monitor.core.alerts import AlertRule
from monitor.core.redact import redact
from monitor.core.settings import Settings
from monitor.core.symbols import Board, ParseReport, board_of
from monitor.feed.client import Phase
from monitor.service.events import ListsChanged, SettingsChanged
from monitor.service.listing_keeper import RefreshOutcome
from monitor.service.monitor import MonitorService
from monitor.ui.appearance import Appearance
from monitor.ui.breadth_bar import BreadthBar
from monitor.ui.bridge import ServiceBridge
from monitor.ui.commands import Commands
from monitor.ui.compact_mode import CompactMode
from monitor.ui.detail_tabs import DetailTabs
from monitor.ui.dialogs import SettingsDialog, ShortcutsDialog
from monitor.ui.entry_bar import EntryBar
from monitor.ui.file_actions import FileActions
from monitor.ui.floating_ticker import TickerControl
from monitor.ui.i18n import TRANSLATIONS, resolve_language
from monitor.ui.listing_dialog import ListingDialog, outcome_text
from monitor.ui.lists_panel import ALL_MARKET, ListsPanel
from monitor.ui.quick_search import QuickSearch
from monitor.ui.quote_model import QuoteTableModel
from monitor.ui.quotes_pane import QuotesPane
from monitor.ui.sound import play_alert_sound
from monitor.ui.status_line import MessageBar, StatusLine
from monitor.ui.texts import alert_rule_text, not_saved_title
from monitor.ui.theme import Look, resolve_theme
from monitor.ui.watchlist_edits import WatchlistEdits
from monitor.ui.window_menus import WindowMenus

__all__ = ["MainWindow"]

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, service: MonitorService, *, logfile: str = "") -> None:
        super().__init__()
        self.service = service
        self.logfile = logfile
        s = service.settings
        self.lang = resolve_language(s.language)
        TRANSLATIONS.apply(self.lang)
        self.discreet = bool(s.ui.get("discreet", False))
        self.look = Look(dark=resolve_theme(s.theme) == "dark", discreet=self.discreet)
        self.bridge = ServiceBridge(service, self)
        self.model = QuoteTableModel(service.book, lang=self.lang, red_up=s.red_up)
        self.model.delisted = service.listing.delisted  # flagged in the name column
        self.model.not_served = service.not_served  # refused by the provider: flagged too
        self.listing_dialog: ListingDialog | None = None
        self.model.stale_after_ms = s.stale_seconds * 1000.0
        self.model.staleness_applies = self._staleness_applies
        self.appearance = Appearance(self)
        self._build_panels()
        self.commands = Commands(self)
        self.menus = WindowMenus(self, self.commands.menu_spec())
        self.acts = self.menus.acts
        self.lists.menu_actions = self.acts
        self.compact_mode = CompactMode(self)
        self._connect()
        self._restore_ui_state()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._frame)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(500)
        self.status_timer.timeout.connect(self.status.refresh)
        # Rules also re-arm inside the engine (hysteresis): show it when it happens.
        self.status_timer.timeout.connect(self.alerts_panel.refresh_if_changed)
        self.status_timer.timeout.connect(self.breadth.refresh)
        self.status_timer.timeout.connect(self.bottom.slow_tick)
        self.tickers = TickerControl(self, service, self.list_label)
        self.status_timer.timeout.connect(self.tickers.refresh)
        self.first_row_painted = asyncio.get_event_loop().create_future()
        self.tray: QSystemTrayIcon | None = None
        self._alerts_on_banner = 0  # fired while the alert notice was up
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setToolTip(self.windowTitle())
            self.tray.setContextMenu(self.tickers.tray_menu(self.bring_to_front, self.close))
            self.tray.show()
            self.tickers.has_tray = True
        self.last_sound = ""
        self.last_notification = ""  # the desktop notification text of the latest alert
        self._boxes: list[QMessageBox] = []
        self.appearance.apply_look()
        self.retranslate()
        self.appearance.check_menus()
        if self.discreet and s.discreet_compact:
            self.compact_mode.enter()

    # --- construction --------------------------------------------------------------
    def _build_panels(self) -> None:
        service = self.service
        self.undo = QUndoStack(self)
        self.lists = ListsPanel(service, self)
        self.entry = EntryBar(service, self)
        self.pane = QuotesPane(self.model, self)
        self.table = self.pane.table
        self.quick = QuickSearch(self)
        self.bottom = DetailTabs(service, self.model.palette, self)
        self.chart = self.bottom.chart
        self.alerts_panel = self.bottom.alerts_panel
        self.alert_log = self.alerts_panel.log
        self.edits = WatchlistEdits(service, self.undo, self.lists.label, self)
        self.files = FileActions(service, self)
        center = QWidget(self)
        cl = QVBoxLayout(center)
        cl.setContentsMargins(4, 4, 4, 0)
        cl.addWidget(self.entry)
        cl.addWidget(self.pane, 1)
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.addWidget(center)
        self.vsplit.addWidget(self.bottom)
        self.vsplit.setStretchFactor(0, 3)
        self.vsplit.setStretchFactor(1, 2)
        self.vsplit.setSizes([500, 280])
        self.hsplit = QSplitter(Qt.Orientation.Horizontal, self)
        self.hsplit.addWidget(self.lists)
        self.hsplit.addWidget(self.vsplit)
        self.hsplit.setStretchFactor(1, 1)
        self.hsplit.setSizes([170, 1110])
        self.breadth = BreadthBar(service, self)
        top = QWidget(self)
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.setSpacing(0)
        tl.addWidget(self.breadth)
        tl.addWidget(self.hsplit, 1)
        self.setCentralWidget(top)
        self.setStatusBar(MessageBar(self))  # messages cut at a word, never mid-word
        self.status = StatusLine(service, self.statusBar())
        self.resize(1280, 800)

    def _connect(self) -> None:
        b = self.bridge
        b.lists_changed.connect(self._lists_changed)
        b.alert_fired.connect(self._alert_fired)
        b.alerts_changed.connect(self.alerts_panel.refresh)
        b.holdings_changed.connect(self.bottom.holdings.refresh)
        b.holdings_changed.connect(self.breadth.refresh)
        self.bottom.holdings.problem.connect(self.notify)
        self.bottom.holdings.message.connect(self.statusBar().showMessage)
        b.master_changed.connect(self._master_changed)
        b.index_ready.connect(self._index_ready)
        b.calendar_ready.connect(self.status.refresh)
        b.not_saved.connect(lambda what, detail: self.notify(not_saved_title(what), detail))
        b.listing_refreshed.connect(self._listing_refreshed)
        b.settings_changed.connect(self._settings_changed)
        b.session_started.connect(self.bottom.session_started)
        self.lists.view_changed.connect(self._view_changed)
        self.entry.filter_changed.connect(self._filter_changed)
        self.entry.add_requested.connect(self.commands.add_from_box)
        self.entry.paste_requested.connect(self.commands.paste_codes)
        self.table.rows_dropped.connect(self.commands.reorder)
        self.table.typed.connect(lambda text: self.quick.open_with(text, self.table))
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        self.quick.chosen.connect(self.commands.quick_pick)
        self.breadth.index_chosen.connect(self.chart_symbol)
        self.pane.volume_unit_chosen.connect(self.appearance.set_volume_unit)
        self.edits.message.connect(self.statusBar().showMessage)
        self.files.message.connect(self.statusBar().showMessage)
        self.edits.refused.connect(self.notify)
        self.files.problem.connect(self.notify)
        self.alerts_panel.problem.connect(self.notify)
        self.alerts_panel.rule_set.connect(self._rule_set)
        self.undo.indexChanged.connect(self._undo_texts)
        self.undo.cleanChanged.connect(self._undo_texts)

    def retranslate(self) -> None:
        """Every fixed string of the window in the current language (on LanguageChange)."""
        if not hasattr(self, "menus"):
            return
        self.menus.retranslate()
        self._undo_texts()
        self._update_title()
        self.entry.retranslate()
        self.pane.retranslate()
        self.lists.relabel()
        self.lists.setAccessibleName(self.tr("Lists"))
        self.lists.setAccessibleDescription(self.tr("The whole market and your watchlists"))
        self.pane.update_no_match(self.entry.filter.text())
        self.bottom.retranslate()
        self.tickers.retranslate()
        self.breadth.lang = self.lang
        self.breadth.retranslate()
        self.quick.retranslate()
        self.appearance.apply_volume_unit()
        if self.tray is not None:
            self.tray.setToolTip(self.windowTitle())
        self.status.refresh()

    def _undo_texts(self) -> None:
        u = self.undo
        self.menus.set_undo_texts(u.canUndo(), u.undoText(), u.canRedo(), u.redoText())

    def _update_title(self) -> None:
        self.setWindowTitle(self.tr("Monitor") if self.discreet else self.tr("A-Share Monitor"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        service = self.service
        if service.notes.messages:
            for msg in service.notes.messages:
                log.warning("%s", msg)
            # Saved state that could not be used: say so, non-modally, with the details.
            self.startup_box = self.notify(
                self.tr("Some saved settings could not be used"),
                "\n".join(f"• {m}" for m in service.notes.messages),
            )
        try:
            await service.start()
        except Exception as e:  # a bad provider setting must not stop the window
            log.exception("feed failed to start")
            self.notify(self.tr("Could not start the feed"), redact(str(e)))
        self._session_shown()
        self.lists.reload(service.settings.ui.get("current_list"))
        self.tickers.restore()
        service.load_in_background(self.first_row_painted)
        self.timer.start(int(1000 / service.settings.refresh_hz))
        self.status_timer.start()
        self.status.refresh()

    def session_changed(self) -> None:
        """Another session started (a replay opened or left): show its view."""
        self._session_shown()
        self.lists.reload(self.current_list() or "*all*")
        self.status.refresh()

    def _session_shown(self) -> None:
        service = self.service
        self.entry.set_simulated(service.simulated and not self.compact)
        for key in ("replay_pause", "replay_speed", "replay_seek", "leave_replay"):
            self.acts[key].setEnabled(service.replaying is not None)
        self.model.sparkline_span = 0 if service.simulated else service.book.history_points
        self.entry.refresh_completer()

    def notify(self, title: str, text: str, *, warning: bool = True) -> QMessageBox:
        """A non-modal message box: the window keeps updating behind it."""
        icon = QMessageBox.Icon.Warning if warning else QMessageBox.Icon.Information
        box = QMessageBox(icon, title, text, parent=self)
        box.setModal(False)
        box.show()
        self._boxes = [b for b in self._boxes if b.isVisible()] + [box]
        return box

    def bring_to_front(self) -> None:
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.tickers.shutdown()
        self.bottom.close_tasks()
        self.save_ui_state()
        self.timer.stop()
        self.status_timer.stop()
        super().closeEvent(event)
        self.closed.emit()

    def save_ui_state(self) -> None:
        """The layout (geometry, columns, splitter) and the list shown, for the next start."""
        ui = dict(self.service.settings.ui)
        # In the compact window, save the full window's layout (compact is re-entered at start).
        saved = self.compact_mode.saved or {}
        geometry = saved.get("geometry") or self.saveGeometry()
        header = saved.get("header") or self.table.horizontalHeader().saveState()
        vsplit = saved.get("vsplit") or self.vsplit.saveState()
        for key, state in (("geometry", geometry), ("header", header), ("vsplit", vsplit)):
            assert isinstance(state, QByteArray)
            ui[key] = base64.b64encode(bytes(state.data())).decode()
        ui["current_list"] = self.current_list() or "*all*"
        self.service.update_settings(ui=ui)

    def _restore_ui_state(self) -> None:
        ui = self.service.settings.ui
        for key, fn in (
            ("geometry", self.restoreGeometry),
            ("header", self.table.horizontalHeader().restoreState),
            ("vsplit", self.vsplit.restoreState),
        ):
            raw = ui.get(key)
            if isinstance(raw, str):
                try:
                    fn(QByteArray(base64.b64decode(raw)))
                except (ValueError, TypeError):
                    log.warning("ignored a damaged %s layout", key)

    # --- the frame timer -------------------------------------------------------------
    def _frame(self) -> None:
        try:
            self.model.flush()
            self.bottom.frame()
            if not self.first_row_painted.done() and self._has_live_row():
                self.first_row_painted.set_result(time.monotonic())
        except Exception:
            log.exception("frame update failed")

    def _has_live_row(self) -> bool:
        b = self.service.book
        rows = (b.row_of(s) for s in self.model.symbols()[:50])
        return any(b.ticks[r] > 0 for r in rows if r is not None)

    def _staleness_applies(self) -> bool:
        return self.service.phase() is not Phase.LIVE or self.service.trading_now()

    # --- service events ----------------------------------------------------------------
    def _lists_changed(self, event: ListsChanged) -> None:
        if event.structure:
            self.lists.reload(event.name)
            return
        self.lists.update_counts()
        mine = event.name is not None and event.name == self.current_list()
        self._show_symbols(
            list(event.select) if mine and event.select else None, event.row if mine else None
        )

    def _master_changed(self) -> None:
        self.entry.refresh_completer()
        if self.lists.count() and self.lists.currentRow() == ALL_MARKET:
            self.lists.reload("*all*")  # the whole market grew (an empty panel: not shown yet)

    def _listing_refreshed(self, outcome: RefreshOutcome) -> None:
        """Say what the exchanges' listing changed (File › A-share listing shows it all)."""
        self.statusBar().showMessage(outcome_text(outcome, self.service.listing_as_of), 20_000)
        self.table.viewport().update()  # delisted names are flagged
        if self.listing_dialog is not None:
            self.listing_dialog.show_listing()

    def open_listing(self) -> ListingDialog:
        """File › A-share listing: source, date, last changes, refresh now."""
        if self.listing_dialog is None:
            dlg = ListingDialog(self.service, self)
            dlg.symbol_chosen.connect(self.commands.quick_pick)
            dlg.import_requested.connect(self.files.import_listing)
            self.listing_dialog = dlg
        self.listing_dialog.show_listing()
        self.listing_dialog.open()
        return self.listing_dialog

    def _index_ready(self) -> None:
        """The search index is built: quick search, add box and filter use it."""
        self.quick.index = self.service.index
        self.entry.index_ready()
        if self.entry.filter.text().strip():
            self._filter_changed(self.entry.filter.text())

    def _settings_changed(self, event: SettingsChanged) -> None:
        if event.old.provider != event.new.provider:
            self._session_shown()

    def _alert_fired(self, event: LoggedAlert) -> None:
        line = self.alerts_panel.log_event(event)
        # Discreet mode: nothing on screen (strip, status, bubble) names the stock.
        text = self.tr("An alert fired; it is in the Alerts tab.") if self.discreet else line
        self.statusBar().showMessage(self.tr("Alert: %1").replace("%1", text), 10000)
        self.last_notification = text
        banner = self.pane.alert_banner
        self._alerts_on_banner = self._alerts_on_banner + 1 if banner.isVisible() else 1
        more = self._alerts_on_banner - 1
        shown = (
            text
            if not more
            else self.tr("%1  (%n more in the Alerts tab)", "", more).replace("%1", text)
        )
        banner.show_report(shown, warning=True)
        if self.tray is None:
            QApplication.alert(self)  # the taskbar entry asks for attention
        if self.tray is not None:
            self.tray.showMessage(
                self.windowTitle(), text, QSystemTrayIcon.MessageIcon.Information, 8000
            )
        self.last_sound = play_alert_sound(self.service.settings.alert_sound)

    def _rule_set(self, rule: AlertRule) -> None:
        text = self.tr("Alert set: %1 %2").replace("%1", rule.symbol)
        self.statusBar().showMessage(text.replace("%2", alert_rule_text(rule)), 5000)

    # --- views -----------------------------------------------------------------------
    def current_list(self) -> str | None:
        """The key of the watchlist shown (None: the whole market)."""
        return self.lists.current_list()

    def list_label(self, name: str | None) -> str:
        return self.lists.label(name)

    def _view_changed(self, name: str | None) -> None:
        self.service.set_all_market(name is None)
        self._show_symbols()

    def _show_symbols(self, select: list[str] | None = None, row: int | None = None) -> None:
        name = self.current_list()
        service = self.service
        syms = service.market() if name is None else service.watchlists.get(name)
        if name is None and not syms:
            syms = service.wanted()
        self.model.allow_reorder = name is not None
        self.pane.show_symbols(syms, empty=name is not None and not syms, select=select, row=row)
        self.acts["remove"].setEnabled(name is not None)
        self.pane.update_no_match(self.entry.filter.text())

    def selected_symbols(self) -> list[str]:
        return self.pane.selected_symbols()

    def select_symbols(self, symbols: list[str]) -> bool:
        return self.pane.select_symbols(symbols)

    def select_symbol(self, symbol: str) -> bool:
        return self.pane.select_symbols([symbol])

    def _filter_changed(self, text: str) -> None:
        """Filter by code or name, and by pinyin initials once the index is built."""
        query = text.strip()
        found = self.service.search(query, len(self.service.index or ())) if query else None
        self.model.set_filter(text, set(found) if found is not None else None)
        self.pane.update_no_match(text)

    def _selection_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        sym = self.model.symbol_at(current.row()) if current.isValid() else None
        self.bottom.set_symbol(sym)

    def _table_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        if self.current_list() is not None:
            menu.addAction(self.acts["remove"])
        else:
            target = QMenu(self.tr("Add to list"), menu)
            for name in self.service.watchlists.names():
                target.addAction(self.list_label(name), partial(self._add_selected_to, name))
            menu.addMenu(target)
        syms = [s for s in self.selected_symbols() if board_of(s) is not Board.INDEX]
        if len(syms) == 1:  # an index cannot be held
            menu.addSeparator()
            menu.addAction(
                self.tr("Set holding…"), partial(self.bottom.holdings.open_dialog, syms[0])
            )
            if self.service.portfolio.holdings.get(syms[0]) is not None:
                menu.addAction(
                    self.tr("Remove holding"), partial(self.service.portfolio.remove, syms)
                )
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _add_selected_to(self, name: str) -> None:
        self.edits.add(name, self.selected_symbols())

    # --- what tests and the user drive: thin doors into the panels -------------------
    def add_symbols(self, symbols: list[str], list_name: str | None = None) -> list[str]:
        return self.commands.add_symbols(symbols, list_name)

    def paste_text(self, text: str, name: str) -> tuple[list[str], ParseReport]:
        return self.commands.paste_text(text, name)

    def remove_selected(self) -> None:
        self.commands.remove_selected()

    def reorder(self, symbols: list[str], target: int) -> None:
        self.commands.reorder(symbols, target)

    def resolve(self, text: str) -> ParseReport:
        return self.service.resolve(text)

    def export_to(self, path: Path, symbols: list[str]) -> int:
        return self.files.export_to(path, symbols, self.lang)

    def export_file_name(self, label: str) -> str:
        return self.files.file_name(label)

    def import_list_file(self, path: Path) -> str | None:
        return self.files.import_list_file(path, self.lists.labels())

    def import_listing_file(self, path: Path) -> int | None:
        return self.files.import_listing_file(path)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        return self.menus.shortcut_rows()

    def show_shortcuts(self) -> None:
        self._shortcuts = ShortcutsDialog(self.shortcut_rows(), self)
        self._shortcuts.show()

    def chart_symbol(self, symbol: str) -> None:
        """Chart ``symbol`` (an index clicked on the breadth bar) without changing the list."""
        self.acts["toggle_chart"].setChecked(True)
        self.bottom.setVisible(True)
        if self.bottom.currentWidget() is not self.bottom.kline:
            self.bottom.setCurrentWidget(self.bottom.intraday)
        # The table's row is not what is charted now: clicking it again charts it again.
        self.table.selectionModel().clearCurrentIndex()
        self.table.clearSelection()
        self.bottom.set_symbol(symbol)

    def show_alert_rules(self) -> None:
        self.acts["toggle_chart"].setChecked(True)
        self.bottom.setVisible(True)
        self.bottom.setCurrentWidget(self.alerts_panel)
        self.alerts_panel.table.setFocus()

    def add_alert(self, symbol: str, kind: str, value: float | None, repeat: bool = False) -> bool:
        return self.commands.add_alert(symbol, kind, value, repeat)

    # --- settings, look, language, discreet mode ----------------------------------------
    def open_settings(self) -> None:
        s = self.service.settings
        dlg = SettingsDialog(s, self.service.tokens.get("alltick"), self.token_place(), self)
        if dlg.exec() != SettingsDialog.DialogCode.Accepted or dlg.result_settings is None:
            return
        asyncio.get_event_loop().create_task(
            self.apply_settings(dlg.result_settings, dlg.result_token)
        )

    def token_place(self) -> str:
        """Where the token is kept, in the user's words."""
        tokens = self.service.tokens
        if tokens.keyring is not None:
            return self.tr("the system keyring")
        return self.tr("%1 (readable only by you)").replace("%1", str(tokens.file))

    async def apply_settings(self, new: Settings, token: str | None) -> None:
        try:
            await self.service.apply_settings(new, token)
        except Exception as e:
            log.exception("applying settings failed")
            self.notify(self.tr("Settings"), redact(str(e)))
        self.appearance.apply_language(new.language)
        self.appearance.set_theme(new.theme, save=False)
        self.timer.setInterval(int(1000 / new.refresh_hz))
        self._session_shown()
        self.lists.reload(self.current_list() or "*all*")

    # Tests and the menus drive these; the work is in Appearance.
    def set_theme(self, theme: str) -> None:
        self.appearance.set_theme(theme)

    def set_language(self, pref: str) -> None:
        self.appearance.set_language(pref)

    def set_discreet(self, on: bool) -> None:
        self.appearance.set_discreet(on)

    @property
    def compact(self) -> bool:
        return self.compact_mode.saved is not None if hasattr(self, "compact_mode") else False
