"""Writing and reading register rows: one place, so every write is captured the same way.

Rows are plain dicts keyed by column name.  Writers give the table and the fields;
ids are minted here (UUIDv7).  Deleting sets the tombstone: the deletion must travel
to the township like any other change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fpdesk.core.ids import new_id
from fpdesk.store import access
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register

_columns_cache: dict[str, tuple[str, ...]] = {}


def columns(register: Register, table: str) -> tuple[str, ...]:
    if table not in _columns_cache:
        _columns_cache[table] = tuple(
            row[1] for row in register.conn.execute(f"PRAGMA table_info({table})")
        )
    return _columns_cache[table]


def _check(register: Register, table: str, fields: Mapping[str, Any]) -> None:
    if table not in REPLICATED:
        raise ValueError(f"not a register table: {table!r}")
    unknown = set(fields) - set(columns(register, table))
    if unknown:
        raise ValueError(f"{table} has no column(s) {sorted(unknown)}")


def insert(register: Register, table: str, fields: Mapping[str, Any]) -> str:
    """Add a row; returns its id.  Runs inside the caller's transaction if there is one."""
    _check(register, table, fields)
    row = dict(fields)
    row.setdefault("id", new_id())
    access.check_write(register, table, row)  # the account's role and area, if any
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    with register.transaction() as conn:
        conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))
    return str(row["id"])


def update(register: Register, table: str, row_id: str, fields: Mapping[str, Any]) -> None:
    _check(register, table, fields)
    if "id" in fields:
        raise ValueError("a row's id never changes")
    if not fields:
        return
    access.check_write(register, table, fields, row_id)
    sets = ", ".join(f"{name} = ?" for name in fields)
    with register.transaction() as conn:
        cursor = conn.execute(
            f"UPDATE {table} SET {sets} WHERE id = ?", (*fields.values(), row_id)
        )
        if cursor.rowcount != 1:
            raise KeyError(f"{table} {row_id} not found")


def delete(register: Register, table: str, row_id: str) -> None:
    """Tombstone a row (it stays, marked deleted, so the deletion can travel)."""
    update(register, table, row_id, {"deleted": 1})


def get(register: Register, table: str, row_id: str) -> dict[str, Any] | None:
    if table not in REPLICATED:
        raise ValueError(f"not a register table: {table!r}")
    rows = register.query(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    return rows[0] if rows else None


def history(register: Register, row_id: str) -> list[dict[str, Any]]:
    """Every change to one record, oldest first, from the change log."""
    return register.query(
        "SELECT seq, tbl, op, old, new, at, actor, device_id, origin FROM change_log "
        "WHERE row_id = ? ORDER BY seq",
        (row_id,),
    )
