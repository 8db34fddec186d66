"""The township takes from a village laptop only changes to that village's records.

Each hostile bundle is signed with village A's real enrolled key and reaches into
village B: the whole bundle is refused (its good change too), the ledger names the
offending record, no register row changes, and B's next update carries nothing of it.
Honest cross-village links (a spouse from elsewhere, a person the clerk moved away)
still pass.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fpdesk.core.ids import new_id
from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.sync import bundles, held, rows
from fpdesk.sync.errors import SyncError
from tests.sync.helpers import World, add_household, add_person, area_state, send
from tests.sync.test_hostile import craft, fingerprint_of


@pytest.fixture
def two(world: World) -> tuple[World, Register, Register, dict[str, str]]:
    """Villages A and B, each with a household, a woman and a visit, all exchanged."""
    a, b = (world.villages[c] for c in sorted(world.villages))
    ids: dict[str, str] = {}
    for tag, village in (("a", a), ("b", b)):
        ids[f"{tag}_hh"] = add_household(village, 1)
        ids[f"{tag}_woman"] = add_person(village, ids[f"{tag}_hh"], f"{tag}芳", id_number=None)
        ids[f"{tag}_visit"] = records.insert(
            village,
            "visit",
            {
                "person_id": ids[f"{tag}_woman"],
                "visit_type": "postnatal",
                "visited_on": "2026-11-02",
            },
        )
    for village in (a, b):
        send(village, world.township, world.root / f"in-{village.area_code}")
        send(world.township, village, world.root / f"ack-{village.area_code}")
    return world, a, b, ids


def _row(reg: Register, table: str, row_id: str) -> dict[str, Any]:
    found = rows.get_row(reg, table, row_id)
    assert found is not None
    return found


def _hostile(world: World, a: Register, items: list[list[Any]], name: str) -> Path:
    """A bundle of A's real key holding `items` (seq filled in after what was received)."""
    received = world.township.conn.execute(
        "SELECT received_upto FROM sync_device WHERE device_id = ?", (a.device_id,)
    ).fetchone()[0]
    numbered = [[received + n + 1, *item] for n, item in enumerate(items)]
    payload = json.dumps({"changes": numbered}, ensure_ascii=False).encode()
    data = craft(
        a,
        world.township,
        payload=payload,
        overrides={"after": received, "upto": received + len(items)},
    )
    path = world.root / name
    path.write_bytes(data)
    return path


def _update(table: str, old: dict[str, Any], **new: Any) -> list[Any]:
    return [table, old["id"], "update", old, {**old, **new}, "2026-11-30T00:00:00Z", "村干部"]


def _insert(table: str, new: dict[str, Any]) -> list[Any]:
    return [table, new["id"], "insert", None, new, "2026-11-30T00:00:00Z", "村干部"]


def _delete(table: str, old: dict[str, Any]) -> list[Any]:
    return [table, old["id"], "delete", old, None, "2026-11-30T00:00:00Z", "村干部"]


def _refused(world: World, b: Register, path: Path, offending: str) -> None:
    t = world.township
    before = fingerprint_of(t)
    [result] = bundles.import_files(t, [path])
    assert result.outcome == "refused", result.reason
    assert result.reason is not None and offending in result.reason.en
    assert offending in result.reason.zh and "outside the sending laptop's village" in (
        result.reason.en
    )
    assert fingerprint_of(t) == before
    [entry] = t.query("SELECT * FROM sync_ledger WHERE file_name = ?", (path.name,))
    assert entry["outcome"] == "refused" and offending in entry["reason_en"]
    # Village B's next update carries nothing of it.
    b_before = area_state(b, b.area_code)
    [got] = send(t, b, world.root / f"after-{path.stem}")
    assert got.outcome in ("accepted", "duplicate")
    assert area_state(b, b.area_code) == b_before == area_state(t, b.area_code)


def _an_honest_change(a: Register, ids: dict[str, str]) -> list[Any]:
    """Listed first in every hostile bundle: it must not be applied either."""
    return _update("person", _row(a, "person", ids["a_woman"]), phone="13800000000")


def test_editing_a_person_of_another_village_refuses_the_whole_bundle(two: Any) -> None:
    world, a, b, ids = two
    theirs = _row(world.township, "person", ids["b_woman"])
    path = _hostile(
        world,
        a,
        [_an_honest_change(a, ids), _update("person", theirs, name="改名")],
        "edit-b.fpb",
    )
    _refused(world, b, path, ids["b_woman"])
    assert _row(world.township, "person", ids["a_woman"])["phone"] is None


def test_inserting_a_household_in_another_village_is_refused(two: Any) -> None:
    world, a, b, _ = two
    household = {
        "id": new_id(),
        "code": b.area_code + "010099",
        "village_code": b.area_code,
        "group_no": "01",
        "deleted": 0,
    }
    path = _hostile(world, a, [_insert("household", household)], "insert-hh-b.fpb")
    _refused(world, b, path, household["id"])


def test_inserting_a_person_into_another_villages_household_is_refused(two: Any) -> None:
    world, a, b, ids = two
    person = {
        "id": new_id(),
        "household_id": ids["b_hh"],
        "name": "外人",
        "sex": 1,
        "birth_date": "1980-01-01",
        "deleted": 0,
    }
    path = _hostile(world, a, [_insert("person", person)], "insert-person-b.fpb")
    _refused(world, b, path, person["id"])


def test_tombstoning_another_villages_household_is_refused(two: Any) -> None:
    world, a, b, ids = two
    theirs = _row(world.township, "household", ids["b_hh"])
    path = _hostile(world, a, [_delete("household", theirs)], "tombstone-b.fpb")
    _refused(world, b, path, ids["b_hh"])


def test_deleting_an_unknown_household_of_another_village_is_refused(two: Any) -> None:
    """The township keeps a deletion of a row it never had as a tombstone: in B here."""
    world, a, b, _ = two
    ghost = {
        "id": new_id(),
        "code": b.area_code + "010098",
        "village_code": b.area_code,
        "group_no": "01",
        "deleted": 0,
    }
    path = _hostile(world, a, [_delete("household", ghost)], "ghost-b.fpb")
    _refused(world, b, path, ghost["id"])


def test_moving_own_person_into_another_villages_household_is_refused(two: Any) -> None:
    world, a, b, ids = two
    ours = _row(a, "person", ids["a_woman"])
    path = _hostile(
        world, a, [_update("person", ours, household_id=ids["b_hh"])], "move-into-b.fpb"
    )
    _refused(world, b, path, ids["a_woman"])


def test_a_visit_for_another_villages_person_is_refused(two: Any) -> None:
    world, a, b, ids = two
    visit = {
        "id": new_id(),
        "person_id": ids["b_woman"],
        "visit_type": "postnatal",
        "visited_on": "2026-11-20",
        "deleted": 0,
    }
    path = _hostile(world, a, [_insert("visit", visit)], "visit-b.fpb")
    _refused(world, b, path, visit["id"])


def test_taking_another_villages_visit_over_is_refused(two: Any) -> None:
    """Re-pointing B's visit at A's woman would make it A's: judged by the row before."""
    world, a, b, ids = two
    theirs = _row(world.township, "visit", ids["b_visit"])
    path = _hostile(
        world, a, [_update("visit", theirs, person_id=ids["a_woman"])], "steal-visit.fpb"
    )
    _refused(world, b, path, ids["b_visit"])


def test_marrying_another_villages_person_by_id_is_refused(two: Any) -> None:
    world, a, b, ids = two
    marriage = {
        "id": new_id(),
        "wife_id": ids["b_woman"],
        "husband_id": None,
        "married_on": "2020-01-01",
        "deleted": 0,
    }
    own_man = add_person(a, ids["a_hh"], "张伟", sex=1, id_number=None)
    man = _row(a, "person", own_man)
    path = _hostile(
        world,
        a,
        [_insert("person", man), _insert("marriage", {**marriage, "husband_id": own_man})],
        "marry-b.fpb",
    )
    _refused(world, b, path, marriage["id"])


def test_a_spouse_from_another_village_named_as_such_passes(two: Any) -> None:
    """The honest way: the village names a spouse from elsewhere in outside_spouse_*."""
    world, a, b, ids = two
    man = add_person(a, ids["a_hh"], "张伟", sex=1, id_number=None)
    marriage = records.insert(
        a,
        "marriage",
        {
            "husband_id": man,
            "outside_spouse_name": "b芳",
            "outside_spouse_address": b.area_code,
            "married_on": "2020-01-01",
        },
    )
    child = add_person(a, ids["a_hh"], "张小宝", birth_date="2024-05-01", id_number=None)
    birth = records.insert(
        a,
        "birth",
        {
            "mother_id": ids["a_woman"],
            "child_id": child,
            "birth_date": "2024-05-01",
            "sex": 1,
        },
    )
    [got] = send(a, world.township, world.root / "honest")
    assert got.outcome == "accepted", got.reason
    assert _row(world.township, "marriage", marriage)["outside_spouse_name"] == "b芳"
    assert _row(world.township, "birth", birth)["father_id"] is None


def test_work_on_a_person_the_clerk_moved_away_still_passes(two: Any) -> None:
    """A's officer edits her before A hears that the clerk moved her to B: honest."""
    world, a, _b, ids = two
    records.update(world.township, "person", ids["a_woman"], {"household_id": ids["b_hh"]})
    records.update(a, "person", ids["a_woman"], {"phone": "13900000000"})
    records.insert(
        a,
        "visit",
        {"person_id": ids["a_woman"], "visit_type": "postnatal", "visited_on": "2026-11-21"},
    )
    [got] = send(a, world.township, world.root / "late-work")
    assert got.outcome == "accepted", got.reason
    assert _row(world.township, "person", ids["a_woman"])["phone"] == "13900000000"
    assert _row(world.township, "person", ids["a_woman"])["household_id"] == ids["b_hh"]


def test_a_held_fork_reaching_into_another_village_cannot_be_applied(two: Any) -> None:
    """A fork is held whole, unread; releasing it meets the same check, and nothing
    changes until the clerk discards it."""
    world, a, _b, ids = two
    t = world.township
    theirs = _row(t, "person", ids["b_woman"])
    item = [1, *_update("person", theirs, name="改名")]
    payload = json.dumps({"changes": [item]}, ensure_ascii=False).encode()
    path = world.root / "fork-b.fpb"
    path.write_bytes(craft(a, t, payload=payload, overrides={"after": 0, "upto": 1}))
    [result] = bundles.import_files(t, [path])
    assert result.outcome == "fork"
    [waiting] = held.held_bundles(t)
    before = fingerprint_of(t)
    with pytest.raises(SyncError) as previewed:
        held.preview(t, waiting.held_id)
    assert "outside the sending laptop's village" in previewed.value.text.en
    with pytest.raises(SyncError) as applied:
        held.apply(t, waiting.held_id)
    assert ids["b_woman"] in applied.value.text.en
    assert fingerprint_of(t) == before
    held.discard(t, waiting.held_id, reason="另一个村的记录")
    assert _row(t, "person", ids["b_woman"])["name"] == theirs["name"]
