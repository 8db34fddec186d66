"""Who counts where on a day, read from the register (the rules are core.population).

Every output asks here, or asks core.population with the moves read here: indicators,
the three workbooks, the household register and its totals, woman cards, round sheets,
the due list and the dashboard.  So a village's population, its women 15-49, its
married women 15-49 and its births read the same on every one of them.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fpdesk.core import area
from fpdesk.core import population as rules
from fpdesk.store.db import Register


def histories(
    register: Register, person_ids: Iterable[str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Each person's moves as (date, kind) in date order; moves of one day in the order
    they were recorded on this register (rowid: ids are not ordered within a moment)."""
    sql = "SELECT person_id, moved_on, kind FROM move INDEXED BY move_person WHERE deleted = 0"
    params: tuple[Any, ...] = ()
    if person_ids is not None:
        sql += " AND person_id IN (SELECT value FROM json_each(?))"
        params = (json.dumps(sorted(set(person_ids))),)
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    ordered = sql + " ORDER BY moved_on, rowid"
    for person_id, moved_on, kind in register.conn.execute(ordered, params):
        out[person_id].append((moved_on, kind))
    return dict(out)


def history(register: Register, person_id: str) -> list[tuple[str, str]]:
    return histories(register, [person_id]).get(person_id, [])


def state_of(register: Register, person: dict[str, Any], day: str) -> str:
    """One person's state on a day (`person` is her row: id and residence_status)."""
    return rules.state_on(history(register, person["id"]), day, person["residence_status"])


@dataclass(frozen=True)
class Member:
    """A person alive on the day and not `gone`, with the village of her household."""

    id: str
    household_id: str
    village: str
    sex: int
    birth_date: str
    state: str


def members_on(
    register: Register,
    day: str,
    *,
    within: str | None = None,
    moves: dict[str, list[tuple[str, str]]] | None = None,
) -> list[Member]:
    """Everyone of the register alive on `day` whose state that day is not `gone`,
    in households of the area `within` (a code prefix test; default: every village).

    Filter the result by `rules.counts(basis, m.state)` for a population basis.
    """
    moves = histories(register) if moves is None else moves
    prefix = _prefix(within)
    # From the covering indexes of schema step 0007 (household -> village, then the
    # persons' columns beside their household): no table page is decrypted.
    villages = {
        household: village
        for household, village in register.conn.execute(
            "SELECT id, village_code FROM household INDEXED BY household_village "
            "WHERE deleted = 0"
        )
        if village.startswith(prefix)
    }
    persons = register.conn.execute(
        """SELECT id, household_id, sex, birth_date, death_date, residence_status
           FROM person INDEXED BY person_household
           WHERE deleted = 0 AND birth_date <= ? AND (death_date IS NULL OR death_date > ?)""",
        (day, day),
    )
    return members_among(persons, villages, moves, day)


# (id, household id, sex, birth date, death date, residence status) of a person.
PersonRow = tuple[str, str, int, str, str | None, str]


def members_among(
    persons: Iterable[PersonRow],
    villages: dict[str, str],
    moves: dict[str, list[tuple[str, str]]],
    day: str,
) -> list[Member]:
    """members_on's rule over rows read from any store (the district hub reads its own):
    the persons in these households (household -> village) alive and not gone on the day."""
    out: list[Member] = []
    for pid, household, sex, born, died, status in persons:
        village = villages.get(household)
        if village is None:
            continue
        state = rules.state_on(moves.get(pid, ()), day, status)
        if state != rules.GONE and rules.alive_on(born, died, day):
            out.append(Member(pid, household, village, int(sex), born, state))
    return out


def count_by_village(
    register: Register,
    day: str,
    basis: str,
    *,
    within: str | None = None,
    moves: dict[str, list[tuple[str, str]]] | None = None,
) -> dict[str, int]:
    """The population of `basis` on `day`, by village."""
    return count_members(members_on(register, day, within=within, moves=moves), basis)


def count_members(members: Iterable[Member], basis: str) -> dict[str, int]:
    """count_by_village's count of members read from any store (the district hub's too)."""
    out: dict[str, int] = defaultdict(int)
    for member in members:
        if rules.counts(basis, member.state):
            out[member.village] += 1
    return dict(out)


def women_by_village(
    register: Register,
    day: str,
    basis: str,
    *,
    ages: tuple[int, int] = (15, 49),
    within: str | None = None,
    moves: dict[str, list[tuple[str, str]]] | None = None,
) -> dict[str, int]:
    """Women of childbearing age (15-49 by default) of the population `basis` on `day`."""
    members = members_on(register, day, within=within, moves=moves)
    return count_women(members, day, basis, ages=ages)


def count_women(
    members: Iterable[Member], day: str, basis: str, *, ages: tuple[int, int] = (15, 49)
) -> dict[str, int]:
    """women_by_village's count of members read from any store (the district hub's too)."""
    out: dict[str, int] = defaultdict(int)
    for member in members:
        if (
            member.sex == 2
            and rules.counts(basis, member.state)
            and rules.in_age_band(member.birth_date, day, *ages)
        ):
            out[member.village] += 1
    return dict(out)


def _prefix(code: str | None) -> str:
    if not code:
        return ""
    digits = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}
    return code[: digits[area.level_of(code)]]
