"""The provider token: in the OS keyring where one exists, else a 0600 file.

The token never goes into settings.json, logs, exports or dialogs; every token
loaded is registered with :mod:`monitor.core.redact` so log records mask it.

The file is ``{"provider": "token", ...}``. Damage (see :mod:`monitor.core.persist`):
unusable (not JSON, too big or deep, NaN/Infinity, not an object) -> renamed to
``secrets.json.corrupt-<time>`` (mode kept, 0600) and no tokens; some entries not text
-> the text tokens are used and the file is *copied* (mode 0600) to such a name before
anything is written, so :meth:`TokenStore.set` never loses what the file held. Messages
name the file and providers, never a token.

The keyring is optional: without the ``keyring`` package (or with no usable backend,
as on a headless Linux box) the 0600 file is used. A token pasted inside a provider URL
(``wss://host/path?token=XYZ``) is moved here by :func:`move_url_tokens` before the
settings are saved; :func:`url_with_token` puts it back for the connection.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.core.persist import load_state, object_shape, save_json
from monitor.core.redact import register_secret

if TYPE_CHECKING:
    from monitor.core.settings import Settings

__all__ = [
    "TokenFileError",
    "TokenStore",
    "move_url_tokens",
    "read_token_file",
    "same_origin",
    "split_url_token",
    "url_with_token",
]

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


# --- tokens inside URLs -------------------------------------------------------------
def _is_token_param(piece: str) -> bool:
    return urllib.parse.unquote_plus(piece.split("=", 1)[0]).strip().lower() == "token"


def split_url_token(url: str) -> tuple[str, str | None]:
    """``url`` without its ``token=`` query parameter(s), and the token (``None`` if none).

    The rest of the URL is kept as written (other parameters are not re-encoded).
    """
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return url, None
    pieces = parts.query.split("&") if parts.query else []
    found = [p for p in pieces if _is_token_param(p)]
    if not found:
        return url, None
    rest = "&".join(p for p in pieces if p and not _is_token_param(p))
    token = urllib.parse.unquote_plus(found[0].partition("=")[2]).strip() or None
    register_secret(token)
    return urllib.parse.urlunsplit(parts._replace(query=rest)), token


def url_with_token(url: str, token: str | None) -> str:
    """``url`` carrying ``token`` as ``?token=`` (unchanged if it already has one)."""
    if not token or not url or split_url_token(url)[1] is not None:
        return url
    sep = "&" if urllib.parse.urlsplit(url).query else "?"
    base, hash_, fragment = url.partition("#")
    return f"{base}{sep}token={urllib.parse.quote(token, safe='')}{hash_}{fragment}"


def same_origin(a: str, b: str) -> bool:
    """Same scheme, host and port (userinfo, path and query aside)."""
    try:
        pa, pb = urllib.parse.urlsplit(a.strip()), urllib.parse.urlsplit(b.strip())
        return bool(pa.hostname) and (pa.scheme.lower(), pa.hostname, pa.port) == (
            pb.scheme.lower(),
            pb.hostname,
            pb.port,
        )
    except ValueError:
        return False


# (setting, token store key, the token belongs to that URL's server only)
_URL_FIELDS = (("alltick_url", "alltick", False), ("generic_url", "generic", True))


def move_url_tokens(new: Settings, store: TokenStore, old: Settings | None = None) -> Settings:
    """``new`` with any ``token=`` stripped from its provider URLs, the tokens saved in
    ``store`` (AllTick URL -> ``"alltick"``, batch URL -> ``"generic"``).

    A batch-URL token belongs to that server: when the batch URL moves to another
    origin (compared with ``old``) without a token of its own, the stored one is
    forgotten, so it is never sent to a different server. Call before saving ``new``.
    """
    changes: dict[str, str] = {}
    for field, provider, bound in _URL_FIELDS:
        url: str = getattr(new, field)
        clean, token = split_url_token(url)
        if clean != url:
            changes[field] = clean
            if token:
                store.set(provider, token)
        elif (
            bound
            and old is not None
            and not same_origin(url, getattr(old, field))
            and store.get(provider)
        ):
            store.set(provider, None)
    return new.with_(**changes) if changes else new


# --- the CLI's --token-file -------------------------------------------------------------
class TokenFileError(Exception):
    """A token file that cannot be used; the message names the file, never the token."""


def read_token_file(path: Path) -> str:
    """The token on the first line of ``path`` (stripped).

    On POSIX a regular file readable by group or others is refused (like ssh does with
    keys): the token would be readable by other users of the machine.
    """
    try:
        with open(path, "rb") as f:
            st = os.fstat(f.fileno())
            if (
                os.name == "posix"
                and stat.S_ISREG(st.st_mode)
                and st.st_mode & (stat.S_IRGRP | stat.S_IROTH)
            ):
                raise TokenFileError(
                    f"{path} is readable by other users (mode {stat.S_IMODE(st.st_mode):04o}): "
                    f"run chmod 600 {path}"
                )
            first = f.readline(64 * 1024)
    except OSError as e:
        raise TokenFileError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        token = first.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        raise TokenFileError(f"{path} is not UTF-8 text") from None
    if not token:
        raise TokenFileError(f"{path}: the first line is empty")
    register_secret(token)
    return token
