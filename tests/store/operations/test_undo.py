"""Undo: itself a change in the history; an insert undone by a tombstone."""

from __future__ import annotations

import json

import pytest

from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.store.operations.conftest import CLOCK


def test_edit_then_undo_is_itself_in_the_history(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    wife = new.member_ids[1]
    ops.update_person(register, wife, {"name": "李秀兰", "phone": "13800000000"}, clock=CLOCK)
    assert records.get(register, "person", wife)["name"] == "李秀兰"  # type: ignore[index]
    ops.undo_last_change(register, wife)
    row = records.get(register, "person", wife)
    assert row is not None and row["name"] == "李秀英" and row["phone"] is None
    history = records.history(register, wife)
    assert [h["op"] for h in history][-2:] == ["update", "update"]
    assert json.loads(history[-1]["new"])["name"] == "李秀英"
    assert history[-1]["actor"] == "测试员"


def test_undo_of_an_insert_is_a_tombstone(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    supply = ops.record_supply(
        register, new.member_ids[1], {"handed_on": "2026-11-01", "item": "pill", "quantity": 3}
    )
    ops.undo_last_change(register, supply)
    assert records.get(register, "supply", supply)["deleted"] == 1  # type: ignore[index]
    with pytest.raises(ops.FormProblems):
        ops.undo_last_change(register, "no-such-row")
