"""The monthly change list (月报告单): every event of the period, kind by kind, with totals.

The officer checks it against the paper book before the report goes to the township
(by the 3rd-5th of the next month).  It lists, so ID numbers are masked.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from reportlab.platypus import Flowable

from fpdesk.core.i18n import Text
from fpdesk.core.idnumber import mask_id_number
from fpdesk.core.periods import Period, month_period
from fpdesk.reports.pdf import data
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet
from fpdesk.store.db import Register
from fpdesk.store.reading import events as village_events

TITLE = Text("人口与计划生育变动情况月报告单", "Monthly change list")
HEADER = [
    Text("序号", "No."),
    Text("日期", "Date"),
    Text("组", "Group"),
    Text("户编码", "Household"),
    Text("姓名", "Name"),
    Text("身份证号", "ID number"),
    Text("事项", "Event"),
]
WIDTHS = [0.55, 1.15, 0.5, 2.0, 1.3, 1.95, 2.6]


def print_changes(
    register: Register,
    village_code: str,
    out: str | os.PathLike[str],
    *,
    period: Period | None = None,
    options: PrintOptions | None = None,
) -> PrintResult:
    """Print the changes of `period` (default: the current month)."""
    options = options or PrintOptions()
    if period is None:
        today = options.clock.today()
        period = month_period(today.year, today.month)
    sheet = Sheet(
        options,
        TITLE,
        data.area_names(register, village_code),
        Text("{start} 至 {end}", "{start} to {end}").format(start=period.start, end=period.end),
    )
    happened = village_events.in_village(register, village_code, period.start, period.end)
    by_kind: dict[str, list[data.Row]] = {kind: [] for kind in data.EVENT_KINDS}
    for event in happened:
        by_kind.setdefault(str(event["kind"]), []).append(event)

    def flowables() -> Iterator[Flowable]:
        lang = sheet.language
        yield sheet.doc_title(sheet.t(TITLE))
        yield sheet.para(f"{sheet.area}    {sheet.period}", "body")
        number = 0
        for index, (kind, rows) in enumerate(by_kind.items()):
            sheet.step(index, len(by_kind))
            if not rows:
                continue
            title = data.EVENT_KINDS.get(kind, Text(kind, kind))
            yield sheet.heading(f"{sheet.t(title)}（{len(rows)}）")
            table_rows = []
            for event in rows:
                number += 1
                table_rows.append(
                    [
                        number,
                        event["on_date"],
                        event["group_no"],
                        event["household_code"],
                        event["name"],
                        mask_id_number(event["id_number"]),
                        data.describe_event(event, lang),
                    ]
                )
            yield sheet.table(HEADER, table_rows, WIDTHS)
        sheet.step(len(by_kind), len(by_kind))
        if not happened:
            yield sheet.para(sheet.t(Text("本期没有变动。", "No changes in this period.")), "body")
        yield from _totals(sheet, Counter(str(e["kind"]) for e in happened), len(happened))

    pages = sheet.build(out, flowables())
    return PrintResult(path=Path(out), pages=pages, items=len(happened))


def _totals(sheet: Sheet, counts: Counter[str], total: int) -> Iterator[Flowable]:
    yield sheet.heading(Text("合计", "Totals"))
    pairs: list[tuple[Text | str, object]] = [
        (title, counts[kind]) for kind, title in data.EVENT_KINDS.items()
    ]
    pairs.append((Text("变动合计", "All changes"), total))
    yield sheet.fields(pairs, columns=3)
    yield sheet.gap(10)
    yield sheet.para(
        sheet.t(
            Text(
                "填报人：____________　　审核人：____________　　报出日期：____________",
                "Prepared by: ____________   Checked by: ____________   Sent on: ____________",
            )
        ),
        "body",
    )
