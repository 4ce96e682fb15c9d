"""Errors a person can fix, worded so the UI can say them in the user's language.

``template`` is English with ``{0}``-style slots; it is the message (``str(e)``) and also
the key ``monitor.ui.texts.error_text`` translates it by, so the core stays free of
any UI language while every reason it gives can still be shown in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reason", "UserError"]


class UserError(ValueError):
    def __init__(self, template: str, *params: object) -> None:
        super().__init__(template.format(*params))
        self.template = template
        self.params = params


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something happened (a connection dropped …), worded like :class:`UserError`:
    an English template with ``{0}`` slots, and its parameters as text."""

    template: str
    params: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.template.format(*self.params)
