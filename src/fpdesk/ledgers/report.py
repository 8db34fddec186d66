"""The import report: the ledger's own rows, with a status and a message column in
Chinese, so the officer can fix the sheet where it is wrong and import it again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from fpdesk.core import validation
from fpdesk.core.i18n import Text
from fpdesk.ledgers.plan import PROBLEM, STATUS_NAMES, LedgerPlan
from fpdesk.ledgers.reading import SheetTable

STATUS_HEADING, MESSAGE_HEADING = "状态", "说明"
DIFFERENCES_SHEET = "与登记册不同"
_PROBLEM_FILL = PatternFill("solid", fgColor="FFD9D9")
_BOLD = Font(bold=True)


def write_report(plan: LedgerPlan, table: SheetTable | None, out_path: str | Path) -> Path:
    """One sheet per ledger sheet (only `table`'s when given): the heading, then every
    row below it as it was, with 状态 and 说明; and the differences from the register."""
    book = Workbook()
    book.remove(book.active)
    tables = [t for t, _ in plan.sources if table is None or t is table]
    for sheet_table in tables:
        _sheet(book, plan, sheet_table)
    if plan.differences:
        sheet = book.create_sheet(DIFFERENCES_SHEET)
        sheet.append(["文件", "行号", "姓名", "项目", "登记册中", "台账中"])
        for cell in sheet[1]:
            cell.font = _BOLD
        for d in plan.differences:
            sheet.append(
                [
                    d.source,
                    d.number,
                    d.name,
                    validation.field_label(d.field).zh,
                    _text(d.register_value),
                    _text(d.ledger_value),
                ]
            )
    path = Path(out_path)
    book.save(path)
    return path


def _title(table: SheetTable, taken: set[str]) -> str:
    base = "".join(c for c in table.sheet if c not in "[]:*?/\\")[:28] or "台账"
    name, n = base, 2
    while name in taken:
        name, n = f"{base[:26]}_{n}", n + 1
    taken.add(name)
    return name


def _sheet(book: Workbook, plan: LedgerPlan, table: SheetTable) -> None:
    sheet = book.create_sheet(_title(table, set(book.sheetnames)))
    sheet.append(["原行号", *(c.heading for c in table.columns), STATUS_HEADING, MESSAGE_HEADING])
    for cell in sheet[1]:
        cell.font = _BOLD
    width = len(table.columns)
    for row in plan.rows:
        if row.source != table.source or row.sheet != table.sheet:
            continue
        cells = [*row.cells[:width], *([None] * (width - len(row.cells)))]
        line = [row.number, *cells, STATUS_NAMES[row.status].zh, row.message.zh]
        sheet.append([_safe(v) for v in line])
        if row.status == PROBLEM:
            for cell in sheet[sheet.max_row]:
                cell.fill = _PROBLEM_FILL
    last = sheet.max_column
    sheet.column_dimensions[sheet.cell(1, last).column_letter].width = 60
    for cell in sheet[sheet.cell(1, last).column_letter]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"


def _text(value: Any) -> str:
    if isinstance(value, Text):
        return value.zh
    return "" if value is None else str(value)


def _safe(value: Any) -> Any:
    """Text that looks like a formula is written as text (a leading apostrophe);
    numbers and dates stay as read."""
    if isinstance(value, str) and value.startswith("="):
        return "'" + value
    return value
