"""Importing: the run of ledgers.writing committed in one bulk transaction
(store.bulk.writing: the search index filled once at the end), all or nothing."""

from __future__ import annotations

from collections.abc import Sequence

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.ledgers.errors import NOT_READY, LedgerError
from fpdesk.ledgers.plan import (
    LedgerPlan,
    LedgerResult,
    RollBack,
    check,
    drafts_of,
    plan_of,
    target_village,
)
from fpdesk.ledgers.reading import SheetTable
from fpdesk.ledgers.writing import PROBLEM, Run, write
from fpdesk.store import access, access_log, bulk
from fpdesk.store.db import Register


def import_ledger(
    register: Register,
    sources: Sequence[tuple[SheetTable, dict[int, str | None]]],
    *,
    village: str | None = None,
    skip_problem_rows: bool = False,
    dry_run: bool = False,
    clock: Clock | None = None,
) -> tuple[LedgerPlan, LedgerResult | None]:
    """Plan and import in ONE run (the command line, which shows no preview): the run
    is committed when the plan allows it and this is not a dry run, else rolled back.
    Returns the plan and what was imported (None when nothing was)."""
    check(register, sources)
    code = target_village(register, village)
    run = Run(register, code, clock or SystemClock())
    drafts = drafts_of(sources)
    plan: LedgerPlan | None = None
    try:
        with bulk.writing(register):
            write(run, drafts)
            plan = plan_of(code, sources, drafts, run, skip_problem_rows)
            if dry_run or not plan.can_import:
                raise RollBack()
            _record(register, plan)
    except RollBack:
        assert plan is not None
        return plan, None
    return plan, _result(plan, run)


def _record(register: Register, plan: LedgerPlan) -> None:
    access_log.record(
        register,
        "import",
        {
            "kind": "ledger",
            "village": plan.village,
            "files": sorted({t.source for t, _ in plan.sources}),
            "counts": plan.counts,
        },
    )


def _result(plan: LedgerPlan, run: Run) -> LedgerResult:
    return LedgerResult(
        counts=plan.counts,
        households_added=run.counts.get("households", 0),
        persons_added=run.counts.get("persons", 0),
        persons_updated=run.counts.get("updated", 0),
        methods_added=run.counts.get("methods", 0),
        births_added=run.counts.get("births", 0),
    )


def apply_plan(register: Register, plan: LedgerPlan, *, clock: Clock | None = None) -> LedgerResult:
    """Import what the plan says, in one transaction; refuses a plan with problems
    (unless they are skipped), and rolls everything back if the register has changed
    so that a row the plan accepted is now refused."""
    if not plan.can_import:
        raise LedgerError(NOT_READY)
    access.require(register, "edit")
    run = Run(register, target_village(register, plan.village), clock or SystemClock())
    drafts = drafts_of(plan.sources)
    planned_problems = {(r.source, r.sheet, r.number) for r in plan.rows if r.status == PROBLEM}
    with bulk.writing(register):
        write(run, drafts, skip=planned_problems)
        again = plan_of(plan.village, plan.sources, drafts, run, plan.skip_problem_rows)
        fresh = [
            r
            for r in again.rows
            if r.status == PROBLEM and (r.source, r.sheet, r.number) not in planned_problems
        ]
        if fresh:
            raise LedgerError(NOT_READY)
        _record(register, again)
    return _result(again, run)
