"""Field checks through the officer's operations (the same ones the forms and CLI call)."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register

CLOCK = FixedClock(dt.date(2026, 11, 28))


def person(name: str, sex: int, born: str, relationship: int, **more: object) -> dict[str, object]:
    return {"name": name, "sex": sex, "birth_date": born, "relationship": relationship, **more}


def test_a_name_with_an_emoji_or_100_characters_is_refused(register: Register) -> None:
    for name in ("李😀小花", "王" * 100, "李"):
        with pytest.raises(ops.FormProblems) as caught:
            ops.add_household(register, {"group_no": "1"}, [person(name, 2, "1990-01-01", 0)],
                              clock=CLOCK)
        assert set(caught.value.problems) == {"m0.name"}
    assert register.query("SELECT count(*) AS n FROM person")[0]["n"] == 0


def test_names_and_phones_are_kept_tidy(register: Register) -> None:
    new = ops.add_household(
        register, {"group_no": "1", "phone": "0771 555 1234"},
        [person("阿依古丽・买买提", 2, "1990-01-01", 0, phone="138 1234 5678")], clock=CLOCK)
    member = records.get(register, "person", new.member_ids[0])
    assert member is not None
    assert (member["name"], member["phone"]) == ("阿依古丽·买买提", "13812345678")
    home = records.get(register, "household", new.household_id)
    assert home is not None and home["phone"] == "07715551234"
    with pytest.raises(ops.FormProblems) as caught:
        ops.update_person(register, new.member_ids[0], {"phone": "12345"}, clock=CLOCK)
    assert set(caught.value.problems) == {"phone"}


def test_a_spouse_cannot_be_unmarried(register: Register) -> None:
    with pytest.raises(ops.FormProblems) as caught:
        ops.add_household(register, {"group_no": "1"}, [
            person("王建国", 1, "1990-02-03", 0, marital_status=20),
            person("李秀英", 2, "1992-05-06", 1, marital_status=10),
        ], clock=CLOCK)
    assert set(caught.value.problems) == {"m1.marital_status"}
    assert "未婚" in caught.value.problems["m1.marital_status"].zh
    with pytest.raises(ops.FormProblems) as caught:
        ops.add_household(register, {"group_no": "1"}, [
            person("王建国", 1, "1990-02-03", 0, marital_status=40),
            person("李秀英", 2, "1992-05-06", 1, marital_status=21),
        ], clock=CLOCK)
    assert set(caught.value.problems) == {"m0.marital_status"}


def test_a_married_person_is_not_made_unmarried_by_an_edit(register: Register) -> None:
    new = ops.add_household(register, {"group_no": "1"}, [
        person("王建国", 1, "1990-02-03", 0), person("李秀英", 2, "1992-05-06", 1)], clock=CLOCK)
    husband, wife = new.member_ids
    ops.record_marriage(register, {"husband_id": husband, "wife_id": wife,
                                   "married_on": "2015-10-01"}, clock=CLOCK)
    with pytest.raises(ops.FormProblems) as caught:
        ops.update_person(register, husband, {"marital_status": "10"}, clock=CLOCK)
    assert set(caught.value.problems) == {"marital_status"}
    ops.record_divorce(register, ops.current_marriage(register, wife)["id"],  # type: ignore[index]
                       {"ended_on": "2026-01-01"}, clock=CLOCK)
    # Divorced: her status says so, and other edits of her record go through.
    ops.update_person(register, wife, {"phone": "13812345678"}, clock=CLOCK)


def test_fpdesk_check_lists_names_and_phones_saved_before_the_rules(register: Register) -> None:
    """Records written before these checks (or by an import) are listed, not hidden."""
    from fpdesk.store.checks import check_register

    new = ops.add_household(register, {"group_no": "1"},
                            [person("王建国", 1, "1990-02-03", 0)], clock=CLOCK)
    records.update(register, "person", new.member_ids[0], {"name": "李😀小花", "phone": "12345"})
    records.update(register, "household", new.household_id, {"phone": "999"})
    found = {(f.table, f.field, f.code) for f in check_register(register, CLOCK).failures}
    assert {("person", "name", "name.characters"), ("person", "phone", "phone.shape"),
            ("household", "phone", "phone.shape")} <= found
