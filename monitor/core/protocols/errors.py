"""Typed errors shared by the codecs and the feed client."""

from __future__ import annotations

__all__ = [
    "CodeInvalidError",
    "EntitlementError",
    "ProtocolError",
    "ProviderError",
    "RateLimitError",
    "TokenError",
    "UnknownSymbolError",
    "error_for_ret",
]


class ProtocolError(ValueError):
    """A frame that cannot be understood: counted as a bad frame, never fatal."""


class UnknownSymbolError(ProtocolError):
    """A frame about an instrument that is not an A-share symbol."""


class ProviderError(Exception):
    """The provider refused a request (an AllTick ``ret`` code, an HTTP status ...).

    ``fatal`` errors stop the client retrying: retrying cannot fix them.
    """

    fatal = False

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{message} (code {code})" if message else f"code {code}")
        self.code = code
        self.message = message


class TokenError(ProviderError):
    """401: the token is missing, wrong or expired."""

    fatal = True


class EntitlementError(ProviderError):
    """603/604: the plan does not cover these codes or this many codes."""

    fatal = True


class CodeInvalidError(ProviderError):
    """600: the provider does not know a code it was sent."""


class RateLimitError(ProviderError):
    """605/606 (or HTTP 429): requests too fast; 606 also closes the connection."""


_BY_RET: dict[int, type[ProviderError]] = {
    401: TokenError,
    600: CodeInvalidError,
    603: EntitlementError,
    604: EntitlementError,
    605: RateLimitError,
    606: RateLimitError,
    429: RateLimitError,
}


def error_for_ret(ret: int, msg: str) -> ProviderError:
    """The typed error for a non-200 ``ret``; unknown codes become a plain ProviderError."""
    return _BY_RET.get(ret, ProviderError)(ret, msg)
