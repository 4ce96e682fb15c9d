"""Build monitor/core/calendar_data.py: the SSE/SZSE market closures the app ships.

    python packaging/build_calendar.py              # regenerate (needs ``holidays``)
    python packaging/build_calendar.py --backtest 2020   # the estimate rules vs 2020-

Source: the ``holidays`` package (MIT, https://github.com/vacanza/holidays), whose
``XSHG`` financial calendar is China's statutory schedule as announced each year by the
State Council (the exchanges close on exactly those weekdays; SZSE's calendar is the
same) with the weekend make-up working days dropped: the exchanges never open on a
weekend. Re-run this when ``holidays`` has the next year's schedule (the State Council
announces it in November, the exchanges in December) and bump its pin.

Years up to PUBLISHED_THROUGH are the announced schedules. ``holidays`` knows a year was
announced when it carries that year's notice (the day swaps in
``ChinaStaticHolidays.special_public_holidays``; every year since 2001 has some); for
later years it only applies the statutory rules, which miss the bridge days that make
the long holidays. Those years are *estimated* here: the statutory days (moved to the
next weekday when they fall on a weekend) plus the weekday patterns the announcements
follow —

* Spring Festival: every weekday from New Year's Eve to the 6th day of the new year;
* Labor Day: every weekday of May 1-5;
* National Day: every weekday of Oct 1-7, to Oct 8 when the Mid-Autumn Festival falls
  in that week;
* any other one-day holiday on a Tuesday also closes the Monday before, on a Thursday
  the Friday after.

``--backtest FROM`` applies the same rules to the announced years and lists the
differences: for 2024-2026 none; for 2020-2023 five extra days, none missed (New Year's
Eve was not yet a holiday, and two Labor Day breaks started on the Saturday before).
The app needs no ``holidays`` (nor pandas) at run time: the generated module is plain data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import holidays
from holidays.calendars.chinese import _ChineseLunisolar
from holidays.countries import china
from holidays.financial import shanghai_stock_exchange as sse

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "monitor" / "core" / "calendar_data.py"
FIRST_YEAR = 2007  # checked day by day against exchange-calendars' XSHG for 2007-2026
ESTIMATE_YEARS = 10  # estimated years shipped after the last announced one
DAY = dt.timedelta(days=1)


def announced_through() -> int:
    """The last year whose State Council notice ``holidays`` carries."""
    return max(china.ChinaStaticHolidays.special_public_holidays)


def weekdays(first: dt.date, last: dt.date) -> set[dt.date]:
    n = (last - first).days + 1
    return {d for d in (first + i * DAY for i in range(n)) if d.weekday() < 5}


def closures(year: int) -> dict[dt.date, str]:
    """The weekday closures ``holidays`` gives for ``year`` (announced or rule-only)."""
    cal = holidays.financial_holidays("XSHG", years=year, language="en_US")
    return {d: name for d, name in cal.items() if d.weekday() < 5}


def estimate(year: int, statutory: dict[dt.date, str]) -> dict[dt.date, str]:
    """Add the bridge days an announcement would add to the rule-only ``statutory``."""
    lunar = _ChineseLunisolar()
    new_year, mid_autumn = lunar.lunar_new_year_date(year)[0], lunar.mid_autumn_date(year)[0]
    assert new_year, f"no Chinese New Year date for {year}"
    assert mid_autumn, f"no Mid-Autumn Festival date for {year}"
    national_day_last = dt.date(year, 10, 8 if mid_autumn.month == 10 else 7)
    weeks = {
        "Spring Festival": (new_year - DAY, new_year + 6 * DAY),
        "Labor Day": (dt.date(year, 5, 1), dt.date(year, 5, 5)),
        "National Day": (dt.date(year, 10, 1), national_day_last),
    }
    out = dict(statutory)
    for name, (first, last) in weeks.items():
        for d in weekdays(first, last):
            out.setdefault(d, f"{name} holiday")
    for d, name in statutory.items():
        if any(first - DAY <= d <= last + DAY for first, last in weeks.values()):
            continue
        if d.weekday() == 1:  # Tuesday
            out.setdefault(d - DAY, f"bridge to {name}")
        elif d.weekday() == 3:  # Thursday
            out.setdefault(d + DAY, f"bridge to {name}")
    return out


def rules_only() -> None:
    """Forget the announcements (for the backtest): ``holidays`` then applies its rules."""
    china.ChinaStaticHolidays.special_public_holidays = {}
    china.ChinaStaticHolidays.special_public_holidays_observed = {}
    sse.ShanghaiStockExchangeStaticHolidays.special_public_holidays = {}


def backtest(first: int, last: int) -> None:
    announced = {y: closures(y) for y in range(first, last + 1)}
    rules_only()
    for y in range(first, last + 1):
        got = {d for d in estimate(y, closures(y)) if d.year == y}
        missed = sorted(d.isoformat() for d in set(announced[y]) - got)
        extra = sorted(d.isoformat() for d in got - set(announced[y]))
        print(f"{y}: {len(announced[y])} closures; missed {missed or '-'}; extra {extra or '-'}")


def lines(days: dict[dt.date, str]) -> Iterable[str]:
    year = None
    for d in sorted(days):
        if d.year != year:
            year = d.year
            yield f"    # {year}"
        line = f'    "{d.isoformat()}",  # {d:%a}, {days[d]}'
        yield line if len(line) <= 100 else line[:99] + "…"


def render(published: dict[dt.date, str], estimated: dict[dt.date, str], through: int) -> str:
    version = holidays.__version__
    last = through + ESTIMATE_YEARS
    return "\n".join(
        [
            '"""SSE/SZSE market closures (weekdays only). Generated by'
            " packaging/build_calendar.py:",
            "do not edit by hand; re-run the script when a new year's schedule is out.",
            '"""',
            "",
            f'SOURCE = "holidays {version} (XSHG)"',
            f"FIRST_YEAR = {FIRST_YEAR}",
            f"PUBLISHED_THROUGH = {through}  # the last year with an announced schedule",
            f"LAST_YEAR = {last}  # estimated from the statutory rules after PUBLISHED_THROUGH",
            "",
            "PUBLISHED: tuple[str, ...] = (",
            *lines(published),
            ")",
            "",
            "ESTIMATED: tuple[str, ...] = (",
            *lines(estimated),
            ")",
            "",
        ]
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--backtest", type=int, metavar="FROM", help="check the estimate rules on FROM..."
    )
    ap.add_argument("--published-through", type=int, help="override the last announced year")
    args = ap.parse_args()
    through = args.published_through or announced_through()
    if args.backtest:
        backtest(args.backtest, through)
        return
    published: dict[dt.date, str] = {}
    for y in range(FIRST_YEAR, through + 1):
        published |= closures(y)
    estimated: dict[dt.date, str] = {}
    for y in range(through + 1, through + ESTIMATE_YEARS + 1):
        # a bridge into the last announced year is that year's business: left out
        estimated |= {d: n for d, n in estimate(y, closures(y)).items() if d.year > through}
    assert all(d.weekday() < 5 for d in (*published, *estimated))
    OUT.write_text(render(published, estimated, through), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(OUT)], check=False)
    print(f"{OUT.relative_to(ROOT)}: {len(published)} announced closures {FIRST_YEAR}-{through},")
    print(f"  {len(estimated)} estimated {through + 1}-{through + ESTIMATE_YEARS}")


if __name__ == "__main__":
    main()
