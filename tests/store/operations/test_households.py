"""The officer's operations on a real encrypted register: validation, one transaction, undo."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from fpdesk.core import idnumber, validation
from fpdesk.core.clock import FixedClock
from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE

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


def test_visit_cannot_precede_what_it_follows(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    wife = new.member_ids[1]
    iud = ops.start_contraception(
        register, wife, {"method": "iud", "started_on": "2026-10-01"}, clock=CLOCK
    )
    fields = {"visit_type": "iud_followup", "follows_table": "contraception", "follows_id": iud}
    with pytest.raises(ops.FormProblems) as caught:
        ops.record_visit(register, wife, {**fields, "visited_on": "2026-09-01"}, clock=CLOCK)
    assert "2026-10-01" in caught.value.problems["visited_on"].zh
    with pytest.raises(ops.FormProblems) as future:
        ops.record_visit(register, wife, {**fields, "visited_on": "2026-12-01"}, clock=CLOCK)
    assert "2026-11-28" in future.value.problems["visited_on"].zh
    visit = ops.record_visit(register, wife, {**fields, "visited_on": "20261101"}, clock=CLOCK)
    assert records.get(register, "visit", visit)["visited_on"] == "2026-11-01"  # type: ignore[index]


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


def test_drafts_survive_closing_the_register(register: Register) -> None:
    path = register.path
    first = ops.save_draft(register, None, "person", {"household_id": "h1"}, {"name": "张"})
    assert (
        ops.save_draft(register, first, "person", {"household_id": "h1"}, {"name": "张三"}) == first
    )
    register.close()
    reopened = open_register(path, PASSPHRASE)
    try:
        (draft,) = ops.drafts(reopened)
        assert (draft.kind, draft.context, draft.values) == (
            "person",
            {"household_id": "h1"},
            {"name": "张三"},
        )
        ops.drop_draft(reopened, draft.id)
        assert ops.drafts(reopened) == []
        # Drafts are local: nothing about them goes into the outbox.
        assert reopened.query("SELECT count(*) AS n FROM change_log")[0]["n"] == 0
    finally:
        reopened.close()
        register.conn = open_register(path, PASSPHRASE).conn  # the fixture closes it again


def test_parse_date_accepts_what_officers_type() -> None:
    assert ops.parse_date("20240305") == dt.date(2024, 3, 5)
    assert ops.parse_date("2024/3/5") == dt.date(2024, 3, 5)
    assert ops.parse_date("2024-02-30") is None
    assert ops.parse_date("5.3.2024") is None


def birth(name: str, sex: int, born: str, **more: object) -> dict[str, object]:
    return {"name": name, "sex": sex, "birth_date": born, **more}


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
