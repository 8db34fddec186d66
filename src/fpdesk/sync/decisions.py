"""The clerk's decisions with who, when and why: the history of the month ends.

Every conflict resolved, every merge of two persons, every un-merge and every pair
found to be two persons is written here in the transaction that makes it, with the
clerk's reason.  The window's history lists and `conflicts list --all` /
`duplicates list --all` read it back.  An update bundle carries the decisions about
the rows it sends (`decisions` in rows.json), so the village learns why its value
was or was not kept; the village keeps them with origin 'township'.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.store.db import Register
from fpdesk.sync import container, keys, rows

CONFLICT = "conflict"
MERGE = "merge"
UNMERGE = "unmerge"
DISTINCT = "distinct"
KINDS = (CONFLICT, MERGE, UNMERGE, DISTINCT)
TITLES = {
    CONFLICT: Text("处理冲突", "conflict resolved"),
    MERGE: Text("合并", "merged"),
    UNMERGE: Text("撤销合并", "merge undone"),
    DISTINCT: Text("确认不是同一人", "found to be two persons"),
}
# What travels in an update bundle, and what a village accepts from one.
_SENT = (
    "id",
    "at",
    "actor",
    "kind",
    "subject",
    "tbl",
    "row_id",
    "field",
    "other_row_id",
    "resolution",
    "value",
    "reason",
)


def record(
    register: Register,
    kind: str,
    subject: str,
    *,
    reason: str,
    tbl: str | None = None,
    row_id: str | None = None,
    field: str | None = None,
    other_row_id: str | None = None,
    resolution: str | None = None,
    value: Any = None,
) -> dict[str, Any]:
    """Write one decision, after the edits it made (inside the caller's transaction):
    its `seq` is the change log's end, so the next update bundle carries it."""
    entry = {
        "id": new_id(),
        "at": keys.now_text(),
        "actor": _actor(register),
        "kind": kind,
        "subject": subject,
        "tbl": tbl,
        "row_id": row_id,
        "field": field,
        "other_row_id": other_row_id,
        "resolution": resolution,
        "value": None if value is None else json.dumps(value, ensure_ascii=False),
        "reason": reason.strip(),
        "seq": rows.last_seq(register),
        "origin": None,
    }
    with register.transaction() as conn:
        conn.execute(
            f"INSERT INTO sync_decision ({', '.join(entry)}) VALUES"
            f" ({', '.join('?' for _ in entry)})",
            list(entry.values()),
        )
    return entry


def history(register: Register, kinds: Iterable[str] = KINDS) -> list[dict[str, Any]]:
    """Every decision of these kinds, oldest first (made here or received)."""
    wanted = list(kinds)
    marks = ", ".join("?" for _ in wanted)
    return register.query(
        f"SELECT * FROM sync_decision WHERE kind IN ({marks}) ORDER BY at, id", wanted
    )


def reason_for(register: Register, subject: str, kind: str = CONFLICT) -> str | None:
    """The reason of the latest decision of this kind about a conflict or a merge."""
    found = register.conn.execute(
        "SELECT reason FROM sync_decision WHERE subject = ? AND kind = ?"
        " ORDER BY at DESC, id DESC LIMIT 1",
        (subject, kind),
    ).fetchone()
    return None if found is None else str(found[0])


def for_update(
    register: Register, after: int, sent: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The decisions made here after `after` about rows an update bundle sends."""
    ids = {str(r["id"]) for items in sent.values() for r in items}
    if not ids:
        return []
    found = register.query(
        "SELECT * FROM sync_decision WHERE seq > ? AND origin IS NULL ORDER BY at, id",
        (after,),
    )
    return [
        {k: d[k] for k in _SENT} for d in found if d["row_id"] in ids or d["other_row_id"] in ids
    ]


def parse(data: object) -> list[dict[str, Any]]:
    """The decisions of an update bundle, checked (a bad list refuses the bundle)."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise container.damaged("decision list malformed")
    for item in data:
        if (
            not isinstance(item, dict)
            or set(item) - set(_SENT)
            or not isinstance(item.get("id"), str)
            or item.get("kind") not in KINDS
            or not all(v is None or isinstance(v, str) for v in item.values())
        ):
            raise container.damaged("decision list malformed")
    return data


def receive(register: Register, items: list[dict[str, Any]]) -> int:
    """Keep the township's decisions at the village (once each)."""
    taken = 0
    for item in items:
        entry = {k: item.get(k) for k in _SENT}
        entry["reason"] = entry["reason"] or ""
        if not entry["at"] or not entry["subject"]:
            continue
        cursor = register.conn.execute(
            f"INSERT OR IGNORE INTO sync_decision ({', '.join(entry)}, origin) VALUES"
            f" ({', '.join('?' for _ in entry)}, 'township')",
            list(entry.values()),
        )
        taken += int(cursor.rowcount)
    return taken


def _actor(register: Register) -> str | None:
    found = register.conn.execute("SELECT value FROM local_state WHERE key = 'actor'").fetchone()
    return None if found is None or found[0] is None else str(found[0])
