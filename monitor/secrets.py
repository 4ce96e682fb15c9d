"""The provider token: in the OS keyring where one exists, else a 0600 file.

The token never goes into settings.json, logs, exports or dialogs; every token
loaded is registered with :mod:`monitor.core.redact` so log records mask it.

The file is ``{"provider": "token", ...}``. Damage (see :mod:`monitor.core.persist`):
unusable (not JSON, too big or deep, NaN/Infinity, not an object) -> renamed to
``secrets.json.corrupt-<time>`` (mode kept, 0600) and no tokens; some entries not text
-> the text tokens are used and the file is *copied* (mode 0600) to such a name before
anything is written, so :meth:`TokenStore.set` never loses what the file held. Messages
name the file and providers, never a token.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from monitor.core.persist import load_state, object_shape, save_json
from monitor.core.redact import register_secret

__all__ = ["TokenStore"]

log = logging.getLogger(__name__)
SERVICE = "ashare-monitor"


def _keyring() -> Any:
    try:
        import keyring
        from keyring.backends import fail

        kr = keyring.get_keyring()
        if isinstance(kr, fail.Keyring) or kr.priority <= 0:
            return None
        return keyring
    except Exception:  # no keyring package or a broken backend: use the file
        return None


class TokenStore:
    def __init__(self, file: Path, *, use_keyring: bool = True) -> None:
        self.file = file
        self.keyring = _keyring() if use_keyring else None

    @property
    def where(self) -> str:
        return "the system keyring" if self.keyring else f"{self.file} (mode 0600)"

    def check(self) -> list[str]:
        """Messages for the user about the token file ([] if fine or absent); a damaged
        file is kept as a backup (see the module). Call once at start-up."""
        return self._read()[1]

    def _read(self) -> tuple[dict[str, str], list[str]]:
        tokens, problems = load_state(self.file, _tokens_from_json, _no_tokens, object_shape)
        for msg in problems:
            log.warning("%s", msg)
        for token in tokens.values():
            register_secret(token)
        return tokens, problems

    def get(self, provider: str) -> str | None:
        token: str | None = None
        if self.keyring is not None:
            with contextlib.suppress(Exception):
                token = self.keyring.get_password(SERVICE, provider)
        if token is None:
            token = self._read()[0].get(provider)
        register_secret(token)
        return token or None

    def set(self, provider: str, token: str | None) -> None:
        register_secret(token)
        if self.keyring is not None:
            try:
                if token:
                    self.keyring.set_password(SERVICE, provider, token)
                else:
                    with contextlib.suppress(Exception):
                        self.keyring.delete_password(SERVICE, provider)
                return
            except Exception:
                log.warning("keyring refused the token; storing it in a 0600 file instead")
        data = self._read()[0]  # a damaged file is backed up before it is replaced
        if token:
            data[provider] = token
        else:
            data.pop(provider, None)
        save_json(self.file, data, mode=0o600)
        with contextlib.suppress(OSError):
            os.chmod(self.file, 0o600)


def _no_tokens() -> dict[str, str]:
    return {}


def _tokens_from_json(data: object) -> tuple[dict[str, str], list[str]]:
    """The text tokens; other entries are reported by provider name (never by value)."""
    tokens: dict[str, str] = {}
    problems: list[str] = []
    for provider, token in data.items() if isinstance(data, dict) else ():
        if isinstance(token, str):
            tokens[provider] = token
        else:
            problems.append(f"the token for {provider!r} is not text; ignored")
    return tokens, problems
