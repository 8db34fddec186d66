"""The woman of childbearing age card (育龄妇女信息卡, GB/T 18848-2002 items), printed.

The card itself is a view over persons, marriages and events (store.woman_card, with
the entry and exit rules of core.woman_card); this module only lays it out, one card a
page.  The card is the one form that carries the whole ID number (hers and her
husband's), because it is what the officer checks the identity against; lists mask it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from fpdesk.core import dates, population
from fpdesk.core.dates import add_years
from fpdesk.core.i18n import Text
from fpdesk.core.woman_card import AGE_TO
from fpdesk.reports.pdf import data
from fpdesk.reports.pdf.layout import PrintOptions, PrintResult, Sheet, iso
from fpdesk.store.db import Register
from fpdesk.store.woman_card import WomanCard, childbearing_women, woman_card

TITLE = Text("育龄妇女信息卡", "Woman of childbearing age card")
RELATION = {
    "own": Text("亲生", "own"),
    "step": Text("继子女", "stepchild"),
    "adopted": Text("收养", "adopted"),
}
YES_NO = (Text("否", "no"), Text("是", "yes"))


def print_cards(
    register: Register,
    village_code: str,
    out: str | os.PathLike[str],
    *,
    on: dt.date | None = None,
    woman_ids: Sequence[str] | None = None,
    options: PrintOptions | None = None,
    basis: str = population.REGISTERED,
) -> PrintResult:
    """One card per woman on the cards in the village on `on` (or only the women named):
    the registered population's women 15-49 (here and floating out), or with `basis`
    floating_in the floating-in women's cards, the residence place's own set."""
    options = options or PrintOptions()
    day = on or options.clock.today()
    sheet = Sheet(
        options,
        TITLE,
        data.area_names(register, village_code),
        Text("截至 {d}", "As of {d}").format(d=day),
    )
    cohort = [w["id"] for w in childbearing_women(register, day, village_code, basis=basis)]
    if woman_ids is not None:
        wanted = set(woman_ids)
        cohort = [w for w in cohort if w in wanted]

    def flowables() -> Iterator[Flowable]:
        for number, woman_id in enumerate(cohort):
            sheet.step(number, len(cohort))
            found = woman_card(register, woman_id, day)
            if found is None:  # removed since the list was read
                continue
            if number:
                yield PageBreak()
            yield from card(sheet, found, day)
        sheet.step(len(cohort), len(cohort))
        if cohort:
            yield sheet.gap(4)
        yield sheet.para(
            sheet.t(Text("本次共打印 {n} 张卡。", "{n} cards printed.")).format(n=len(cohort)),
            "body",
        )

    pages = sheet.build(out, flowables())
    return PrintResult(path=Path(out), pages=pages, items=len(cohort))


def card(sheet: Sheet, found: WomanCard, day: dt.date) -> Iterator[Flowable]:
    lang = sheet.language
    woman = found.woman
    husband = found.husband or {}
    yield sheet.doc_title(sheet.t(TITLE))
    yield sheet.fields(
        [
            (Text("姓名", "Name"), woman["name"]),
            (Text("身份证号", "ID number"), woman["id_number"] or woman["legacy_id15"] or ""),
            (Text("出生日期", "Born"), woman["birth_date"]),
            (Text("年龄", "Age"), dates.age_on(woman["birth_date"], day)),
            (
                Text("婚姻状况", "Marital status"),
                data.label("marital_status", woman["marital_status"], lang),
            ),
            (Text("初婚日期", "First married"), found.first_married_on or ""),
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
            (Text("丈夫姓名", "Husband"), husband.get("name") or ""),
            (Text("丈夫身份证号", "Husband's ID"), husband.get("id_number") or ""),
        ],
        wide=[
            (Text("户籍地址", "Registered address"), woman["address"]),
            (Text("现居住地", "Living at"), woman["residence_place"] or woman["address"]),
        ],
    )
    yield from _children(sheet, found)
    yield from _contraception(sheet, found)
    yield from _pregnancies(sheet, found)
    yield from _checks(sheet, found)
    yield sheet.heading(Text("建卡与销卡", "Card entered and left"))
    yield sheet.fields(
        [
            (Text("建卡", "Entered"), _entered(found, lang)),
            (Text("销卡", "Leaves"), _leaves(found, lang)),
        ],
        columns=1,
    )


def _children(sheet: Sheet, found: WomanCard) -> Iterator[Flowable]:
    lang = sheet.language
    rows = [
        [
            child.order,
            child.name or "",
            data.label("sex", child.sex, lang),
            child.birth_date,
            sheet.t(YES_NO[child.alive]),
            sheet.t(RELATION.get(child.relation, Text(child.relation, child.relation))),
            f"{child.weight_g} g" if child.weight_g else "",
            data.label("birth_document", child.document_kind, lang) if child.document_kind else "",
        ]
        for child in found.children
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
            Text("出生体重", "Birth weight"),
            Text("生育证件", "Birth document"),
        ],
        rows,
        [0.6, 1.4, 0.6, 1.2, 0.6, 0.9, 1.0, 1.3],
    )


def _contraception(sheet: Sheet, found: WomanCard) -> Iterator[Flowable]:
    lang = sheet.language
    rows = [
        [
            data.label("contraceptive_method", e["method"], lang),
            e["started_on"],
            e["provider"] or "",
            iso(e["ended_on"]),
            data.label("contraception_end", e["end_reason"], lang),
        ]
        for e in found.contraception
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


def _pregnancies(sheet: Sheet, found: WomanCard) -> Iterator[Flowable]:
    lang = sheet.language
    rows = [
        [
            p["registered_on"],
            iso(p["last_period_on"]),
            iso(p["expected_on"]),
            data.label("pregnancy_outcome", p["outcome"], lang) if p["outcome"] else "",
            iso(p["outcome_on"]),
        ]
        for p in found.pregnancies
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


def _checks(sheet: Sheet, found: WomanCard) -> Iterator[Flowable]:
    lang = sheet.language
    rows = [
        [
            v["visited_on"],
            data.label("visit_type", v["visit_type"], lang),
            v["result"] or "",
            v["visited_by"] or "",
        ]
        for v in found.checks
    ]
    yield sheet.heading(Text("查环、查孕、生殖健康检查", "IUD, pregnancy and health checks"))
    yield _table_or_none(
        sheet,
        [Text("日期", "Date"), Text("项目", "Check"), Text("结果", "Result"), Text("检查人", "By")],
        rows,
        [1, 1.8, 3, 1.2],
    )


def _entered(found: WomanCard, lang: str) -> str:
    status = found.status
    if status.entered_on is None or status.entered_text is None:
        return ""
    return f"{status.entered_on} {status.entered_text.get(lang)}"


def _leaves(found: WomanCard, lang: str) -> str:
    """Why she left the cards, or (while on them) the day she will turn 50."""
    status = found.status
    if status.left_on is not None and status.left_text is not None:
        return f"{status.left_on} {status.left_text.get(lang)}"
    at_50 = add_years(dt.date.fromisoformat(found.woman["birth_date"]), AGE_TO + 1)
    text = Text("{d} 年满 50 周岁（届时销卡）", "turns 50 on {d} (leaves the cards)")
    return text.get(lang).format(d=at_50)


def _table_or_none(
    sheet: Sheet, header: list[Text], rows: list[list[object]], widths: list[float]
) -> Flowable:
    if not rows:
        return sheet.para(sheet.t(Text("无。", "None.")), "small")
    return sheet.table(header, rows, widths)
