"""Tidying what was typed, and checks_only over every operation."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.store import operations as ops
from fpdesk.store.db import Register
from tests.store.operations.conftest import birth, person


def test_parse_date_accepts_what_officers_type() -> None:
    assert ops.parse_date("20240305") == dt.date(2024, 3, 5)
    assert ops.parse_date("2024/3/5") == dt.date(2024, 3, 5)
    assert ops.parse_date("2024-02-30") is None
    assert ops.parse_date("5.3.2024") is None


def test_checks_only_stops_every_operation_before_it_writes(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    husband, wife = new.member_ids
    marriage = ops.current_marriage(register, wife)
    assert marriage is not None
    pregnancy = ops.register_pregnancy(register, wife, {"registered_on": "2026-05-01"})
    episode = ops.start_contraception(
        register, wife, {"method": "pill", "started_on": "2026-01-01"}
    )
    single = ops.add_person(register, new.household_id, person("周己", 2, "1999-09-09", 8))
    tries = [
        lambda: ops.add_household(register, {"group_no": 9}, [person("周甲", 1, "1990-01-01", 0)]),
        lambda: ops.add_person(register, new.household_id, person("周乙", 2, "2001-01-01", 3)),
        lambda: ops.update_person(register, wife, {"phone": "13912345678"}),
        lambda: ops.record_marriage(
            register, {"wife_id": single, "outside_spouse_name": "周丙", "married_on": "2020-01-01"}
        ),
        lambda: ops.record_divorce(register, marriage["id"], {"ended_on": "2026-01-01"}),
        lambda: ops.register_pregnancy(register, wife, {"registered_on": "2026-06-01"}),
        lambda: ops.record_pregnancy_outcome(
            register, pregnancy, {"outcome": "miscarriage", "outcome_on": "2026-06-01"}
        ),
        lambda: ops.record_birth(register, wife, birth("周丁", 1, "2026-10-01")),
        lambda: ops.start_contraception(
            register, wife, {"method": "iud", "started_on": "2026-02-01"}
        ),
        lambda: ops.stop_contraception(
            register, episode, {"ended_on": "2026-03-01", "end_reason": "side_effects"}
        ),
        lambda: ops.record_supply(
            register, wife, {"handed_on": "2026-01-01", "item": "pill", "quantity": 1}
        ),
        lambda: ops.record_visit(
            register, wife, {"visit_type": "gyn_exam", "visited_on": "2026-01-01"}
        ),
        lambda: ops.record_move(
            register, wife, {"kind": "float_out", "moved_on": "2026-01-01", "place": "外地"}
        ),
        lambda: ops.record_move_in(
            register,
            new.household_id,
            person("周戊", 1, "2000-01-01", 8),
            {"moved_on": "2026-01-01", "place": "外地"},
        ),
        lambda: ops.record_death(register, husband, {"death_date": "2026-01-01"}),
    ]
    before = register.query("SELECT count(*) AS n FROM change_log")[0]["n"]
    for attempt in tries:
        with pytest.raises(ops.ChecksPassed), ops.checks_only():
            attempt()
    assert register.query("SELECT count(*) AS n FROM change_log")[0]["n"] == before
    with pytest.raises(ops.FormProblems), ops.checks_only():
        ops.record_supply(register, wife, {"handed_on": "2026-01-01", "item": "pill"})


def test_a_week_date_is_not_taken_for_a_day(register: Register) -> None:
    """date.fromisoformat reads 2024-W10-2 (ten characters, like an ISO day); the
    register would keep it as text that sorts among the days."""
    home = ops.add_household(register, {"group_no": "1"}, [person("周甲", 1, "1990-01-01", 0)])
    with pytest.raises(ops.FormProblems) as caught:
        ops.add_person(register, home.household_id, person("周乙", 2, "2024-W10-2", 3))
    assert set(caught.value.problems) == {"birth_date"}
