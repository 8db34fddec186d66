"""Held forks: a village laptop restored from an old copy of its register, used again,
and its bundle held; then the clerk applies it (through the field merge) or discards it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from fpdesk.cli import main
from fpdesk.store import access_log, records, search
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles, conflicts, held, keys, ledger
from fpdesk.sync.board import villages
from fpdesk.sync.errors import SyncError
from tests.conftest import PASSPHRASE
from tests.sync.helpers import World, add_household, add_person, count_rows, send


def _copy(reg: Register, to: Path) -> Path:
    """The register file as it is now (an old backup kept on a USB stick)."""
    reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(reg.path, to)
    return to


def _restore(world: World, code: str, backup: Path) -> Register:
    """The laptop is restored from that copy: everything after it is forgotten."""
    reg = world.villages[code]
    path = reg.path
    reg.close()
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    shutil.copyfile(backup, path)
    restored = open_register(path, PASSPHRASE)
    restored.set_actor("村干部")
    world.villages[code] = restored
    return restored


@pytest.fixture
def forked(world: World) -> tuple[World, str, dict[str, str]]:
    code, ids = make_fork(world)
    return world, code, ids


def make_fork(world: World, number: int = 1) -> tuple[str, dict[str, str]]:
    """A held fork: the laptop sent seq n+1 (an address), was restored to seq n, then
    changed a phone the township changed too, renamed a person and added one.  `number`
    is the household's number in the first village's group 1."""
    code, v = next(iter(world.villages.items()))
    hh = add_household(v, number, phone="111")
    p = add_person(v, hh, "王芳", id_number=None)
    send(v, world.township, world.root / "out1")
    send(world.township, v, world.root / "back1")
    backup = _copy(v, world.root / "old-copy.fpdesk")
    records.update(v, "household", hh, {"address": "一组 3 号"})
    [first] = send(v, world.township, world.root / "out2")
    assert first.outcome == "accepted"

    v = _restore(world, code, backup)
    records.update(world.township, "household", hh, {"phone": "222"})
    records.update(v, "household", hh, {"phone": "333"})  # same seq as the address edit
    records.update(v, "person", p, {"name": "王芳芳"})
    newcomer = add_person(v, hh, "李梅", id_number=None, birth_date="1995-05-05")
    before = count_rows(world.township)
    [got] = send(v, world.township, world.root / "out3")
    assert got.outcome == "fork"
    after = count_rows(world.township)
    assert after.pop("sync_held") == before.pop("sync_held") + 1
    assert after == before
    return code, {"household": hh, "person": p, "newcomer": newcomer}


def test_held_list_names_device_village_range_and_reason(
    forked: tuple[World, str, dict[str, str]],
) -> None:
    world, code, _ = forked
    [one] = held.held_bundles(world.township)
    device = world.villages[code].device_id
    assert (one.device_id, one.village) == (device, code)
    assert one.after is not None and one.upto == one.after + 3
    assert "differs" in one.reason.en and "不同" in one.reason.zh and one.release is None
    assert one.file_name.endswith(".fpb")
    [row] = [r for r in villages(world.township, today=_today()) if r.code == code]
    assert row.held == 1


def test_preview_shows_each_change_and_what_it_would_do_and_writes_nothing(
    forked: tuple[World, str, dict[str, str]],
) -> None:
    world, _, ids = forked
    [one] = held.held_bundles(world.township)
    before = count_rows(world.township)
    shown = held.preview(world.township, one.held_id)
    assert count_rows(world.township) == before
    assert [(c.table, c.op) for c in shown.changes] == [
        ("household", "update"),
        ("person", "update"),
        ("person", "insert"),
    ]
    assert shown.changes[0].fields == {"phone": ("111", "333")}
    assert shown.changes[1].fields == {"name": ("王芳", "王芳芳")}
    assert (shown.applied, shown.queued) == (2, 1)
    assert records.get(world.township, "person", ids["person"])["name"] == "王芳"


def test_apply_merges_clean_changes_queues_clashes_and_revokes_the_laptop(
    forked: tuple[World, str, dict[str, str]],
) -> None:
    world, code, ids = forked
    t = world.township
    [one] = held.held_bundles(t)
    done = held.apply(t, one.held_id)
    assert (done.result.applied, done.result.queued) == (2, 1)
    # Clean: the rename and the new person; the address of the first timeline stays.
    assert records.get(t, "person", ids["person"])["name"] == "王芳芳"
    assert records.get(t, "person", ids["newcomer"])["name"] == "李梅"
    # Found by the search box like any person merged from a bundle.
    assert ids["newcomer"] in {h.person_id for h in search.search(t, "李梅")}
    assert ids["person"] in {h.person_id for h in search.search(t, "王芳芳")}
    house = records.get(t, "household", ids["household"])
    assert (house["phone"], house["address"]) == ("222", "一组 3 号")
    # Clash: both changed the phone.
    [clash] = conflicts.open_conflicts(t)
    assert (clash["field"], clash["base"], clash["theirs"], clash["ours"]) == (
        "phone",
        "111",
        "333",
        "222",
    )
    assert done.result.conflicts == [clash["id"]]
    # The laptop must be set up again; the ledger and the record of processing say so.
    assert done.revoked and keys.peer(t, one.device_id)["revoked_at"] is not None
    assert "snapshot" in done.message.en and "快照" in done.message.zh
    last = ledger.rows(t)[-1]
    assert (last["kind"], last["outcome"], last["applied"], last["queued"]) == (
        "release",
        "accepted",
        2,
        1,
    )
    detail = access_log.read(t, action="import")[-1]["detail"]
    assert (detail["action"], detail["held"], detail["queued"]) == ("applied", one.held_id, 1)
    assert held.held_bundles(t) == []
    [row] = [r for r in villages(t, today=_today()) if r.code == code]
    assert row.held == 0
    # Once only: a second apply (or discard) refuses plainly and changes nothing.
    before = count_rows(t)
    with pytest.raises(SyncError) as refused:
        held.apply(t, one.held_id)
    assert "already applied" in refused.value.text.en and "已于" in refused.value.text.zh
    with pytest.raises(SyncError):
        held.discard(t, one.held_id, reason="再试")
    assert count_rows(t) == before


def test_conflict_ids_of_a_released_fork_are_the_same_in_any_copy(
    forked: tuple[World, str, dict[str, str]],
) -> None:
    world, _, _ = forked
    copy_path = world.root / "township-copy.fpdesk"
    _copy(world.township, copy_path)
    other = open_register(copy_path, PASSPHRASE)
    try:
        [one] = held.held_bundles(world.township)
        first = held.apply(world.township, one.held_id).result.conflicts
        second = held.apply(other, one.held_id).result.conflicts
    finally:
        other.close()
    assert first == second and len(first) == 1


def test_discard_keeps_a_reason_and_writes_no_register_row(
    forked: tuple[World, str, dict[str, str]],
) -> None:
    world, _, ids = forked
    t = world.township
    [one] = held.held_bundles(t)
    with pytest.raises(SyncError) as empty:
        held.discard(t, one.held_id, reason="  ")
    assert "reason" in empty.value.text.en
    records_before = {tbl: n for tbl, n in count_rows(t).items() if not tbl.startswith("sync")}
    done = held.discard(t, one.held_id, reason="旧备份上的修改已经重新录入")
    assert {tbl: n for tbl, n in count_rows(t).items() if not tbl.startswith("sync")} == (
        records_before
    )
    assert records.get(t, "person", ids["person"])["name"] == "王芳"
    assert done.revoked
    last = ledger.rows(t)[-1]
    assert (last["kind"], last["outcome"]) == ("release", "refused")
    assert "旧备份上的修改已经重新录入" in last["reason_zh"]
    detail = access_log.read(t, action="import")[-1]["detail"]
    assert (detail["action"], detail["reason"]) == ("discarded", "旧备份上的修改已经重新录入")
    [kept] = held.held_bundles(t, include_released=True)
    assert kept.release is not None and kept.release["action"] == "discarded"
    with pytest.raises(SyncError) as again:
        held.apply(t, one.held_id)
    assert "already discarded" in again.value.text.en
    # The same file brought again is not held a second time.
    [file] = sorted((world.root / "out3").glob("*.fpb"))
    [got] = bundles.import_files(t, [file])
    assert got.outcome == "duplicate" and "held" in got.reason.en


def test_an_unknown_held_id_is_refused(forked: tuple[World, str, dict[str, str]]) -> None:
    world, _, _ = forked
    with pytest.raises(SyncError) as refused:
        held.apply(world.township, "0123456789abcdef")
    assert "No such held bundle" in refused.value.text.en


def _today():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.today()


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    status = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return status, json.loads(out) if "--json" in argv and out.strip() else out, err


def test_command_line_lists_shows_applies_and_refuses_a_second_time(
    forked: tuple[World, str, dict[str, str]],
    passphrase_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world, code, _ = forked
    db = str(world.township.path)
    status, found, _ = _cli(capsys, "bundle", "held", "list", "--db", db, "--json")
    assert status == 0 and [h["village"] for h in found] == [code]
    held_id = found[0]["id"]
    status, shown, _ = _cli(capsys, "bundle", "held", "show", "--db", db, held_id)
    assert status == 0 and "phone" in shown and "If applied: 2 applied" in shown
    status, done, _ = _cli(capsys, "bundle", "held", "apply", "--db", db, held_id, "--json")
    assert status == 0 and (done["applied"], done["queued"]) == (2, 1)
    assert done["device_revoked"] and "snapshot" in done["message_en"]
    status, _, err = _cli(capsys, "bundle", "held", "apply", "--db", db, held_id)
    assert status != 0 and "already applied" in err
    status, _, err = _cli(capsys, "bundle", "held", "discard", "--db", db, held_id, "--reason", "x")
    assert status != 0 and "already applied" in err
    status, text, _ = _cli(capsys, "bundle", "held", "list", "--db", db)
    assert status == 0 and "No held bundles" in text
    status, every, _ = _cli(capsys, "bundle", "held", "list", "--db", db, "--all", "--json")
    assert every[0]["release"]["action"] == "applied"


def test_command_line_discard_needs_a_reason_and_unknown_ids_fail(
    forked: tuple[World, str, dict[str, str]],
    passphrase_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world, _, _ = forked
    db = str(world.township.path)
    [one] = held.held_bundles(world.township)
    with pytest.raises(SystemExit):  # argparse: --reason is required
        main(["bundle", "held", "discard", "--db", db, one.held_id])
    capsys.readouterr()
    status, _, err = _cli(capsys, "bundle", "held", "show", "--db", db, "feedfacefeedface")
    assert status != 0 and "No such held bundle" in err
    status, done, _ = _cli(
        capsys, "bundle", "held", "discard", "--db", db, one.held_id, "--reason", "重复", "--json"
    )
    assert status == 0 and done["action"] == "discarded"
    assert held.held_bundles(world.township) == []
