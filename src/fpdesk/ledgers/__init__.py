"""Bringing a village's existing Excel ledgers into the register (issue 18).

The command line (`fpdesk import-ledger`) and the window's wizard use these names:

    open_ledger(path) -> LedgerFile; .sheet_names; .read(sheet=None) -> SheetTable
    FIELDS, propose_mapping(table), shape_of(table), remembered_mapping(shape),
    remember_mapping(shape, mapping), read_mapping_file(path, table),
    value_text(field, stored value) -> Text (codes by their labels, for a preview)
    plan_import(register, [(table, mapping), ...], *, village=None,
                skip_problem_rows=False) -> LedgerPlan          (writes nothing)
    apply_plan(register, plan) -> LedgerResult                  (one transaction)
    import_ledger(register, sources, *, village=None, skip_problem_rows=False,
                  dry_run=False) -> (LedgerPlan, LedgerResult | None)   (plan + apply in one run)
    write_report(plan, table_or_None, out_path)                 (xlsx, 状态 + 说明)

A sibling of sync/: it uses store and core, never gui.
"""

from fpdesk.ledgers.apply import apply_plan, import_ledger
from fpdesk.ledgers.errors import MAX_ROWS, LedgerError
from fpdesk.ledgers.headings import FIELDS, Field, value_text
from fpdesk.ledgers.mapping import (
    propose_mapping,
    read_mapping_file,
    remember_mapping,
    remembered_mapping,
    shape_of,
)
from fpdesk.ledgers.plan import (
    NEW,
    PROBLEM,
    SAME,
    SKIPPED,
    STATUS_NAMES,
    UPDATE,
    Difference,
    LedgerPlan,
    LedgerResult,
    PlannedRow,
    plan_import,
    target_village,
)
from fpdesk.ledgers.reading import Column, LedgerFile, LedgerRow, SheetTable, open_ledger
from fpdesk.ledgers.report import write_report

__all__ = [
    "FIELDS",
    "MAX_ROWS",
    "NEW",
    "PROBLEM",
    "SAME",
    "SKIPPED",
    "STATUS_NAMES",
    "UPDATE",
    "Column",
    "Difference",
    "Field",
    "LedgerError",
    "LedgerFile",
    "LedgerPlan",
    "LedgerResult",
    "LedgerRow",
    "PlannedRow",
    "SheetTable",
    "apply_plan",
    "import_ledger",
    "open_ledger",
    "plan_import",
    "propose_mapping",
    "read_mapping_file",
    "remember_mapping",
    "remembered_mapping",
    "shape_of",
    "target_village",
    "value_text",
    "write_report",
]
