"""Change capture: triggers that log every change to a replicated table.

Triggers, not application code, so that every writer of the register is covered:
the GUI, the CLI, a script, or the sqlite shell.  Each change lands in change_log in
the same transaction as the change itself, so a crash can never keep one and lose
the other.  The log is both the record's history and the outbox for change bundles.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Tables that travel between laptops, in an order where parents come before children.
REPLICATED = (
    "household",
    "person",
    "marriage",
    "pregnancy",
    "birth",
    "contraception",
    "supply",
    "visit",
    "move",
    "certificate",
)

_STATE = "(SELECT value FROM local_state WHERE key = '{}')"
_DEVICE = "(SELECT value FROM register_info WHERE key = 'device_id')"
_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
# A change_log row, as the triggers and the bulk writes both write it: when, by whom,
# on which device and from where (this device or a bundle) are read the same way.
_LOG_INTO = "INSERT INTO change_log (tbl, row_id, op, old, new, at, actor, device_id, origin) "
_LOG_WHO = ", ".join((_NOW, _STATE.format("actor"), _DEVICE, _STATE.format("origin")))


def _columns(conn: Any, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _row_json(prefix: str, columns: list[str]) -> str:
    pairs = ", ".join(f"'{c}', {prefix}.{c}" for c in columns)
    return f"json_object({pairs})"


def trigger_sql(table: str, columns: list[str]) -> list[str]:
    """The three capture triggers for one table."""
    log = _LOG_INTO + "VALUES ('{table}', {rid}, '{op}', {old}, {new}, " + _LOG_WHO + ")"
    new_json = _row_json("NEW", columns)
    old_json = _row_json("OLD", columns)
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
    return [
        f"CREATE TRIGGER capture_{table}_insert AFTER INSERT ON {table} BEGIN "
        + log.format(table=table, rid="NEW.id", op="insert", old="NULL", new=new_json)
        + "; END",
        # An UPDATE that changes nothing is not a change: no history row, nothing to send.
        f"CREATE TRIGGER capture_{table}_update AFTER UPDATE ON {table} WHEN {changed} BEGIN "
        + log.format(table=table, rid="NEW.id", op="update", old=old_json, new=new_json)
        + "; END",
        f"CREATE TRIGGER capture_{table}_delete AFTER DELETE ON {table} BEGIN "
        + log.format(table=table, rid="OLD.id", op="delete", old=old_json, new="NULL")
        + "; END",
    ]


def install(conn: Any) -> None:
    """(Re)create the capture triggers from the tables' current columns."""
    remove(conn)
    for table in REPLICATED:
        for sql in trigger_sql(table, _columns(conn, table)):
            conn.execute(sql)


def remove(conn: Any) -> None:
    for table in REPLICATED:
        for op in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS capture_{table}_{op}")


def installed(conn: Any) -> bool:
    names = {
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    ops = ("insert", "update", "delete")
    return all(f"capture_{t}_{op}" in names for t in REPLICATED for op in ops)


# --- a batch logged by statement instead of by row --------------------------------
#
# A writer that sends many rows through one statement (a bundle being applied) may log
# them itself, in bulk: the same change_log rows the triggers write, with the same
# images (json_object over the same columns, made by SQLite from the rows as stored),
# in the same order, with the same actor, device and origin.  Only the timestamp is
# taken once per statement instead of once per row.  Per row, the triggers cost more
# than the write they log.


_LOG_SELECT = (
    _LOG_INTO
    + "SELECT '{table}', x.id, '{op}', {old}, {new}, "
    + _LOG_WHO
    + " FROM json_each(?) j JOIN {table} x ON x.id = j.value ->> 0 {where} ORDER BY j.key"
)


class BulkLog:
    """Runs of INSERT or UPDATE statements, each row logged as the triggers would."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self._images: dict[str, str] = {}

    def _image(self, table: str) -> str:
        if table not in self._images:
            self._images[table] = _row_json("x", _columns(self.conn, table))
        return self._images[table]

    def inserts(self, table: str, sql: str, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        """rows: (id, parameters) of one INSERT statement each."""
        self.conn.executemany(sql, [params for _, params in rows])
        self.conn.execute(
            _LOG_SELECT.format(
                table=table, op="insert", old="NULL", new=self._image(table), where=""
            ),
            (json.dumps([[row_id] for row_id, _ in rows]),),
        )

    def updates(self, table: str, sql: str, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        """rows: (id, parameters) of one UPDATE ... WHERE id = ? statement each.

        A row updated twice is logged twice, each with the image it had then: the rows
        go in runs in which each id appears once.
        """
        start = 0
        while start < len(rows):
            seen: set[str] = set()
            end = start
            while end < len(rows) and rows[end][0] not in seen:
                seen.add(rows[end][0])
                end += 1
            self._updates(table, sql, rows[start:end])
            start = end

    def _updates(self, table: str, sql: str, rows: list[tuple[str, tuple[Any, ...]]]) -> None:
        image = self._image(table)
        ids = json.dumps([[row_id] for row_id, _ in rows])
        before = dict(
            self.conn.execute(
                f"SELECT x.id, {image} FROM json_each(?) j JOIN {table} x ON x.id = j.value ->> 0",
                (ids,),
            )
        )
        self.conn.executemany(sql, [params for _, params in rows])
        # The update trigger's WHEN: a row whose image is unchanged was not changed
        # (every column's value, as stored, is in the image).
        self.conn.execute(
            _LOG_SELECT.format(
                table=table,
                op="update",
                old="j.value ->> 1",
                new=image,
                where=f"WHERE j.value ->> 1 IS NOT {image}",
            ),
            (json.dumps([[row_id, before.get(row_id)] for row_id, _ in rows]),),
        )


@contextmanager
def logged_in_bulk(conn: Any) -> Iterator[BulkLog]:
    """Drop the capture triggers and log the caller's writes through a BulkLog.

    Must run inside the caller's transaction, and every write inside must go through
    the BulkLog: a crash or an error rolls the dropped triggers back with the writes,
    and the triggers are restored, exactly as they were, before the transaction ends.
    """
    names = [f"capture_{t}_{op}" for t in REPLICATED for op in ("insert", "update", "delete")]
    marks = ", ".join("?" for _ in names)
    saved = conn.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", names
    ).fetchall()
    remove(conn)
    try:
        yield BulkLog(conn)
    finally:
        for (sql,) in saved:
            conn.execute(sql)
