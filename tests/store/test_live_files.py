"""Nothing in the process opens a live register's files with ordinary file calls.

On Linux closing any descriptor of a file drops every POSIX lock the process holds on
it, SQLite's included; so the header check runs only before the first connection,
copies go through SQLite, and the register in use is never read as a bundle or
replaced by a restore.  (tests/gui/test_register_locks.py checks the window's locks in
/proc/locks.)"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from fpdesk.store import accounts, backup, db, errors, keyring
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles
from tests.conftest import PASSPHRASE


def test_a_second_connection_reads_no_file_of_the_open_register(
    register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing any descriptor of the register drops the process's POSIX locks on it:
    once the process has it open, opening it again must not read its header."""
    import builtins
    import io

    real_open = io.open
    opened: list[str] = []

    def spy(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    other = register.reopen()
    other.close()
    assert not [name for name in opened if name.startswith(str(register.path))]
    assert db.is_live(register.path)


def test_the_header_is_still_checked_before_the_first_connection(tmp_path: Path) -> None:
    plain = tmp_path / "plain.fpdesk"
    conn = sqlite3.connect(plain)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (zeroblob(5000))")
    conn.commit()
    conn.close()
    with pytest.raises(errors.NotARegister):
        open_register(plain, PASSPHRASE)
    assert not db.is_live(plain)


def test_live_registers_are_known_until_closed(register_path: Path) -> None:
    first = open_register(register_path, PASSPHRASE)
    second = first.reopen()
    assert db.is_live(register_path) and db.is_live_file(str(register_path) + "-wal")
    first.close()
    first.close()  # twice is harmless and does not count twice
    assert db.is_live(register_path)
    second.close()
    assert not db.is_live(register_path)
    assert register_path.absolute() not in db.live_registers()


def test_the_migration_copy_is_made_by_sqlite(register: Register, tmp_path: Path) -> None:
    target = tmp_path / "copy.fpdesk"
    db.copy_to(register, target)
    with open_register(target, PASSPHRASE) as copy:
        assert copy.info == register.info
    assert not target.with_name(target.name + ".partial").exists()


def test_the_register_in_use_is_never_read_as_a_bundle(register: Register) -> None:
    result = bundles.import_file(register, register.path)
    assert result.outcome == "refused"
    assert result.reason is not None and "登记册" in result.reason.zh


def test_a_restore_over_the_open_register_is_refused(register: Register, tmp_path: Path) -> None:
    made = backup.create(register, tmp_path / "backups")
    with pytest.raises(backup.BackupError) as refused:
        backup.restore(made, register.path, PASSPHRASE, confirmed=True)
    assert refused.value.text == backup.STILL_OPEN
    assert register.query("SELECT value FROM register_info WHERE key = 'app'")


def test_a_worker_reopens_a_register_converted_to_accounts_in_the_session(
    register: Register, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)
    accounts.add(register, "王管理", "administrator", None, "admin-pass-1")
    other = register.reopen()  # with the new key, as the same account
    try:
        assert other.account == register.account and other.key == register.key
        assert other.query("SELECT count(*) AS n FROM account")[0]["n"] == 1
    finally:
        other.close()
