"""The main window: watchlists on the left, the live table, the chart, the status bar.

Data flow: ticks reach the QuoteBook without touching Qt. One QTimer at the refresh
rate calls ``model.flush()`` (dirty rows -> ``dataChanged``) and ``chart.refresh()``;
a slower timer updates the status bar. Watchlist edits go through the undo stack to
:class:`~monitor.app.AppCore`, which saves them and resubscribes the feed at once.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import html
import logging
import re
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QStringListModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCompleter,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QSystemTrayIcon,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from monitor.app import AppCore
from monitor.core.alerts import AlertEvent, AlertRule
from monitor.core.calendar import MarketStatus, TradingCalendar
from monitor.core.export import export_csv
from monitor.core.master import MasterError
from monitor.core.quotes import SHANGHAI
from monitor.core.redact import redact
from monitor.core.session import is_trading
from monitor.core.symbols import ParseReport, SymbolError, normalize, parse_many
from monitor.core.watchlist import DEFAULT_LIST, WatchlistError
from monitor.core.watchlist_io import WatchlistFileError, read_watchlist_file, write_watchlist
from monitor.feed.client import Phase
from monitor.ui.alerts_panel import AlertsPanel
from monitor.ui.banner import ReportBanner
from monitor.ui.chart import DetailChart
from monitor.ui.columns import COLUMNS, column_index
from monitor.ui.delegates import CellDelegate, SparklineDelegate
from monitor.ui.dialogs import AlertDialog, PasteDialog, SettingsDialog, ShortcutsDialog
from monitor.ui.i18n import TRANSLATIONS, resolve_language
from monitor.ui.quick_search import QuickSearch
from monitor.ui.quote_model import Palette, QuoteTableModel
from monitor.ui.sound import play_alert_sound
from monitor.ui.table_view import QuoteTableView
from monitor.ui.texts import (
    alert_rule_text,
    connection_text,
    error_text,
    reason_text,
    session_text,
    why_text,
)
from monitor.ui.theme import Look, apply_app_palette, resolve_theme

__all__ = ["MainWindow"]

log = logging.getLogger(__name__)
ALL_MARKET = 0  # row of the all-market entry in the list panel
LIST_KEY = Qt.ItemDataRole.UserRole  # a list panel item's watchlist key (its text is the label)
# The widest text each kind of column must show whole at its default width.
_WIDEST = {
    "price": "8888.88",
    "change": "+888.88",
    "pct": "+888.88%",
    "volume": "8888.88万",
    "amount": "8888.88亿",
    "time": "00:00:00",
}
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def file_safe(name: str) -> str:
    """``name`` usable as a file name on every desktop (a list may be called “A/B”)."""
    return _UNSAFE_FILE_CHARS.sub("_", name).strip(" .") or "list"


class _Edit(QUndoCommand):
    """An undoable edit made of two callables."""

    def __init__(self, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        super().__init__(text)
        self._do, self._undo = do, undo

    # An exception escaping a virtual called from C++ can take the process down: log it.
    def redo(self) -> None:
        try:
            self._do()
        except Exception:
            log.exception("edit failed: %s", self.text())

    def undo(self) -> None:
        try:
            self._undo()
        except Exception:
            log.exception("undo failed: %s", self.text())


class MainWindow(QMainWindow):
    closed = Signal()

    def __init__(self, core: AppCore, *, logfile: str = "") -> None:
        super().__init__()
        self.core = core
        self.logfile = logfile
        s = core.settings
        self.lang = resolve_language(s.language)
        TRANSLATIONS.apply(self.lang)
        self.discreet = bool(s.ui.get("discreet", False))
        self.look = Look(dark=resolve_theme(s.theme) == "dark", discreet=self.discreet)
        self.undo = QUndoStack(self)
        self.model = QuoteTableModel(core.book, lang=self.lang, red_up=s.red_up)
        self.tray: QSystemTrayIcon | None = None
        self.model.stale_after_ms = s.stale_seconds * 1000.0
        self.model.staleness_applies = self._staleness_applies
        self._build_ui()
        self._build_menus()
        self._restore_ui_state()
        self._compact_saved: dict[str, object] | None = None
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._frame)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(500)
        self.status_timer.timeout.connect(self._update_status)
        self._master_seen = 0
        self._tick_rate = 0.0
        self.first_row_painted = asyncio.get_event_loop().create_future()
        self.calendar: TradingCalendar | None = None
        core.on_alert = self._on_alert
        core.trading = self._trading_now
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.setToolTip(self.windowTitle())
            self.tray.show()
        self._closed = False
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(SHANGHAI)
        self.last_sound = ""
        self.last_notification = ""  # the desktop notification text of the latest alert
        self.apply_look()
        self.retranslate()
        self._check_menu_state()
        if self.discreet and s.discreet_compact:
            self._enter_compact()

    # --- construction --------------------------------------------------------------
    def _build_ui(self) -> None:
        self.lists = QListWidget(self)
        self.lists.setMinimumWidth(130)
        self.lists.setMaximumWidth(220)
        self.lists.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.lists.customContextMenuRequested.connect(self._list_menu)
        self.lists.currentRowChanged.connect(self._view_changed)

        self.filter = QLineEdit(self)
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter_changed)
        self.add_box = QLineEdit(self)
        self.add_box.returnPressed.connect(self._add_from_box)
        # Until the pinyin index is built the completer filters "code name" lines itself;
        # then it shows what the quick search finds (codes, names, pinyin initials).
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.add_box.setCompleter(self.completer)
        self.add_box.textEdited.connect(self._complete_add_box)
        self.completer.activated.connect(self._completion_clicked)
        # Enter adds at once, with the completion list open or not (see eventFilter).
        popup = self.completer.popup()
        assert popup is not None
        self.completion_popup = popup
        popup.installEventFilter(self)
        self.add_box.installEventFilter(self)
        self.paste_button = QPushButton(self)
        self.paste_button.clicked.connect(self.paste_codes)
        self.sim_badge = QLabel(self)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.add_box, 2)
        bar.addWidget(self.paste_button)
        bar.addStretch(1)
        bar.addWidget(self.sim_badge)

        self.paste_report = ReportBanner(self)
        self.table = QuoteTableView(self)
        self.table.rows_dropped.connect(self.reorder)
        self.quick = QuickSearch(self)
        self.quick.chosen.connect(self.quick_pick)
        self.table.typed.connect(self._open_quick)
        self.table.setModel(self.model)
        self.table.setItemDelegate(CellDelegate(self.table))
        self.spark = SparklineDelegate(self.model.palette, self.table)
        self.table.setItemDelegateForColumn(column_index("spark"), self.spark)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        vh.setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setHighlightSections(False)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        for i, c in enumerate(COLUMNS):
            self.table.setColumnWidth(i, c.width)
        self._fit_column_widths()
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)
        # A filter that matches nothing says so over the empty table.
        self.no_match = QLabel(self.table.viewport())
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_match.setWordWrap(True)
        self.no_match.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        overlay = QVBoxLayout(self.table.viewport())
        overlay.addWidget(self.no_match, 0, Qt.AlignmentFlag.AlignCenter)
        self.no_match.hide()

        self.chart = DetailChart(self.core.book, self.model.palette, self)
        self.empty_hint = QLabel(self)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.hide()

        center = QWidget(self)
        cl = QVBoxLayout(center)
        cl.setContentsMargins(4, 4, 4, 0)
        cl.addLayout(bar)
        cl.addWidget(self.paste_report)
        cl.addWidget(self.table, 1)
        cl.addWidget(self.empty_hint, 1)
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.addWidget(center)
        self.alerts_panel = AlertsPanel(self.core, self)
        self.alert_log = self.alerts_panel.log
        self.alerts_panel.notify = self._notify
        self.alerts_panel.new_requested = self.new_alert
        self.alerts_panel.edit_requested = self.edit_alert
        self.bottom = QTabWidget(self)
        self.bottom.addTab(self.chart, "")
        self.bottom.addTab(self.alerts_panel, "")
        self.vsplit.addWidget(self.bottom)
        self.vsplit.setStretchFactor(0, 3)
        self.vsplit.setStretchFactor(1, 2)
        self.vsplit.setSizes([500, 280])
        self.hsplit = QSplitter(Qt.Orientation.Horizontal, self)
        self.hsplit.addWidget(self.lists)
        self.hsplit.addWidget(self.vsplit)
        self.hsplit.setStretchFactor(1, 1)
        self.hsplit.setSizes([170, 1110])
        self.setCentralWidget(self.hsplit)

        sb = self.statusBar()
        self.st_conn = QLabel(self)
        self.st_rate = QLabel(self)
        self.st_subs = QLabel(self)
        self.st_age = QLabel(self)
        self.st_session = QLabel(self)
        for w in (self.st_conn, self.st_rate, self.st_subs, self.st_age, self.st_session):
            sb.addPermanentWidget(w)
        self.resize(1280, 800)

    def _fit_column_widths(self) -> None:
        """Each column at least as wide as its widest usual value (bold, as at a limit) and
        its header with the sort arrow; a layout saved by an older version may be narrower.
        Narrower still by hand, numbers lose decimals rather than digits (see fit_text)."""
        font = self.table.font()
        font.setBold(True)
        fm = QFontMetrics(font)
        header = self.table.horizontalHeader().fontMetrics()
        for i, c in enumerate(COLUMNS):
            sample = _WIDEST.get(c.kind)
            need = max(
                fm.horizontalAdvance(sample) + 16 if sample else 0,
                header.horizontalAdvance(self.model.title(c)) + 28,
            )
            if self.table.columnWidth(i) < need:
                self.table.setColumnWidth(i, need)

    def _build_menus(self) -> None:
        """Menus as data: (key, slot, shortcut); texts come from :meth:`retranslate`."""
        std = QKeySequence.StandardKey
        spec: list[tuple[str, list[tuple[str, Callable[[], object], object] | None]]] = [
            (
                "file",
                [
                    ("export_view", self.export_view, "Ctrl+E"),
                    ("export_market", self.export_market, "Ctrl+Shift+E"),
                    None,
                    ("import_list", self.import_list, "Ctrl+I"),
                    ("export_list", self.export_list, "Ctrl+Shift+S"),
                    None,
                    ("import_listing", self.import_listing, "Ctrl+Shift+I"),
                    None,
                    ("settings", self.open_settings, "Ctrl+,"),
                    None,
                    ("quit", self.close, std.Quit),
                ],
            ),
            (
                "edit",
                [
                    ("undo", self.undo.undo, std.Undo),
                    ("redo", self.undo.redo, std.Redo),
                    None,
                    ("paste", self.paste_codes, "Ctrl+Shift+V"),
                    ("remove", self.remove_selected, std.Delete),
                    ("move_up", lambda: self.move_selected(-1), "Ctrl+Up"),
                    ("move_down", lambda: self.move_selected(1), "Ctrl+Down"),
                    None,
                    ("find", self.focus_filter, std.Find),
                    ("add_box", self.focus_add_box, "Ctrl+L"),
                ],
            ),
            (
                "lists",
                [
                    ("next_list", lambda: self.step_list(1), "Ctrl+PgDown"),
                    ("prev_list", lambda: self.step_list(-1), "Ctrl+PgUp"),
                    ("all_market", lambda: self.lists.setCurrentRow(ALL_MARKET), "Ctrl+0"),
                    None,
                    ("new_list", self.new_list, "Ctrl+N"),
                    ("rename_list", self.rename_list, "F2"),
                    ("delete_list", self.delete_list, "Ctrl+Shift+Del"),
                ],
            ),
            (
                "alerts",
                [
                    ("new_alert", self.new_alert, "Ctrl+Shift+A"),
                    ("alert_rules", self.show_alert_rules, "Ctrl+Alt+A"),
                    ("remove_alerts", self.remove_alerts, None),
                ],
            ),
            (
                "view",
                [
                    ("toggle_chart", self._toggle_chart, "Ctrl+G"),
                    None,
                    ("theme_auto", lambda: self.set_theme("auto"), None),
                    ("theme_light", lambda: self.set_theme("light"), None),
                    ("theme_dark", lambda: self.set_theme("dark"), "Ctrl+Shift+T"),
                    None,
                    ("discreet", self.toggle_discreet, "Ctrl+D"),
                    None,
                    ("lang_auto", lambda: self.set_language("auto"), None),
                    ("lang_zh", lambda: self.set_language("zh"), None),
                    ("lang_en", lambda: self.set_language("en"), None),
                ],
            ),
            (
                "help",
                [
                    ("shortcuts", self.show_shortcuts, std.HelpContents),
                    ("about", self.show_about, None),
                ],
            ),
        ]
        self.menus: dict[str, QMenu] = {}
        self.acts: dict[str, QAction] = {}
        mb = self.menuBar()
        for menu_key, items in spec:
            menu = mb.addMenu("")
            self.menus[menu_key] = menu
            for item in items:
                if item is None:
                    menu.addSeparator()
                    continue
                key, slot, shortcut = item
                self.acts[key] = self._action(menu, "", slot, shortcut)
        self.remove_action = self.acts["remove"]
        self.chart_action = self.acts["toggle_chart"]
        for key in ("toggle_chart", "discreet"):
            self.acts[key].setCheckable(True)
        self.chart_action.setChecked(True)
        for prefix in ("theme_", "lang_"):
            group = QActionGroup(self)
            for key, a in self.acts.items():
                if key.startswith(prefix):
                    a.setCheckable(True)
                    group.addAction(a)
        self.acts["undo"].setEnabled(False)
        self.acts["redo"].setEnabled(False)
        self.undo.indexChanged.connect(self._undo_texts)
        self.undo.cleanChanged.connect(self._undo_texts)

    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], object], shortcut: object = None
    ) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        a.triggered.connect(lambda _checked=False: slot())
        menu.addAction(a)
        self.addAction(a)  # shortcuts keep working with the menu bar hidden (compact mode)
        return a

    def retranslate(self) -> None:
        """Every fixed string of the window in the current language (on LanguageChange)."""
        if not hasattr(self, "acts"):
            return
        titles = {
            "file": self.tr("&File"),
            "edit": self.tr("&Edit"),
            "lists": self.tr("&Lists"),
            "alerts": self.tr("&Alerts"),
            "view": self.tr("&View"),
            "help": self.tr("&Help"),
        }
        texts = {
            "export_view": self.tr("Export snapshot (this view)…"),
            "export_market": self.tr("Export snapshot (whole market)…"),
            "import_list": self.tr("Import list (CSV/TXT)…"),
            "import_listing": self.tr("Import symbol list (CSV)…"),
            "export_list": self.tr("Export list…"),
            "settings": self.tr("Settings…"),
            "quit": self.tr("Quit"),
            "paste": self.tr("Paste codes…"),
            "remove": self.tr("Remove from list"),
            "move_up": self.tr("Move up"),
            "move_down": self.tr("Move down"),
            "find": self.tr("Filter the table"),
            "add_box": self.tr("Add a code or name"),
            "next_list": self.tr("Next list"),
            "prev_list": self.tr("Previous list"),
            "all_market": self.tr("Whole market"),
            "new_list": self.tr("New list…"),
            "rename_list": self.tr("Rename list…"),
            "delete_list": self.tr("Delete list"),
            "new_alert": self.tr("New alert for the selected symbol…"),
            "alert_rules": self.tr("Alert rules…"),
            "remove_alerts": self.tr("Remove alerts of the selected symbol"),
            "toggle_chart": self.tr("Show chart and alerts"),
            "theme_auto": self.tr("Theme: follow the system"),
            "theme_light": self.tr("Theme: light"),
            "theme_dark": self.tr("Theme: dark"),
            "discreet": self.tr("Discreet mode"),
            "lang_auto": self.tr("Language: follow the system"),
            "lang_zh": "中文",
            "lang_en": "English",
            "shortcuts": self.tr("Keyboard shortcuts"),
            "about": self.tr("About A-Share Monitor"),
        }
        for key, menu in self.menus.items():
            menu.setTitle(titles[key])
        for key, action in self.acts.items():
            if key in texts:
                action.setText(texts[key])
        self._undo_texts()
        self._update_title()
        self.filter.setPlaceholderText(self.tr("Filter code or name"))
        self.add_box.setPlaceholderText(self.tr("Add code or name (Enter)"))
        self.paste_button.setText(self.tr("Paste codes…"))
        self.sim_badge.setText(" " + self.tr("SIMULATED DATA") + " ")
        self.sim_badge.setToolTip(
            self.tr("Quotes come from the embedded simulator, not a market feed")
        )
        self.empty_hint.setText(
            self.tr("This list is empty.\nType a code or name above, or paste a block of codes.")
        )
        self.bottom.setTabText(0, self.tr("Chart"))
        self.bottom.setTabText(1, self.tr("Alerts"))
        self._relabel_lists()
        self._update_no_match()
        self._name_widgets()
        self.chart.retranslate()
        self.alerts_panel.retranslate()
        self.quick.retranslate()
        self.paste_report.retranslate()
        self._apply_volume_unit()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self._fit_column_widths()
        if self.tray is not None:
            self.tray.setToolTip(self.windowTitle())
        self._update_status()

    def _name_widgets(self) -> None:
        """Names and descriptions for screen readers, in the current language."""
        named = (
            (self.lists, self.tr("Lists"), self.tr("The whole market and your watchlists")),
            (
                self.filter,
                self.tr("Filter the table"),
                self.tr("Shows only rows whose code, name or pinyin initials match"),
            ),
            (
                self.add_box,
                self.tr("Add a code or name"),
                self.tr("Type a code, name or pinyin initials and press Enter"),
            ),
            (self.paste_button, self.tr("Paste codes"), self.tr("Add a block of codes at once")),
            (
                self.table,
                self.tr("Quotes"),
                self.tr("Live quotes; type to search, Delete removes, Ctrl+Up/Down reorders"),
            ),
            (self.bottom, self.tr("Chart and alerts"), ""),
            (self.bottom.tabBar(), self.tr("Chart and alerts"), ""),
            (self.sim_badge, self.tr("Simulated data"), ""),
        )
        for widget, name, description in named:
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def _undo_texts(self) -> None:
        u, r = self.acts["undo"], self.acts["redo"]
        u.setEnabled(self.undo.canUndo())
        r.setEnabled(self.undo.canRedo())
        u.setText(self.tr("Undo") + (f" {self.undo.undoText()}" if self.undo.canUndo() else ""))
        r.setText(self.tr("Redo") + (f" {self.undo.redoText()}" if self.undo.canRedo() else ""))

    def _update_title(self) -> None:
        if self.discreet:
            self.setWindowTitle(self.tr("Monitor"))
        else:
            self.setWindowTitle(self.tr("A-Share Monitor"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # --- lifecycle -------------------------------------------------------------------
    async def start(self) -> None:
        if self.core.notes.messages:
            for msg in self.core.notes.messages:
                log.warning("%s", msg)
            # Saved state that could not be used: say so, non-modally, with the details.
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Some saved settings could not be used"),
                "\n".join(f"• {m}" for m in self.core.notes.messages),
                parent=self,
            )
            box.setModal(False)
            box.show()
            self.startup_box = box
        try:
            await self.core.start()
        except Exception as e:  # a bad provider setting must not stop the window
            log.exception("feed failed to start")
            self._notify(self.tr("Could not start the feed"), redact(str(e)))
        self.sim_badge.setVisible(self.core.simulated)
        self.model.sparkline_span = 0 if self.core.simulated else self.core.book.history_points
        self._master_seen = self.core.master_generation
        self._refresh_completer()
        self._reload_lists(self.core.settings.ui.get("current_list"))
        self._index_task = asyncio.get_event_loop().create_task(self._build_index())
        self._calendar_task = asyncio.get_event_loop().create_task(self._load_calendar())
        self.timer.start(int(1000 / self.core.settings.refresh_hz))
        self.status_timer.start()
        self._update_status()

    def _notify(self, title: str, text: str) -> None:
        """A non-modal warning: the window keeps updating behind it."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        box.setModal(False)
        box.show()
        self._boxes = [b for b in getattr(self, "_boxes", []) if b.isVisible()] + [box]

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_ui_state()
        self.timer.stop()
        self.status_timer.stop()
        self._closed = True
        super().closeEvent(event)
        self.closed.emit()

    def _save_ui_state(self) -> None:
        ui = dict(self.core.settings.ui)
        # In the compact window, save the full window's layout (compact is re-entered at start).
        saved = self._compact_saved or {}
        geometry = saved.get("geometry") or self.saveGeometry()
        header = saved.get("header") or self.table.horizontalHeader().saveState()
        vsplit = saved.get("vsplit") or self.vsplit.saveState()
        for key, state in (("geometry", geometry), ("header", header), ("vsplit", vsplit)):
            assert isinstance(state, QByteArray)
            ui[key] = base64.b64encode(bytes(state.data())).decode()
        ui["current_list"] = self.current_list() or "*all*"
        try:
            self.core.settings = self.core.settings.with_(ui=ui)
            self.core.settings.save(self.core.paths.settings)
        except OSError as e:
            log.error("could not save window state: %s", e)

    def _restore_ui_state(self) -> None:
        ui = self.core.settings.ui
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
            if self.chart.isVisible():
                self.chart.refresh()
            if not self.first_row_painted.done() and self._has_live_row():
                self.first_row_painted.set_result(time.monotonic())
        except Exception:
            log.exception("frame update failed")

    def _has_live_row(self) -> bool:
        b = self.core.book
        return any(
            b.ticks[b.row_of(s) or 0] > 0
            for s in self.model.symbols()[:50]
            if b.row_of(s) is not None
        )

    def _staleness_applies(self) -> bool:
        if self.core.phase() is not Phase.LIVE:
            return True
        if self.core.simulated:
            return True
        return is_trading(self._market_status().phase)

    def _trading_now(self) -> bool:
        """Alerts fire only while prices are being made (the simulator: always)."""
        return self.core.simulated or is_trading(self._market_status().phase)

    def _market_status(self) -> MarketStatus:
        cal = self.calendar or TradingCalendar(load=False)  # weekdays until it has loaded
        return cal.status(self.clock())

    def _update_status(self) -> None:
        core = self.core
        pool = core.pool
        state = core.state
        health = core.health()
        dot = {
            Phase.LIVE: "#16a34a",
            Phase.BACKOFF: "#d97706",
            Phase.FAILED: "#dc2626",
        }.get(state.phase if state else Phase.CONNECTING, "#9ca3af")
        if health is not None and health.dropping is not None:
            dot = "#d97706"  # frames arrive but no price moves: never shown as plain live
        if self.discreet:
            dot = "#9ca3af" if dot != "#16a34a" else "#6b7280"
        text = connection_text(
            state if pool is not None else None,
            pool.stats.bad_frames if pool else 0,
            dropping=health.dropping if health else None,
        )
        if health is not None and health.notes:
            # What is missing (e.g. previous closes) is said in the bar, details in the tip.
            note = re.split("[:：]", why_text(health.notes[0]), maxsplit=1)[0]
            text += " · " + (note if len(note) <= 40 else note[:39] + "…")
        self.st_conn.setText(f"<span style='color:{dot}'>●</span> {html.escape(text)}")
        tips = [pool.stats.last_error] if pool and pool.stats.last_error else []
        if health is not None:
            tips += [why_text(n) for n in health.notes]
        self.st_conn.setToolTip(html.escape("\n".join(tips)))
        rate = health.applied_per_s if health else 0.0
        self.st_rate.setText(self.tr("%1 ticks/s").replace("%1", f"{rate:,.0f}"))
        if health is not None:
            self.st_subs.setText(
                self.tr("subscribed %1 / receiving %2")
                .replace("%1", f"{health.subscribed:,}")
                .replace("%2", f"{health.receiving:,}")
            )
            age = f"{health.newest_age:.1f} s" if health.newest_age is not None else "—"
            self.st_age.setText(self.tr("newest tick %1").replace("%1", age))
            served = core.session.provider_symbols if core.session is not None else None
            self.st_subs.setToolTip(
                self.tr("Whole market: the provider's list, %1 symbols").replace(
                    "%1", f"{len(served):,}"
                )
                if served
                else self.tr("Whole market: the A-share listing as of %1, %2 stocks")
                .replace("%1", core.listing_as_of)
                .replace("%2", f"{len(core.listed_stocks):,}")
            )
        if core.master_generation != self._master_seen:
            self._master_seen = core.master_generation
            self._refresh_completer()
            self._index_task = asyncio.get_event_loop().create_task(self._build_index())
            if self.current_list() is None:
                self._reload_lists("*all*")
        self.alerts_panel.refresh_if_changed()
        self.st_session.setText(
            session_text(
                self._market_status(),
                simulated=core.simulated,
                calendar_loaded=self.calendar is not None,
            )
        )

    # --- views and lists -------------------------------------------------------------
    def current_list(self) -> str | None:
        """The key of the watchlist shown (None: the whole market)."""
        row = self.lists.currentRow()
        if row <= ALL_MARKET:
            return None
        item = self.lists.item(row)
        key = item.data(LIST_KEY) if item else None
        return key if isinstance(key, str) else None

    def list_label(self, name: str | None) -> str:
        """A list as shown: the built-in one in the UI's language, users' own as typed."""
        if name is None:
            return self.tr("All market")
        return self.tr("Watchlist") if self.core.watchlists.is_builtin(name) else name

    def _relabel_lists(self) -> None:
        for row in range(self.lists.count()):
            item = self.lists.item(row)
            key = item.data(LIST_KEY)
            item.setText(self.list_label(key if row != ALL_MARKET else None))
        self._update_list_counts()

    def _reload_lists(self, select: str | None = None) -> None:
        self.lists.blockSignals(True)
        self.lists.clear()
        self.lists.addItem(self.tr("All market"))
        for name in self.core.watchlists.names():
            item = QListWidgetItem(self.list_label(name))
            item.setData(LIST_KEY, name)
            self.lists.addItem(item)
        self._update_list_counts()
        names = self.core.watchlists.names()
        row = (
            ALL_MARKET if select == "*all*" else (names.index(select) + 1 if select in names else 1)
        )
        self.lists.setCurrentRow(row)
        self.lists.blockSignals(False)
        self._view_changed(row)

    def _update_list_counts(self) -> None:
        names = self.core.watchlists.names()
        for i, name in enumerate(names, 1):
            item = self.lists.item(i)
            if item is not None:
                item.setToolTip(f"{self.list_label(name)}: {len(self.core.watchlists.get(name))}")

    def _view_changed(self, row: int) -> None:
        if row < 0:
            return
        all_market = row == ALL_MARKET
        if all_market != self.core.all_market:
            self.core.all_market = all_market
            self.core.resubscribe()
        self._show_symbols()

    def _show_symbols(self, select: list[str] | None = None, row: int | None = None) -> None:
        """Show the current view; selected afterwards: ``select`` (symbols), else display
        ``row``, else what was selected before, else the first row (the chart always
        shows something)."""
        name = self.current_list()
        keep = self.selected_symbols() if select is None else select
        syms = self.core.market() if name is None else self.core.watchlists.get(name)
        if name is None and not syms:
            syms = self.core.wanted()
        self.model.allow_reorder = name is not None
        self.model.set_symbols(syms)
        n = self.model.rowCount()
        if n and (row is not None or not self.select_symbols(keep)):
            self._select_rows([min(max(row or 0, 0), n - 1)])
        empty = name is not None and not syms
        self.table.setVisible(not empty)
        self.empty_hint.setVisible(empty)
        self.remove_action.setEnabled(name is not None)
        self._update_no_match()

    def select_symbols(self, symbols: list[str]) -> bool:
        """Select exactly the rows of ``symbols`` shown (the first becomes current)."""
        rows = sorted({r for s in symbols if (r := self.model.row_of(s)) is not None})
        if rows:
            self._select_rows(rows)
        return bool(rows)

    def _select_rows(self, rows: list[int]) -> None:
        # Explicit flags: selectRow() would add to the selection while Ctrl is held.
        m = self.model
        last = m.columnCount() - 1
        selection = QItemSelection()
        for r in rows:
            selection.select(m.index(r, 0), m.index(r, last))
        sm = self.table.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        column = max(self.table.currentIndex().column(), 0)
        sm.setCurrentIndex(m.index(rows[0], column), flag.NoUpdate)
        sm.select(selection, flag.ClearAndSelect | flag.Rows)
        self.table.scrollTo(m.index(rows[0], column))

    async def wait_background(self, timeout: float = 15.0) -> None:
        """Let worker threads started by the window finish before the loop goes away.

        Cancelling a task does not stop its thread, and a thread that completes after
        the event loop has closed posts into a dead loop.
        """
        tasks = [
            t
            for t in (getattr(self, "_index_task", None), getattr(self, "_calendar_task", None))
            if t
        ]
        if tasks:
            await asyncio.wait(tasks, timeout=timeout)

    async def _after_first_paint(self) -> None:
        """Heavy one-off loads wait until live rows are on screen: start-up comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.first_row_painted), 3)

    async def _load_calendar(self) -> None:
        await self._after_first_paint()
        calendar = await asyncio.to_thread(TradingCalendar)
        if not self._closed:  # the window may have gone while the thread worked
            self.calendar = calendar
            self._update_status()

    async def _build_index(self) -> None:
        """Build the pinyin index off the event loop's critical path (~0.4 s for 5,500)."""
        from monitor.core.master import SymbolMaster
        from monitor.core.search import SymbolIndex
        from monitor.resources_path import char_initials

        await self._after_first_paint()
        master = SymbolMaster(list(self.core.master))  # a snapshot: merges happen on the loop
        index = await asyncio.to_thread(lambda: SymbolIndex(master, char_initials()))
        if not self._closed:
            self.quick.index = index
            self._index_ready()

    def _open_quick(self, text: str) -> None:
        self.quick.open_with(text, self.table)

    def quick_pick(self, symbol: str) -> None:
        """Quick search picked ``symbol``: add it to the current list, or jump to its row."""
        if self.current_list() is not None and symbol not in self.core.watchlists.get(
            self.current_list() or ""
        ):
            self.add_symbols([symbol])
        self.select_symbol(symbol)
        self.table.setFocus()

    def _refresh_completer(self) -> None:
        """Before the pinyin index exists: every "code name" line, filtered by Qt."""
        if self.quick.index is not None:
            return
        items = [f"{i.symbol} {i.name}" for i in self.core.master]
        self.completer.setModel(QStringListModel(items, self.completer))

    def _index_ready(self) -> None:
        """The pinyin index is built: the add box completes as the quick search finds,
        and the filter matches pinyin initials too."""
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setModel(QStringListModel([], self.completer))
        if self.filter.text().strip():
            self._filter_changed()

    def _complete_add_box(self, text: str) -> None:
        index = self.quick.index
        if index is None:
            return
        model = self.completer.model()
        assert isinstance(model, QStringListModel)
        query = text.strip()
        lines = [f"{m.symbol}   {m.name}" for m in index.search(query, 30)] if query else []
        model.setStringList(lines)
        if lines:
            self.completer.setCompletionPrefix(text)
            self.completer.complete()
        else:
            self.completion_popup.hide()

    def _completion_clicked(self, text: str) -> None:
        """A completion chosen with the mouse: add it, as Enter would."""
        self.add_box.setText(text)
        self._add_from_box()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Enter in the add box adds at once, completion list open or not: Qt's completer
        # would first only close the list (and put the highlighted line in the box).
        popup = self.completion_popup
        if (
            obj in (self.add_box, popup)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            chosen = popup.currentIndex() if popup.isVisible() else QModelIndex()
            popup.hide()
            if chosen.isValid():
                self.add_box.setText(str(chosen.data()))
            self._add_from_box()
            return True
        return super().eventFilter(obj, event)

    def _filter_changed(self, _text: str = "") -> None:
        """Filter by code or name, and by pinyin initials once the index is built."""
        text = self.filter.text()
        index = self.quick.index
        query = text.strip()
        also = {m.symbol for m in index.search(query, len(index))} if index and query else None
        self.model.set_filter(text, also)
        self._update_no_match()

    def _update_no_match(self) -> None:
        query = self.filter.text().strip()
        show = bool(query) and self.model.rowCount() == 0 and bool(self.model.symbols())
        if show:
            self.no_match.setText(self.tr("No symbol matches “%1”").replace("%1", query))
            self.no_match.setAccessibleName(self.no_match.text())
        self.no_match.setVisible(show)

    def _edited(self, select: list[str] | None = None, row: int | None = None) -> None:
        """After any watchlist edit: save, resubscribe, refresh the view (selection as
        :meth:`_show_symbols` takes it)."""
        err = self.core.save_watchlists()
        if err:
            self._notify(self.tr("Not saved"), err)
        self.core.resubscribe()
        self._show_symbols(select, row)

    def symbol_label(self, symbol: str) -> str:
        """``600519.SH 贵州茅台``: how a stock is named in messages."""
        r = self.core.book.row_of(symbol)
        name = (self.core.book.names[r] if r is not None else "") or self.core.master.name(symbol)
        return f"{symbol} {name}".strip()

    # --- adding and removing -----------------------------------------------------------
    def resolve(self, text: str) -> ParseReport:
        """Codes in any form, or names from the symbol master: the exact name, else what the
        quick search finds for a name or its pinyin initials (贵州茅台, 茅台, gzmt), when
        that is one stock (or one whose initials are exactly the text)."""
        tokens = (
            [t for t in text.replace("，", ",").split(",") if t.strip()] if "," in text else [text]
        )
        out: list[str] = []
        errors: list[SymbolError] = []
        for raw in tokens:
            tok = raw.strip()
            first = tok.split()[0] if tok.split() else tok
            try:
                out.append(normalize(first))
                continue
            except SymbolError as e:
                err = e
            matches = self._by_name(tok)
            if len(matches) == 1:
                out.append(matches[0])
            else:
                errors.append(
                    err if not matches else SymbolError(tok, "matches {0} names", len(matches))
                )
        rep = self._known(parse_many(out))
        return ParseReport(rep.symbols, rep.duplicates, tuple(errors) + rep.errors)

    def _by_name(self, text: str) -> list[str]:
        """Symbols a name, the start of one, or pinyin initials could mean (best first)."""
        master = self.core.master
        exact = [i.symbol for i in master if i.name == text]
        if exact:
            return exact
        index = self.quick.index
        if index is None:  # still building: names only
            return [i.symbol for i in master if i.name.startswith(text)]
        found = index.search(text, 200)
        if not found:
            return []
        best = [m for m in found if m.rank == found[0].rank]
        if len(best) > 1 and text.isascii():
            # Several start with these initials (gzmt...): the one spelled exactly wins.
            from monitor.core.search import initials
            from monitor.resources_path import char_initials

            table = char_initials()
            spelled = [m for m in best if text.lower() in initials(m.name, table)]
            if len(spelled) == 1:
                return [spelled[0].symbol]
        return [m.symbol for m in best]

    def _known(self, rep: ParseReport) -> ParseReport:
        """Drop well-formed codes the provider does not list (when its list is known).

        A provider may refuse a whole subscription for one unknown code (AllTick's
        ret 600), so an unlisted code must not reach the feed.
        """
        master = self.core.master
        if not len(master):
            return rep
        unknown = [s for s in rep.symbols if s not in master]
        if not unknown:
            return rep
        errors = tuple(
            SymbolError(s, "not in the symbol list (not listed, or delisted)") for s in unknown
        )
        keep = tuple(s for s in rep.symbols if s in master)
        return ParseReport(keep, rep.duplicates, rep.errors + errors)

    def _add_from_box(self) -> None:
        text = self.add_box.text().strip()
        if not text:
            return
        rep = self.resolve(text)
        added = self.add_symbols(list(rep.symbols)) if rep.symbols else []
        if rep.errors:
            self.statusBar().showMessage(
                self.tr("Not added: ") + "; ".join(map(error_text, rep.errors)), 8000
            )
        if added and not rep.errors:
            self.add_box.clear()
            return
        # Refused (in part): what was refused stays, selected, so the next code replaces it.
        if added:
            self.add_box.setText(", ".join(e.token for e in rep.errors))
        self.add_box.setFocus()
        self.add_box.selectAll()

    def add_symbols(self, symbols: list[str], list_name: str | None = None) -> list[str]:
        name = list_name or self.current_list()
        if name is None:
            names = self.core.watchlists.names()
            name = names[0]
        added = [s for s in symbols if s not in set(self.core.watchlists.get(name))]
        if not added:
            self.statusBar().showMessage(self.tr("Already in the list"), 4000)
            if name == self.current_list():
                self.select_symbols(symbols)  # show where it is
            return []
        wl = self.core.watchlists
        shown = name == self.current_list()

        def do() -> None:
            wl.add(name, added)
            self._edited(select=added if shown else None)

        def undo() -> None:
            wl.remove(name, added)
            self._edited()

        self.undo.push(_Edit(self.tr("Add %n symbol(s)", "", len(added)), do, undo))
        self.statusBar().showMessage(
            self.tr("Added %n symbol(s)", "", len(added)) + f" → {self.list_label(name)}", 5000
        )
        return added

    def paste_codes(self) -> None:
        name = self.current_list() or self.core.watchlists.names()[0]
        dlg = PasteDialog(self.list_label(name), self)
        if dlg.exec() != PasteDialog.DialogCode.Accepted:
            return
        self.paste_text(dlg.text.toPlainText(), name)

    def paste_text(self, text: str, name: str) -> tuple[list[str], ParseReport]:
        """Add a pasted block; shows what was added, already there, and rejected (and why).

        The report is a strip above the table (:class:`ReportBanner`): it covers no
        quote, takes no focus and goes away by itself, later when something was rejected.
        """
        rep = self._known(parse_many(text))
        existing = set(self.core.watchlists.get(name))
        already = [s for s in rep.symbols if s in existing]
        added = (
            self.add_symbols([s for s in rep.symbols if s not in existing], name)
            if len(already) < len(rep.symbols)
            else []
        )
        lines = [
            self.tr("Added %n symbol(s) to “%1”.", "", len(added)).replace(
                "%1", self.list_label(name)
            )
        ]
        if already or rep.duplicates:
            lines.append(
                self.tr(
                    "%n already in the list or repeated.", "", len(already) + len(rep.duplicates)
                )
            )
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
                lines.append(
                    "  … "
                    + self.tr("%1 more kinds of problem").replace("%1", str(len(by_reason) - 12))
                )
        self.last_paste_report = "\n".join(lines)
        self.paste_report.show_report(self.last_paste_report, warning=bool(rep.errors))
        return added, rep

    def selected_symbols(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [s for r in rows if (s := self.model.symbol_at(r))]

    def remove_selected(self) -> None:
        """Remove the selected rows; the status bar names them and says how to undo.
        The row below takes the selection (Delete again goes on down the list); undo
        selects the restored rows."""
        name = self.current_list()
        syms = self.selected_symbols()
        if name is None or not syms:
            return
        wl = self.core.watchlists
        removed: list[tuple[int, str]] = []
        first_row = min(r for s in syms if (r := self.model.row_of(s)) is not None)
        labels = [self.symbol_label(s) for s in syms]
        what = (
            labels[0]
            if len(labels) == 1
            else self.tr("%n symbol(s)", "", len(labels))
            + f" ({', '.join(labels[:3])}{', …' if len(labels) > 3 else ''})"
        )
        keys = self.acts["undo"].shortcut().toString(QKeySequence.SequenceFormat.NativeText)

        def do() -> None:
            removed[:] = wl.remove(name, syms)
            self._edited(row=first_row)
            self.statusBar().showMessage(
                self.tr("Removed %1 from “%2” — %3 undoes it")
                .replace("%1", what)
                .replace("%2", self.list_label(name))
                .replace("%3", keys),
                15000,
            )

        def undo() -> None:
            wl.insert(name, removed)
            self._edited(select=[s for _, s in removed])
            self.statusBar().showMessage(
                self.tr("Restored %1 to “%2”")
                .replace("%1", what)
                .replace("%2", self.list_label(name)),
                8000,
            )

        self.undo.push(_Edit(self.tr("Remove %n symbol(s)", "", len(syms)), do, undo))

    def reorder(self, symbols: list[str], target: int) -> None:
        """Drop ``symbols`` before display row ``target`` of the current list (undoable)."""
        name = self.current_list()
        if name is None or not self.model.reorderable:
            self.statusBar().showMessage(
                self.tr("Clear the sort and the filter to reorder the list by dragging"), 5000
            )
            return
        self._push_reorder(name, symbols, target, self.tr("Reorder list"))

    def _push_reorder(self, name: str, symbols: list[str], to: int, text: str) -> None:
        """Move ``symbols`` before list index ``to``, undoably; they stay selected."""
        wl = self.core.watchlists
        before: list[str] = []

        def do() -> None:
            before[:] = wl.reorder(name, symbols, to)
            self._edited(select=symbols)

        def undo() -> None:
            wl.replace(name, before)
            self._edited(select=symbols)

        self.undo.push(_Edit(text, do, undo))

    def move_selected(self, step: int) -> None:
        """Ctrl+Up/Down: the selected rows past their neighbour in the table (a sort is
        cleared first: the list's own order is what moves). Undoable, and repeatable:
        the moved rows stay selected."""
        name = self.current_list()
        syms = self.selected_symbols()
        if name is None or not syms:
            return
        if self.table.horizontalHeader().sortIndicatorSection() >= 0:
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
            self.model.sort(-1)
        rows = sorted(r for s in syms if (r := self.model.row_of(s)) is not None)
        if not rows:
            return
        neighbour = self.model.symbol_at(rows[0] - 1 if step < 0 else rows[-1] + 1)
        if neighbour is None:
            return  # already at the top (bottom)
        lst = self.core.watchlists.get(name)
        to = lst.index(neighbour) + (0 if step < 0 else 1)
        self._push_reorder(name, syms, to, self.tr("Move up") if step < 0 else self.tr("Move down"))

    # --- list management ---------------------------------------------------------------
    def _check_label(self, name: str, renaming: str | None = None) -> None:
        """The built-in list's shown name is taken too (two lists both shown as “Watchlist”)."""
        builtin = self.core.watchlists.is_builtin(DEFAULT_LIST)
        if builtin and renaming != DEFAULT_LIST and name.strip() == self.list_label(DEFAULT_LIST):
            raise WatchlistError("a list named “{0}” already exists", name.strip())

    def new_list(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New list"), self.tr("Name:"))
        if ok:
            try:
                self._check_label(name)
                name = self.core.watchlists.create(name)
            except WatchlistError as e:
                self._notify(self.tr("New list"), error_text(e))
                return
            self.core.save_watchlists()
            self._reload_lists(name)

    def rename_list(self) -> None:
        old = self.current_list()
        if old is None:
            return
        label = self.list_label(old)
        new, ok = QInputDialog.getText(self, self.tr("Rename list"), self.tr("Name:"), text=label)
        if ok and new.strip() != label:  # unchanged: the built-in list keeps its key
            try:
                self._check_label(new, renaming=old)
                new = self.core.watchlists.rename(old, new)
            except WatchlistError as e:
                self._notify(self.tr("Rename list"), error_text(e))
                return
            self.core.save_watchlists()
            self._reload_lists(new)

    def delete_list(self) -> None:
        name = self.current_list()
        if name is None:
            return
        wl = self.core.watchlists
        saved: list[object] = []
        builtin = wl.is_builtin(name)

        def do() -> None:
            try:
                pos, syms = wl.delete(name)
            except WatchlistError as e:
                self._notify(self.tr("Delete list"), error_text(e))
                return
            saved[:] = [pos, syms]
            self.core.save_watchlists()
            self.core.resubscribe()
            self._reload_lists()

        def undo() -> None:
            if saved:
                wl.restore(saved[0], name, saved[1], builtin=builtin)  # type: ignore[arg-type]
                self.core.save_watchlists()
                self.core.resubscribe()
                self._reload_lists(name)

        self.undo.push(_Edit(self.tr("Delete list"), do, undo))

    def import_listing(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import symbol list"), self._dir(), "CSV (*.csv *.txt);;All files (*)"
        )
        if path:
            self.import_listing_file(Path(path))

    def import_listing_file(self, path: Path) -> int | None:
        """Merge a broker's symbol list (code, name …) into the listing; None if unusable."""
        try:
            count, skipped = self.core.import_listing(path)
        except (MasterError, OSError) as e:
            self._notify(self.tr("Import symbol list"), f"{path.name}: {e}")
            return None
        text = self.tr("Symbol list: %1 codes from %2 merged into the listing")
        text = text.replace("%1", f"{count:,}").replace("%2", path.name)
        if skipped:
            text += " · " + self.tr("%1 lines skipped").replace("%1", f"{len(skipped):,}")
        self.statusBar().showMessage(text, 8000)
        return count

    def import_list(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import list"), self._dir(), "Lists (*.csv *.txt);;All files (*)"
        )
        if path:
            self.import_list_file(Path(path))

    def import_list_file(self, path: Path) -> str | None:
        try:
            tokens = read_watchlist_file(path)
        except WatchlistFileError as e:
            self._notify(self.tr("Import list"), error_text(e))
            return None
        rep = self._known(parse_many(tokens))
        if not rep.symbols:
            self._notify(self.tr("Import list"), self.tr("No valid codes in %s") % path.name)
            return None
        base = path.stem[:30] or "list"
        name = base
        n = 2
        shown = {self.list_label(k) for k in self.core.watchlists.names()}
        while name in self.core.watchlists.lists or name in shown:
            name = f"{base} ({n})"
            n += 1
        self.core.watchlists.create(name, rep.symbols)
        self._edited()
        self._reload_lists(name)
        if rep.errors:
            self._notify(
                self.tr("Import list"),
                self.tr("Imported %d codes; skipped %d:\n") % (len(rep.symbols), len(rep.errors))
                + "\n".join(f"• {error_text(e)}" for e in rep.errors[:20]),
            )
        return name

    def export_list(self) -> None:
        name = self.current_list()
        if name is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export list"),
            str(Path(self._dir()) / f"{file_safe(self.list_label(name))}.csv"),
            "CSV (*.csv);;Text (*.txt)",
        )
        if path:
            syms = self.core.watchlists.get(name)
            try:
                write_watchlist(Path(path), syms, [self.core.master.name(s) for s in syms])
            except OSError as e:
                self._notify(self.tr("Export list"), str(e))

    # --- export ----------------------------------------------------------------------
    def _dir(self) -> str:
        d = self.core.settings.export_dir
        return d if d and Path(d).is_dir() else str(Path.home())

    def export_view(self) -> None:
        self._export(
            [s for r in range(self.model.rowCount()) if (s := self.model.symbol_at(r))],
            self.list_label(self.current_list()),
        )

    def export_market(self) -> None:
        self._export(self.core.market(), self.list_label(None))

    def export_file_name(self, label: str) -> str:
        """``<list>-<YYYYMMDD-HHMMSS>.csv`` (Shanghai time: the market's clock)."""
        return f"{file_safe(label)}-{self.clock().strftime('%Y%m%d-%H%M%S')}.csv"

    def _export(self, symbols: list[str], label: str) -> None:
        default = str(Path(self._dir()) / self.export_file_name(label))
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export snapshot"), default, "CSV (*.csv)"
        )
        if path:
            self.export_to(Path(path), symbols)

    def export_to(self, path: Path, symbols: list[str]) -> int:
        quotes = [q for s in symbols if (q := self.core.book.quote(s)) is not None]
        try:
            n = export_csv(path, quotes, lang=self.lang)
        except OSError as e:
            self._notify(self.tr("Export snapshot"), f"{path}: {e.strerror or e}")
            return 0
        self.core.settings = self.core.settings.with_(export_dir=str(path.parent))
        with contextlib.suppress(OSError):
            self.core.settings.save(self.core.paths.settings)
        self.statusBar().showMessage(self.tr("Exported %d rows to %s") % (n, path), 8000)
        return n

    # --- settings --------------------------------------------------------------------
    def open_settings(self) -> None:
        s = self.core.settings
        token = self.core.tokens.get("alltick")
        dlg = SettingsDialog(s, token, self.token_place(), self)
        if dlg.exec() != SettingsDialog.DialogCode.Accepted or dlg.result_settings is None:
            return
        asyncio.get_event_loop().create_task(
            self.apply_settings(dlg.result_settings, dlg.result_token)
        )

    def token_place(self) -> str:
        """Where the token is kept, in the user's words."""
        tokens = self.core.tokens
        if tokens.keyring is not None:
            return self.tr("the system keyring")
        return self.tr("%1 (readable only by you)").replace("%1", str(tokens.file))

    async def apply_settings(self, new: object, token: str | None) -> None:
        from monitor.core.settings import Settings

        assert isinstance(new, Settings)
        if new.provider == "alltick" and token != self.core.tokens.get("alltick"):
            self.core.tokens.set("alltick", token)
        try:
            await self.core.apply_settings(new)
        except Exception as e:
            log.exception("applying settings failed")
            self._notify(self.tr("Settings"), redact(str(e)))
        self._apply_language(new.language)
        self.look = Look(dark=resolve_theme(new.theme) == "dark", discreet=self.discreet)
        self.apply_look()
        self._check_menu_state()
        self.timer.setInterval(int(1000 / new.refresh_hz))
        self.sim_badge.setVisible(self.core.simulated)
        self._refresh_completer()
        self._reload_lists(self.current_list() or "*all*")

    # --- view: chart, theme, discreet mode, language --------------------------------
    def _toggle_chart(self) -> None:
        self.bottom.setVisible(self.chart_action.isChecked())

    def _palette(self) -> Palette:
        return Palette(self.core.settings.red_up, dark=self.look.dark, discreet=self.look.discreet)

    def apply_look(self) -> None:
        """Repaint everything in the current theme / discreet state."""
        look = self.look
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_app_palette(app, look.dark)
        pal = self.table.palette()
        hl, hl_text = look.selection  # light enough to keep the row's colours readable
        pal.setColor(QPalette.ColorRole.Highlight, hl)
        pal.setColor(QPalette.ColorRole.HighlightedText, hl_text)
        self.table.setPalette(pal)
        self.model.set_palette(self._palette())
        self.spark.colors = self.model.palette
        self.chart.apply_look(look, self.model.palette)
        self.sim_badge.setStyleSheet(look.badge)
        self.empty_hint.setStyleSheet(f"color:{look.muted_text}; font-size:13pt")
        self.no_match.setStyleSheet(f"color:{look.muted_text}; font-size:13pt")
        if look.dark:
            self.paste_report.set_colors("#263241", "#4a3420", "#e6e6e6")
        else:
            self.paste_report.set_colors("#eef5ff", "#fff3dc", "#333333")
        for w in (self.st_conn, self.st_rate, self.st_subs, self.st_age, self.st_session):
            w.setStyleSheet(f"padding: 0 10px; border-left: 1px solid {look.divider}")
        self.table.viewport().update()

    def _check_menu_state(self) -> None:
        s = self.core.settings
        self.acts[f"theme_{s.theme}"].setChecked(True)
        self.acts[f"lang_{s.language}"].setChecked(True)
        self.acts["discreet"].setChecked(self.discreet)

    def _save_settings(self, **changes: object) -> None:
        self.core.settings = self.core.settings.with_(**changes)
        try:
            self.core.settings.save(self.core.paths.settings)
        except OSError as e:
            self._notify(self.tr("Settings not saved"), str(e))

    def set_theme(self, theme: str) -> None:
        self._save_settings(theme=theme)
        self.look = Look(dark=resolve_theme(theme) == "dark", discreet=self.discreet)
        self.apply_look()
        self._check_menu_state()

    def set_language(self, pref: str) -> None:
        self._save_settings(language=pref)
        self._apply_language(pref)
        self._check_menu_state()

    def _apply_language(self, pref: str) -> None:
        self.lang = resolve_language(pref)
        if not TRANSLATIONS.apply(self.lang):
            self.statusBar().showMessage(self.tr("The Chinese translation is missing"), 8000)
        self.model.set_lang(self.lang)  # number style: 万/亿 or K/M/B
        self.retranslate()

    def toggle_discreet(self) -> None:
        self.set_discreet(not self.discreet)

    def set_discreet(self, on: bool) -> None:
        """No red/green, muted greys; with the setting, a small always-on-top window."""
        if on == self.discreet:
            return
        self.discreet = on
        ui = dict(self.core.settings.ui)
        ui["discreet"] = on
        self._save_settings(ui=ui)
        self.look = Look(dark=self.look.dark, discreet=on)
        self.apply_look()
        if on and self.core.settings.discreet_compact:
            self._enter_compact()
        elif not on:
            self._leave_compact()
        self._update_title()
        if self.tray is not None:
            self.tray.setToolTip(self.windowTitle())
        self._check_menu_state()

    def _enter_compact(self) -> None:
        if self._compact_saved is not None:
            return
        hh = self.table.horizontalHeader()
        self._compact_saved = {
            "geometry": self.saveGeometry(),
            "header": hh.saveState(),
            # isHidden, not isVisible: at start-up the window is not shown yet.
            "menubar": not self.menuBar().isHidden(),
            "bottom": not self.bottom.isHidden(),
            "vsplit": self.vsplit.saveState(),
        }
        keep = {"code", "name", "last", "change_pct"}
        for i, c in enumerate(COLUMNS):
            hh.setSectionHidden(i, c.key not in keep)
        self.lists.hide()
        self.bottom.hide()
        self.menuBar().hide()
        self._bar_widgets(False)
        for w in (self.st_rate, self.st_subs, self.st_age, self.st_session):
            w.hide()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        self.show()  # changing window flags hides the window
        for widget in (self.hsplit, self.vsplit, self.centralWidget(), self):
            lay = widget.layout() if widget is not None else None
            if lay is not None:
                lay.activate()  # the minimum size without the hidden panels, before resizing
        self.resize(380, 300)

    def _leave_compact(self) -> None:
        saved = self._compact_saved
        if saved is None:
            return
        self._compact_saved = None
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, False)
        self.lists.show()
        self.menuBar().setVisible(bool(saved["menubar"]))
        self.bottom.setVisible(bool(saved["bottom"]))
        self._bar_widgets(True)
        for w in (self.st_rate, self.st_subs, self.st_age, self.st_session):
            w.show()
        self.table.horizontalHeader().restoreState(saved["header"])  # type: ignore[arg-type]
        self.restoreGeometry(saved["geometry"])  # type: ignore[arg-type]
        self.show()

    @property
    def compact(self) -> bool:
        return self._compact_saved is not None

    def _bar_widgets(self, visible: bool) -> None:
        for w in (self.filter, self.add_box, self.paste_button):
            w.setVisible(visible)
        self.sim_badge.setVisible(visible and self.core.simulated)

    # --- keyboard --------------------------------------------------------------------
    def focus_filter(self) -> None:
        self.filter.setFocus()
        self.filter.selectAll()

    def focus_add_box(self) -> None:
        self.add_box.setFocus()
        self.add_box.selectAll()

    def step_list(self, step: int) -> None:
        """Next/previous entry of the list panel (the whole market first), wrapping."""
        n = self.lists.count()
        if n:
            self.lists.setCurrentRow((self.lists.currentRow() + step) % n)

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(action, keys) for the help dialog: every action with a shortcut, plus the table's keys."""
        rows = []
        for menu in self.menus.values():
            for a in menu.actions():
                if a.isSeparator() or a.shortcut().isEmpty():
                    continue
                keys = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                title = re.sub(r"\(&\w\)|&", "", menu.title())  # 文件(&F) / &File -> 文件 / File
                rows.append((f"{title} › {a.text()}", keys))
        rows += [
            (self.tr("Quick search: type a code, name or pinyin initials in the table"), "0-9 A-Z"),
            (self.tr("Quick search: add to the list or jump to the row"), "Enter"),
            (self.tr("Close a popup"), "Esc"),
        ]
        return rows

    def show_shortcuts(self) -> None:
        self._shortcuts = ShortcutsDialog(self.shortcut_rows(), self)
        self._shortcuts.show()

    def show_about(self) -> None:
        from monitor import __version__

        self._notify_info(
            self.tr("About A-Share Monitor"),
            self.tr(
                "A-Share Monitor %1\nReal-time China A-share quotes over batch-subscribed WebSockets."
            ).replace("%1", __version__),
        )

    def _notify_info(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self)
        box.setModal(False)
        box.show()
        self._boxes = [b for b in getattr(self, "_boxes", []) if b.isVisible()] + [box]

    # --- alerts ----------------------------------------------------------------------
    def new_alert(self) -> None:
        syms = self.selected_symbols()
        sym = syms[0] if syms else ""
        q = self.core.book.quote(sym) if sym else None
        dlg = AlertDialog(sym, q.last if q else None, self)
        if dlg.exec() == AlertDialog.DialogCode.Accepted and dlg.result_rule is not None:
            r = dlg.result_rule
            self.add_alert(r.symbol, r.kind.value, r.value, r.repeat)

    def edit_alert(self, rule: AlertRule) -> None:
        q = self.core.book.quote(rule.symbol)
        dlg = AlertDialog(rule.symbol, q.last if q else None, self, rule=rule)
        if dlg.exec() == AlertDialog.DialogCode.Accepted and dlg.result_rule is not None:
            r = dlg.result_rule
            self.alerts_panel.replace_rule(rule.id, r.kind.value, r.value, r.repeat)

    def show_alert_rules(self) -> None:
        self.chart_action.setChecked(True)
        self.bottom.setVisible(True)
        self.bottom.setCurrentWidget(self.alerts_panel)
        self.alerts_panel.table.setFocus()

    def add_alert(self, symbol: str, kind: str, value: float | None, repeat: bool = False) -> bool:
        rule = self.alerts_panel.add_rule(symbol, kind, value, repeat)
        if rule is None:
            return False
        self.statusBar().showMessage(
            self.tr("Alert set: %1 %2")
            .replace("%1", rule.symbol)
            .replace("%2", alert_rule_text(rule)),
            5000,
        )
        return True

    def remove_alerts(self) -> None:
        for sym in self.selected_symbols():
            for rule in [r for r in self.core.alerts.rules if r.symbol == sym]:
                self.core.alerts.remove(rule.id)
        self.core.save_alerts()
        self.alerts_panel.refresh()

    def _on_alert(self, event: AlertEvent) -> None:
        line = self.alerts_panel.log_event(event)
        self.statusBar().showMessage(self.tr("Alert: %1").replace("%1", line), 10000)
        # Discreet mode: a desktop bubble must not name the stock to whoever looks.
        text = self.tr("An alert fired; it is in the Alerts tab.") if self.discreet else line
        self.last_notification = text
        if self.tray is not None:
            self.tray.showMessage(
                self.windowTitle(), text, QSystemTrayIcon.MessageIcon.Information, 8000
            )
        self.last_sound = play_alert_sound(self.core.settings.alert_sound)

    def _selection_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        sym = self.model.symbol_at(current.row()) if current.isValid() else None
        self.chart.set_row(self.core.book.row_of(sym) if sym else None)

    def _table_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        if self.current_list() is not None:
            menu.addAction(self.remove_action)
        else:
            target = QMenu(self.tr("Add to list"), menu)
            for name in self.core.watchlists.names():
                target.addAction(self.list_label(name), partial(self._add_selected_to, name))
            menu.addMenu(target)
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def _add_selected_to(self, name: str) -> None:
        self.add_symbols(self.selected_symbols(), name)

    def _list_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("New list…"), self.new_list)
        if self.current_list() is not None:
            menu.addAction(self.tr("Rename list…"), self.rename_list)
            menu.addAction(self.tr("Delete list"), self.delete_list)
            menu.addAction(self.tr("Export list…"), self.export_list)
        menu.addAction(self.tr("Import list…"), self.import_list)
        menu.exec(self.lists.mapToGlobal(pos))

    def _header_menu(self, pos: QPoint) -> None:
        hh = self.table.horizontalHeader()
        menu = QMenu(self)
        for i, col in enumerate(COLUMNS):
            a = menu.addAction(col.title())
            a.setCheckable(True)
            a.setChecked(not hh.isSectionHidden(i))
            a.setEnabled(col.key != "code")
            a.toggled.connect(partial(self._show_column, i))
        menu.addSeparator()
        group = QActionGroup(menu)
        for unit, text in (
            ("lots", self.tr("Volume in lots (手, 100 shares)")),
            ("shares", self.tr("Volume in shares")),
        ):
            a = menu.addAction(text)
            a.setCheckable(True)
            a.setChecked(self.model.volume_lots == (unit == "lots"))
            a.triggered.connect(partial(self.set_volume_unit, unit))
            group.addAction(a)
        self.header_menu = menu  # for tests and screen readers: the menu being shown
        menu.exec(hh.mapToGlobal(pos))

    def set_volume_unit(self, unit: str) -> None:
        """``lots`` (手), ``shares``, or ``auto`` (lots in Chinese, shares in English); saved."""
        ui = dict(self.core.settings.ui)
        ui["volume_unit"] = unit
        self._save_settings(ui=ui)
        self._apply_volume_unit()

    def _apply_volume_unit(self) -> None:
        unit = self.core.settings.ui.get("volume_unit", "auto")
        self.model.set_volume_lots(unit == "lots" or (unit != "shares" and self.lang == "zh"))

    def _show_column(self, i: int, on: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(i, not on)

    def select_symbol(self, symbol: str) -> bool:
        return self.select_symbols([symbol])
