"""A person's timeline: every event and visit of one person, oldest first, as the
window's person page lists it."""

from __future__ import annotations

from dataclasses import dataclass

from fpdesk.core.codes import label_or_code
from fpdesk.store.db import Register
from fpdesk.store.reading import persons


@dataclass(frozen=True)
class Event:
    """One line of a person's timeline.  `kind` names the event; `detail` is data."""

    on: str
    kind: str
    detail: str
    table: str
    row_id: str


def timeline(register: Register, person_id: str, language: str) -> list[Event]:
    """Every event and visit of one person, oldest first."""
    p = persons.person(register, person_id)
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
        label = label_or_code("supply_item", row["item"], language)
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
                label_or_code("visit_type", row["visit_type"], language),
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
            for x in (label_or_code("certificate_kind", row["kind"], language), row["number"] or "")
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
        spouse = persons.name(register, other) or row["outside_spouse_name"] or ""
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
            label = label_or_code("pregnancy_outcome", row["outcome"], language)
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
            x for x in (row["child"] or "", label_or_code("sex", row["sex"], language)) if x
        )
        out.append(Event(row["birth_date"], "child", detail, "birth", row["id"]))
    return out


def _contraception(register: Register, person_id: str, language: str) -> list[Event]:
    out = []
    for row in register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0", (person_id,)
    ):
        method = label_or_code("contraceptive_method", row["method"], language)
        out.append(Event(row["started_on"], "method_start", method, "contraception", row["id"]))
        if row["ended_on"]:
            reason = label_or_code("contraception_end", row["end_reason"], language)
            detail = " · ".join(x for x in (method, reason) if x)
            out.append(Event(row["ended_on"], "method_stop", detail, "contraception", row["id"]))
    return out
