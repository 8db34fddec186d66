"""The village's side: taking the township's update (or a first snapshot) in.

An update carries the township's current copy of every row of this village that
changed there since the village last acknowledged, plus how far the township has
received this laptop's own changes (`ack`).  For each row the laptop takes the
township's values, except fields it changed itself after `ack`: the township has not
seen those yet, and they will be merged there when the next bundle arrives.  So after
a full round trip with no new edits both copies hold the same data.
"""

from __future__ import annotations

import json
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register
from fpdesk.sync import container, decisions, envelope, legacy, rows
from fpdesk.sync.envelope import Opened
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, GAP, FileResult

STALE_REASON = Text(
    "这个更新包比已经导入的旧，或者已经导入过，没有再次导入。",
    "This update is older than, or the same as, one already imported; nothing was imported again.",
)
GAP_REASON = Text(
    "缺少乡镇的第 {first} 到第 {last} 号更新，这个包暂不导入。请向乡镇要一个新的更新包。",
    "Township updates {first} to {last} are missing; this bundle was not applied. Ask the "
    "township for a new update bundle.",
)
TOWNSHIP_RESTORED = Text(
    "乡镇的登记册已从备份恢复，缺少本机第 {ack} 号以后的修改。已按乡镇的数据更新；"
    "下次导出会自动把这些修改重新发给乡镇。",
    "The township's register was restored from a backup and lacks this laptop's changes "
    "after {ack}. Its data was taken in; the next export sends those changes again by "
    "itself.",
)
_SCALARS = frozenset({str, int, float, type(None)})


def parse_rows(register: Register, payload: bytes) -> dict[str, list[dict[str, Any]]]:
    return _parse(register, payload)[0]


def _parse(
    register: Register, payload: bytes
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[str]], list[dict[str, Any]], bool]:
    """The rows, the records that left the village's area (`departed`), the clerk's
    decisions about the rows (`decisions`; older bundles carry none), and whether the
    rows are the village's whole area (`complete`, after a township restore)."""
    data = container.parse_json(payload, "rows.json")
    if not isinstance(data, dict) or not isinstance(data.get("rows"), dict):
        raise container.damaged("row list missing")
    gone = data.get("departed", {})
    if not isinstance(gone, dict) or any(
        table not in REPLICATED
        or not isinstance(ids, list)
        or not all(isinstance(i, str) for i in ids)
        for table, ids in gone.items()
    ):
        raise container.damaged("departed list malformed")
    known = rows.all_columns(register)
    tables: dict[str, list[dict[str, Any]]] = data["rows"]
    for table, items in tables.items():
        if table not in REPLICATED or not isinstance(items, list):
            raise container.damaged(f"unknown table {table[:40]!r}")
        for row in items:
            if not isinstance(row, dict) or not isinstance(row.get("id"), str):
                raise container.damaged(f"a {table} row is malformed")
            if set(row) - set(known[table]):
                raise container.damaged(f"a {table} row names unknown columns")
            if not _SCALARS.issuperset(map(type, row.values())):
                raise container.damaged(f"a {table} row has a nested value")
    return tables, gone, decisions.parse(data.get("decisions")), data.get("complete") is True


def import_update(register: Register, opened: Opened, result: FileResult) -> FileResult:
    """Apply a verified township update.  Runs inside the caller's transaction."""
    manifest, sender = opened.manifest, opened.sender
    tables, gone, decided, complete = _parse(register, opened.payloads.get("rows.json", b""))
    # Moves of 0.1's kinds (a township not yet upgraded), read as it wrote them.
    persons = {row["id"]: row for row in tables.get("person", [])}
    legacy.upgrade_moves(register, tables.get("move", []), persons)
    seen, acked = int(sender["received_upto"]), int(sender["acked_by_peer"])
    newer_ack = manifest["ack"] > acked
    generation = envelope.generation_of(manifest)
    if generation in json.loads(sender["retired_generations"]):
        result.outcome = DUPLICATE  # made before the township was restored again
        result.reason = STALE_REASON
        return result
    # Only a complete update (or a snapshot) can start a new generation here: a partial
    # one of another generation cannot be placed (this laptop may itself be restored).
    restored = generation != sender["generation"] and (complete or manifest["kind"] == "snapshot")
    if generation != sender["generation"] and not restored:
        result.outcome = GAP
        result.reason = GAP_REASON.format(first=seen + 1, last=manifest["after"])
        return result
    if restored:
        # The township was restored from a backup: its sequence numbers start again
        # from the backup, and it lacks our changes after its `ack`.  Take its update
        # whatever our counters say, keep (and send again) every field changed here
        # after that ack, and count from its numbers from now on.
        _new_generation(register, sender, generation)
    elif manifest["kind"] != "snapshot":
        if manifest["upto"] < seen or (manifest["upto"] == seen and not newer_ack):
            _take_ack(register, sender["device_id"], manifest["ack"])
            result.outcome = DUPLICATE
            result.reason = STALE_REASON
            return result
        if manifest["after"] > seen:
            result.outcome = GAP
            result.reason = GAP_REASON.format(first=seen + 1, last=manifest["after"])
            return result
    pending = _pending_fields(register, manifest["ack"])
    with rows.origin(register, f"township:{sender['device_id']}"):
        for table in REPLICATED:
            for row in tables.get(table, []):
                outcome = _take_row(register, table, row, pending.get(row["id"], set()))
                if outcome:
                    result.applied += 1
                else:
                    result.unchanged += 1
        if complete:
            gone = _not_listed(register, tables, pending)
        for table in reversed(REPLICATED):
            for row_id in gone.get(table, []):
                result.applied += _let_go(register, table, row_id)
    decisions.receive(register, decided)
    register.conn.execute(
        "UPDATE sync_device SET received_upto = max(received_upto, ?) WHERE device_id = ?",
        (manifest["upto"], sender["device_id"]),
    )
    _take_ack(register, sender["device_id"], manifest["ack"])
    result.outcome = ACCEPTED
    if restored:
        result.reason = TOWNSHIP_RESTORED.format(ack=manifest["ack"])
    return result


def _new_generation(register: Register, sender: dict[str, Any], generation: str) -> None:
    """Count the township's stream and its acks afresh: both counters are set below
    (they only ever rise otherwise), and the old generation's updates become stale."""
    retired = [*json.loads(sender["retired_generations"]), sender["generation"]]
    register.conn.execute(
        "UPDATE sync_device SET received_upto = 0, acked_by_peer = 0, generation = ?,"
        " retired_generations = ? WHERE device_id = ?",
        (generation, json.dumps(retired), sender["device_id"]),
    )


def _not_listed(
    register: Register, tables: dict[str, list[dict[str, Any]]], pending: dict[str, set[str]]
) -> dict[str, list[str]]:
    """Rows held here that a complete update does not list and that were not changed
    here since the township's ack: the township no longer has them in this village
    (lost with its restore, or moved to another village meanwhile)."""
    out: dict[str, list[str]] = {}
    for table in REPLICATED:
        listed = {row["id"] for row in tables.get(table, [])}
        held = [str(r[0]) for r in register.conn.execute(f"SELECT id FROM {table}")]
        missing = [i for i in held if i not in listed and i not in pending]
        if missing:
            out[table] = missing
    return out


def _take_ack(register: Register, device: str, ack: int) -> None:
    register.conn.execute(
        "UPDATE sync_device SET acked_by_peer = max(acked_by_peer, ?) WHERE device_id = ?",
        (ack, device),
    )


def _take_row(register: Register, table: str, row: dict[str, Any], keep: set[str]) -> bool:
    """Write the township's values except the fields in `keep`; True if anything changed."""
    ours = rows.get_row(register, table, row["id"])
    if ours is None:
        rows.insert_row(register, table, row)
        return True
    writes = {k: v for k, v in row.items() if k not in keep and k != "id" and ours.get(k) != v}
    rows.update_row(register, table, row["id"], writes)
    return bool(writes)


def _let_go(register: Register, table: str, row_id: str) -> int:
    """Remove a record the township says no longer belongs to this village (its person
    was merged into a person of another village, which now holds it).  Logged as
    imported, so it is never sent back as this laptop's own deletion."""
    cursor = register.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
    return int(cursor.rowcount)


def _pending_fields(register: Register, ack: int) -> dict[str, set[str]]:
    """Fields changed on this laptop after `ack`: not yet seen by the township."""
    pending: dict[str, set[str]] = {}
    cursor = register.conn.execute(
        "SELECT row_id, op, old, new FROM change_log WHERE seq > ? AND origin IS NULL", (ack,)
    )
    for row_id, op, old_text, new_text in cursor:
        new = json.loads(new_text) if new_text else {}
        old = json.loads(old_text) if old_text else {}
        if op == "insert":
            changed = set(new)
        else:
            changed = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
        pending.setdefault(row_id, set()).update(changed)
    return pending
