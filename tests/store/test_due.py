"""The due list over a real encrypted register."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from fpdesk.core import idnumber
from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.store.due import area_bounds, due_list, due_lists
from tests.conftest import VILLAGE

D = dt.date.fromisoformat
OTHER_VILLAGE = VILLAGE[:9] + "202"
_SEQUENCE = itertools.count(1)


def household(reg: Register, village: str = VILLAGE, group: str = "01", seq: int = 1) -> str:
    return records.insert(
        reg,
        "household",
        {
            "code": f"{village}{group}{seq:04d}",
            "village_code": village,
            "group_no": group,
            "address": f"{group}组{seq}号",
            "phone": "13800000000",
        },
    )


def person(reg: Register, home: str, name: str, sex: int, born: str, **kw: Any) -> str:
    seq = 2 * next(_SEQUENCE) + (1 if sex == 1 else 0)
    fields = {
        "household_id": home,
        "name": name,
        "sex": sex,
        "birth_date": born,
        "id_number": idnumber.make("450102", D(born), seq),
        **kw,
    }
    return records.insert(reg, "person", fields)


def lines(items: list[Any]) -> list[tuple[str, str, str, int]]:
    return [(i.name, i.visit_type, i.due_on.isoformat(), i.overdue_days) for i in items]


def test_due_list_of_a_village(register: Register) -> None:
    home = household(register)
    wife = person(register, home, "李秀英", 2, "1992-04-01")
    husband = person(register, home, "张伟", 1, "1990-02-02")
    marriage = records.insert(
        register, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2015-05-01"}
    )
    iud = records.insert(
        register, "contraception", {"woman_id": wife, "method": "iud", "started_on": "2026-08-20"}
    )
    records.insert(
        register, "visit", {"person_id": wife, "visit_type": "gyn_exam", "visited_on": "2026-03-01"}
    )
    neighbour_home = household(register, seq=2)
    pregnant = person(register, neighbour_home, "王芳", 2, "1998-07-07")
    pregnancy = records.insert(
        register, "pregnancy", {"woman_id": pregnant, "registered_on": "2026-09-01"}
    )
    # A person elsewhere, one who died, and one whose method ended are not listed.
    away = person(register, household(register, OTHER_VILLAGE), "赵丽", 2, "1990-01-01")
    records.insert(register, "pregnancy", {"woman_id": away, "registered_on": "2026-09-01"})
    dead = person(register, neighbour_home, "钱梅", 2, "1980-01-01", death_date="2026-10-01")
    records.insert(
        register, "contraception", {"woman_id": dead, "method": "iud", "started_on": "2026-08-20"}
    )

    items = due_list(register, D("2026-11-28"))
    # month 3 after the insertion (the missed month 1 is superseded); the third month
    # of the pregnancy, whose window has opened
    assert lines(items) == [
        ("李秀英", "iud_followup", "2026-11-20", 8),
        ("王芳", "pregnancy_tracking", "2026-11-30", 0),
    ]
    first = items[0]
    assert (first.follows_table, first.follows_id) == ("contraception", iud)
    assert first.household_code == f"{VILLAGE}010001" and first.group_no == "01"
    assert first.address == "01组1号" and first.phone == "13800000000"
    assert first.visit_label.zh == "上环术后随访"
    assert first.as_dict()["due_on"] == "2026-11-20"
    assert items[1].follows_id == pregnancy

    # a visit recorded in the window takes the line off the list
    records.insert(
        register,
        "visit",
        {
            "person_id": wife,
            "visit_type": "iud_followup",
            "visited_on": "2026-11-25",
            "follows_table": "contraception",
            "follows_id": iud,
        },
    )
    assert lines(due_list(register, D("2026-11-28"))) == [
        ("王芳", "pregnancy_tracking", "2026-11-30", 0)
    ]
    # later, the yearly exam comes due for the married woman, and the month-6 follow-up
    later = lines(due_list(register, D("2027-02-20")))
    assert ("李秀英", "gyn_exam", "2027-03-01", 0) in later
    assert ("李秀英", "iud_followup", "2027-02-20", 0) in later
    # the marriage ended: no exam due any more
    records.update(
        register, "marriage", marriage, {"ended_on": "2027-01-01", "end_reason": "divorce"}
    )
    assert all(item[1] != "gyn_exam" for item in lines(due_list(register, D("2027-02-20"))))


def test_group_and_village_filters(register: Register) -> None:
    for group, seq in (("01", 1), ("02", 2)):
        woman = person(
            register, household(register, group=group, seq=seq), f"女{group}", 2, "1995-01-01"
        )
        records.insert(register, "pregnancy", {"woman_id": woman, "registered_on": "2026-10-01"})
    away = person(register, household(register, OTHER_VILLAGE), "外村", 2, "1995-01-01")
    records.insert(register, "pregnancy", {"woman_id": away, "registered_on": "2026-10-01"})
    on = D("2026-11-28")
    assert [i.name for i in due_list(register, on)] == ["女01", "女02"]
    assert [i.name for i in due_list(register, on, group_no=2)] == ["女02"]
    assert [i.name for i in due_list(register, on, village_code=OTHER_VILLAGE)] == ["外村"]
    township = [i.name for i in due_list(register, on, village_code=VILLAGE[:9] + "000")]
    assert sorted(township) == ["外村", "女01", "女02"]


def test_husbands_sterilisation_is_counted_under_the_wife(register: Register) -> None:
    home = household(register)
    wife = person(register, home, "孙燕", 2, "1985-03-03")
    husband = person(register, home, "周强", 1, "1983-03-03")
    episode = records.insert(
        register,
        "contraception",
        {
            "woman_id": wife,
            "user_id": husband,
            "method": "male_sterilisation",
            "started_on": "2026-09-01",
        },
    )
    assert lines(due_list(register, D("2026-10-05"))) == [
        ("孙燕", "postop_followup", "2026-10-01", 4)
    ]
    records.insert(
        register,
        "visit",
        {
            "person_id": husband,
            "visit_type": "postop_followup",
            "visited_on": "2026-10-03",
            "follows_table": "contraception",
            "follows_id": episode,
        },
    )
    assert due_list(register, D("2026-10-05")) == []


def test_resupply_and_postnatal(register: Register) -> None:
    home = household(register)
    mother = person(register, home, "吴静", 2, "1996-06-06")
    records.insert(register, "birth", {"mother_id": mother, "birth_date": "2026-11-15", "sex": 1})
    user = person(register, home, "郑红", 2, "1994-04-04")
    records.insert(
        register, "contraception", {"woman_id": user, "method": "pill", "started_on": "2026-01-01"}
    )
    records.insert(
        register,
        "supply",
        {"person_id": user, "handed_on": "2026-10-01", "item": "pill", "quantity": 2},
    )
    assert lines(due_list(register, D("2026-11-28"))) == [
        ("吴静", "postnatal", "2026-11-22", 6),
        ("郑红", "resupply", "2026-11-26", 2),
    ]
    # deleted rows count for nothing
    for row in register.query("SELECT id FROM supply"):
        records.delete(register, "supply", row["id"])
    assert ("郑红", "resupply", "2026-01-01", 331) in lines(due_list(register, D("2026-11-28")))


def test_area_bounds() -> None:
    assert area_bounds(VILLAGE) == (VILLAGE, VILLAGE)
    assert area_bounds("450102001000") == ("450102001000", "450102001999")
    assert area_bounds("450000000000") == ("450000000000", "459999999999")


def test_due_lists_read_together_are_the_lists_read_one_by_one(register: Register) -> None:
    """One reading for several dates gives, for each, what due_list gives for it alone,
    with facts that change between the dates: a delivery whose postnatal window opens, a
    marriage and a method that end, a pregnancy's outcome, a husband's sterilisation
    with his own visit and a supply of the pills his wife stopped, a woman who turns 50."""
    home = household(register)
    wife = person(register, home, "李秀英", 2, "1990-04-01")
    husband = person(register, home, "张伟", 1, "1988-02-02")
    marriage = records.insert(
        register, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2015-05-01"}
    )
    records.update(
        register, "marriage", marriage, {"ended_on": "2026-11-20", "end_reason": "divorce"}
    )
    records.insert(
        register,
        "contraception",
        {"woman_id": wife, "method": "pill", "started_on": "2026-01-01", "ended_on": "2026-11-10"},
    )
    vasectomy = records.insert(
        register,
        "contraception",
        {
            "woman_id": wife,
            "user_id": husband,
            "method": "male_sterilisation",
            "started_on": "2026-10-05",
        },
    )
    records.insert(
        register,
        "visit",
        {
            "person_id": husband,
            "visit_type": "postop_followup",
            "visited_on": "2026-11-03",
            "follows_table": "contraception",
            "follows_id": vasectomy,
        },
    )
    records.insert(
        register,
        "supply",
        {"person_id": husband, "handed_on": "2026-10-01", "item": "pill", "quantity": 1},
    )
    mother = person(register, household(register, seq=2), "吴静", 2, "1996-06-06")
    records.insert(register, "birth", {"mother_id": mother, "birth_date": "2026-11-01", "sex": 1})
    records.insert(
        register,
        "pregnancy",
        {
            "woman_id": mother,
            "registered_on": "2026-03-01",
            "outcome_on": "2026-11-01",
            "outcome": "live_birth",
        },
    )
    older = person(register, household(register, seq=3), "钱梅", 2, "1976-11-15")
    records.insert(
        register, "contraception", {"woman_id": older, "method": "iud", "started_on": "2020-01-10"}
    )
    days = [D("2026-11-01"), D("2026-11-05"), D("2026-11-12"), D("2026-11-25")]
    together = due_lists(register, days)
    alone = [due_list(register, day) for day in days]
    assert together == alone
    assert len({tuple(lines(items)) for items in alone}) == len(days)  # each day differs
    assert due_lists(register, []) == []
    assert due_lists(register, days[1:2]) == [alone[1]]
