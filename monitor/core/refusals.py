"""Finding the codes a provider refuses when it refuses a whole list for any one of them.

AllTick answers a 22004 that names one code it does not serve with 600 "code invalid"
for the whole request, and says neither which code nor that the others were fine: one
stale code in a watchlist would leave every quote empty. :class:`RefusalSearch` finds
the refused codes by splitting the list (adaptive group testing): each trial is the
codes already known good plus one candidate group, so what is known good stays
subscribed — and priced — while the search goes on, and each refusal costs only itself.

A trial is one request, and requests are spaced by the provider's limits (≥ 1 s apart
on a connection). Halving the groups known to hold a refused code and testing every
untested code together once those are placed, 1 refused code in 3,000 is found in 12–13
requests and 3 in 200 in 18–27 (24 on average over random placements); nothing that learns
one yes/no per request can do with fewer than log2 C(200, 3) ≈ 20.3 on average.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["RefusalSearch"]


class RefusalSearch:
    """One search over ``codes``, a list the provider refused as a whole.

    Call :meth:`trial` for the list to send, then :meth:`accepted` or :meth:`refused`
    with the provider's answer to it; :attr:`done` when every code is placed.
    """

    def __init__(self, codes: Sequence[str]) -> None:
        self.good: list[str] = []
        self.refused_codes: list[str] = []
        self._bad: list[list[str]] = [list(dict.fromkeys(codes))]  # each holds a refused code
        self.size = len(self._bad[0])  # codes in the refused list
        self._unknown: list[str] = []  # not tested on their own yet: tested together
        self._testing: tuple[list[str], list[str] | None] | None = None  # (group, its rest)
        self.trials = 0
        self._settle()

    @property
    def done(self) -> bool:
        return self._testing is None

    def trial(self) -> list[str]:
        """The list to subscribe next: every code known good plus one candidate group."""
        if self._testing is None:
            raise RuntimeError("the search is done")
        return self.good + self._testing[0]

    def accepted(self) -> None:
        """The provider took the last trial: its candidate group is good."""
        group, rest = self._take()
        self.good.extend(group)
        if rest is not None:  # half of a group that holds a refused code: the other half
            self._bad.append(rest)
        self._settle()

    def refused(self) -> None:
        """The provider refused the last trial: its candidate group holds a refused code."""
        group, rest = self._take()
        if rest is not None:  # the other half may be fine: tested with the other unknowns
            self._unknown.extend(rest)
        self._bad.append(group)
        self._settle()

    def _take(self) -> tuple[list[str], list[str] | None]:
        if self._testing is None:
            raise RuntimeError("no trial is outstanding")
        self.trials += 1
        testing, self._testing = self._testing, None
        return testing

    def _settle(self) -> None:
        """The next candidate: half of a group known to hold a refused code (single codes
        of such groups are the refused ones), else every untested code at once."""
        while self._bad and self._testing is None:
            group = self._bad.pop()
            if len(group) == 1:
                self.refused_codes.append(group[0])
            elif group:
                half = len(group) // 2
                self._testing = (group[:half], group[half:])
        if self._testing is None and self._unknown:
            self._testing, self._unknown = (self._unknown, None), []
