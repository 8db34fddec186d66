"""Every writer of many rows in sync writes through store.bulk.writing: a village's
bundle into the township, the township's update into a village, a merge of two
persons and its un-merge.  Each is watched for the search index's per-row triggers
(none may run) and its index compared with a full rebuild afterwards."""

from __future__ import annotations

from pathlib import Path

from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.sync import duplicates
from tests.store.test_bulk import assert_written_in_bulk, triggers_run
from tests.sync.helpers import World, add_household, add_person, send
from tests.sync.test_duplicates import _same_person_twice
from tests.sync.test_township_search import assert_as_rebuilt


def _village(world: World) -> Register:
    return world.villages[sorted(world.villages)[0]]


def test_bundles_both_ways_are_written_in_bulk(world: World, tmp_path: Path) -> None:
    v, t = _village(world), world.township
    homes = [add_household(v, n) for n in range(1, 4)]
    persons = [add_person(v, homes[n % 3], f"韦{n}妹") for n in range(12)]
    with triggers_run(t) as seen:
        [up] = send(v, t, tmp_path / "up")
    assert up.outcome == "accepted"
    assert_written_in_bulk(seen)
    assert_as_rebuilt(t)
    # The township's own edits go back to the village in its update.
    with t.transaction():
        records.update(t, "person", persons[0], {"name": "韦山"})
        records.update(t, "household", homes[1], {"address": "新村路 2 号"})
    with triggers_run(v) as seen:
        [down] = send(t, v, tmp_path / "down")
    assert down.outcome == "accepted"
    assert_written_in_bulk(seen)
    assert_as_rebuilt(v)
    assert records.get(v, "person", persons[0])["name"] == "韦山"


def test_a_merge_and_its_unmerge_are_written_in_bulk(world: World) -> None:
    a, b, _ = _same_person_twice(world)
    t = world.township
    [pair] = duplicates.candidates(t)
    with triggers_run(t) as seen:
        merge_id = duplicates.merge_persons(
            t, b, a, {"id_number"}, reason="核实", conflict_ids=pair.conflict_ids
        )
    assert_written_in_bulk(seen)
    assert_as_rebuilt(t)
    with triggers_run(t) as seen:
        duplicates.unmerge(t, merge_id, reason="核实后不是同一人")
    assert_written_in_bulk(seen)
    assert_as_rebuilt(t)
