"""Words for values that come from the pure layers, translated when they are shown.

``monitor.core`` and ``monitor.feed`` stay language-neutral (enums, numbers, English
log text); this module turns session phases, connection states and alert rules into
the user's language with Qt's translator. Every string is a literal inside
``QCoreApplication.translate`` so ``lupdate`` extracts it with its context.
"""

from __future__ import annotations

import math
import time

from PySide6.QtCore import QCoreApplication

from monitor.core.alerts import AlertKind, AlertRule
from monitor.core.calendar import MarketStatus
from monitor.core.errors import Reason, UserError
from monitor.core.session import Phase as SessionPhase
from monitor.core.symbols import SymbolError
from monitor.feed.client import Phase, PoolState
from monitor.ui.columns import QT_TRANSLATE_NOOP

__all__ = [
    "alert_fired_text",
    "alert_kind_text",
    "alert_rule_text",
    "connection_text",
    "error_text",
    "not_saved_title",
    "session_text",
    "why_text",
]

translate = QCoreApplication.translate


def connection_text(
    state: PoolState | None,
    bad_frames: int = 0,
    now: float | None = None,
    *,
    dropping: Reason | None = None,
) -> str:
    """``Live ×2``, ``Reconnecting in 3 s: <reason>``, ``Failed: <reason>`` …

    ``dropping`` (frames arrive but no price is applied) replaces "Live": a feed that
    moves no number is not live.
    """
    if state is None or state.phase in (Phase.CONNECTING, Phase.IDLE):
        text = translate("Status", "Connecting")
    elif state.phase is Phase.LIVE and dropping is not None:
        text = why_text(dropping)
    elif state.phase is Phase.LIVE:
        n = len(state.connections)
        text = translate("Status", "Live") + (f" ×{n}" if n > 1 else "")
    elif state.phase is Phase.BACKOFF:
        secs = max(0.0, state.retry_at - (time.time() if now is None else now))
        text = translate("Status", "Reconnecting in %1 s: %2").replace("%1", f"{secs:.0f}")
        text = text.replace("%2", _why(state.why, state.reason))
    elif state.phase is Phase.FAILED:
        text = translate("Status", "Failed: %1").replace("%1", _why(state.why, state.reason))
    else:
        text = translate("Status", "Stopped")
    if bad_frames:
        text += " · " + translate("Status", "bad frames %1").replace("%1", f"{bad_frames:,}")
    return text


def _phase_name(phase: SessionPhase) -> str:
    return {
        SessionPhase.PRE_OPEN: translate("Session", "Pre-open"),
        SessionPhase.OPENING_AUCTION: translate("Session", "Opening auction"),
        SessionPhase.PRE_CONTINUOUS: translate("Session", "Auction done"),
        SessionPhase.CONTINUOUS: translate("Session", "Trading"),
        SessionPhase.LUNCH: translate("Session", "Lunch break"),
        SessionPhase.CLOSING_AUCTION: translate("Session", "Closing auction"),
        SessionPhase.CLOSED: translate("Session", "Closed"),
    }[phase]


def session_text(ms: MarketStatus, *, simulated: bool, calendar_loaded: bool) -> str:
    """``Market: Lunch break``, ``Market: Closed (holiday) · next open 10-08 09:30`` …"""
    name = translate("Session", "Closed (holiday)") if ms.holiday else _phase_name(ms.phase)
    text = translate("Session", "Market: %1").replace("%1", name)
    if ms.next_open is not None:
        when = ms.next_open.strftime("%m-%d %H:%M")
        text += " · " + translate("Session", "next open %1").replace("%1", when)
    if not ms.known and calendar_loaded:
        text += " " + translate("Session", "(holiday data ended; weekdays assumed)")
    if ms.estimated:  # closures from the statutory rules: the exchanges have not announced them
        text += " " + translate("Session", "(holiday dates estimated)")
    if simulated:
        text += " " + translate("Session", "(simulator: always open)")
    return text


def not_saved_title(what: str) -> str:
    """The title of the box saying something the user did could not be saved."""
    return {
        "watchlists": translate("Saving", "Watchlists not saved"),
        "alerts": translate("Saving", "Alerts not saved"),
        "settings": translate("Saving", "Settings not saved"),
        "alert log": translate("Saving", "Alert log not saved"),
        "holdings": translate("Saving", "Holdings not saved"),
    }.get(what, translate("Saving", "Not saved"))


def alert_kind_text(kind: AlertKind) -> str:
    return {
        AlertKind.PRICE_ABOVE: translate("Alerts", "Price at or above"),
        AlertKind.PRICE_BELOW: translate("Alerts", "Price at or below"),
        AlertKind.PCT_ABOVE: translate("Alerts", "Change % at or above"),
        AlertKind.PCT_BELOW: translate("Alerts", "Change % at or below"),
        AlertKind.LIMIT_UP: translate("Alerts", "Reaches limit-up"),
        AlertKind.LIMIT_DOWN: translate("Alerts", "Reaches limit-down"),
        AlertKind.OPENS_FROM_LIMIT: translate("Alerts", "Opens from limit"),
    }[AlertKind(kind)]


def alert_condition_text(kind: AlertKind, value: float | None) -> str:
    """``Price at or above 1,700.00`` / ``Change % at or below -3.00 %``."""
    kind = AlertKind(kind)
    text = alert_kind_text(kind)
    if value is None or not math.isfinite(value):
        return text
    return f"{text} {value:+.2f} %" if kind.is_pct else f"{text} {value:,.2f}"


def alert_rule_text(rule: AlertRule) -> str:
    return alert_condition_text(rule.kind, rule.value)


def alert_fired_text(kind: AlertKind, value: float | None, price: float, pct: float | None) -> str:
    """What the alert log and the notification say when a rule fires."""
    what = alert_condition_text(kind, value)
    p = f"{price:,.2f}" + (f" ({pct:+.2f} %)" if pct is not None and math.isfinite(pct) else "")
    return translate("Alerts", "%1 — now %2").replace("%1", what).replace("%2", p)


# Every reason the pure layers give (``UserError`` templates), marked for lupdate; a
# test checks this list against the templates used in the code.
ERROR_TEMPLATES = (
    QT_TRANSLATE_NOOP("Errors", "a change % threshold must be between -100 and 100"),
    QT_TRANSLATE_NOOP("Errors", "an index, not a stock: it cannot be held"),
    QT_TRANSLATE_NOOP("Errors", "quantity must be a number of shares: {0}"),
    QT_TRANSLATE_NOOP("Errors", "quantity must be a whole number of shares above 0: {0}"),
    QT_TRANSLATE_NOOP("Errors", "cost must be a price: {0}"),
    QT_TRANSLATE_NOOP("Errors", "cost must be a price above 0: {0}"),
    QT_TRANSLATE_NOOP("Errors", "quantity and cost must be numbers"),
    QT_TRANSLATE_NOOP("Errors", "the file is empty"),
    QT_TRANSLATE_NOOP(
        "Errors",
        "the first line must name the columns code, quantity and cost; missing: {0}",
    ),
    QT_TRANSLATE_NOOP("Errors", "no holding could be read: {0}"),
    QT_TRANSLATE_NOOP("Errors", "not a CSV file: {0}"),
    QT_TRANSLATE_NOOP("Errors", "the file is larger than {0} MB"),
    QT_TRANSLATE_NOOP("Errors", "too few columns"),
    QT_TRANSLATE_NOOP("Errors", "{0} needs a threshold"),
    QT_TRANSLATE_NOOP("Errors", "a price threshold must be above 0"),
    QT_TRANSLATE_NOOP("Errors", "hysteresis must be between 0 and 20"),
    QT_TRANSLATE_NOOP("Errors", "provider must be one of {0}"),
    QT_TRANSLATE_NOOP("Errors", "plan must be one of {0}"),
    QT_TRANSLATE_NOOP("Errors", "codes per connection must be between 1 and 100000"),
    QT_TRANSLATE_NOOP("Errors", "refresh rate must be between 5 and 30 per second"),
    QT_TRANSLATE_NOOP("Errors", "language must be auto, zh or en"),
    QT_TRANSLATE_NOOP("Errors", "theme must be auto, light or dark"),
    QT_TRANSLATE_NOOP("Errors", "alert sound must be a .wav file: {0}"),
    QT_TRANSLATE_NOOP("Errors", "alert sound file not found: {0}"),
    QT_TRANSLATE_NOOP("Errors", "stale after must be between 5 and 3600 seconds"),
    QT_TRANSLATE_NOOP("Errors", "CA file not found: {0}"),
    QT_TRANSLATE_NOOP("Errors", "{0} must be text, at most {1} characters"),
    QT_TRANSLATE_NOOP("Errors", "{0} must be true or false"),
    QT_TRANSLATE_NOOP("Errors", "{0} must be a whole number"),
    QT_TRANSLATE_NOOP("Errors", "{0} must be a finite number"),
    QT_TRANSLATE_NOOP("Errors", "{0} must be between {1} and {2}"),
    QT_TRANSLATE_NOOP("Errors", "{0} must be an object of plain values"),
    QT_TRANSLATE_NOOP("Errors", "{0} must start with ws:// or wss://"),
    QT_TRANSLATE_NOOP("Errors", "{0} has no host"),
    QT_TRANSLATE_NOOP("Errors", "{0} has an invalid port: {1}"),
    QT_TRANSLATE_NOOP("Errors", "not text"),
    QT_TRANSLATE_NOOP("Errors", "empty"),
    QT_TRANSLATE_NOOP("Errors", "A-share codes have 6 digits, this has {0}"),
    QT_TRANSLATE_NOOP("Errors", "not an A-share code (expected e.g. 600519, 600519.SH, sh600519)"),
    QT_TRANSLATE_NOOP("Errors", "an SSE B-share (USD), not an A-share"),
    QT_TRANSLATE_NOOP("Errors", "an SZSE B-share (HKD), not an A-share"),
    QT_TRANSLATE_NOOP("Errors", "old BSE code: BSE stocks moved to 920xxx on 2025-10-09"),
    QT_TRANSLATE_NOOP("Errors", "no A-share board uses the prefix {0}"),
    QT_TRANSLATE_NOOP("Errors", "{0}xxx codes are not listed on {1}"),
    QT_TRANSLATE_NOOP("Errors", "not a canonical symbol (use normalize first)"),
    QT_TRANSLATE_NOOP("Errors", "over {0} entries"),
    QT_TRANSLATE_NOOP("Errors", "a list needs a name"),
    QT_TRANSLATE_NOOP("Errors", "list names are at most {0} characters"),
    QT_TRANSLATE_NOOP("Errors", "a list named “{0}” already exists"),
    QT_TRANSLATE_NOOP("Errors", "the last list cannot be deleted"),
    QT_TRANSLATE_NOOP("Errors", "{0}: {1} KiB is too large for a watchlist"),
    QT_TRANSLATE_NOOP("Errors", "cannot read {0}: {1}"),
    QT_TRANSLATE_NOOP("Errors", "{0}: not a text file"),
    QT_TRANSLATE_NOOP("Errors", "{0}: not UTF-8 or GBK text"),
    QT_TRANSLATE_NOOP("Errors", "matches {0} names"),
    QT_TRANSLATE_NOOP("Errors", "not in the symbol list (not listed, or delisted)"),
    QT_TRANSLATE_NOOP("Errors", "delisted: no longer in its exchange's listing (found on {0})"),
    QT_TRANSLATE_NOOP("Errors", "{0} must give sse, szse or bse an http:// or https:// address"),
)


def _translated(context: str, template: str, params: tuple[object, ...]) -> str:
    """``template`` translated in ``context`` with its ``{0}`` slots filled."""
    try:
        return translate(context, template).format(*params)
    except (IndexError, KeyError, ValueError):  # a translation with bad slots
        return template.format(*params)


def reason_text(e: UserError) -> str:
    """The reason alone (no token), in the UI's language."""
    return _translated("Errors", e.template, e.params)


def error_text(e: BaseException) -> str:
    """An exception for a person: translated when it is a :class:`UserError`."""
    if isinstance(e, SymbolError):
        return f"{e.token}: {reason_text(e)}"
    if isinstance(e, UserError):
        return reason_text(e)
    return str(e)


# Why a connection ended (``Reason`` templates of the feed), marked for lupdate.
REASON_TEMPLATES = (
    QT_TRANSLATE_NOOP("Reasons", "server closed the connection"),
    QT_TRANSLATE_NOOP("Reasons", "server closed the connection (code {0}{1})"),
    QT_TRANSLATE_NOOP("Reasons", "handshake refused: HTTP {0} (check the token)"),
    QT_TRANSLATE_NOOP("Reasons", "handshake refused: HTTP {0}"),
    QT_TRANSLATE_NOOP("Reasons", "invalid URL: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "certificate verification failed: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "provider refused: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "no reply for {0} s (heartbeat timeout)"),
    QT_TRANSLATE_NOOP("Reasons", "connection closed (code {0}{1})"),
    QT_TRANSLATE_NOOP("Reasons", "connection closed by the client (code {0}{1})"),
    QT_TRANSLATE_NOOP("Reasons", "connection lost (no close frame)"),
    QT_TRANSLATE_NOOP("Reasons", "timed out"),
    QT_TRANSLATE_NOOP("Reasons", "connection refused"),
    QT_TRANSLATE_NOOP("Reasons", "handshake failed: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "network error: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "{0}: {1}"),
    QT_TRANSLATE_NOOP(
        "Reasons",
        "cut by the provider (code 1008{0}): more connections than the plan allows? "
        "Another app or device may be using this token",
    ),
    QT_TRANSLATE_NOOP("Reasons", "receiving but not updating: duplicate or older sequence numbers"),
    QT_TRANSLATE_NOOP("Reasons", "receiving but not updating: ticks older than the last price"),
    QT_TRANSLATE_NOOP("Reasons", "receiving but not updating: impossible prices"),
    QT_TRANSLATE_NOOP(
        "Reasons", "receiving but not updating: impossible tick times (clock or unit)"
    ),
    QT_TRANSLATE_NOOP("Reasons", "receiving but not updating: codes that were not subscribed"),
    QT_TRANSLATE_NOOP("Reasons", "receiving but not updating: every frame refused ({0})"),
    QT_TRANSLATE_NOOP("Reasons", "symbol list unavailable: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "previous close unavailable: {0}"),
    QT_TRANSLATE_NOOP("Reasons", "no symbol list from this provider"),
    QT_TRANSLATE_NOOP("Reasons", "no previous close from this provider"),
    QT_TRANSLATE_NOOP(
        "Reasons", "no previous close for {0} symbols (no daily K-line before today)"
    ),
    QT_TRANSLATE_NOOP("Reasons", "not served by this provider: {0} codes ({1})"),
    QT_TRANSLATE_NOOP(
        "Reasons", "the provider refused a code: finding which ({0} of {1} priced so far)"
    ),
)


def why_text(why: Reason) -> str:
    """A feed or session reason (why a connection ended, what is missing) translated."""
    return _translated("Reasons", why.template, why.params)


def _why(why: Reason | None, english: str) -> str:
    return english if why is None else _translated("Reasons", why.template, why.params)
