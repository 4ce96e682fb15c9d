"""Dialogs: paste many codes (with a report of what was added and rejected), settings.

Data flow: dialogs only collect input and show results; the window applies them
through the AppCore, which validates before anything is saved.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from monitor.core.settings import Settings, SettingsError

__all__ = ["AlertDialog", "PasteDialog", "SettingsDialog"]


class AlertDialog(QDialog):
    """A new alert rule for one symbol; validation errors stay in the dialog."""

    KINDS = (
        ("price_above", "Price at or above · 价格高于"),
        ("price_below", "Price at or below · 价格低于"),
        ("pct_above", "Change % at or above · 涨幅达到"),
        ("pct_below", "Change % at or below · 跌幅达到"),
        ("limit_up", "Reaches limit-up · 涨停"),
        ("limit_down", "Reaches limit-down · 跌停"),
        ("opens_from_limit", "Opens from limit · 开板"),
    )

    def __init__(self, symbol: str, last: float | None, parent: QWidget | None = None) -> None:
        from PySide6.QtWidgets import QDoubleSpinBox

        super().__init__(parent)
        self.setWindowTitle(self.tr("New alert for %s") % symbol)
        self.symbol = symbol
        form = QFormLayout()
        self.kind = QComboBox(self)
        for code, label in self.KINDS:
            self.kind.addItem(label, code)
        form.addRow(self.tr("When"), self.kind)
        self.value = QDoubleSpinBox(self)
        self.value.setRange(-100.0, 1_000_000.0)
        self.value.setDecimals(2)
        self.value.setValue(round(last * 1.01, 2) if last else 0.0)
        form.addRow(self.tr("Threshold"), self.value)
        self.repeat = QCheckBox(self.tr("Re-arm after the price moves back (0.5 %)"), self)
        form.addRow("", self.repeat)
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)


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
        lay.addWidget(self.text, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


class SettingsDialog(QDialog):
    """Provider, token, colours, refresh rate, language. Validation errors stay in the dialog."""

    def __init__(
        self, settings: Settings, token: str | None, where: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._base = settings
        form = QFormLayout()
        self.provider = QComboBox(self)
        self.provider.addItem(self.tr("Embedded simulator (demo data)"), "simulator")
        self.provider.addItem(self.tr("AllTick (token)"), "alltick")
        self.provider.addItem(self.tr("Batch-subscribe WebSocket URL"), "generic")
        self.provider.setCurrentIndex(max(0, self.provider.findData(settings.provider)))
        form.addRow(self.tr("Data provider"), self.provider)
        self.alltick_url = QLineEdit(settings.alltick_url, self)
        form.addRow(self.tr("AllTick URL"), self.alltick_url)
        self.token = QLineEdit(token or "", self)
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("stored in %s") % where)
        form.addRow(self.tr("AllTick token"), self.token)
        self.max_codes = QSpinBox(self)
        self.max_codes.setRange(1, 100_000)
        self.max_codes.setValue(settings.max_codes)
        form.addRow(self.tr("Codes per connection (plan)"), self.max_codes)
        self.generic_url = QLineEdit(settings.generic_url, self)
        self.generic_url.setPlaceholderText("wss://example.com/quotes")
        form.addRow(self.tr("Batch-subscribe URL"), self.generic_url)
        self.red_up = QCheckBox(self.tr("Red for up, green for down (China convention)"), self)
        self.red_up.setChecked(settings.red_up)
        form.addRow(self.tr("Colours"), self.red_up)
        self.refresh = QSpinBox(self)
        self.refresh.setRange(5, 30)
        self.refresh.setSuffix(self.tr(" per second"))
        self.refresh.setValue(settings.refresh_hz)
        form.addRow(self.tr("Table refresh"), self.refresh)
        self.language = QComboBox(self)
        for label, code in (("System 跟随系统", "auto"), ("中文", "zh"), ("English", "en")):
            self.language.addItem(label, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(self.tr("Language"), self.language)
        self.error = QLabel("", self)
        self.error.setStyleSheet("color: #c62828")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        self.result_settings: Settings | None = None
        self.result_token: str | None = None

    def value(self) -> Settings:
        return self._base.with_(
            provider=self.provider.currentData(),
            alltick_url=self.alltick_url.text().strip(),
            generic_url=self.generic_url.text().strip(),
            max_codes=self.max_codes.value(),
            red_up=self.red_up.isChecked(),
            refresh_hz=self.refresh.value(),
            language=self.language.currentData(),
        )

    def _accept(self) -> None:
        s = self.value()
        try:
            s.validate()
        except SettingsError as e:
            self.error.setText(str(e))
            return
        if s.provider == "alltick" and not self.token.text().strip():
            self.error.setText(self.tr("AllTick needs a token"))
            return
        self.result_settings = s
        self.result_token = self.token.text().strip() or None
        self.accept()
