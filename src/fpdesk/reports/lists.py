"""Work lists the plan asks for: reward and assistance families, untracked pregnancies,
overdue follow-ups.

Reward rules are data (resources/rewards_rules.json); the due schedules are
core.schedules' and the due list is store.due's, so "overdue" means here exactly what
it means on the officer's due list.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fpdesk.core import schedules
from fpdesk.core.codes import load_resource
from fpdesk.core.dates import age_on, stored
from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log, due
from fpdesk.store.db import Register


@dataclass(frozen=True)
class Programme:
    key: str
    label: Text
    effective_from: dt.date
    effective_to: dt.date | None
    conditions: Mapping[str, Any]

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


KNOWN_CONDITIONS = {
    "registration_type",
    "min_age",
    "mother_min_age",
    "max_children",
    "daughters_only_max",
    "max_living_children",
    "min_children",
}


def programmes(data: Mapping[str, Any] | None = None) -> list[Programme]:
    raw = data if data is not None else load_resource("rewards_rules.json")
    out = []
    for item in raw["programmes"]:
        unknown = set(item["conditions"]) - KNOWN_CONDITIONS
        if unknown:
            raise ValueError(f"rewards rule {item['key']}: unknown conditions {sorted(unknown)}")
        out.append(
            Programme(
                key=str(item["key"]),
                label=Text(str(item["label"][0]), str(item["label"][1])),
                effective_from=dt.date.fromisoformat(item["effective_from"]),
                effective_to=stored(item.get("effective_to")),
                conditions=dict(item["conditions"]),
            )
        )
    return out


def _listing(register: Register, kind: str, on: dt.date, area_code: str | None) -> str:
    """The area a work list may cover for this session (refused elsewhere), with the
    list recorded in the record of processing: every face gets both by calling here."""
    access.require(register, "report")
    scope = access.scope(register, area_code)
    access_log.record(register, "report", {"list": kind, "on": on.isoformat(), "area": scope})
    return scope


def _in_area(scope: str) -> tuple[str, str]:
    return due.area_bounds(scope)


def reward_families(
    register: Register,
    on: dt.date,
    area_code: str | None = None,
    *,
    rules: list[Programme] | None = None,
) -> list[dict[str, Any]]:
    """Parents who meet a reward or assistance programme's conditions on `on`.

    Children are every own birth of the parent from any marriage; a child counts as
    living while neither the birth row nor the child's person record says otherwise.
    """
    low, high = _in_area(_listing(register, "rewards", on, area_code))
    parents = register.query(
        """SELECT p.id, p.name, p.sex, p.birth_date, p.registration_type, h.code AS household,
                  h.village_code
           FROM person p JOIN household h ON h.id = p.household_id
           WHERE p.deleted = 0 AND h.deleted = 0 AND h.village_code BETWEEN ? AND ?
             AND p.death_date IS NULL AND p.birth_date <= ?""",
        (low, high, on.isoformat()),
    )
    children = _children(register, on)
    out = []
    for programme in rules if rules is not None else programmes():
        if not programme.in_force(on):
            continue
        for parent in parents:
            kids = children.get(parent["id"], [])
            if _meets(programme.conditions, parent, kids, on):
                out.append(
                    {
                        "programme": programme.key,
                        "programme_label": programme.label.zh,
                        "person_id": parent["id"],
                        "name": parent["name"],
                        "age": age_on(parent["birth_date"], on),
                        "household": parent["household"],
                        "village_code": parent["village_code"],
                        "children": len(kids),
                        "living_children": sum(1 for k in kids if k["living"]),
                    }
                )
    return sorted(out, key=lambda r: (r["programme"], r["household"], r["name"]))


def _children(register: Register, on: dt.date) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in register.query(
        """SELECT b.mother_id, b.father_id, b.sex, m.birth_date AS mother_born,
                  b.alive AND (c.death_date IS NULL OR c.death_date > ?) AS living
           FROM birth b JOIN person m ON m.id = b.mother_id
           LEFT JOIN person c ON c.id = b.child_id
           WHERE b.deleted = 0 AND b.child_relation = 'own' AND b.birth_date <= ?""",
        (on.isoformat(), on.isoformat()),
    ):
        for parent in (row["mother_id"], row["father_id"]):
            if parent:
                out[parent].append(row)
    return out


def _meets(
    conditions: Mapping[str, Any], parent: dict[str, Any], kids: list[dict[str, Any]], on: dt.date
) -> bool:
    c = conditions
    if "registration_type" in c and parent["registration_type"] not in c["registration_type"]:
        return False
    if "min_age" in c and age_on(parent["birth_date"], on) < c["min_age"]:
        return False
    if "mother_min_age" in c:
        mother_born = (
            parent["birth_date"]
            if parent["sex"] == 2
            else (max(k["mother_born"] for k in kids) if kids else None)
        )
        if mother_born is None or age_on(mother_born, on) < c["mother_min_age"]:
            return False
    if "min_children" in c and len(kids) < c["min_children"]:
        return False
    if (
        "max_living_children" in c
        and sum(1 for k in kids if k["living"]) > c["max_living_children"]
    ):
        return False
    if "max_children" in c and len(kids) > c["max_children"]:
        only_daughters = kids and all(k["sex"] == 2 for k in kids)
        if not (only_daughters and len(kids) <= c.get("daughters_only_max", 0)):
            return False
    return True


def untracked_pregnancies(
    register: Register, on: dt.date, area_code: str | None = None
) -> list[dict[str, Any]]:
    """Pregnancies still open on `on` that no tracking visit has seen since registration,
    and births up to `on` with no registered pregnancy at all (never tracked)."""
    low, high = _in_area(_listing(register, "untracked", on, area_code))
    accepted = sorted(schedules.schedules().pregnancy.satisfied_by)
    marks = ",".join("?" * len(accepted))
    open_ones = register.query(
        f"""SELECT 'pregnancy' AS kind, g.id, p.name, h.code AS household, h.village_code,
                   g.registered_on AS since, g.expected_on
            FROM pregnancy g JOIN person p ON p.id = g.woman_id
            JOIN household h ON h.id = p.household_id
            WHERE g.deleted = 0 AND g.registered_on <= ?
              AND (g.outcome_on IS NULL OR g.outcome_on > ?)
              AND h.village_code BETWEEN ? AND ?
              AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.deleted = 0
                  AND v.person_id = g.woman_id AND v.visit_type IN ({marks})
                  AND v.visited_on BETWEEN g.registered_on AND ?)""",
        (on.isoformat(), on.isoformat(), low, high, *accepted, on.isoformat()),
    )
    unregistered = register.query(
        """SELECT 'birth' AS kind, b.id, p.name, h.code AS household, h.village_code,
                  b.birth_date AS since, NULL AS expected_on
           FROM birth b JOIN person p ON p.id = b.mother_id
           JOIN household h ON h.id = p.household_id
           WHERE b.deleted = 0 AND b.child_relation = 'own' AND b.pregnancy_id IS NULL
             AND b.birth_date <= ? AND h.village_code BETWEEN ? AND ?""",
        (on.isoformat(), low, high),
    )
    return sorted(open_ones + unregistered, key=lambda r: (r["since"], r["household"], r["id"]))


def overdue_followups(
    register: Register, on: dt.date, area_code: str | None = None
) -> list[due.DueItem]:
    """Post-operative follow-ups overdue on `on`, from the officers' own due list."""
    plan = schedules.schedules()
    kinds = set()
    for series in plan.operations.values():
        kinds.add(series.visit_type)
        if series.then_visit_type:
            kinds.add(series.then_visit_type)
    items = due.due_list(register, on, _listing(register, "overdue", on, area_code))
    return [
        i
        for i in items
        if i.overdue and i.visit_type in kinds and i.follows_table == "contraception"
    ]
