"""Reading and writing register rows for the exchange (the SQL sync needs).

Writes made while applying a bundle carry an `origin` (local_state 'origin', read by
the capture triggers), so the change log can tell an imported change from an edit
made on this laptop: only the latter is sent on in the next bundle.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register
from fpdesk.sync import elsewhere

Scalar = str | int | float | None

# The person an event belongs to: it decides which village the event travels to.
PERSON_COLUMNS: dict[str, tuple[str, ...]] = {
    "marriage": ("wife_id", "husband_id"),
    "pregnancy": ("woman_id",),
    "birth": ("mother_id",),
    "contraception": ("woman_id",),
    "supply": ("person_id",),
    "visit": ("person_id",),
    "move": ("person_id",),
    "certificate": ("woman_id",),
}


def columns(register: Register, table: str) -> tuple[str, ...]:
    return tuple(row[1] for row in register.conn.execute(f"PRAGMA table_info({table})"))


def all_columns(register: Register) -> dict[str, tuple[str, ...]]:
    return {table: columns(register, table) for table in REPLICATED}


def get_row(register: Register, table: str, row_id: str) -> dict[str, Any] | None:
    cursor = register.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    found = cursor.fetchone()
    if found is None:
        return None
    return dict(zip([d[0] for d in cursor.description], found, strict=True))


def insert_row(register: Register, table: str, row: Mapping[str, Any]) -> None:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    register.conn.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values()))


def update_row(register: Register, table: str, row_id: str, fields: Mapping[str, Any]) -> None:
    if not fields:
        return
    sets = ", ".join(f"{name} = ?" for name in fields)
    register.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*fields.values(), row_id))


def last_seq(register: Register) -> int:
    return int(register.conn.execute("SELECT coalesce(max(seq), 0) FROM change_log").fetchone()[0])


def touch(register: Register, table: str, row_id: str, actor: str | None) -> None:
    """Log a row as changed without changing it, so it travels in the next update.

    Used when the clerk keeps the township's value: the village, which may still show
    its own value, must receive the decision even though the township row is unchanged.
    """
    row = get_row(register, table, row_id)
    if row is None:
        return
    text = json.dumps(row, ensure_ascii=False)
    register.conn.execute(
        "INSERT INTO change_log (tbl, row_id, op, old, new, at, actor, device_id, origin) "
        "VALUES (?, ?, 'update', ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, "
        "(SELECT value FROM register_info WHERE key = 'device_id'), NULL)",
        (table, row_id, text, text, actor),
    )


@contextmanager
def origin(register: Register, where_from: str) -> Iterator[None]:
    """Mark every change made inside as imported from `where_from`.

    Must run inside the caller's transaction: a crash rolls the marker back with
    the changes, so the laptop never keeps logging its own edits as imported.
    """
    set_origin = "UPDATE local_state SET value = ? WHERE key = 'origin'"
    register.conn.execute(set_origin, (where_from,))
    try:
        yield
    finally:
        register.conn.execute(set_origin, (None,))


def _in_village(table: str, alias: str) -> str:
    """SQL condition: row `alias` of `table` belongs to village `:village`."""
    households = "SELECT id FROM household WHERE village_code = :village"
    persons = f"SELECT id FROM person WHERE household_id IN ({households})"
    if table == "household":
        return f"{alias}.village_code = :village"
    if table == "person":
        return f"{alias}.household_id IN ({households})"
    return " OR ".join(f"{alias}.{col} IN ({persons})" for col in PERSON_COLUMNS[table])


def rehoused(register: Register, after: int) -> set[str]:
    """Persons whose household changed after `after` (the clerk moved them, perhaps to
    another village)."""
    return {
        str(r[0])
        for r in register.conn.execute(
            "SELECT row_id FROM change_log WHERE seq > ? AND tbl = 'person' AND op = 'update'"
            " AND old ->> 'household_id' IS NOT new ->> 'household_id'",
            (after,),
        )
    }


def _naming(table: str, alias: str) -> str:
    """SQL condition: row `alias` of `table` names one of the persons `:moved`."""
    cols = sorted(set(PERSON_COLUMNS.get(table, ())) | set(elsewhere.ELSEWHERE.get(table, ())))
    if table == "person":
        cols = ["id"]
    moved = "SELECT value FROM json_each(:moved)"
    return " OR ".join(f"{alias}.{col} IN ({moved})" for col in cols)


def village_rows(
    register: Register, village: str, after: int | None, moved: Collection[str] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Current rows of one village's area: all of them, or those logged after `after`,
    as the village holds them (persons of other villages named as in `elsewhere`).

    With `after`, the records naming a person whose household changed after it (`moved`,
    read from the log when not given) come too, changed or not: a person moved into the
    village brings her records, and a record staying behind names her as elsewhere."""
    if after is not None and moved is None:
        moved = rehoused(register, after)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in REPLICATED:
        sql = f"SELECT t.* FROM {table} t WHERE ({_in_village(table, 't')})"
        params: dict[str, Any] = {"village": village}
        if after is not None:
            logged = "t.id IN (SELECT row_id FROM change_log WHERE seq > :after AND tbl = :tbl)"
            if moved:
                sql += f" AND ({logged} OR {_naming(table, 't')})"
                params["moved"] = json.dumps(sorted(moved))
            else:
                sql += f" AND {logged}"
            params.update(after=after, tbl=table)
        rows = register.query(sql + " ORDER BY t.id", params)
        if rows:
            out[table] = rows
    if after is not None:  # a spouse elsewhere is named in the village's copy
        have = {row["id"] for row in out.get("marriage", [])}
        more = elsewhere.spouses_changed(register, village, after, have)
        if more:
            out["marriage"] = sorted([*out.get("marriage", []), *more], key=lambda r: r["id"])
    return elsewhere.village_copy(register, village, out)
