"""Opening and creating register files: every refusal is clear and writes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from fpdesk.core.area import AreaCodeError
from fpdesk.store import errors, schema
from fpdesk.store.db import create_register, open_register
from tests.conftest import PASSPHRASE, VILLAGE


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_register_is_encrypted_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "v.fpdesk"
    reg = create_register(path, PASSPHRASE, role="village", area_code=VILLAGE)
    with reg.transaction() as conn:
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no, address) "
            "VALUES ('h1', ?, ?, '01', '幸福路 1 号')",
            (VILLAGE + "010001", VILLAGE),
        )
    reg.close()
    raw = path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert "幸福路".encode() not in raw
    with open_register(path, PASSPHRASE) as again:
        assert again.role == "village"
        assert again.area_code == VILLAGE
        assert again.query("SELECT address FROM household") == [{"address": "幸福路 1 号"}]


def test_connection_settings(register) -> None:  # type: ignore[no-untyped-def]
    conn = register.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_wrong_passphrase_is_refused_and_file_untouched(register_path: Path) -> None:
    before = _digest(register_path)
    with pytest.raises(errors.WrongPassphrase) as caught:
        open_register(register_path, "not the passphrase")
    assert "口令" in caught.value.text.zh and "passphrase" in caught.value.text.en
    assert _digest(register_path) == before
    assert not Path(str(register_path) + "-wal").exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"hello, this is a text file\n", b"PK\x03\x04" + bytes(5000), bytes(4096 * 2 + 7)],
)
def test_files_that_are_not_registers(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "thing.fpdesk"
    path.write_bytes(content)
    expected = errors.NoRegisterHere if not content else errors.NotARegister
    with pytest.raises(expected):
        open_register(path, PASSPHRASE)
    assert path.read_bytes() == content


def test_plain_sqlite_file_is_not_a_register(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    plain = sqlite3.connect(path)
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    before = _digest(path)
    with pytest.raises(errors.NotARegister):
        open_register(path, PASSPHRASE)
    assert _digest(path) == before


def test_encrypted_database_of_another_program_is_not_a_register(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    other = sqlcipher3.connect(str(path))
    other.execute(f"PRAGMA key = '{PASSPHRASE}'")
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    before = _digest(path)
    with pytest.raises(errors.NotARegister):
        open_register(path, PASSPHRASE)
    assert _digest(path) == before


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(errors.NoRegisterHere):
        open_register(tmp_path / "nope.fpdesk", PASSPHRASE)
    assert not (tmp_path / "nope.fpdesk").exists()


def test_create_refuses_existing_file(register_path: Path) -> None:
    before = _digest(register_path)
    with pytest.raises(errors.RegisterExists):
        create_register(register_path, PASSPHRASE, role="village", area_code=VILLAGE)
    assert _digest(register_path) == before


def test_create_checks_role_and_area(tmp_path: Path) -> None:
    with pytest.raises(AreaCodeError):
        create_register(tmp_path / "a", PASSPHRASE, role="village", area_code="450102001000")
    with pytest.raises(AreaCodeError):
        create_register(tmp_path / "b", PASSPHRASE, role="township", area_code=VILLAGE)
    with pytest.raises(AreaCodeError):
        create_register(tmp_path / "c", PASSPHRASE, role="village", area_code="4501")
    with pytest.raises(ValueError):
        create_register(tmp_path / "d", PASSPHRASE, role="county", area_code=VILLAGE)
    with pytest.raises(ValueError):
        create_register(tmp_path / "e", "", role="village", area_code=VILLAGE)
    assert list(tmp_path.iterdir()) == []


def test_register_newer_than_program_is_refused(register_path: Path) -> None:
    reg = open_register(register_path, PASSPHRASE)
    reg.conn.execute(f"PRAGMA user_version = {schema.schema_version() + 1}")
    reg.close()
    before = _digest(register_path)
    with pytest.raises(errors.RegisterTooNew) as caught:
        open_register(register_path, PASSPHRASE)
    assert "升级" in caught.value.text.zh
    assert _digest(register_path) == before


def test_unknown_migration_step_means_newer(register_path: Path) -> None:
    reg = open_register(register_path, PASSPHRASE)
    with reg.transaction() as conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('fpdesk', '9999_from_the_future', '2030-01-01')"
        )
    reg.close()
    with pytest.raises(errors.RegisterTooNew):
        open_register(register_path, PASSPHRASE)


def test_disk_full_keeps_what_was_saved(register) -> None:  # type: ignore[no-untyped-def]
    with register.transaction() as conn:
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no) VALUES ('h1', ?, ?, '01')",
            (VILLAGE + "010001", VILLAGE),
        )
    pages = register.conn.execute("PRAGMA page_count").fetchone()[0]
    # The page limit makes SQLite answer exactly as it does on a full disk (SQLITE_FULL).
    register.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(errors.DiskFull) as caught, register.transaction() as conn:
        for n in range(2, 2000):
            conn.execute(
                "INSERT INTO household (id, code, village_code, group_no, address) "
                "VALUES (?, ?, ?, '01', ?)",
                (f"h{n}", f"{VILLAGE}01{n:04d}", VILLAGE, "长地址" * 200),
            )
    assert "磁盘已满" in caught.value.text.zh
    assert register.query("SELECT id FROM household") == [{"id": "h1"}]
    assert not register.conn.in_transaction


def test_locked_register_gives_a_plain_message(register_path: Path) -> None:
    holder = open_register(register_path, PASSPHRASE)
    holder.conn.execute("BEGIN IMMEDIATE")
    other = open_register(register_path, PASSPHRASE, busy_timeout_ms=50)
    try:
        with pytest.raises(errors.RegisterLocked), other.transaction() as conn:
            conn.execute(
                "INSERT INTO household (id, code, village_code, group_no) "
                "VALUES ('h9', ?, ?, '01')",
                (VILLAGE + "010009", VILLAGE),
            )
    finally:
        holder.conn.execute("ROLLBACK")
        holder.close()
        other.close()


def test_nested_transactions_roll_back_only_the_inner_part(register) -> None:  # type: ignore[no-untyped-def]
    with register.transaction() as conn:
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no) VALUES ('a', ?, ?, '01')",
            (VILLAGE + "010001", VILLAGE),
        )
        with pytest.raises(RuntimeError), register.transaction() as inner:
            inner.execute(
                "INSERT INTO household (id, code, village_code, group_no) "
                "VALUES ('b', ?, ?, '01')",
                (VILLAGE + "010002", VILLAGE),
            )
            raise RuntimeError("form cancelled")
    assert [r["id"] for r in register.query("SELECT id FROM household")] == ["a"]


def test_a_bug_is_not_dressed_up_as_a_user_error(register) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlcipher3.OperationalError), register.transaction() as conn:
        conn.execute("SELECT no_such_column FROM household")
