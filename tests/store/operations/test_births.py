"""Births: the child, the birth row, the order for the couple and the verdict."""

from __future__ import annotations

import pytest

from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.store.operations.conftest import CLOCK, birth, household, person


def test_birth_creates_the_child_and_judges_the_order(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    husband, wife = new.member_ids
    pregnancy = ops.register_pregnancy(register, wife, {"registered_on": "2016-03-01"}, clock=CLOCK)
    first = ops.record_birth(register, wife, birth("王小一", 1, "2016-10-01"), clock=CLOCK)
    assert first.judged.order.order == 1 and first.judged.verdict.compliant
    child = records.get(register, "person", first.child_id or "")
    assert child is not None
    assert (child["household_id"], child["relationship"]) == (new.household_id, 2)
    row = records.get(register, "birth", first.birth_id)
    assert row is not None and (row["father_id"], row["pregnancy_id"]) == (husband, pregnancy)
    assert records.get(register, "pregnancy", pregnancy)["outcome"] == "live_birth"  # type: ignore[index]

    ops.record_birth(register, wife, birth("王小二", 2, "2018-05-05"), clock=CLOCK)
    third = birth("王小三", 2, "2020-01-02")
    preview = ops.preview_birth(register, wife, third, clock=CLOCK)
    saved = ops.record_birth(register, wife, third, clock=CLOCK)
    assert preview == saved.judged
    assert saved.judged.order.order == 3
    # Under universal two children a third child needs an approval the record lacks.
    assert not saved.judged.verdict.compliant
    assert saved.judged.verdict.rule_id == "national-2016-two-children"
    assert saved.judged.rule_name is not None and "两孩" in saved.judged.rule_name.zh


def test_birth_order_counts_the_fathers_earlier_children(register: Register) -> None:
    new = household(
        register, person("刘强", 1, "1985-01-01", 0), person("周敏", 2, "1990-01-01", 1)
    )
    husband, wife = new.member_ids
    earlier = household(register, person("吴芳", 2, "1986-01-01", 0)).member_ids[0]
    ops.record_birth(
        register, earlier, birth("刘一", 1, "2010-01-01", father_id=husband), clock=CLOCK
    )
    ops.record_marriage(
        register, {"husband_id": husband, "wife_id": wife, "married_on": "2022-01-01"}, clock=CLOCK
    )
    judged = ops.record_birth(register, wife, birth("刘二", 2, "2023-01-01"), clock=CLOCK).judged
    assert judged.order.order == 2
    assert judged.verdict.rule_id == "national-2021-three-children"


def test_birth_refused_before_the_mother_is_twelve_writes_nothing(
    family: tuple[Register, ops.NewHousehold],
) -> None:
    register, new = family
    with pytest.raises(ops.FormProblems) as caught:
        ops.record_birth(register, new.member_ids[1], birth("", 1, "2001-01-01"), clock=CLOCK)
    assert {"birth_date", "name"} <= set(caught.value.problems)
    assert register.query("SELECT count(*) AS n FROM birth")[0]["n"] == 0
    assert register.query("SELECT count(*) AS n FROM person")[0]["n"] == 2
