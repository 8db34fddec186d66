"""Helpers of the operations' tests: a clock, ID numbers, a household, a married couple."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.store import operations as ops
from fpdesk.store.db import Register

CLOCK = FixedClock(dt.date(2026, 11, 28))
WIFE_ID = "11010519491231002X"  # female, born 1949-12-31 (domain.md)
HUSBAND_ID = "440524188001010014"  # male, born 1880-01-01 (domain.md)


def household(register: Register, *members: dict[str, object]) -> ops.NewHousehold:
    return ops.add_household(
        register, {"group_no": "3", "address": "三组 12 号"}, members, clock=CLOCK
    )


def person(name: str, sex: int, born: str, relationship: int, **more: object) -> dict[str, object]:
    return {"name": name, "sex": sex, "birth_date": born, "relationship": relationship, **more}


@pytest.fixture
def family(register: Register) -> tuple[Register, ops.NewHousehold]:
    new = household(
        register,
        person("王建国", 1, "1990-02-03", 0),
        person("李秀英", 2, "1992-05-06", 1),
    )
    ops.record_marriage(
        register,
        {"husband_id": new.member_ids[0], "wife_id": new.member_ids[1], "married_on": "2015-10-01"},
        clock=CLOCK,
    )
    return register, new


def birth(name: str, sex: int, born: str, **more: object) -> dict[str, object]:
    return {"name": name, "sex": sex, "birth_date": born, **more}
