"""Village -> township -> village round trips with real registers and real bundle files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fpdesk.core import area
from fpdesk.store import records
from fpdesk.store.db import create_register, open_register
from fpdesk.sync import bundles, conflicts, keys, ledger
from fpdesk.sync.errors import SyncError
from tests.conftest import PASSPHRASE
from tests.sync.helpers import (
    World,
    add_household,
    add_person,
    area_state,
    count_rows,
    enroll,
    send,
)


def _village(world: World, n: int = 0):  # type: ignore[no-untyped-def]
    return list(world.villages.values())[n]


def test_changes_reach_the_township_and_an_update_brings_agreement(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1, address="一组 3 号")
    p = add_person(v, hh, "王芳", id_number=None)
    [got] = send(v, world.township, world.root / "out")
    assert (got.outcome, got.applied, got.queued) == ("accepted", 2, 0)
    assert records.get(world.township, "person", p)["name"] == "王芳"
    [back] = send(world.township, v, world.root / "back")
    assert back.outcome == "accepted"
    assert area_state(v, v.area_code) == area_state(world.township, v.area_code)


def test_imported_changes_are_marked_and_not_sent_back_as_village_edits(world: World) -> None:
    v = _village(world)
    add_household(v, 1)
    send(v, world.township, world.root / "out")
    origins = world.township.query("SELECT DISTINCT origin FROM change_log")
    assert origins == [{"origin": f"village:{v.device_id}"}]
    records.update(
        world.township,
        "household",
        v.query("SELECT id FROM household")[0]["id"],
        {"phone": "0771-1"},
    )
    send(world.township, v, world.root / "back")
    # What the village took from the township is not in its next bundle.
    [made] = bundles.export(v, world.root / "again")
    assert made.count == 0


def test_same_bundle_twice_changes_nothing_the_second_time(world: World) -> None:
    v = _village(world)
    add_person(v, add_household(v, 1), "李丽")
    [made] = bundles.export(v, world.root / "out")
    first = bundles.import_files(world.township, [made.path])
    before = count_rows(world.township)
    again = bundles.import_files(world.township, [made.path])
    assert first[0].outcome == "accepted"
    assert again[0].outcome == "duplicate"
    assert again[0].reason is not None
    assert count_rows(world.township) == before


def test_a_lost_bundle_costs_nothing_because_bundles_accumulate(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1)
    bundles.export(v, world.root / "lost")  # never arrives
    p = add_person(v, hh, "张敏")
    [got] = send(v, world.township, world.root / "out")
    assert got.outcome == "accepted" and got.applied == 2
    assert records.get(world.township, "person", p) is not None


def test_overlapping_bundles_skip_what_was_applied(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1)
    [first] = bundles.export(v, world.root / "a")
    add_person(v, hh, "赵静")
    [second] = bundles.export(v, world.root / "b")
    assert first.after == second.after == 0
    results = bundles.import_files(world.township, [first.path, second.path])
    assert [r.outcome for r in results] == ["accepted", "accepted"]
    assert (results[1].applied, results[1].unchanged) == (1, 1)


def test_ack_travels_back_and_the_village_stops_resending(world: World) -> None:
    v = _village(world)
    add_household(v, 1)
    send(v, world.township, world.root / "out")
    send(world.township, v, world.root / "back")
    [made] = bundles.export(v, world.root / "next")
    assert made.after > 0 and made.count == 0


def test_gap_names_the_missing_range_and_applies_nothing(world: World) -> None:
    v = _village(world)
    add_household(v, 1)
    send(v, world.township, world.root / "out")
    send(world.township, v, world.root / "back")  # ack: the village moves its start on
    # The township is restored from an older copy: it has forgotten what it received.
    world.township.conn.execute("UPDATE sync_device SET received_upto = 0")
    world.township.conn.execute("DELETE FROM sync_received")
    add_household(v, 2)
    before = count_rows(world.township)
    [got] = send(v, world.township, world.root / "out2")
    assert got.outcome == "gap"
    assert "1" in got.reason.en and "missing" in got.reason.en
    assert count_rows(world.township) == before


def test_same_sequence_other_content_is_a_fork_held_for_the_clerk(world: World) -> None:
    v = _village(world)
    add_household(v, 1, address="旧")
    send(v, world.township, world.root / "out")
    # Restored from an old backup: the change log is rewound and typed again differently.
    v.conn.execute("DELETE FROM change_log")
    v.conn.execute("DELETE FROM household")
    v.conn.execute("DELETE FROM sqlite_sequence WHERE name = 'change_log'")
    add_household(v, 1, address="新")
    before = count_rows(world.township)
    [got] = send(v, world.township, world.root / "out2")
    assert got.outcome == "fork"
    after = count_rows(world.township)
    assert after.pop("sync_held") == before.pop("sync_held") + 1
    assert after == before
    assert ledger.rows(world.township)[-1]["outcome"] == "fork"


def test_field_conflict_is_queued_with_the_same_id_on_reimport(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1, phone="111")
    send(v, world.township, world.root / "out")
    records.update(world.township, "household", hh, {"phone": "222"})
    records.update(v, "household", hh, {"phone": "333", "address": "新地址"})
    [made] = bundles.export(v, world.root / "out2")
    [got] = bundles.import_files(world.township, [made.path])
    assert got.queued == 1
    [conflict] = conflicts.open_conflicts(world.township)
    assert (conflict["base"], conflict["theirs"], conflict["ours"]) == ("111", "333", "222")
    # The clean field merged; the conflicting one kept the township's value.
    row = records.get(world.township, "household", hh)
    assert (row["address"], row["phone"]) == ("新地址", "222")
    assert conflicts.open_conflicts(world.township) == [conflict]


def test_the_same_bundle_gives_the_same_conflict_ids_in_any_copy(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1, phone="111")
    send(v, world.township, world.root / "out")
    records.update(world.township, "household", hh, {"phone": "222"})
    records.update(v, "household", hh, {"phone": "333"})
    [made] = bundles.export(v, world.root / "out2")
    world.township.close()
    twin_path = world.root / "twin.fpdesk"
    shutil.copy2(world.township.path, twin_path)
    world.township = open_register(world.township.path, PASSPHRASE)
    twin = open_register(twin_path, PASSPHRASE)
    try:
        bundles.import_files(world.township, [made.path])
        bundles.import_files(twin, [made.path])
        ids = [c["id"] for c in conflicts.open_conflicts(world.township)]
        assert len(ids) == 1
        assert [c["id"] for c in conflicts.open_conflicts(twin)] == ids
    finally:
        twin.close()


@pytest.mark.parametrize("take", ["village", "township", "value"])
def test_resolving_a_conflict_brings_both_copies_together(world: World, take: str) -> None:
    v = _village(world)
    hh = add_household(v, 1, phone="111")
    send(v, world.township, world.root / "out")
    send(world.township, v, world.root / "back0")
    records.update(world.township, "household", hh, {"phone": "222"})
    records.update(v, "household", hh, {"phone": "333"})
    send(v, world.township, world.root / "out2")
    [conflict] = conflicts.open_conflicts(world.township)
    conflicts.resolve(world.township, conflict["id"], take, "444", has_value=take == "value")
    expected = {"village": "333", "township": "222", "value": "444"}[take]
    send(world.township, v, world.root / "back")
    assert records.get(v, "household", hh)["phone"] == expected
    assert area_state(v, v.area_code) == area_state(world.township, v.area_code)
    assert conflicts.open_conflicts(world.township) == []
    with pytest.raises(SyncError):
        conflicts.resolve(world.township, conflict["id"], "village")


def test_village_edit_not_yet_seen_by_the_township_survives_an_update(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1, phone="111", address="a")
    send(v, world.township, world.root / "out")
    records.update(world.township, "household", hh, {"address": "b"})
    records.update(v, "household", hh, {"phone": "999"})  # not sent yet
    send(world.township, v, world.root / "back")
    row = records.get(v, "household", hh)
    assert (row["phone"], row["address"]) == ("999", "b")
    send(v, world.township, world.root / "out2")
    assert records.get(world.township, "household", hh)["phone"] == "999"


def test_delete_of_a_record_the_township_edited_is_held(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1)
    p = add_person(v, hh, "刘洋")
    send(v, world.township, world.root / "out")
    records.update(world.township, "person", p, {"phone": "138"})
    records.delete(v, "person", p)
    [got] = send(v, world.township, world.root / "out2")
    assert got.queued == 1
    [c] = conflicts.open_conflicts(world.township)
    assert (c["kind"], c["field"]) == ("delete_vs_edit", "deleted")
    assert records.get(world.township, "person", p)["deleted"] == 0


def test_edit_of_a_record_the_township_deleted_is_kept_and_flagged(world: World) -> None:
    v = _village(world)
    hh = add_household(v, 1)
    p = add_person(v, hh, "陈红")
    send(v, world.township, world.root / "out")
    records.delete(world.township, "person", p)
    records.update(v, "person", p, {"phone": "139"})
    send(v, world.township, world.root / "out2")
    row = records.get(world.township, "person", p)
    assert (row["deleted"], row["phone"]) == (1, "139")
    [c] = conflicts.open_conflicts(world.township)
    assert c["kind"] == "edit_of_deleted"
    conflicts.resolve(world.township, c["id"], "village")
    assert records.get(world.township, "person", p)["deleted"] == 0


def test_same_id_number_in_two_villages_is_queued_not_refused(world: World) -> None:
    a, b = _village(world, 0), _village(world, 1)
    number = "450102199001011234"
    pa = add_person(a, add_household(a, 1), "黄梅", id_number=number)
    pb = add_person(b, add_household(b, 1), "黄梅", id_number=number)
    send(a, world.township, world.root / "a")
    [got] = send(b, world.township, world.root / "b")
    assert got.outcome == "accepted" and got.queued == 1
    assert records.get(world.township, "person", pb)["id_number"] is None
    [c] = conflicts.open_conflicts(world.township)
    assert (c["kind"], c["other_row_id"]) == ("duplicate_id_number", pa)
    with pytest.raises(SyncError):
        conflicts.resolve(world.township, c["id"], "village")


def test_same_name_and_birth_date_in_two_villages_is_flagged(world: World) -> None:
    a, b = _village(world, 0), _village(world, 1)
    add_person(a, add_household(a, 1), "周芳", birth_date="1985-05-05")
    add_person(b, add_household(b, 1), "周芳", birth_date="1985-05-05")
    send(a, world.township, world.root / "a")
    [got] = send(b, world.township, world.root / "b")
    assert got.applied == 2
    [c] = conflicts.open_conflicts(world.township)
    assert c["kind"] == "possible_duplicate"
    conflicts.resolve(world.township, c["id"], "township")
    assert conflicts.open_conflicts(world.township) == []


def test_update_bundles_carry_only_the_villages_own_area(world: World) -> None:
    a, b = _village(world, 0), _village(world, 1)
    add_household(a, 1)
    add_household(b, 1)
    send(a, world.township, world.root / "a")
    send(b, world.township, world.root / "b")
    send(world.township, a, world.root / "back")
    assert {r["village_code"] for r in a.query("SELECT village_code FROM household")} == {
        a.area_code
    }


def test_snapshot_provisions_a_new_laptop_and_the_old_key_is_revoked(
    world: World, tmp_path: Path
) -> None:
    old = _village(world)
    hh = add_household(old, 1)
    add_person(old, hh, "吴兰")
    send(old, world.township, world.root / "out")
    keys.revoke(world.township, old.device_id)
    new = create_register(
        tmp_path / "new.fpdesk", PASSPHRASE, role="village", area_code=old.area_code
    )
    try:
        enroll(world.township, new, tmp_path)
        made = bundles.export(
            world.township, tmp_path / "snap", village_code=new.area_code, snapshot=True
        )
        assert [m.kind for m in made] == ["snapshot"]
        [got] = bundles.import_files(new, [made[0].path])
        assert got.outcome == "accepted"
        assert area_state(new, new.area_code) == area_state(world.township, new.area_code)
        [refused] = bundles.import_files(
            world.township, [bundles.export(old, tmp_path / "o")[0].path]
        )
        assert refused.outcome == "refused" and "revoked" in refused.reason.en
    finally:
        new.close()


def test_dry_run_writes_nothing(world: World) -> None:
    v = _village(world)
    add_household(v, 1)
    [made] = bundles.export(v, world.root / "out")
    before = count_rows(world.township)
    [got] = bundles.import_files(world.township, [made.path], dry_run=True)
    assert got.outcome == "accepted" and got.applied == 1
    assert count_rows(world.township) == before
    assert ledger.rows(world.township) == []


def test_export_at_the_township_needs_a_target(world: World) -> None:
    with pytest.raises(SyncError):
        bundles.export(world.township, world.root / "x")


def test_keeping_the_township_value_reaches_a_village_that_still_shows_its_own(
    world: World,
) -> None:
    v = _village(world)
    hh = add_household(v, 1, phone="111")
    send(v, world.township, world.root / "out")
    records.update(world.township, "household", hh, {"phone": "222"})
    records.update(v, "household", hh, {"phone": "333"})
    # The update arrives before the village's edit has reached the township: kept.
    send(world.township, v, world.root / "back")
    assert records.get(v, "household", hh)["phone"] == "333"
    send(v, world.township, world.root / "out2")
    [c] = conflicts.open_conflicts(world.township)
    conflicts.resolve(world.township, c["id"], "township")
    send(world.township, v, world.root / "back2")
    assert records.get(v, "household", hh)["phone"] == "222"
    assert area_state(v, v.area_code) == area_state(world.township, v.area_code)


def test_an_old_bundle_arriving_late_is_a_duplicate_not_a_fork(world: World) -> None:
    v = _village(world)
    [old] = bundles.export(v, world.root / "old")  # made before any change
    add_household(v, 1)
    send(v, world.township, world.root / "out")
    [late] = bundles.import_files(world.township, [old.path])
    assert late.outcome == "duplicate"


def test_an_id_number_passed_between_two_people_in_one_bundle(world: World) -> None:
    v = _village(world)
    number = "450102199001011234"
    hh = add_household(v, 1)
    first = add_person(v, hh, "甲", id_number=number)
    send(v, world.township, world.root / "out")
    with v.transaction():
        records.update(v, "person", first, {"id_number": None})
        second = add_person(v, hh, "乙", id_number=number)
    [got] = send(v, world.township, world.root / "out2")
    assert (got.outcome, got.queued) == ("accepted", 0)
    assert records.get(world.township, "person", second)["id_number"] == number
    assert records.get(world.township, "person", first)["id_number"] is None


def test_a_move_out_and_the_move_in_elsewhere_are_linked(world: World) -> None:
    a, b = _village(world, 0), _village(world, 1)
    number = "450102199202021228"
    leaving = add_person(a, add_household(a, 1), "孙燕", id_number=number)
    records.insert(
        a,
        "move",
        {
            "person_id": leaving,
            "kind": "transfer_out",
            "moved_on": "2026-10-01",
            "place": b.area_code,
        },
    )
    send(a, world.township, world.root / "a")
    arriving = add_person(b, add_household(b, 1), "孙燕", id_number=number)
    records.insert(
        b, "move", {"person_id": arriving, "kind": "transfer_in", "moved_on": "2026-10-02"}
    )
    [got] = send(b, world.township, world.root / "b")
    assert got.outcome == "accepted" and got.queued == 1
    [link] = conflicts.open_conflicts(world.township)
    assert (link["kind"], link["row_id"], link["other_row_id"]) == ("moved_in", arriving, leaving)
    # The clerk gives the number to the new record once the old one no longer holds it.
    records.update(world.township, "person", leaving, {"id_number": None})
    conflicts.resolve(world.township, link["id"], "village")
    assert records.get(world.township, "person", arriving)["id_number"] == number


def test_a_marriage_across_villages_entered_at_the_township_fits_both_villages(
    world: World,
) -> None:
    """Each village holds its own spouse; the other is named as a spouse from elsewhere."""
    a, b = _village(world, 0), _village(world, 1)
    wife = add_person(a, add_household(a, 1), "林静")
    husband = add_person(b, add_household(b, 1), "郑伟", sex=1)
    send(a, world.township, world.root / "a")
    send(b, world.township, world.root / "b")
    marriage = records.insert(
        world.township,
        "marriage",
        {"wife_id": wife, "husband_id": husband, "married_on": "2020-05-01"},
    )
    for v, expected in ((a, (wife, None, "郑伟")), (b, (None, husband, "林静"))):
        [got] = send(world.township, v, world.root / f"back-{v.area_code}")
        assert got.outcome == "accepted", got.reason
        row = records.get(v, "marriage", marriage)
        assert (row["wife_id"], row["husband_id"], row["outside_spouse_name"]) == expected
        assert area_state(v, v.area_code) == area_state(world.township, v.area_code)
    assert records.get(world.township, "marriage", marriage)["husband_id"] == husband


def test_an_update_that_cannot_fit_is_refused_whole(world: World) -> None:
    a = _village(world, 0)
    add_person(a, add_household(a, 1), "林静")
    send(a, world.township, world.root / "a")
    # The clerk enters a household for village A under the code the officer has just
    # given a new household of her own, not sent yet: both cannot be in A's register.
    records.insert(
        world.township,
        "household",
        {
            "code": area.household_code(a.area_code, 1, 2),
            "village_code": a.area_code,
            "group_no": "01",
        },
    )
    add_household(a, 2)
    before = count_rows(a)
    [got] = send(world.township, a, world.root / "back")
    assert got.outcome == "refused" and "does not fit" in got.reason.en
    after = count_rows(a)
    assert after == before
