"""Backups: consistent encrypted copies, rotation, preview, restore with a safety copy;
and the integrity check on start that refuses a damaged register."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.store import accounts, backup, errors, keyring, records
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE

ADMIN, ADMIN_PW = "王管理", "admin-pass-1"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)


def add_household(path: Path, n: int, *, user: str | None = None, pw: str = PASSPHRASE) -> str:
    with open_register(path, pw, user=user) as reg:
        return records.insert(
            reg,
            "household",
            {"code": f"{VILLAGE}01{n:04d}", "village_code": VILLAGE, "group_no": "01"},
        )


def test_backup_is_encrypted_with_the_same_key_and_consistent(register_path: Path) -> None:
    add_household(register_path, 1)
    with open_register(register_path, PASSPHRASE) as reg:
        made = backup.create(reg, label="manual", clock=FixedClock(dt.date(2026, 3, 1)))
    assert made.parent == backup.default_folder(register_path)
    assert made.name.endswith("-20260301-090000-manual.fpdesk")
    assert not made.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(errors.WrongPassphrase):
        backup.preview(made, "wrong-passphrase")
    seen = backup.preview(made, PASSPHRASE)
    assert seen.counts["household"] == 1 and seen.made_at == "2026-03-01T09:00:00"
    assert seen.area_code == VILLAGE


def test_backup_to_a_stick_and_round_trip_restore(register_path: Path, tmp_path: Path) -> None:
    stick = tmp_path / "usb"
    add_household(register_path, 1)
    with open_register(register_path, PASSPHRASE) as reg:
        made = backup.create(reg, stick)
    add_household(register_path, 2)  # after the backup: the restore takes it back
    with pytest.raises(backup.BackupError):  # never without a confirmation
        backup.restore(made, register_path, PASSPHRASE)
    with open_register(register_path, PASSPHRASE) as reg:
        assert len(reg.query("SELECT 1 FROM household")) == 2
    safety = backup.restore(made, register_path, PASSPHRASE, confirmed=True)
    assert safety is not None
    with open_register(register_path, PASSPHRASE) as reg:
        assert len(reg.query("SELECT 1 FROM household")) == 1
        assert reg.query("SELECT action FROM access_log")[-1]["action"] == "restore"
    with open_register(safety, PASSPHRASE) as old:  # nothing saved is ever lost
        assert len(old.query("SELECT 1 FROM household")) == 2


def test_rotation_keeps_the_last_n_and_one_per_month(register_path: Path) -> None:
    with open_register(register_path, PASSPHRASE) as reg:
        for day in (dt.datetime(2026, 1, 5, 18), dt.datetime(2026, 1, 20, 18)):
            backup.create(reg, label="exit", clock=FixedClock(day))
        for d in range(1, 6):
            backup.create(reg, label="daily", clock=FixedClock(dt.datetime(2026, 2, d, 8)))
        kept_by_hand = backup.create(reg, label="manual", clock=FixedClock(dt.date(2025, 1, 1)))
        removed = backup.rotate(backup.default_folder(register_path), keep=3)
    left = backup.list_backups(backup.default_folder(register_path))
    stamps = [(b.made_at.strftime("%m-%d"), b.label) for b in left]
    assert stamps == [
        ("02-05", "daily"),
        ("02-04", "daily"),
        ("02-03", "daily"),
        ("01-20", "exit"),  # the newest of January
        ("01-01", "manual"),  # made by hand: never rotated away
    ]
    assert len(removed) == 3 and kept_by_hand.exists()


def test_daily_backup_once_a_day_and_on_exit_after_changes(register_path: Path) -> None:
    morning = FixedClock(dt.datetime(2026, 3, 2, 8))
    evening = FixedClock(dt.datetime(2026, 3, 2, 18))
    with open_register(register_path, PASSPHRASE) as reg:
        assert backup.automatic(reg, "daily", clock=morning) is not None
        assert backup.automatic(reg, "daily", clock=morning) is None
        # nothing changed since this morning's backup: closing makes none
        assert backup.automatic(reg, "exit", clock=evening) is None
        records.insert(
            reg,
            "household",
            {"code": f"{VILLAGE}010001", "village_code": VILLAGE, "group_no": "01"},
        )
        assert backup.automatic(reg, "exit", clock=evening) is not None
        assert backup.automatic(reg, "exit", clock=evening) is None
    assert len(backup.list_backups(backup.default_folder(register_path))) == 2


def test_a_backup_already_made_today_costs_no_check(register_path: Path) -> None:
    """Looked for first: with today's backup there, the file is not even read (a damaged
    one, which a check would refuse, goes through without a word)."""
    with open_register(register_path, PASSPHRASE) as reg:
        many_households(reg)
        assert backup.automatic(reg, "daily") is not None
    corrupt(register_path)
    reg = open_register(register_path, PASSPHRASE)
    try:
        assert backup.automatic(reg, "daily") is None
        assert backup.automatic(reg, "exit") is None  # and nothing changed since
    finally:
        reg.conn.close()
    assert [b.label for b in backup.list_backups(backup.default_folder(register_path))] == ["daily"]


def test_account_register_backup_carries_its_keyring(register_path: Path) -> None:
    with open_register(register_path, PASSPHRASE) as reg:
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
    add_household(register_path, 1, user=ADMIN, pw=ADMIN_PW)
    with open_register(register_path, ADMIN_PW, user=ADMIN) as reg:
        made = backup.create(reg)
    assert keyring.exists(made)
    with pytest.raises(errors.AccountNeeded):
        backup.preview(made, ADMIN_PW)
    assert backup.preview(made, ADMIN_PW, user=ADMIN).accounts == [ADMIN]
    add_household(register_path, 2, user=ADMIN, pw=ADMIN_PW)
    backup.restore(made, register_path, ADMIN_PW, user=ADMIN, confirmed=True)
    with open_register(register_path, ADMIN_PW, user=ADMIN) as reg:
        assert len(reg.query("SELECT 1 FROM household")) == 1


def test_restore_needs_an_administrator(register_path: Path) -> None:
    with open_register(register_path, PASSPHRASE) as reg:
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, "李专干", "officer", VILLAGE, "officer-pass")
        made = backup.create(reg)
    from fpdesk.store.access import AccessDenied

    with pytest.raises(AccessDenied):
        backup.restore(made, register_path, "officer-pass", user="李专干", confirmed=True)


def many_households(reg: Register, group: str = "01") -> None:
    """Enough pages that the middle of the file (where `corrupt` hits) is a table's."""
    with reg.transaction():
        for n in range(1, 200):
            records.insert(
                reg,
                "household",
                {"code": f"{VILLAGE}{group}{n:04d}", "village_code": VILLAGE, "group_no": group},
            )


def corrupt(path: Path) -> None:
    """Flip bytes in the middle of a page past the first: the header still reads."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        chunk = handle.read(64)
        handle.seek(size // 2)
        handle.write(bytes(b ^ 0xFF for b in chunk))


def test_damaged_register_is_refused_on_start_and_left_untouched(register_path: Path) -> None:
    with open_register(register_path, PASSPHRASE) as reg:
        many_households(reg)
        made = backup.create(reg)
    corrupt(register_path)
    before = register_path.read_bytes()
    with pytest.raises(errors.RegisterDamaged) as damaged:
        open_register(register_path, PASSPHRASE, verify=True)
    assert "fpdesk backup restore" in str(damaged.value)
    assert register_path.read_bytes() == before  # never written to
    assert (
        not Path(str(register_path) + "-wal").exists()
        or os.path.getsize(str(register_path) + "-wal") == 0
    )
    corrupt(made)
    with pytest.raises(errors.RegisterDamaged):  # a damaged backup is not restored either
        backup.restore(made, register_path, PASSPHRASE, confirmed=True)
    assert register_path.read_bytes() == before


def test_no_automatic_backup_of_a_damaged_register(register_path: Path) -> None:
    with open_register(register_path, PASSPHRASE) as reg:
        many_households(reg)
    corrupt(register_path)
    reg = open_register(register_path, PASSPHRASE)  # opened without the check on start
    try:
        with pytest.raises(errors.RegisterDamaged):
            backup.automatic(reg, "exit")
    finally:
        reg.conn.close()
    assert backup.list_backups(backup.default_folder(register_path)) == []
