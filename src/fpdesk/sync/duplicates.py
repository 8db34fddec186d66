"""The same person entered in two villages: find the pairs, merge them, undo a merge.

Candidates come from the import's flags (an ID number that already belonged to
someone; the same name and birth date as a person of another village) and from a
scan of the register for persons of different villages with the same name, birth
date and mother's name.

Merging keeps one person (the survivor) with the value chosen for each field; the
other becomes a tombstone whose note points to the survivor, and every record that
named it (births, visits, marriages, ...) is re-pointed to the survivor.  Every write
is an ordinary captured edit, so the merge travels to both villages in their next
update bundles and both records keep their history.  What the merge changed is kept
in a merge record (local to this township register), from which un-merge restores
both persons and points the records back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.store import bulk
from fpdesk.store.db import Register
from fpdesk.sync import conflicts, decisions, keys, merge, rows
from fpdesk.sync.errors import SyncError

SAME_ID_NUMBER = "same_id_number"
SAME_NAME_BIRTH_MOTHER = "same_name_birth_mother"
SAME_NAME_BIRTH = "same_name_birth"
REASONS = {
    SAME_ID_NUMBER: Text("身份证号相同", "same ID number"),
    SAME_NAME_BIRTH_MOTHER: Text("姓名、出生日期和母亲相同", "same name, birth date and mother"),
    SAME_NAME_BIRTH: Text("姓名和出生日期相同", "same name and birth date"),
}
# Every column that names a person: re-pointed by a merge.
PERSON_REFERENCES: dict[str, tuple[str, ...]] = {
    "household": ("head_id",),
    "marriage": ("wife_id", "husband_id"),
    "pregnancy": ("woman_id",),
    "birth": ("mother_id", "father_id", "child_id"),
    "contraception": ("woman_id", "user_id"),
    "supply": ("person_id",),
    "visit": ("person_id",),
    "move": ("person_id",),
    "certificate": ("woman_id",),
}
FIXED = ("id", "deleted")
_RECORD = "person_merge:"

NOT_A_PERSON = Text("没有这个人：{id}", "No such person: {id}")
SAME_PERSON = Text("不能把一个人和自己合并。", "A person cannot be merged with itself.")
ALREADY_GONE = Text(
    "{name} 已经删除或合并过，不能再合并。", "{name} is deleted or already merged; not merged."
)
NO_SUCH_MERGE = Text("没有这次合并：{id}", "No such merge: {id}")
UNDONE_ALREADY = Text("这次合并已经撤销过。", "This merge was already undone.")
NEEDS_REASON = Text("请写明合并的理由。", "Please give a reason for the merge.")
NEEDS_UNMERGE_REASON = Text("请写明撤销合并的理由。", "Please give a reason for undoing the merge.")
CHANGED_SINCE = Text(
    "{name} 在合并后又被修改过（{fields}），不能自动撤销。请先核对这些字段。",
    "{name} was edited after the merge ({fields}); the merge cannot be undone automatically. "
    "Check these fields first.",
)
MERGED_NOTE = "合并到 merged into {survivor}"
# A village's edit of a person merged away here, sent before the village heard of the
# merge: it is merged into the kept person, and a clash there is asked as this kind.
MERGED_FIELD = "merged_field"
CONFLICT_KINDS = {
    MERGED_FIELD: Text(
        "村里修改的人已在乡里合并到另一个人，保留的人这一项不同",
        "the village edited a person merged here into another; the kept person differs",
    ),
}


@dataclass
class Candidate:
    """Two persons of different villages who may be one."""

    a: dict[str, Any]
    b: dict[str, Any]
    reason: str
    conflict_ids: list[str]

    @property
    def reason_text(self) -> Text:
        return REASONS[self.reason]

    @property
    def key(self) -> tuple[str, str]:
        return _pair(self.a["id"], self.b["id"])


def _pair(x: str, y: str) -> tuple[str, str]:
    return (x, y) if x < y else (y, x)


def person(register: Register, person_id: str) -> dict[str, Any] | None:
    return persons(register, {person_id}).get(person_id)


def candidates(register: Register, *, scan: bool = False) -> list[Candidate]:
    """Pairs to look at, each with why they match: the import's flags, and with `scan`
    the whole register too (a full pass over births: seconds at district scale, so
    the window runs it in the background on request)."""
    found: dict[tuple[str, str], Candidate] = {}
    kinds = (merge.DUPLICATE_ID_NUMBER, merge.POSSIBLE_DUPLICATE)
    flagged = [
        f
        for f in register.query(
            "SELECT id, kind, row_id, other_row_id FROM sync_conflict"
            " WHERE resolved_at IS NULL AND kind IN (?, ?) ORDER BY created_at, id",
            kinds,
        )
        if f["other_row_id"]
    ]
    people = persons(
        register, {f["row_id"] for f in flagged} | {f["other_row_id"] for f in flagged}
    )
    for flag in flagged:
        a, b = people.get(flag["row_id"]), people.get(flag["other_row_id"])
        if a is None or b is None or a["deleted"] or b["deleted"]:
            continue
        key = _pair(a["id"], b["id"])
        if flag["kind"] == merge.DUPLICATE_ID_NUMBER:
            reason = SAME_ID_NUMBER
        elif a["mother_name"] and a["mother_name"] == b["mother_name"]:
            reason = SAME_NAME_BIRTH_MOTHER
        else:
            reason = SAME_NAME_BIRTH
        if key in found:
            found[key].conflict_ids.append(flag["id"])
            if reason == SAME_ID_NUMBER:
                found[key].reason = reason
        else:
            found[key] = Candidate(a, b, reason, [flag["id"]])
    if scan:
        for candidate in scanned(register):
            if candidate.key not in found:
                found[candidate.key] = candidate
    return list(found.values())


def persons(register: Register, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Several persons with their village, household code and mother's name, read in
    a few queries (birth has no index on the child: one pass over it, not one each)."""
    out: dict[str, dict[str, Any]] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in register.query(
            "SELECT p.*, h.village_code AS village_code, h.code AS household_code"
            " FROM person p LEFT JOIN household h ON h.id = p.household_id"
            f" WHERE p.id IN ({marks})",
            chunk,
        ):
            row["mother_name"] = None
            out[row["id"]] = row
    if out:
        for child, mother in register.conn.execute(
            "SELECT b.child_id, m.name FROM birth b JOIN person m ON m.id = b.mother_id"
            " WHERE b.deleted = 0 AND b.child_id IS NOT NULL"
        ):
            if child in out and out[child]["mother_name"] is None:
                out[child]["mother_name"] = mother
    return out


def scanned(register: Register) -> list[Candidate]:
    """Persons of different villages with the same name, birth date and mother's name,
    not already dismissed as two persons."""
    groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
    for child, born, name, mother, village in register.conn.execute(
        "SELECT p.id, p.birth_date, p.name, m.name, h.village_code FROM birth b"
        " JOIN person p ON p.id = b.child_id JOIN person m ON m.id = b.mother_id"
        " JOIN household h ON h.id = p.household_id"
        " WHERE b.deleted = 0 AND p.deleted = 0"
    ):
        groups.setdefault((born, name, mother), []).append((str(child), str(village)))
    out: list[Candidate] = []
    seen: set[tuple[str, str]] = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        for i, (x, x_village) in enumerate(members):
            for y, y_village in members[i + 1 :]:
                key = _pair(x, y)
                if x_village == y_village or key in seen or _dismissed(register, key):
                    continue
                seen.add(key)
    people = persons(register, {x for key in seen for x in key})
    for x, y in sorted(seen):
        a, b = people.get(x), people.get(y)
        if a is not None and b is not None:
            out.append(Candidate(a, b, SAME_NAME_BIRTH_MOTHER, []))
    return out


def _dismissed(register: Register, key: tuple[str, str]) -> bool:
    found = register.conn.execute(
        "SELECT 1 FROM local_state WHERE key = ?", (f"person_distinct:{key[0]}:{key[1]}",)
    ).fetchone()
    return found is not None


def is_dismissed(register: Register, a_id: str, b_id: str) -> bool:
    return _dismissed(register, _pair(a_id, b_id))


def dismiss(
    register: Register, a_id: str, b_id: str, conflict_ids: list[str], *, reason: str = ""
) -> None:
    """Not the same person: close the flags and stop offering the pair."""
    with register.transaction() as conn:
        for conflict_id in conflict_ids:
            conflicts.resolve(register, conflict_id, "township", noted=False)
        key = _pair(a_id, b_id)
        conn.execute(
            "INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
            (f"person_distinct:{key[0]}:{key[1]}", keys.now_text()),
        )
        decisions.record(
            register,
            decisions.DISTINCT,
            f"{key[0]}:{key[1]}",
            reason=reason,
            tbl="person",
            row_id=a_id,
            other_row_id=b_id,
        )


def mergeable_fields(register: Register) -> list[str]:
    return [c for c in rows.columns(register, "person") if c not in FIXED]


def merge_persons(
    register: Register,
    survivor_id: str,
    other_id: str,
    take_other: set[str] | frozenset[str] = frozenset(),
    *,
    reason: str,
    conflict_ids: list[str] | None = None,
) -> str:
    """Merge `other` into `survivor`; fields in `take_other` take the other's value.

    Returns the merge id (for un-merge).  One transaction; every write captured.
    """
    if not reason.strip():
        raise SyncError(NEEDS_REASON)
    if survivor_id == other_id:
        raise SyncError(SAME_PERSON)
    survivor = rows.get_row(register, "person", survivor_id)
    other = rows.get_row(register, "person", other_id)
    for pid, row in ((survivor_id, survivor), (other_id, other)):
        if row is None:
            raise SyncError(NOT_A_PERSON.format(id=pid))
        if row["deleted"]:
            raise SyncError(ALREADY_GONE.format(name=row["name"]))
    assert survivor is not None and other is not None
    unknown = set(take_other) - set(mergeable_fields(register))
    if unknown:
        raise SyncError(
            Text("不能合并这些字段：{f}", "These fields cannot be merged: {f}").format(
                f=", ".join(sorted(unknown))
            )
        )
    merge_id = new_id()
    chosen = {f: other[f] for f in sorted(take_other) if other[f] != survivor[f]}
    tombstone = {
        "deleted": 1,
        "note": MERGED_NOTE.format(survivor=survivor_id),
    }
    if "id_number" in chosen:
        tombstone["id_number"] = None  # the number moves to the survivor
    with bulk.writing(register) as conn:  # repoints many records
        repointed: list[list[str]] = []
        for table, columns in PERSON_REFERENCES.items():
            for column in columns:
                for (row_id,) in conn.execute(
                    f"SELECT id FROM {table} WHERE {column} = ?", (other_id,)
                ).fetchall():
                    rows.update_row(register, table, row_id, {column: survivor_id})
                    repointed.append([table, row_id, column])
        rows.update_row(register, "person", other_id, tombstone)
        rows.update_row(register, "person", survivor_id, chosen)
        for conflict_id in conflict_ids or []:
            conn.execute(
                "UPDATE sync_conflict SET resolved_at = ?, resolution = 'merged',"
                " resolved_value = ?, resolved_by = ? WHERE id = ? AND resolved_at IS NULL",
                (keys.now_text(), json.dumps(survivor_id), _actor(register), conflict_id),
            )
        record = {
            "id": merge_id,
            "at": keys.now_text(),
            "actor": _actor(register),
            "reason": reason.strip(),
            "survivor": survivor_id,
            "other": other_id,
            "survivor_before": survivor,
            "other_before": other,
            "survivor_set": chosen,
            "other_set": tombstone,
            "repointed": repointed,
            "conflicts": list(conflict_ids or []),
            "undone_at": None,
        }
        conn.execute(
            "INSERT INTO local_state (key, value) VALUES (?, ?)",
            (_RECORD + merge_id, json.dumps(record, ensure_ascii=False)),
        )
        decisions.record(
            register,
            decisions.MERGE,
            merge_id,
            reason=reason,
            tbl="person",
            row_id=survivor_id,
            other_row_id=other_id,
            resolution="merged",
            value=sorted(chosen),
        )
    return merge_id


def merges(register: Register, *, include_undone: bool = False) -> list[dict[str, Any]]:
    found = [
        json.loads(str(r[0]))
        for r in register.conn.execute(
            "SELECT value FROM local_state WHERE key LIKE ? ORDER BY key", (_RECORD + "%",)
        )
    ]
    return [m for m in found if include_undone or m["undone_at"] is None]


def kept_persons(register: Register) -> dict[str, tuple[str, str]]:
    """Merged-away person -> (the person now kept for it, the merge that took it away),
    for the merges not undone; a survivor merged away later leads on to its own."""
    direct = {m["other"]: (str(m["survivor"]), str(m["id"])) for m in merges(register)}
    out: dict[str, tuple[str, str]] = {}
    for other, (survivor, merge_id) in direct.items():
        seen = {other}
        while survivor in direct and survivor not in seen:
            seen.add(survivor)
            survivor = direct[survivor][0]
        out[other] = (survivor, merge_id)
    return out


def note_repointed(register: Register, merge_id: str, repointed: list[list[str]]) -> None:
    """Records re-pointed to the survivor after the merge (a village's work on the
    merged-away person that arrived later): un-merge points them back too."""
    stored = register.conn.execute(
        "SELECT value FROM local_state WHERE key = ?", (_RECORD + merge_id,)
    ).fetchone()
    if stored is None or not repointed:
        return
    record: dict[str, Any] = json.loads(str(stored[0]))
    record["repointed"] = [*record["repointed"], *repointed]
    register.conn.execute(
        "UPDATE local_state SET value = ? WHERE key = ?",
        (json.dumps(record, ensure_ascii=False), _RECORD + merge_id),
    )


def unmerge(register: Register, merge_id: str, *, reason: str) -> dict[str, Any]:
    """Bring both persons back as they were and point the records back; the reason
    goes into the history beside the merge's."""
    if not reason.strip():
        raise SyncError(NEEDS_UNMERGE_REASON)
    stored = register.conn.execute(
        "SELECT value FROM local_state WHERE key = ?", (_RECORD + merge_id,)
    ).fetchone()
    if stored is None:
        raise SyncError(NO_SUCH_MERGE.format(id=merge_id))
    record: dict[str, Any] = json.loads(str(stored[0]))
    if record["undone_at"] is not None:
        raise SyncError(UNDONE_ALREADY)
    survivor_id, other_id = record["survivor"], record["other"]
    with bulk.writing(register) as conn:  # repoints many records
        for pid, set_key in ((survivor_id, "survivor_set"), (other_id, "other_set")):
            now = rows.get_row(register, "person", pid)
            assert now is not None
            edited = [f for f, v in record[set_key].items() if now.get(f) != v]
            if edited:
                raise SyncError(
                    CHANGED_SINCE.format(name=now["name"], fields=", ".join(sorted(edited)))
                )
        before = record["survivor_before"]
        rows.update_row(
            register, "person", survivor_id, {f: before[f] for f in record["survivor_set"]}
        )
        before = record["other_before"]
        rows.update_row(register, "person", other_id, {f: before[f] for f in record["other_set"]})
        for table, row_id, column in record["repointed"]:
            current = rows.get_row(register, table, row_id)
            if current is not None and current[column] == survivor_id:
                rows.update_row(register, table, row_id, {column: other_id})
        for conflict_id in record["conflicts"]:
            conn.execute(
                "UPDATE sync_conflict SET resolved_at = NULL, resolution = NULL,"
                " resolved_value = NULL, resolved_by = NULL WHERE id = ? AND resolution = 'merged'",
                (conflict_id,),
            )
        record["undone_at"] = keys.now_text()
        record["undone_by"] = _actor(register)
        record["undone_reason"] = reason.strip()
        conn.execute(
            "UPDATE local_state SET value = ? WHERE key = ?",
            (json.dumps(record, ensure_ascii=False), _RECORD + merge_id),
        )
        decisions.record(
            register,
            decisions.UNMERGE,
            merge_id,
            reason=reason,
            tbl="person",
            row_id=survivor_id,
            other_row_id=other_id,
        )
    return record


def _actor(register: Register) -> str | None:
    found = register.conn.execute("SELECT value FROM local_state WHERE key = 'actor'").fetchone()
    return None if found is None or found[0] is None else str(found[0])
