"""The woman of childbearing age card, read from the register (a view, never a copy).

`woman_card` gathers one woman's card: her person row and household, her husband
(current marriage, else the last), her marriages, her children with their birth order
for the couple (core.policy), her contraception, pregnancies and checks, and whether
she is on the card and why (core.woman_card).  `childbearing_women` lists who is on
the card in a village on a date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from fpdesk.core import population
from fpdesk.core.dates import add_years, stored
from fpdesk.core.policy import BirthFacts, birth_orders
from fpdesk.core.woman_card import AGE_FROM, AGE_TO, CardStatus, card_status
from fpdesk.store import population as store_population
from fpdesk.store.db import Register
from fpdesk.store.due import area_bounds

Row = dict[str, Any]
# The visits the card shows under "checks" (查环、查孕、妇检 ...).
CHECK_TYPES = (
    "iud_check",
    "pregnancy_check",
    "gyn_exam",
    "prepregnancy_check",
    "iud_followup",
    "postop_followup",
)


@dataclass(frozen=True)
class Child:
    birth_id: str
    name: str | None
    sex: int
    birth_date: str
    order: int  # 孩次 for the couple, computed
    alive: bool
    relation: str  # own, step, adopted
    weight_g: int | None
    document_kind: str | None


@dataclass(frozen=True)
class WomanCard:
    woman: Row  # the person row, with household_code, group_no, address
    husband: Row | None  # name and id_number (from the register or the outside spouse)
    marriages: list[Row]
    first_married_on: str | None
    children: list[Child]
    contraception: list[Row]
    current_method: Row | None
    pregnancies: list[Row]
    checks: list[Row]
    status: CardStatus


def woman_card(register: Register, woman_id: str, on: dt.date) -> WomanCard | None:
    """One woman's card as it stands on `on`; None if there is no such (live) person."""
    rows = register.query(
        "SELECT p.*, h.code AS household_code, h.group_no, h.address FROM person p "
        "JOIN household h ON h.id = p.household_id WHERE p.id = ? AND p.deleted = 0",
        (woman_id,),
    )
    if not rows:
        return None
    woman = rows[0]
    marriages = register.query(
        "SELECT m.*, h.name AS husband_name, h.id_number AS husband_id_number "
        "FROM marriage m LEFT JOIN person h ON h.id = m.husband_id "
        "WHERE m.wife_id = ? AND m.deleted = 0 AND m.married_on <= ? ORDER BY m.married_on",
        (woman_id, on.isoformat()),
    )
    contraception = register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0 AND started_on <= ? "
        "ORDER BY started_on",
        (woman_id, on.isoformat()),
    )
    current = next(
        (c for c in reversed(contraception) if not c["ended_on"] or c["ended_on"] > on.isoformat()),
        None,
    )
    return WomanCard(
        woman=woman,
        husband=_husband(marriages, on),
        marriages=marriages,
        first_married_on=marriages[0]["married_on"] if marriages else None,
        children=_children(register, woman_id, marriages, on),
        contraception=contraception,
        current_method=current,
        pregnancies=register.query(
            "SELECT * FROM pregnancy WHERE woman_id = ? AND deleted = 0 AND registered_on <= ? "
            "ORDER BY registered_on",
            (woman_id, on.isoformat()),
        ),
        checks=register.query(
            "SELECT * FROM visit WHERE person_id = ? AND deleted = 0 AND visited_on <= ? "
            "AND visit_type IN (SELECT value FROM json_each(?)) ORDER BY visited_on",
            (woman_id, on.isoformat(), _json(CHECK_TYPES)),
        ),
        status=_status(register, woman, on),
    )


def _json(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def _husband(marriages: list[Row], on: dt.date) -> Row | None:
    current = [m for m in marriages if not m["ended_on"] or m["ended_on"] > on.isoformat()]
    shown = current[-1] if current else (marriages[-1] if marriages else None)
    if shown is None:
        return None
    return {
        "person_id": shown["husband_id"],
        "name": shown["husband_name"] or shown["outside_spouse_name"],
        "id_number": shown["husband_id_number"] or shown["outside_spouse_id_number"],
        "marriage_id": shown["id"],
        "current": bool(current),
    }


def _children(register: Register, woman_id: str, marriages: list[Row], on: dt.date) -> list[Child]:
    """Her children, each with its order for the couple: her births and her husbands'."""
    husbands = sorted({m["husband_id"] for m in marriages if m["husband_id"]})
    marks = ", ".join("?" for _ in husbands) or "NULL"
    rows = register.query(
        "SELECT b.*, c.name AS child_name, c.death_date AS child_died FROM birth b "
        "LEFT JOIN person c ON c.id = b.child_id WHERE b.deleted = 0 AND b.birth_date <= ? "
        f"AND (b.mother_id = ? OR b.father_id IN ({marks}))",
        (on.isoformat(), woman_id, *husbands),
    )
    orders = birth_orders(
        BirthFacts(r["id"], r["mother_id"], r["father_id"], dt.date.fromisoformat(r["birth_date"]))
        for r in rows
    )
    children = [
        Child(
            birth_id=r["id"],
            name=r["child_name"],
            sex=r["sex"],
            birth_date=r["birth_date"],
            order=orders[r["id"]].order,
            alive=bool(r["alive"]) and not r["child_died"],
            relation=r["child_relation"] if r["mother_id"] == woman_id else "step",
            weight_g=r["weight_g"],
            document_kind=r["document_kind"],
        )
        for r in rows
    ]
    return sorted(children, key=lambda c: (c.order, c.birth_id))


# The moves that put a woman on the card or take her off it: her hukou coming or going
# (迁入, 迁出), or, for a floating-in woman's card where she lives, 流入 and 离开.  A
# 流出 and her 返回 leave her on her registration place's card (core.population).
_ENTERS = (population.TRANSFER_IN, population.FLOAT_IN)
_LEAVES = (population.TRANSFER_OUT, population.LEAVE)


def _status(register: Register, woman: Row, on: dt.date) -> CardStatus:
    day = on.isoformat()
    moves = [m for m in store_population.history(register, woman["id"]) if m[0] <= day]
    entered = [m for m in moves if m[1] in _ENTERS]
    left = [m for m in moves if m[1] in _LEAVES]
    status = card_status(
        sex=int(woman["sex"]),
        birth_date=dt.date.fromisoformat(woman["birth_date"]),
        on=on,
        death_date=stored(woman["death_date"]),
        moved_in_on=stored(entered[-1][0]) if entered else None,
        moved_out_on=stored(left[-1][0]) if left else None,
    )
    if status.entered == "moved_in" and entered[-1][1] == population.FLOAT_IN:
        status = dataclasses.replace(status, entered="floated_in")
    if status.left == "moved_out" and left[-1][1] == population.LEAVE:
        status = dataclasses.replace(status, left="left")
    return status


def childbearing_women(
    register: Register,
    on: dt.date,
    village_code: str | None = None,
    *,
    married_only: bool = False,
    basis: str = population.REGISTERED,
) -> list[Row]:
    """Who is on the card on `on` in a village (or the register's area): women 15-49,
    alive, in the population `basis` that day (core.population: the registered, here
    and floating out, by default); with married_only, the core cohort of married
    women 15-49."""
    low, high = area_bounds(village_code or register.area_code)
    day = on.isoformat()
    oldest = add_years(on, -(AGE_TO + 1)).isoformat()
    youngest = add_years(on, -AGE_FROM).isoformat()
    sql = (
        "SELECT p.id, p.name, p.birth_date, p.id_number, p.marital_status, p.residence_status, "
        "h.code AS household_code, h.group_no, h.address FROM household h "
        # households first (household_village), then members: see store.due
        "CROSS JOIN person p ON p.household_id = h.id "
        "WHERE h.village_code BETWEEN ? AND ? AND h.deleted = 0 AND p.deleted = 0 "
        "AND +p.sex = 2 AND p.birth_date > ? AND p.birth_date <= ? "
        "AND (p.death_date IS NULL OR p.death_date > ?)"
    )
    params: list[Any] = [low, high, oldest, youngest, day]
    if married_only:
        sql += (
            " AND EXISTS (SELECT 1 FROM marriage m WHERE m.wife_id = p.id AND m.deleted = 0 "
            "AND m.married_on <= ? AND (m.ended_on IS NULL OR m.ended_on > ?))"
        )
        params += [day, day]
    women = register.query(sql + " ORDER BY h.code, p.birth_date", params)
    moves = store_population.histories(register, [w["id"] for w in women])
    return [
        w
        for w in women
        if population.counts(
            basis, population.state_on(moves.get(w["id"], ()), day, w["residence_status"])
        )
    ]
