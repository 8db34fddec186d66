"""The reads the wide person indexes of schema step 0007 are there for keep their plans.

person_household and person_women are the register's widest indexes, and every new
person splits a page of each (store.bulk's cost); they stay as wide as they are
because each column is read: a scan of the population (store.population.members_on),
the due list's women (store.due) and the indicators' women (reports.indicators.sqlite)
read them alone, no table page (SQLCipher decrypts every page read).  The plans are
the statements' own, read with EXPLAIN QUERY PLAN while the readers run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from fpdesk.reports.indicators.sqlite import RegisterSource
from fpdesk.store import population
from fpdesk.store.db import Register
from fpdesk.store.due import due_list
from fpdesk.store.woman_card import childbearing_women
from tests.conftest import VILLAGE

DAY = dt.date(2025, 6, 30)


def plans(register: Register, read: Callable[[], Any]) -> list[list[str]]:
    """The query plan of each statement `read` runs that reads the person table."""
    statements: list[str] = []
    register.conn.set_trace_callback(statements.append)
    try:
        read()
    finally:
        register.conn.set_trace_callback(None)
    return [
        [row[3] for row in register.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]
        for sql in statements
        if " person " in f" {sql} " and sql.lstrip().upper().startswith("SELECT")
    ]


def reads_person_by(found: list[list[str]], index: str, *, covering: bool) -> bool:
    kind = "COVERING INDEX" if covering else "INDEX"
    return any(
        any(
            step.startswith(("SCAN p ", "SEARCH p ", "SCAN person ", "SEARCH person "))
            and f"USING {kind} {index}" in step
            for step in plan
        )
        for plan in found
    )


def test_the_population_is_read_from_person_household_alone(register: Register) -> None:
    found = plans(register, lambda: population.members_on(register, DAY.isoformat()))
    assert reads_person_by(found, "person_household", covering=True), found


def test_the_due_lists_women_are_read_from_person_household_alone(register: Register) -> None:
    found = plans(register, lambda: due_list(register, DAY, VILLAGE))
    assert reads_person_by(found, "person_household", covering=True), found


def test_the_indicators_women_are_read_from_person_women_alone(register: Register) -> None:
    source = RegisterSource(register)
    found = plans(register, lambda: source.women_born("1975-06-30", "2010-06-30", "2025-06-30"))
    assert reads_person_by(found, "person_women", covering=True), found


def test_the_womens_card_finds_its_women_by_household(register: Register) -> None:
    # The card reads names and numbers from the table, but only for the women the
    # index's columns (sex, birth date, death date) let through.
    found = plans(register, lambda: childbearing_women(register, DAY, VILLAGE))
    assert reads_person_by(found, "person_household", covering=False), found
