"""The hub's status: townships, their last bundle, holes and late reports."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg

from fpdesk.hub import schema
from fpdesk.hub.status import status
from fpdesk.sync import board

EAST, WEST, NEW = "450102001000", "450102002000", "450102003000"


def _hub(conn: psycopg.Connection[Any]) -> None:
    schema.migrate(conn)
    for code, state, upto in (
        (EAST, "enrolled", 10),
        (WEST, "enrolled", 40),
        (NEW, "requested", 0),
    ):
        conn.execute(
            "INSERT INTO hub_township (code, county_code, name, state, received_upto)"
            " VALUES (%s, %s, %s, %s, %s)",
            (code, code[:6], f"乡{code[6:9]}", state, upto),
        )
    ledger = (
        (EAST, "east-1.fpb", "accepted", 0, 10, "2026-11-03"),
        (EAST, "east-3.fpb", "gap", 15, 20, "2026-12-02"),
        (WEST, "west-2.fpb", "accepted", 30, 40, "2026-12-01"),
    )
    for code, name, outcome, after, upto, seen in ledger:
        conn.execute(
            "INSERT INTO hub_ledger (township_code, file_name, file_hash, outcome, after_seq,"
            " upto_seq, seen_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (code, name, name + "-hash", outcome, after, upto, seen),
        )


def test_an_empty_hub_has_nothing_to_show(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    found = status(hub_conn, dt.date(2026, 12, 10))
    assert (found.townships, found.late, found.holes) == ([], [], [])


def test_holes_late_and_last_bundle(hub_conn: psycopg.Connection[Any]) -> None:
    _hub(hub_conn)
    found = status(hub_conn, dt.date(2026, 12, 10))
    rows = {t.code: t for t in found.townships}
    assert rows[EAST].hole == (11, 15)  # changes 11-15 never came; 16-20 wait for them
    assert rows[EAST].last_file == "east-3.fpb" and rows[EAST].last_outcome == "gap"
    assert rows[EAST].report == board.LATE  # nothing accepted this month, past the 5th
    assert rows[WEST].report == board.REPORTED and rows[WEST].hole is None
    assert rows[NEW].report == board.NO_DEVICE and rows[NEW].last_file is None
    assert [t.code for t in found.late] == [EAST]
    assert [t.code for t in found.holes] == [EAST]


def test_before_the_deadline_a_township_is_due_not_late(hub_conn: psycopg.Connection[Any]) -> None:
    _hub(hub_conn)
    rows = {t.code: t for t in status(hub_conn, dt.date(2026, 12, 4)).townships}
    assert rows[EAST].report == board.DUE


def test_a_hole_filled_is_no_longer_shown(hub_conn: psycopg.Connection[Any]) -> None:
    _hub(hub_conn)
    hub_conn.execute("UPDATE hub_township SET received_upto = 20 WHERE code = %s", (EAST,))
    assert status(hub_conn, dt.date(2026, 12, 10)).holes == []
