"""Dialogs: paste many codes, settings, one alert rule.

Data flow: dialogs only collect input and show results; the window applies them
through the AppCore, which validates before anything is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from monitor.core.alerts import AlertKind, AlertRule, AlertRuleError
from monitor.core.plans import PLANS
from monitor.core.settings import Settings, SettingsError
from monitor.platform.secrets import split_url_token
from monitor.ui.columns import QT_TRANSLATE_NOOP
from monitor.ui.texts import alert_kind_text, error_text

__all__ = ["AlertDialog", "PasteDialog", "SettingsDialog", "ShortcutsDialog"]


def _name_fields(form: QFormLayout) -> None:
    """Each field's accessible name is its row's label (for a row of several widgets,
    the first that is not a button); a field's tooltip is its description."""
    for row in range(form.rowCount()):
        label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        label_widget = label.widget() if label is not None else None
        text = label_widget.text() if isinstance(label_widget, QLabel) else ""
        if not text or field is None:
            continue
        widget = field.widget()
        if widget is None and (lay := field.layout()) is not None:
            inner = [it.widget() for i in range(lay.count()) if (it := lay.itemAt(i))]
            widget = next(
                (w for w in inner if w is not None and not isinstance(w, QAbstractButton)), None
            )
        if widget is not None and not widget.accessibleName():
            widget.setAccessibleName(text.replace("&", "").rstrip(":："))
            widget.setAccessibleDescription(widget.toolTip())


def lay_out_form(dialog: QDialog, form: QFormLayout, on_ok: Callable[[], None]) -> QLabel:
    """Form, a red line for validation errors, OK/Cancel; OK runs ``on_ok`` (which
    accepts only when the input is good). Returns the error label."""
    _name_fields(form)
    error = QLabel("", dialog)
    error.setStyleSheet("color: #c62828")
    error.setWordWrap(True)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    lay = QVBoxLayout(dialog)
    lay.addLayout(form)
    lay.addWidget(error)
    lay.addWidget(buttons)
    return error


class AlertDialog(QDialog):
    """A new or edited alert rule; validation errors stay in the dialog."""

    def __init__(
        self,
        symbol: str,
        last: float | None,
        parent: QWidget | None = None,
        rule: AlertRule | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit alert") if rule else self.tr("New alert"))
        self.setMinimumWidth(340)
        form = QFormLayout()
        self.symbol = QLineEdit(rule.symbol if rule else symbol, self)
        self.symbol.setReadOnly(rule is not None)
        form.addRow(self.tr("Code"), self.symbol)
        self.kind = QComboBox(self)
        for kind in AlertKind:
            self.kind.addItem(alert_kind_text(kind), kind.value)
        form.addRow(self.tr("When"), self.kind)
        self.value = QDoubleSpinBox(self)
        self.value.setRange(-100.0, 1_000_000.0)
        self.value.setDecimals(2)
        self._last = last or 0.0
        self._editing = rule is not None
        self.value.setValue(round(last * 1.01, 2) if last else 0.0)
        form.addRow(self.tr("Threshold"), self.value)
        self.repeat = QCheckBox(self.tr("Re-arm after the price moves back (0.5 %)"), self)
        form.addRow("", self.repeat)
        if rule is not None:
            self.kind.setCurrentIndex(max(0, self.kind.findData(rule.kind.value)))
            if rule.value is not None:
                self.value.setValue(rule.value)
            self.repeat.setChecked(rule.repeat)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()
        self.error = lay_out_form(self, form, self._accept)
        self.result_rule: AlertRule | None = None

    def _kind_changed(self) -> None:
        kind = AlertKind(self.kind.currentData())
        self.value.setEnabled(kind.needs_value)
        self.value.setSuffix(" %" if kind.is_pct else "")
        if self._editing:
            return  # an existing rule keeps its threshold
        # A default that makes sense for the condition, not the last one's number: 1 %
        # beyond the price on the side the rule watches, or ±3 % of change.
        defaults = {
            AlertKind.PRICE_ABOVE: round(self._last * 1.01, 2) if self._last else 0.0,
            AlertKind.PRICE_BELOW: round(self._last * 0.99, 2) if self._last else 0.0,
            AlertKind.PCT_ABOVE: 3.0,
            AlertKind.PCT_BELOW: -3.0,
        }
        if kind in defaults:
            self.value.setValue(defaults[kind])

    def _accept(self) -> None:
        kind = AlertKind(self.kind.currentData())
        rule = AlertRule(
            self.symbol.text().strip(),
            kind,
            self.value.value(),
            self.repeat.isChecked(),
        )
        try:
            rule.validate()
        except AlertRuleError as e:
            self.error.setText(error_text(e))
            return
        self.result_rule = rule
        self.accept()


class PasteDialog(QDialog):
    """A text box for a block of codes: lines, commas, spaces or a JSON array."""

    def __init__(self, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add codes to “%s”") % list_name)
        self.resize(420, 360)
        lay = QVBoxLayout(self)
        lay.addWidget(
            QLabel(
                self.tr(
                    "Paste codes in any form (600519, sh600519, 600519.SH), one per line, "
                    "comma- or space-separated, or a JSON array."
                )
            )
        )
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText("600519\n000001.SZ\nsh601318, 300750")
        self.text.setAccessibleName(self.tr("Codes to add"))
        self.text.setAccessibleDescription(
            self.tr("One per line, comma- or space-separated, or a JSON array")
        )
        lay.addWidget(self.text, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


_PLAN_LABELS = {
    "free": QT_TRANSLATE_NOOP("SettingsDialog", "Free"),
    "basic": QT_TRANSLATE_NOOP("SettingsDialog", "Basic"),
    "premium": QT_TRANSLATE_NOOP("SettingsDialog", "Premium"),
    "professional": QT_TRANSLATE_NOOP("SettingsDialog", "Professional"),
    "all-cn": QT_TRANSLATE_NOOP("SettingsDialog", "All CN stocks"),
}


class SettingsDialog(QDialog):
    """Provider, token, colours, refresh rate, language. Validation errors stay in the dialog."""

    def __init__(
        self, settings: Settings, token: str | None, where: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(560)  # room for a full wss:// URL
        self._base = settings
        form = QFormLayout()
        self.provider = QComboBox(self)
        self.provider.addItem(self.tr("Embedded simulator (demo data)"), "simulator")
        self.provider.addItem(self.tr("AllTick (token)"), "alltick")
        self.provider.addItem(self.tr("Batch-subscribe WebSocket URL"), "generic")
        self.provider.addItem(self.tr("Team relay (a gateway of the team's relay)"), "relay")
        self.provider.setCurrentIndex(max(0, self.provider.findData(settings.provider)))
        form.addRow(self.tr("Data provider"), self.provider)
        self.alltick_url = QLineEdit(settings.alltick_url, self)
        form.addRow(self.tr("AllTick URL"), self.alltick_url)
        self.alltick_http_url = QLineEdit(settings.alltick_http_url, self)
        self.alltick_http_url.setPlaceholderText(self.tr("the WebSocket URL's host"))
        self.alltick_http_url.setToolTip(
            self.tr("AllTick's HTTP API (previous closes from daily K-lines)")
        )
        form.addRow(self.tr("AllTick HTTP API"), self.alltick_http_url)
        self._token0 = token or ""
        self.token = QLineEdit(token or "", self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("stored in %s") % where)
        form.addRow(self.tr("AllTick token"), self.token)
        self.plan = QComboBox(self)
        for name, plan in PLANS.items():
            label = self.tr("%1: %2 connection(s) × %3 codes")
            label = label.replace("%1", self.tr(_PLAN_LABELS.get(name, name)))
            label = label.replace("%2", str(plan.connections))
            self.plan.addItem(label.replace("%3", f"{plan.codes_per_connection:,}"), name)
        self.plan.addItem(self.tr("Custom: codes per connection below"), "custom")
        self.plan.setCurrentIndex(max(0, self.plan.findData(settings.plan)))
        self.plan.setToolTip(
            self.tr(
                "The feed keeps your plan's limits: connections, codes per connection, "
                "and how fast previous closes may be asked for"
            )
        )
        form.addRow(self.tr("AllTick plan"), self.plan)
        self.max_codes = QSpinBox(self)
        self.max_codes.setRange(1, 100_000)
        self.max_codes.setValue(settings.max_codes)
        form.addRow(self.tr("Codes per connection (plan)"), self.max_codes)
        self.generic_url = QLineEdit(settings.generic_url, self)
        self.generic_url.setPlaceholderText("wss://example.com/quotes")
        form.addRow(self.tr("Batch-subscribe URL"), self.generic_url)
        self.relay_url = QLineEdit(settings.relay_url, self)
        self.relay_url.setPlaceholderText("ws://relay-host:8767/")
        form.addRow(self.tr("Team relay URL"), self.relay_url)
        self.provider.currentIndexChanged.connect(self._enable_provider_fields)
        self.plan.currentIndexChanged.connect(self._enable_provider_fields)
        self._enable_provider_fields()
        self.red_up = QCheckBox(self.tr("Red for up, green for down (China convention)"), self)
        self.red_up.setChecked(settings.red_up)
        form.addRow(self.tr("Colours"), self.red_up)
        self.refresh = QSpinBox(self)
        self.refresh.setRange(5, 30)
        self.refresh.setSuffix(self.tr(" per second"))
        self.refresh.setValue(settings.refresh_hz)
        form.addRow(self.tr("Table refresh"), self.refresh)
        self.language = QComboBox(self)
        for label, code in (
            (self.tr("Follow the system"), "auto"),
            ("中文", "zh"),
            ("English", "en"),
        ):
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(self.tr("Language"), self.language)
        self.volume_unit = QComboBox(self)
        for label, code in (
            (self.tr("Lots (手) in Chinese, shares in English"), "auto"),
            (self.tr("Lots (手, 100 shares)"), "lots"),
            (self.tr("Shares"), "shares"),
        ):
            self.volume_unit.addItem(label, code)
        unit = settings.ui.get("volume_unit", "auto")
        self.volume_unit.setCurrentIndex(max(0, self.volume_unit.findData(unit)))
        form.addRow(self.tr("Volume unit"), self.volume_unit)
        self.theme = QComboBox(self)
        for label, code in (
            (self.tr("Follow the system"), "auto"),
            (self.tr("Light"), "light"),
            (self.tr("Dark"), "dark"),
        ):
            self.theme.addItem(label, code)
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow(self.tr("Theme"), self.theme)
        self.discreet_compact = QCheckBox(
            self.tr("Discreet mode (Ctrl+D) also shrinks to a small always-on-top window"), self
        )
        self.discreet_compact.setChecked(settings.discreet_compact)
        form.addRow(self.tr("Discreet mode"), self.discreet_compact)
        self.record_ticks = QCheckBox(
            self.tr("Record every tick to a file per day (for replay and analysis)"), self
        )
        self.record_ticks.setChecked(settings.record_ticks)
        form.addRow(self.tr("Recording"), self.record_ticks)
        self.listing_refresh = QCheckBox(
            self.tr("Refresh the A-share listing from the exchanges (once a day)"), self
        )
        self.listing_refresh.setChecked(settings.listing_refresh)
        form.addRow(self.tr("Listing"), self.listing_refresh)
        self.sound = QComboBox(self)
        self.sound.addItem(self.tr("System beep"), "beep")
        self.sound.addItem(self.tr("None"), "none")
        if settings.alert_sound not in ("beep", "none"):
            self.sound.addItem(settings.alert_sound, settings.alert_sound)
        self.sound.setCurrentIndex(max(0, self.sound.findData(settings.alert_sound)))
        choose = QPushButton(self.tr("Choose a WAV file…"), self)
        choose.clicked.connect(self._choose_sound)
        row = QHBoxLayout()
        row.addWidget(self.sound, 1)
        row.addWidget(choose)
        form.addRow(self.tr("Alert sound"), row)
        self.error = lay_out_form(self, form, self._accept)
        self.result_settings: Settings | None = None
        self.result_token: str | None = None

    def value(self) -> Settings:
        ui = dict(self._base.ui)
        ui["volume_unit"] = self.volume_unit.currentData()
        return self._base.with_(
            ui=ui,
            provider=self.provider.currentData(),
            alltick_url=self.alltick_url.text().strip(),
            alltick_http_url=self.alltick_http_url.text().strip(),
            generic_url=self.generic_url.text().strip(),
            relay_url=self.relay_url.text().strip(),
            plan=self.plan.currentData(),
            max_codes=self.max_codes.value(),
            red_up=self.red_up.isChecked(),
            refresh_hz=self.refresh.value(),
            language=self.language.currentData(),
            theme=self.theme.currentData(),
            discreet_compact=self.discreet_compact.isChecked(),
            record_ticks=self.record_ticks.isChecked(),
            listing_refresh=self.listing_refresh.isChecked(),
            alert_sound=self.sound.currentData(),
        )

    def _enable_provider_fields(self) -> None:
        """Only the chosen provider's fields are editable (the others keep their values)."""
        own = {
            "alltick": (self.alltick_url, self.alltick_http_url, self.token, self.plan),
            "generic": (self.generic_url,),
            "relay": (self.relay_url,),
        }
        chosen = own.get(self.provider.currentData(), ())
        for group in own.values():
            for w in group:
                w.setEnabled(w in chosen)
        self.max_codes.setEnabled(self.plan.isEnabled() and self.plan.currentData() == "custom")

    def _choose_sound(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Alert sound"), "", self.tr("WAV sound (*.wav)")
        )
        if path:
            self.set_sound_file(path)

    def set_sound_file(self, path: str) -> None:
        i = self.sound.findData(path)
        if i < 0:
            self.sound.addItem(path, path)
            i = self.sound.count() - 1
        self.sound.setCurrentIndex(i)

    def _accept(self) -> None:
        s = self.value()
        try:
            s.validate()
        except SettingsError as e:
            self.error.setText(error_text(e))
            return
        token = self.token.text().strip()
        if self.token.isEnabled():  # the chosen provider takes the token field (AllTick)
            # A token pasted inside the AllTick URL becomes the token (stored by the
            # window, never in settings.json) unless one was typed into the token field.
            # Other URL tokens are moved to the token store by AppCore.apply_settings.
            url, url_token = split_url_token(s.alltick_url)
            if url_token and (not token or token == self._token0):
                token = url_token
            s = s.with_(alltick_url=url)
        if self.token.isEnabled() and not token:
            self.error.setText(self.tr("AllTick needs a token"))
            return
        self.result_settings = s
        self.result_token = token or None
        self.accept()


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, read from the window's actions (so it is never out of date)."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.setModal(False)
        self.resize(560, 520)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.resizeColumnToContents(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addWidget(buttons)
