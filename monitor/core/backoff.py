"""Reconnect delays: exponential backoff with full jitter, as an injectable generator.

The feed client asks a *factory* for a fresh generator on each outage, so tests pass
``lambda: iter(itertools.repeat(0.001))`` and run faults in milliseconds.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

__all__ = ["BackoffFactory", "exponential_backoff"]

BackoffFactory = Callable[[], Iterator[float]]


def exponential_backoff(
    initial: float = 0.5,
    factor: float = 2.0,
    maximum: float = 30.0,
    jitter: float = 0.3,
    rng: random.Random | None = None,
) -> Iterator[float]:
    """Yield ``initial * factor**n`` capped at ``maximum``, each spread by ±``jitter``.

    Jitter keeps many clients (or many pooled connections) from reconnecting in step.
    """
    r = rng or random.Random()
    delay = initial
    while True:
        yield max(0.0, delay * (1.0 + r.uniform(-jitter, jitter)))
        delay = min(maximum, delay * factor)
