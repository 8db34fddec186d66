"""A person the clerk moves at the township into a household of another village: the
old village lets her and her records go, the new village receives them."""

from __future__ import annotations

from fpdesk.store import records
from tests.sync.helpers import World, add_household, add_person, area_state, send


def test_a_person_moved_to_another_villages_household_leaves_the_old_village(
    world: World,
) -> None:
    first, second = (world.villages[c] for c in sorted(world.villages))
    t = world.township
    her = add_person(first, add_household(first, 1), "李芳", birth_date="1995-03-03")
    visit = records.insert(
        first, "visit", {"person_id": her, "visit_type": "postnatal", "visited_on": "2026-11-02"}
    )
    there = add_household(second, 1)
    for village in (first, second):
        send(village, t, world.root / f"in-{village.area_code}")
        send(t, village, world.root / f"ack-{village.area_code}")
    records.update(t, "person", her, {"household_id": there})
    for village in (first, second):
        [got] = send(t, village, world.root / f"back-{village.area_code}")
        assert got.outcome == "accepted", got.reason
    assert first.query("SELECT id FROM person WHERE id = ?", (her,)) == []
    assert first.query("SELECT id FROM visit WHERE id = ?", (visit,)) == []
    assert records.get(second, "person", her)["household_id"] == there
    assert records.get(second, "visit", visit)["person_id"] == her
    for village in (first, second):
        assert area_state(village, village.area_code) == area_state(t, village.area_code)
    # Nothing of this travels back as either village's own change.
    for village in (first, second):
        [again] = send(village, t, world.root / f"again-{village.area_code}")
        assert (again.applied, again.queued) == (0, 0)


def test_a_wife_moved_away_leaves_her_marriage_with_the_husband_naming_her_as_outside(
    world: World,
) -> None:
    first, second = (world.villages[c] for c in sorted(world.villages))
    t = world.township
    hh = add_household(first, 1)
    husband = add_person(first, hh, "张伟", sex=1, birth_date="1990-01-01")
    wife = add_person(first, hh, "李芳", birth_date="1995-03-03", id_number=None)
    records.update(first, "household", hh, {"head_id": wife})
    marriage = records.insert(
        first, "marriage", {"wife_id": wife, "husband_id": husband, "married_on": "2015-01-01"}
    )
    there = add_household(second, 1)
    for village in (first, second):
        send(village, t, world.root / f"in-{village.area_code}")
        send(t, village, world.root / f"ack-{village.area_code}")
    records.update(t, "person", wife, {"household_id": there})
    for village in (first, second):
        [got] = send(t, village, world.root / f"back-{village.area_code}")
        assert got.outcome == "accepted", got.reason
    assert first.query("SELECT id FROM person WHERE id = ?", (wife,)) == []
    kept = records.get(first, "marriage", marriage)
    assert (kept["wife_id"], kept["husband_id"], kept["outside_spouse_name"]) == (
        None,
        husband,
        "李芳",
    )
    assert records.get(first, "household", hh)["head_id"] is None
    for village in (first, second):
        assert area_state(village, village.area_code) == area_state(t, village.area_code)
