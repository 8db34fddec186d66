"""Households and persons on a real encrypted register: codes, heads, ID numbers."""

from __future__ import annotations

import pytest

from fpdesk.core import validation
from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.store.operations.conftest import CLOCK, WIFE_ID, household, person


def test_household_with_three_members_gets_code_and_head(register: Register) -> None:
    new = household(
        register,
        person("张三", 1, "1949-12-31", 0),
        person("李四", 2, "1949-12-31", 1, id_number=WIFE_ID.lower()),
        person("张小三", 1, "2010-01-01", 2),
    )
    assert new.code == VILLAGE + "03" + "0001"
    row = records.get(register, "household", new.household_id)
    assert row is not None and row["head_id"] == new.member_ids[0]
    wife = records.get(register, "person", new.member_ids[1])
    assert wife is not None and wife["id_number"] == WIFE_ID
    assert household(register, person("赵六", 1, "1980-01-01", 0)).code.endswith("030002")


def test_household_problems_name_each_members_field_and_nothing_is_written(
    register: Register,
) -> None:
    with pytest.raises(ops.FormProblems) as caught:
        household(
            register,
            person("张三", 1, "1950-01-01", 0, id_number="11010519491231002X"),
            person("", 2, "2099-01-01", 1),
        )
    problems = caught.value.problems
    assert set(problems) == {"m0.id_number", "m1.name", "m1.birth_date"}
    # Both disagreements of the number with the record are shown next to the number.
    assert "1949-12-31" in problems["m0.id_number"].zh
    assert "female" in problems["m0.id_number"].en
    assert register.query("SELECT count(*) AS n FROM household")[0]["n"] == 0
    assert register.query("SELECT count(*) AS n FROM person")[0]["n"] == 0


def test_bad_checksum_and_duplicate_id_number(register: Register) -> None:
    bad = WIFE_ID[:-1] + "3"
    with pytest.raises(ops.FormProblems) as caught:
        household(register, person("李四", 2, "1949-12-31", 0, id_number=bad))
    assert caught.value.problems["m0.id_number"] == validation.message("id.checksum")
    first = household(register, person("李四", 2, "1949-12-31", 0, id_number=WIFE_ID))
    with pytest.raises(ops.FormProblems) as again:
        ops.add_person(
            register,
            first.household_id,
            person("李四妹", 2, "1949-12-31", 3, id_number=WIFE_ID),
            clock=CLOCK,
        )
    assert "李四" in again.value.problems["id_number"].zh
    assert first.code in again.value.problems["id_number"].en
