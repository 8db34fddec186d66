"""A township register restored from a backup, seen from the hub, on a real PostgreSQL
with real registers and real signed, encrypted bundles: the hub holds the township's
file as a fork, the district office releases it (or discards it) with a reason, the
hub's acknowledgement of the new generation sets the township going again, and in the
end the hub holds exactly the township's records.  And who may not: a staff login, a
township rewriting its history or reaching into another's, a file not complete."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk.cli import main
from fpdesk.commands import enroll
from fpdesk.hub import enrollment as hub_enrollment
from fpdesk.hub import exchange, held, staff
from fpdesk.hub import status as hub_status
from fpdesk.store import backup, records
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles, container, district, envelope, keys
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, FORK, GAP
from tests.conftest import PASSPHRASE, TOWNSHIP
from tests.hub.test_exchange import (
    OTHER_TOWNSHIP,
    _household_change,
    clerks_household,
    join,
    to_district,
    villages_work,
)
from tests.hub.test_staff import as_user, member
from tests.sync.helpers import World, add_household, add_person, make_township, make_world, send
from tests.sync.helpers import restore_township as restore

pytestmark = pytest.mark.usefixtures("english")  # messages read in English


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hub-held-world")
    make_world(root, village_count=2).close()
    return root


def up(hub: psycopg.Connection[Any], township: Register, folder: Path) -> exchange.HubResult:
    """One round: the township exports, the hub imports, the township takes the ack."""
    made = to_district(township, folder / "up")
    done = exchange.import_files(hub, [made.path], folder / "acks")
    [result] = done.results
    if done.acks:
        bundles.import_files(township, done.acks)
    return result


def records_of(source: Any, township: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every record of every replicated table, whole: a register's, or the hub's of one
    township (without the hub's own two columns)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in REPLICATED:
        if township is None:
            out[table] = source.query(f"SELECT * FROM {table} ORDER BY id")
        else:
            cur = source.execute(
                f"SELECT * FROM {table} WHERE township_code = %s ORDER BY id", (township,)
            )
            names = [d.name for d in cur.description]
            out[table] = [
                {
                    k: v
                    for k, v in zip(names, row, strict=True)
                    if k not in ("township_code", "county_code")
                }
                for row in cur.fetchall()
            ]
    return out


def assert_equal(hub: psycopg.Connection[Any], township: Register) -> None:
    ours, theirs = records_of(township), records_of(hub, TOWNSHIP)
    for table in REPLICATED:
        assert theirs[table] == ours[table], table


def ledger(hub: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return hub.execute("SELECT kind, outcome, applied FROM hub_ledger ORDER BY id").fetchall()


def hub_count(hub: psycopg.Connection[Any]) -> dict[str, int]:
    tables = [*REPLICATED, "hub_ledger", "hub_received", "hub_private.hub_held"]
    return {t: hub.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    status = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    try:
        return status, json.loads(out), err
    except ValueError:
        return status, out, err


def restored_fork(hub: psycopg.Connection[Any], world: World, tmp_path: Path) -> dict[str, Any]:
    """The township reports up; a backup is made; it goes on (villages' work, the
    clerk's edits) and reports again; then it is restored from that backup, its villages
    send their work again, the clerk works on, and its export reaches the hub as a fork."""
    t = world.township
    villages_work(world)
    join(hub, t, tmp_path)
    assert up(hub, t, tmp_path / "r1").outcome == ACCEPTED
    made = backup.create(t, world.root / "backups")

    first = sorted(world.villages)[0]
    village = world.villages[first]
    home = add_household(village, 5)
    woman = add_person(village, home, "后来的", id_number=None)
    send(village, t, world.root / "v2")
    lost_household = clerks_household(t, first, 40)  # the clerk's, lost with the restore
    [person] = t.query("SELECT id FROM person ORDER BY id LIMIT 1")
    records.update(t, "person", person["id"], {"name": "文员改过"})
    before_restore = to_district(t, tmp_path / "r2")
    done = exchange.import_files(hub, [before_restore.path], tmp_path / "r2-acks")
    assert [r.outcome for r in done.results] == [ACCEPTED]
    [old_ack] = done.acks
    bundles.import_files(t, [old_ack])
    received = hub.execute(
        "SELECT received_upto FROM hub_township WHERE code = %s", (TOWNSHIP,)
    ).fetchone()[0]

    t = restore(world, made)
    # The villages hear of the restore and send again what it lost.
    for v in world.villages.values():
        send(t, v, world.root / f"down-{v.area_code}")
        send(v, t, world.root / f"again-{v.area_code}")
    assert records.get(t, "person", woman) is not None
    kept = clerks_household(t, first, 41)  # the clerk's new work, on reused numbers
    peer = keys.district_peer(t)
    assert district.resend_awaited(t, peer)
    fork = to_district(t, tmp_path / "r3")
    assert fork.after == 0  # restored: every change, by itself
    hub.commit()
    counted = hub_count(hub)
    done = exchange.import_files(hub, [fork.path], tmp_path / "r3-acks")
    [result] = done.results
    assert result.outcome == FORK, result.reason
    assert "restored from a backup" in result.reason.en and result.reason.zh
    after = hub_count(hub)
    hub.commit()
    assert after.pop("hub_ledger") == counted.pop("hub_ledger") + 1
    assert after.pop("hub_private.hub_held") == counted.pop("hub_private.hub_held") + 1
    assert after == counted  # nothing applied
    return {
        "fork": fork,
        "old_ack": old_ack,
        "acks": done.acks,
        "lost": lost_household,
        "kept": kept,
        "received": received,
    }


def test_a_restored_township_is_held_released_and_equal_again(
    hub: psycopg.Connection[Any],
    hub_url: str,
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    made = restored_fork(hub, world, tmp_path)
    t = world.township
    # The hub still holds what the restore lost at the township.
    assert hub.execute("SELECT 1 FROM household WHERE id = %s", (made["lost"],)).fetchone()
    # No acknowledgement for a fork; an old one names the old generation: not taken.
    assert made["acks"] == []
    for ack in [made["old_ack"]]:
        [taken] = bundles.import_files(t, [ack])
        assert taken.outcome == DUPLICATE and "before this register was restored" in taken.reason.en
    assert district.resend_awaited(t, keys.district_peer(t))

    # hub status lists the fork apart, with its reason in both languages.
    found = hub_status.status(hub, dt.date.today())
    [problem] = found.problems
    assert (problem.outcome, problem.township, problem.file_name) == (
        FORK,
        TOWNSHIP,
        made["fork"].path.name,
    )
    assert problem.reason.zh and "restored" in problem.reason.en
    hub.commit()
    status, data, _ = cli(capsys, "hub", "status", "--url", hub_url, "--json")
    assert status == 0 and data["problems"][0]["outcome"] == FORK
    assert data["problems"][0]["reason_zh"] == problem.reason.zh
    status, text, _ = cli(capsys, "hub", "status", "--url", hub_url)
    assert "Files of this month not taken:" in text and made["fork"].path.name in text
    assert f"{TOWNSHIP} {made['fork'].path.name} (fork," in text

    status, listed, _ = cli(capsys, "hub", "held", "list", "--url", hub_url, "--json")
    [entry] = listed
    assert status == 0 and entry["complete"] and entry["township"] == TOWNSHIP
    assert (entry["after"], entry["upto"], entry["release"]) == (0, made["fork"].upto, None)
    acks = tmp_path / "release-acks"
    argv = ["hub", "held", "release", entry["id"], "--url", hub_url, "--out", str(acks)]
    status, text, err = cli(
        capsys, *argv, "--reason", "乡镇从备份恢复，已电话核实", "--by", "王科长"
    )
    assert status == 0, err
    assert "Released" in text and "Acknowledgement" in text

    # The township takes the acknowledgement of its new generation and goes on.
    [ack] = acks.iterdir()
    [taken] = bundles.import_files(t, [ack])
    assert taken.outcome == ACCEPTED
    peer = keys.district_peer(t)
    assert not district.resend_awaited(t, peer)
    assert peer["acked_by_peer"] == made["fork"].upto
    assert_equal(hub, t)
    assert hub.execute("SELECT 1 FROM household WHERE id = %s", (made["lost"],)).fetchone() is None
    assert hub.execute("SELECT 1 FROM household WHERE id = %s", (made["kept"],)).fetchone()

    # Who, when, why: a ledger row of its own.
    row = hub.execute(
        "SELECT outcome, actor, reason_zh, reason_en, seen_at FROM hub_ledger"
        " WHERE kind = 'release'"
    ).fetchone()
    assert row[0] == ACCEPTED and row[1].startswith("王科长 (") and row[4] is not None
    assert "已电话核实" in row[2] and "已电话核实" in row[3]
    assert hub_status.status(hub, dt.date.today()).problems == []

    # The same file again is a replay; releasing it again is refused, nothing written.
    hub.commit()
    counted = hub_count(hub)
    [again] = exchange.import_files(hub, [made["fork"].path], tmp_path / "again").results
    hub.commit()  # the test's connection began a transaction with its first read
    assert again.outcome == DUPLICATE and "district office dealt with it" in again.reason.en
    counted["hub_ledger"] += 1
    status, _, err = cli(capsys, *argv, "--reason", "再来一次")
    assert status == 1 and "already dealt with" in err
    assert hub_count(hub) == counted

    # And the exchange runs on as before: the next export starts after the ack.
    clerks_household(t, sorted(world.villages)[1], 42)
    village = world.villages[sorted(world.villages)[1]]
    add_person(village, add_household(village, 6), "新来的", id_number=None)
    send(village, t, world.root / "later")
    made_later = to_district(t, tmp_path / "later-up")
    assert made_later.after == made["fork"].upto
    done = exchange.import_files(hub, [made_later.path], tmp_path / "later-acks")
    assert [r.outcome for r in done.results] == [ACCEPTED]
    bundles.import_files(t, done.acks)
    assert_equal(hub, t)
    # The township sees what the district acknowledged (`fpdesk devices list`).
    [hub_peer] = [p for p in district.peers_with_reporting(t) if p["role"] == "district"]
    assert hub_peer["reporting"]["acked_upto"] == made_later.upto
    assert hub_peer["reporting"]["unacknowledged"] == 0 and hub_peer["reporting"]["acked_at"]
    line = enroll._device_line(hub_peer)
    assert f"acknowledged changes up to {made_later.upto}" in line and "0 changes" in line


def test_discard_keeps_the_hub_as_it_was_with_a_reason(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    made = restored_fork(hub, world, tmp_path)
    [entry] = held.held_files(hub)
    for unknown in ("00000000", entry.held_id[:7]):  # none such; too short to tell
        with pytest.raises(held.HeldError, match="No such held file") as refused:
            held.discard(hub, unknown, reason="x", actor="y")
        assert refused.value.text.zh
    before = records_of(hub, TOWNSHIP)
    with pytest.raises(held.HeldError, match="give a reason"):
        held.discard(hub, entry.held_id, reason="  ", actor="王科长")
    done = held.discard(hub, entry.held_id, reason="文件来历不明", actor="王科长")
    assert done.action == "discarded" and done.held.release is not None
    assert records_of(hub, TOWNSHIP) == before
    assert held.held_files(hub) == [] and len(held.held_files(hub, include_released=True)) == 1
    assert ledger(hub)[-1] == ("release", "refused", 0)
    assert hub_status.status(hub, dt.date.today()).problems == []
    with pytest.raises(held.HeldError, match="already dealt with"):
        held.release(hub, entry.held_id, reason="x", actor="y", ack_dir=tmp_path / "k")
    assert made["lost"]  # still at the hub: discarding keeps what it held
    assert hub.execute("SELECT 1 FROM household WHERE id = %s", (made["lost"],)).fetchone()


def test_staff_logins_may_not_release_or_read_the_held_files(
    hub: psycopg.Connection[Any],
    hub_url: str,
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    restored_fork(hub, world, tmp_path)
    [entry] = held.held_files(hub)
    office, clerk = member(hub_url, "office"), member(hub_url, "clerk")
    staff.add(hub, office, None)
    staff.add(hub, clerk, TOWNSHIP)
    hub.commit()
    counted = hub_count(hub)
    for name in (office, clerk):
        url = as_user(hub_url, name)
        # They see the fork in hub status (its reason), not the file.
        status, data, _ = cli(capsys, "hub", "status", "--url", url, "--json")
        assert status == 0 and [p["outcome"] for p in data["problems"]] == [FORK]
        for argv in (
            ["release", entry.held_id, "--out", str(tmp_path / "k"), "--reason", "r"],
            ["discard", entry.held_id, "--reason", "r"],
            ["list"],
        ):
            status, _, err = cli(capsys, "hub", "held", *argv, "--url", url)
            assert status == 1 and "Only the hub's owner" in err, err
        # Nor around the command: the grants allow reading only.
        with psycopg.connect(url) as conn:
            for statement in (
                "SELECT data FROM hub_private.hub_held",
                "INSERT INTO hub_ledger (file_name, file_hash, outcome, kind)"
                " VALUES ('f', 'h', 'accepted', 'release')",
                "DELETE FROM household",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    conn.execute(statement)
                conn.rollback()
    assert hub_count(hub) == counted
    assert not (tmp_path / "k").exists()


def sealed(
    township: Register, changes: list[Any], out: Path, *, after: int = 0, generation: str = ""
) -> Path:
    """A real bundle the township signs (as a dishonest one could make it)."""
    hub_peer = keys.district_peer(township)
    payload = container.canonical({"changes": changes})
    data = envelope.seal(
        township,
        kind="changes",
        recipient=hub_peer,
        after=after,
        upto=max((c[0] for c in changes), default=after),
        ack=0,
        previous=None,
        payloads={"changes.json": payload},
        recipients=[hub_peer["age_recipient"]],
        created_at=keys.now_text(),
        generation=generation,
    )
    out.write_bytes(data)
    return out


def test_a_township_cannot_rewrite_its_history_or_reach_another_by_a_release(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    """Claiming a restore (a new generation) rewrites nothing: the file is held; the
    district's release of a file touching another township's records is refused whole;
    a file not carrying all the township's changes cannot be released."""
    villages_work(world)
    other = make_township(tmp_path, OTHER_TOWNSHIP)
    join(hub, world.township, tmp_path)
    join(hub, other, tmp_path)
    clerks_household(other, OTHER_TOWNSHIP[:9] + "201", 1)
    assert up(hub, other, tmp_path / "o").outcome == ACCEPTED
    assert up(hub, world.township, tmp_path / "t").outcome == ACCEPTED
    [(theirs,)] = hub.execute(
        "SELECT id FROM household WHERE township_code = %s", (OTHER_TOWNSHIP,)
    ).fetchall()
    village = sorted(world.villages)[0]
    hub.commit()
    counted = hub_count(hub)
    before = records_of(hub, TOWNSHIP)

    # "Restored": one change, over another township's household.
    grab = sealed(
        world.township,
        [_household_change(1, theirs, village)],
        tmp_path / "grab.fpb",
        generation="restored-said-the-township",
    )
    # A part only, with another change 1: a fork.
    part = sealed(
        world.township,
        [_household_change(2, "h-part", village)],
        tmp_path / "part.fpb",
        after=1,
    )
    done = exchange.import_files(hub, [grab, part], tmp_path / "acks")
    assert [r.outcome for r in done.results] == [FORK, FORK], [r.reason for r in done.results]
    assert records_of(hub, TOWNSHIP) == before
    whole, partial = held.held_files(hub)
    assert (whole.complete, partial.complete) == (True, False)
    hub.commit()
    counted = hub_count(hub)
    with pytest.raises(held.HeldError) as refusal:
        held.release(hub, whole.held_id, reason="r", actor="a", ack_dir=tmp_path / "k1")
    assert "outside township" in refusal.value.text.en and refusal.value.text.zh
    with pytest.raises(held.HeldError) as refusal:
        held.release(hub, partial.held_id, reason="r", actor="a", ack_dir=tmp_path / "k2")
    assert "--resend-from 0" in refusal.value.text.en and refusal.value.text.zh
    assert hub_count(hub) == counted
    assert records_of(hub, TOWNSHIP) == before
    assert hub.execute(
        "SELECT township_code FROM household WHERE id = %s", (theirs,)
    ).fetchone() == (OTHER_TOWNSHIP,)
    assert not (tmp_path / "k1").exists() and not (tmp_path / "k2").exists()

    # A revoked township's held file is not released either.
    hub_enrollment.revoke(hub, TOWNSHIP)
    hub.commit()
    with pytest.raises(held.HeldError, match="revoked"):
        held.release(hub, whole.held_id, reason="r", actor="a", ack_dir=tmp_path / "k3")
    other.close()


def test_a_restore_that_lost_nothing_the_hub_holds_goes_straight_in(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    """Restored from a backup made after its last report: the hub follows the new
    generation without a fork, and its acknowledgement confirms the restore."""
    t = world.township
    villages_work(world)
    join(hub, t, tmp_path)
    assert up(hub, t, tmp_path / "a").outcome == ACCEPTED
    made = backup.create(t, world.root / "backups")
    t = restore(world, made)
    clerks_household(t, sorted(world.villages)[0], 50)
    result = up(hub, t, tmp_path / "b")
    assert (result.outcome, result.after) == (ACCEPTED, 0)
    assert not district.resend_awaited(t, keys.district_peer(t))
    assert_equal(hub, t)


def test_gaps_name_the_resend_and_the_resend_fills_them(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    t = world.township
    villages_work(world)
    join(hub, t, tmp_path)
    first = to_district(t, tmp_path / "a")  # lost on the way
    t.conn.execute(
        "UPDATE sync_device SET acked_by_peer = ? WHERE role = 'district'", (first.upto,)
    )
    clerks_household(t, sorted(world.villages)[0], 60)
    later = to_district(t, tmp_path / "b")
    [gap] = exchange.import_files(hub, [later.path], tmp_path / "k").results
    assert gap.outcome == GAP and "--to-district --resend-from 0" in gap.reason.en
    [problem] = hub_status.status(hub, dt.date.today()).problems
    assert problem.outcome == GAP
    [resent] = bundles.export(t, tmp_path / "c", to_district=True, resend_from=0)
    [done] = exchange.import_files(hub, [resent.path], tmp_path / "k2").results
    assert done.outcome == ACCEPTED
    assert hub_status.status(hub, dt.date.today()).problems == []
    assert_equal(hub, t)


def test_a_township_put_back_from_a_copy_by_hand_is_held_and_released_too(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    """Its register file copied back over it (no restore recorded, so no new
    generation): the hub's acknowledgement beyond its log is not taken, its export is
    a fork naming --resend-from 0, and the complete resend released makes them equal."""
    t = world.township
    villages_work(world)
    join(hub, t, tmp_path)
    assert up(hub, t, tmp_path / "a").outcome == ACCEPTED
    t.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy = world.root / "copy.fpdesk"
    shutil.copyfile(t.path, copy)
    for number in (70, 71):
        clerks_household(t, sorted(world.villages)[0], number)
    later = to_district(t, tmp_path / "b")
    done = exchange.import_files(hub, [later.path], tmp_path / "b-acks")
    [ahead] = done.acks
    hub.commit()

    path = t.path
    t.close()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)
    shutil.copyfile(copy, path)
    t = world.township = open_register(path, PASSPHRASE)
    t.set_actor("文员")
    [taken] = bundles.import_files(t, [ahead])
    assert taken.outcome == DUPLICATE and "more than this register has" in taken.reason.en
    clerks_household(t, sorted(world.villages)[1], 72)  # the same numbers, other work
    forked = to_district(t, tmp_path / "c")
    [result] = exchange.import_files(hub, [forked.path], tmp_path / "c-acks").results
    assert result.outcome == FORK and "--resend-from 0" in result.reason.en
    [resent] = bundles.export(t, tmp_path / "d", to_district=True, resend_from=0)
    [result] = exchange.import_files(hub, [resent.path], tmp_path / "d-acks").results
    assert result.outcome == FORK
    hub.commit()
    held_now = {h.file_name: h for h in held.held_files(hub)}
    assert not held_now[forked.path.name].complete and held_now[resent.path.name].complete
    done = held.release(
        hub, held_now[resent.path.name].held_id, reason="副本", actor="王", ack_dir=tmp_path / "k"
    )
    assert done.ack is not None
    [taken] = bundles.import_files(t, [done.ack])
    assert taken.outcome == ACCEPTED
    held.discard(hub, held_now[forked.path.name].held_id, reason="已放行完整的包", actor="王")
    assert_equal(hub, t)
    assert hub_status.status(hub, dt.date.today()).problems == []
