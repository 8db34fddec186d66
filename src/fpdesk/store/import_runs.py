"""The import ledger read back: its rows, the import runs they form, and each file's
village, for the clerk's window, the receipt (reports) and the command line alike.

The ledger is written by fpdesk.sync.ledger during an import; reading it needs no
part of the exchange, so the printouts can list a run without importing sync.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.store import areas
from fpdesk.store.db import Register

ACCEPTED = "accepted"
NO_SUCH_RUN = Text("没有这次导入：{id}", "No such import run: {id}")
NAMED_UNVERIFIED = Text(
    "{village}（按文件名，未核实）", "{village} (by the file name, not verified)"
)


class NoSuchRun(FpdeskError, LookupError):
    """No import run has that number; `text` says so in both languages."""

    def __init__(self, run_id: int) -> None:
        super().__init__(NO_SUCH_RUN.format(id=run_id))


def rows(register: Register) -> list[dict[str, Any]]:
    return register.query("SELECT * FROM sync_ledger ORDER BY id")


# ---------------------------------------------------------------------- import runs
# A run is one pass over a folder (the window's Import, one `bundle import`): the
# receipt the clerk prints and signs covers one run.  Its start is kept in local_state
# (the ledger rows after it, up to the next run's start, are the run's); ledger rows
# written before runs were recorded are grouped by the day they were seen.
_RUN = "import_run:"


@dataclass(frozen=True)
class ImportRun:
    """One import run: its first ledger row's id names it."""

    id: int
    started_at: str
    clerk: str
    files: int
    outcomes: dict[str, int]


def _run_starts(register: Register) -> list[dict[str, Any]]:
    return [
        json.loads(str(value))
        for (value,) in register.conn.execute(
            "SELECT value FROM local_state WHERE key LIKE ? ORDER BY key", (_RUN + "%",)
        )
    ]


def _grouped(register: Register) -> list[tuple[dict[str, Any] | None, list[dict[str, Any]]]]:
    starts = _run_starts(register)
    groups: list[tuple[dict[str, Any] | None, list[dict[str, Any]]]] = []
    current: dict[str, Any] | None = None
    day = None
    pending = list(starts)
    for row in rows(register):
        while pending and pending[0]["after"] < row["id"]:
            current = pending.pop(0)
            groups.append((current, []))
        if current is None and (not groups or day != row["seen_at"][:10]):
            day = row["seen_at"][:10]
            groups.append((None, []))  # before runs were recorded: one run per day
        groups[-1][1].append(row)
    return [(start, found) for start, found in groups if found]


def runs(register: Register) -> list[ImportRun]:
    """Every import run that saw at least one file, the latest first."""
    out = []
    for start, found in _grouped(register):
        outcomes: dict[str, int] = {}
        for row in found:
            outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + 1
        out.append(
            ImportRun(
                id=int(found[0]["id"]),
                started_at=str(start["at"] if start else found[0]["seen_at"]),
                clerk=str(start["clerk"] if start else ""),
                files=len(found),
                outcomes=outcomes,
            )
        )
    return out[::-1]


def run_rows(register: Register, run_id: int) -> list[dict[str, Any]]:
    """The ledger rows of one run, in the receipt's shape (FileResult.as_dict's names),
    each with the village's name (the file's village when the file could not be read
    is taken from its name, unverified)."""
    for _start, found in _grouped(register):
        if int(found[0]["id"]) == run_id:
            return [_receipt_row(register, row) for row in found]
    raise NoSuchRun(run_id)


def village_of(register: Register, row: dict[str, Any]) -> str | None:
    """The village a ledger row's file came from: its device's, or for a file that
    could not be opened (no device) the sender named at the start of the file name."""
    device = row.get("device_id") or _device_of_hash(register, str(row.get("file_hash") or ""))
    if device:
        found = register.conn.execute(
            "SELECT area_code FROM sync_device WHERE device_id = ?", (device,)
        ).fetchone()
        if found:
            return str(found[0])
    head = str(row.get("file_name") or "").split("-", 1)[0]
    return head if len(head) == 12 and head.isdigit() and head[9:] != "000" else None


def village_name(register: Register, row: dict[str, Any]) -> str:
    """The village of `village_of` by its name; marked as not verified when only the
    file's name says it (a file nobody could open: anyone can rename a file)."""
    code = village_of(register, row)
    if not code:
        return ""
    name = areas.name(register, code)
    if row.get("device_id") or _device_of_hash(register, str(row.get("file_hash") or "")):
        return name
    return str(NAMED_UNVERIFIED.format(village=name))


def _device_of_hash(register: Register, file_hash: str) -> str | None:
    if not file_hash:
        return None
    found = register.conn.execute(
        "SELECT device_id FROM sync_ledger WHERE file_hash = ? AND device_id IS NOT NULL"
        " ORDER BY id LIMIT 1",
        (file_hash,),
    ).fetchone()
    return None if found is None else str(found[0])


def _receipt_row(register: Register, row: dict[str, Any]) -> dict[str, Any]:
    village = village_of(register, row)
    taken = row["outcome"] == ACCEPTED  # counts mean something only for a file taken
    return {
        "id": row["id"],
        "file": row["file_name"],
        "file_hash": row["file_hash"],
        "outcome": row["outcome"],
        "reason_zh": row["reason_zh"],
        "reason_en": row["reason_en"],
        "device_id": row["device_id"],
        "after": row["after_seq"],
        "upto": row["upto_seq"],
        "applied": row["applied"] if taken else None,
        "unchanged": row["unchanged"] if taken else None,
        "queued": row["queued"] if taken else None,
        "village_code": village,
        "village": village_name(register, row),
        "seen_at": row["seen_at"],
    }
