"""Change capture: triggers that log every change to a replicated table.

Triggers, not application code, so that every writer of the register is covered:
the GUI, the CLI, a script, or the sqlite shell.  Each change lands in change_log in
the same transaction as the change itself, so a crash can never keep one and lose
the other.  The log is both the record's history and the outbox for change bundles.
"""

from __future__ import annotations

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


def _columns(conn: Any, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _row_json(prefix: str, columns: list[str]) -> str:
    pairs = ", ".join(f"'{c}', {prefix}.{c}" for c in columns)
    return f"json_object({pairs})"


def trigger_sql(table: str, columns: list[str]) -> list[str]:
    """The three capture triggers for one table."""
    log = (
        "INSERT INTO change_log (tbl, row_id, op, old, new, at, actor, device_id, origin) "
        "VALUES ('{table}', {rid}, '{op}', {old}, {new}, " + _NOW + ", "
        + _STATE.format("actor") + ", " + _DEVICE + ", " + _STATE.format("origin") + ")"
    )
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
