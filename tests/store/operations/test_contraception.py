"""Contraception started, switched and stopped; contraceptives handed out."""

from __future__ import annotations

import pytest

from fpdesk.core import validation
from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.store.operations.conftest import CLOCK


def test_contraception_start_switches_and_stop(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    wife = new.member_ids[1]
    pill = ops.start_contraception(
        register, wife, {"method": "pill", "started_on": "2020-01-01"}, clock=CLOCK
    )
    iud = ops.start_contraception(
        register, wife, {"method": "iud", "started_on": "2021-03-01"}, clock=CLOCK
    )
    assert records.get(register, "contraception", pill)["ended_on"] == "2021-03-01"  # type: ignore[index]
    with pytest.raises(ops.FormProblems) as caught:
        ops.start_contraception(register, new.member_ids[0], {"method": "iud"}, clock=CLOCK)
    assert set(caught.value.problems) == {"woman_id", "started_on"}
    ops.stop_contraception(
        register, iud, {"ended_on": "2024-01-01", "end_reason": "wants_child"}, clock=CLOCK
    )
    assert ops.open_contraception(register, wife) is None


def test_husbands_sterilisation_counts_under_the_wife(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    husband, wife = new.member_ids
    episode = ops.start_contraception(
        register, wife, {"method": "male_sterilisation", "started_on": "2022-06-01"}, clock=CLOCK
    )
    row = records.get(register, "contraception", episode)
    assert row is not None and row["woman_id"] == wife and row["user_id"] == husband


def test_supply_needs_a_positive_quantity(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    wife = new.member_ids[1]
    with pytest.raises(ops.FormProblems) as caught:
        ops.record_supply(
            register, wife, {"handed_on": "2026-11-01", "item": "condom", "quantity": "0"}
        )
    assert caught.value.problems == {"quantity": validation.message("quantity.positive")}
    ops.record_supply(register, wife, {"handed_on": "2026-11-01", "item": "condom", "quantity": 12})
    rows = register.query("SELECT quantity FROM supply WHERE person_id = ?", (wife,))
    assert rows == [{"quantity": 12}]
