"""Moves and deaths."""

from __future__ import annotations

import pytest

from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.store.operations.conftest import CLOCK, person


def test_move_out_and_back(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    wife = new.member_ids[1]
    with pytest.raises(ops.FormProblems) as caught:
        ops.record_move(
            register, wife, {"kind": "float_out", "moved_on": "2025-03-01"}, clock=CLOCK
        )
    assert caught.value.problems == {"place": ops.PLACE_NEEDED["float_out"]}
    ops.record_move(
        register, wife, {"kind": "float_out", "moved_on": "2025-03-01", "place": "广东省东莞市"}
    )
    assert records.get(register, "person", wife)["residence_status"] == "out"  # type: ignore[index]
    ops.record_move(register, wife, {"kind": "return", "moved_on": "2026-01-01"}, clock=CLOCK)
    assert records.get(register, "person", wife)["residence_status"] == "here"  # type: ignore[index]


def test_move_in_of_a_new_person(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    person_id = ops.record_move_in(
        register,
        new.household_id,
        person("陈红", 2, "2000-01-01", 8),
        {"moved_on": "2026-02-01", "place": "南宁市"},
        clock=CLOCK,
    )
    moves = register.query("SELECT kind, place FROM move WHERE person_id = ?", (person_id,))
    assert moves == [{"kind": "transfer_in", "place": "南宁市"}]


def test_death_widows_the_spouse_and_ends_contraception(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    husband, wife = new.member_ids
    ops.start_contraception(
        register, wife, {"method": "male_sterilisation", "started_on": "2022-06-01"}
    )
    ops.record_death(register, husband, {"death_date": "2026-01-05", "death_cause": "病故"})
    assert records.get(register, "person", wife)["marital_status"] == 30  # type: ignore[index]
    ended = register.query("SELECT ended_on, end_reason FROM contraception")
    assert ended == [{"ended_on": "2026-01-05", "end_reason": "death"}]
    with pytest.raises(ops.FormProblems):
        ops.record_death(register, husband, {"death_date": "2026-01-06"})
