"""Checks at the field: names, phones and a spouse's marital status (core.validation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from fpdesk.core import validation as v
from fpdesk.core.clock import FixedClock

CLOCK = FixedClock(dt.date(2026, 11, 28))


def person(**changes: Any) -> dict[str, Any]:
    return {"household_id": "h", "name": "李秀英", "sex": 2, "birth_date": "1990-01-01",
            **changes}


def codes_of(problems: list[v.Problem]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in problems]


@pytest.mark.parametrize(
    "name",
    ["李娜", "欧阳娜娜", "阿依古丽·买买提", "阿依古丽・买买提", "Maria", "扎西顿珠", "A" * 30,
     "𠮷野家"],  # a character outside the basic plane is still a letter
)
def test_names_that_are_names(name: str) -> None:
    assert v.check_person(person(name=name), CLOCK) == []


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("李😀小花", "name.characters"),
        ("李小花1", "name.characters"),
        ("李\u0007花", "name.characters"),
        ("李 小花", "name.characters"),
        ("·李花", "name.characters"),
        ("李··花", "name.characters"),
        ("李", "name.length"),
        ("李" * 31, "name.length"),
        ("王" * 100, "name.length"),
    ],
)
def test_names_that_are_not(name: str, code: str) -> None:
    assert codes_of(v.check_person(person(name=name), CLOCK)) == [("name", code)]


def test_the_name_message_names_the_bad_character_in_both_languages() -> None:
    [problem] = v.check_person(person(name="李😀小花"), CLOCK)
    assert "😀" in problem.message.zh and "😀" in problem.message.en
    assert "阿依古丽·买买提" in problem.message.zh
    [problem] = v.check_person(person(name="李\u0007花"), CLOCK)
    assert "U+0007" in problem.message.zh


def test_middle_dots_are_kept_as_one_kind() -> None:
    assert v.tidy_name(" 阿依古丽・买买提 ") == "阿依古丽·买买提"
    assert v.tidy_name("阿依古丽•买买提") == "阿依古丽·买买提"


@pytest.mark.parametrize(
    "phone", ["13812345678", "19912345678", "0771-5551234", "07715551234", "010-12345678",
              "0771 555 1234", "+86 138 1234 5678", "0771-5551234-12"],
)
def test_phones_that_are_phones(phone: str) -> None:
    assert v.check_person(person(phone=phone), CLOCK) == []
    assert v.check_household({"code": "450102001201010001", "village_code": "450102001201",
                              "group_no": "01", "phone": phone}, CLOCK) == []


@pytest.mark.parametrize(
    "phone", ["12345", "12812345678", "1381234567", "138123456789", "5551234", "0771-555",
              "电话", "13812345678a"],
)
def test_phones_that_are_not(phone: str) -> None:
    assert codes_of(v.check_person(person(phone=phone), CLOCK)) == [("phone", "phone.shape")]
    household = {"code": "450102001201010001", "village_code": "450102001201",
                 "group_no": "01", "phone": phone}
    assert codes_of(v.check_household(household, CLOCK)) == [("phone", "phone.shape")]


@pytest.mark.parametrize("status", [10, 30, 40, "10"])
def test_a_spouse_is_not_unmarried_widowed_or_divorced(status: object) -> None:
    spouse = person(relationship=1, marital_status=status)
    assert codes_of(v.check_spouse(spouse, CLOCK)) == [("marital_status", "spouse.not_married")]
    assert codes_of(v.check_spouse(person(relationship=2, marital_status=status), CLOCK,
                                   married=True)) == [("marital_status", "spouse.not_married")]
    assert v.check_spouse(person(relationship=2, marital_status=status), CLOCK) == []


@pytest.mark.parametrize("status", [20, 21, 22, 23, 90, None])
def test_a_married_spouse_passes(status: object) -> None:
    assert v.check_spouse(person(relationship=1, marital_status=status), CLOCK) == []
