"""The village household register (户籍登记册): household data, members, recent events.

One household per page (每户一页), or the compact form where households follow each
other and a page holds several.  The totals close the register.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from fpdesk.core.i18n import Text
from fpdesk.core.idnumber import mask_id_number
from fpdesk.reports.pdf import data
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet, iso
from fpdesk.store.db import Register

TITLE = Text("户籍登记册", "Household register")
RECENT_MONTHS = 12  # "recent events": the last year, as the paper register keeps them

MEMBER_HEADER = [
    Text("姓名", "Name"),
    Text("与户主关系", "Relation"),
    Text("性别", "Sex"),
    Text("出生日期", "Born"),
    Text("身份证号", "ID number"),
    Text("婚姻", "Marital"),
    Text("户口性质", "Registration"),
    Text("居住状况", "Residence"),
    Text("备注", "Note"),
]
MEMBER_WIDTHS = [1.3, 1.0, 0.55, 1.15, 2.0, 0.9, 1.0, 1.1, 1.4]
EVENT_HEADER = [Text("日期", "Date"), Text("姓名", "Name"), Text("事项", "Event")]
EVENT_WIDTHS = [1.2, 1.3, 5.5]


def print_households(
    register: Register,
    village_code: str,
    out: str | os.PathLike[str],
    *,
    on: dt.date | None = None,
    per_page: bool = True,
    options: PrintOptions | None = None,
) -> PrintResult:
    """Print the village's household register as of `on` (default: today)."""
    options = options or PrintOptions()
    day = on or options.clock.today()
    period = Text("截至 {d}", "As of {d}").format(d=day)
    sheet = Sheet(options, TITLE, data.area_names(register, village_code), period)
    rows = data.households(register, village_code)
    totals: Counter[str] = Counter()
    # A year of the village's events is a few thousand rows at most: one query, then
    # each household takes its own, instead of a query per household.
    start = _months_before(day, RECENT_MONTHS)
    recent: dict[str, list[data.Row]] = defaultdict(list)
    for event in data.events(register, village_code, start, day):
        recent[event["household_id"]].append(event)

    def flowables() -> Iterator[Flowable]:
        yield sheet.doc_title(sheet.t(TITLE))
        yield sheet.para(f"{sheet.area}    {sheet.period}", "body")
        yield sheet.gap(4)
        for number, household in enumerate(rows):
            sheet.step(number, len(rows))
            if number and per_page:
                yield PageBreak()
            yield from _household(
                sheet,
                register,
                household,
                (start, day),
                recent.pop(household["id"], []),
                totals,
                per_page,
            )
        sheet.step(len(rows), len(rows))
        yield from _totals(sheet, totals, len(rows))

    pages = sheet.build(out, flowables())
    return PrintResult(path=Path(out), pages=pages, items=len(rows))


def _household(
    sheet: Sheet,
    register: Register,
    household: data.Row,
    period: tuple[dt.date, dt.date],
    happened: list[data.Row],
    totals: Counter[str],
    per_page: bool,
) -> Iterator[Flowable]:
    lang = sheet.language
    people = data.members(register, household["id"])
    _count(people, period[1], totals)
    head = sheet.t(
        Text(
            "户编码 {code}　第 {group} 组　户主：{head}",
            "Household {code}, group {group}, head: {head}",
        )
    ).format(
        code=household["code"], group=household["group_no"], head=household["head_name"] or "—"
    )
    block: list[Flowable] = [
        sheet.heading(head),
        sheet.fields(
            [
                (Text("联系电话", "Phone"), household["phone"] or ""),
                (
                    Text("户口性质", "Registration"),
                    data.label("registration_type", household["registration_type"], lang),
                ),
                (Text("人数", "Members"), len(people)),
            ],
            wide=[(Text("住址", "Address"), household["address"])],
        ),
        sheet.gap(2),
        sheet.table(MEMBER_HEADER, [_member_row(p, lang) for p in people], MEMBER_WIDTHS),
    ]
    start, day = period
    block.append(sheet.gap(2))
    label = Text("近期变动（{start} 至 {end}）", "Recent events ({start} to {end})")
    block.append(sheet.para(sheet.t(label).format(start=start, end=day), "body"))
    if happened:
        block.append(
            sheet.table(
                EVENT_HEADER,
                [[e["on_date"], e["name"], data.describe_event(e, lang)] for e in happened],
                EVENT_WIDTHS,
            )
        )
    else:
        block.append(sheet.para(sheet.t(Text("无。", "None.")), "small"))
    block.append(sheet.gap(5))
    if per_page:
        yield from block
    else:
        # Compact form: start a household on a fresh page rather than leave its heading
        # stranded at the foot of one.
        yield CondPageBreak(60)
        yield KeepTogether(block)


def _member_row(person: data.Row, lang: str) -> list[str]:
    note = person["note"] or ""
    if person["death_date"]:
        note = data.join(
            lang, Text("{d} 死亡", "died {d}").get(lang).format(d=person["death_date"]), note
        )
    if person["residence_status"] != "here" and person["residence_place"]:
        note = data.join(lang, person["residence_place"], note)
    return [
        person["name"],
        data.label("relationship", person["relationship"], lang),
        data.label("sex", person["sex"], lang),
        iso(person["birth_date"]),
        mask_id_number(person["id_number"]),
        data.label("marital_status", person["marital_status"], lang),
        data.label("registration_type", person["registration_type"], lang),
        data.label("residence_status", person["residence_status"], lang),
        note,
    ]


def _count(people: list[data.Row], day: dt.date, totals: Counter[str]) -> None:
    for person in people:
        if person["death_date"]:
            totals["dead"] += 1
            continue
        totals["persons"] += 1
        totals[f"sex_{person['sex']}"] += 1
        totals[f"residence_{person['residence_status']}"] += 1
        if person["sex"] == 2 and 15 <= data.age_on(person["birth_date"], day) <= 49:
            totals["women_15_49"] += 1


def _totals(sheet: Sheet, totals: Counter[str], households: int) -> Iterator[Flowable]:
    yield sheet.heading(Text("合计", "Totals"))
    yield sheet.fields(
        [
            (Text("户数", "Households"), households),
            (Text("人数（健在）", "Persons (living)"), totals["persons"]),
            (Text("男", "Male"), totals["sex_1"]),
            (Text("女", "Female"), totals["sex_2"]),
            (Text("育龄妇女（15-49 岁）", "Women 15-49"), totals["women_15_49"]),
            (Text("流出", "Floating out"), totals["residence_out"]),
            (Text("流入", "Floating in"), totals["residence_in"]),
            (Text("已死亡（仍在册）", "Deceased (on record)"), totals["dead"]),
        ]
    )


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    try:
        return dt.date(year, month + 1, day.day)
    except ValueError:
        return dt.date(year, month + 1, 28)
