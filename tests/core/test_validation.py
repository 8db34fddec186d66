"""Every validation rule: what passes, what fails, and that each message is bilingual."""

from __future__ import annotations

import datetime as dt
import string
from typing import Any

import pytest

from fpdesk.core import validation as v
from fpdesk.core.clock import FixedClock
from fpdesk.core.i18n import Text

CLOCK = FixedClock(dt.date(2026, 11, 28))
WOMAN_ID = "11010519491231002X"  # female, born 1949-12-31
MAN_ID = "440524188001010014"  # male, born 1880-01-01


def codes_of(problems: list[v.Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


def person(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "id": "p1", "household_id": "h1", "name": "李秀英", "sex": 2,
        "birth_date": "1949-12-31", "id_number": WOMAN_ID, "ethnicity": "08",
        "marital_status": 20, "relationship": 1, "registration_type": 2,
        "residence_status": "here",
    }
    fields.update(changes)
    return fields


def test_every_message_has_both_languages_and_formats() -> None:
    for code, text in v.MESSAGES.items():
        assert text.zh and text.en, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), code
        names = {n for _, n, _, _ in string.Formatter().parse(text.zh) if n}
        assert names == {n for _, n, _, _ in string.Formatter().parse(text.en) if n}, code
        filled = v.message(code, **{n: Text("甲", "A") for n in names})
        assert "{" not in filled.zh and "{" not in filled.en


def test_a_correct_person_passes() -> None:
    assert v.check_person(person(), CLOCK) == []
    man = person(name="张三", sex=1, birth_date="1880-01-01", id_number=MAN_ID)
    assert v.check_person(man, CLOCK) == []


@pytest.mark.parametrize("name", ["household_id", "name", "sex", "birth_date"])
def test_required_person_fields(name: str) -> None:
    problems = v.check_person(person(**{name: "  " if name == "name" else None}), CLOCK)
    assert (name, "required") in codes_of(problems)
    message = next(p.message for p in problems if p.field == name)
    assert message.zh.startswith("请填写") and "required" in message.en


@pytest.mark.parametrize(
    ("number", "code"),
    [("11010519491231002", "id.shape"), ("110105194912310021", "id.checksum"),
     ("110105491231002", "id.legacy15"), ("110105194913310025", "id.date")],
)
def test_bad_id_numbers(number: str, code: str) -> None:
    assert codes_of(v.check_person(person(id_number=number), CLOCK)) == [("id_number", code)]


def test_id_number_must_agree_with_birth_date_and_sex() -> None:
    problems = v.check_person(person(birth_date="1950-01-01", sex=1), CLOCK)
    assert codes_of(problems) == [("id_number", "id.birth_mismatch"),
                                  ("id_number", "id.sex_mismatch")]
    assert "1949-12-31" in problems[0].message.zh and "1950-01-01" in problems[0].message.en
    assert "女" in problems[1].message.zh and "female" in problems[1].message.en
    # an unknown sex is not contradicted
    assert v.check_person(person(sex=0), CLOCK) == []


def test_a_duplicate_id_number_points_to_its_holder() -> None:
    seen: list[tuple[str, str | None]] = []

    def holder(number: str, except_id: str | None) -> v.IdHolder | None:
        seen.append((number, except_id))
        return v.IdHolder("p9", "王芳", "450102001201010001")

    problems = v.check_person(person(id_number="110105 19491231 002x"), CLOCK, id_holder=holder)
    assert seen == [(WOMAN_ID, "p1")]
    assert codes_of(problems) == [("id_number", "id.duplicate")]
    assert "王芳" in problems[0].message.zh and "450102001201010001" in problems[0].message.en
    assert v.check_person(person(), CLOCK, id_holder=lambda n, e: None) == []


def test_dates_must_be_dates_not_in_the_future_and_in_order() -> None:
    assert codes_of(v.check_person(person(birth_date="1949/12/31", id_number=None), CLOCK)) == [
        ("birth_date", "date.format")]
    future = v.check_person(person(birth_date="2026-11-29", id_number=None), CLOCK)
    assert codes_of(future) == [("birth_date", "date.future")]
    assert "2026-11-28" in future[0].message.zh
    assert codes_of(v.check_person(person(birth_date="1860-01-01", id_number=None), CLOCK)) == [
        ("birth_date", "date.too_early")]
    died = v.check_person(person(death_date="1949-12-30"), CLOCK)
    assert codes_of(died) == [("death_date", "date.order")]
    assert codes_of(v.check_person(person(residence_since="1940-01-01"), CLOCK)) == [
        ("residence_since", "date.before_born")]


def test_today_itself_is_allowed_and_the_clock_decides() -> None:
    fields = person(id_number=None, birth_date="2026-11-28")
    assert v.check_person(fields, CLOCK) == []
    assert codes_of(v.check_person(fields, FixedClock(dt.date(2026, 11, 27)))) == [
        ("birth_date", "date.future")]


def test_codes_must_exist() -> None:
    problems = v.check_person(person(ethnicity="77", marital_status=25, residence_status="x"),
                              CLOCK)
    assert codes_of(problems) == [("ethnicity", "code.unknown"), ("marital_status", "code.unknown"),
                                  ("residence_status", "code.unknown")]


def test_legacy_number_shape() -> None:
    assert v.check_person(person(legacy_id15="110105491231002"), CLOCK) == []
    assert codes_of(v.check_person(person(legacy_id15="11010549"), CLOCK)) == [
        ("legacy_id15", "legacy_id.shape")]


def test_household_rules() -> None:
    good = {"code": "450102001201030017", "village_code": "450102001201", "group_no": "03"}
    assert v.check_household(good, CLOCK) == []
    assert codes_of(v.check_household({**good, "code": "4501"}, CLOCK)) == [
        ("code", "household.code_shape")]
    assert codes_of(v.check_household({**good, "group_no": "04"}, CLOCK)) == [
        ("code", "household.code_mismatch")]
    township = {"code": "450102001000030017", "village_code": "450102001000", "group_no": "03"}
    assert codes_of(v.check_household(township, CLOCK)) == [
        ("village_code", "household.not_village")]
    assert ("village_code", "required") in codes_of(
        v.check_household({**good, "village_code": ""}, CLOCK))


WIFE = {"sex": 2, "birth_date": "1990-05-01"}
HUSBAND = {"sex": 1, "birth_date": "1988-03-03"}


def test_marriage_rules() -> None:
    good = {"wife_id": "w", "husband_id": "h", "married_on": "2012-10-01"}
    assert v.check_marriage(good, CLOCK, wife=WIFE, husband=HUSBAND) == []
    assert codes_of(v.check_marriage({"married_on": "2012-10-01"}, CLOCK)) == [
        ("wife_id", "marriage.no_spouse")]
    ended = {**good, "ended_on": "2010-01-01", "end_reason": "divorce"}
    assert codes_of(v.check_marriage(ended, CLOCK)) == [("ended_on", "date.order")]
    assert codes_of(v.check_marriage({**good, "ended_on": "2020-01-01"}, CLOCK)) == [
        ("ended_on", "marriage.end_incomplete")]
    swapped = v.check_marriage(good, CLOCK, wife=HUSBAND, husband=WIFE)
    assert codes_of(swapped) == [("wife_id", "sex.expected"), ("husband_id", "sex.expected")]
    early = v.check_marriage({**good, "married_on": "1989-01-01"}, CLOCK, wife=WIFE)
    assert codes_of(early) == [("married_on", "date.before_born")]


def test_pregnancy_rules() -> None:
    good = {"woman_id": "w", "registered_on": "2026-06-01", "last_period_on": "2026-04-20",
            "expected_on": "2027-01-25"}
    assert v.check_pregnancy(good, CLOCK, woman=WIFE) == []
    before = {**good, "outcome": "miscarriage", "outcome_on": "2026-04-01"}
    assert codes_of(v.check_pregnancy(before, CLOCK)) == [("outcome_on", "date.order")]
    no_period = {"woman_id": "w", "registered_on": "2026-06-01", "outcome": "live_birth",
                 "outcome_on": "2026-05-01"}
    assert codes_of(v.check_pregnancy(no_period, CLOCK)) == [("outcome_on", "date.order")]
    assert codes_of(v.check_pregnancy({**good, "outcome": "live_birth"}, CLOCK)) == [
        ("outcome_on", "pregnancy.outcome_incomplete")]
    assert codes_of(v.check_pregnancy({**good, "outcome": "twins?", "outcome_on": "2026-11-01"},
                                      CLOCK)) == [("outcome", "code.unknown")]
    girl = {"sex": 2, "birth_date": "2015-01-01"}
    assert codes_of(v.check_pregnancy(good, CLOCK, woman=girl)) == [
        ("registered_on", "parent.too_young")]
    assert codes_of(v.check_pregnancy(good, CLOCK, woman=HUSBAND)) == [
        ("woman_id", "sex.expected")]


def test_birth_rules() -> None:
    good = {"mother_id": "w", "father_id": "h", "birth_date": "2020-02-02", "sex": 1,
            "weight_g": 3300, "document_kind": "registration"}
    assert v.check_birth(good, CLOCK, mother=WIFE, father=HUSBAND) == []
    young = {"sex": 2, "birth_date": "2008-03-01"}
    problems = v.check_birth(good, CLOCK, mother=young)
    assert codes_of(problems) == [("birth_date", "parent.too_young")]
    assert "12" in problems[0].message.zh and "12" in problems[0].message.en
    unborn = {"sex": 2, "birth_date": "2021-01-01"}
    assert codes_of(v.check_birth(good, CLOCK, mother=unborn)) == [
        ("birth_date", "date.before_born")]
    pregnancy = {"registered_on": "2020-03-01"}
    assert codes_of(v.check_birth(good, CLOCK, pregnancy=pregnancy)) == [
        ("birth_date", "date.order")]
    assert codes_of(v.check_birth({**good, "weight_g": 90000}, CLOCK)) == [
        ("weight_g", "birth.weight")]
    assert codes_of(v.check_birth({**good, "weight_g": "heavy"}, CLOCK)) == [
        ("weight_g", "birth.weight")]
    assert codes_of(v.check_birth({**good, "birth_date": "2030-01-01"}, CLOCK)) == [
        ("birth_date", "date.future")]
    assert codes_of(v.check_birth(good, CLOCK, mother=HUSBAND, father=WIFE)) == [
        ("mother_id", "sex.expected"), ("father_id", "sex.expected")]
    assert codes_of(v.check_birth({**good, "document_kind": "permit"}, CLOCK)) == [
        ("document_kind", "code.unknown")]


def test_contraception_rules() -> None:
    good = {"woman_id": "w", "method": "iud", "started_on": "2024-01-05"}
    assert v.check_contraception(good, CLOCK, woman=WIFE) == []
    assert codes_of(v.check_contraception({**good, "method": "magic"}, CLOCK)) == [
        ("method", "code.unknown")]
    assert codes_of(v.check_contraception({**good, "ended_on": "2023-01-01"}, CLOCK)) == [
        ("ended_on", "date.order")]
    # a husband's sterilisation is counted under the wife; the user must be a man
    vasectomy = {**good, "method": "male_sterilisation", "user_id": "h"}
    assert v.check_contraception(vasectomy, CLOCK, woman=WIFE, user=HUSBAND) == []
    assert codes_of(v.check_contraception(vasectomy, CLOCK, woman=WIFE, user=WIFE)) == [
        ("user_id", "sex.expected")]
    assert codes_of(v.check_contraception({**good, "user_id": "h"}, CLOCK, user=HUSBAND)) == [
        ("user_id", "sex.expected")]
    assert v.check_contraception({**good, "method": "condom"}, CLOCK, user=HUSBAND) == []


def test_visit_cannot_precede_the_event_it_follows() -> None:
    visit = {"person_id": "w", "visit_type": "iud_followup", "visited_on": "2024-01-01",
             "follows_table": "contraception", "follows_id": "c1"}
    insertion = {"started_on": "2024-01-05"}
    problems = v.check_visit(visit, CLOCK, person=WIFE, follows=insertion)
    assert codes_of(problems) == [("visited_on", "date.order")]
    assert "2024-01-05" in problems[0].message.zh
    assert v.check_visit({**visit, "visited_on": "2024-02-05"}, CLOCK, follows=insertion) == []
    pregnancy = {"registered_on": "2024-03-01", "last_period_on": "2024-01-20"}
    assert v.check_visit({**visit, "follows_table": "pregnancy", "visited_on": "2024-02-01"},
                         CLOCK, follows=pregnancy) == []
    birth = {"birth_date": "2024-02-10"}
    assert codes_of(v.check_visit({**visit, "follows_table": "birth"}, CLOCK, follows=birth)) == [
        ("visited_on", "date.order")]
    assert codes_of(v.check_visit({**visit, "follows_id": None}, CLOCK)) == [
        ("follows_id", "visit.follows_incomplete")]
    assert codes_of(v.check_visit(visit, CLOCK, follows_found=False)) == [
        ("follows_id", "visit.follows_missing")]
    assert codes_of(v.check_visit({**visit, "visit_type": "chat"}, CLOCK)) == [
        ("visit_type", "code.unknown")]
    assert codes_of(v.check_visit({**visit, "visited_on": "2027-01-01"}, CLOCK)) == [
        ("visited_on", "date.future")]


def test_supply_move_certificate_rules() -> None:
    supply = {"person_id": "w", "handed_on": "2026-01-01", "item": "pill", "quantity": 3}
    assert v.check_supply(supply, CLOCK, person=WIFE) == []
    assert codes_of(v.check_supply({**supply, "quantity": 0, "item": "x"}, CLOCK)) == [
        ("item", "code.unknown"), ("quantity", "quantity.positive")]
    move = {"person_id": "w", "kind": "out", "moved_on": "1980-01-01"}
    assert codes_of(v.check_move(move, CLOCK, person=WIFE)) == [("moved_on", "date.before_born")]
    cert = {"woman_id": "w", "kind": "birth_certificate", "issued_on": "2019-01-01"}
    assert v.check_certificate(cert, CLOCK, woman=WIFE) == []
    assert codes_of(v.check_certificate({**cert, "kind": "medal", "issued_on": ""}, CLOCK)) == [
        ("issued_on", "required"), ("kind", "code.unknown")]
