"""The Alerts tab: the rules (add, edit, delete, re-arm) beside the log of fired alerts.

Data flow: the panel edits rules through the service's alert operations (which validate
and save); it refreshes on the service's ``alerts_changed`` and logs ``alert_fired``
(both through the window's bridge). New… and Edit… open the rule dialog for the symbol
selected in the table (:meth:`AlertsPanel.set_symbol`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from monitor.core.alert_log import LoggedAlert
from monitor.core.alerts import AlertRule, AlertRuleError
from monitor.core.quotes import SHANGHAI
from monitor.service.monitor import MonitorService
from monitor.ui.dialogs import AlertDialog
from monitor.ui.texts import alert_fired_text, alert_rule_text, error_text

__all__ = ["AlertsPanel"]

_ID_ROLE = Qt.ItemDataRole.UserRole


class AlertsPanel(QWidget):
    problem = Signal(str, str)  # title, why: a rule refused or not saved
    rule_set = Signal(object)  # an AlertRule just added

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.symbol = ""  # the symbol selected in the quotes table
        self._shown: tuple[tuple[int, bool], ...] = ()
        self.table = QTableWidget(0, 4, self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setShowGrid(False)
        self.table.doubleClicked.connect(lambda _i: self._edit_clicked())
        self.new_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.rearm_button = QPushButton(self)
        self.new_button.clicked.connect(self.new_alert)
        self.edit_button.clicked.connect(self._edit_clicked)
        self.delete_button.clicked.connect(self.delete_selected)
        self.rearm_button.clicked.connect(self.rearm_selected)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button, self.rearm_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.table, 1)
        ll.addLayout(buttons)
        self.log = QListWidget(self)
        self.log.setAlternatingRowColors(True)
        self.log_title = QLabel(self)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.log_title)
        rl.addWidget(self.log, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([560, 440])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Name"), self.tr("Condition"), self.tr("State")]
        )
        self.new_button.setText(self.tr("New…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.delete_button.setText(self.tr("Delete"))
        self.rearm_button.setText(self.tr("Re-arm"))
        self.log.setToolTip(self.tr("Fired alerts, newest first"))
        self.log_title.setText(self.tr("Fired alerts, newest first (kept across restarts)"))
        self.log.setAccessibleName(self.tr("Fired alerts"))
        self.log.setAccessibleDescription(self.log.toolTip())
        self.table.setAccessibleName(self.tr("Alert rules"))
        self.table.setAccessibleDescription(self.tr("Double-click a rule to edit it"))
        self.refresh()
        self.log.clear()  # the kept log, in the current language, newest first
        self.log.addItems([self.log_line(e) for e in reversed(self.service.alert_log.entries)])

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def refresh_if_changed(self) -> None:
        """Rules re-arm inside the engine (hysteresis): show it, without rebuilding every time."""
        if self._shown != self._signature():
            self.refresh()

    def _signature(self) -> tuple[tuple[int, bool], ...]:
        return tuple((r.id, r.armed) for r in self.service.alerts.rules)

    def refresh(self) -> None:
        """Show the engine's rules (after any change, and when one fires or re-arms)."""
        rules = self.service.alerts.rules
        self._shown = self._signature()
        selected = set(self.selected_ids())
        self.table.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            if rule.armed:
                state = self.tr("armed, repeats") if rule.repeat else self.tr("armed")
            else:
                state = self.tr("waiting to re-arm") if rule.repeat else self.tr("fired")
            cells = (
                rule.symbol,
                self.service.master.name(rule.symbol),
                alert_rule_text(rule),
                state,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, rule.id)
                self.table.setItem(row, col, item)
            if rule.id in selected:
                self.table.selectRow(row)
        self.table.resizeColumnToContents(0)
        has = bool(rules)
        for b in (self.edit_button, self.delete_button, self.rearm_button):
            b.setEnabled(has)

    def selected_ids(self) -> list[int]:
        rows = {i.row() for i in self.table.selectionModel().selectedRows()}
        out = []
        for r in sorted(rows):
            item = self.table.item(r, 0)
            if item is not None:
                out.append(int(item.data(_ID_ROLE)))
        return out

    def rule(self, rule_id: int) -> AlertRule | None:
        return next((r for r in self.service.alerts.rules if r.id == rule_id), None)

    # --- edits -------------------------------------------------------------------------
    def set_symbol(self, symbol: str | None) -> None:
        self.symbol = symbol or ""

    def new_alert(self) -> None:
        """The rule dialog for the selected symbol (or an empty code to type); window-
        modal without a nested event loop, so quotes keep streaming behind it."""
        sym = self.symbol
        q = self.service.book.quote(sym) if sym else None
        dlg = AlertDialog(sym, q.last if q else None, self)
        dlg.accepted.connect(lambda: self._dialog_done(dlg, None))
        dlg.open()

    def edit_alert(self, rule: AlertRule) -> None:
        q = self.service.book.quote(rule.symbol)
        dlg = AlertDialog(rule.symbol, q.last if q else None, self, rule=rule)
        dlg.accepted.connect(lambda: self._dialog_done(dlg, rule.id))
        dlg.open()

    def _dialog_done(self, dlg: AlertDialog, rule_id: int | None) -> None:
        r = dlg.result_rule
        if r is not None:
            if rule_id is None:
                self.add_rule(r.symbol, r.kind.value, r.value, r.repeat)
            else:
                self.replace_rule(rule_id, r.kind.value, r.value, r.repeat)
        dlg.deleteLater()

    def add_rule(
        self, symbol: str, kind: str, value: float | None, repeat: bool = False
    ) -> AlertRule | None:
        """Validate and add; a bad rule is refused with the reason and nothing is saved."""
        try:
            rule = self.service.add_alert(symbol, kind, value, repeat)
        except (AlertRuleError, ValueError) as e:
            self.problem.emit(self.tr("Alert not set"), error_text(e))
            return None
        self.rule_set.emit(rule)
        return rule

    def replace_rule(
        self, rule_id: int, kind: str, value: float | None, repeat: bool
    ) -> AlertRule | None:
        """Edit a rule in place of the old one (which is kept if the new one is invalid)."""
        try:
            return self.service.replace_alert(rule_id, kind, value, repeat)
        except (AlertRuleError, ValueError) as e:
            self.problem.emit(self.tr("Alert not changed"), error_text(e))
            return None

    def delete_selected(self) -> None:
        self.service.remove_alerts(self.selected_ids())

    def rearm_selected(self) -> None:
        self.service.rearm_alerts(self.selected_ids())

    def _edit_clicked(self) -> None:
        ids = self.selected_ids()
        rule = self.rule(ids[0]) if ids else None
        if rule is not None:
            self.edit_alert(rule)

    # --- the log -----------------------------------------------------------------------
    def log_line(self, entry: LoggedAlert) -> str:
        """One log line: when (with the date if not today), symbol, name, what happened."""
        try:
            when = dt.datetime.fromtimestamp(entry.fired_ms / 1000, SHANGHAI)
        except (OverflowError, OSError, ValueError):  # the log checks this; never fail here
            when = dt.datetime(2000, 1, 1, tzinfo=SHANGHAI)
        today = self.service.now().date() == when.date()
        stamp = when.strftime("%H:%M:%S" if today else "%m-%d %H:%M:%S")
        text = alert_fired_text(entry.kind, entry.value, entry.price, entry.change_pct)
        return f"{stamp}  {entry.symbol} {self.service.master.name(entry.symbol)}  {text}"

    def log_event(self, entry: LoggedAlert) -> str:
        """Add a fired alert to the top of the log; returns the line shown."""
        line = self.log_line(entry)
        self.log.insertItem(0, line)
        self.refresh()
        return line
