"""`fpdesk hub status`: the district's townships, as the township's board shows its
villages (sync.board): state, the last bundle and when, the changes still missing
after a gap (a hole), and whether this month's report is late."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import psycopg

from fpdesk.hub import schema
from fpdesk.sync import board


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
        " FROM hub_ledger WHERE township_code IS NOT NULL"
        " ORDER BY township_code, seen_at DESC, id DESC"
    ):
        row = rows[str(code)]
        row.last_file, row.last_outcome = str(file_name), str(outcome)
        row.last_seen_at = seen_at.isoformat()
    for code, after in conn.execute(
        "SELECT l.township_code, min(l.after_seq) FROM hub_ledger l"
        " JOIN hub_township t ON t.code = l.township_code"
        " WHERE l.outcome = 'gap' AND l.after_seq > t.received_upto GROUP BY 1"
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
    return HubStatus(schema.schema_version(), list(rows.values()))
