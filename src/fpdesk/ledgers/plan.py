"""What an import would do, row by row, before anything is written.

The plan is made by doing the import for real inside one transaction and rolling it
back (ledgers.writing: every person, household, method and birth through the very
operations the forms use), so the plan cannot promise what the import would then
refuse, and two rows that clash (one ID number twice) are caught as they would be on
saving.  ledgers.apply does the same run again and commits it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import area
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text
from fpdesk.ledgers import households as hh
from fpdesk.ledgers.errors import NO_NAME_COLUMN, NOT_A_VILLAGE, LedgerError
from fpdesk.ledgers.households import HouseholdDraft
from fpdesk.ledgers.reading import SheetTable
from fpdesk.ledgers.writing import (
    ALREADY,
    NEW,
    PROBLEM,
    SAME,
    SKIPPED,
    UPDATE,
    Difference,
    Run,
    write,
)
from fpdesk.store import access, bulk, operations
from fpdesk.store.db import Register

__all__ = ["NEW", "PROBLEM", "SAME", "SKIPPED", "UPDATE", "Difference"]

STATUS_NAMES = {
    NEW: Text("新增", "new"),
    UPDATE: Text("补充", "updated"),
    SAME: Text("已有", "already in"),
    PROBLEM: Text("有问题", "problem"),
    SKIPPED: Text("跳过", "skipped"),
}
SKIP_REASONS = {
    "blank": Text("空行", "blank row"),
    "subtotal": Text("小计行", "subtotal row"),
    "total": Text("合计行", "total row"),
    "title": Text("标题行", "title row"),
    "heading": Text("重复的表头", "heading repeated"),
}


@dataclass
class PlannedRow:
    """One ledger row in the plan (and in the report)."""

    source: str
    sheet: str
    number: int
    status: str
    message: Text
    stored: dict[str, Any] = field(default_factory=dict)
    cells: tuple[Any, ...] = ()


@dataclass
class LedgerPlan:
    village: str
    rows: list[PlannedRow]
    differences: list[Difference]
    skip_problem_rows: bool
    sources: list[tuple[SheetTable, dict[int, str | None]]]

    @property
    def counts(self) -> dict[str, int]:
        found = {status: 0 for status in STATUS_NAMES}
        for row in self.rows:
            found[row.status] += 1
        return found

    @property
    def can_import(self) -> bool:
        """False while a row has a problem, unless those rows are to be skipped."""
        return self.skip_problem_rows or not any(r.status == PROBLEM for r in self.rows)


@dataclass(frozen=True)
class LedgerResult:
    counts: dict[str, int]
    households_added: int
    persons_added: int
    persons_updated: int
    methods_added: int
    births_added: int


class RollBack(Exception):
    pass


def target_village(register: Register, village: str | None) -> str:
    """The village the ledger is imported into: the one asked for inside this session's
    area, or the session's own when that is a village."""
    code = access.scope(register, village)
    try:
        level = area.level_of(code)
    except area.AreaCodeError:
        level = ""
    if level != "village":
        raise LedgerError(NOT_A_VILLAGE)
    if not area.contains(register.area_code, code):
        raise LedgerError(operations.NOT_OUR_VILLAGE.format(code=code))
    return code


def plan_import(
    register: Register,
    sources: Sequence[tuple[SheetTable, dict[int, str | None]]],
    *,
    village: str | None = None,
    skip_problem_rows: bool = False,
    clock: Clock | None = None,
) -> LedgerPlan:
    """What importing these sheets would do, row by row; writes nothing (--dry-run)."""
    check(register, sources)
    code = target_village(register, village)
    run = Run(register, code, clock or SystemClock())
    drafts = drafts_of(sources)
    try:
        with bulk.writing(register):
            write(run, drafts)
            raise RollBack()
    except RollBack:
        pass
    return plan_of(code, sources, drafts, run, skip_problem_rows)


def check(register: Register, sources: Sequence[tuple[SheetTable, dict[int, str | None]]]) -> None:
    access.require(register, "edit")
    for table, mapping in sources:
        if "name" not in mapping.values():
            raise LedgerError(NO_NAME_COLUMN.format(sheet=table.sheet, file=table.source))


def drafts_of(sources: Iterable[tuple[SheetTable, dict[int, str | None]]]) -> list[HouseholdDraft]:
    drafts: list[HouseholdDraft] = []
    for table, mapping in sources:
        entries = hh.read_entries(table, mapping)
        drafts += hh.gather(entries, "relationship" in mapping.values())
    return drafts


def plan_of(
    village: str,
    sources: Sequence[tuple[SheetTable, dict[int, str | None]]],
    drafts: list[HouseholdDraft],
    run: Run,
    skip: bool,
) -> LedgerPlan:
    rows: list[PlannedRow] = []
    for draft in drafts:
        for entry in draft.entries:
            outcome = run.of(entry)
            problems = entry.problems + outcome.problems
            if problems:
                status, message = PROBLEM, _join(problems)
            else:
                status = outcome.status
                message = _join(outcome.parts) if outcome.parts else ALREADY
            stored = dict(entry.person)
            if entry.method:
                stored["method"] = entry.method
                stored["method_date"] = entry.method_date
            if outcome.household_code:
                stored["household_code"] = outcome.household_code
            rows.append(
                PlannedRow(
                    entry.source,
                    entry.sheet,
                    entry.row.number,
                    status,
                    message,
                    stored,
                    entry.row.cells,
                )
            )
    for table, _ in sources:
        for number, reason, cells in table.skipped_rows:
            rows.append(
                PlannedRow(
                    table.source,
                    table.sheet,
                    number,
                    SKIPPED,
                    SKIP_REASONS.get(reason, SKIP_REASONS["blank"]),
                    {},
                    cells,
                )
            )
    order = {(t.source, t.sheet): i for i, (t, _) in enumerate(sources)}
    rows.sort(key=lambda r: (order.get((r.source, r.sheet), 0), r.number))
    return LedgerPlan(village, rows, run.differences, skip, list(sources))


def _join(texts: Sequence[Text]) -> Text:
    return Text("；".join(t.zh for t in texts), "; ".join(t.en for t in texts))
