"""Everything that happened in one village in a period, in date order: births,
deaths, moves, marriages and divorces, pregnancies and their outcomes, contraceptive
operations, IUD removals, certificates.

One list serves both the household register's "recent events" and the monthly change
list (reports.pdf), so the two can never disagree about what happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fpdesk.core import codes
from fpdesk.store.db import Register

Row = dict[str, Any]

_IN_VILLAGE = "h.village_code = :village AND h.deleted = 0 AND p.deleted = 0"
_CHILD = "LEFT JOIN person c ON c.id = e.child_id"
_HUSBAND = "LEFT JOIN person s ON s.id = e.husband_id"


def _event(
    kind: str,
    table: str,
    whose: str,
    dated: str,
    code: str = "NULL",
    other: str = "NULL",
    *,
    only: str = "",
    join: str = "",
) -> str:
    """One kind of event: the live rows of `table` (as e) dated by column `dated`, each
    the event of the person in column `whose`, as (kind, on_date, person_id, code, other,
    event_id); `kind`, `code` and `other` are SQL.  The date's range is left for
    events() to add."""
    return (
        f"SELECT {kind} AS kind, e.{dated} AS on_date, p.id AS person_id, {code} AS code, "
        f"{other} AS other, e.id AS event_id FROM {table} e "
        f"JOIN person p ON p.id = e.{whose} JOIN household h ON h.id = p.household_id {join}"
        f" WHERE e.deleted = 0 {only} AND e.{dated}"
    )


_SPOUSE_NAME = "COALESCE(s.name, e.outside_spouse_name)"
_DIVORCED = "AND e.end_reason = 'divorce'"
_NO_WIFE_HERE = "AND e.wife_id IS NULL"

# One SELECT per kind of event.  A marriage (and a divorce) is the wife's event when she
# is in the register, else the husband's (two selects, so each join can use its index).
_EVENT_SELECTS = {
    "birth": _event("'birth'", "birth", "mother_id", "birth_date", "e.sex", "c.name", join=_CHILD),
    # A death is on the person's own row: no event table to join.
    "death": (
        "SELECT 'death', p.death_date, p.id, NULL, p.death_cause, p.id FROM person p "
        "JOIN household h ON h.id = p.household_id WHERE p.death_date"
    ),
    "move": _event("'move_' || e.kind", "move", "person_id", "moved_on", other="e.place"),
    "marriage": _event(
        "'marriage'", "marriage", "wife_id", "married_on", other=_SPOUSE_NAME, join=_HUSBAND
    ),
    "marriage_of_husband": _event(
        "'marriage'",
        "marriage",
        "husband_id",
        "married_on",
        other="e.outside_spouse_name",
        only=_NO_WIFE_HERE,
    ),
    "divorce": _event(
        "'divorce'",
        "marriage",
        "wife_id",
        "ended_on",
        other=_SPOUSE_NAME,
        only=_DIVORCED,
        join=_HUSBAND,
    ),
    "divorce_of_husband": _event(
        "'divorce'",
        "marriage",
        "husband_id",
        "ended_on",
        other="e.outside_spouse_name",
        only=f"{_NO_WIFE_HERE} {_DIVORCED}",
    ),
    "pregnancy": _event(
        "'pregnancy'", "pregnancy", "woman_id", "registered_on", other="e.expected_on"
    ),
    "outcome": _event(
        "'outcome'",
        "pregnancy",
        "woman_id",
        "outcome_on",
        "e.outcome",
        only="AND e.outcome IS NOT NULL",
    ),
    "operation": _event(
        "'operation'",
        "contraception",
        "woman_id",
        "started_on",
        "e.method",
        "e.provider",
        only="AND e.method IN ({operations})",
    ),
    "iud_removal": _event(
        "'iud_removal'",
        "contraception",
        "woman_id",
        "ended_on",
        "e.method",
        "e.end_reason",
        only="AND e.method = 'iud' AND coalesce(e.end_reason, '') NOT IN ({not_removals})",
    ),
    "certificate": _event(
        "'certificate'", "certificate", "woman_id", "issued_on", "e.kind", "e.number"
    ),
}


def _not_removals() -> str:
    return ", ".join(f"'{r}'" for r in codes.NOT_A_REMOVAL)


def _operation_methods() -> str:
    return ", ".join(f"'{m.code}'" for m in codes.methods() if m.operation)


def in_village(
    register: Register,
    village_code: str,
    start: dt.date,
    end: dt.date,
) -> list[Row]:
    """Every event in the village dated start..end, in date order.

    Each row: kind, on_date, person_id, name, id_number, household_id, household_code, group_no,
    code (sex, outcome, method or certificate kind) and other (spouse, child, place...).
    """
    scope = _IN_VILLAGE
    parts = [
        sql.format(operations=_operation_methods(), not_removals=_not_removals())
        + " BETWEEN :start AND :end AND "
        + scope
        for sql in _EVENT_SELECTS.values()
    ]
    sql = (
        "SELECT x.*, p.name, p.id_number, h.id AS household_id, h.code AS household_code, "
        "h.group_no FROM ("
        + " UNION ALL ".join(parts)
        + ") x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id "
        "ORDER BY x.on_date, h.group_no, h.code, p.name, x.kind, x.event_id"
    )
    params = {
        "village": village_code,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return register.query(sql, params)
