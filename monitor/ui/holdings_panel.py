"""The Holdings tab (持仓): quantity and cost per symbol, what they are worth now.

Columns: code, name, quantity, cost, last, market value, P&L, P&L %, today's P&L,
then a totals row. Values come from the current session's prices only: a holding
whose price is not current shows empty value cells (and the totals say how many are
left out), never a number from an old price. Add / edit with a small dialog (also
from the quote table's context menu), remove, import and export CSV. The file stays
on this machine.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from monitor.core.holdings import MAX_QUANTITY, Holding, HoldingError, Valuation
from monitor.service.monitor import MonitorService
from monitor.service.portfolio import Totals
from monitor.ui.cell_style import Palette, fmt_big
from monitor.ui.dialogs import lay_out_form
from monitor.ui.texts import error_text

__all__ = ["HoldingDialog", "HoldingsPanel"]


class HoldingDialog(QDialog):
    """Quantity (shares) and average cost of one symbol; errors stay in the dialog."""

    def __init__(self, service: MonitorService, symbol: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        old = service.portfolio.holdings.get(symbol)
        self.setWindowTitle(self.tr("Holding"))
        self.setMinimumWidth(320)
        form = QFormLayout()
        self.symbol = QLineEdit(symbol, self)
        self.symbol.setReadOnly(bool(symbol))
        form.addRow(self.tr("Code"), self.symbol)
        self.quantity = QSpinBox(self)
        self.quantity.setRange(0, min(MAX_QUANTITY, 2**31 - 1))
        self.quantity.setSingleStep(100)
        self.quantity.setGroupSeparatorShown(True)
        self.quantity.setSuffix(self.tr(" shares"))
        self.quantity.setValue(old.quantity if old else 100)
        form.addRow(self.tr("Quantity"), self.quantity)
        self.cost = QDoubleSpinBox(self)
        self.cost.setRange(0.0, 999_999.0)
        self.cost.setDecimals(4)
        row = service.book.row_of(symbol) if symbol else None
        last = float(service.book.last[row]) if row is not None else math.nan
        self.cost.setValue(old.cost if old else (round(last, 2) if math.isfinite(last) else 0.0))
        form.addRow(self.tr("Average cost"), self.cost)
        self.error = lay_out_form(self, form, self._accept)
        self.saved: Holding | None = None
        self.symbol.editingFinished.connect(self._symbol_entered)
        # Straight to what is to be typed: the quantity of a known symbol, else the code.
        (self.quantity if symbol else self.symbol).setFocus()
        self.quantity.selectAll()

    def _resolved(self) -> str:
        """The code typed, or the one stock a name or pinyin initials stand for."""
        text = self.symbol.text().strip()
        found = self.service.resolve(text).symbols if text else []
        return found[0] if len(found) == 1 else text

    def _symbol_entered(self) -> None:
        sym = self._resolved()
        row = self.service.book.row_of(sym)
        last = float(self.service.book.last[row]) if row is not None else math.nan
        if self.cost.value() == 0.0 and math.isfinite(last):
            self.cost.setValue(round(last, 2))  # a start: today's price

    def _accept(self) -> None:
        try:
            self.saved = self.service.portfolio.set(
                self._resolved(), self.quantity.value(), self.cost.value()
            )
        except HoldingError as e:
            self.error.setText(error_text(e))
            return
        self.accept()


class HoldingsPanel(QWidget):
    problem = Signal(str, str)  # title, text
    message = Signal(str, int)

    COLUMNS = 9

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.colors = Palette()
        self.muted = "#888888"
        self.lang = "en"
        self._dialog: HoldingDialog | None = None
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.add_button = QPushButton(self)
        self.edit_button = QPushButton(self)
        self.remove_button = QPushButton(self)
        self.import_button = QPushButton(self)
        self.export_button = QPushButton(self)
        self.add_button.clicked.connect(lambda: self.open_dialog(""))
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self.import_dialog)
        self.export_button.clicked.connect(self.export_dialog)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        self.hint = QLabel(self)  # the empty state says how to start
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.hint, 1)
        lay.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Code"),
                self.tr("Name"),
                self.tr("Quantity"),
                self.tr("Cost"),
                self.tr("Last"),
                self.tr("Market value"),
                self.tr("P&L"),
                self.tr("P&L %"),
                self.tr("Today's P&L"),
            ]
        )
        self.add_button.setText(self.tr("Add…"))
        self.edit_button.setText(self.tr("Edit…"))
        self.remove_button.setText(self.tr("Remove"))
        self.import_button.setText(self.tr("Import CSV…"))
        self.export_button.setText(self.tr("Export CSV…"))
        self.hint.setText(
            self.tr(
                "No holdings yet. Right-click a row of the quotes table › Set holding…, "
                "Add… here, or Import CSV… from your broker's export."
            )
        )
        self.table.setAccessibleName(self.tr("Holdings"))
        self.table.setAccessibleDescription(
            self.tr("Shares held, their cost and what they are worth at the current price")
        )
        self.refresh()

    def apply_look(self, palette: Palette, muted: str, lang: str) -> None:
        self.colors, self.muted, self.lang = palette, muted, lang
        self.refresh()

    # --- drawing ---------------------------------------------------------------------
    def valuations(self) -> list[Valuation]:
        return self.service.holdings_now()

    def refresh(self) -> None:
        vals = self.valuations()
        self.table.setVisible(bool(vals))
        self.hint.setVisible(not vals)
        self._selection_changed()
        totals = self.service.portfolio.totals(vals)
        any_stale = False
        self.table.setRowCount(len(vals) + (1 if vals else 0))
        book, limit_ms = self.service.book, self.service.settings.stale_seconds * 1000.0
        now_ms = time.time() * 1000.0
        for i, v in enumerate(vals):
            h = v.holding
            r = book.row_of(h.symbol)
            received = float(book.received_ms[r]) if r is not None else 0.0
            stale = received > 0 and now_ms - received > limit_ms  # greyed, as in the table
            stale = stale or self.service.phase().value != "live"
            any_stale = any_stale or (stale and v.last is not None)
            texts = [
                h.symbol,
                self.service.master.name(h.symbol),
                f"{h.quantity:,}",
                f"{h.cost:.2f}" if round(h.cost, 2) == h.cost else f"{h.cost:.4f}".rstrip("0"),
                "" if v.last is None else f"{v.last:.2f}",
                self._money(v.market_value),
                self._money(v.pnl, signed=True),
                "" if v.pnl_pct is None else f"{v.pnl_pct:+.2f}%",
                self._money(v.today_pnl, signed=True),
            ]
            signs = [None, None, None, None, None, None, v.pnl, v.pnl_pct, v.today_pnl]
            for c, (text, sign) in enumerate(zip(texts, signs, strict=True)):
                self._set(i, c, text, sign, grey=stale and c >= 4)
        if vals:
            self._totals_row(len(vals), totals, any_stale)

    def _totals_row(self, row: int, t: Totals, stale: bool) -> None:
        label = self.tr("Total")
        if t.unpriced:
            label = self.tr("Total (%1 without a current price)").replace("%1", str(t.unpriced))
        if t.no_close:
            label += " " + self.tr("(today's P&L without %1: no previous close)").replace(
                "%1", str(t.no_close)
            )
        if stale:
            label += " " + self.tr("(not current)")
        cells = [label, "", "", "", "", self._money(t.market_value)]
        cells += [self._money(t.pnl, signed=True), "", self._money(t.today_pnl, signed=True)]
        signs = [None, None, None, None, None, None, t.pnl, None, t.today_pnl]
        for c, (text, sign) in enumerate(zip(cells, signs, strict=True)):
            self._set(row, c, text, sign, bold=True, grey=stale and c >= 5)

    def _money(self, v: float | None, *, signed: bool = False) -> str:
        if v is None:
            return ""
        text = fmt_big(abs(v), self.lang) if abs(v) >= 1e4 else f"{abs(v):,.2f}"
        return ("+" if v > 0 else "-" if v < 0 else "") + text if signed else text

    def _set(
        self,
        r: int,
        c: int,
        text: str,
        sign: float | None,
        *,
        bold: bool = False,
        grey: bool = False,
    ) -> None:
        item = self.table.item(r, c)
        if item is None:
            item = QTableWidgetItem()
            self.table.setItem(r, c, item)
        item.setText(text)
        if c >= 2:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if grey:
            item.setForeground(self.colors.stale)
        elif sign is not None and not math.isnan(sign):
            color = (
                self.colors.up if sign > 0 else self.colors.down if sign < 0 else self.colors.flat
            )
            item.setForeground(color)
        else:
            item.setData(Qt.ItemDataRole.ForegroundRole, None)
        font = item.font()
        font.setBold(bold)
        item.setFont(font)

    def _selection_changed(self) -> None:
        some = bool(self.selected_symbols())
        self.edit_button.setEnabled(some)
        self.remove_button.setEnabled(some)
        self.export_button.setEnabled(len(self.service.portfolio.holdings) > 0)

    # --- actions ---------------------------------------------------------------------
    def selected_symbols(self) -> list[str]:
        held = self.service.portfolio.holdings.symbols()
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [held[r] for r in rows if r < len(held)]

    def open_dialog(self, symbol: str) -> HoldingDialog:
        """The add / edit dialog, window-modal with ``open()`` (no nested event loop)."""
        self._dialog = HoldingDialog(self.service, symbol, self)
        self._dialog.open()
        return self._dialog

    def edit_selected(self) -> None:
        syms = self.selected_symbols()
        if syms:
            self.open_dialog(syms[0])

    def remove_selected(self) -> None:
        gone = self.service.portfolio.remove(self.selected_symbols())
        if gone:
            self.message.emit(
                self.tr("Removed holding: %1").replace("%1", ", ".join(h.symbol for h in gone)),
                6000,
            )

    def import_from(self, path: Path) -> int:
        try:
            n, skipped = self.service.portfolio.import_csv(path)
        except (HoldingError, OSError) as e:
            self.problem.emit(self.tr("Import holdings"), f"{path.name}: {error_text(e)}")
            return 0
        text = (
            self.tr("Imported %1 holdings from %2").replace("%1", str(n)).replace("%2", path.name)
        )
        if skipped:
            lines = [
                self.tr("line %1: %2").replace("%1", str(n)).replace("%2", error_text(e))
                for n, e in skipped[:20]
            ]
            self.problem.emit(self.tr("Import holdings"), "\n".join([text, *lines]))
        else:
            self.message.emit(text, 8000)
        return n

    def export_to(self, path: Path) -> int:
        try:
            n = self.service.portfolio.export_csv(path)
        except OSError as e:
            self.problem.emit(self.tr("Export holdings"), f"{path}: {e.strerror or e}")
            return 0
        self.message.emit(
            self.tr("Exported %1 holdings to %2").replace("%1", str(n)).replace("%2", str(path)),
            8000,
        )
        return n

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import holdings"), str(Path.home()), "CSV (*.csv *.txt)"
        )
        if path:
            self.import_from(Path(path))

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export holdings"), str(Path.home() / "holdings.csv"), "CSV (*.csv)"
        )
        if path:
            self.export_to(Path(path))
