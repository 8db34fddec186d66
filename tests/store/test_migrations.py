"""Migrations: named steps, a backup copy first, a failed step leaves the register as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from fpdesk.store import schema
from fpdesk.store.db import open_register, pending_steps
from tests.conftest import PASSPHRASE


def _with_extra_step(monkeypatch: pytest.MonkeyPatch, fn) -> str:  # type: ignore[no-untyped-def]
    """Pretend this program knows one more step than the register has."""
    extended = Migrations(schema.MIGRATIONS.name)
    for known in schema.MIGRATIONS._migrations:
        extended(name=known.name)(known.fn)
    name = "9000_test_step"
    extended(name=name)(fn)
    monkeypatch.setattr(schema, "MIGRATIONS", extended)
    monkeypatch.setattr(schema, "STEP_NAMES", [*schema.STEP_NAMES, name])
    return name


def test_fresh_register_has_every_step(register) -> None:  # type: ignore[no-untyped-def]
    assert pending_steps(register) == []
    assert register.conn.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
    names = [r["name"] for r in register.query("SELECT name FROM _sqlite_migrations")]
    assert names == schema.STEP_NAMES


def test_older_register_is_backed_up_then_migrated(
    register_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def add_nickname(db: Database) -> None:
        db.execute("ALTER TABLE person ADD COLUMN nickname TEXT")

    _with_extra_step(monkeypatch, add_nickname)
    reg = open_register(register_path, PASSPHRASE)
    try:
        columns = [r[1] for r in reg.conn.execute("PRAGMA table_info(person)")]
        assert "nickname" in columns
        assert reg.conn.execute("PRAGMA user_version").fetchone()[0] == schema.schema_version()
    finally:
        reg.close()
    backups = list(register_path.parent.glob(register_path.name + ".before-v*.bak"))
    assert len(backups) == 1
    monkeypatch.undo()
    # The copy is the register as it was: it opens with the old program and lacks the column.
    with open_register(backups[0], PASSPHRASE) as old:
        assert "nickname" not in [r[1] for r in old.conn.execute("PRAGMA table_info(person)")]


def test_failed_step_changes_nothing(register_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_done(db: Database) -> None:
        db.execute("ALTER TABLE person ADD COLUMN nickname TEXT")
        raise RuntimeError("step failed half way")

    _with_extra_step(monkeypatch, half_done)
    with pytest.raises(RuntimeError):
        open_register(register_path, PASSPHRASE)
    monkeypatch.undo()
    with open_register(register_path, PASSPHRASE) as reg:
        assert "nickname" not in [r[1] for r in reg.conn.execute("PRAGMA table_info(person)")]
        assert pending_steps(reg) == []


def test_steps_are_unique_and_ordered() -> None:
    assert len(set(schema.STEP_NAMES)) == len(schema.STEP_NAMES)
    assert schema.STEP_NAMES == sorted(schema.STEP_NAMES)


def test_an_older_register_gets_the_covering_read_indexes(tmp_path: Path) -> None:
    """0007: the register of release 0.1.0 (before the step) gains the covering indexes,
    and the due list's and the indicators' reads are answered from them alone."""
    golden = Path(__file__).resolve().parent / "golden" / "register-0.1.0.fpdesk"
    copy = tmp_path / golden.name
    shutil.copy2(golden, copy)
    with open_register(copy, "golden-登记册") as reg:
        names = {r["name"] for r in reg.query("SELECT name FROM _sqlite_migrations")}
        assert "0007_read_indexes" in names
        columns = [r[2] for r in reg.conn.execute("PRAGMA index_info(visit_person)")]
        assert columns == ["person_id", "visit_type", "visited_on", "deleted", "follows_id"]
        plans = {
            "SELECT id, woman_id, user_id, method, started_on, ended_on FROM contraception "
            "WHERE woman_id IN (SELECT value FROM json_each(?)) AND deleted = 0": ("[]",),
            "SELECT person_id, visit_type, visited_on, follows_id FROM visit "
            "WHERE person_id IN (SELECT value FROM json_each(?)) AND deleted = 0": ("[]",),
            "SELECT id, household_id, birth_date, death_date, residence_status FROM person "
            "WHERE sex = 2 AND deleted = 0": (),
            "SELECT id, village_code FROM household INDEXED BY household_village "
            "WHERE deleted = 0": (),
        }
        for sql, params in plans.items():
            plan = " ".join(r[3] for r in reg.conn.execute("EXPLAIN QUERY PLAN " + sql, params))
            assert "COVERING INDEX" in plan, (sql, plan)
        # Nothing was lost on the way: the people of that release are all there.
        assert reg.conn.execute("SELECT count(*) FROM person").fetchone()[0] == 3


def test_district_peer_keeps_the_enrolled_devices(tmp_path: Path) -> None:
    """0012: a register made before the step keeps its peers, every column of them,
    and may then hold the district hub (role 'district'); other roles stay refused."""
    db = Database(sqlcipher3.connect(str(tmp_path / "old.db")))
    before = Migrations(schema.MIGRATIONS.name)
    for known in schema.MIGRATIONS._migrations:
        if known.name != "0012_district_peer":
            before(name=known.name)(known.fn)
    before.apply(db)
    peer = (
        "v-1",
        "village",
        "450102001201",
        "sig",
        "age1x",
        None,
        "1234",
        "2026-01-01",
        None,
        7,
        3,
        "hash",
        "gen-1",
        '["gen-0"]',
    )
    db.conn.execute(f"INSERT INTO sync_device VALUES ({', '.join('?' * len(peer))})", peer)
    with pytest.raises(sqlcipher3.IntegrityError):
        db.conn.execute(
            "INSERT INTO sync_device (device_id, role, area_code, sign_public, age_recipient,"
            " fingerprint, enrolled_at) VALUES ('d-0', 'district', 'x', 's', 'a', 'f', 'now')"
        )
    schema.MIGRATIONS.apply(db)
    assert db.conn.execute("SELECT * FROM sync_device").fetchall() == [peer]
    db.conn.execute(
        "INSERT INTO sync_device (device_id, role, area_code, sign_public, age_recipient,"
        " fingerprint, enrolled_at) VALUES ('d-1', 'district', '450102000000', 's', 'a', 'f',"
        " 'now')"
    )
    with pytest.raises(sqlcipher3.IntegrityError):
        db.conn.execute(
            "INSERT INTO sync_device (device_id, role, area_code, sign_public, age_recipient,"
            " fingerprint, enrolled_at) VALUES ('d-2', 'province', 'x', 's', 'a', 'f', 'now')"
        )
