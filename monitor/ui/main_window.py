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
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QLocale,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
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
from monitor.core.alerts import AlertEvent
from monitor.core.calendar import MarketStatus, TradingCalendar
from monitor.core.export import export_csv
from monitor.core.quotes import SHANGHAI
from monitor.core.redact import redact
from monitor.core.session import Phase as SessionPhase
from monitor.core.session import is_trading
from monitor.core.symbols import ParseReport, SymbolError, normalize, parse_many
from monitor.core.watchlist import WatchlistError
from monitor.core.watchlist_io import WatchlistFileError, read_watchlist_file, write_watchlist
from monitor.feed.client import Phase
from monitor.feed.status import describe
from monitor.ui.chart import DetailChart
from monitor.ui.columns import COLUMNS, column_index
from monitor.ui.delegates import CellDelegate, SparklineDelegate
from monitor.ui.dialogs import AlertDialog, PasteDialog, SettingsDialog
from monitor.ui.quick_search import QuickSearch
from monitor.ui.quote_model import QuoteTableModel
from monitor.ui.table_view import QuoteTableView

__all__ = ["MainWindow"]

log = logging.getLogger(__name__)
ALL_MARKET = 0  # row of the all-market entry in the list panel

_SESSION_TEXT = {
    SessionPhase.PRE_OPEN: ("Pre-open", "盘前"),
    SessionPhase.OPENING_AUCTION: ("Opening auction", "集合竞价"),
    SessionPhase.PRE_CONTINUOUS: ("Auction done", "竞价结束"),
    SessionPhase.CONTINUOUS: ("Trading", "连续竞价"),
    SessionPhase.LUNCH: ("Lunch break", "午间休市"),
    SessionPhase.CLOSING_AUCTION: ("Closing auction", "收盘集合竞价"),
    SessionPhase.CLOSED: ("Closed", "已收盘"),
}


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
        self.lang = self._resolve_lang(s.language)
        self.setWindowTitle("A-Share Monitor · A股行情监控")
        self.undo = QUndoStack(self)
        self.model = QuoteTableModel(core.book, lang=self.lang, red_up=s.red_up)
        self.model.stale_after_ms = s.stale_seconds * 1000.0
        self.model.staleness_applies = self._staleness_applies
        self._build_ui()
        self._build_menus()
        self._restore_ui_state()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._frame)
        self.status_timer = QTimer(self)
        self.status_timer.setInterval(500)
        self.status_timer.timeout.connect(self._update_status)
        self._last_ticks = (time.monotonic(), 0)
        self._tick_rate = 0.0
        self.first_row_painted = asyncio.get_event_loop().create_future()
        self.calendar: TradingCalendar | None = None
        core.on_alert = self._on_alert
        core.trading = self._trading_now
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.show()
        self._closed = False
        self.clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(SHANGHAI)

    # --- construction --------------------------------------------------------------
    @staticmethod
    def _resolve_lang(pref: str) -> str:
        if pref in ("zh", "en"):
            return pref
        return "zh" if QLocale.system().name().startswith("zh") else "en"

    def _build_ui(self) -> None:
        self.lists = QListWidget(self)
        self.lists.setMinimumWidth(130)
        self.lists.setMaximumWidth(220)
        self.lists.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.lists.customContextMenuRequested.connect(self._list_menu)
        self.lists.currentRowChanged.connect(self._view_changed)

        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter code or name · 筛选"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.set_filter)
        self.add_box = QLineEdit(self)
        self.add_box.setPlaceholderText(self.tr("Add code or name · 添加 (Enter)"))
        self.add_box.returnPressed.connect(self._add_from_box)
        self.completer = QCompleter([], self)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer.setMaxVisibleItems(12)
        self.add_box.setCompleter(self.completer)
        paste = QPushButton(self.tr("Paste codes…"), self)
        paste.clicked.connect(self.paste_codes)
        self.sim_badge = QLabel(self.tr(" SIMULATED DATA · 模拟数据 "), self)
        self.sim_badge.setStyleSheet(
            "background:#f59e0b; color:white; font-weight:bold; border-radius:3px; padding:2px 6px"
        )
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.filter, 2)
        bar.addWidget(self.add_box, 2)
        bar.addWidget(paste)
        bar.addStretch(1)
        bar.addWidget(self.sim_badge)

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
        pal = self.table.palette()
        # A light selection keeps the red/green of the selected row readable.
        pal.setColor(QPalette.ColorRole.Highlight, QColor(206, 224, 250))
        pal.setColor(QPalette.ColorRole.HighlightedText, QColor(20, 20, 20))
        self.table.setPalette(pal)
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
        self.table.selectionModel().currentRowChanged.connect(self._selection_changed)

        self.chart = DetailChart(self.core.book, self.model.palette, self)
        self.empty_hint = QLabel(self)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setStyleSheet("color:#888; font-size:13pt")
        self.empty_hint.setText(
            self.tr("This list is empty.\nType a code or name above, or paste a block of codes.")
            + "\n列表为空：在上方输入代码或名称，或粘贴一组代码。"
        )
        self.empty_hint.hide()

        center = QWidget(self)
        cl = QVBoxLayout(center)
        cl.setContentsMargins(4, 4, 4, 0)
        cl.addLayout(bar)
        cl.addWidget(self.table, 1)
        cl.addWidget(self.empty_hint, 1)
        self.vsplit = QSplitter(Qt.Orientation.Vertical, self)
        self.vsplit.addWidget(center)
        self.alert_log = QListWidget(self)
        self.alert_log.setAlternatingRowColors(True)
        self.bottom = QTabWidget(self)
        self.bottom.addTab(self.chart, self.tr("Chart · 分时"))
        self.bottom.addTab(self.alert_log, self.tr("Alerts · 提醒"))
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
            w.setStyleSheet("padding: 0 10px; border-left: 1px solid #ddd")
            sb.addPermanentWidget(w)
        self.resize(1280, 800)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        m = mb.addMenu(self.tr("&File"))
        self._action(m, self.tr("Export snapshot (this view)…"), self.export_view, "Ctrl+E")
        self._action(
            m, self.tr("Export snapshot (whole market)…"), self.export_market, "Ctrl+Shift+E"
        )
        m.addSeparator()
        self._action(m, self.tr("Import list (CSV/TXT)…"), self.import_list, "Ctrl+I")
        self._action(m, self.tr("Export list…"), self.export_list)
        m.addSeparator()
        self._action(m, self.tr("Settings…"), self.open_settings, "Ctrl+,")
        m.addSeparator()
        self._action(m, self.tr("Quit"), self.close, QKeySequence.StandardKey.Quit)
        e = mb.addMenu(self.tr("&Edit"))
        undo = self.undo.createUndoAction(self, self.tr("Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo.createRedoAction(self, self.tr("Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        e.addAction(undo)
        e.addAction(redo)
        e.addSeparator()
        self._action(e, self.tr("Paste codes…"), self.paste_codes, "Ctrl+Shift+V")
        self.remove_action = self._action(
            e, self.tr("Remove from list"), self.remove_selected, QKeySequence.StandardKey.Delete
        )
        self._action(e, self.tr("Move up"), lambda: self.move_selected(-1), "Ctrl+Up")
        self._action(e, self.tr("Move down"), lambda: self.move_selected(1), "Ctrl+Down")
        self._action(
            e, self.tr("Find / filter"), self.filter.setFocus, QKeySequence.StandardKey.Find
        )
        lm = mb.addMenu(self.tr("&Lists"))
        self._action(lm, self.tr("New list…"), self.new_list, "Ctrl+N")
        self._action(lm, self.tr("Rename list…"), self.rename_list, "F2")
        self._action(lm, self.tr("Delete list"), self.delete_list)
        al = mb.addMenu(self.tr("&Alerts"))
        self._action(
            al, self.tr("New alert for the selected symbol…"), self.new_alert, "Ctrl+Shift+A"
        )
        self._action(al, self.tr("Remove alerts of the selected symbol"), self.remove_alerts)
        v = mb.addMenu(self.tr("&View"))
        self.chart_action = self._action(v, self.tr("Show chart"), self._toggle_chart, "Ctrl+G")
        self.chart_action.setCheckable(True)
        self.chart_action.setChecked(True)

    def _action(
        self, menu: QMenu, text: str, slot: Callable[[], object], shortcut: object = None
    ) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcut(QKeySequence(shortcut))  # type: ignore[call-overload]
        a.triggered.connect(lambda _checked=False: slot())
        menu.addAction(a)
        self.addAction(a)
        return a

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
        ui["geometry"] = base64.b64encode(bytes(self.saveGeometry().data())).decode()
        ui["header"] = base64.b64encode(
            bytes(self.table.horizontalHeader().saveState().data())
        ).decode()
        ui["vsplit"] = base64.b64encode(bytes(self.vsplit.saveState().data())).decode()
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
        zh = self.lang == "zh"
        dot = {
            Phase.LIVE: "#16a34a",
            Phase.BACKOFF: "#d97706",
            Phase.FAILED: "#dc2626",
        }.get(state.phase if state else Phase.CONNECTING, "#9ca3af")
        text = describe(state if pool is not None else None, self.lang)
        if pool is not None and pool.stats.bad_frames:
            text += f" · {'坏帧' if zh else 'bad frames'} {pool.stats.bad_frames}"
        self.st_conn.setText(f"<span style='color:{dot}'>●</span> {html.escape(text)}")
        self.st_conn.setToolTip(html.escape(pool.stats.last_error) if pool else "")
        now = time.monotonic()
        ticks = pool.stats.ticks if pool else 0
        t0, n0 = self._last_ticks
        if now - t0 > 0.2:
            self._tick_rate = max(0.0, (ticks - n0) / (now - t0))
            self._last_ticks = (now, ticks)
        self.st_rate.setText(f"{self._tick_rate:,.0f} {'笔/秒' if zh else 'ticks/s'}")
        if pool is not None:
            subscribed = len(pool.symbols)
            receiving = pool.receiving()
            self.st_subs.setText(
                f"{'订阅' if zh else 'subscribed'} {subscribed:,} / {'接收' if zh else 'receiving'} {receiving:,}"
            )
            newest = max(pool.stats.last_tick.values(), default=0.0)
            age = time.time() - newest if newest else None
            self.st_age.setText(
                ("最新 " if zh else "newest tick ") + (f"{age:.1f} s" if age is not None else "—")
            )
        ms = self._market_status()
        en, cn = _SESSION_TEXT[ms.phase]
        if ms.holiday:
            en, cn = "Closed (holiday)", "休市（节假日）"
        text = ("市场: " + cn) if zh else ("Market: " + en)
        if ms.next_open is not None:
            when = ms.next_open.strftime("%m-%d %H:%M")
            text += f" · {'下次开盘' if zh else 'next open'} {when}"
        if not ms.known and self.calendar is not None:
            text += " (holiday data ends; weekdays assumed)" if not zh else "（节假日数据已过期）"
        if core.simulated:
            text += " (模拟行情全天开放)" if zh else " (simulator: always open)"
        self.st_session.setText(text)

    # --- views and lists -------------------------------------------------------------
    def current_list(self) -> str | None:
        row = self.lists.currentRow()
        if row <= ALL_MARKET:
            return None
        item = self.lists.item(row)
        return item.text() if item else None

    def _reload_lists(self, select: str | None = None) -> None:
        self.lists.blockSignals(True)
        self.lists.clear()
        self.lists.addItem("全部A股 · All market" if self.lang == "zh" else "All market · 全部A股")
        for name in self.core.watchlists.names():
            self.lists.addItem(name)
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
                item.setToolTip(f"{name}: {len(self.core.watchlists.get(name))}")

    def _view_changed(self, row: int) -> None:
        if row < 0:
            return
        all_market = row == ALL_MARKET
        if all_market != self.core.all_market:
            self.core.all_market = all_market
            self.core.resubscribe()
        self._show_symbols()

    def _show_symbols(self) -> None:
        name = self.current_list()
        syms = self.core.master.symbols() if name is None else self.core.watchlists.get(name)
        if name is None and not syms:
            syms = self.core.wanted()
        self.model.allow_reorder = name is not None
        self.model.set_symbols(syms)
        if self.model.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)  # the chart always shows something
        empty = name is not None and not syms
        self.table.setVisible(not empty)
        self.empty_hint.setVisible(empty)
        self.remove_action.setEnabled(name is not None)

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
        from monitor.core.search import SymbolIndex

        await self._after_first_paint()
        master = self.core.master
        index = await asyncio.to_thread(SymbolIndex, master)
        if not self._closed:
            self.quick.index = index

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
        from PySide6.QtCore import QStringListModel

        items = [f"{i.symbol} {i.name}" for i in self.core.master]
        self.completer.setModel(QStringListModel(items, self.completer))

    def _edited(self) -> None:
        """After any watchlist edit: save, resubscribe, refresh the view."""
        err = self.core.save_watchlists()
        if err:
            self._notify(self.tr("Not saved"), err)
        self.core.resubscribe()
        self._show_symbols()

    # --- adding and removing -----------------------------------------------------------
    def resolve(self, text: str) -> ParseReport:
        """Codes in any form, or names from the symbol master (exact, then unique prefix)."""
        tokens = (
            [t for t in text.replace("，", ",").split(",") if t.strip()] if "," in text else [text]
        )
        out: list[str] = []
        errors: list[SymbolError] = []
        master = self.core.master
        for raw in tokens:
            tok = raw.strip()
            first = tok.split()[0] if tok.split() else tok
            try:
                out.append(normalize(first))
                continue
            except SymbolError as e:
                err = e
            matches = [i.symbol for i in master if i.name == tok] or [
                i.symbol for i in master if i.name.startswith(tok)
            ]
            if len(matches) == 1:
                out.append(matches[0])
            else:
                errors.append(
                    err if not matches else SymbolError(tok, f"matches {len(matches)} names")
                )
        rep = self._known(parse_many(out))
        return ParseReport(rep.symbols, rep.duplicates, tuple(errors) + rep.errors)

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
        if rep.errors:
            self.statusBar().showMessage(
                self.tr("Not added: ") + "; ".join(map(str, rep.errors)), 8000
            )
        if rep.symbols:
            self.add_symbols(list(rep.symbols))
            self.add_box.clear()

    def add_symbols(self, symbols: list[str], list_name: str | None = None) -> list[str]:
        name = list_name or self.current_list()
        if name is None:
            names = self.core.watchlists.names()
            name = names[0]
        added = [s for s in symbols if s not in set(self.core.watchlists.get(name))]
        if not added:
            self.statusBar().showMessage(self.tr("Already in the list"), 4000)
            return []
        wl = self.core.watchlists

        def do() -> None:
            wl.add(name, added)
            self._edited()

        def undo() -> None:
            wl.remove(name, added)
            self._edited()

        self.undo.push(_Edit(self.tr("Add %n symbol(s)", "", len(added)), do, undo))
        self.statusBar().showMessage(
            self.tr("Added %n symbol(s)", "", len(added)) + f" → {name}", 5000
        )
        return added

    def paste_codes(self) -> None:
        name = self.current_list() or self.core.watchlists.names()[0]
        dlg = PasteDialog(name, self)
        if dlg.exec() != PasteDialog.DialogCode.Accepted:
            return
        self.paste_text(dlg.text.toPlainText(), name)

    def paste_text(self, text: str, name: str) -> tuple[list[str], ParseReport]:
        """Add a pasted block; shows what was added, already there, and rejected (and why)."""
        rep = self._known(parse_many(text))
        existing = set(self.core.watchlists.get(name))
        already = [s for s in rep.symbols if s in existing]
        added = (
            self.add_symbols([s for s in rep.symbols if s not in existing], name)
            if len(already) < len(rep.symbols)
            else []
        )
        lines = [self.tr("Added %n symbol(s) to “%1”.", "", len(added)).replace("%1", name)]
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
                by_reason.setdefault(e.reason, []).append(e.token)
            for reason, tokens in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))[:12]:
                shown = ", ".join(repr(t) for t in dict.fromkeys(tokens[:5]))
                more = " …" if len(tokens) > 5 else ""
                lines.append(f"  • {len(tokens):,} × {reason}: {shown}{more}")
            if len(by_reason) > 12:
                lines.append(f"  … {len(by_reason) - 12} more kinds of problem")
        self.last_paste_report = "\n".join(lines)
        box = QMessageBox(
            QMessageBox.Icon.Information if not rep.errors else QMessageBox.Icon.Warning,
            self.tr("Paste codes"),
            self.last_paste_report,
            parent=self,
        )
        box.setModal(False)
        box.show()
        self._paste_box = box
        return added, rep

    def selected_symbols(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [s for r in rows if (s := self.model.symbol_at(r))]

    def remove_selected(self) -> None:
        name = self.current_list()
        syms = self.selected_symbols()
        if name is None or not syms:
            return
        wl = self.core.watchlists
        removed: list[tuple[int, str]] = []

        def do() -> None:
            removed[:] = wl.remove(name, syms)
            self._edited()

        def undo() -> None:
            wl.insert(name, removed)
            self._edited()

        self.undo.push(_Edit(self.tr("Remove %n symbol(s)", "", len(syms)), do, undo))

    def reorder(self, symbols: list[str], target: int) -> None:
        """Drop ``symbols`` before display row ``target`` of the current list (undoable)."""
        name = self.current_list()
        if name is None or not self.model.reorderable:
            self.statusBar().showMessage(
                self.tr("Clear the sort and the filter to reorder the list by dragging"), 5000
            )
            return
        wl = self.core.watchlists
        before: list[str] = []

        def do() -> None:
            before[:] = wl.reorder(name, symbols, target)
            self._edited()
            for s in symbols:
                row = self.model.row_of(s)
                if row is not None:
                    self.table.selectionModel().select(
                        self.model.index(row, 0),
                        QItemSelectionModel.SelectionFlag.Select
                        | QItemSelectionModel.SelectionFlag.Rows,
                    )

        def undo() -> None:
            wl.replace(name, before)
            self._edited()

        self.undo.push(_Edit(self.tr("Reorder list"), do, undo))

    def move_selected(self, step: int) -> None:
        name = self.current_list()
        syms = self.selected_symbols()
        if name is None or len(syms) != 1:
            return
        if self.table.horizontalHeader().sortIndicatorSection() >= 0:
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
            self.model.sort(-1)
        lst = self.core.watchlists.get(name)
        i = lst.index(syms[0])
        j = max(0, min(len(lst) - 1, i + step))
        if i == j:
            return
        self.core.watchlists.move(name, syms[0], j)
        self._edited()
        row = self.model.row_of(syms[0])
        if row is not None:
            self.table.selectRow(row)

    # --- list management ---------------------------------------------------------------
    def new_list(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New list"), self.tr("Name:"))
        if ok:
            try:
                name = self.core.watchlists.create(name)
            except WatchlistError as e:
                self._notify(self.tr("New list"), str(e))
                return
            self.core.save_watchlists()
            self._reload_lists(name)

    def rename_list(self) -> None:
        old = self.current_list()
        if old is None:
            return
        new, ok = QInputDialog.getText(self, self.tr("Rename list"), self.tr("Name:"), text=old)
        if ok:
            try:
                new = self.core.watchlists.rename(old, new)
            except WatchlistError as e:
                self._notify(self.tr("Rename list"), str(e))
                return
            self.core.save_watchlists()
            self._reload_lists(new)

    def delete_list(self) -> None:
        name = self.current_list()
        if name is None:
            return
        wl = self.core.watchlists
        saved: list[object] = []

        def do() -> None:
            try:
                pos, syms = wl.delete(name)
            except WatchlistError as e:
                self._notify(self.tr("Delete list"), str(e))
                return
            saved[:] = [pos, syms]
            self.core.save_watchlists()
            self.core.resubscribe()
            self._reload_lists()

        def undo() -> None:
            if saved:
                wl.restore(saved[0], name, saved[1])  # type: ignore[arg-type]
                self.core.save_watchlists()
                self.core.resubscribe()
                self._reload_lists(name)

        self.undo.push(_Edit(self.tr("Delete list"), do, undo))

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
            self._notify(self.tr("Import list"), str(e))
            return None
        rep = self._known(parse_many(tokens))
        if not rep.symbols:
            self._notify(self.tr("Import list"), self.tr("No valid codes in %s") % path.name)
            return None
        base = path.stem[:30] or "list"
        name = base
        n = 2
        while name in self.core.watchlists.lists:
            name = f"{base} ({n})"
            n += 1
        self.core.watchlists.create(name, rep.symbols)
        self._edited()
        self._reload_lists(name)
        if rep.errors:
            self._notify(
                self.tr("Import list"),
                self.tr("Imported %d codes; skipped %d:\n") % (len(rep.symbols), len(rep.errors))
                + "\n".join(f"• {e}" for e in rep.errors[:20]),
            )
        return name

    def export_list(self) -> None:
        name = self.current_list()
        if name is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export list"),
            str(Path(self._dir()) / f"{name}.csv"),
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
            [s for r in range(self.model.rowCount()) if (s := self.model.symbol_at(r))], "view"
        )

    def export_market(self) -> None:
        self._export(self.core.master.symbols() or self.core.wanted(), "market")

    def _export(self, symbols: list[str], label: str) -> None:
        stamp = dt.datetime.now(SHANGHAI).strftime("%Y%m%d-%H%M%S")
        default = str(Path(self._dir()) / f"ashare-{label}-{stamp}.csv")
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
        dlg = SettingsDialog(s, token, self.core.tokens.where, self)
        if dlg.exec() != SettingsDialog.DialogCode.Accepted or dlg.result_settings is None:
            return
        asyncio.get_event_loop().create_task(
            self.apply_settings(dlg.result_settings, dlg.result_token)
        )

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
        self.lang = self._resolve_lang(new.language)
        self.model.set_lang(self.lang)
        self.model.set_red_up(new.red_up)
        self.spark.colors = self.model.palette
        self.chart.colors = self.model.palette
        self.timer.setInterval(int(1000 / new.refresh_hz))
        self.sim_badge.setVisible(self.core.simulated)
        self._refresh_completer()
        self._reload_lists(self.current_list() or "*all*")

    # --- menus -------------------------------------------------------------------------
    def _toggle_chart(self) -> None:
        self.bottom.setVisible(self.chart_action.isChecked())

    # --- alerts ----------------------------------------------------------------------
    def new_alert(self) -> None:
        syms = self.selected_symbols()
        if not syms:
            self.statusBar().showMessage(self.tr("Select a row first"), 4000)
            return
        q = self.core.book.quote(syms[0])
        dlg = AlertDialog(syms[0], q.last if q else None, self)
        if dlg.exec() == AlertDialog.DialogCode.Accepted:
            self.add_alert(
                syms[0], dlg.kind.currentData(), dlg.value.value(), dlg.repeat.isChecked()
            )

    def add_alert(self, symbol: str, kind: str, value: float | None, repeat: bool = False) -> bool:
        from monitor.core.alerts import AlertKind, AlertRule, AlertRuleError

        needs = kind in ("price_above", "price_below", "pct_above", "pct_below")
        try:
            rule = self.core.alerts.add(
                AlertRule(symbol, AlertKind(kind), value if needs else None, repeat)
            )
        except AlertRuleError as e:
            self._notify(self.tr("Alert"), str(e))
            return False
        err = self.core.save_alerts()
        if err:
            self._notify(self.tr("Alert"), err)
        self.statusBar().showMessage(
            self.tr("Alert set: %s %s") % (rule.symbol, rule.kind.value), 5000
        )
        return True

    def remove_alerts(self) -> None:
        for sym in self.selected_symbols():
            for rule in [r for r in self.core.alerts.rules if r.symbol == sym]:
                self.core.alerts.remove(rule.id)
        self.core.save_alerts()

    def _on_alert(self, event: AlertEvent) -> None:
        stamp = dt.datetime.now(SHANGHAI).strftime("%H:%M:%S")
        self.alert_log.insertItem(
            0, f"{stamp}  {self.core.master.name(event.symbol)}  {event.message}"
        )
        self.statusBar().showMessage("🔔 " + event.message, 10000)
        if self.tray is not None:
            self.tray.showMessage(
                "A-Share Monitor", event.message, QSystemTrayIcon.MessageIcon.Information, 8000
            )
        QApplication.beep()

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
                target.addAction(name, partial(self._add_selected_to, name))
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
            a = menu.addAction(col.header(self.lang))
            a.setCheckable(True)
            a.setChecked(not hh.isSectionHidden(i))
            a.setEnabled(col.key != "code")
            a.toggled.connect(partial(self._show_column, i))
        menu.exec(hh.mapToGlobal(pos))

    def _show_column(self, i: int, on: bool) -> None:
        self.table.horizontalHeader().setSectionHidden(i, not on)

    def select_symbol(self, symbol: str) -> bool:
        row = self.model.row_of(symbol)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True
