"""The provider token: in the OS keyring where one exists, else a 0600 file.

The token never goes into settings.json, logs, exports or dialogs; every token
loaded is registered with :mod:`monitor.core.redact` so log records mask it.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

from monitor.core.persist import load_json, save_json
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

    def get(self, provider: str) -> str | None:
        token: str | None = None
        if self.keyring is not None:
            with contextlib.suppress(Exception):
                token = self.keyring.get_password(SERVICE, provider)
        if token is None:
            data, _ = load_json(self.file)
            if isinstance(data, dict) and isinstance(data.get(provider), str):
                token = data[provider]
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
        data, _ = load_json(self.file)
        data = data if isinstance(data, dict) else {}
        if token:
            data[provider] = token
        else:
            data.pop(provider, None)
        save_json(self.file, data, mode=0o600)
        with contextlib.suppress(OSError):
            os.chmod(self.file, 0o600)
