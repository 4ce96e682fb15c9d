"""File › A-share listing: which listing the app uses, as of when, and what changed.

Says where the listing comes from (the exchanges, and the day each was asked, or the
shipped snapshot), lists the last refresh's new listings, delistings and renames,
refreshes now on request and imports a broker's symbol list. Double-click a listed
stock (a new listing) to add it to the current list, as quick search does.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from monitor.core.exchange_listing import EXCHANGES
from monitor.service.listing_keeper import Failure, RefreshOutcome
from monitor.service.monitor import MonitorService

__all__ = ["ListingDialog", "outcome_text"]


def _exchange_name(ex: str) -> str:
    return {
        "SSE": QCoreApplication.translate("ListingDialog", "SSE"),
        "SZSE": QCoreApplication.translate("ListingDialog", "SZSE"),
        "BSE": QCoreApplication.translate("ListingDialog", "BSE"),
    }.get(ex, ex)


def failure_text(f: Failure) -> str:
    """One exchange's failure in the UI's language (the English detail goes to the log
    and the tooltip)."""
    text = {
        "unreachable": QCoreApplication.translate("ListingDialog", "%1 cannot be reached"),
        "not_a_listing": QCoreApplication.translate(
            "ListingDialog", "%1 answered with something that is not its listing"
        ),
        "incomplete": QCoreApplication.translate(
            "ListingDialog", "%1's answer is incomplete; its previous list is kept"
        ),
        "busy": QCoreApplication.translate("ListingDialog", "a refresh is already running"),
        "failed": QCoreApplication.translate("ListingDialog", "the refresh stopped"),
        "not_saved": QCoreApplication.translate(
            "ListingDialog", "the refreshed listing could not be saved"
        ),
    }.get(f.kind, "%1")
    return text.replace("%1", _exchange_name(f.exchange))


def outcome_text(outcome: RefreshOutcome, as_of: str = "") -> str:
    """One status line for a refresh, in the UI's language; ``as_of``: the listing date
    that stays in use when nothing could be refreshed."""
    c = outcome.changes
    sep = QCoreApplication.translate("ListingDialog", "; ")
    if outcome.refreshed:
        if c.new or c.delisted or c.renamed:
            text = (
                QCoreApplication.translate(
                    "ListingDialog",
                    "Listing refreshed from the exchanges: %1 new, %2 delisted, %3 renamed",
                )
                .replace("%1", str(len(c.new)))
                .replace("%2", str(len(c.delisted)))
                .replace("%3", str(len(c.renamed)))
            )
        else:
            text = QCoreApplication.translate(
                "ListingDialog",
                "Listing refreshed from the exchanges: no new listings or delistings",
            )
        failed = sep.join(failure_text(f) for f in outcome.failures)
        return text + (sep + failed if failed else "")
    if outcome.failures and all(f.kind == "unreachable" for f in outcome.failures):
        text = QCoreApplication.translate(
            "ListingDialog",
            "Listing not refreshed: the exchanges cannot be reached; "
            "the listing as of %1 stays in use",
        )
        return text.replace("%1", as_of)
    text = QCoreApplication.translate("ListingDialog", "Listing not refreshed: %1")
    return text.replace("%1", sep.join(failure_text(f) for f in outcome.failures))


class ListingDialog(QDialog):
    """The listing's source and date, the last changes, Refresh now and Import."""

    symbol_chosen = Signal(str)
    import_requested = Signal()

    def __init__(self, service: MonitorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.setWindowTitle(self.tr("A-share listing"))
        self.resize(620, 460)
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        f = self.heading.font()
        f.setBold(True)
        self.heading.setFont(f)
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.changes_label = QLabel()
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(self.tr("Listing changes"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Name"), self.tr("Change"), self.tr("Date")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col in (0, 1, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._choose)  # double-click or Enter
        self.hint = QLabel(
            self.tr(
                "Double-click a new listing, or press Enter on it, to add it to the current list."
            )
        )
        self.hint.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("Refresh from the exchanges now"))
        self.refresh_button.clicked.connect(self.refresh_now)
        import_button = QPushButton(self.tr("Import symbol list (CSV)…"))
        import_button.clicked.connect(self.import_requested)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        for b in (self.refresh_button, import_button, close):
            b.setAutoDefault(False)  # Enter in the table adds a listing; it presses nothing
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(import_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.source)
        lay.addWidget(self.status)
        lay.addWidget(self.changes_label)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.hint)
        self.empty = QLabel()
        lay.addWidget(self.empty, 1, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(buttons)
        self.task: asyncio.Task[RefreshOutcome] | None = None
        self.show_listing()

    # --- what is shown -------------------------------------------------------------
    def show_listing(self) -> None:
        s, keeper = self.service, self.service.listing
        self.heading.setText(
            self.tr("A-share listing as of %1 · %2 stocks")
            .replace("%1", s.listing_as_of)
            .replace("%2", f"{len(s.listed_stocks):,}")
        )
        if keeper.fetched:
            asked = self.tr(", ").join(
                f"{_exchange_name(ex)} {keeper.fetched[ex]}"
                for ex in EXCHANGES
                if ex in keeper.fetched
            )
            text = self.tr("From the exchanges (asked: %1).").replace("%1", asked)
            rest = [_exchange_name(ex) for ex in EXCHANGES if ex not in keeper.fetched]
            if rest:
                text += "\n" + self.tr("%1: the shipped snapshot of %2.").replace(
                    "%1", self.tr(", ").join(rest)
                ).replace("%2", keeper.shipped_as_of)
        else:
            text = self.tr("The snapshot shipped with the app, as of %1.").replace(
                "%1", keeper.shipped_as_of
            )
        on = s.listing_refresh_on()
        if on:
            text += "\n" + self.tr("Refreshed from the exchanges at most once a day.")
        else:
            text += "\n" + self.tr("Refreshing from the exchanges is off (Settings).")
        self.source.setText(text)
        busy = self.task is not None and not self.task.done()
        self.refresh_button.setEnabled(on and not busy)
        self.refresh_button.setToolTip("" if on else self.tr("Turned off in Settings"))
        last = s.last_listing_outcome
        if last is not None and not busy:
            self.status.setText(outcome_text(last, s.listing_as_of))
            self.status.setToolTip("\n".join(last.errors))
        changes = keeper.changes
        rows: list[tuple[str, str, str, str]] = []
        listed = self.tr("listed %1")
        found = self.tr("found %1").replace("%1", keeper.changed_on)
        rows += [
            (r.symbol, r.name, self.tr("New listing"), listed.replace("%1", r.list_date))
            for r in changes.new
        ]
        rows += [
            (r.symbol, r.name, self.tr("Added (listed earlier)"), listed.replace("%1", r.list_date))
            for r in changes.added
        ]
        rows += [(sym, name, self.tr("Delisted"), found) for sym, name in changes.delisted]
        rows += [
            (sym, new, self.tr("Renamed (was %1)").replace("%1", old), found)
            for sym, old, new in changes.renamed
        ]
        self.changes_label.setText(
            self.tr("Last changes found, on %1 (against the listing of %2):")
            .replace("%1", keeper.changed_on)
            .replace("%2", changes.since or keeper.shipped_as_of)
        )
        self.empty.setText(self.tr("No changes found yet."))
        for w in (self.changes_label, self.table, self.hint):
            w.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row[0])
                self.table.setItem(i, j, item)

    # --- actions -------------------------------------------------------------------
    def refresh_now(self) -> None:
        if self.task is not None and not self.task.done():
            return
        self.refresh_button.setEnabled(False)
        self.status.setText(self.tr("Asking the exchanges…"))
        self.task = self.service.start_listing_refresh()
        self.task.add_done_callback(self._refreshed)

    def _refreshed(self, task: asyncio.Task[RefreshOutcome]) -> None:
        if task.cancelled():
            return
        self.show_listing()
        exc = task.exception()
        outcome = task.result() if exc is None else None
        if outcome is None:
            text = self.tr("Listing not refreshed: %1").replace("%1", str(exc))
        else:
            text = outcome_text(outcome, self.service.listing_as_of)
            self.status.setToolTip("\n".join(outcome.errors))
        self.status.setText(text)

    def _choose(self) -> None:
        item = self.table.item(self.table.currentRow(), 0)
        symbol = item.data(Qt.ItemDataRole.UserRole) if item else None
        if symbol and symbol not in self.service.listing.delisted:
            self.symbol_chosen.emit(symbol)
