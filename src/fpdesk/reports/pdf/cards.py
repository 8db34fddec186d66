"""The woman of childbearing age card (育龄妇女信息卡, GB/T 18848-2002 items).

A view over persons, marriages and events, one card per page: the card is the one
form that carries the whole ID number (hers and her husband's), because it is what the
officer checks the identity against; every list masks it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from fpdesk.core.i18n import Text
from fpdesk.core.policy import BirthFacts, birth_orders
from fpdesk.reports.pdf import data
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet, iso
from fpdesk.store.db import Register

TITLE = Text("育龄妇女信息卡", "Woman of childbearing age card")
CHECK_TYPES = ("iud_check", "pregnancy_check", "gyn_exam", "prepregnancy_check")
FIRST_AGE, LAST_AGE = 15, 49
RELATION = {
    "own": Text("亲生", "own"),
    "step": Text("继子女", "stepchild"),
    "adopted": Text("收养", "adopted"),
}
YES_NO = (Text("否", "no"), Text("是", "yes"))


def women(register: Register, village_code: str, on: dt.date) -> list[data.Row]:
    """Women 15-49 on `on`, alive, in the village, in walking order."""
    youngest = data.shift_years(on, -FIRST_AGE).isoformat()
    oldest = (data.shift_years(on, -(LAST_AGE + 1)) + dt.timedelta(days=1)).isoformat()
    return register.query(
        "SELECT p.*, h.code AS household_code, h.group_no, h.address, "
        "h.registration_type AS household_registration FROM person p "
        "JOIN household h ON h.id = p.household_id "
        "WHERE h.village_code = ? AND h.deleted = 0 AND p.deleted = 0 AND p.sex = 2 "
        "AND p.birth_date BETWEEN ? AND ? AND (p.death_date IS NULL OR p.death_date > ?) "
        "ORDER BY h.group_no, h.code, p.birth_date, p.name",
        (village_code, oldest, youngest, on.isoformat()),
    )


def print_cards(
    register: Register,
    village_code: str,
    out: str | os.PathLike[str],
    *,
    on: dt.date | None = None,
    woman_ids: Sequence[str] | None = None,
    options: PrintOptions | None = None,
) -> PrintResult:
    """One card per woman of childbearing age (or only the women named)."""
    options = options or PrintOptions()
    day = on or options.clock.today()
    sheet = Sheet(
        options,
        TITLE,
        data.area_names(register, village_code),
        Text("截至 {d}", "As of {d}").format(d=day),
    )
    cohort = women(register, village_code, day)
    if woman_ids is not None:
        wanted = set(woman_ids)
        cohort = [w for w in cohort if w["id"] in wanted]

    def flowables() -> Iterator[Flowable]:
        for number, woman in enumerate(cohort):
            sheet.step(number, len(cohort))
            if number:
                yield PageBreak()
            yield from card(sheet, register, woman, day)
        sheet.step(len(cohort), len(cohort))
        if number_of_cards := len(cohort):
            yield sheet.gap(4)
        yield sheet.para(
            sheet.t(Text("本次共打印 {n} 张卡。", "{n} cards printed.")).format(n=number_of_cards),
            "body",
        )

    pages = sheet.build(out, flowables())
    return PrintResult(path=Path(out), pages=pages, items=len(cohort))


def card(sheet: Sheet, register: Register, woman: data.Row, day: dt.date) -> Iterator[Flowable]:
    lang = sheet.language
    marriages = register.query(
        "SELECT m.*, h.name AS husband_name, h.id_number AS husband_id_number "
        "FROM marriage m LEFT JOIN person h ON h.id = m.husband_id "
        "WHERE m.wife_id = ? AND m.deleted = 0 ORDER BY m.married_on",
        (woman["id"],),
    )
    current = next((m for m in reversed(marriages) if not m["ended_on"]), None)
    shown = current or (marriages[-1] if marriages else None)
    yield sheet.doc_title(sheet.t(TITLE))
    yield sheet.fields(
        [
            (Text("姓名", "Name"), woman["name"]),
            (Text("身份证号", "ID number"), woman["id_number"] or woman["legacy_id15"] or ""),
            (Text("出生日期", "Born"), woman["birth_date"]),
            (Text("年龄", "Age"), data.age_on(woman["birth_date"], day)),
            (
                Text("婚姻状况", "Marital status"),
                data.label("marital_status", woman["marital_status"], lang),
            ),
            (Text("初婚日期", "First married"), marriages[0]["married_on"] if marriages else ""),
            (
                Text("户口性质", "Registration"),
                data.label("registration_type", woman["registration_type"], lang),
            ),
            (
                Text("居住状况", "Residence"),
                data.label("residence_status", woman["residence_status"], lang),
            ),
            (Text("户编码", "Household"), woman["household_code"]),
            (Text("村民小组", "Group"), woman["group_no"]),
            (Text("丈夫姓名", "Husband"), _husband_name(shown)),
            (Text("丈夫身份证号", "Husband's ID"), _husband_id(shown)),
        ],
        wide=[
            (Text("户籍地址", "Registered address"), woman["address"]),
            (Text("现居住地", "Living at"), woman["residence_place"] or woman["address"]),
        ],
    )
    yield from _children(sheet, register, woman, _orders(register, woman, marriages))
    yield from _contraception(sheet, register, woman)
    yield from _pregnancies(sheet, register, woman)
    yield from _checks(sheet, register, woman)
    yield sheet.heading(Text("建卡与销卡", "Card entered and left"))
    yield sheet.fields(
        [
            (Text("建卡原因", "Entered"), _entered(register, woman, lang)),
            (Text("销卡", "Leaves"), _leaves(woman, lang)),
        ],
        columns=1,
    )


def _husband_name(marriage: data.Row | None) -> str:
    if marriage is None:
        return ""
    return str(marriage["husband_name"] or marriage["outside_spouse_name"] or "")


def _husband_id(marriage: data.Row | None) -> str:
    if marriage is None:
        return ""
    return str(marriage["husband_id_number"] or marriage["outside_spouse_id_number"] or "")


def _orders(register: Register, woman: data.Row, marriages: list[data.Row]) -> dict[str, int]:
    """Birth order (孩次) for the couple: her births and her husbands' (core.policy)."""
    husbands = [m["husband_id"] for m in marriages if m["husband_id"]]
    marks = ", ".join("?" for _ in husbands) or "NULL"
    rows = register.query(
        "SELECT id, mother_id, father_id, birth_date FROM birth WHERE deleted = 0 AND "
        f"(mother_id = ? OR father_id IN ({marks}))",
        (woman["id"], *husbands),
    )
    facts = [
        BirthFacts(
            id=r["id"],
            mother_id=r["mother_id"],
            father_id=r["father_id"],
            birth_date=dt.date.fromisoformat(r["birth_date"]),
        )
        for r in rows
    ]
    return {birth_id: order.order for birth_id, order in birth_orders(facts).items()}


def _children(
    sheet: Sheet, register: Register, woman: data.Row, orders: dict[str, int]
) -> Iterator[Flowable]:
    lang = sheet.language
    births = register.query(
        "SELECT b.*, c.name AS child_name, c.death_date AS child_death FROM birth b "
        "LEFT JOIN person c ON c.id = b.child_id "
        "WHERE b.mother_id = ? AND b.deleted = 0 ORDER BY b.birth_date, b.id",
        (woman["id"],),
    )
    rows = [
        [
            orders.get(b["id"], "—"),
            b["child_name"] or "",
            data.label("sex", b["sex"], lang),
            b["birth_date"],
            sheet.t(YES_NO[bool(b["alive"]) and not b["child_death"]]),
            sheet.t(
                RELATION.get(b["child_relation"], Text(b["child_relation"], b["child_relation"]))
            ),
            _birth_health(b, lang),
        ]
        for b in births
    ]
    yield sheet.heading(Text("子女情况", "Children"))
    yield _table_or_none(
        sheet,
        [
            Text("孩次", "Order"),
            Text("姓名", "Name"),
            Text("性别", "Sex"),
            Text("出生日期", "Born"),
            Text("存活", "Alive"),
            Text("关系", "Relation"),
            Text("出生时健康（体重、地点）", "Health at birth (weight, place)"),
        ],
        rows,
        [0.6, 1.4, 0.6, 1.2, 0.6, 0.9, 2.6],
    )


def _birth_health(birth: data.Row, lang: str) -> str:
    parts = []
    if birth["weight_g"]:
        parts.append(f"{birth['weight_g']} g")
    if birth["place"]:
        parts.append(data.label("birth_place", birth["place"], lang))
    if birth["note"]:
        parts.append(str(birth["note"]))
    return data.join(lang, *parts)


def _contraception(sheet: Sheet, register: Register, woman: data.Row) -> Iterator[Flowable]:
    lang = sheet.language
    episodes = register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0 ORDER BY started_on",
        (woman["id"],),
    )
    rows = [
        [
            data.label("contraceptive_method", e["method"], lang),
            e["started_on"],
            e["provider"] or "",
            iso(e["ended_on"]),
            e["end_reason"] or "",
        ]
        for e in episodes
    ]
    yield sheet.heading(Text("避孕节育情况", "Contraception"))
    yield _table_or_none(
        sheet,
        [
            Text("措施", "Method"),
            Text("开始日期", "Started"),
            Text("服务机构", "Provider"),
            Text("终止日期", "Ended"),
            Text("终止原因", "Reason ended"),
        ],
        rows,
        [1.6, 1.1, 1.8, 1.1, 2.2],
    )


def _pregnancies(sheet: Sheet, register: Register, woman: data.Row) -> Iterator[Flowable]:
    lang = sheet.language
    pregnancies = register.query(
        "SELECT * FROM pregnancy WHERE woman_id = ? AND deleted = 0 ORDER BY registered_on",
        (woman["id"],),
    )
    rows = [
        [
            p["registered_on"],
            iso(p["last_period_on"]),
            iso(p["expected_on"]),
            data.label("pregnancy_outcome", p["outcome"], lang) if p["outcome"] else "",
            iso(p["outcome_on"]),
        ]
        for p in pregnancies
    ]
    yield sheet.heading(Text("孕情", "Pregnancies"))
    yield _table_or_none(
        sheet,
        [
            Text("登记日期", "Registered"),
            Text("末次月经", "Last period"),
            Text("预产期", "Expected"),
            Text("结局", "Outcome"),
            Text("结局日期", "Outcome date"),
        ],
        rows,
        [1, 1, 1, 1.4, 1],
    )


def _checks(sheet: Sheet, register: Register, woman: data.Row) -> Iterator[Flowable]:
    lang = sheet.language
    marks = ", ".join("?" for _ in CHECK_TYPES)
    visits = register.query(
        f"SELECT * FROM visit WHERE person_id = ? AND deleted = 0 AND visit_type IN ({marks}) "
        "ORDER BY visited_on",
        (woman["id"], *CHECK_TYPES),
    )
    rows = [
        [
            v["visited_on"],
            data.label("visit_type", v["visit_type"], lang),
            v["result"] or "",
            v["visited_by"] or "",
        ]
        for v in visits
    ]
    yield sheet.heading(Text("查环、查孕、生殖健康检查", "IUD, pregnancy and health checks"))
    yield _table_or_none(
        sheet,
        [
            Text("日期", "Date"),
            Text("项目", "Check"),
            Text("结果", "Result"),
            Text("检查人", "By"),
        ],
        rows,
        [1, 1.8, 3, 1.2],
    )


def _entered(register: Register, woman: data.Row, lang: str) -> str:
    """Why she is on the cards: reached 15 here, or moved in (the later of the two)."""
    at_15 = data.shift_years(dt.date.fromisoformat(woman["birth_date"]), FIRST_AGE)
    moved = register.query(
        "SELECT moved_on, place FROM move WHERE person_id = ? AND kind = 'in' AND deleted = 0 "
        "ORDER BY moved_on DESC LIMIT 1",
        (woman["id"],),
    )
    if moved and moved[0]["moved_on"] > at_15.isoformat():
        return (
            Text("{d} 迁入（{place}）", "moved in {d} ({place})")
            .get(lang)
            .format(d=moved[0]["moved_on"], place=moved[0]["place"] or "")
        )
    return Text("{d} 满 15 岁", "turned 15 on {d}").get(lang).format(d=at_15)


def _leaves(woman: data.Row, lang: str) -> str:
    at_50 = data.shift_years(dt.date.fromisoformat(woman["birth_date"]), LAST_AGE + 1)
    text = Text("{d} 满 50 岁", "turns 50 on {d}").get(lang).format(d=at_50)
    if woman["residence_status"] == "out":
        moved = (
            Text("已流出：{place}", "floating out: {place}")
            .get(lang)
            .format(place=woman["residence_place"] or "")
        )
        text = data.join(lang, moved, text)
    return text


def _table_or_none(
    sheet: Sheet, header: list[Text], rows: list[list[object]], widths: list[float]
) -> Flowable:
    if not rows:
        return sheet.para(sheet.t(Text("无。", "None.")), "small")
    return sheet.table(header, rows, widths)
