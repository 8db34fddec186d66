"""The clerk's composed tasks: a decision with a reason, updates to all, a new laptop."""

from __future__ import annotations

from pathlib import Path

import pytest

from fpdesk.store import records
from fpdesk.store.db import create_register
from fpdesk.sync import bundles, clerk, conflicts, enrollment, keys
from fpdesk.sync.errors import SyncError
from tests.conftest import PASSPHRASE
from tests.sync.helpers import World, add_household, area_state, send


def _conflict(world: World) -> tuple[str, str]:
    v = world.villages[sorted(world.villages)[0]]
    hh = add_household(v, 1, address="旧址")
    send(v, world.township, world.root / "a")
    records.update(world.township, "household", hh, {"address": "乡里"})
    records.update(v, "household", hh, {"address": "村里"})
    send(v, world.township, world.root / "b")
    [c] = conflicts.open_conflicts(world.township)
    return c["id"], hh


def test_a_decision_needs_a_reason_and_keeps_it(world: World) -> None:
    cid, hh = _conflict(world)
    with pytest.raises(SyncError):
        clerk.resolve(world.township, cid, "village", reason="  ")
    assert len(conflicts.open_conflicts(world.township)) == 1
    done = clerk.resolve(world.township, cid, "village", reason="村里核实过")
    assert done["resolution"] == "village" and done["reason"] == "村里核实过"
    assert clerk.reason_of(world.township, cid) == "村里核实过"
    assert records.get(world.township, "household", hh)["address"] == "村里"
    # The losing value stays in the record's history.
    olds = [r["old"] for r in records.history(world.township, hh) if r["old"]]
    assert any("乡里" in o for o in olds)


def test_updates_for_every_village_in_one_folder_or_one_each(world: World, tmp_path: Path) -> None:
    flat = clerk.export_updates(world.township, tmp_path / "flat")
    assert sorted(e.recipient_area for e in flat) == sorted(world.villages)
    assert {e.path.parent for e in flat} == {tmp_path / "flat"}
    nested = clerk.export_updates(world.township, tmp_path / "nested", per_village=True)
    assert {e.path.parent.name for e in nested} == set(world.villages)
    for e in nested:
        village = world.villages[e.recipient_area]
        [got] = bundles.import_files(village, [e.path])
        assert got.outcome in ("accepted", "duplicate")


def test_replacing_a_laptop_revokes_enrolls_and_provisions(world: World, tmp_path: Path) -> None:
    code = sorted(world.villages)[0]
    old = world.villages[code]
    add_household(old, 1, address="三组")
    send(old, world.township, tmp_path / "first")
    new = create_register(tmp_path / "new.fpdesk", PASSPHRASE, role="village", area_code=code)
    enrollment.write_request(new, tmp_path / "req.json")
    done = clerk.replace_laptop(
        world.township, old.device_id, tmp_path / "req.json", tmp_path / "ans.json", tmp_path / "s"
    )
    assert done.old["revoked_at"] is not None and done.snapshot.kind == "snapshot"
    assert enrollment.finish(new, tmp_path / "ans.json")["fingerprint"] == done.new["fingerprint"]
    [got] = bundles.import_files(new, [done.snapshot.path])
    assert got.outcome == "accepted"
    assert area_state(new, code) == area_state(world.township, code)
    # The old laptop is refused from now on.
    add_household(old, 2)
    [made] = bundles.export(old, tmp_path / "old")
    [refused] = bundles.import_files(world.township, [made.path])
    assert refused.outcome == "refused"
    new.close()


def test_a_request_from_another_village_revokes_nothing(world: World, tmp_path: Path) -> None:
    first, second = sorted(world.villages)
    other = create_register(tmp_path / "o.fpdesk", PASSPHRASE, role="village", area_code=second)
    enrollment.write_request(other, tmp_path / "req.json")
    with pytest.raises(SyncError):
        clerk.replace_laptop(
            world.township,
            world.villages[first].device_id,
            tmp_path / "req.json",
            tmp_path / "ans.json",
            tmp_path / "s",
        )
    assert keys.peer(world.township, world.villages[first].device_id)["revoked_at"] is None
    other.close()
