"""Marriage, divorce, pregnancy and its outcome."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core import idnumber
from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.store.operations.conftest import CLOCK, household, person


def test_marriage_sets_status_and_divorce_ends_it(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    husband, wife = new.member_ids
    marriage = ops.current_marriage(register, wife)
    assert marriage is not None and marriage["husband_id"] == husband
    assert records.get(register, "person", wife)["marital_status"] == 21  # type: ignore[index]
    with pytest.raises(ops.FormProblems) as caught:
        ops.record_divorce(register, marriage["id"], {"ended_on": "2014-01-01"}, clock=CLOCK)
    assert "ended_on" in caught.value.problems
    ops.record_divorce(register, marriage["id"], {"ended_on": "2020-01-01"}, clock=CLOCK)
    assert ops.current_marriage(register, wife) is None
    assert records.get(register, "person", husband)["marital_status"] == 40  # type: ignore[index]


def test_pregnancy_and_outcome(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    wife = new.member_ids[1]
    pregnancy = ops.register_pregnancy(
        register, wife, {"registered_on": "2026-05-01", "last_period_on": "2026-03-01"}, clock=CLOCK
    )
    row = records.get(register, "pregnancy", pregnancy)
    assert row is not None and row["expected_on"] == "2026-12-06"
    assert row["marriage_id"] == ops.current_marriage(register, wife)["id"]  # type: ignore[index]
    with pytest.raises(ops.FormProblems):
        ops.record_pregnancy_outcome(
            register, pregnancy, {"outcome": "miscarriage", "outcome_on": "2026-02-01"}, clock=CLOCK
        )
    ops.record_pregnancy_outcome(
        register, pregnancy, {"outcome": "miscarriage", "outcome_on": "2026-06-01"}, clock=CLOCK
    )
    assert records.get(register, "pregnancy", pregnancy)["outcome"] == "miscarriage"  # type: ignore[index]


def test_spouse_from_another_household_is_linked_by_id_number(register: Register) -> None:
    groom_number = idnumber.make("450102", dt.date(1990, 1, 1), 11)
    groom = household(register, person("黄伟", 1, "1990-01-01", 0, id_number=groom_number))
    bride = household(register, person("何丽", 2, "1992-02-02", 0))
    marriage = ops.record_marriage(
        register,
        {
            "wife_id": bride.member_ids[0],
            "outside_spouse_name": "黄伟",
            "outside_spouse_id_number": groom_number,
            "married_on": "2020-05-01",
        },
        clock=CLOCK,
    )
    row = records.get(register, "marriage", marriage)
    assert row is not None and row["husband_id"] == groom.member_ids[0]
    assert row["outside_spouse_name"] is None
    assert records.get(register, "person", groom.member_ids[0])["marital_status"] == 21  # type: ignore[index]
