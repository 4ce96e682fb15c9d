"""Sans-I/O codecs: frames in -> ticks and events out; subscriptions -> frames out.

Nothing here touches a socket, so every behaviour is tested with literal frames.
"""

from monitor.core.protocols.errors import (
    CodeInvalidError,
    EntitlementError,
    ProtocolError,
    ProviderError,
    RateLimitError,
    TokenError,
    UnknownSymbolError,
)

__all__ = [
    "CodeInvalidError",
    "EntitlementError",
    "ProtocolError",
    "ProviderError",
    "RateLimitError",
    "TokenError",
    "UnknownSymbolError",
]
