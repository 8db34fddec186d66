"""The township's villages board: who has reported, what is missing, what waits.

One row per village of the township: its enrolled laptops, the last bundle and when
it came, how far each laptop's changes have been received, the range still missing
after a gap, held forks, and the open conflicts and possible duplicates.  A village
that has sent no accepted bundle since the first of the month is late once the
monthly deadline (a setting, the 5th by default) has passed.  Today comes from an
injected clock; ledger times are only compared by date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.store import areas, backup
from fpdesk.store.db import Register
from fpdesk.sync import held, ledger, merge
from fpdesk.sync.held import waiting_by_device

DEFAULT_DEADLINE_DAY = 5
DUPLICATE_KINDS = (merge.DUPLICATE_ID_NUMBER, merge.POSSIBLE_DUPLICATE)

# Reporting status of a village this month.
REPORTED = "reported"
DUE = "due"  # not yet, and the deadline has not passed
LATE = "late"
NO_DEVICE = "no_device"


@dataclass
class DeviceStatus:
    device_id: str
    fingerprint: str
    enrolled_at: str
    revoked_at: str | None
    received_upto: int
    acked_by_peer: int
    missing: tuple[int, int] | None = None  # first and last missing sequence
    held: int = 0  # forked bundles held for the clerk (not yet applied or discarded)
    # This register was restored from a backup and the laptop has not yet sent a bundle
    # made after taking the township's update of the new generation: what the restore
    # lost of its work is still to come.
    resend_awaited: bool = False

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class FileProblem:
    """A file of this month that was not taken: refused, or held as a fork and not yet
    applied or discarded.  `village` is None when nothing tells where it came from."""

    file_name: str
    seen_at: str
    outcome: str
    reason: Text
    village: str | None


@dataclass
class VillageRow:
    code: str
    name: str
    devices: list[DeviceStatus] = field(default_factory=list)
    last_file: str | None = None  # the last file that delivered (accepted), not a repeat
    last_seen_at: str | None = None
    last_outcome: str | None = None
    open_conflicts: int = 0
    open_duplicates: int = 0
    status: str = NO_DEVICE
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def missing(self) -> list[tuple[int, int]]:
        return [d.missing for d in self.devices if d.missing is not None]

    @property
    def held(self) -> int:
        return sum(d.held for d in self.devices)

    @property
    def resend_awaited(self) -> bool:
        return any(d.resend_awaited and d.active for d in self.devices)

    @property
    def sequence_ok(self) -> bool:
        return not self.missing and not self.held and not self.problems and not self.resend_awaited


@dataclass(frozen=True)
class Restored:
    """This register was restored from a backup: when, and how old the backup was."""

    at: str
    backup_made_at: str


def restored(register: Register) -> Restored | None:
    if not backup.generation(register):
        return None
    info = dict(register.conn.execute("SELECT key, value FROM register_info"))
    return Restored(
        str(info.get(backup.RESTORED_AT, "")), str(info.get(backup.RESTORED_BACKUP_MADE_AT, ""))
    )


def deadline(today: dt.date, deadline_day: int = DEFAULT_DEADLINE_DAY) -> dt.date:
    """This month's deadline (the day clamped into the month)."""
    day = max(1, min(int(deadline_day), 28))
    return today.replace(day=day)


def villages(
    register: Register, today: dt.date, deadline_day: int = DEFAULT_DEADLINE_DAY
) -> list[VillageRow]:
    """Every village of this township, with the bundles seen from it."""
    codes = _village_codes(register)
    generation = backup.generation(register)
    peers = register.query(
        "SELECT * FROM sync_device WHERE role = 'village' ORDER BY area_code, enrolled_at"
    )
    names = areas.names(register, codes | {p["area_code"] for p in peers})
    board = {code: VillageRow(code, names[code]) for code in codes}
    by_device: dict[str, VillageRow] = {}
    for peer in peers:
        row = board.setdefault(
            peer["area_code"], VillageRow(peer["area_code"], names[peer["area_code"]])
        )
        row.devices.append(
            DeviceStatus(
                device_id=peer["device_id"],
                fingerprint=peer["fingerprint"],
                enrolled_at=peer["enrolled_at"],
                revoked_at=peer["revoked_at"],
                received_upto=int(peer["received_upto"]),
                acked_by_peer=int(peer["acked_by_peer"]),
                resend_awaited=bool(generation) and peer["generation"] != generation,
            )
        )
        by_device[peer["device_id"]] = row
    devices = {d.device_id: d for row in board.values() for d in row.devices}
    month_start = today.replace(day=1).isoformat()
    reported: set[str] = set()
    for entry in register.query(
        "SELECT device_id, file_name, seen_at, outcome, after_seq FROM sync_ledger"
        " WHERE device_id IS NOT NULL AND kind = 'changes' ORDER BY id"
    ):
        seen = by_device.get(entry["device_id"])
        if seen is None:
            continue
        row = seen
        row.last_outcome = entry["outcome"]
        if entry["outcome"] == "accepted":  # a repeat of a file delivers nothing
            row.last_file, row.last_seen_at = entry["file_name"], entry["seen_at"]
            if entry["seen_at"][:10] >= month_start:
                reported.add(row.code)
        device = devices[entry["device_id"]]
        if entry["outcome"] == "gap" and entry["after_seq"] > device.received_upto:
            device.missing = (device.received_upto + 1, int(entry["after_seq"]))
    for device in devices.values():
        if device.missing is not None and device.missing[1] < device.received_upto + 1:
            device.missing = None
    for device_id, count in waiting_by_device(register).items():
        if device_id in devices:
            devices[device_id].held = count
    for problem in problem_files(register, today):
        if problem.village in board:
            board[problem.village].problems.append(problem)
    kinds = ", ".join("?" for _ in DUPLICATE_KINDS)
    for device_id, count in register.conn.execute(
        f"SELECT device_id, count(*) FROM sync_conflict WHERE resolved_at IS NULL"
        f" AND kind NOT IN ({kinds}) GROUP BY 1",
        DUPLICATE_KINDS,
    ):
        flagged = by_device.get(device_id)
        if flagged is not None:
            flagged.open_conflicts += int(count)
    for code, count in _duplicates_by_village(register).items():
        if code in board:
            board[code].open_duplicates += count
    due = deadline(today, deadline_day)
    for row in board.values():
        if not any(d.active for d in row.devices):
            row.status = NO_DEVICE
        elif row.code in reported:
            row.status = REPORTED
        else:
            row.status = LATE if today > due else DUE
    return sorted(board.values(), key=lambda r: r.code)


def problem_files(register: Register, today: dt.date) -> list[FileProblem]:
    """This month's files that were refused, or held as forks still waiting for the
    clerk, each with its reason and (when known) its village, oldest first."""
    month_start = today.replace(day=1).isoformat()
    out = []
    for entry in register.query(
        "SELECT * FROM sync_ledger WHERE outcome IN ('refused', 'fork') AND seen_at >= ?"
        " ORDER BY id",
        (month_start,),
    ):
        if held.released_file(register, entry["file_hash"]):
            continue  # a fork the clerk applied or discarded since (with a reason): done
        out.append(
            FileProblem(
                file_name=entry["file_name"],
                seen_at=entry["seen_at"],
                outcome=entry["outcome"],
                reason=Text(entry["reason_zh"] or "", entry["reason_en"] or ""),
                village=ledger.village_of(register, entry),
            )
        )
    return out


def _duplicates_by_village(register: Register) -> dict[str, int]:
    """Open possible duplicates, counted on both villages of each pair (the village
    whose bundle raised the flag and the village of the person it resembles)."""
    kinds = ", ".join("?" for _ in DUPLICATE_KINDS)
    counts: dict[str, int] = {}
    for villages_of_pair in register.conn.execute(
        "SELECT DISTINCT h1.village_code, h2.village_code FROM sync_conflict c"
        " LEFT JOIN person p1 ON p1.id = c.row_id LEFT JOIN household h1 ON h1.id = p1.household_id"
        " LEFT JOIN person p2 ON p2.id = c.other_row_id"
        " LEFT JOIN household h2 ON h2.id = p2.household_id"
        f" WHERE c.resolved_at IS NULL AND c.kind IN ({kinds})",
        DUPLICATE_KINDS,
    ).fetchall():
        for code in {str(v) for v in villages_of_pair if v}:
            counts[code] = counts.get(code, 0) + 1
    return counts


def late(rows: list[VillageRow]) -> list[VillageRow]:
    return [r for r in rows if r.status == LATE]


def _village_codes(register: Register) -> set[str]:
    township = register.area_code
    codes = {
        str(r[0])
        for r in register.conn.execute(
            "SELECT code FROM area_unit WHERE level = 'village' AND parent_code = ?"
            " AND valid_to IS NULL",
            (township,),
        )
    }
    codes.update(
        str(r[0])
        for r in register.conn.execute(
            "SELECT DISTINCT village_code FROM household"  # the index alone: no table scan
        )
    )
    return {c for c in codes if _inside(township, c)}


def _inside(township: str, code: str) -> bool:
    try:
        return area.level_of(code) == "village" and area.contains(township, code)
    except area.AreaCodeError:
        return False


def village_label(register: Register, code: str) -> str:
    """The village's name (its code when the area list does not know it)."""
    return areas.name(register, code)
