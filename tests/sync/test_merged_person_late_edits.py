"""A village's work on a person the township has merged away, sent before the village
heard of the merge: it must reach the kept person, not the tombstone."""

from __future__ import annotations

from fpdesk.store import records
from fpdesk.sync import conflicts, duplicates
from tests.sync.helpers import World, add_household, add_person, area_state, send


def _merged_before_the_village_hears(world: World) -> tuple[str, str, str]:
    """王丽 in both villages; the township keeps the second village's record."""
    first, second = (world.villages[c] for c in sorted(world.villages))
    a = add_person(first, add_household(first, 1), "王丽", birth_date="1992-04-05", phone="111")
    b = add_person(second, add_household(second, 1), "王丽", birth_date="1992-04-05", phone="111")
    for village in (first, second):
        send(village, world.township, world.root / f"in-{village.area_code}")
        send(world.township, village, world.root / f"ack-{village.area_code}")
    [pair] = duplicates.candidates(world.township)
    merge_id = duplicates.merge_persons(
        world.township, b, a, reason="同一人", conflict_ids=pair.conflict_ids
    )
    return a, b, merge_id


def test_new_records_and_edits_of_the_merged_away_person_reach_the_kept_person(
    world: World,
) -> None:
    first, second = (world.villages[c] for c in sorted(world.villages))
    t = world.township
    a, b, _ = _merged_before_the_village_hears(world)
    # The first village works on 王丽 as it knows her.
    visit = records.insert(
        first, "visit", {"person_id": a, "visit_type": "postnatal", "visited_on": "2026-11-02"}
    )
    episode = records.insert(
        first, "contraception", {"woman_id": a, "method": "iud", "started_on": "2026-11-02"}
    )
    records.update(first, "person", a, {"phone": "333", "residence_place": "东街1号"})
    [got] = send(first, t, world.root / "late")
    assert got.outcome == "accepted", got.reason
    assert records.get(t, "visit", visit)["person_id"] == b
    assert records.get(t, "contraception", episode)["woman_id"] == b
    kept = records.get(t, "person", b)
    assert (kept["phone"], kept["residence_place"]) == ("333", "东街1号")
    assert records.get(t, "person", a)["deleted"] == 1
    assert conflicts.open_conflicts(t) == []
    # One round trip: every copy agrees; the first village lets the records go.
    for village in (first, second):
        [back] = send(t, village, world.root / f"back-{village.area_code}")
        assert back.outcome == "accepted", back.reason
    assert first.query("SELECT id FROM visit WHERE id = ?", (visit,)) == []
    assert records.get(second, "visit", visit)["person_id"] == b
    assert records.get(second, "contraception", episode)["woman_id"] == b
    assert records.get(second, "person", b)["phone"] == "333"
    assert records.get(first, "person", a)["deleted"] == 1
    for village in (first, second):
        assert area_state(village, village.area_code) == area_state(t, village.area_code)
    [again] = send(first, t, world.root / "again")
    assert (again.applied, again.queued) == (0, 0)


def test_a_clashing_edit_of_the_merged_away_person_is_asked_about_the_kept_person(
    world: World,
) -> None:
    first, _second = (world.villages[c] for c in sorted(world.villages))
    t = world.township
    a, b, _ = _merged_before_the_village_hears(world)
    records.update(t, "person", b, {"phone": "999"})
    records.update(first, "person", a, {"phone": "333"})
    [got] = send(first, t, world.root / "late")
    assert got.queued == 1
    [question] = conflicts.open_conflicts(t)
    assert (question["kind"], question["row_id"], question["field"]) == (
        duplicates.MERGED_FIELD,
        b,
        "phone",
    )
    assert "merged" in duplicates.CONFLICT_KINDS[duplicates.MERGED_FIELD].en
    assert records.get(t, "person", b)["phone"] == "999"
    conflicts.resolve(t, question["id"], "village")
    assert records.get(t, "person", b)["phone"] == "333"


def test_unmerge_points_records_that_arrived_after_the_merge_back(world: World) -> None:
    first, _second = (world.villages[c] for c in sorted(world.villages))
    t = world.township
    a, b, merge_id = _merged_before_the_village_hears(world)
    visit = records.insert(
        first, "visit", {"person_id": a, "visit_type": "postnatal", "visited_on": "2026-11-02"}
    )
    send(first, t, world.root / "late")
    assert records.get(t, "visit", visit)["person_id"] == b
    duplicates.unmerge(t, merge_id, reason="核实后不是同一人")
    assert records.get(t, "visit", visit)["person_id"] == a
    assert records.get(t, "person", a)["deleted"] == 0
    send(t, first, world.root / "back")
    assert area_state(first, first.area_code) == area_state(t, first.area_code)
