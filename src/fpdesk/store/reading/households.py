"""Households and their members: one household with its head, a village's households in
walking order, a household's members (the same rows for the window and the printouts),
and what the officer sees of each member at a glance."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fpdesk.core import population
from fpdesk.store import population as store_population
from fpdesk.store.db import Register
from fpdesk.store.reading.persons import age_on

Row = dict[str, Any]
CHILDBEARING_AGES = (15, 49)

_WITH_HEAD = (
    "SELECT h.*, p.name AS head_name FROM household h LEFT JOIN person p ON p.id = h.head_id "
)


def household(register: Register, household_id: str) -> Row | None:
    """The household's row with its head's name (head_name)."""
    rows = register.query(_WITH_HEAD + "WHERE h.id = ?", (household_id,))
    return rows[0] if rows else None


def any_household(register: Register, village_code: str | None = None) -> bool:
    """Whether the register (or the village) holds a household at all (a new register
    holds none)."""
    if village_code is None:
        return bool(register.query("SELECT 1 FROM household WHERE deleted = 0 LIMIT 1"))
    return bool(
        register.query(
            "SELECT 1 FROM household WHERE village_code = ? AND deleted = 0 LIMIT 1",
            (village_code,),
        )
    )


def in_village(register: Register, village_code: str) -> list[Row]:
    """The village's households, each with its head's name, in walking order: group by
    group, then by number."""
    return register.query(
        _WITH_HEAD + "WHERE h.village_code = ? AND h.deleted = 0 ORDER BY h.group_no, h.code",
        (village_code,),
    )


def members(register: Register, household_id: str) -> list[Row]:
    """The household's people (their whole rows), head and spouse first, then by age;
    each with whether she is pregnant now and the method she uses now (or None)."""
    return register.query(
        "SELECT p.*, "
        "EXISTS (SELECT 1 FROM pregnancy g WHERE g.woman_id = p.id AND g.deleted = 0 "
        "        AND g.outcome IS NULL) AS pregnant, "
        "(SELECT c.method FROM contraception c WHERE c.woman_id = p.id AND c.deleted = 0 "
        "        AND c.ended_on IS NULL ORDER BY c.started_on DESC LIMIT 1) AS method "
        "FROM person p WHERE p.household_id = ? AND p.deleted = 0 "
        "ORDER BY p.relationship, p.birth_date, p.name",
        (household_id,),
    )


@dataclass
class Member:
    id: str
    name: str
    sex: int
    birth_date: str
    age: int | None
    relationship: int
    id_number: str | None
    marital_status: int
    residence_status: str
    dead: bool
    childbearing_age: bool = False
    pregnant: bool = False
    method: str | None = None
    visits_due: int = 0
    # The state on the day (core.population): "gone" when her hukou moved away (迁出) or,
    # floating in, she left (离开): still on the household's record, counted nowhere.
    state: str = "here"


def members_at_a_glance(
    register: Register, household_id: str, on: dt.date, due_counts: dict[str, int] | None = None
) -> list[Member]:
    """The household's people with what the officer needs to see at a glance."""
    rows = members(register, household_id)
    due_counts = due_counts or {}
    moves = store_population.histories(register, [row["id"] for row in rows])
    return [_at_a_glance(row, moves.get(row["id"], ()), on, due_counts) for row in rows]


def _at_a_glance(
    row: Row, moves: population.History, on: dt.date, due_counts: dict[str, int]
) -> Member:
    age = age_on(row["birth_date"], on)
    dead = bool(row["death_date"])
    state = population.state_on(moves, on.isoformat(), row["residence_status"])
    return Member(
        id=row["id"],
        name=row["name"],
        sex=row["sex"],
        birth_date=row["birth_date"],
        age=age,
        relationship=row["relationship"],
        id_number=row["id_number"],
        marital_status=row["marital_status"],
        residence_status=row["residence_status"],
        dead=dead,
        childbearing_age=(
            row["sex"] == 2
            and not dead
            and state != population.GONE
            and age is not None
            and CHILDBEARING_AGES[0] <= age <= CHILDBEARING_AGES[1]
        ),
        pregnant=bool(row["pregnant"]),
        method=row["method"],
        visits_due=due_counts.get(row["id"], 0),
        state=state,
    )
