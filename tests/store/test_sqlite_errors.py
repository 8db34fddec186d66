"""SQLite's failures are sorted by their result code, each provoked for real here: what
the user can act on becomes a plain bilingual error, anything else stays a bug."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from fpdesk.store import connection, errors
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE


def _caught(work) -> Exception:  # type: ignore[no-untyped-def]
    with pytest.raises(sqlcipher3.DatabaseError) as caught:
        work()
    return caught.value


def test_a_table_in_use_by_the_same_connection_is_locked(register: Register) -> None:
    with pytest.raises(errors.RegisterLocked), register.transaction() as conn:
        conn.execute("CREATE TABLE scratch (x)")
        conn.executemany("INSERT INTO scratch VALUES (?)", [(1,), (2,)])
        reading = conn.execute("SELECT x FROM scratch")
        reading.fetchone()
        conn.execute("DROP TABLE scratch")  # SQLITE_LOCKED: "database table is locked"
    assert register.query("SELECT name FROM sqlite_master WHERE name = 'scratch'") == []


def test_a_register_that_may_not_be_written_is_a_read_only_location(register: Register) -> None:
    register.conn.execute("PRAGMA query_only = ON")  # SQLite answers as for a read-only file
    with pytest.raises(errors.ReadOnlyLocation) as caught, register.transaction() as conn:
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no) VALUES ('h1', ?, ?, '01')",
            (VILLAGE + "010001", VILLAGE),
        )
    assert "只读" in caught.value.text.zh


def test_a_folder_that_does_not_exist_cannot_be_opened(tmp_path: Path) -> None:
    target = tmp_path / "no such folder" / "register.fpdesk"
    exc = _caught(lambda: sqlcipher3.connect(str(target)).execute("SELECT 1"))
    assert exc.sqlite_errorcode & 0xFF == connection.SQLITE_CANTOPEN  # type: ignore[attr-defined]
    with pytest.raises(errors.ReadOnlyLocation):
        connection.connect(target, PASSPHRASE).execute("SELECT 1")


def test_a_file_of_noise_is_not_a_register(tmp_path: Path) -> None:
    noise = tmp_path / "noise.fpdesk"
    noise.write_bytes(bytes(range(256)) * 64)
    conn = connection.connect(noise, PASSPHRASE)
    exc = _caught(lambda: conn.execute("SELECT name FROM sqlite_master").fetchall())
    conn.close()
    assert exc.sqlite_errorcode == connection.SQLITE_NOTADB  # type: ignore[attr-defined]
    assert isinstance(connection.translate(exc, str(noise)), errors.NotARegister)


def test_a_damaged_page_is_not_a_register(tmp_path: Path) -> None:
    # A plain (unencrypted) SQLite file, so that overwriting a page damages its
    # structure rather than its HMAC: SQLite says SQLITE_CORRUPT.
    path = tmp_path / "plain.db"
    conn = sqlcipher3.connect(str(path))
    conn.execute("CREATE TABLE t (x TEXT)")
    conn.executemany("INSERT INTO t VALUES (?)", [("行" * 100,) for _ in range(400)])
    conn.commit()
    conn.close()
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 * 3] = b"\xff" * (4096 * 2 - 8)  # the table's first pages
    path.write_bytes(bytes(data))
    conn = sqlcipher3.connect(str(path))
    exc = _caught(lambda: conn.execute("SELECT count(*), max(length(x)) FROM t").fetchall())
    conn.close()
    assert exc.sqlite_errorcode & 0xFF == connection.SQLITE_CORRUPT  # type: ignore[attr-defined]
    assert isinstance(connection.translate(exc, str(path)), errors.NotARegister)


def test_the_wrong_key_is_a_wrong_passphrase(register_path: Path) -> None:
    with pytest.raises(errors.WrongPassphrase):
        open_register(register_path, "not the passphrase")


def test_bad_json_in_a_query_is_a_bug_not_a_damaged_register(register: Register) -> None:
    """Its message says "malformed", which the old sorting by message took for damage."""
    exc = _caught(lambda: register.conn.execute("SELECT json_extract('{x', '$.a')").fetchall())
    assert "malformed" in str(exc)
    assert exc.sqlite_errorcode == 1  # type: ignore[attr-defined]
    assert connection.translate(exc, str(register.path)) is exc


def test_an_error_without_a_code_is_left_alone() -> None:
    plain = ValueError("database is locked")  # the words alone no longer decide
    assert connection.translate(plain) is plain
