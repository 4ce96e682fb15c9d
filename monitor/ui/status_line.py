"""The permanent part of the status bar: connection, ticks/s, subscribed/receiving,
newest tick age and the market session — all from the service's health, which counts
ticks applied to the book (frames that arrive but move no price turn the dot amber)."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from monitor.feed.client import Phase
from monitor.service.monitor import MonitorService
from monitor.ui.texts import connection_text, session_text, why_text
from monitor.ui.theme import Look

__all__ = ["MessageBar", "StatusLine"]

_DOTS = {Phase.LIVE: "#16a34a", Phase.BACKOFF: "#d97706", Phase.FAILED: "#dc2626"}


class StatusLine(QObject):
    def __init__(self, service: MonitorService, bar: QStatusBar) -> None:
        super().__init__(bar)
        self.service = service
        self.conn = QLabel(bar)
        self.rate = QLabel(bar)
        self.subs = QLabel(bar)
        self.age = QLabel(bar)
        self.session = QLabel(bar)
        self.rec = QLabel(bar)  # recording: how many ticks, where; hidden when off
        for w in self.labels():
            bar.addPermanentWidget(w)
        self.rec.hide()
        self.discreet = False
        self.compact = False

    def labels(self) -> tuple[QLabel, ...]:
        return (self.conn, self.rate, self.subs, self.age, self.session, self.rec)

    def set_compact(self, compact: bool) -> None:
        """The compact window keeps only the connection."""
        for w in (self.rate, self.subs, self.age, self.session):
            w.setVisible(not compact)
        self.compact = compact

    def apply_look(self, look: Look) -> None:
        self.discreet = look.discreet
        for w in self.labels():
            w.setStyleSheet(f"padding: 0 10px; border-left: 1px solid {look.divider}")

    def refresh(self) -> None:
        service = self.service
        pool, state, health = service.pool, service.state, service.health()
        dot = _DOTS.get(state.phase if state else Phase.CONNECTING, "#9ca3af")
        if health is not None and health.dropping is not None:
            dot = "#d97706"  # frames arrive but no price moves: never shown as plain live
        text = connection_text(
            state if pool is not None else None,
            pool.stats.bad_frames if pool else 0,
            dropping=health.dropping if health else None,
        )
        replay = service.replaying
        server = replay.server if replay is not None else None
        if server is not None and state is not None and state.phase is Phase.LIVE:
            # Recorded prices are never "Live": blue, and said so (ended: grey).
            ended = server.finished.is_set()
            dot = "#9ca3af" if ended else "#2563eb"
            text = self.tr("Replay ended") if ended else self.tr("Replaying a recorded day")
        if self.discreet:
            dot = "#9ca3af" if dot != "#16a34a" else "#6b7280"
        if health is not None and health.notes:
            # What is missing (e.g. previous closes) is said in the bar, details in the tip.
            note = re.split("[:：]", why_text(health.notes[0]), maxsplit=1)[0]
            text += " · " + _shortened(note, 40)
        self.conn.setText(f"<span style='color:{dot}'>●</span> {html.escape(text)}")
        tips = [pool.stats.last_error] if pool and pool.stats.last_error else []
        if health is not None:
            tips += [why_text(n) for n in health.notes]
        self.conn.setToolTip(html.escape("\n".join(tips)))
        rate = health.applied_per_s if health else 0.0
        self.rate.setText(self.tr("%1 ticks/s").replace("%1", f"{rate:,.0f}"))
        if health is not None:
            self.subs.setText(
                self.tr("subscribed %1 / receiving %2")
                .replace("%1", f"{health.subscribed:,}")
                .replace("%2", f"{health.receiving:,}")
            )
            age = f"{health.newest_age:.1f} s" if health.newest_age is not None else "—"
            self.age.setText(self.tr("newest tick %1").replace("%1", age))
            served = service.provider_symbols()
            self.subs.setToolTip(
                self.tr("Whole market: the provider's list, %1 symbols").replace(
                    "%1", f"{len(served):,}"
                )
                if served
                else self.tr("Whole market: the A-share listing as of %1, %2 stocks")
                .replace("%1", service.listing_as_of)
                .replace("%2", f"{len(service.listed_stocks):,}")
            )
        self._recording()
        # A replay says so even in the compact window: recorded prices are not live.
        self.session.setVisible(not self.compact or service.replaying is not None)
        self.session.setText(
            self._replay_text()
            or session_text(
                service.market_status(),
                simulated=service.simulated,
                calendar_loaded=service.calendar is not None,
            )
        )

    def _recording(self) -> None:
        rec = self.service.recording()
        self.rec.setVisible(rec is not None and not self.compact)
        if rec is None:
            return
        colour = "#dc2626" if rec.error else "#6b7280" if self.discreet else "#dc2626"
        text = self.tr("REC %1 ticks").replace("%1", f"{rec.recorded:,}")
        self.rec.setText(f"<span style='color:{colour}'>●</span> {html.escape(text)}")
        where = str(rec.path or self.service.paths.recordings)
        self.rec.setToolTip(
            html.escape(rec.error or self.tr("Recording to %1").replace("%1", where))
        )

    def _replay_text(self) -> str:
        """``Replay 10:31:07 ×10`` while a recorded day plays (its clock, not the market's)."""
        replay = self.service.replaying
        server = replay.server if replay is not None else None
        if server is None:
            return ""
        when = server.clock_time() or "--:--:--"
        pace = f"×{server.speed:g}" if server.speed else self.tr("max speed")
        text = self.tr("Replay %1 %2").replace("%1", when).replace("%2", pace)
        if server.finished.is_set():
            text += " · " + (
                self.tr("ended: the file is damaged") if server.error else self.tr("ended")
            )
        elif server.paused:
            text += " · " + self.tr("paused")
        return text


def _shortened(text: str, n: int) -> str:
    """``text`` in at most ``n`` characters, cut at a word (a space) where there is one."""
    if len(text) <= n:
        return text
    cut = text[: n - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;·") + "…"


class MessageBar(QStatusBar):
    """The window's status bar. A temporary message gets the room the permanent labels
    leave; QStatusBar clips what does not fit mid-word, so a longer message is shortened
    at a word with an ellipsis here, and the whole of it is the bar's tooltip."""

    def showMessage(self, text: str, timeout: int | None = 0) -> None:
        taken = sum(
            w.width()
            for w in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if w.isVisible()
        )
        shown = fit_words(text, self.fontMetrics(), max(80, self.width() - taken - 24))
        self.setToolTip(text if shown != text else "")
        self._said = text
        super().showMessage(shown, timeout or 0)

    def message(self) -> str:
        """The whole of the message on show ("" once it has timed out or been cleared)."""
        return self._said if self.currentMessage() else ""

    _said = ""


def fit_words(text: str, fm: QFontMetrics, width: int) -> str:
    """``text`` if it fits in ``width`` pixels, else cut at a word (Chinese, which has no
    spaces, by character) with an ellipsis."""
    if fm.horizontalAdvance(text) <= width:
        return text
    words = text.split(" ")
    while len(words) > 1:
        words.pop()
        cut = " ".join(words).rstrip(" ,;:·") + "…"
        if fm.horizontalAdvance(cut) <= width:
            return cut
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
