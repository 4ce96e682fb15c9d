"""The service's events as Qt signals: the one place the window hears from the service.

The service publishes plain typed events on its bus (same thread: the qasync loop is
Qt's); this bridge re-emits each kind as a signal, so widgets connect slots in their
constructors instead of having callbacks assigned into them afterwards.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from monitor.service.events import (
    AlertFired,
    AlertsChanged,
    CalendarReady,
    Event,
    HoldingsChanged,
    IndexReady,
    ListingRefreshed,
    ListsChanged,
    MasterChanged,
    NotSaved,
    SessionStarted,
    SettingsChanged,
)
from monitor.service.monitor import MonitorService

__all__ = ["ServiceBridge"]


class ServiceBridge(QObject):
    lists_changed = Signal(object)  # ListsChanged
    alert_fired = Signal(object)  # LoggedAlert
    alerts_changed = Signal()
    holdings_changed = Signal()
    master_changed = Signal()
    settings_changed = Signal(object)  # SettingsChanged
    session_started = Signal()
    index_ready = Signal()
    calendar_ready = Signal()
    not_saved = Signal(str, str)  # what, detail
    listing_refreshed = Signal(object)  # RefreshOutcome

    def __init__(self, service: MonitorService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribe = service.events.subscribe(self._relay)

    def detach(self) -> None:
        self._unsubscribe()

    def _relay(self, event: Event) -> None:
        match event:
            case ListsChanged():
                self.lists_changed.emit(event)
            case AlertFired():
                self.alert_fired.emit(event.logged)
            case AlertsChanged():
                self.alerts_changed.emit()
            case HoldingsChanged():
                self.holdings_changed.emit()
            case MasterChanged():
                self.master_changed.emit()
            case SettingsChanged():
                self.settings_changed.emit(event)
            case SessionStarted():
                self.session_started.emit()
            case IndexReady():
                self.index_ready.emit()
            case CalendarReady():
                self.calendar_ready.emit()
            case NotSaved():
                self.not_saved.emit(event.what, event.detail)
            case ListingRefreshed():
                self.listing_refreshed.emit(event.outcome)
