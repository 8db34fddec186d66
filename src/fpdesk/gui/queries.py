"""What the window reads from the register: plain functions, no Qt, no writing.

The widgets show what these return; the same functions serve the tests and the
benchmark.  Everything is read with SQL over indexed columns, never by loading a
whole table into Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fpdesk.core import codes, idnumber, population
from fpdesk.store import access, areas
from fpdesk.store import population as store_population
from fpdesk.store.db import Register

CHILDBEARING_AGES = (15, 49)


def code_label(kind: str, code: object, language: str) -> str:
    """The label of a code in the user's language; the code itself if unknown."""
    if code is None or code == "":
        return ""
    try:
        return codes.label(kind, code, language)
    except codes.UnknownCode:
        return str(code)


def age_on(birth_date: str | None, on: dt.date) -> int | None:
    if not birth_date:
        return None
    try:
        born = dt.date.fromisoformat(birth_date)
    except ValueError:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


mask_id = idnumber.mask_id_number


# ---- the area tree -------------------------------------------------------------------


@dataclass
class Village:
    code: str
    name: str


def area_name(register: Register, code: str) -> str:
    return areas.name(register, code)


def villages(register: Register) -> list[Village]:
    """The villages with households in this register (and a village register's own).

    Read from the village index alone: a county's 300,000 people cost tens of
    milliseconds here.  Group counts come per village, when the tree opens it.
    """
    codes = {row[0] for row in register.conn.execute("SELECT DISTINCT village_code FROM household")}
    if register.role == "village":
        codes.add(register.area_code)
    codes = {code for code in codes if access.sees(register, code)}  # an account: its own
    names = areas.names(register, codes)
    return [Village(code, names[code]) for code in sorted(codes)]


def groups(register: Register, village_code: str) -> list[tuple[str, int]]:
    """The village's groups with their number of households."""
    rows = register.conn.execute(
        "SELECT group_no, count(*) FROM household WHERE village_code = ? AND deleted = 0 "
        "GROUP BY group_no ORDER BY group_no",
        (village_code,),
    )
    return [(str(group_no), int(count)) for group_no, count in rows]


# ---- households ----------------------------------------------------------------------


def household(register: Register, household_id: str) -> dict[str, Any] | None:
    rows = register.query(
        "SELECT h.*, p.name AS head_name FROM household h "
        "LEFT JOIN person p ON p.id = h.head_id WHERE h.id = ?",
        (household_id,),
    )
    return rows[0] if rows else None


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


def members(
    register: Register, household_id: str, on: dt.date, due_counts: dict[str, int] | None = None
) -> list[Member]:
    """The household's people with what the officer needs to see at a glance."""
    rows = register.query(
        "SELECT p.id, p.name, p.sex, p.birth_date, p.relationship, p.id_number, "
        "p.marital_status, p.residence_status, p.death_date, "
        "EXISTS (SELECT 1 FROM pregnancy g WHERE g.woman_id = p.id AND g.deleted = 0 "
        "        AND g.outcome IS NULL) AS pregnant, "
        "(SELECT c.method FROM contraception c WHERE c.woman_id = p.id AND c.deleted = 0 "
        "        AND c.ended_on IS NULL ORDER BY c.started_on DESC LIMIT 1) AS method "
        "FROM person p WHERE p.household_id = ? AND p.deleted = 0 "
        "ORDER BY p.relationship, p.birth_date",
        (household_id,),
    )
    due_counts = due_counts or {}
    moves = store_population.histories(register, [row["id"] for row in rows])
    out = []
    for row in rows:
        age = age_on(row["birth_date"], on)
        dead = bool(row["death_date"])
        state = population.state_on(
            moves.get(row["id"], ()), on.isoformat(), row["residence_status"]
        )
        out.append(
            Member(
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
        )
    return out


# ---- a person's timeline -------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """One line of a person's timeline.  `kind` names the event; `detail` is data."""

    on: str
    kind: str
    detail: str
    table: str
    row_id: str


def person(register: Register, person_id: str) -> dict[str, Any] | None:
    rows = register.query(
        "SELECT p.*, h.code AS household_code, h.address FROM person p "
        "JOIN household h ON h.id = p.household_id WHERE p.id = ?",
        (person_id,),
    )
    return rows[0] if rows else None


def _name(register: Register, person_id: str | None) -> str:
    if not person_id:
        return ""
    rows = register.query("SELECT name FROM person WHERE id = ?", (person_id,))
    return str(rows[0]["name"]) if rows else ""


def timeline(register: Register, person_id: str, language: str) -> list[Event]:
    """Every event and visit of one person, oldest first."""
    p = person(register, person_id)
    if p is None:
        return []
    events = [Event(p["birth_date"], "born", "", "person", person_id)]
    if p["death_date"]:
        events.append(Event(p["death_date"], "died", p["death_cause"] or "", "person", person_id))
    events += _marriages(register, person_id)
    events += _pregnancies(register, person_id, language)
    events += _births(register, person_id, language)
    events += _contraception(register, person_id, language)
    for row in register.query(
        "SELECT id, handed_on, item, quantity FROM supply WHERE person_id = ? AND deleted = 0",
        (person_id,),
    ):
        label = code_label("supply_item", row["item"], language)
        events.append(
            Event(row["handed_on"], "supply", f"{label} × {row['quantity']}", "supply", row["id"])
        )
    for row in register.query(
        "SELECT id, visit_type, visited_on, visited_by, result FROM visit "
        "WHERE person_id = ? AND deleted = 0",
        (person_id,),
    ):
        detail = " · ".join(
            x
            for x in (
                code_label("visit_type", row["visit_type"], language),
                row["result"] or "",
                row["visited_by"] or "",
            )
            if x
        )
        events.append(Event(row["visited_on"], "visit", detail, "visit", row["id"]))
    for row in register.query(
        "SELECT id, kind, moved_on, place, reason FROM move WHERE person_id = ? AND deleted = 0",
        (person_id,),
    ):
        detail = " · ".join(x for x in (row["place"] or "", row["reason"] or "") if x)
        events.append(Event(row["moved_on"], f"move_{row['kind']}", detail, "move", row["id"]))
    for row in register.query(
        "SELECT id, kind, number, issued_on FROM certificate WHERE woman_id = ? AND deleted = 0",
        (person_id,),
    ):
        detail = " ".join(
            x
            for x in (code_label("certificate_kind", row["kind"], language), row["number"] or "")
            if x
        )
        events.append(Event(row["issued_on"], "certificate", detail, "certificate", row["id"]))
    return sorted(events, key=lambda e: (e.on or "", _ORDER_ON_A_DAY.get(e.kind, 50)))


# Events of one day in the order they happen: an outcome before the birth it ends in,
# a move before what follows it.
_ORDER_ON_A_DAY = {
    "born": 0,
    "move_transfer_in": 10,
    "move_float_in": 10,
    "move_return": 10,
    "married": 20,
    "pregnancy": 30,
    "outcome": 40,
    "child": 41,
    "method_stop": 60,
    "method_start": 61,
    "visit": 70,
    "supply": 71,
    "certificate": 80,
    "divorced": 90,
    "widowed": 91,
    "move_float_out": 95,
    "move_transfer_out": 95,
    "move_leave": 95,
    "died": 99,
}


def _marriages(register: Register, person_id: str) -> list[Event]:
    out = []
    for row in register.query(
        "SELECT * FROM marriage WHERE (wife_id = ? OR husband_id = ?) AND deleted = 0",
        (person_id, person_id),
    ):
        other = row["husband_id"] if row["wife_id"] == person_id else row["wife_id"]
        spouse = _name(register, other) or row["outside_spouse_name"] or ""
        out.append(Event(row["married_on"], "married", spouse, "marriage", row["id"]))
        if row["ended_on"]:
            kind = "divorced" if row["end_reason"] == "divorce" else "widowed"
            out.append(Event(row["ended_on"], kind, spouse, "marriage", row["id"]))
    return out


def _pregnancies(register: Register, person_id: str, language: str) -> list[Event]:
    out = []
    for row in register.query(
        "SELECT * FROM pregnancy WHERE woman_id = ? AND deleted = 0", (person_id,)
    ):
        expected = row["expected_on"] or ""
        out.append(Event(row["registered_on"], "pregnancy", expected, "pregnancy", row["id"]))
        if row["outcome_on"]:
            label = code_label("pregnancy_outcome", row["outcome"], language)
            out.append(Event(row["outcome_on"], "outcome", label, "pregnancy", row["id"]))
    return out


def _births(register: Register, person_id: str, language: str) -> list[Event]:
    out = []
    for row in register.query(
        "SELECT b.id, b.birth_date, b.sex, c.name AS child FROM birth b "
        "LEFT JOIN person c ON c.id = b.child_id "
        "WHERE (b.mother_id = ? OR b.father_id = ?) AND b.deleted = 0",
        (person_id, person_id),
    ):
        detail = " ".join(
            x for x in (row["child"] or "", code_label("sex", row["sex"], language)) if x
        )
        out.append(Event(row["birth_date"], "child", detail, "birth", row["id"]))
    return out


def _contraception(register: Register, person_id: str, language: str) -> list[Event]:
    out = []
    for row in register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0", (person_id,)
    ):
        method = code_label("contraceptive_method", row["method"], language)
        out.append(Event(row["started_on"], "method_start", method, "contraception", row["id"]))
        if row["ended_on"]:
            reason = code_label("contraception_end", row["end_reason"], language)
            detail = " · ".join(x for x in (method, reason) if x)
            out.append(Event(row["ended_on"], "method_stop", detail, "contraception", row["id"]))
    return out
