"""The township's side: taking a village's changes in, merging them field by field.

A village bundle carries every change the laptop made after the sequence the township
last acknowledged, so bundles overlap and a lost one costs nothing.  Each change is
identified by (device, sequence) and remembered by content hash:
- a change already received must be byte-for-byte the same, else the laptop was
  restored from an old backup and the bundle is a fork, held whole for the clerk;
- a bundle that starts after the last received sequence is a gap: the missing range
  is named and nothing is applied;
- everything new is merged in one transaction, together with its ledger row.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store import backup, capture
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register
from fpdesk.sync import container, duplicates, envelope, legacy, merge, own_village, rows
from fpdesk.sync.batches import batches
from fpdesk.sync.envelope import Opened
from fpdesk.sync.errors import BundleRefused
from fpdesk.sync.keys import now_text
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, FORK, GAP, FileResult

GAP_REASON = Text(
    "缺少第 {first} 到第 {last} 号修改（之前的包没有收到），这个包暂不导入。"
    "请让村里重新导出：新包会包含缺少的部分。",
    "Changes {first} to {last} are missing (an earlier bundle never arrived); this bundle "
    "was not applied. Ask the village for a new export: it will carry the missing part.",
)
RESTORED_GAP_REASON = Text(
    "本登记册是从 {made} 的备份恢复的，村里第 {first} 到第 {last} 号修改随之丢失，这个包暂不导入。"
    "村里导入乡镇的下一个更新包后会自动重新发送；也可以在村里运行"
    " bundle export --resend-from {resend}。",
    "This register was restored from a backup made {made}, and the village's changes "
    "{first} to {last} were lost with it; this bundle was not applied. The village sends "
    "them again by itself once it imports the township's next update, or at once with "
    "bundle export --resend-from {resend}.",
)
FORK_REASON = Text(
    "第 {seq} 号修改与以前收到的不同：这台电脑可能是从旧备份恢复的。包已保留，等待文员处理。",
    "Change {seq} differs from the one received before: this laptop may have been "
    "restored from an old backup. The bundle is held for the clerk.",
)
DUPLICATE_REASON = Text(
    "这个包里的修改以前都已导入，没有再次导入。",
    "Every change in this bundle was imported before; nothing was imported again.",
)
_OPS = ("insert", "update", "delete")
_IMAGES = {"insert": (False, True), "update": (True, True), "delete": (True, False)}
_SCALARS = frozenset({str, int, float, type(None)})


@dataclass(frozen=True)
class Change:
    seq: int
    tbl: str
    row_id: str
    op: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    item: list[Any]

    def digest(self) -> str:
        return hashlib.sha256(container.canonical(self.item)).hexdigest()


def parse_changes(register: Register, payload: bytes, after: int, upto: int) -> list[Change]:
    """The change list, checked item by item before any of it is used."""
    return parse_change_list(payload, after, upto, rows.all_columns(register))


def parse_change_list(
    payload: bytes, after: int, upto: int, columns: Mapping[str, Iterable[str]]
) -> list[Change]:
    """The change list checked against the replicated tables' `columns` (a register's,
    or the district hub's: hub.exchange)."""
    data = container.parse_json(payload, "changes.json")
    if not isinstance(data, dict) or not isinstance(data.get("changes"), list):
        raise container.damaged("change list missing")
    known = {table: frozenset(names) for table, names in columns.items()}
    out: list[Change] = []
    previous = after
    for item in data["changes"]:
        change = _one_change(item, known)
        if not previous < change.seq <= upto:
            raise container.damaged(f"change {change.seq} out of order or outside the range")
        previous = change.seq
        out.append(change)
    return out


def _one_change(item: Any, known: dict[str, frozenset[str]]) -> Change:
    if not isinstance(item, list) or len(item) != 8:
        raise container.damaged("a change is malformed")
    seq, tbl, row_id, op, old, new = item[:6]
    if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(row_id, str):
        raise container.damaged("a change is malformed")
    if tbl not in REPLICATED or op not in _OPS:
        raise container.damaged(f"unknown table or operation in change {seq}")
    for image in (old, new):
        if image is None:
            continue
        if not isinstance(image, dict) or image.get("id") != row_id:
            raise container.damaged(f"change {seq} is malformed")
        if not known[tbl].issuperset(image):
            unknown = sorted(set(image) - known[tbl])
            raise container.damaged(f"change {seq} names unknown columns {unknown}")
        if not _SCALARS.issuperset(map(type, image.values())):
            raise container.damaged(f"change {seq} has a nested value")
    if (old is not None, new is not None) != _IMAGES[op]:
        raise container.damaged(f"change {seq} is malformed")
    return Change(seq, tbl, row_id, op, old, new, item)


def import_changes(
    register: Register, opened: Opened, result: FileResult, data: bytes
) -> FileResult:
    """Apply a verified village bundle.  Runs inside the caller's transaction."""
    manifest, sender = opened.manifest, opened.sender
    device = sender["device_id"]
    changes = parse_changes(
        register, opened.payloads.get("changes.json", b""), manifest["after"], manifest["upto"]
    )
    received = int(sender["received_upto"])
    if manifest["after"] > received:
        result.outcome = GAP
        result.reason = _gap_reason(register, received, manifest["after"])
        return result
    overlap = min(received, manifest["upto"])
    forked = _fork(register, device, manifest["after"], overlap, changes)
    if forked is not None:
        result.outcome = FORK
        result.reason = FORK_REASON.format(seq=forked)
        register.conn.execute(
            "INSERT OR IGNORE INTO sync_held (file_hash, device_id, held_at, reason, data)"
            " VALUES (?, ?, ?, ?, ?)",
            (result.file_hash, device, now_text(), result.reason.en, data),
        )
        return result
    fresh = [c for c in changes if c.seq > received]
    if not fresh and manifest["upto"] <= received:
        _take_ack(register, opened)
        result.outcome = DUPLICATE
        result.reason = DUPLICATE_REASON
        result.unchanged = len(changes)
        return result
    legacy.upgrade_changes(register, fresh)  # moves of 0.1's kinds, read as it wrote them
    merger = _Merger(register, device, sender["area_code"])
    merger.load(fresh)  # raises BundleRefused for a change outside the sender's village
    _take_ack(register, opened)
    for change in fresh:
        merger.apply(change)
    with rows.origin(register, f"village:{device}"):
        merger.flush()
    register.conn.executemany(
        "INSERT INTO sync_received (device_id, seq, change_hash) VALUES (?, ?, ?)",
        [(device, c.seq, c.digest()) for c in fresh],
    )
    register.conn.execute(
        "UPDATE sync_device SET received_upto = ? WHERE device_id = ?",
        (max(received, manifest["upto"]), device),
    )
    result.outcome = ACCEPTED
    result.applied, result.unchanged, result.queued = merger.counts()
    result.unchanged += len(changes) - len(fresh)
    result.conflicts = merger.conflict_ids
    return result


def _take_ack(register: Register, opened: Opened) -> None:
    """The village says how much of the township's updates it has applied.

    Only an ack made in this register's generation counts: after a restore from a
    backup, a laptop that has not yet taken an update of the new generation acks
    sequence numbers this register has since given to other changes.  Its first ack of
    the new generation confirms it has heard of the restore (see bundles._export_update).
    """
    if envelope.generation_of(opened.manifest) != backup.generation(register):
        return
    register.conn.execute(
        "UPDATE sync_device SET acked_by_peer = max(acked_by_peer, ?), generation = ?"
        " WHERE device_id = ?",
        (opened.manifest["ack"], backup.generation(register), opened.sender["device_id"]),
    )


def _gap_reason(register: Register, received: int, after: int) -> Text:
    restored = backup.generation(register)
    if not restored:
        return GAP_REASON.format(first=received + 1, last=after)
    made = register.conn.execute(
        "SELECT value FROM register_info WHERE key = ?", (backup.RESTORED_BACKUP_MADE_AT,)
    ).fetchone()
    return RESTORED_GAP_REASON.format(
        first=received + 1, last=after, made=made[0] if made else "?", resend=received
    )


def _fork(
    register: Register, device: str, after: int, overlap: int, changes: list[Change]
) -> int | None:
    """The first sequence in (after, overlap] where this bundle and what was received
    disagree, if any: both cover that range, so both must hold the same changes."""
    if after >= overlap:
        return None
    known = dict(
        register.conn.execute(
            "SELECT seq, change_hash FROM sync_received"
            " WHERE device_id = ? AND seq > ? AND seq <= ?",
            (device, after, overlap),
        )
    )
    resent = {c.seq: c.digest() for c in changes if c.seq <= overlap}
    for seq in sorted(set(known) | set(resent)):
        if known.get(seq) != resent.get(seq):
            return seq
    return None


_TABLE_ORDER = {table: n for n, table in enumerate(REPLICATED)}


def unique_keys(register: Register) -> dict[str, list[tuple[str, ...]]]:
    """The columns of each replicated table's unique indexes, its primary key aside."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for table in REPLICATED:
        for _, name, unique, origin, _ in register.conn.execute(f"PRAGMA index_list({table})"):
            if unique and origin != "pk":
                info = register.conn.execute(f"PRAGMA index_info({name})")
                out.setdefault(table, []).append(tuple(row[2] for row in info))
    return out


@functools.lru_cache(maxsize=1024)
def _insert_sql(table: str, names: tuple[str, ...]) -> str:
    marks = ", ".join("?" for _ in names)
    return f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})"


@functools.lru_cache(maxsize=1024)
def _update_sql(table: str, names: tuple[str, ...]) -> str:
    sets = ", ".join(f"{name} = ?" for name in names)
    return f"UPDATE {table} SET {sets} WHERE id = ?"


@dataclass(frozen=True)
class _Write:
    order: tuple[int, bool, int]  # (table, is an update, seq)
    sql: str
    params: tuple[Any, ...]
    table: str
    row_id: str


class _Merger:
    """Applies one bundle's new changes.

    The rows the bundle touches are read in a few queries up front and kept current in
    memory; the writes are queued in order and sent as runs of executemany.  Order is
    kept, so an insert and a later edit of the same row land as they were made.
    """

    def __init__(self, register: Register, device: str, area_code: str) -> None:
        self.register = register
        self.device = device
        self.area_code = area_code
        self.applied = self.unchanged = self.queued = 0
        self.conflict_ids: list[str] = []
        self._when = now_text()
        self._rows: dict[tuple[str, str], dict[str, Any]] = {}
        self._writes: list[_Write] = []
        self._conflicts: list[tuple[Any, ...]] = []
        self._numbers: dict[str, str] = {}  # ID numbers written by this bundle
        # Values of the unique indexes that inserted rows take and that updated rows held
        # or hold, with the rows (see flush).
        self._unique = unique_keys(register)
        self._holders: dict[str, str] = {}  # ID number -> living person, before the bundle
        self._namesakes: dict[tuple[Any, Any], str] = {}  # (birth date, name) -> elsewhere
        self._unique_inserted: dict[tuple[Any, ...], set[str]] = {}
        self._unique_updated: dict[tuple[Any, ...], set[str]] = {}
        # Persons merged away here -> (kept person, merge): the village's work on them,
        # made before it heard of the merge, goes to the kept person.
        self._kept = duplicates.kept_persons(register)
        self._repointed: dict[str, list[list[str]]] = {}  # merge -> records re-pointed
        self._touched: set[str] = set()  # merged-away persons to send back again

    def counts(self) -> tuple[int, int, int]:
        return self.applied, self.unchanged, self.queued

    def load(self, changes: list[Change]) -> None:
        wanted: dict[str, set[str]] = {}
        for change in changes:
            wanted.setdefault(change.tbl, set()).add(change.row_id)
            if change.tbl == "person" and change.row_id in self._kept:
                wanted["person"].add(self._kept[change.row_id][0])
        for table, ids in wanted.items():
            ordered = sorted(ids)
            for chunk, marks in batches(ordered):
                cursor = self.register.conn.execute(
                    f"SELECT * FROM {table} WHERE id IN ({marks})", chunk
                )
                names = [d[0] for d in cursor.description]
                for found in cursor:
                    row = dict(zip(names, found, strict=True))
                    self._rows[(table, row["id"])] = row
        self._refuse_outside(changes)
        self._load_person_checks(changes)

    def _refuse_outside(self, changes: list[Change]) -> None:
        """The whole bundle is refused when one change reaches outside the sending
        laptop's village (checked against the rows as they are before the bundle)."""
        found = own_village.first_outside(
            self.register, self.area_code, list(changes), self._rows, self._kept
        )
        if found is not None:
            raise BundleRefused(found.reason(self.area_code))

    def _load_person_checks(self, changes: list[Change]) -> None:
        """What _check_person asks of the register, asked once for the whole bundle.

        The register does not change between here and flush(), so the answers hold.
        """
        numbers: set[str] = set()
        born: dict[tuple[Any, Any], None] = {}
        for change in changes:
            if change.tbl != "person" or change.new is None:
                continue
            if change.new.get("id_number"):
                numbers.add(change.new["id_number"])
            if change.op == "insert" and ("person", change.row_id) not in self._rows:
                born[(change.new.get("birth_date"), change.new.get("name"))] = None
        conn = self.register.conn
        self._holders = dict(
            conn.execute(
                "SELECT id_number, id FROM person WHERE deleted = 0"
                " AND id_number IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(numbers)),),
            )
        )
        pairs = list(born)
        found = conn.execute(
            "SELECT b.key, (SELECT p.id FROM person p JOIN household h ON h.id = p.household_id"
            " WHERE p.birth_date = b.value ->> 0 AND p.name = b.value ->> 1 AND p.deleted = 0"
            " AND h.village_code <> ? LIMIT 1) FROM json_each(?) b",
            (self.area_code, json.dumps(pairs)),
        )
        self._namesakes = {pairs[n]: other for n, other in found if other is not None}

    def apply(self, change: Change) -> None:
        if change.tbl == "person" and change.row_id in self._kept and change.op == "update":
            self._apply_to_kept(change)
            return
        self._apply(change)
        if change.tbl in duplicates.PERSON_REFERENCES and self._kept:
            self._repoint(change)

    def _apply_to_kept(self, change: Change) -> None:
        """An edit of a person merged away here: merged field by field into the kept
        person (a clash is asked about the kept person, saying it was merged); the
        tombstone is left as it is and sent back to the village again."""
        assert change.old is not None and change.new is not None
        survivor = self._kept[change.row_id][0]
        fixed = set(duplicates.FIXED)
        old = {k: v for k, v in change.old.items() if k not in fixed}
        new = {k: v for k, v in change.new.items() if k not in fixed}
        kept = Change(change.seq, "person", survivor, "update", old, new, change.item)
        ours = self._rows.get(("person", survivor))
        self._touched.add(change.row_id)
        if ours is None:  # not here: nothing to merge into
            self.unchanged += 1
            return
        merged = merge.merge_update(old, new, ours)
        merged.clashes = [
            merge.Clash(duplicates.MERGED_FIELD, c.field, c.base, c.theirs, c.ours)
            if c.kind == merge.FIELD
            else c
            for c in merged.clashes
        ]
        self._finish(kept, ours, merged)

    def _repoint(self, change: Change) -> None:
        """A record naming a person merged away here: it is re-pointed to the kept
        person, as the merge did with the records it found (an update after the write,
        so the log shows the move and the old village is told to let it go)."""
        row = self._rows.get((change.tbl, change.row_id))
        if row is None:
            return
        moved: dict[str, str] = {}
        for column in duplicates.PERSON_REFERENCES[change.tbl]:
            kept = self._kept.get(row.get(column) or "")
            if kept is not None:
                moved[column] = kept[0]
                self._repointed.setdefault(kept[1], []).append([change.tbl, change.row_id, column])
        if moved:
            self._write(replace(change, op="update"), row, moved)

    def _apply(self, change: Change) -> None:
        key = (change.tbl, change.row_id)
        ours = self._rows.get(key)
        if change.op == "insert":
            assert change.new is not None
            merged = merge.merge_insert(change.new, ours)
        else:
            assert change.old is not None
            theirs = change.new if change.new is not None else {**change.old, "deleted": 1}
            if ours is None:
                # Never seen here (its insert predates enrollment): take it whole.
                merged = merge.Merged(writes=dict(theirs))
            else:
                merged = merge.merge_update(change.old, theirs, ours)
        self._finish(change, ours, merged)

    def _finish(self, change: Change, ours: dict[str, Any] | None, merged: merge.Merged) -> None:
        if change.tbl == "person":
            self._check_person(change, ours, merged)
        if merged.writes:
            self._write(change, ours, merged.writes)
        for clash in merged.clashes:
            self._queue(change, clash)
        if any(c.kind not in merge.FLAGS or c.field for c in merged.clashes):
            self.queued += 1
        elif merged.writes:
            self.applied += 1
        else:
            self.unchanged += 1

    def _write(self, change: Change, ours: dict[str, Any] | None, writes: dict[str, Any]) -> None:
        table = change.tbl
        if ours is None:
            sql = _insert_sql(table, tuple(writes))
            params: tuple[Any, ...] = tuple(writes.values())
            self._rows[(table, change.row_id)] = dict(writes)
            if not writes.get("deleted"):
                self._note_unique(self._unique_inserted, table, writes, change.row_id)
        else:
            sql = _update_sql(table, tuple(writes))
            params = (*writes.values(), change.row_id)
            self._note_unique(self._unique_updated, table, ours, change.row_id)
            ours.update(writes)
            self._note_unique(self._unique_updated, table, ours, change.row_id)
        order = (_TABLE_ORDER[table], ours is not None, change.seq)
        self._writes.append(_Write(order, sql, params, table, change.row_id))
        if table == "person" and writes.get("id_number"):
            self._numbers[writes["id_number"]] = change.row_id

    def _note_unique(
        self, seen: dict[tuple[Any, ...], set[str]], table: str, row: dict[str, Any], row_id: str
    ) -> None:
        for columns in self._unique.get(table, ()):
            values = tuple(row.get(c) for c in columns)
            if None not in values:  # NULLs never collide
                seen.setdefault((table, columns, *values), set()).add(row_id)

    def _insert_first_is_safe(self) -> bool:
        """Whether no insert takes a unique value that another row, updated in this
        bundle, held or holds: only such an insert could collide once moved before
        the updates.  (A row's own insert comes before its updates either way.)"""
        inserted, updated = self._unique_inserted, self._unique_updated
        return all(len(inserted[v] | updated[v]) == 1 for v in inserted.keys() & updated.keys())

    def flush(self) -> None:
        """Send the queued writes, then the conflicts.

        Writes go table by table, inserts before updates: a row's own writes keep their
        order (its insert always comes first), and keys are deferred, so only the unique
        indexes could object, when an insert takes a value (an ID number, a household
        code) that an update of the bundle gives up: then the writes go exactly in the
        order they were made.  (Deciding this up front, not by trying and rolling back
        to a savepoint: inside a savepoint every page the writes touch is first copied,
        encrypted, to a sub-journal, which doubled the import into a large register.)
        The callers write inside store.bulk.writing (the import of a file, the release
        of a held one): the search index's triggers are paused meanwhile and the persons
        and households written are indexed again at the end, in bulk: the triggers cost
        several times the writes themselves.
        """
        writes = self._writes
        if self._insert_first_is_safe():
            writes = sorted(writes, key=lambda w: w.order)
        self._run(writes)
        self._writes.clear()
        for merge_id, repointed in self._repointed.items():
            duplicates.note_repointed(self.register, merge_id, repointed)
        self._repointed.clear()
        for person_id in sorted(self._touched):
            rows.touch(self.register, "person", person_id, None)
        self._touched.clear()
        self.register.conn.executemany(
            "INSERT OR IGNORE INTO sync_conflict (id, kind, device_id, seq, tbl, row_id,"
            " field, base, theirs, ours, other_row_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            self._conflicts,
        )
        self._conflicts.clear()

    def _run(self, writes: list[_Write]) -> None:
        """Consecutive writes with the same statement go as one executemany.

        The change log is written by statement, not by the capture triggers row by row
        (store.capture.BulkLog: the same log rows, in the same order).
        """
        with capture.logged_in_bulk(self.register.conn) as log:
            for sql, group in itertools.groupby(writes, key=lambda w: w.sql):
                run = list(group)
                rows = [(w.row_id, w.params) for w in run]
                if run[0].order[1]:
                    log.updates(run[0].table, sql, rows)
                else:
                    log.inserts(run[0].table, sql, rows)

    def _check_person(
        self, change: Change, ours: dict[str, Any] | None, merged: merge.Merged
    ) -> None:
        """Flag the same person entered in two villages; never break the ID-number index."""
        after = {**(ours or {}), **merged.writes}
        if after.get("deleted"):
            return
        number = merged.writes.get("id_number")
        if number:
            other = self._number_holder(number, change.row_id)
            if other:
                # The number stays with the record that has it until the clerk decides;
                # a person who moved out of another village is named as such.
                merged.writes["id_number"] = ours.get("id_number") if ours else None
                kind = merge.MOVED_IN if self._moved_out(other) else merge.DUPLICATE_ID_NUMBER
                merged.clashes.append(merge.Clash(kind, "id_number", None, number, other))
                return
        if change.op == "insert" and ours is None:
            other = self._namesakes.get((after.get("birth_date"), after.get("name")))
            if other:
                kind = merge.MOVED_IN if self._moved_out(other) else merge.POSSIBLE_DUPLICATE
                merged.clashes.append(merge.Clash(kind, "", None, after.get("name"), other))

    def _moved_out(self, person_id: str) -> bool:
        """Whether that person has a move away recorded (迁出, or 流出 and registered
        again where she lives): the new record is the move in."""
        found = self.register.conn.execute(
            "SELECT 1 FROM move WHERE person_id = ? AND kind IN ('transfer_out', 'float_out')"
            " AND deleted = 0 LIMIT 1",
            (person_id,),
        ).fetchone()
        return found is not None

    def _number_holder(self, number: str, row_id: str) -> str | None:
        """Another living person with this ID number, here or earlier in this bundle."""
        holder = self._numbers.get(number)
        if holder is not None and holder != row_id:
            row = self._rows.get(("person", holder))
            if row is not None and row.get("id_number") == number and not row.get("deleted"):
                return holder
        found = self._holders.get(number)  # at most one: the index is unique
        if found is None or found == row_id:
            return None
        # Moved on earlier in this bundle (not yet written): no longer the holder.
        row = self._rows.get(("person", found))
        if row is not None and row.get("id_number") != number:
            return None
        return str(found)

    def _queue(self, change: Change, clash: merge.Clash) -> None:
        conflict_id = conflict_key(self.device, change.seq, change.tbl, change.row_id, clash)
        about_person = clash.kind in merge.ABOUT_ANOTHER_PERSON
        other = clash.ours if about_person else None
        ours = None if other is not None else container.canonical(clash.ours).decode()
        self._conflicts.append(
            (
                conflict_id,
                clash.kind,
                self.device,
                change.seq,
                change.tbl,
                change.row_id,
                clash.field,
                container.canonical(clash.base).decode(),
                container.canonical(clash.theirs).decode(),
                ours,
                other,
                self._when,
            )
        )
        self.conflict_ids.append(conflict_id)


def conflict_key(device: str, seq: int, tbl: str, row_id: str, clash: merge.Clash) -> str:
    """Same change, same question: the same id every time the bundle is imported."""
    text = "|".join((device, str(seq), tbl, row_id, clash.field, clash.kind))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def merge_divergent(
    register: Register, device: str, area_code: str, changes: list[Change], salt: str
) -> tuple[tuple[int, int, int], list[str]]:
    """Merge changes of a held (forked) bundle as divergent edits of the same rows.

    Used by sync.held when the clerk releases a fork.  The sequence numbers were used
    before by other changes of the same laptop, so the conflict ids are salted (with the
    held file's hash) to stay apart from the conflicts of the first changes, and stay the
    same every time.  Runs inside the caller's transaction; returns the counts (applied,
    unchanged, queued) and the conflict ids.
    """
    merger = _Merger(register, device, area_code)
    merger.load(changes)
    for change in changes:
        merger.apply(change)
    salted = {
        old: hashlib.sha256(f"{old}|{salt}".encode()).hexdigest()[:16]
        for old in merger.conflict_ids
    }
    merger._conflicts = [(salted[c[0]], *c[1:]) for c in merger._conflicts]
    merger.conflict_ids = [salted[c] for c in merger.conflict_ids]
    with rows.origin(register, f"village:{device}"):
        merger.flush()
    return merger.counts(), merger.conflict_ids
