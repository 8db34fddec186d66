"""One person, a name, possible spouses, age on a day."""

from __future__ import annotations

import datetime as dt

from fpdesk.store.db import Register
from fpdesk.store.reading import persons
from tests.reports.pdf.conftest import Village


def test_a_person_comes_with_her_households_code(register: Register, village: Village) -> None:
    wife = persons.person(register, village.wife)
    assert wife is not None
    assert (wife["name"], wife["household_code"], wife["address"]) == (
        "李秀英",
        "450102001201010001",
        "那况屯 12 号",
    )
    assert persons.person(register, "nobody") is None


def test_names(register: Register, village: Village) -> None:
    assert persons.name(register, village.husband) == "黄建国"
    assert persons.name(register, None) == ""
    assert persons.name(register, "nobody") == ""


def test_a_wifes_possible_spouses_are_the_living_men_of_her_household(
    register: Register, village: Village
) -> None:
    wife = persons.person(register, village.wife)
    assert wife is not None
    assert [r["name"] for r in persons.spouses_in_household(register, wife)] == ["黄建国"]


def test_age_on_a_day() -> None:
    assert persons.age_on("1994-06-15", dt.date(2026, 6, 14)) == 31
    assert persons.age_on("1994-06-15", dt.date(2026, 6, 15)) == 32
    assert persons.age_on(None, dt.date(2026, 6, 15)) is None
    assert persons.age_on("1994-13-40", dt.date(2026, 6, 15)) is None


def test_many_persons_at_once_as_one_reads_them(register: Register, village: Village) -> None:
    asked = [village.wife, village.child, "nobody", village.wife]
    found = persons.with_households(register, asked)
    assert set(found) == {village.wife, village.child}
    assert found[village.wife] == persons.person(register, village.wife)
    assert found[village.child]["group_no"] == "01"
