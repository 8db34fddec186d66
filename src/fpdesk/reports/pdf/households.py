"""The village household register (户籍登记册): household data, members, recent events.

One household per page (每户一页), or the compact form where households follow each
other and a page holds several.  The totals close the register.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from fpdesk.core import population
from fpdesk.core.i18n import Text
from fpdesk.core.idnumber import mask_id_number
from fpdesk.core.periods import date_range, statistical_year, statistical_year_of
from fpdesk.reports import indicators as ind
from fpdesk.reports.pdf import data
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet, iso
from fpdesk.store import population as store_population
from fpdesk.store.db import Register
from fpdesk.store.reading import events as village_events
from fpdesk.store.reading import households as household_rows

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
    rows = household_rows.in_village(register, village_code)
    totals: Counter[str] = Counter()
    # Who counts where on the day is core.population's; the married women and the
    # births of the statistical year so far are the indicator engine's own facts.
    moves = store_population.histories(register)
    year = statistical_year(statistical_year_of(day))
    facts = ind.collect(register, date_range(year.start, day), with_previous=False)
    chosen = facts.select(lambda v: v == village_code, population.REGISTERED)
    totals["married_women_15_49"] = len(chosen["women"])
    totals["births"] = len(chosen["births"])
    # A year of the village's events is a few thousand rows at most: one query, then
    # each household takes its own, instead of a query per household.
    start = _months_before(day, RECENT_MONTHS)
    recent: dict[str, list[data.Row]] = defaultdict(list)
    for event in village_events.in_village(register, village_code, start, day):
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
                moves,
            )
        sheet.step(len(rows), len(rows))
        yield from _totals(sheet, totals, len(rows), (year.start, day))

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
    moves: Mapping[str, population.History],
) -> Iterator[Flowable]:
    lang = sheet.language
    day = period[1].isoformat()
    people = [_on_day(p, moves, day) for p in household_rows.members(register, household["id"])]
    registered = _count(people, day, totals)
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
                (Text("户籍人数", "Registered members"), registered),
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


def _on_day(
    person: data.Row, moves: Mapping[str, population.History], day: str
) -> data.Row:
    """The person's row with her state on the day (core.population) and her last move."""
    history = moves.get(person["id"], ())
    done = [m for m in history if m[0] <= day]
    dead = bool(person["death_date"]) and person["death_date"] <= day
    return {
        **person,
        "dead": dead,
        "state": population.state_on(history, day, person["residence_status"]),
        "last_move": done[-1] if done else None,
    }


STATE_LABELS = {
    population.HERE: Text("户在人在", "registered and living here"),
    population.FLOAT_OUT: Text("流出", "floating out"),
    population.FLOAT_IN: Text("流入", "floating in"),
}
DEAD = Text("死亡", "deceased")


def _member_row(person: data.Row, lang: str) -> list[str]:
    """A member as on the day: the dead with their date of death and no marital status
    or residence of the living; one whose hukou left (迁出) or who left (离开) with that
    move's date and place."""
    note = person["note"] or ""
    state, marital = person["state"], data.label("marital_status", person["marital_status"], lang)
    if person["dead"]:
        note = data.join(
            lang, Text("{d} 死亡", "died {d}").get(lang).format(d=person["death_date"]), note
        )
        residence, marital = DEAD.get(lang), "—"
    elif state == population.GONE:
        moved_on, kind = person["last_move"] or ("", "")
        residence = population.KIND_LABELS[kind].get(lang) if kind else "—"
        note = data.join(lang, moved_on, person["residence_place"], note)
    else:
        residence = STATE_LABELS[state].get(lang)
        if state != population.HERE and person["residence_place"]:
            note = data.join(lang, person["residence_place"], note)
    return [
        person["name"],
        data.label("relationship", person["relationship"], lang),
        data.label("sex", person["sex"], lang),
        iso(person["birth_date"]),
        mask_id_number(person["id_number"]),
        marital,
        data.label("registration_type", person["registration_type"], lang),
        residence,
        note,
    ]


def _count(people: list[data.Row], day: str, totals: Counter[str]) -> int:
    """Add the household's members to the totals; returns its registered members."""
    registered = 0
    for person in people:
        if person["dead"]:
            totals["dead"] += 1
            continue
        if person["birth_date"] > day:
            continue
        state = person["state"]
        totals[f"state_{state}"] += 1
        if not population.counts(population.REGISTERED, state):
            continue
        registered += 1
        totals["persons"] += 1
        totals[f"sex_{person['sex']}"] += 1
        if person["sex"] == 2 and population.in_age_band(person["birth_date"], day):
            totals["women_15_49"] += 1
    return registered


def _totals(
    sheet: Sheet, totals: Counter[str], households: int, year: tuple[dt.date, dt.date]
) -> Iterator[Flowable]:
    """The village's figures on the day, the registered population's (户籍人口: here
    and floating out) first, then the floating-in on their own line, as every report."""
    yield sheet.heading(Text("合计", "Totals"))
    resident = totals[f"state_{population.HERE}"] + totals[f"state_{population.FLOAT_IN}"]
    yield sheet.fields(
        [
            (Text("户数", "Households"), households),
            (Text("户籍人口", "Registered population"), totals["persons"]),
            (Text("男", "Male"), totals["sex_1"]),
            (Text("女", "Female"), totals["sex_2"]),
            (Text("育龄妇女（15-49 岁）", "Women 15-49"), totals["women_15_49"]),
            (
                Text("已婚育龄妇女（15-49 岁）", "Married women 15-49"),
                totals["married_women_15_49"],
            ),
            (
                sheet.t(Text("出生（{start} 至 {end}）", "Births ({start} to {end})")).format(
                    start=year[0], end=year[1]
                ),
                totals["births"],
            ),
            (Text("其中流出", "of whom floating out"), totals[f"state_{population.FLOAT_OUT}"]),
            (Text("流入人口", "Floating-in population"), totals[f"state_{population.FLOAT_IN}"]),
            (Text("常住人口", "Resident population"), resident),
            (
                Text("已迁出或离开（仍在册）", "Moved away (on record)"),
                totals[f"state_{population.GONE}"],
            ),
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
