"""Dates, in one place: reading them, ages on a day, and moving by days, months and years.

The register keeps dates as ISO text (`YYYY-MM-DD`), which sorts and compares as text,
so most code compares the text and turns it into a `datetime.date` only to count.
Three readings, for three sources:
- `typed`: what an officer types in a form (2024-03-05, 20240305, 2024/3/5, 2024.3.5);
- `iso`: text that must be exactly `YYYY-MM-DD` (the rules check stored values with it;
  `date.fromisoformat` alone would also take 20240305 or a week date);
- `stored`: a value read back from the register or a resource file, NULL as None.

Someone born on 29 February has no birthday in other years.  `age_on` counts completed
years by the calendar (born 2000-02-29: 17 on 2018-02-28, 18 on 2018-03-01);
`add_years` moves the day itself back to 28 February (2000-02-29 plus 18 years is
2018-02-28), so a rule "not before the 18th birthday" written with it lets 28 February
pass.  The two disagree on that one day only; both are kept as the rules have them.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

# date.fromisoformat also takes ten characters that are a week date (2024-W10-2).
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def typed(value: object) -> dt.date | None:
    """A date as officers type it: 2024-03-05, 20240305, 2024/3/5, 2024.3.5; None if not one."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if text.isdigit() and len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        parts = text.replace("/", "-").replace(".", "-").split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return None


def iso(value: object) -> dt.date | None:
    """An ISO date (`YYYY-MM-DD` text, or a date), or None when the value is not one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def stored(value: str | None) -> dt.date | None:
    """A date as the register keeps it; None for none.  A value that is not a date is a
    damaged record and raises ValueError (the register check reports those)."""
    return dt.date.fromisoformat(value) if value else None


def age_on(born: dt.date | str, on: dt.date) -> int:
    """Completed years of age on a day (the birthday itself counts)."""
    if isinstance(born, str):
        born = dt.date.fromisoformat(born)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier when negative); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    # A table, not calendar.monthrange: due lists ask this for every woman of a township.
    return 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month; a month past 12 runs on into the next years (2019, 14 is
    February 2020)."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.date(year, month, _days_in(year, month))


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _days_in(year, month)))


def months_from(start: dt.date, on: dt.date) -> int:
    """Calendar months from `start`'s month to `on`'s (the days of the month not counted)."""
    return (on.year - start.year) * 12 + on.month - start.month


def days_after(day: str, days: int) -> str:
    """The ISO day `days` after an ISO day (before it when negative)."""
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
