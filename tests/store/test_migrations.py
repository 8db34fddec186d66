"""Migrations: named steps, a backup copy first, a failed step leaves the register as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
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
