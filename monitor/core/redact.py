"""Keeping secrets out of text: URLs, log records, error messages.

The provider token travels in the handshake URL (``?token=``), which websockets logs
at debug level; every log record of ours passes through :class:`RedactFilter`.
Credentials in a URL (``ws://user:password@host``) and ``Authorization`` header values
(websockets sends userinfo as HTTP Basic and logs request headers at debug level) are
masked too.
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactFilter", "redact", "register_secret"]

_TOKEN_QS = re.compile(r"((?:\?|&)token=)[^&\s'\"]+")
# scheme://userinfo@ — greedy up to the authority's last "@" (a raw "@" in a password).
_USERINFO = re.compile(r"(\b[a-z][a-z0-9+.\-]*://)[^/?#\s'\"<>@]*(?:@[^/?#\s'\"<>@]*)*@", re.I)
_AUTH_HEADER = re.compile(
    r"((?:proxy-)?authorization['\"]?\s*[:=,]\s*['\"]?(?:[a-z]+\s+)?)[^\s'\",}]+", re.I
)
_SECRETS: set[str] = set()


def register_secret(secret: str | None) -> None:
    """Remember a secret so that :func:`redact` masks it wherever it appears."""
    if secret and len(secret) >= 4:
        _SECRETS.add(secret)


def redact(text: str, token: str | None = None) -> str:
    """``text`` with the token, known secrets, any ``token=`` value, URL userinfo
    (``user:password@``) and ``Authorization`` header values replaced by ``***``."""
    for s in (token, *_SECRETS):
        # Shorter strings are no real secret, and masking them would mangle the text.
        if s and len(s) >= 4:
            text = text.replace(s, "***")
    text = _USERINFO.sub(r"\1***@", text)
    text = _AUTH_HEADER.sub(r"\1***", text)
    return _TOKEN_QS.sub(r"\1***", text)


class RedactFilter(logging.Filter):
    """A logging filter that redacts the formatted message (and drops the args)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            msg = str(record.msg)
        clean = redact(msg)
        if clean != msg or record.args:
            record.msg, record.args = clean, ()
        return True
