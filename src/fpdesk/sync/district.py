"""The township's side of the exchange with the district hub (docs/hub.md).

The township sends the hub every change the hub has not acknowledged
(`bundle export --to-district`, bundles._export_changes); the hub answers each import
with a small acknowledgement bundle (kind 'ack', no payload: the manifest's `ack` is
how far the hub has applied this register's changes, contiguously).  Importing it
here moves the district peer's `acked_by_peer`, so the next export starts after it.

After this register is restored from a backup (a new generation, store.backup), the
sequence numbers it had used after the backup are given to other changes, so an
acknowledgement made before names changes this register no longer has.  As the
villages do with the township (sync.village), only an acknowledgement of this
register's current generation is taken (the hub's ack carries the generation of the
township's changes it holds); until the first one comes, every export to the hub
sends all of this register's changes (after 0), which the hub holds as a fork for the
district office to release when it holds what the restore lost (hub.held).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store import backup
from fpdesk.store.db import Register
from fpdesk.sync import envelope, keys, rows
from fpdesk.sync.envelope import Opened
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, FileResult
from fpdesk.sync.township import DUPLICATE_REASON

STALE_ACK = Text(
    "这张回执是本登记册从备份恢复以前的，没有采用。请把下一次 --to-district 导出交给区县。",
    "This acknowledgement was made before this register was restored from a backup; it "
    "was not taken. Take the next --to-district export to the district.",
)
AHEAD_ACK = Text(
    "区县确认收到了第 {ack} 号修改，本登记册却没有这么多修改：它可能是从旧副本恢复的。"
    "回执没有采用；请运行 fpdesk bundle export --to-district --resend-from 0，"
    "并请区县核实后放行。",
    "The district acknowledges changes up to {ack}, more than this register has: it may "
    "have been put back from an old copy. The acknowledgement was not taken; run fpdesk "
    "bundle export --to-district --resend-from 0 and ask the district office to release it.",
)


def resend_awaited(register: Register, peer: dict[str, Any]) -> bool:
    """This register was restored and the hub has not yet acknowledged a bundle of the
    new generation: the next export sends every change (after 0)."""
    current = backup.generation(register)
    return bool(current) and str(peer["generation"]) != current


def import_ack(register: Register, opened: Opened, result: FileResult) -> FileResult:
    """Take a verified acknowledgement from the hub.  Runs inside the caller's
    transaction; an older acknowledgement than one taken already, or one made before
    this register was restored, changes nothing."""
    device = opened.sender["device_id"]
    ack = int(opened.manifest["ack"])
    current = backup.generation(register)
    if envelope.generation_of(opened.manifest) != current:
        result.outcome, result.reason = DUPLICATE, STALE_ACK
        return result
    if ack > rows.last_seq(register):  # changes this register never logged: a copy
        result.outcome, result.reason = DUPLICATE, AHEAD_ACK.format(ack=ack)
        return result
    first = str(opened.sender["generation"]) != current  # the first since the restore
    if ack <= int(opened.sender["acked_by_peer"]) and not first:
        result.outcome, result.reason = DUPLICATE, DUPLICATE_REASON
        return result
    register.conn.execute(
        "UPDATE sync_device SET acked_by_peer = ?, generation = ? WHERE device_id = ?",
        (ack, current, device),
    )
    result.outcome = ACCEPTED
    return result


@dataclass(frozen=True)
class Reporting:
    """How far the district hub has acknowledged this township's changes."""

    acked_upto: int  # the hub has applied this register's changes up to here
    acked_at: str | None  # when its last acknowledgement taken here was imported
    last_seq: int  # the last change logged here
    unacknowledged: int  # changes after acked_upto: not sent yet, or not yet acknowledged
    resend_awaited: bool  # restored: the next export sends everything (see above)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def reporting(register: Register, peer: dict[str, Any]) -> Reporting:
    acked = int(peer["acked_by_peer"])
    with register.transaction():  # one consistent read
        last = rows.last_seq(register)
        waiting = register.conn.execute(
            "SELECT count(*) FROM change_log WHERE seq > ?", (acked,)
        ).fetchone()[0]
        taken = register.conn.execute(
            "SELECT max(seen_at) FROM sync_ledger WHERE device_id = ? AND kind = 'ack'"
            " AND outcome = 'accepted'",
            (peer["device_id"],),
        ).fetchone()[0]
    return Reporting(acked, taken, last, int(waiting), resend_awaited(register, peer))


def reporting_of(register: Register) -> Reporting | None:
    """How far the district hub this township reports to has acknowledged its changes;
    None when it has joined none."""
    found = [p for p in keys.active_peers(register) if p["role"] == "district"]
    return reporting(register, found[-1]) if found else None


def peers_with_reporting(register: Register) -> list[dict[str, Any]]:
    """The enrolled devices (keys.peers), the district hub with its `reporting`."""
    found = keys.peers(register)
    for peer in found:
        if peer["role"] == "district":
            peer["reporting"] = reporting(register, peer).as_dict()
    return found
