"""Handing freed memory back to the system after a burst of short-lived objects.

glibc keeps freed heap pages for reuse, so a process that parsed a few megabytes of
answers once (the daily listing refresh) would carry that peak all day. ``malloc_trim``
returns what is free; elsewhere this only collects garbage.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import sys

__all__ = ["release_freed_memory"]


@functools.cache
def _trim() -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (musl): nothing to trim
        return None


def release_freed_memory() -> None:
    gc.collect()
    trim = _trim()
    if callable(trim):
        trim(0)
