"""The indicator engine: every indicator of the work plan, for a period and a set of areas.

Three parts, each in its own module:
- definitions: what each indicator is (indicators.json through core.indicators), the
  levels results are judged at, how an area code selects villages;
- collection: the facts of one period, read once through an `IndicatorSource`
  (source.py; the SQLite implementation over a register is sqlite.py, the only SQL
  here; the district hub of issue 17 adds a PostgreSQL one);
- computation: the facts counted into results for any set of areas, broken down by
  village or township, judged against the targets, month by month.
runs.py keeps what was reported (`record_run`, `compare_with_run`).

The old names stay importable from here: `from fpdesk.reports import indicators;
indicators.compute(register, period)`.
"""

from __future__ import annotations

from fpdesk.reports.indicators.collection import (
    AuditFact,
    BirthFact,
    Facts,
    FollowUpFact,
    VillageFact,
    WomanFact,
    collect,
    due_followups,
    unable_to_bear,
)
from fpdesk.reports.indicators.computation import (
    IndicatorReport,
    Result,
    TrendPoint,
    breakdown,
    compute,
    evaluate,
    headcounts,
    monthly_trend,
    units_at_level,
)
from fpdesk.reports.indicators.definitions import LEVEL_NAMES, TREND_KEYS
from fpdesk.reports.indicators.runs import (
    compare_with_run,
    produce,
    record_run,
    runs,
    stored_run,
)
from fpdesk.reports.indicators.source import IndicatorSource
from fpdesk.reports.indicators.sqlite import RegisterSource, as_source

__all__ = [
    "LEVEL_NAMES",
    "TREND_KEYS",
    "AuditFact",
    "BirthFact",
    "Facts",
    "FollowUpFact",
    "IndicatorReport",
    "IndicatorSource",
    "RegisterSource",
    "Result",
    "TrendPoint",
    "VillageFact",
    "WomanFact",
    "as_source",
    "breakdown",
    "collect",
    "compare_with_run",
    "compute",
    "due_followups",
    "evaluate",
    "headcounts",
    "monthly_trend",
    "produce",
    "record_run",
    "runs",
    "stored_run",
    "unable_to_bear",
    "units_at_level",
]
