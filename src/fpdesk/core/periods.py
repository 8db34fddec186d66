"""Reporting periods: the statistical year and its parts, months, calendar years, ranges.

The family-planning statistical year N runs from 1 October of N-1 to 30 September of
N, and its half-years and quarters follow it: the half-year report (2019H1) covers
1 October 2018 to 31 March 2019, and 2019Q1 is October to December 2018.  Calendar
years are written `2019CY`; months `2019-03`; any range `2019-01-01..2019-12-31`.
Every period has a canonical label, so a report names its period the same way each
time it is produced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fpdesk.core.dates import add_years, iso, month_end
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text

KINDS = ("statistical_year", "calendar_year", "half_year", "quarter", "month", "range")

_YEAR = re.compile(r"^(\d{4})$")
_CALENDAR = re.compile(r"^(\d{4})CY$", re.IGNORECASE)
_HALF = re.compile(r"^(\d{4})H([12])$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


class PeriodError(FpdeskError, ValueError):
    """A period the user typed that cannot be read; carries a bilingual message."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    kind: str
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def start_iso(self) -> str:
        return self.start.isoformat()

    @property
    def end_iso(self) -> str:
        return self.end.isoformat()

    @property
    def statistical_year(self) -> int:
        """The statistical year the period ends in: it picks the definitions in force."""
        return statistical_year_of(self.end)

    def months(self) -> list[Period]:
        """The calendar months the period touches, clipped to the period (for trends)."""
        out: list[Period] = []
        year, month = self.start.year, self.start.month
        while dt.date(year, month, 1) <= self.end:
            whole = month_period(year, month)
            start = max(whole.start, self.start)
            end = min(whole.end, self.end)
            if (start, end) == (whole.start, whole.end):
                out.append(whole)
            else:
                out.append(date_range(start, end))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def previous_year(self) -> Period:
        """The same period one year earlier (for 'change on last year' targets)."""
        if self.kind == "range":
            return date_range(add_years(self.start, -1), add_years(self.end, -1))
        return parse_period(_previous_label(self))

    def describe(self) -> Text:
        return Text(
            f"{self.label}（{self.start_iso} 至 {self.end_iso}）",
            f"{self.label} ({self.start_iso} to {self.end_iso})",
        )


def statistical_year_of(day: dt.date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def statistical_year(year: int) -> Period:
    return Period(dt.date(year - 1, 10, 1), dt.date(year, 9, 30), "statistical_year", str(year))


def calendar_year(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "calendar_year", f"{year}CY")


def half_year(year: int, half: int) -> Period:
    if half == 1:
        return Period(dt.date(year - 1, 10, 1), dt.date(year, 3, 31), "half_year", f"{year}H1")
    return Period(dt.date(year, 4, 1), dt.date(year, 9, 30), "half_year", f"{year}H2")


def quarter(year: int, number: int) -> Period:
    # Quarter 1 of statistical year N is October-December of N-1.
    first_month = (10 + 3 * (number - 1) - 1) % 12 + 1
    first_year = year - 1 if first_month >= 10 else year
    start = dt.date(first_year, first_month, 1)
    end = month_end(first_year, first_month + 2)
    return Period(start, end, "quarter", f"{year}Q{number}")


def month_period(year: int, month: int) -> Period:
    return Period(dt.date(year, month, 1), month_end(year, month), "month", f"{year}-{month:02d}")


def date_range(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise PeriodError(
            Text(
                f"时段的结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}。",
                f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).",
            )
        )
    return Period(start, end, "range", f"{start.isoformat()}..{end.isoformat()}")


def parse_period(text: str) -> Period:
    """Read a period as typed on the command line or stored with a report."""
    value = text.strip()
    try:
        if m := _YEAR.match(value):
            return statistical_year(_year(m.group(1)))
        if m := _CALENDAR.match(value):
            return calendar_year(_year(m.group(1)))
        if m := _HALF.match(value):
            return half_year(_year(m.group(1)), int(m.group(2)))
        if m := _QUARTER.match(value):
            return quarter(_year(m.group(1)), int(m.group(2)))
        if m := _MONTH.match(value):
            month = int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(month)
            return month_period(_year(m.group(1)), month)
        if m := _RANGE.match(value):
            start, end = iso(m.group(1)), iso(m.group(2))
            if start is None or end is None:
                raise ValueError(value)
            return date_range(start, end)
    except PeriodError:
        raise
    except ValueError:
        pass
    raise PeriodError(
        Text(
            f"看不懂时段“{text}”。可写：2019（统计年度 2018-10-01 至 2019-09-30）、2019CY、"
            "2019H1、2019Q1、2019-03、2019-01-01..2019-12-31。",
            f"Cannot read the period {text!r}. Write 2019 (statistical year 2018-10-01 to "
            "2019-09-30), 2019CY, 2019H1, 2019Q1, 2019-03 or 2019-01-01..2019-12-31.",
        )
    )


def _year(text: str) -> int:
    year = int(text)
    if not 1900 <= year <= 2200:
        raise ValueError(year)
    return year


def _previous_label(period: Period) -> str:
    # Every label other than a range starts with its four-digit year.
    return f"{int(period.label[:4]) - 1}{period.label[4:]}"
