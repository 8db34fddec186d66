"""The clerk's decisions: who, when and why, kept in the history and sent to the
village concerned with the values they chose."""

from __future__ import annotations

import json

import pytest

from fpdesk.store import records
from fpdesk.sync import bundles, clerk, conflicts, decisions, duplicates, ledger
from fpdesk.sync.errors import SyncError
from tests.sync.helpers import World, add_household, add_person, send


def _conflict(world: World) -> tuple[str, str]:
    code = sorted(world.villages)[0]
    v = world.villages[code]
    hh = add_household(v, 1, address="旧址")
    send(v, world.township, world.root / "a")
    send(world.township, v, world.root / "a-back")
    records.update(world.township, "household", hh, {"address": "乡里改的"})
    records.update(v, "household", hh, {"address": "村里改的"})
    send(v, world.township, world.root / "b")
    [c] = conflicts.open_conflicts(world.township)
    return code, c["id"]


def test_a_resolved_conflict_keeps_its_reason_and_the_village_receives_it(
    world: World,
) -> None:
    code, conflict_id = _conflict(world)
    t = world.township
    t.set_actor("文员")
    clerk.resolve(t, conflict_id, "village", reason="电话核实，村里的对")
    [entry] = decisions.history(t)
    assert (entry["kind"], entry["subject"], entry["actor"], entry["reason"]) == (
        "conflict",
        conflict_id,
        "文员",
        "电话核实，村里的对",
    )
    assert json.loads(entry["value"]) == "村里改的"
    assert clerk.reason_of(t, conflict_id) == "电话核实，村里的对"
    # The update to the village carries the decision beside the row it decided.
    v = world.villages[code]
    [result] = send(t, v, world.root / "back")
    assert result.outcome == "accepted"
    [got] = decisions.history(v)
    assert (got["subject"], got["reason"], got["origin"]) == (
        conflict_id,
        "电话核实，村里的对",
        "township",
    )
    # The other village hears nothing of it, and sending again adds nothing.
    other = world.villages[sorted(world.villages)[1]]
    send(t, other, world.root / "other")
    assert decisions.history(other) == []
    send(t, v, world.root / "again")
    assert len(decisions.history(v)) == 1


def test_unmerge_needs_a_reason_and_merge_and_unmerge_are_both_in_the_history(
    world: World,
) -> None:
    a_code, b_code = sorted(world.villages)
    a, b = world.villages[a_code], world.villages[b_code]
    add_person(a, add_household(a, 1), "陈静", birth_date="1991-02-03")
    add_person(b, add_household(b, 1), "陈静", birth_date="1991-02-03")
    send(a, world.township, world.root / "a")
    send(b, world.township, world.root / "b")
    t = world.township
    [pair] = duplicates.candidates(t)
    merge_id = duplicates.merge_persons(
        t, pair.a["id"], pair.b["id"], reason="同一人", conflict_ids=pair.conflict_ids
    )
    with pytest.raises(SyncError) as refused:
        duplicates.unmerge(t, merge_id, reason="  ")
    assert "理由" in refused.value.text.zh
    assert duplicates.merges(t)[0]["undone_at"] is None  # nothing undone
    duplicates.unmerge(t, merge_id, reason="母亲不同，是两个人")
    history = decisions.history(t, [decisions.MERGE, decisions.UNMERGE])
    assert [(d["kind"], d["reason"]) for d in history] == [
        ("merge", "同一人"),
        ("unmerge", "母亲不同，是两个人"),
    ]
    assert duplicates.merges(t, include_undone=True)[0]["undone_reason"] == "母亲不同，是两个人"


def test_an_update_without_decisions_still_imports(world: World) -> None:
    """Bundles made before decisions travelled carry no `decisions`: nothing changes."""
    code = sorted(world.villages)[0]
    v = world.villages[code]
    made = bundles.export(world.township, world.root / "plain", village_code=code)
    [result] = bundles.import_files(v, [e.path for e in made])
    assert result.outcome in ("accepted", "duplicate")
    assert decisions.history(v) == []
    assert ledger.runs(v)[0].files == 1
