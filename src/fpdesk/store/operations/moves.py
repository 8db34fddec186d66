"""Moves (core.population's six kinds, a household closed by the last transfer out)
and deaths."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fpdesk.core import dates, population, validation
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.store import population as store_population
from fpdesk.store import records, tables
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form
from fpdesk.store.operations.households import PERSON_COLUMNS, _person_problems
from fpdesk.store.operations.lookups import current_marriage

MOVE_COLUMNS = tables.entered("move")
# What the place of each kind of move means, for the message when it is missing.
PLACE_NEEDED = {
    population.TRANSFER_IN: Text("请填写迁入前的户籍地。", "Type where the hukou came from."),
    population.TRANSFER_OUT: Text("请填写迁往何处。", "Type where the hukou moves to."),
    population.FLOAT_OUT: Text(
        "请填写流出去向（现居住地）。", "Type where the person now lives (the place of 流出)."
    ),
    population.FLOAT_IN: Text("请填写户籍所在地。", "Type where the person is registered."),
}
UNKNOWN_KIND = Text(
    "请选择迁移类别（迁入、迁出、流出、返回、流入、离开）。",
    "Choose the kind of move (transfer in or out, float out, return, float in, leave).",
)
CLOSE_QUESTION = Text(
    "{name}是这一户（{code}）最后一位户籍人口。迁出后是否注销这一户（销户）？",
    "{name} is the last registered member of household {code}. Close the household "
    "(销户) after the transfer out?",
)
CLOSED_BY_TRANSFER = "last_member_transferred_out"


class CloseHouseholdQuestion(Exception):
    """A 迁出 would leave a household without registered members: the officer must say
    whether to close it (销户).  Call `record_move` again with `close_household`."""

    def __init__(self, household_id: str, question: Text) -> None:
        self.household_id = household_id
        self.question = question
        super().__init__(question.en)


def _move_problems(
    register: Register, person: Mapping[str, Any], row: form.Fields
) -> form.Problems:
    """Whether the move fits the person's history (core.population): the place it
    needs, and a step her state on that day allows, that later moves still allow."""
    problems = form.Problems()
    kind = row.get("kind")
    if kind not in population.RULES:
        problems.add("kind", UNKNOWN_KIND)
        return problems
    if population.RULES[kind].needs_place and validation.blank(row.get("place")):
        problems.add("place", PLACE_NEEDED[kind])
    day = row.get("moved_on")
    if isinstance(day, str) and dates.typed(day) is not None:
        newcomer = not person.get("id")
        moves = [] if newcomer else store_population.history(register, person["id"])
        wrong = population.check_new_move(
            moves, person.get("residence_status", "here"), kind, day, newcomer=newcomer
        )
        if wrong is not None:
            problems.add("moved_on", wrong)
    return problems


def _registered_others(register: Register, person: Mapping[str, Any], day: str) -> bool:
    """Whether anyone else of the person's household is still registered after `day`."""
    others = register.query(
        "SELECT id, residence_status, birth_date, death_date FROM person "
        "WHERE household_id = ? AND id != ? AND deleted = 0",
        (person["household_id"], person["id"]),
    )
    moves = store_population.histories(register, [o["id"] for o in others])
    return any(
        population.person_counts(
            population.REGISTERED,
            moves.get(o["id"], ()),
            day,
            residence_status=o["residence_status"],
            birth_date=o["birth_date"],
            death_date=o["death_date"],
        )
        for o in others
    )


def _opening_move(person: Mapping[str, Any], kind: str, day: str) -> dict[str, Any] | None:
    """The move her record implies, written before her first move when that move alone
    would misstate where she was before it (core.population reads the time before a
    first move from the move).  A person entered as floating in (流入) who now settles
    her hukou here (迁入) was floating in before it, not outside the register; one entered
    as floating out who now transfers out was floating out.  Dated since when her record
    says so (else since her birth, as her record has it), and before the move's day."""
    before = population.STATE_OF_RESIDENCE.get(person["residence_status"], population.HERE)
    if before == population.RULES[kind].first_before:
        return None
    opening = {population.FLOAT_IN: population.FLOAT_IN, population.FLOAT_OUT: population.FLOAT_OUT}
    implied = opening.get(before)
    if implied is None:
        return None
    since = person.get("residence_since") or person["birth_date"]
    eve = dates.days_after(day, -1)
    return {
        "person_id": person["id"],
        "kind": implied,
        "moved_on": min(since, eve),
        "place": person.get("residence_place") or "—",
        "reason": "登记时的居住状态",
    }


def record_move(
    register: Register,
    person_id: str,
    fields: form.Fields,
    *,
    clock: Clock | None = None,
    close_household: bool | None = None,
) -> str:
    """A move of a person already on the register (core.population's six kinds).

    Registration events (迁入, 迁出) move her hukou; residence events (流出/返回,
    流入/离开) only where she lives.  The move must fit her history: a 返回 needs a
    流出 before it, a 迁入 cannot come while she is registered here.  Her record's
    residence status follows, in the same transaction.  A 迁出 of a household's last
    registered member raises CloseHouseholdQuestion unless `close_household` says
    whether to close the household (销户); a closing is written on the household.
    """
    person = form.existing(register, "person", person_id)
    row = {**form.clean(fields), "person_id": person_id}
    problems = form.Problems()
    form.check_alive(problems, "moved_on", person)
    problems.extend(validation.check_move(row, form.clock(clock), person=person))
    for name, text in _move_problems(register, person, row).items():
        problems.add(name, text)
    problems.raise_any()
    kind, day = row["kind"], row["moved_on"]
    closing = False
    if kind == population.TRANSFER_OUT and not _registered_others(register, person, day):
        household = form.existing(register, "household", person["household_id"])
        if close_household is None:
            raise CloseHouseholdQuestion(
                household["id"], CLOSE_QUESTION.format(name=person["name"], code=household["code"])
            )
        closing = close_household
    history = store_population.history(register, person_id)
    after = population.final_state(
        population.with_move(history, day, kind), person["residence_status"]
    )
    opening = None if history else _opening_move(person, kind, day)
    with register.transaction():
        if opening is not None:
            records.insert(register, "move", opening)
        move_id = records.insert(register, "move", form.pick(row, MOVE_COLUMNS))
        status = population.RESIDENCE_OF_STATE.get(after, person["residence_status"])
        records.update(
            register,
            "person",
            person_id,
            {
                "residence_status": status,
                "residence_place": None if after == population.HERE else row.get("place"),
                "residence_since": day,
            },
        )
        if closing:
            records.update(
                register,
                "household",
                person["household_id"],
                {"closed_on": day, "close_reason": CLOSED_BY_TRANSFER},
            )
    return move_id


def record_move_in(
    register: Register,
    household_id: str,
    person_fields: form.Fields,
    move_fields: form.Fields,
    *,
    clock: Clock | None = None,
) -> str:
    """Someone new comes into a household: the person and the move, in one transaction.

    The move is a 迁入 (her hukou comes here; the default) or a 流入 (she lives here,
    registered elsewhere: the place is where she is registered).
    """
    clock = form.clock(clock)
    form.existing(register, "household", household_id)
    person = form.clean(person_fields)
    move = {"kind": population.TRANSFER_IN, **form.clean(move_fields), "person_id": "(new)"}
    problems = form.Problems()
    _person_problems(register, person, clock, problems)
    problems.extend(validation.check_move(move, clock, person=person))
    if move["kind"] not in (population.TRANSFER_IN, population.FLOAT_IN):
        problems.add("kind", UNKNOWN_KIND)
    else:
        # A new person (no id yet) starts outside the register.
        for name, text in _move_problems(register, {}, move).items():
            problems.add(name, text)
    problems.raise_any()
    status = "in" if move["kind"] == population.FLOAT_IN else "here"
    with register.transaction():
        person_id = records.insert(
            register,
            "person",
            {
                **form.pick(person, PERSON_COLUMNS),
                "household_id": household_id,
                "residence_status": status,
                "residence_place": move.get("place") if status == "in" else None,
                "residence_since": move["moved_on"],
            },
        )
        records.insert(register, "move", form.pick({**move, "person_id": person_id}, MOVE_COLUMNS))
    return person_id


def record_death(
    register: Register, person_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> None:
    """A death.  An open marriage ends (the spouse is widowed) and an open contraception
    episode of the person ends, in the same transaction.
    """
    person = form.existing(register, "person", person_id)
    row = form.clean(fields)
    problems = form.Problems()
    problems.required(row, "death_date")
    form.check_alive(problems, "death_date", person)
    died = {**person, "death_date": row.get("death_date")}
    problems.extend(validation.check_person(died, form.clock(clock)), only=["death_date"])
    problems.raise_any()
    death_date = row["death_date"]
    with register.transaction():
        records.update(
            register,
            "person",
            person_id,
            {"death_date": death_date, "death_cause": row.get("death_cause")},
        )
        marriage = current_marriage(register, person_id)
        if marriage:
            records.update(
                register,
                "marriage",
                marriage["id"],
                {"ended_on": death_date, "end_reason": "widowed"},
            )
            spouse = (
                marriage["husband_id"] if marriage["wife_id"] == person_id else marriage["wife_id"]
            )
            if spouse:
                records.update(register, "person", spouse, {"marital_status": 30})
        for episode in register.query(
            "SELECT id FROM contraception WHERE deleted = 0 AND ended_on IS NULL "
            "AND (woman_id = ? OR user_id = ?)",
            (person_id, person_id),
        ):
            records.update(
                register,
                "contraception",
                episode["id"],
                {"ended_on": death_date, "end_reason": "death"},
            )
