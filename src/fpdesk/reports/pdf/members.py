"""The list behind one number (名单), printed: who an indicator counts, for checking.

The lines are reports.members' (the same list the dashboard shows and the workbook's
名单 sheets carry); ID numbers are masked, as on every list.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from reportlab.platypus import Flowable

from fpdesk.core.i18n import Text
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet
from fpdesk.store import access, access_log
from fpdesk.store.db import Register

TITLE = Text("指标名单", "Who is counted")
WIDTHS = [0.5, 0.8, 1.85, 1.0, 2.05, 2.8, 1.0]


def print_members(
    register: Register,
    report: ind.IndicatorReport,
    key: str,
    which: str,
    out: str | os.PathLike[str],
    *,
    options: PrintOptions | None = None,
) -> PrintResult:
    """Print the persons behind one indicator's numerator or denominator, if the account
    may print and see the report's area; the printing is kept in the record of
    processing."""
    options = options or PrintOptions()
    access.require(register, "print")
    lines = who.counted(register, report, key, which)
    result = report.result(key)
    number = result.numerator if which == "numerator" else result.denominator
    period = Text(
        f"{report.period.start_iso} 至 {report.period.end_iso}",
        f"{report.period.start_iso} to {report.period.end_iso}",
    )
    area = report.name or "、".join(report.areas)
    sheet = Sheet(options, TITLE, area, period)

    def flowables() -> Iterator[Flowable]:
        lang = sheet.language
        part = who.PART_NAMES[which].get(lang)
        yield sheet.doc_title(f"{result.label.get(lang)} · {part}")
        yield sheet.para(
            sheet.t(
                Text(
                    f"{area}    {sheet.period}    {part}：{number}    名单 {len(lines)} 行",
                    f"{area}    {sheet.period}    {part}: {number}    {len(lines)} listed",
                )
            ),
            "body",
        )
        yield sheet.gap(2)
        header = [Text("序号", "No."), *(title for _, title in who.COLUMNS)]
        rows = []
        for n, line in enumerate(lines, start=1):
            shown = line.row(lang)
            rows.append([n, *(shown[column] for column, _ in who.COLUMNS)])
        sheet.step(len(lines), len(lines))
        if rows:
            yield sheet.table(header, rows, WIDTHS)
        else:
            yield sheet.para(sheet.t(Text("名单为空。", "Nobody is counted.")), "body")

    pages = sheet.build(out, flowables())
    detail = {"kind": "members", "indicator": key, "part": which, "file": Path(out).name}
    access_log.record(register, "print", detail)
    return PrintResult(path=Path(out), pages=pages, items=len(lines))
