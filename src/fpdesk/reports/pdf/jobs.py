"""One printing request, as the command line and the print dialog both make it.

`run` checks what was asked (a village that is in the register, a period that can be
read) before any page is made, and hands the request to the printout's module.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from fpdesk.core import area, dates
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.core.periods import Period, PeriodError, parse_period
from fpdesk.reports.pdf import KINDS, RECEIPT
from fpdesk.reports.pdf.cards import print_cards
from fpdesk.reports.pdf.changes import print_changes
from fpdesk.reports.pdf.households import print_households
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult
from fpdesk.reports.pdf.receipt import print_receipt
from fpdesk.reports.pdf.rounds import print_rounds
from fpdesk.store import access, access_log, areas, import_runs
from fpdesk.store.db import Register
from fpdesk.store.reading import households


class PrintRequestError(FpdeskError, ValueError):
    """What was asked cannot be printed; `text` says why (nothing was written)."""


@dataclass(frozen=True)
class PrintRequest:
    kind: str
    village_code: str
    period: str | None = None  # a day for registers, cards, rounds; a period for changes
    per_page: bool = True  # household register: 每户一页, else the compact form
    run_id: int | None = None  # the import receipt: the run (None: the latest)
    clerk: str = ""  # the import receipt's 经办人 (default: who ran the import)
    township: str | None = None  # the import receipt's heading (default: the register's)


def day_of(text: str | None) -> dt.date | None:
    """The 'as of' day: a date, or the last day of a period (2026-11 -> 2026-11-30)."""
    if not text:
        return None
    value = text.strip()
    return dates.iso(value) or period_of(value).end


def period_of(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise PrintRequestError(exc.text) from exc


def check_village(register: Register, village_code: str) -> None:
    """The village must be a village code, with households in this register."""
    try:
        is_village = area.level_of(village_code) == "village"
    except area.AreaCodeError:
        is_village = False
    if not is_village:
        raise PrintRequestError(
            Text(
                f"“{village_code}”不是村级区划代码（12 位，最后三位不全为 0）。",
                f"“{village_code}” is not a village code (12 digits, the last three not all 0).",
            )
        )
    if not households.any_household(register, village_code):
        raise PrintRequestError(
            Text(
                f"登记册里没有村 {village_code} 的户，没有打印。请检查村代码。",
                f"The register has no households in village {village_code}; nothing was printed. "
                "Check the village code.",
            )
        )


def run(
    register: Register,
    request: PrintRequest,
    out: str | os.PathLike[str],
    options: PrintOptions | None = None,
) -> PrintResult:
    """Check the request (the account may print, and print this village), print it to
    `out`, and keep the printing in the record of processing."""
    options = options or PrintOptions()
    if request.kind == RECEIPT:
        return _receipt(register, request, out, options)
    if request.kind not in KINDS:
        raise PrintRequestError(
            Text(f"不认识的打印种类：{request.kind}", f"Unknown printout: {request.kind}")
        )
    access.require(register, "print")
    village = access.scope(register, request.village_code)
    check_village(register, village)
    result = _print(register, request, village, out, options)
    detail = {"kind": request.kind, "village": village, "file": Path(out).name}
    access_log.record(register, "print", detail)
    return result


def _print(
    register: Register,
    request: PrintRequest,
    village: str,
    out: str | os.PathLike[str],
    options: PrintOptions,
) -> PrintResult:
    if request.kind == "changes":
        period = period_of(request.period) if request.period else None
        return print_changes(register, village, out, period=period, options=options)
    day = day_of(request.period)
    if request.kind == "households":
        return print_households(
            register, village, out, on=day, per_page=request.per_page, options=options
        )
    if request.kind == "cards":
        return print_cards(register, village, out, on=day, options=options)
    return print_rounds(register, village, out, on=day, options=options)


NOTHING_IMPORTED = Text(
    "还没有导入记录，没有回执可打印。", "Nothing imported yet: there is no receipt."
)
WHOLE_TOWNSHIP = Text(
    "导入回执列出全乡镇各村的文件，只能由管全乡镇的账户打印。",
    "The import receipt lists the files of every village: only an account of the whole "
    "township can print it.",
)


def import_run(register: Register, run_id: int | None) -> import_runs.ImportRun:
    """The import run asked for, or the latest one when none was named."""
    found = import_runs.runs(register)
    run = next((r for r in found if run_id in (None, r.id)), None)
    if run is None:
        raise PrintRequestError(
            import_runs.NO_SUCH_RUN.format(id=run_id) if run_id is not None else NOTHING_IMPORTED
        )
    return run


def _receipt(
    register: Register, request: PrintRequest, out: str | os.PathLike[str], options: PrintOptions
) -> PrintResult:
    """The receipt of one import run, kept in the record like every other printout."""
    access.require(register, "print")
    if access.scope(register, register.area_code) != register.area_code:
        raise PrintRequestError(WHOLE_TOWNSHIP)
    run = import_run(register, request.run_id)
    result = print_receipt(
        import_runs.run_rows(register, run.id),
        out,
        township=request.township or areas.name(register, register.area_code),
        imported_at=dt.datetime.fromisoformat(run.started_at).astimezone(),
        clerk=request.clerk or run.clerk,
        options=options,
    )
    detail = {"kind": RECEIPT, "run": run.id, "file": Path(out).name}
    access_log.record(register, "print", detail)
    return result
