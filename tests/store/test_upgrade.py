"""Registers made by earlier releases open with this program, after a backup copy."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import sqlcipher3

from fpdesk.core.clock import FixedClock
from fpdesk.store import schema
from fpdesk.store.checks import check_register
from fpdesk.store.db import open_register, pending_steps

GOLDEN = Path(__file__).resolve().parent / "golden"
PASSPHRASE = "golden-登记册"
RELEASES = sorted(GOLDEN.glob("register-*.fpdesk"))


def test_there_is_a_register_of_the_first_release() -> None:
    assert any(p.name == "register-0.1.0.fpdesk" for p in RELEASES)


@pytest.mark.parametrize("release", RELEASES, ids=lambda p: p.stem)
def test_release_register_opens_migrates_and_keeps_its_people(
    release: Path, tmp_path: Path
) -> None:
    copy = tmp_path / release.name
    shutil.copy2(release, copy)
    with open_register(copy, PASSPHRASE) as register:
        assert pending_steps(register) == []
        version = register.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == schema.schema_version()
        names = {r["name"] for r in register.query("SELECT name FROM person WHERE deleted = 0")}
        assert names == {"张伟", "李娜", "张小明"}
        methods = register.query("SELECT method FROM contraception WHERE deleted = 0")
        assert methods == [{"method": "iud"}]
        report = check_register(register, FixedClock(dt.date(2026, 11, 2)))
        assert report.ok, report
    migrated = schema.STEP_NAMES[-1] not in _steps_of(release)
    backups = list(tmp_path.glob(release.name + ".before-v*.bak"))
    assert len(backups) == (1 if migrated else 0)


def _steps_of(path: Path) -> set[str]:
    conn = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.execute("PRAGMA key = '" + PASSPHRASE.replace("'", "''") + "'")
        return {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    finally:
        conn.close()
