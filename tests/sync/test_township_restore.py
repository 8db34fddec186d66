"""The township is restored from a day-old backup while three villages keep working.

Before: every later village bundle was a gap (exit 3) that no new export could close,
and each village dropped the township's updates as stale, so whatever the restore lost
stayed lost.  Now the restore starts a new register generation: the township says so
on the villages board and in its next update, each village then sends again what the
township lacks (by itself, or with `--resend-from`), and an oracle compares every row
of every village with the township's: nothing lost, nothing doubled.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fpdesk.store import backup, records
from fpdesk.store.db import Register
from fpdesk.sync import board, bundles
from tests.sync.conftest import open_world
from tests.sync.helpers import (
    World,
    add_household,
    add_person,
    all_rows,
    area_state,
    restore_township,
    send,
)

_steps = itertools.count(1)


@pytest.fixture
def world3(tmp_path: Path, _template_world3: Path) -> Iterator[World]:
    opened = open_world(_template_world3, tmp_path / "world")
    yield opened
    opened.close()


class Villages:
    """Three villages at work, and what each has made (the oracle's ground truth)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.made: dict[str, dict[str, Any]] = {code: {} for code in world.villages}
        self.households = dict.fromkeys(world.villages, 0)

    def work(self, tag: str) -> None:
        """Each village registers a household with a woman, records a visit, and
        edits a woman it registered earlier."""
        for code, village in self.world.villages.items():
            self.households[code] += 1
            hh = add_household(village, self.households[code])
            woman = add_person(village, hh, f"{tag}{code[-2:]}芳", id_number=None)
            visit = records.insert(
                village,
                "visit",
                {"person_id": woman, "visit_type": "postnatal", "visited_on": "2026-11-02"},
            )
            earlier = [p for p in self.made[code].values() if p["table"] == "person"]
            if earlier:
                records.update(village, "person", earlier[0]["id"], {"phone": f"139{tag}"})
            for table, row_id in (("household", hh), ("person", woman), ("visit", visit)):
                self.made[code][row_id] = {"table": table, "id": row_id}

    def village(self, code: str) -> Register:
        return self.world.villages[code]


def _exchange(world: World, up: bool = True, down: bool = True) -> list[Any]:
    results: list[Any] = []
    for village in world.villages.values():
        if up:
            results += send(village, world.township, world.root / f"up-{next(_steps)}")
        if down:
            results += send(world.township, village, world.root / f"down-{next(_steps)}")
    return results


def _oracle(world: World, villages: Villages) -> None:
    """Every row of every village equals the township's copy; every record a village
    made is at the township once, with the village's values."""
    t = world.township
    for code, village in world.villages.items():
        assert area_state(village, code) == area_state(t, code), code
        mine = all_rows(village)
        for made in villages.made[code].values():
            [theirs] = t.query(f"SELECT * FROM {made['table']} WHERE id = ?", (made["id"],))
            [ours] = [r for r in mine[made["table"]] if r["id"] == made["id"]]
            assert theirs == ours
        households = t.query("SELECT id FROM household WHERE village_code = ?", (code,))
        assert {h["id"] for h in households} == {
            i for i, m in villages.made[code].items() if m["table"] == "household"
        }
    names = t.query("SELECT name, count(*) AS n FROM person GROUP BY name HAVING n > 1")
    assert names == []  # nothing doubled


def test_a_township_restored_from_a_day_old_backup_gets_every_village_row_back(
    world3: World,
) -> None:
    world = world3
    villages = Villages(world)
    villages.work("1")
    _exchange(world)
    made = backup.create(world.township, world.root / "backups")

    # The next day: the villages work and exchange; the clerk corrects a name.
    villages.work("2")
    _exchange(world)
    b_code = sorted(world.villages)[1]
    b_woman = next(m["id"] for m in villages.made[b_code].values() if m["table"] == "person")
    records.update(world.township, "person", b_woman, {"name": "文员改的名"})
    # ... and moves a woman of the first village into a household of the second.
    a_code = sorted(world.villages)[0]
    moved = [m["id"] for m in villages.made[a_code].values() if m["table"] == "person"][1]
    b_home = next(m["id"] for m in villages.made[b_code].values() if m["table"] == "household")
    records.update(world.township, "person", moved, {"household_id": b_home})
    _exchange(world, up=False)
    assert records.get(world.villages[b_code], "person", moved) is not None
    assert records.get(world.villages[a_code], "person", moved) is None
    old_updates = bundles.export(
        world.township, world.root / "old-update", village_code=sorted(world.villages)[0]
    )
    villages.work("3")
    _exchange(world, down=False)

    restore_township(world, made)

    restored = board.restored(world.township)
    assert restored is not None and restored.backup_made_at
    rows = board.villages(world.township, dt.date(2026, 12, 5))
    assert all(r.resend_awaited and not r.sequence_ok for r in rows if r.devices)

    # The villages keep working and send as usual: the township lacks days 2 and 3.
    villages.work("4")
    before_update = _exchange(world, down=False)
    assert [r.outcome for r in before_update] == ["gap"] * 3
    assert all("--resend-from" in r.reason.en for r in before_update)

    # One village resends by hand; the others once they read the township's update.
    first_code = sorted(world.villages)[0]
    first = world.villages[first_code]
    received = world.township.conn.execute(
        "SELECT received_upto FROM sync_device WHERE device_id = ?", (first.device_id,)
    ).fetchone()[0]
    by_hand = bundles.export(first, world.root / "by-hand", resend_from=received)
    [taken] = bundles.import_files(world.township, [by_hand[0].path])
    assert taken.outcome == "accepted", taken.reason

    downs = _exchange(world, up=False)
    assert [r.outcome for r in downs] == ["accepted"] * 3
    assert all("restored from a backup" in r.reason.en for r in downs)
    # An update the township made before its restore is stale now.
    [stale] = bundles.import_files(first, [old_updates[0].path])
    assert stale.outcome == "duplicate"

    ups = _exchange(world, down=False)
    # The first village sent everything by hand already: its bundle only confirms.
    assert [r.outcome for r in ups] == ["accepted"] * 3, [r.reason for r in ups]
    assert ups[0].applied == 0 and ups[1].applied > 0 and ups[2].applied > 0
    _exchange(world)
    _oracle(world, villages)
    # The clerk's correction was lost with the restore: village B holds the township's
    # value again, and both agree.
    assert records.get(world.villages[b_code], "person", b_woman)["name"] != "文员改的名"
    # So was the move: she is back in the first village, and only there.
    assert records.get(world.villages[b_code], "person", moved) is None
    assert records.get(world.villages[a_code], "person", moved) is not None

    rows = board.villages(world.township, dt.date(2026, 12, 5))
    assert not any(r.resend_awaited for r in rows)

    # And the exchange runs on as before.
    villages.work("5")
    _exchange(world)
    _exchange(world)
    _oracle(world, villages)
