"""Files held as forks at the hub: list them, release or discard them (docs/hub.md).

A township's file whose changes differ from what the hub received before, or that
comes from a township register restored from a backup and lacks changes the hub holds,
is a fork: nothing of it is applied and the file is kept whole
(`hub_private.hub_held`, hub.exchange), as the township keeps its villages' forks
(sync.held).  The district office decides, with a reason:

- release: the hub takes the township's register as it is now.  Only a file of all
  the township's changes (after 0: `bundle export --to-district --resend-from 0`, or
  the export a restored township makes by itself) can be released: it replaces every
  record the hub holds of that township by the file's (a record the file does not
  list is gone from the township, and goes here too), and what the hub received of it
  becomes the file's changes.  The area checks of an import apply, and an
  acknowledgement is written for the township.
- discard: nothing of it is applied; the hub keeps what it held.

Unlike the township with a village laptop, the hub does not revoke the township: the
township's register is the only one of its villages' records, and after a release its
history and the hub's agree again.  Each decision is a ledger row of its own (kind
`release`: who, when, why) in one transaction with what it applied; a file is released
or discarded once.  Only the hub's owner may decide: staff logins only read (and their
grants allow nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from fpdesk.core.i18n import Text
from fpdesk.hub import enrollment, errors, schema, staff
from fpdesk.hub.exchange import (
    HubParty,
    HubResult,
    Outside,
    changes_of,
    record,
    release_of,
    take,
    write_ack,
)
from fpdesk.store.capture import REPLICATED
from fpdesk.sync import envelope
from fpdesk.sync import held as sync_held
from fpdesk.sync.errors import BundleRefused
from fpdesk.sync.ledger import ACCEPTED, REFUSED


class HeldError(errors.HubError):
    """A release or discard refused: nothing was written."""


NOT_OWNER = Text(
    "只有汇总库的所有者（数据库用户“{owner}”）才能放行或放弃保留的文件，现在连接的用户是"
    "“{user}”。没有改动。",
    "Only the hub's owner (the database user “{owner}”) can release or discard a held "
    "file; this connection is user “{user}”. Nothing was changed.",
)
NO_SUCH = Text(
    "没有这个保留的文件：{id}。请用 fpdesk hub held list 查看。",
    "No such held file: {id}. See them with fpdesk hub held list.",
)
ALREADY = Text(
    "这个文件已于 {when} 由 {actor} 处理过，没有改动。",
    "This file was already dealt with on {when} by {actor}; nothing was changed.",
)
NEEDS_REASON = Text(
    "请写明理由（--reason），没有改动。", "Please give a reason (--reason); nothing was changed."
)
NOT_COMPLETE = Text(
    "这个文件只含乡镇第 {first} 号以后的修改，放行后汇总库和乡镇登记册仍会不一致，没有改动。"
    "请乡镇运行 fpdesk bundle export --to-district --resend-from 0，放行那个文件；这个可以放弃。",
    "This file holds only the township's changes from {first} on: released, the hub and "
    "the township's register would still differ, so nothing was changed. Ask the township "
    "for fpdesk bundle export --to-district --resend-from 0 and release that file; this "
    "one can be discarded.",
)
CANNOT_OPEN = Text(
    "保留的文件现在不能放行：{reason}。没有改动。",
    "The held file cannot be released now: {reason}. Nothing was changed.",
)
RELEASED_REASON = Text(
    "区县放行了保留的文件（按乡镇登记册现在的样子）：{why}",
    "The district office released the held file (the township's register as it is now): {why}",
)
DISCARDED_REASON = Text(
    "区县放弃了保留的文件：{why}", "The district office discarded the held file: {why}"
)
RELEASE_REPLACES = "released"
DISCARD = "discarded"


@dataclass
class HeldFile:
    """A file held at the hub, and the district office's decision on it, if any."""

    file_hash: str
    township: str
    device_id: str
    file_name: str
    after: int | None
    upto: int | None
    held_at: str
    reason: Text
    release: dict[str, Any] | None = None

    @property
    def held_id(self) -> str:
        return self.file_hash[:16]

    @property
    def complete(self) -> bool:
        """All the township's changes (after 0): the only kind a release takes."""
        return self.after == 0

    def as_dict(self) -> dict[str, Any]:
        release = None
        if self.release is not None:
            why = self.release["reason"]
            release = {**self.release, "reason": str(why), "reason_zh": why.zh, "reason_en": why.en}
        return {
            "id": self.held_id,
            "file_hash": self.file_hash,
            "township": self.township,
            "device_id": self.device_id,
            "file": self.file_name,
            "after": self.after,
            "upto": self.upto,
            "complete": self.complete,
            "held_at": self.held_at,
            "reason": str(self.reason),
            "reason_zh": self.reason.zh,
            "reason_en": self.reason.en,
            "release": release,
        }


@dataclass
class Decided:
    held: HeldFile
    action: str  # released | discarded
    applied: int = 0
    ack: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.held.as_dict(),
            "action": self.action,
            "applied": self.applied,
            "ack": None if self.ack is None else str(self.ack),
        }


def require_owner(conn: psycopg.Connection[Any]) -> None:
    user, owner = staff.owner_of(conn)
    if owner is not None:
        raise HeldError(NOT_OWNER.format(owner=owner, user=user))


def held_files(conn: psycopg.Connection[Any], *, include_released: bool = False) -> list[HeldFile]:
    """The held files, oldest first: those still waiting, or all of them."""
    with conn.transaction():
        schema.check(conn)
        require_owner(conn)
        found = conn.execute(
            "SELECT h.file_hash, h.township_code, h.device_id, h.held_at, l.file_name,"
            f" l.after_seq, l.upto_seq, l.reason_zh, l.reason_en"
            f" FROM {schema.PRIVATE_SCHEMA}.hub_held h"
            " JOIN LATERAL (SELECT * FROM hub_ledger WHERE file_hash = h.file_hash"
            "  AND outcome = 'fork' ORDER BY id LIMIT 1) l ON true"
            " ORDER BY h.held_at, l.id"
        ).fetchall()
        out = [
            HeldFile(
                str(digest),
                str(code),
                str(device),
                str(name),
                after,
                upto,
                held_at.isoformat(timespec="seconds"),
                Text(zh or "", en or ""),
                release_of(conn, str(digest)),
            )
            for digest, code, device, held_at, name, after, upto, zh, en in found
        ]
    return [h for h in out if include_released or h.release is None]


def find(conn: psycopg.Connection[Any], held_id: str) -> HeldFile:
    """A held file by its id (the start of its file hash, 8 characters or more)."""
    return sync_held.pick(held_files(conn, include_released=True), held_id, HeldError, NO_SUCH)


def release(
    conn: psycopg.Connection[Any], held_id: str, *, reason: str, actor: str, ack_dir: Path
) -> Decided:
    """The hub takes the township's register as the held file (all its changes) has it;
    an acknowledgement for the township is written into `ack_dir`."""
    why = _reason(reason)
    held = find(conn, held_id)
    with conn.transaction():  # the outermost: it commits (a statement outside would not)
        party = HubParty(conn, enrollment.enrolling_keys(conn))
        _lock_undecided(conn, held)
        if not held.complete:
            raise HeldError(NOT_COMPLETE.format(first=(held.after or 0) + 1))
        [data] = conn.execute(
            f"SELECT data FROM {schema.PRIVATE_SCHEMA}.hub_held WHERE file_hash = %s",
            (held.file_hash,),
        ).fetchall()[0]
        try:  # verified again: the township may have been revoked since
            opened = envelope.open_bundle(party, bytes(data))
        except BundleRefused as exc:
            raise HeldError(CANNOT_OPEN.format(reason=exc.text)) from exc
        changes = changes_of(opened)
        _forget(conn, held)
        try:
            take(conn, opened, changes, int(opened.manifest["upto"]))
        except Outside as exc:
            raise HeldError(CANNOT_OPEN.format(reason=exc.text)) from exc
        result = _result(held, ACCEPTED, RELEASED_REASON.format(why=why))
        result.applied = len(changes)
        ack_dir.mkdir(parents=True, exist_ok=True)  # a folder that cannot be: nothing done
        record(conn, result, held.file_hash, held.device_id, actor=_who(conn, actor))
    ack = write_ack(conn, party, held.device_id, ack_dir)
    return Decided(find(conn, held_id), RELEASE_REPLACES, len(changes), ack)


def discard(conn: psycopg.Connection[Any], held_id: str, *, reason: str, actor: str) -> Decided:
    """Nothing of the held file is applied; the decision is kept with its reason."""
    why = _reason(reason)
    held = find(conn, held_id)
    with conn.transaction():
        _lock_undecided(conn, held)
        result = _result(held, REFUSED, DISCARDED_REASON.format(why=why))
        record(conn, result, held.file_hash, held.device_id, actor=_who(conn, actor))
    return Decided(find(conn, held_id), DISCARD)


def _reason(reason: str) -> str:
    if not reason.strip():
        raise HeldError(NEEDS_REASON)
    return reason.strip()


def _lock_undecided(conn: psycopg.Connection[Any], held: HeldFile) -> None:
    """Two offices deciding at once take turns (the township's row is locked); the
    second finds the file decided."""
    conn.execute("SELECT 1 FROM hub_township WHERE code = %s FOR UPDATE", (held.township,))
    decided = release_of(conn, held.file_hash)
    if decided is not None:
        raise HeldError(ALREADY.format(when=decided["at"], actor=decided["actor"]))


def _forget(conn: psycopg.Connection[Any], held: HeldFile) -> None:
    """What the hub holds of the township and received from its register: replaced by
    the released file's (a record it does not list is no longer the township's)."""
    for table in REPLICATED:
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE township_code = %s").format(sql.Identifier(table)),
            (held.township,),
        )
    # When its births were first entered comes again with the file's inserts.
    conn.execute("DELETE FROM hub_birth_entered WHERE township_code = %s", (held.township,))
    conn.execute("DELETE FROM hub_received WHERE device_id = %s", (held.device_id,))


def _result(held: HeldFile, outcome: str, reason: Text) -> HubResult:
    return HubResult(held.file_name, outcome, reason, held.township, held.after, held.upto)


def _who(conn: psycopg.Connection[Any], actor: str) -> str:
    """The person who decided, and the database login it was done under."""
    [(user,)] = conn.execute("SELECT current_user").fetchall()
    return f"{actor.strip() or '?'} ({user})"
