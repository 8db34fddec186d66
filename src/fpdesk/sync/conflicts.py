"""The clerk's conflict queue: list what did not merge, decide, and send the decision.

Resolving writes the chosen value at the township as an ordinary (captured) edit, so
it travels back to the village in the next update.  When the township's value is
kept the row is unchanged, so it is logged explicitly (rows.touch): the village may
still show its own value and must hear the decision too.
"""

from __future__ import annotations

import json
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log
from fpdesk.store.db import Register
from fpdesk.sync import decisions, keys, merge, rows
from fpdesk.sync.errors import SyncError

TAKES = ("village", "township", "value")

NO_SUCH = Text("没有这个冲突：{id}", "No such conflict: {id}")
DONE = Text("这个冲突已于 {when} 处理过。", "This conflict was already resolved on {when}.")
NEEDS_VALUE = Text("--take value 需要 --value。", "--take value needs --value.")
GONE = Text("记录 {row} 不在本登记册里。", "Record {row} is not in this register.")
STILL_TAKEN = Text(
    "身份证号 {number} 仍属于另一个人（{other}）。请先改正那个人的号码。",
    "ID number {number} still belongs to another person ({other}). Correct that person first.",
)


def open_conflicts(register: Register, *, include_resolved: bool = False) -> list[dict[str, Any]]:
    """The queue, oldest first: for an account of part of the register, only the
    conflicts on records of its own area (they show the persons' values)."""
    where = "" if include_resolved else "WHERE resolved_at IS NULL"
    found = register.query(f"SELECT * FROM sync_conflict {where} ORDER BY created_at, seq, id")
    if not access.covers_register(register):
        villages = {c["id"]: _village(register, c) for c in found}  # unknown: not shown
        found = [c for c in found if villages[c["id"]] and access.sees(register, villages[c["id"]])]
    for row in found:
        for name in ("base", "theirs", "ours", "resolved_value"):
            row[name] = json.loads(row[name]) if row[name] is not None else None
    return found


def _village(register: Register, conflict: dict[str, Any]) -> str | None:
    row = rows.get_row(register, conflict["tbl"], conflict["row_id"]) or {}
    return access.village_of(register, conflict["tbl"], row)


def parse_value(text: str) -> Any:
    """A value typed by the clerk: JSON when it parses (numbers, null), else the text."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    return value if not isinstance(value, dict | list) else text


def resolve(
    register: Register,
    conflict_id: str,
    take: str,
    value: Any = None,
    *,
    has_value: bool = False,
    reason: str = "",
    noted: bool = True,
) -> dict[str, Any]:
    """Decide one conflict.  The decision goes into the history with its reason
    (`noted`=False: a flag closed as part of another decision, which is noted itself)."""
    if take not in TAKES:
        raise SyncError(
            Text(
                "--take 只能是 village、township 或 value。",
                "--take must be village, township or value.",
            )
        )
    found = register.query("SELECT * FROM sync_conflict WHERE id = ?", (conflict_id,))
    if not found:
        raise SyncError(NO_SUCH.format(id=conflict_id))
    conflict = found[0]
    if conflict["resolved_at"] is not None:
        raise SyncError(DONE.format(when=conflict["resolved_at"]))
    if take == "value" and not has_value:
        raise SyncError(NEEDS_VALUE)
    access.require(register, "import")  # the township's queue: the clerk decides
    access.require_area(register, _village(register, conflict))
    actor = register.conn.execute("SELECT value FROM local_state WHERE key = 'actor'").fetchone()[0]
    with register.transaction() as conn:
        chosen = _apply(register, conflict, take, value, actor)
        conn.execute(
            "UPDATE sync_conflict SET resolved_at = ?, resolution = ?, resolved_value = ?,"
            " resolved_by = ? WHERE id = ?",
            (keys.now_text(), take, json.dumps(chosen, ensure_ascii=False), actor, conflict_id),
        )
        if noted:
            decisions.record(
                register,
                decisions.CONFLICT,
                conflict_id,
                reason=reason,
                tbl=conflict["tbl"],
                row_id=conflict["row_id"],
                field=conflict["field"] or None,
                other_row_id=conflict["other_row_id"],
                resolution=take,
                value=chosen,
            )
    access_log.record(register, "import", {"conflict": conflict_id, "take": take})
    return open_conflicts_by_id(register, conflict_id)


def open_conflicts_by_id(register: Register, conflict_id: str) -> dict[str, Any]:
    everything = open_conflicts(register, include_resolved=True)
    return next(c for c in everything if c["id"] == conflict_id)


def _apply(
    register: Register, conflict: dict[str, Any], take: str, value: Any, actor: str | None
) -> Any:
    """Write the decision; returns the value now in the field (None for a flag)."""
    table, row_id, name = conflict["tbl"], conflict["row_id"], conflict["field"]
    current = rows.get_row(register, table, row_id)
    if current is None:
        raise SyncError(GONE.format(row=row_id))
    if conflict["kind"] in merge.FLAGS and not name:
        return None  # a note for the clerk; nothing in the row to change
    chosen = {
        "village": json.loads(conflict["theirs"]),
        "township": current.get(name),
        "value": value,
    }[take]
    if name == "id_number" and chosen:
        other = register.conn.execute(
            "SELECT id FROM person WHERE id_number = ? AND deleted = 0 AND id <> ?",
            (chosen, row_id),
        ).fetchone()
        if other:
            raise SyncError(STILL_TAKEN.format(number=chosen, other=other[0]))
    before = rows.last_seq(register)
    rows.update_row(register, table, row_id, {name: chosen})
    if rows.last_seq(register) == before:
        rows.touch(register, table, row_id, actor)
    return chosen
