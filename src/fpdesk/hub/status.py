"""`fpdesk hub status`: the district's townships, as the township's board shows its
villages (sync.board): state, the last bundle and when, the changes still missing
after a gap (a hole), whether this month's report is late, and this month's files
not taken (refused, a gap still open, a fork not yet released or discarded), each
with its reason in both languages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import psycopg

from fpdesk.core.i18n import Text
from fpdesk.hub import schema
from fpdesk.sync import board

# A township's files since its last release (a release starts its history again).
_SINCE_RELEASE = (
    "l.id > coalesce((SELECT max(r.id) FROM hub_ledger r WHERE r.kind = 'release'"
    " AND r.outcome = 'accepted' AND r.township_code = l.township_code), 0)"
)


@dataclass(frozen=True)
class FileProblem:
    """A file of this month the hub did not take (sync.board's, at the hub)."""

    file_name: str
    seen_at: str
    outcome: str  # refused | gap | fork
    reason: Text
    township: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file_name,
            "seen_at": self.seen_at,
            "outcome": self.outcome,
            "reason": str(self.reason),
            "reason_zh": self.reason.zh,
            "reason_en": self.reason.en,
            "township": self.township,
        }


@dataclass
class TownshipRow:
    code: str
    name: str
    state: str  # requested | enrolled | revoked
    received_upto: int
    last_file: str | None = None
    last_seen_at: str | None = None
    last_outcome: str | None = None
    # Changes missing after a gap: (first, last) sequence, or None.
    hole: tuple[int, int] | None = None
    report: str = board.NO_DEVICE  # reported | due | late | no_device (as the board)


@dataclass
class HubStatus:
    version: int
    townships: list[TownshipRow]
    problems: list[FileProblem] = field(default_factory=list)

    @property
    def late(self) -> list[TownshipRow]:
        return [t for t in self.townships if t.report == board.LATE]

    @property
    def holes(self) -> list[TownshipRow]:
        return [t for t in self.townships if t.hole is not None]

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "townships": [asdict(t) for t in self.townships],
            "late": [t.code for t in self.late],
            "holes": [t.code for t in self.holes],
            "problems": [p.as_dict() for p in self.problems],
        }


def status(
    conn: psycopg.Connection[Any],
    today: dt.date,
    deadline_day: int = board.DEFAULT_DEADLINE_DAY,
) -> HubStatus:
    schema.check(conn)
    rows = {
        str(code): TownshipRow(str(code), str(name), str(state), int(upto))
        for code, name, state, upto in conn.execute(
            "SELECT code, name, state, received_upto FROM hub_township ORDER BY code"
        )
    }
    for code, file_name, seen_at, outcome in conn.execute(
        "SELECT DISTINCT ON (township_code) township_code, file_name, seen_at, outcome"
        " FROM hub_ledger WHERE township_code IS NOT NULL AND kind = 'changes'"
        " ORDER BY township_code, seen_at DESC, id DESC"
    ):
        row = rows[str(code)]
        row.last_file, row.last_outcome = str(file_name), str(outcome)
        row.last_seen_at = seen_at.isoformat()
    for code, after in conn.execute(
        "SELECT l.township_code, min(l.after_seq) FROM hub_ledger l"
        " JOIN hub_township t ON t.code = l.township_code"
        " WHERE l.outcome = 'gap' AND l.after_seq > t.received_upto"
        f" AND {_SINCE_RELEASE} GROUP BY 1"
    ):
        row = rows[str(code)]
        row.hole = (row.received_upto + 1, int(after))
    month_start = today.replace(day=1)
    reported = {
        str(code)
        for (code,) in conn.execute(
            "SELECT DISTINCT township_code FROM hub_ledger"
            " WHERE outcome = 'accepted' AND seen_at::date >= %s",
            (month_start,),
        )
    }
    due = board.deadline(today, deadline_day)
    for row in rows.values():
        if row.state != "enrolled":
            row.report = board.NO_DEVICE
        elif row.code in reported:
            row.report = board.REPORTED
        else:
            row.report = board.LATE if today > due else board.DUE
    found = HubStatus(schema.schema_version(), list(rows.values()))
    found.problems = problem_files(conn, month_start)
    return found


def problem_files(conn: psycopg.Connection[Any], month_start: dt.date) -> list[FileProblem]:
    """This month's files not taken, oldest first: refused; a gap whose changes are
    still missing; a fork the district office has not released or discarded."""
    return [
        FileProblem(
            str(name),
            seen_at.isoformat(timespec="seconds"),
            str(outcome),
            Text(zh or "", en or ""),
            None if code is None else str(code),
        )
        for name, seen_at, outcome, zh, en, code in conn.execute(
            "SELECT l.file_name, l.seen_at, l.outcome, l.reason_zh, l.reason_en,"
            " l.township_code FROM hub_ledger l"
            " LEFT JOIN hub_township t ON t.code = l.township_code"
            " WHERE l.kind = 'changes' AND l.seen_at::date >= %s AND ("
            "  l.outcome = 'refused'"
            f"  OR (l.outcome = 'gap' AND l.after_seq > t.received_upto AND {_SINCE_RELEASE})"
            "  OR (l.outcome = 'fork' AND NOT EXISTS (SELECT 1 FROM hub_ledger r"
            "   WHERE r.kind = 'release' AND r.file_hash = l.file_hash)))"
            " ORDER BY l.id",
            (month_start,),
        )
    ]
