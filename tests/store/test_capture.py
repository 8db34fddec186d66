"""Change capture: every write, by any code path, lands in the change log in its transaction."""

from __future__ import annotations

import contextlib
import json

import pytest

from fpdesk.store import capture, records
from tests.conftest import VILLAGE


def _household(register, seq: int = 1) -> str:  # type: ignore[no-untyped-def]
    return records.insert(
        register,
        "household",
        {"code": f"{VILLAGE}01{seq:04d}", "village_code": VILLAGE, "group_no": "01"},
    )


def test_every_replicated_table_is_captured(register) -> None:  # type: ignore[no-untyped-def]
    assert capture.installed(register.conn)
    rows = register.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    tables = {r[0] for r in rows}
    assert set(capture.REPLICATED) <= tables


def test_insert_update_delete_are_logged_with_actor_and_device(register) -> None:  # type: ignore[no-untyped-def]
    hid = _household(register)
    records.update(register, "household", hid, {"address": "新村 3 号"})
    records.delete(register, "household", hid)
    log = records.history(register, hid)
    assert [row["op"] for row in log] == ["insert", "update", "update"]
    assert json.loads(log[1]["old"])["address"] == ""
    assert json.loads(log[1]["new"])["address"] == "新村 3 号"
    assert json.loads(log[2]["new"])["deleted"] == 1
    assert {row["actor"] for row in log} == {"测试员"}
    assert {row["device_id"] for row in log} == {register.device_id}
    assert all(row["origin"] is None for row in log)


def test_raw_sql_writes_are_captured_too(register) -> None:  # type: ignore[no-untyped-def]
    hid = _household(register)
    with register.transaction() as conn:
        conn.execute("UPDATE household SET phone = '13800000000' WHERE id = ?", (hid,))
        conn.execute("DELETE FROM household WHERE id = ?", (hid,))
    ops = [row["op"] for row in records.history(register, hid)]
    assert ops == ["insert", "update", "delete"]


def test_an_update_that_changes_nothing_is_not_a_change(register) -> None:  # type: ignore[no-untyped-def]
    hid = _household(register)
    records.update(register, "household", hid, {"group_no": "01"})
    assert len(records.history(register, hid)) == 1


def test_rolled_back_change_leaves_no_history(register) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RuntimeError), register.transaction():
        hid = _household(register)
        raise RuntimeError("crash before commit")
    assert register.query("SELECT count(*) AS n FROM change_log") == [{"n": 0}]
    assert records.get(register, "household", hid) is None


def test_capture_can_be_suspended_for_a_bulk_load(register) -> None:  # type: ignore[no-untyped-def]
    with register.transaction() as conn:
        capture.remove(conn)
    assert not capture.installed(register.conn)
    _household(register)
    with register.transaction() as conn:
        capture.install(conn)
    assert capture.installed(register.conn)
    assert register.query("SELECT count(*) AS n FROM change_log") == [{"n": 0}]
    _household(register, 2)
    assert register.query("SELECT count(*) AS n FROM change_log") == [{"n": 1}]


class _Undo(Exception):
    pass


def _log_of(register, write) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The change-log rows `write(conn)` makes, less the timestamp; then undone."""
    rows: list[tuple] = []  # type: ignore[type-arg]
    with pytest.raises(_Undo), register.transaction() as conn:
        conn.execute("UPDATE local_state SET value = 'village:abc' WHERE key = 'origin'")
        write(conn)
        rows = conn.execute(
            "SELECT seq, tbl, row_id, op, old, new, actor, device_id, origin FROM change_log"
            " WHERE origin IS NOT NULL ORDER BY seq"
        ).fetchall()
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        rows.append(tuple(sorted(triggers)))
        raise _Undo
    return rows


def test_a_bulk_log_writes_what_the_triggers_write(register) -> None:  # type: ignore[no-untyped-def]
    a, b = _household(register), _household(register, 2)
    insert = (
        "INSERT INTO household (id, code, village_code, group_no, phone) VALUES (?, ?, ?, ?, ?)"
    )
    new = [
        ("h3", ("h3", f"{VILLAGE}010003", VILLAGE, "01", None)),
        ("h4", ("h4", f"{VILLAGE}010004", VILLAGE, "02", "138")),
    ]
    phone = "UPDATE household SET phone = ? WHERE id = ?"
    edits = [
        (a, ("139", a)),
        (b, (None, b)),  # no change: not logged
        ("h3", ("137", "h3")),
        (a, ("136", a)),  # a again in the same run: logged twice, each with its image
    ]
    registration = "UPDATE household SET registration_type = ?, note = ? WHERE id = ?"
    mixed = [(b, (1.0, "备注", b)), ("h4", (3, None, "h4"))]

    def by_triggers(conn) -> None:  # type: ignore[no-untyped-def]
        conn.executemany(insert, [p for _, p in new])
        for sql, rows in ((phone, edits), (registration, mixed)):
            for _, params in rows:
                conn.execute(sql, params)

    def in_bulk(conn) -> None:  # type: ignore[no-untyped-def]
        with capture.logged_in_bulk(conn) as log:
            assert not capture.installed(conn)
            log.inserts("household", insert, new)
            log.updates("household", phone, edits)
            log.updates("household", registration, mixed)

    expected = _log_of(register, by_triggers)
    assert [row[3] for row in expected[:-1]] == ["insert"] * 2 + ["update"] * 5
    assert _log_of(register, in_bulk) == expected
    assert capture.installed(register.conn)


def test_a_bulk_log_puts_the_triggers_back_after_an_error(register) -> None:  # type: ignore[no-untyped-def]
    hid = _household(register)
    # The error is handled inside the transaction, and the transaction committed.
    with (
        register.transaction() as conn,
        contextlib.suppress(_Undo),
        capture.logged_in_bulk(conn) as log,
    ):
        log.updates("household", "UPDATE household SET phone = ? WHERE id = ?", [(hid, ("1", hid))])
        raise _Undo
    assert capture.installed(register.conn)
    assert [row["op"] for row in records.history(register, hid)] == ["insert", "update"]
