"""What several tasks look up before they write: who holds an ID number, the marriage in force."""

from __future__ import annotations

from typing import Any

from fpdesk.core import validation
from fpdesk.store.db import Register


def id_holder(register: Register) -> validation.IdLookup:
    """The register's answer to "who already has this ID number?" for core.validation."""

    def lookup(number: str, person_id: str | None) -> validation.IdHolder | None:
        rows = register.query(
            "SELECT p.id, p.name, h.code FROM person p "
            "LEFT JOIN household h ON h.id = p.household_id "
            "WHERE p.id_number = ? AND p.deleted = 0 AND p.id IS NOT ?",
            (number, person_id),
        )
        if not rows:
            return None
        return validation.IdHolder(rows[0]["id"], rows[0]["name"], rows[0]["code"])

    return lookup


def current_marriage(
    register: Register, person_id: str, on: str | None = None
) -> dict[str, Any] | None:
    """The person's marriage in force on a date (default: one not yet ended)."""
    rows = register.query(
        "SELECT * FROM marriage WHERE deleted = 0 AND (wife_id = ? OR husband_id = ?) "
        "AND (? IS NULL OR married_on <= ?) "
        "AND (ended_on IS NULL OR (? IS NOT NULL AND ended_on > ?)) ORDER BY married_on DESC",
        (person_id, person_id, on, on, on, on),
    )
    return rows[0] if rows else None


def newest_open(
    register: Register, table: str, woman_id: str, *, closed_by: str, since: str
) -> dict[str, Any] | None:
    """A woman's newest record of a table that has not ended yet (its `closed_by` column
    still empty), by its `since` date: the pregnancy she is in, the method she uses."""
    rows = register.query(
        f"SELECT * FROM {table} WHERE woman_id = ? AND deleted = 0 AND {closed_by} IS NULL "
        f"ORDER BY {since} DESC",
        (woman_id,),
    )
    return rows[0] if rows else None
