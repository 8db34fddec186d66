"""Duplicate persons across villages: found with a reason, merged, un-merged, sent back."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpdesk.core.idnumber import check_char
from fpdesk.store import records
from fpdesk.sync import conflicts, duplicates
from fpdesk.sync.errors import SyncError
from tests.sync.helpers import World, add_household, add_person, area_state, send


def _id(birth: str, seq: int) -> str:
    first17 = f"450102{birth.replace('-', '')}{seq:03d}"
    return first17 + check_char(first17)


def _villages(world: World):  # type: ignore[no-untyped-def]
    return [world.villages[c] for c in sorted(world.villages)]


def _same_person_twice(world: World) -> tuple[str, str, str]:
    """王丽 in both villages with the same ID number; the first village records a visit."""
    first, second = _villages(world)
    number = _id("1992-04-05", 22)
    a = add_person(
        first,
        add_household(first, 1),
        "王丽",
        birth_date="1992-04-05",
        id_number=number,
        phone="111",
    )
    records.insert(
        first, "visit", {"person_id": a, "visit_type": "postnatal", "visited_on": "2026-11-02"}
    )
    b = add_person(
        second,
        add_household(second, 1),
        "王丽",
        birth_date="1992-04-05",
        id_number=number,
        phone="222",
    )
    send(first, world.township, world.root / "a")
    send(second, world.township, world.root / "b")
    return a, b, number


def test_the_same_id_number_in_two_villages_is_a_candidate_with_its_reason(world: World) -> None:
    a, b, _ = _same_person_twice(world)
    [pair] = duplicates.candidates(world.township)
    assert pair.key == tuple(sorted((a, b)))
    assert pair.reason == duplicates.SAME_ID_NUMBER
    assert pair.reason_text.en == "same ID number"
    # The second came in without the number (the unique index holds); the flag says why.
    assert records.get(world.township, "person", b)["id_number"] is None
    assert len(pair.conflict_ids) == 1


def test_same_name_birth_and_mother_is_found_by_the_scan(world: World) -> None:
    first, second = _villages(world)
    for reg in (first, second):
        hh = add_household(reg, 5)
        mother = add_person(reg, hh, "赵兰", birth_date="1960-01-01")
        child = add_person(reg, hh, "孙强", sex=1, birth_date="1985-06-06")
        records.insert(
            reg,
            "birth",
            {"mother_id": mother, "child_id": child, "birth_date": "1985-06-06", "sex": 1},
        )
    send(first, world.township, world.root / "a")
    send(second, world.township, world.root / "b")
    t = world.township
    flagged = {c.a["name"]: c.reason for c in duplicates.candidates(t)}
    assert flagged == {
        "赵兰": duplicates.SAME_NAME_BIRTH,
        "孙强": duplicates.SAME_NAME_BIRTH_MOTHER,
    }
    for c in conflicts.open_conflicts(t):  # the flags closed without a merge
        conflicts.resolve(t, c["id"], "township")
    assert duplicates.candidates(t) == []
    # The scan of the whole register still finds the child (same mother's name).
    [pair] = duplicates.candidates(t, scan=True)
    assert (pair.a["name"], pair.reason, pair.conflict_ids) == (
        "孙强",
        duplicates.SAME_NAME_BIRTH_MOTHER,
        [],
    )
    duplicates.dismiss(t, pair.a["id"], pair.b["id"], [])
    assert duplicates.candidates(t, scan=True) == []


def test_merge_takes_chosen_values_repoints_records_and_travels_to_both_villages(
    world: World,
) -> None:
    first, second = _villages(world)
    a, b, number = _same_person_twice(world)
    [pair] = duplicates.candidates(world.township)
    # Keep the second village's person (it lacks the number) with the first one's number.
    merge_id = duplicates.merge_persons(
        world.township,
        b,
        a,
        {"id_number"},
        reason="同一人，已电话核实",
        conflict_ids=pair.conflict_ids,
    )
    t = world.township
    survivor, tomb = records.get(t, "person", b), records.get(t, "person", a)
    assert (survivor["id_number"], survivor["phone"], survivor["deleted"]) == (number, "222", 0)
    assert tomb["deleted"] == 1 and b in tomb["note"]
    assert t.query("SELECT person_id FROM visit")[0]["person_id"] == b
    assert conflicts.open_conflicts(t) == []
    assert duplicates.candidates(t) == []
    # History kept on both records.
    assert len(records.history(t, a)) >= 2 and len(records.history(t, b)) >= 2
    # Both villages hear of it in their next update.
    for village in (first, second):
        send(t, village, world.root / f"back-{village.area_code}")
    assert records.get(first, "person", a)["deleted"] == 1
    # The visit now belongs to the survivor, so it travels to the survivor's village.
    visit = t.query("SELECT id FROM visit")[0]["id"]
    assert records.get(second, "visit", visit)["person_id"] == b
    assert area_state(second, second.area_code) == area_state(t, second.area_code)
    assert [m["id"] for m in duplicates.merges(t)] == [merge_id]


def test_unmerge_restores_both_and_points_records_back(world: World, tmp_path: Path) -> None:
    first, _second = _villages(world)
    a, b, _ = _same_person_twice(world)
    t = world.township
    before = {p: records.get(t, "person", p) for p in (a, b)}
    [pair] = duplicates.candidates(t)
    merge_id = duplicates.merge_persons(
        t, b, a, {"id_number"}, reason="核实", conflict_ids=pair.conflict_ids
    )
    duplicates.unmerge(t, merge_id, reason="核实后不是同一人")
    assert {p: records.get(t, "person", p) for p in (a, b)} == before
    assert t.query("SELECT person_id FROM visit")[0]["person_id"] == a
    assert len(conflicts.open_conflicts(t)) == 1  # the question is open again
    assert duplicates.merges(t) == []
    with pytest.raises(SyncError):
        duplicates.unmerge(t, merge_id, reason="核实后不是同一人")
    send(t, first, tmp_path / "back")
    assert area_state(first, first.area_code) == area_state(t, first.area_code)


def test_unmerge_refuses_after_the_survivor_was_edited(world: World) -> None:
    a, b, _ = _same_person_twice(world)
    t = world.township
    merge_id = duplicates.merge_persons(t, b, a, {"id_number"}, reason="核实")
    records.update(t, "person", b, {"id_number": None})
    with pytest.raises(SyncError) as caught:
        duplicates.unmerge(t, merge_id, reason="核实后不是同一人")
    assert "id_number" in caught.value.text.en


def test_merge_refuses_bad_requests_and_writes_nothing(world: World) -> None:
    a, b, _ = _same_person_twice(world)
    t = world.township
    seq = t.query("SELECT max(seq) AS s FROM change_log")[0]["s"]
    for args, kwargs in (
        ((a, a), {"reason": "x"}),
        ((a, b), {"reason": " "}),
        ((a, "nobody"), {"reason": "x"}),
        ((a, b, {"id"}), {"reason": "x"}),
    ):
        with pytest.raises(SyncError):
            duplicates.merge_persons(t, *args, **kwargs)  # type: ignore[arg-type]
    assert t.query("SELECT max(seq) AS s FROM change_log")[0]["s"] == seq


def test_dismissed_pair_is_not_offered_again(world: World) -> None:
    a, b, _ = _same_person_twice(world)
    t = world.township
    [pair] = duplicates.candidates(t)
    duplicates.dismiss(t, a, b, pair.conflict_ids)
    assert duplicates.candidates(t) == []


def test_the_old_village_hears_that_the_merged_persons_records_moved_away(
    world: World,
) -> None:
    """Kept in the second village: the first village's copy must lose the visit that now
    belongs to the second village's person, and keep the tombstone pointing to it."""
    first, second = _villages(world)
    a, b, _ = _same_person_twice(world)
    # Both villages have heard from the township once (acknowledged), before the merge.
    for village in (first, second):
        send(world.township, village, world.root / f"ack-{village.area_code}")
    t = world.township
    [visit] = [r["id"] for r in t.query("SELECT id FROM visit")]
    duplicates.merge_persons(t, b, a, reason="同一人")
    assert area_state(first, first.area_code) != area_state(t, first.area_code)
    for village in (first, second):
        [got] = send(t, village, world.root / f"back-{village.area_code}")
        assert got.outcome == "accepted", got.reason
    tomb = records.get(first, "person", a)
    assert tomb["deleted"] == 1 and b in tomb["note"]
    assert first.query("SELECT * FROM visit WHERE id = ?", (visit,)) == []
    assert records.get(second, "visit", visit)["person_id"] == b
    for village in (first, second):
        assert area_state(village, village.area_code) == area_state(t, village.area_code)
    # Nothing of this travels back as the village's own change.
    [again] = send(first, t, world.root / "again")
    assert (again.applied, again.queued) == (0, 0)
