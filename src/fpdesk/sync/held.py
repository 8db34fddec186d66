"""Bundles held as forks: list them, show what they would change, apply or discard them.

A village bundle that repeats a sequence range with other content (a laptop restored
from an old backup and used again) is held whole in sync_held.  The clerk decides:

- apply: the changes that differ from what was received are merged as divergent edits
  of the same rows, through the ordinary three-way field merge (township.merge_divergent):
  what merges cleanly is written, what clashes goes to the conflict queue; one
  transaction, with the ledger row and the release record;
- discard: nothing is written but the ledger row, the release record and the clerk's
  reason.

Either way the laptop's history no longer agrees with what the township received, so
every later bundle of it would be another fork: the laptop is revoked in the same
transaction and must be set up again (a new register, enrolled, then a snapshot).
A released bundle stays in sync_held (nothing is lost); its release is kept in
local_state, so it is never released twice.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log, bulk
from fpdesk.store.db import Register
from fpdesk.sync import container, keys, ledger, township
from fpdesk.sync.errors import BundleRefused, SyncError
from fpdesk.sync.ledger import ACCEPTED, REFUSED, FileResult

APPLIED = "applied"
DISCARDED = "discarded"
RELEASE_KIND = "release"  # ledger kind of a release row
_RELEASE = "held_release:"

NO_SUCH = Text("没有这个保留的数据包：{id}", "No such held bundle: {id}")
AMBIGUOUS = Text(
    "{id} 对应多个保留的数据包，请多写几位。",
    "{id} matches more than one held bundle; give more of its id.",
)
ALREADY = Text(
    "这个数据包已于 {when} {action}，不能再处理。",
    "This bundle was already {action_en} on {when}; nothing was done.",
)
ACTION_NAMES = {APPLIED: Text("导入", "applied"), DISCARDED: Text("放弃", "discarded")}
NEEDS_REASON = Text("请写明放弃的理由。", "Please give a reason for discarding it.")
UNREADABLE = Text(
    "保留的数据包读不出来（{detail}）。请把它交给技术支持。",
    "The held bundle cannot be read ({detail}). Pass it to technical support.",
)
APPLIED_REASON = Text(
    "文员导入了保留的分叉包：{applied} 条已应用，{queued} 条进入冲突队列。",
    "The clerk applied the held fork: {applied} applied, {queued} queued as conflicts.",
)
DISCARDED_REASON = Text(
    "文员放弃了保留的分叉包：{reason}", "The clerk discarded the held fork: {reason}"
)
REPROVISION = Text(
    "村 {village} 的电脑 {device} 已停用：它的数据和乡镇收到的不再一致，以后的包都会再次分叉。"
    "请在这台电脑上新建登记册，重新登记（enroll），再用快照装上全村数据"
    "（fpdesk bundle export --for {village} --snapshot，或在“设备”页点“替换”）。",
    "Laptop {device} of village {village} is revoked: its data no longer agrees with what "
    "the township received, so every later bundle would fork again. Set up a new register "
    "on that laptop, enroll it, then send it a snapshot of the village "
    "(fpdesk bundle export --for {village} --snapshot, or Replace on the Devices page).",
)


@dataclass
class Held:
    """One bundle held for the clerk."""

    file_hash: str
    device_id: str
    village: str
    file_name: str
    after: int | None
    upto: int | None
    held_at: str
    reason: Text
    release: dict[str, Any] | None = None

    @property
    def held_id(self) -> str:
        return self.file_hash[:16]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.held_id,
            "file_hash": self.file_hash,
            "device_id": self.device_id,
            "village": self.village,
            "file": self.file_name,
            "after": self.after,
            "upto": self.upto,
            "first": None if self.after is None else self.after + 1,
            "held_at": self.held_at,
            "reason": str(self.reason),
            "reason_zh": self.reason.zh,
            "reason_en": self.reason.en,
            "release": self.release,
        }


@dataclass
class ChangeView:
    """One change of a held bundle, as the clerk sees it."""

    seq: int
    table: str
    row_id: str
    op: str
    fields: dict[str, tuple[Any, Any]]  # name -> (before, after) on the laptop
    received: bool  # the very same change was received before: nothing to do

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "table": self.table,
            "row_id": self.row_id,
            "op": self.op,
            "fields": {k: list(v) for k, v in self.fields.items()},
            "received": self.received,
        }


@dataclass
class Preview:
    held: Held
    changes: list[ChangeView]
    applied: int = 0
    unchanged: int = 0
    queued: int = 0
    conflicts: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.held.as_dict(),
            "changes": [c.as_dict() for c in self.changes],
            "would_apply": self.applied,
            "would_leave_unchanged": self.unchanged,
            "would_queue": self.queued,
        }


@dataclass
class Released:
    held: Held
    action: str
    result: FileResult
    revoked: bool
    message: Text

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.held.as_dict(),
            "action": self.action,
            "applied": self.result.applied,
            "unchanged": self.result.unchanged,
            "queued": self.result.queued,
            "conflicts": self.result.conflicts,
            "device_revoked": self.revoked,
            "message": str(self.message),
            "message_zh": self.message.zh,
            "message_en": self.message.en,
        }


# ------------------------------------------------------------------------- reading


def held_bundles(register: Register, *, include_released: bool = False) -> list[Held]:
    """Held bundles, oldest first: those still waiting, or all of them."""
    found = register.query(
        "SELECT h.file_hash, h.device_id, h.held_at, h.reason, d.area_code, l.file_name,"
        " l.after_seq, l.upto_seq, l.reason_zh, l.reason_en"
        " FROM sync_held h LEFT JOIN sync_device d ON d.device_id = h.device_id"
        " LEFT JOIN sync_ledger l ON l.id = (SELECT min(id) FROM sync_ledger"
        "  WHERE file_hash = h.file_hash AND outcome = 'fork')"
        " ORDER BY h.held_at, h.file_hash"
    )
    releases = _releases(register)
    out = [
        Held(
            file_hash=r["file_hash"],
            device_id=r["device_id"],
            village=r["area_code"] or "",
            file_name=r["file_name"] or r["file_hash"][:16],
            after=r["after_seq"],
            upto=r["upto_seq"],
            held_at=r["held_at"],
            reason=Text(r["reason_zh"] or r["reason"], r["reason_en"] or r["reason"]),
            release=releases.get(r["file_hash"]),
        )
        for r in found
    ]
    return [h for h in out if include_released or h.release is None]


def waiting_by_device(register: Register) -> dict[str, int]:
    """How many held bundles of each device still wait for the clerk."""
    counts: dict[str, int] = {}
    for held in held_bundles(register):
        counts[held.device_id] = counts.get(held.device_id, 0) + 1
    return counts


def find(register: Register, held_id: str) -> Held:
    """A held bundle by its id (the start of its file hash, 8 characters or more)."""
    wanted = held_id.strip().lower()
    matches = [
        h
        for h in held_bundles(register, include_released=True)
        if len(wanted) >= 8 and h.file_hash.startswith(wanted)
    ]
    if not matches:
        raise SyncError(NO_SUCH.format(id=held_id))
    if len(matches) > 1:
        raise SyncError(AMBIGUOUS.format(id=held_id))
    return matches[0]


def released_file(register: Register, file_hash: str) -> dict[str, Any] | None:
    """The release record of a held file, if the clerk has applied or discarded it."""
    return _releases(register, file_hash).get(file_hash)


def _releases(register: Register, file_hash: str | None = None) -> dict[str, dict[str, Any]]:
    pattern = _RELEASE + (file_hash if file_hash else "%")
    return {
        str(key)[len(_RELEASE) :]: json.loads(str(value))
        for key, value in register.conn.execute(
            "SELECT key, value FROM local_state WHERE key LIKE ?", (pattern,)
        )
    }


def _changes(register: Register, held: Held) -> tuple[dict[str, Any], list[township.Change]]:
    """The manifest and change list of a held bundle.

    It was verified when it arrived; the signature is checked again here, but not the
    revocation (the laptop may have been revoked since, which must not hide its data).
    """
    data = register.conn.execute(
        "SELECT data FROM sync_held WHERE file_hash = ?", (held.file_hash,)
    ).fetchone()[0]
    try:
        contents = container.unpack(container.decrypt(bytes(data), keys.age_identity(register)))
        manifest = container.parse_json(contents.manifest_bytes, "manifest")
        sender = keys.peer(register, held.device_id)
        message = container.SIGN_CONTEXT + contents.manifest_bytes
        if sender is None or not keys.signature_valid(
            sender["sign_public"], message, contents.signature
        ):
            raise container.damaged("signature")
        changes = township.parse_changes(
            register,
            contents.payloads.get("changes.json", b""),
            int(manifest["after"]),
            int(manifest["upto"]),
        )
    except (BundleRefused, KeyError, TypeError, ValueError) as exc:
        detail = exc.text.en if isinstance(exc, BundleRefused) else str(exc)
        raise SyncError(UNREADABLE.format(detail=detail)) from exc
    return manifest, changes


def _divergent(
    register: Register, held: Held, changes: list[township.Change]
) -> tuple[list[township.Change], set[int]]:
    """The changes still to merge, and the sequences already received as they are (or
    taken with an earlier release of the same laptop's fork)."""
    known = {
        (int(seq), str(digest))
        for seq, digest in register.conn.execute(
            "SELECT seq, change_hash FROM sync_received WHERE device_id = ?", (held.device_id,)
        )
    }
    for release in _releases(register).values():
        if release.get("device_id") == held.device_id and release.get("action") == APPLIED:
            known.update((int(s), str(d)) for s, d in release.get("changes", []))
    same = {c.seq for c in changes if (c.seq, c.digest()) in known}
    return [c for c in changes if c.seq not in same], same


def _view(change: township.Change, received: bool) -> ChangeView:
    old, new = change.old or {}, change.new or {}
    names = [k for k in (new or old) if k != "id" and old.get(k) != new.get(k)]
    if change.op == "delete":
        names = ["deleted"]
        new = {"deleted": 1}
    return ChangeView(
        change.seq,
        change.tbl,
        change.row_id,
        change.op,
        {k: (old.get(k), new.get(k)) for k in names},
        received,
    )


class _Rollback(Exception):
    """Undoes the trial merge of a preview."""


def preview(register: Register, held_id: str) -> Preview:
    """What applying the held bundle would do, tried and rolled back (the clerk's
    queue: it shows the persons' values, so it needs the role that imports)."""
    access.require(register, "import")
    held = find(register, held_id)
    _, changes = _changes(register, held)
    todo, same = _divergent(register, held, changes)
    shown = Preview(held, [_view(c, c.seq in same) for c in changes])
    if held.release is None and todo:
        with contextlib.suppress(_Rollback), bulk.writing(register):
            counts, conflict_ids = township.merge_divergent(
                register, held.device_id, held.village, todo, held.file_hash
            )
            shown.applied, shown.unchanged, shown.queued = counts
            shown.conflicts = conflict_ids
            raise _Rollback
    shown.unchanged += len(same)
    return shown


# ------------------------------------------------------------------------- deciding


def apply(register: Register, held_id: str) -> Released:
    """Merge the held bundle's divergent changes; revoke the forked laptop."""
    access.require(register, "import")
    held = find(register, held_id)
    _refuse_if_released(held)
    manifest, changes = _changes(register, held)
    todo, same = _divergent(register, held, changes)
    result = _ledger_result(held, manifest)
    with bulk.writing(register):  # a held bundle may change many records
        counts: tuple[int, int, int] = (0, 0, 0)
        conflict_ids: list[str] = []
        if todo:
            counts, conflict_ids = township.merge_divergent(
                register, held.device_id, held.village, todo, held.file_hash
            )
        result.outcome = ACCEPTED
        result.applied, result.unchanged, result.queued = counts
        result.unchanged += len(same)
        result.conflicts = conflict_ids
        result.reason = APPLIED_REASON.format(applied=result.applied, queued=result.queued)
        return _release(
            register,
            held,
            APPLIED,
            result,
            reason="",
            changes=[[c.seq, c.digest()] for c in todo],
        )


def discard(register: Register, held_id: str, *, reason: str) -> Released:
    """Keep nothing of the held bundle but the record of it; revoke the forked laptop."""
    access.require(register, "import")
    if not reason.strip():
        raise SyncError(NEEDS_REASON)
    held = find(register, held_id)
    _refuse_if_released(held)
    manifest, _ = _changes(register, held)
    result = _ledger_result(held, manifest)
    result.outcome = REFUSED
    result.reason = DISCARDED_REASON.format(reason=reason.strip())
    with register.transaction():
        return _release(register, held, DISCARDED, result, reason=reason.strip(), changes=[])


def _refuse_if_released(held: Held) -> None:
    if held.release is not None:
        action = ACTION_NAMES[held.release["action"]]
        raise SyncError(
            ALREADY.format(when=held.release["at"], action=action.zh, action_en=action.en)
        )


def _ledger_result(held: Held, manifest: dict[str, Any]) -> FileResult:
    return FileResult(
        file_name=held.file_name,
        file_hash=held.file_hash,
        outcome=REFUSED,
        device_id=held.device_id,
        kind=RELEASE_KIND,
        after=int(manifest["after"]),
        upto=int(manifest["upto"]),
    )


def _release(
    register: Register,
    held: Held,
    action: str,
    result: FileResult,
    *,
    reason: str,
    changes: list[list[Any]],
) -> Released:
    """The ledger row, the release record, the audit row and the revocation: inside the
    caller's transaction, with whatever was merged."""
    ledger.record(register, result)
    peer = keys.peer(register, held.device_id)
    revoked = peer is not None and peer["revoked_at"] is None
    if revoked:
        keys.revoke(register, held.device_id)
    release = {
        "action": action,
        "at": keys.now_text(),
        "actor": access_log.who(register),
        "reason": reason,
        "device_id": held.device_id,
        "applied": result.applied,
        "unchanged": result.unchanged,
        "queued": result.queued,
        "conflicts": result.conflicts,
        "device_revoked": revoked,
        "changes": changes,
    }
    register.conn.execute(
        "INSERT INTO local_state (key, value) VALUES (?, ?)",
        (_RELEASE + held.file_hash, json.dumps(release, ensure_ascii=False)),
    )
    access_log.record(
        register,
        "import",
        {
            "held": held.held_id,
            "file": held.file_name,
            "device": held.device_id,
            "village": held.village,
            "action": action,
            "reason": reason,
            "applied": result.applied,
            "queued": result.queued,
        },
    )
    held.release = release
    message = REPROVISION.format(device=held.device_id[:8], village=held.village)
    return Released(held, action, result, revoked, message)
