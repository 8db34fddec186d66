"""The import ledger: one row for every bundle file seen, whatever became of it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store.db import Register
from fpdesk.store.import_runs import (  # the ledger read back: one place, in store
    _RUN,
    ACCEPTED,
    NO_SUCH_RUN,
    ImportRun,
    NoSuchRun,
    rows,
    run_rows,
    runs,
    village_name,
    village_of,
)
from fpdesk.sync.keys import now_text

__all__ = [
    "ACCEPTED",
    "NO_SUCH_RUN",
    "FileResult",
    "ImportRun",
    "NoSuchRun",
    "already_accepted",
    "record",
    "rows",
    "run_rows",
    "runs",
    "start_run",
    "village_name",
    "village_of",
]

DUPLICATE = "duplicate"
GAP = "gap"
FORK = "fork"
REFUSED = "refused"
# A village's update file on a stick that serves several villages: not for this one,
# so it was left alone (not opened further, nothing recorded).  Never in the ledger.
NOT_HERE = "not_here"


@dataclass
class FileResult:
    """What happened to one bundle file."""

    file_name: str
    file_hash: str
    outcome: str
    reason: Text | None = None
    device_id: str | None = None
    kind: str | None = None
    after: int | None = None
    upto: int | None = None
    applied: int = 0
    unchanged: int = 0
    queued: int = 0
    conflicts: list[str] = field(default_factory=list)
    # Who the file's NAME says made it (not verified: anyone can rename a file); said
    # when the file cannot be opened, so the clerk knows whom to ask for a new export.
    named_area: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "file_hash": self.file_hash,
            "outcome": self.outcome,
            "reason": str(self.reason) if self.reason else None,
            "reason_zh": self.reason.zh if self.reason else None,
            "reason_en": self.reason.en if self.reason else None,
            "device_id": self.device_id,
            "kind": self.kind,
            "after": self.after,
            "upto": self.upto,
            "applied": self.applied,
            "unchanged": self.unchanged,
            "queued": self.queued,
            "conflicts": self.conflicts,
            "named_area": self.named_area,
        }


def record(register: Register, result: FileResult) -> None:
    """Write the ledger row (inside the caller's transaction when there is one)."""
    with register.transaction() as conn:
        conn.execute(
            "INSERT INTO sync_ledger (seen_at, file_name, file_hash, device_id, kind,"
            " after_seq, upto_seq, outcome, reason_zh, reason_en, applied, unchanged, queued)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now_text(),
                result.file_name,
                result.file_hash,
                result.device_id,
                result.kind,
                result.after,
                result.upto,
                result.outcome,
                result.reason.zh if result.reason else None,
                result.reason.en if result.reason else None,
                result.applied,
                result.unchanged,
                result.queued,
            ),
        )


def already_accepted(register: Register, file_hash: str) -> bool:
    row = register.conn.execute(
        "SELECT 1 FROM sync_ledger WHERE file_hash = ? AND outcome = ? LIMIT 1",
        (file_hash, ACCEPTED),
    ).fetchone()
    return row is not None


def start_run(register: Register) -> None:
    """Mark the start of a run: the ledger rows written from now on belong to it."""
    last = register.conn.execute("SELECT coalesce(max(id), 0) FROM sync_ledger").fetchone()[0]
    actor = register.conn.execute("SELECT value FROM local_state WHERE key = 'actor'").fetchone()
    record = {"after": int(last), "at": now_text(), "clerk": (actor[0] if actor else None) or ""}
    with register.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO local_state (key, value) VALUES (?, ?)",
            (f"{_RUN}{int(last):012d}", json.dumps(record, ensure_ascii=False)),
        )
