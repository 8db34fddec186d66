"""Households and members as the window and the printouts both read them."""

from __future__ import annotations

import datetime as dt

from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.store.reading import households
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import LONG_ADDRESS, LONG_NAME, Village, populate


def test_a_household_comes_with_its_heads_name(register: Register, village: Village) -> None:
    [first, second] = households.in_village(register, VILLAGE)
    assert (first["group_no"], first["head_name"]) == ("01", "黄建国")
    assert (second["group_no"], second["head_name"]) == ("02", LONG_NAME)
    assert second["address"] == LONG_ADDRESS
    assert households.household(register, first["id"]) == first  # the same facts, one way
    assert households.household(register, "no such household") is None


def test_members_head_first_with_pregnancy_and_method(
    register: Register, village: Village
) -> None:
    rows = households.members(register, village.long_household)
    assert [r["name"] for r in rows] == [LONG_NAME, "张妹", "张老汉"]  # by relationship
    assert rows[0]["method"] == "implant" and not rows[0]["pregnant"]
    husband_first = households.members(register, households.in_village(register, VILLAGE)[0]["id"])
    wife = next(r for r in husband_first if r["id"] == village.wife)
    assert wife["method"] is None  # her IUD ended in February: no method now


def test_at_a_glance_marks_women_of_childbearing_age_and_the_dead(
    register: Register, village: Village
) -> None:
    day = dt.date(2026, 11, 28)
    people = households.members_at_a_glance(register, village.long_household, day, {"x": 1})
    by_name = {m.name: m for m in people}
    assert by_name[LONG_NAME].childbearing_age and by_name[LONG_NAME].age == 38
    assert by_name["张老汉"].dead and not by_name["张老汉"].childbearing_age
    assert not by_name["张妹"].childbearing_age  # 14
    assert [m.visits_due for m in people] == [0, 0, 0]


def test_a_pregnancy_shows_at_a_glance(register: Register, village: Village) -> None:
    with register.transaction():
        records.insert(
            register, "pregnancy", {"woman_id": village.wife, "registered_on": "2026-11-25"}
        )
    h1 = households.in_village(register, VILLAGE)[0]["id"]
    people = households.members_at_a_glance(register, h1, dt.date(2026, 11, 28))
    assert [m.name for m in people if m.pregnant] == ["李秀英"]


def test_any_household(register: Register) -> None:
    assert not households.any_household(register)
    assert households.in_village(register, VILLAGE) == []
    populate(register)
    assert households.any_household(register)
    assert households.any_household(register, VILLAGE)
    assert not households.any_household(register, "450102001299")
