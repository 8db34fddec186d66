"""A duplicate merge that leaves a village's record naming a person of another village.

The township keeps the merged person in one village.  A birth, a marriage, a household
or a contraception episode of the other village may then name that person (the child,
the husband, the father, the head, the user): the village does not hold that person, so
its copy names nobody there (a spouse is then named as a spouse from elsewhere, like one
typed in by the officer).  A birth goes with its mother.  Both villages must take their
updates, keep what they saved, and agree with the township for their own area.
"""

from __future__ import annotations

from typing import Any

from fpdesk.core.idnumber import check_char
from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.sync import duplicates
from tests.sync.helpers import World, add_household, add_person, area_state, send


def _id(birth: str, seq: int) -> str:
    first17 = f"450102{birth.replace('-', '')}{seq:03d}"
    return first17 + check_char(first17)


def _villages(world: World) -> tuple[Register, Register]:
    first, second = (world.villages[c] for c in sorted(world.villages))
    return first, second


def _exchange(world: World, tag: str) -> None:
    """Both villages send what they have, then hear from the township (acknowledged)."""
    for village in _villages(world):
        send(village, world.township, world.root / f"{tag}-in-{village.area_code}")
    for village in _villages(world):
        [got] = send(world.township, village, world.root / f"{tag}-out-{village.area_code}")
        assert got.outcome == "accepted", got.reason


def _update(world: World, village: Register, tag: str) -> Any:
    [got] = send(world.township, village, world.root / f"{tag}-{village.area_code}")
    assert got.outcome == "accepted", got.reason
    return got


def _agree(world: World) -> None:
    for village in _villages(world):
        assert area_state(village, village.area_code) == area_state(
            world.township, village.area_code
        )


def _nothing_travels_back(world: World, tag: str) -> None:
    for village in _villages(world):
        [again] = send(village, world.township, world.root / f"{tag}-{village.area_code}")
        assert (again.applied, again.queued) == (0, 0)


def test_a_merged_child_kept_in_another_village_leaves_the_birth_with_its_mother(
    world: World,
) -> None:
    first, second = _villages(world)
    hh = add_household(first, 1)
    mother = add_person(first, hh, "赵兰", birth_date="1980-03-03")
    child = add_person(first, hh, "孙强", sex=1, birth_date="2005-06-06", relationship=2)
    birth = records.insert(
        first,
        "birth",
        {"mother_id": mother, "child_id": child, "birth_date": "2005-06-06", "sex": 1},
    )
    kept = add_person(second, add_household(second, 1), "孙强", sex=1, birth_date="2005-06-06")
    _exchange(world, "start")
    t = world.township
    duplicates.merge_persons(t, kept, child, reason="同一人，在二村上学")
    # Saved in the first village meanwhile, not yet sent: must survive the update.
    records.update(first, "birth", birth, {"weight_g": 3100})

    got = _update(world, first, "back")
    assert got.applied >= 2  # the child's tombstone, the birth
    row = records.get(first, "birth", birth)
    assert (row["mother_id"], row["child_id"], row["weight_g"]) == (mother, None, 3100)
    assert records.get(first, "person", child)["deleted"] == 1
    _update(world, second, "back")
    assert second.query("SELECT id FROM birth") == []  # the birth stays with the mother
    # The weight reaches the township; the township still knows the child.
    send(first, t, world.root / "weight")
    row = records.get(t, "birth", birth)
    assert (row["child_id"], row["weight_g"]) == (kept, 3100)
    _update(world, first, "again")
    _agree(world)
    _nothing_travels_back(world, "quiet")


def test_a_merged_husband_kept_in_another_village_becomes_a_spouse_from_elsewhere(
    world: World,
) -> None:
    first, second = _villages(world)
    number = _id("1985-01-01", 11)
    hh = add_household(first, 1)
    wife = add_person(first, hh, "李芳", birth_date="1986-02-02", marital_status=20)
    husband = add_person(
        first, hh, "张伟", sex=1, birth_date="1985-01-01", id_number=number, relationship=1
    )
    records.update(first, "household", hh, {"head_id": husband})
    marriage = records.insert(
        first, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2008-05-01"}
    )
    birth = records.insert(
        first,
        "birth",
        {
            "mother_id": wife,
            "father_id": husband,
            "marriage_id": marriage,
            "birth_date": "2010-07-07",
            "sex": 2,
        },
    )
    method = records.insert(
        first,
        "contraception",
        {
            "woman_id": wife,
            "user_id": husband,
            "method": "male_sterilisation",
            "started_on": "2012-01-01",
        },
    )
    kept = add_person(
        second, add_household(second, 1), "张伟", sex=1, birth_date="1985-01-01", id_number=number
    )
    _exchange(world, "start")
    t = world.township
    [pair] = duplicates.candidates(t)
    duplicates.merge_persons(
        t, kept, husband, {"id_number"}, reason="同一人，户口在二村", conflict_ids=pair.conflict_ids
    )

    _update(world, first, "back")
    row = records.get(first, "marriage", marriage)
    assert (row["wife_id"], row["husband_id"]) == (wife, None)
    assert (row["outside_spouse_name"], row["outside_spouse_id_number"]) == ("张伟", number)
    assert records.get(first, "birth", birth)["father_id"] is None
    assert records.get(first, "birth", birth)["marriage_id"] == marriage
    assert records.get(first, "contraception", method)["user_id"] is None
    assert records.get(first, "household", hh)["head_id"] is None
    # The kept husband's village holds the marriage too, the wife named as from elsewhere.
    _update(world, second, "back")
    row = records.get(second, "marriage", marriage)
    assert (row["wife_id"], row["husband_id"], row["outside_spouse_name"]) == (None, kept, "李芳")
    assert second.query("SELECT id FROM birth") == []
    # The township keeps both spouses linked.
    row = records.get(t, "marriage", marriage)
    assert (row["wife_id"], row["husband_id"]) == (wife, kept)
    _agree(world)
    _nothing_travels_back(world, "quiet")

    # A later correction of the husband's name reaches the wife's village as well.
    records.update(t, "person", kept, {"name": "张威"})
    _update(world, first, "renamed")
    assert records.get(first, "marriage", marriage)["outside_spouse_name"] == "张威"
    _update(world, second, "renamed")
    _agree(world)

    # The wife's village records the divorce: the township takes it, keeping the link.
    records.update(first, "marriage", marriage, {"ended_on": "2026-01-01", "end_reason": "divorce"})
    [got] = send(first, t, world.root / "divorce")
    assert (got.applied, got.queued) == (1, 0)
    row = records.get(t, "marriage", marriage)
    assert (row["husband_id"], row["ended_on"]) == (kept, "2026-01-01")
    for village in (first, second):
        _update(world, village, "divorced")
    _agree(world)


def test_a_merged_mother_takes_her_birth_to_her_village_and_the_child_stays(
    world: World,
) -> None:
    first, second = _villages(world)
    number = _id("1992-04-05", 22)
    hh = add_household(first, 1)
    mother = add_person(first, hh, "王丽", birth_date="1992-04-05", id_number=number)
    child = add_person(first, hh, "王小丽", birth_date="2015-09-09", relationship=3)
    birth = records.insert(
        first,
        "birth",
        {"mother_id": mother, "child_id": child, "birth_date": "2015-09-09", "sex": 2},
    )
    visit = records.insert(
        first,
        "visit",
        {
            "person_id": mother,
            "visit_type": "postnatal",
            "visited_on": "2015-09-20",
            "follows_table": "birth",
            "follows_id": birth,
        },
    )
    kept = add_person(
        second, add_household(second, 1), "王丽", birth_date="1992-04-05", id_number=number
    )
    _exchange(world, "start")
    t = world.township
    duplicates.merge_persons(t, kept, mother, {"id_number"}, reason="同一人")

    _update(world, second, "back")
    row = records.get(second, "birth", birth)
    assert (row["mother_id"], row["child_id"]) == (kept, None)
    assert records.get(second, "visit", visit)["person_id"] == kept
    _update(world, first, "back")
    assert first.query("SELECT id FROM birth") == []
    assert first.query("SELECT id FROM visit") == []
    assert records.get(first, "person", child)["deleted"] == 0  # the child stays
    assert records.get(t, "birth", birth)["child_id"] == child
    _agree(world)
    _nothing_travels_back(world, "quiet")


def test_a_new_laptop_for_the_village_gets_the_same_view_in_its_snapshot(
    world: World,
) -> None:
    """A snapshot names no one the laptop will not hold, exactly as the updates do."""
    first, second = _villages(world)
    hh = add_household(first, 1)
    wife = add_person(first, hh, "陈梅", birth_date="1990-01-01")
    husband = add_person(first, hh, "刘军", sex=1, birth_date="1988-08-08")
    records.insert(
        first, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2012-05-01"}
    )
    kept = add_person(second, add_household(second, 1), "刘军", sex=1, birth_date="1988-08-08")
    _exchange(world, "start")
    duplicates.merge_persons(world.township, kept, husband, reason="同一人")
    _update(world, first, "back")
    _update(world, second, "back")
    [made] = send(world.township, first, world.root / "snap", snapshot=True)
    assert made.outcome in ("accepted", "duplicate"), made.reason
    _agree(world)


def test_unmerge_brings_the_records_back_to_the_first_village(world: World) -> None:
    first, second = _villages(world)
    number = _id("1985-01-01", 11)
    hh = add_household(first, 1)
    wife = add_person(first, hh, "李芳", birth_date="1986-02-02", id_number=_id("1986-02-02", 22))
    husband = add_person(first, hh, "张伟", sex=1, birth_date="1985-01-01", id_number=number)
    marriage = records.insert(
        first, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2008-05-01"}
    )
    birth = records.insert(
        first,
        "birth",
        {"mother_id": wife, "father_id": husband, "birth_date": "2010-07-07", "sex": 2},
    )
    kept_home = add_household(second, 1)
    kept = add_person(second, kept_home, "李芳", birth_date="1986-02-02")
    _exchange(world, "start")
    t = world.township
    merge_id = duplicates.merge_persons(t, kept, wife, reason="同一人")
    for village in (first, second):
        _update(world, village, "merged")
    # The wife's records went with her; the husband keeps the marriage, wife from elsewhere.
    assert first.query("SELECT id FROM birth") == []
    row = records.get(first, "marriage", marriage)
    spouses = (row["wife_id"], row["husband_id"], row["outside_spouse_name"])
    assert spouses == (None, husband, "李芳")
    row = records.get(second, "birth", birth)
    assert (row["mother_id"], row["father_id"]) == (kept, None)
    _agree(world)

    duplicates.unmerge(t, merge_id, reason="核实后不是同一人")
    for village in (first, second):
        _update(world, village, "unmerged")
    row = records.get(first, "marriage", marriage)
    assert (row["wife_id"], row["husband_id"], row["outside_spouse_name"]) == (wife, husband, None)
    row = records.get(first, "birth", birth)
    assert (row["mother_id"], row["father_id"]) == (wife, husband)
    assert second.query("SELECT id FROM birth") == []
    assert second.query("SELECT id FROM marriage") == []
    assert records.get(first, "person", wife)["deleted"] == 0
    _agree(world)
    _nothing_travels_back(world, "quiet")
