"""The officer's visit round sheet (随访单): who is due or overdue, in walking order.

Group by group, household by household, so the officer walks the village once; each
line has a box to tick and room to write what was found.  It is carried around the
village, so ID numbers do not appear on it at all: name, age and address suffice.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from fpdesk.core import dates
from fpdesk.core.i18n import Text
from fpdesk.reports.pdf import data
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet
from fpdesk.store.db import Register
from fpdesk.store.due import due_list
from fpdesk.store.reading import persons

TITLE = Text("随访服务单", "Visit round sheet")
HEADER = [
    Text("完成", "Done"),
    Text("户编码 / 住址", "Household / address"),
    Text("姓名", "Name"),
    Text("年龄", "Age"),
    Text("服务项目", "Visit"),
    Text("应访日期", "Due"),
    Text("逾期天数", "Days late"),
    Text("情况记录", "Notes"),
]
WIDTHS = [0.5, 2.3, 1.1, 0.5, 1.3, 1.05, 0.65, 2.6]
NOTE_HEIGHT = 12 * mm  # room to write a line or two by hand; longer addresses grow the row


class TickBox(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """An empty square to tick on paper."""

    def __init__(self, size: float = 4.5 * mm) -> None:
        super().__init__()
        self.size = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        self.canv.setLineWidth(0.8)
        self.canv.rect(0, 0, self.size, self.size)


@dataclass(frozen=True)
class RoundLine:
    """One visit to make, with where to find the person."""

    group_no: str
    household_code: str
    address: str
    name: str
    age: int
    visit_type: str
    due_on: dt.date
    overdue_days: int


def _field(item: Any, name: str) -> Any:
    """A due item's field: store.due may return dataclasses or rows."""
    return item[name] if isinstance(item, dict) else getattr(item, name)


def round_lines(register: Register, due: Iterable[Any], on: dt.date) -> list[RoundLine]:
    """Join the due visits to their people and households, in walking order."""
    items = list(due)
    people = persons.with_households(register, (str(_field(i, "person_id")) for i in items))
    lines = []
    for item in items:
        person = people.get(str(_field(item, "person_id")))
        if person is None:
            continue
        due_on = _field(item, "due_on")
        lines.append(
            RoundLine(
                group_no=person["group_no"],
                household_code=person["household_code"],
                address=person["address"],
                name=person["name"],
                age=dates.age_on(person["birth_date"], on),
                visit_type=str(_field(item, "visit_type")),
                due_on=due_on if isinstance(due_on, dt.date) else dt.date.fromisoformat(due_on),
                overdue_days=int(_field(item, "overdue_days")),
            )
        )
    lines.sort(key=lambda x: (x.group_no, x.household_code, x.name, x.due_on, x.visit_type))
    return lines


def print_rounds(
    register: Register,
    village_code: str,
    out: str | os.PathLike[str],
    *,
    on: dt.date | None = None,
    due: Iterable[Any] | None = None,
    options: PrintOptions | None = None,
) -> PrintResult:
    """Print the round sheet for `on` (default today) from the due list.

    `due` is the due list already worked out (store.due.due_list); by default it is
    asked for here.
    """
    options = options or PrintOptions()
    day = on or options.clock.today()
    if due is None:
        due = due_list(register, on=day, village_code=village_code)
    lines = round_lines(register, due, day)
    sheet = Sheet(
        options,
        TITLE,
        data.area_names(register, village_code),
        Text("{d} 应访及逾期", "Due and overdue on {d}").format(d=day),
    )
    groups = [(g, list(rows)) for g, rows in groupby(lines, key=lambda x: x.group_no)]

    def flowables() -> Iterator[Flowable]:
        lang = sheet.language
        yield sheet.doc_title(sheet.t(TITLE))
        yield sheet.para(f"{sheet.area}    {sheet.period}", "body")
        for index, (group, rows) in enumerate(groups):
            sheet.step(index, len(groups))
            yield sheet.heading(
                sheet.t(Text("第 {g} 组（{n} 项）", "Group {g} ({n} visits)")).format(
                    g=group, n=len(rows)
                )
            )
            yield sheet.table(
                HEADER,
                [
                    [
                        TickBox(),
                        f"{line.household_code}\n{line.address}",
                        line.name,
                        line.age,
                        data.label("visit_type", line.visit_type, lang),
                        line.due_on,
                        line.overdue_days or "",
                        Spacer(1, NOTE_HEIGHT),
                    ]
                    for line in rows
                ],
                WIDTHS,
            )
        sheet.step(len(groups), len(groups))
        if not lines:
            yield sheet.para(sheet.t(Text("今天没有应访的服务。", "No visits are due.")), "body")
        yield from _totals(sheet, lines)

    pages = sheet.build(out, flowables())
    return PrintResult(path=Path(out), pages=pages, items=len(lines))


def _totals(sheet: Sheet, lines: list[RoundLine]) -> Iterator[Flowable]:
    kinds = Counter(line.visit_type for line in lines)
    yield sheet.heading(Text("合计", "Totals"))
    pairs: list[tuple[Text | str, object]] = [
        (Text("应访合计", "Visits due"), len(lines)),
        (Text("其中逾期", "Of which overdue"), sum(1 for x in lines if x.overdue_days > 0)),
    ]
    pairs += [
        (data.label("visit_type", kind, sheet.language), n) for kind, n in sorted(kinds.items())
    ]
    yield sheet.fields(pairs, columns=2)
    yield sheet.gap(8)
    yield sheet.para(
        sheet.t(
            Text(
                "随访人：____________　　完成日期：____________",
                "Visited by: ____________   Completed on: ____________",
            )
        ),
        "body",
    )
