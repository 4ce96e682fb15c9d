"""The refused-code search against a provider that refuses a list naming any bad code."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from monitor.core.refusals import RefusalSearch


def _run(codes: list[str], bad: set[str]) -> RefusalSearch:
    search = RefusalSearch(codes)
    while not search.done:
        trial = search.trial()
        assert set(search.good) <= set(trial)  # what is known good stays subscribed
        if bad & set(trial):
            search.refused()
        else:
            search.accepted()
    return search


@given(
    n=st.integers(1, 300),
    picks=st.lists(st.integers(0, 299), min_size=1, max_size=6),
)
def test_finds_exactly_the_refused_codes(n: int, picks: list[int]) -> None:
    codes = [f"{i:06d}.SZ" for i in range(n)]
    bad = {codes[i % n] for i in picks}
    search = _run(codes, bad)
    assert set(search.refused_codes) == bad
    assert sorted(search.good) == sorted(set(codes) - bad)


def test_three_in_two_hundred_takes_about_the_least_possible_requests() -> None:
    codes = [f"{i:06d}.SZ" for i in range(200)]
    worst = 0
    for spread in range(0, 200, 7):
        bad = {codes[spread], codes[(spread * 3 + 50) % 200], codes[(spread + 120) % 200]}
        worst = max(worst, _run(codes, bad).trials)
    # log2 C(200, 3) ~ 20.3 answers are needed; splitting needs at most d*log2(n) + d.
    assert math.log2(math.comb(200, 3)) < worst <= 3 * math.ceil(math.log2(200)) + 3


def test_one_stale_code_in_three_thousand() -> None:
    codes = [f"{i:06d}.SZ" for i in range(3000)]
    search = _run(codes, {codes[1234]})
    assert search.refused_codes == [codes[1234]] and search.trials <= 13  # 12 halvings + 1
