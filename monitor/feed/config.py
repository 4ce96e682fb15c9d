"""Feed configuration: which provider, how to reach it, and its limits.

Defaults follow each provider's published rules (AllTick: 3,000 codes per connection,
one request per second per connection, a heartbeat every 10 s and a 30 s timeout).
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from dataclasses import dataclass, field, replace

from monitor.core.backoff import BackoffFactory, exponential_backoff
from monitor.core.plans import Plan
from monitor.core.protocols.base import Codec, ProtocolSpec
from monitor.core.protocols.generic import CodeStyle, ListForm
from monitor.core.protocols.registry import PROTOCOLS, protocol_for_path
from monitor.core.redact import redact, register_secret

__all__ = ["ConfigError", "FeedConfig", "check_http_url", "redact"]


class ConfigError(ValueError):
    """A setting that cannot work; the message names the setting and the problem."""


def _split_url(url: str, schemes: tuple[str, ...]) -> urllib.parse.SplitResult:
    """``url`` split, or :class:`ConfigError` saying what is wrong with it."""
    shown = redact(url)[:200]
    try:
        parts = urllib.parse.urlsplit(url)
        port = parts.port
    except ValueError as e:  # a bad port, a malformed IPv6 address …
        raise ConfigError(f"invalid URL {shown!r}: {e}") from None
    if parts.scheme not in schemes:
        want = " or ".join(f"{s}://" for s in schemes)
        raise ConfigError(f"URL must start with {want}, got {shown!r}")
    if not parts.hostname:
        raise ConfigError(f"URL has no host: {shown!r}")
    if port == 0:
        raise ConfigError(f"URL has port 0: {shown!r}")
    return parts


def check_http_url(url: str) -> str:
    """An HTTP API base URL as given, or :class:`ConfigError` saying what is wrong."""
    _split_url(url, ("http", "https"))
    return url


def is_loopback_host(host: str) -> bool:
    """Whether ``host`` is this machine (it is then never reached through a proxy)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class FeedConfig:
    """Everything the connection pool needs; build with :meth:`for_url`."""

    url: str
    protocol: str  # a name in monitor.core.protocols.registry.PROTOCOLS
    token: str | None = None
    max_codes: int | None = None  # per connection; None = no cap
    max_connections: int = 10
    min_request_interval: float = 0.0  # seconds between subscription requests, per connection
    # Seconds between two requests on *different* connections of the token (AllTick's
    # docs say 2 s in English and 3 s in Chinese since 2025-04; 3 s satisfies both).
    cross_request_interval: float = 0.0
    debounce: float = 0.05  # coalesce edits arriving within this window
    heartbeat_interval: float = 10.0
    heartbeat_timeout: float = 30.0
    open_timeout: float = 10.0
    max_frame: int = 1 << 20
    ca_file: str | None = None
    list_form: ListForm = "array"  # generic: "array" or "string"
    code_style: CodeStyle = "suffixed"  # generic: "suffixed" (600519.SH) or "bare" (600519)
    backoff: BackoffFactory = field(default=exponential_backoff)
    http_base: str | None = None  # AllTick HTTP API base for previous closes
    kline_interval: float = 1.0  # seconds between batch K-line requests (the plan's spacing)
    kline_batch: int = 500  # items per batch K-line request (the plan's cap; All-CN: 500)
    http_interval: float = 0.05  # seconds between any two HTTP requests (the plan's per-minute cap)
    http_deadline: float = 30.0  # seconds for one side-channel request, body included
    http_max_body: int = 32 << 20  # bytes; the whole-market symbol list is ~0.5 MB
    # Whether to ask this server for a symbol list: the protocol's answer unless a source
    # knows better (the embedded simulator serves one beside AllTick's protocol).
    symbol_list: bool | None = None

    @classmethod
    def for_url(
        cls,
        url: str,
        protocol: str | None = None,
        token: str | None = None,
        **kw: object,
    ) -> FeedConfig:
        """A config with the provider's defaults; the protocol is guessed from the path."""
        parts = _split_url(url, ("ws", "wss"))
        if protocol is None:
            spec = protocol_for_path(parts.path)
        elif protocol in PROTOCOLS:
            spec = PROTOCOLS[protocol]
        else:
            names = " or ".join(repr(n) for n in PROTOCOLS)
            raise ConfigError(f"protocol must be {names}, got {protocol!r}")
        qs = urllib.parse.parse_qs(parts.query)
        if token is None and "token" in qs:
            token = qs["token"][0]
        defaults: dict[str, object] = {**spec.defaults, **kw}
        register_secret(token)
        cfg = cls(url=url, protocol=spec.name, token=token, **defaults)  # type: ignore[arg-type]
        if cfg.max_codes is not None and cfg.max_codes < 1:
            raise ConfigError(f"max_codes must be at least 1, got {cfg.max_codes}")
        if cfg.list_form not in ("array", "string"):
            raise ConfigError(f"list_form must be 'array' or 'string', got {cfg.list_form!r}")
        if cfg.code_style not in ("suffixed", "bare"):
            raise ConfigError(f"code_style must be 'suffixed' or 'bare', got {cfg.code_style!r}")
        return cfg

    @staticmethod
    def plan_limits(plan: Plan) -> dict[str, object]:
        """``for_url`` keywords that keep a connection pool and its HTTP inside ``plan``."""
        return {
            "max_connections": plan.connections,
            "max_codes": plan.codes_per_connection,
            "kline_batch": plan.kline_batch,
            "kline_interval": plan.kline_interval,
            "http_interval": 60.0 / plan.http_per_minute,
        }

    @property
    def spec(self) -> ProtocolSpec:
        return PROTOCOLS[self.protocol]

    def codec(self) -> Codec:
        """A fresh protocol state for one connection."""
        return self.spec.codec(list_form=self.list_form, code_style=self.code_style)

    def with_(self, **changes: object) -> FeedConfig:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def asks_symbol_list(self) -> bool:
        """Whether this server is asked for its symbol list (AllTick serves none)."""
        return self.spec.symbol_list if self.symbol_list is None else self.symbol_list

    @property
    def is_loopback(self) -> bool:
        return is_loopback_host(urllib.parse.urlsplit(self.url).hostname or "")

    def connect_url(self) -> str:
        """The handshake URL: the token goes in as ``?token=`` (AllTick's and the batch
        servers' way); it is never part of :attr:`url` as shown or logged."""
        if not self.token:
            return self.url
        parts = urllib.parse.urlsplit(self.url)
        qs = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "token"]
        qs.append(("token", self.token))
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(qs)))

    def public_url(self) -> str:
        """The URL as it may be shown or logged: never with the token."""
        return redact(self.url, self.token)

    def http_url(self, path: str) -> str:
        """An HTTP URL on the provider's host (``ws`` -> ``http``, ``wss`` -> ``https``)."""
        if self.http_base:
            return self.http_base.rstrip("/") + path
        parts = urllib.parse.urlsplit(self.url)
        scheme = "https" if parts.scheme == "wss" else "http"
        return urllib.parse.urlunsplit((scheme, parts.netloc, path, "", ""))
