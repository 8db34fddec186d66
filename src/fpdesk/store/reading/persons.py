"""One person: her row with her household's code and address, a name, possible spouses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from fpdesk.core import dates
from fpdesk.store.db import Register

Row = dict[str, Any]


_WITH_HOUSEHOLD = (
    "SELECT p.*, h.code AS household_code, h.group_no, h.address FROM person p "
    "JOIN household h ON h.id = p.household_id "
)
_CHUNK = 500  # SQLite's limit on bound parameters, with room to spare


def person(register: Register, person_id: str) -> Row | None:
    """The person's row, with her household's code, group and address."""
    rows = register.query(_WITH_HOUSEHOLD + "WHERE p.id = ?", (person_id,))
    return rows[0] if rows else None


def with_households(register: Register, person_ids: Iterable[str]) -> dict[str, Row]:
    """Many persons' rows as person() reads them, by id (a visit round's people); an id
    not in the register is left out."""
    ids = sorted(set(person_ids))
    found: dict[str, Row] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for row in register.query(_WITH_HOUSEHOLD + f"WHERE p.id IN ({marks})", chunk):
            found[row["id"]] = row
    return found


def name(register: Register, person_id: str | None) -> str:
    """The person's name; "" for no one or someone not in the register."""
    if not person_id:
        return ""
    rows = register.query("SELECT name FROM person WHERE id = ?", (person_id,))
    return str(rows[0]["name"]) if rows else ""


def spouses_in_household(register: Register, person: Row) -> list[Row]:
    """The living people of the other sex in the person's household (id, name,
    birth_date), eldest first: whom a marriage form offers as the spouse."""
    return register.query(
        "SELECT id, name, birth_date FROM person WHERE household_id = ? AND deleted = 0 "
        "AND sex = ? AND death_date IS NULL AND id != ? ORDER BY birth_date",
        (person.get("household_id"), 1 if person.get("sex") == 2 else 2, person.get("id")),
    )


def age_on(birth_date: str | None, on: dt.date) -> int | None:
    """Whole years on the day; None when the birth date is missing or not a date."""
    born = dates.iso(birth_date)
    return dates.age_on(born, on) if born else None
