"""Price alerts without false alarms: rules, arming with hysteresis, persistence.

A rule fires when its condition becomes true *while it is armed*; a one-shot rule
then stays disarmed, a re-arming rule arms again only after the price has moved back
past the threshold by the hysteresis margin, so it never repeats at the tick rate.
Nothing fires outside trading (pre-open auctions included) or on a zero, missing or
non-finite price. "Opens from limit" fires when a symbol that was at its limit trades
away from it (涨停打开 / 跌停打开).
"""

from __future__ import annotations

import enum
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from monitor.core.errors import UserError
from monitor.core.persist import array_shape, load_state
from monitor.core.symbols import SymbolError, normalize

__all__ = ["AlertEngine", "AlertEvent", "AlertKind", "AlertRule", "AlertRuleError"]


class AlertRuleError(UserError):
    """A rule that cannot work (bad symbol, missing threshold ...)."""


class AlertSymbolError(SymbolError, AlertRuleError):
    """A rule for a code that is not an A-share symbol (says why, like SymbolError)."""


class AlertKind(enum.StrEnum):
    PRICE_ABOVE = "price_above"
    PRICE_BELOW = "price_below"
    PCT_ABOVE = "pct_above"
    PCT_BELOW = "pct_below"
    LIMIT_UP = "limit_up"
    LIMIT_DOWN = "limit_down"
    OPENS_FROM_LIMIT = "opens_from_limit"

    @property
    def needs_value(self) -> bool:
        """Price and change % rules have a threshold; limit rules do not."""
        return self in _NEEDS_VALUE

    @property
    def is_pct(self) -> bool:
        return self in (AlertKind.PCT_ABOVE, AlertKind.PCT_BELOW)


_NEEDS_VALUE = frozenset(
    {AlertKind.PRICE_ABOVE, AlertKind.PRICE_BELOW, AlertKind.PCT_ABOVE, AlertKind.PCT_BELOW}
)


@dataclass
class AlertRule:
    symbol: str
    kind: AlertKind
    value: float | None = None
    repeat: bool = False
    hysteresis_pct: float = 0.5  # of the threshold (price) or in points (change %)
    armed: bool = True
    id: int = 0

    def validate(self) -> AlertRule:
        try:
            self.symbol = normalize(self.symbol)
        except SymbolError as e:
            raise AlertSymbolError(e.token, e.template, *e.params) from None
        self.kind = AlertKind(self.kind)
        if not self.kind.needs_value:
            self.value = None  # a limit rule has no threshold, whatever the form held
        elif self.value is None or not math.isfinite(self.value):
            raise AlertRuleError("{0} needs a threshold", self.kind.value)
        elif not self.kind.is_pct and self.value <= 0:
            raise AlertRuleError("a price threshold must be above 0")
        elif self.kind.is_pct and not -100 < self.value < 100:
            raise AlertRuleError("a change % threshold must be between -100 and 100")
        if not 0 <= self.hysteresis_pct <= 20:
            raise AlertRuleError("hysteresis must be between 0 and 20")
        return self


@dataclass(frozen=True, slots=True)
class AlertEvent:
    rule_id: int
    symbol: str
    kind: AlertKind
    price: float
    change_pct: float | None
    time_ms: int
    message: str  # English, for the log file; the UI words it in the user's language
    value: float | None = None  # the rule's threshold


@dataclass
class _State:
    was_at_limit: int = 0  # +1 at limit-up, -1 at limit-down, 0 neither


@dataclass
class AlertEngine:
    rules: list[AlertRule] = field(default_factory=list)
    _state: dict[str, _State] = field(default_factory=dict)
    _next_id: int = 1

    _watched: frozenset[str] = frozenset()  # symbols with a rule; read on the tick path

    def add(self, rule: AlertRule) -> AlertRule:
        rule.validate()
        rule.id = self._next_id
        self._next_id += 1
        self.rules.append(rule)
        self._watched = frozenset(r.symbol for r in self.rules)
        return rule

    def replace(self, rule_id: int, rule: AlertRule) -> AlertRule:
        """Put ``rule`` in the place of rule ``rule_id``; the old one stays if ``rule`` is bad."""
        rule.validate()
        pos = next(i for i, r in enumerate(self.rules) if r.id == rule_id)
        rule.id = self._next_id
        self._next_id += 1
        self.rules[pos] = rule
        self._watched = frozenset(r.symbol for r in self.rules)
        return rule

    def remove(self, rule_id: int) -> None:
        self.rules = [r for r in self.rules if r.id != rule_id]
        self._watched = frozenset(r.symbol for r in self.rules)

    def new_session(self) -> None:
        """Forget what was seen of prices (limit states): a new provider session."""
        self._state.clear()

    def symbols(self) -> frozenset[str]:
        """Symbols that have a rule (kept up to date by add/remove, not rebuilt per call)."""
        return self._watched

    def evaluate(
        self,
        symbol: str,
        price: float | None,
        change_pct: float | None,
        limit_up: float | None,
        limit_down: float | None,
        time_ms: int,
        trading: bool,
    ) -> list[AlertEvent]:
        """Events for one symbol's new quote; call once per changed quote."""
        if not trading or price is None or not math.isfinite(price) or price <= 0:
            return []
        st = self._state.setdefault(symbol, _State())
        at = 0
        if limit_up and price >= limit_up - 1e-9:
            at = 1
        elif limit_down and price <= limit_down + 1e-9:
            at = -1
        events: list[AlertEvent] = []
        for rule in self.rules:
            if rule.symbol != symbol:
                continue
            hit, rearm = self._check(rule, price, change_pct, at, st)
            if rule.armed and hit:
                rule.armed = False
                events.append(
                    AlertEvent(
                        rule.id,
                        symbol,
                        rule.kind,
                        price,
                        change_pct,
                        time_ms,
                        _message(rule, price, change_pct),
                        rule.value,
                    )
                )
            elif not rule.armed and rule.repeat and rearm:
                rule.armed = True
        st.was_at_limit = at
        return events

    @staticmethod
    def _check(
        rule: AlertRule, price: float, pct: float | None, at: int, st: _State
    ) -> tuple[bool, bool]:
        """(condition true now, far enough back to re-arm)."""
        k, v, h = rule.kind, rule.value or 0.0, rule.hysteresis_pct
        if k is AlertKind.PRICE_ABOVE:
            return price >= v, price < v * (1 - h / 100)
        if k is AlertKind.PRICE_BELOW:
            return price <= v, price > v * (1 + h / 100)
        if k in (AlertKind.PCT_ABOVE, AlertKind.PCT_BELOW):
            if pct is None or not math.isfinite(pct):
                return False, False
            if k is AlertKind.PCT_ABOVE:
                return pct >= v, pct < v - h
            return pct <= v, pct > v + h
        if k is AlertKind.LIMIT_UP:
            return at == 1, at != 1
        if k is AlertKind.LIMIT_DOWN:
            return at == -1, at != -1
        # opens from limit: was at a limit, now is not
        return st.was_at_limit != 0 and at == 0, at != 0

    # --- persistence -----------------------------------------------------------------
    def to_json(self) -> list[dict[str, object]]:
        return [{**asdict(r), "kind": r.kind.value} for r in self.rules]

    @classmethod
    def from_json(cls, data: object) -> tuple[AlertEngine, list[str]]:
        """Rules from saved JSON (an array); bad entries are skipped and reported.

        A rule is skipped when it is not an object or its symbol, kind or threshold is
        missing, of the wrong type or invalid; a bad ``repeat``, ``armed`` (not true or
        false) or ``hysteresis_pct`` (not a finite number from 0 to 20) is reported
        and defaulted, the rule kept.
        """
        engine = cls()
        if not isinstance(data, list):
            return engine, ["alerts file is not an array; no alerts loaded"]
        problems: list[str] = []
        for item in data:
            if not isinstance(item, dict):
                problems.append("skipped an alert that is not an object")
                continue
            try:
                engine.add(_rule_from_json(item, problems))
            except (AlertRuleError, ValueError, TypeError, OverflowError) as e:
                problems.append(f"skipped alert {item.get('symbol')!r}: {e}")
        return engine, problems

    @classmethod
    def load(cls, path: Path) -> tuple[AlertEngine, list[str]]:
        """Rules from ``path`` and messages for the user. Damage (see :mod:`monitor.core.persist`):

        * unusable (not JSON, too big or deep, NaN/Infinity, not an array): renamed to
          ``alerts.json.corrupt-<time>``; no rules and one message;
        * some rules or fields bad (see :meth:`from_json`): the good rules are used and
          the file is *copied* to ``alerts.json.corrupt-<time>``, so the next save
          (an edit, or a rule firing) loses nothing the user had.
        """
        return load_state(path, cls.from_json, cls, array_shape)


def _rule_from_json(item: dict[str, object], problems: list[str]) -> AlertRule:
    """One saved rule; raises for a rule that cannot be used, reports and defaults the rest."""
    symbol, kind, value = item.get("symbol"), item.get("kind"), item.get("value")
    if not isinstance(symbol, str) or not isinstance(kind, str):
        raise TypeError("symbol and kind must be text")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise TypeError("threshold must be a number")
    rule = AlertRule(
        symbol=symbol,
        kind=AlertKind(kind),
        value=None if value is None else float(value),
    )
    for name in ("repeat", "armed"):
        flag = item.get(name, getattr(rule, name))
        if isinstance(flag, bool):
            setattr(rule, name, flag)
        else:
            problems.append(f"alert {symbol!r}: {name!r} is not true or false; default used")
    h = item.get("hysteresis_pct", rule.hysteresis_pct)
    if isinstance(h, int | float) and not isinstance(h, bool) and 0 <= h <= 20:
        rule.hysteresis_pct = float(h)
    else:
        problems.append(f"alert {symbol!r}: hysteresis is not a number from 0 to 20; default used")
    return rule


def _message(rule: AlertRule, price: float, pct: float | None) -> str:
    p = f"{price:.2f}" + (f" ({pct:+.2f}%)" if pct is not None and math.isfinite(pct) else "")
    k = rule.kind
    text = {
        AlertKind.PRICE_ABOVE: f"at or above {rule.value:.2f}" if rule.value else "",
        AlertKind.PRICE_BELOW: f"at or below {rule.value:.2f}" if rule.value else "",
        AlertKind.PCT_ABOVE: f"change ≥ {rule.value:+.2f}%" if rule.value is not None else "",
        AlertKind.PCT_BELOW: f"change ≤ {rule.value:+.2f}%" if rule.value is not None else "",
        AlertKind.LIMIT_UP: "reached limit-up 涨停",
        AlertKind.LIMIT_DOWN: "reached limit-down 跌停",
        AlertKind.OPENS_FROM_LIMIT: "opened from its limit 开板",
    }[k]
    return f"{rule.symbol} {text}: {p}"
