"""A birth: the child, the birth row, the pregnancy it ends, the order and the verdict;
and the question asked when an IUD or implant is on record at the birth."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fpdesk.core import codes, dates, policy, population, validation
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.store import access_log, records, tables
from fpdesk.store import population as store_population
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form
from fpdesk.store.operations.households import PERSON_COLUMNS
from fpdesk.store.operations.lookups import current_marriage, id_holder


@dataclass(frozen=True)
class BirthVerdict:
    """A birth's order for the couple and the rule that judged it."""

    order: policy.BirthOrder
    verdict: policy.Verdict
    rule_name: Text | None


@dataclass(frozen=True)
class NewBirth:
    birth_id: str
    child_id: str | None
    judged: BirthVerdict


def _facts(row: Mapping[str, Any], area_code: str) -> policy.BirthFacts:
    return policy.BirthFacts(
        id=str(row["id"]),
        mother_id=str(row["mother_id"]),
        father_id=row.get("father_id"),
        birth_date=dt.date.fromisoformat(str(row["birth_date"])),
        area_code=area_code,
        document_kind=row.get("document_kind"),
    )


def judge_birth(register: Register, birth: Mapping[str, Any]) -> BirthVerdict:
    """Order and verdict of one birth (saved or about to be), for its couple.

    Both spouses' births count, from any marriage; the rule set is the one in force on
    the birth date where the mother's household is.
    """
    mother = records.get(register, "person", str(birth["mother_id"]))
    household = records.get(register, "household", mother["household_id"]) if mother else None
    area_code = household["village_code"] if household else register.area_code
    rows = register.query(
        "SELECT id, mother_id, father_id, birth_date, document_kind FROM birth "
        "WHERE deleted = 0 AND id != ? AND (mother_id = ? OR father_id = ?)",
        (birth["id"], birth["mother_id"], birth.get("father_id")),
    )
    this = _facts(birth, area_code)
    orders = policy.birth_orders([*(_facts(r, area_code) for r in rows), this])
    order = orders[this.id]
    verdict = policy.judge(this, order)
    rule = next((r for r in policy.rule_sets() if r.id == verdict.rule_id), None)
    return BirthVerdict(order, verdict, rule.name if rule else None)


BIRTH_COLUMNS = tables.entered("birth")
# The child's relationship to the household head follows the mother's.
_CHILD_OF = {0: {1: 2, 2: 3}, 1: {1: 2, 2: 3}, 2: {1: 4, 2: 4}, 3: {1: 4, 2: 4}}


def _birth_row(
    register: Register, mother_id: str, fields: form.Fields, problems: form.Problems, clock: Clock
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The birth row and the mother, checked; problems collected, not raised."""
    mother = form.existing(register, "person", mother_id)
    row: dict[str, Any] = {"alive": 1, "child_relation": "own", **form.clean(fields)}
    row["mother_id"] = mother_id
    row.setdefault("id", "(new)")
    born = row.get("birth_date") if dates.typed(row.get("birth_date")) else None
    marriage = current_marriage(register, mother_id, born) if born else None
    if marriage:
        row.setdefault("marriage_id", marriage["id"])
        if not row.get("father_id"):
            row["father_id"] = marriage["husband_id"]
    father = records.get(register, "person", row["father_id"]) if row.get("father_id") else None
    pregnancy = None
    if not row.get("pregnancy_id") and born:
        pregnancy = _pregnancy_of_birth(register, mother_id, born)
        row["pregnancy_id"] = pregnancy["id"] if pregnancy else None
    elif row.get("pregnancy_id"):
        pregnancy = form.existing(register, "pregnancy", row["pregnancy_id"])
    form.check_alive(problems, "mother_id", mother)
    problems.extend(
        validation.check_birth(row, clock, mother=mother, father=father, pregnancy=pregnancy)
    )
    return row, mother


def _pregnancy_of_birth(register: Register, mother_id: str, born: str) -> dict[str, Any] | None:
    """The pregnancy this birth ends: the open one, or one already ended by a live birth
    that day (the twin's)."""
    rows = register.query(
        "SELECT * FROM pregnancy WHERE woman_id = ? AND deleted = 0 AND registered_on <= ? "
        "AND (outcome IS NULL OR (outcome = 'live_birth' AND outcome_on = ?)) "
        "ORDER BY registered_on DESC LIMIT 1",
        (mother_id, born, born),
    )
    return rows[0] if rows else None


def preview_birth(
    register: Register, mother_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> BirthVerdict | None:
    """What record_birth would compute, without writing: None until the date is typed."""
    problems = form.Problems()
    try:
        row, _ = _birth_row(register, mother_id, fields, problems, form.clock(clock))
    except form.FormProblems:
        return None
    if "birth_date" in problems or not dates.typed(row.get("birth_date")):
        return None
    # "~" sorts after every UUID: the new birth comes after same-day births already saved,
    # as it will once saved (UUIDv7 ids grow with time).
    return judge_birth(register, {**row, "id": "~new"})


def record_birth(
    register: Register, mother_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> NewBirth:
    """A birth: the child joins the mother's household and the birth row is written, in
    one transaction; the pregnancy it ends gets its outcome.  Returns the birth order
    for the couple and the policy verdict with the rule that decided it.

    fields: the child's name, sex, birth_date, id_number (optional), weight_g, place,
    alive, child_relation, document_kind, document_no, note; father_id and
    pregnancy_id are found from the marriage and the open pregnancy when not given.
    """
    clock = form.clock(clock)
    problems = form.Problems()
    row, mother = _birth_row(register, mother_id, fields, problems, clock)
    child: dict[str, Any] | None = None
    if row.get("alive") != 0:
        relation = _CHILD_OF.get(int(mother["relationship"]), {}).get(row.get("sex") or 0, 8)
        # The child's hukou and home are the mother's on the day (core.population): the
        # baby of a woman floating out is registered here and lives with her elsewhere;
        # the baby of a woman floating in is registered where she is.
        state = population.HERE
        if isinstance(row.get("birth_date"), str):
            state = population.state_on(
                store_population.history(register, mother_id),
                row["birth_date"],
                mother["residence_status"],
            )
        status = population.RESIDENCE_OF_STATE.get(state, "here")
        child = {
            "residence_status": status,
            "residence_place": None if status == "here" else mother["residence_place"],
            "residence_since": row.get("birth_date") if status != "here" else None,
            "name": row.get("name"),
            "sex": row.get("sex"),
            "birth_date": row.get("birth_date"),
            "id_number": row.get("id_number"),
            "relationship": relation,
            "registration_type": mother["registration_type"],
            "ethnicity": row.get("ethnicity") or mother["ethnicity"],
            "household_id": mother["household_id"],
        }
        problems.required(child, "name")
        problems.extend(
            validation.check_person(child, clock, id_holder=id_holder(register)),
            only=["name", "id_number", "ethnicity"],
        )
    in_place = _method_in_place(register, mother_id, row)
    choice = str(row.get("method_in_place") or "")
    if in_place is not None and choice not in METHOD_IN_PLACE_CHOICES:
        problems.add("method_in_place", _birth_during_method(in_place))
    problems.raise_any()
    with register.transaction():
        if in_place is not None:
            _settle_method_in_place(register, in_place, row, choice)
        child_id = None
        if child is not None:
            child_id = records.insert(
                register, "person", form.pick(child, (*PERSON_COLUMNS, "household_id"))
            )
        row["child_id"] = child_id
        row["id"] = new_id()
        birth_id = records.insert(
            register, "birth", {**form.pick(row, BIRTH_COLUMNS), "id": row["id"]}
        )
        pregnancy = (
            records.get(register, "pregnancy", row["pregnancy_id"])
            if row.get("pregnancy_id")
            else None
        )
        if pregnancy and not pregnancy["outcome"]:
            records.update(
                register,
                "pregnancy",
                pregnancy["id"],
                {"outcome": "live_birth", "outcome_on": row["birth_date"]},
            )
        judged = judge_birth(register, row)
    return NewBirth(birth_id, child_id, judged)


# A birth while an IUD or implant is recorded as in place, with no pregnancy registered:
# the register contradicts itself, so the officer is asked what happened, and her answer
# is kept in the record of processing.
METHODS_IN_PLACE = ("iud", "implant")
METHOD_IN_PLACE_CHOICES = (
    "end",  # the method ended (removed, or it failed): end the episode on the birth date
    "pregnancy",  # record the pregnancy this birth ends, registered on the birth date
    "as_is",  # save as it is: the officer has checked and confirms
)
BIRTH_DURING_METHOD = Text(
    "登记的{method}（{started} 起）在出生日期仍在使用，也没有登记怀孕。请选择：结束该节育措施、"
    "补登这次怀孕，或核实后照样保存。",
    "The {method} recorded from {started} is still in place on the birth date, and no "
    "pregnancy was registered. Choose: end the method, record the pregnancy, or save as it "
    "is after checking.",
)


def _method_in_place(
    register: Register, mother_id: str, row: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The IUD or implant episode in place on the birth date, if no pregnancy is known."""
    born = row.get("birth_date")
    if row.get("pregnancy_id") or not dates.typed(born):
        return None
    rows = register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0 AND started_on <= ? "
        "AND (ended_on IS NULL OR ended_on > ?) AND method IN (?, ?) "
        "ORDER BY started_on DESC LIMIT 1",
        (mother_id, born, born, *METHODS_IN_PLACE),
    )
    return rows[0] if rows else None


def _birth_during_method(episode: Mapping[str, Any]) -> Text:
    method = codes.text("contraceptive_method", episode["method"])
    return Text(
        BIRTH_DURING_METHOD.zh.format(method=method.zh, started=episode["started_on"]),
        BIRTH_DURING_METHOD.en.format(method=method.en, started=episode["started_on"]),
    )


def _settle_method_in_place(
    register: Register, episode: Mapping[str, Any], row: dict[str, Any], choice: str
) -> None:
    """Do what the officer chose (inside the birth's transaction) and log her answer."""
    born = str(row["birth_date"])
    if choice == "end":
        records.update(
            register, "contraception", episode["id"], {"ended_on": born, "end_reason": "pregnant"}
        )
    elif choice == "pregnancy":
        marriage = current_marriage(register, str(episode["woman_id"]), born)
        row["pregnancy_id"] = records.insert(
            register,
            "pregnancy",
            {
                "woman_id": episode["woman_id"],
                "marriage_id": marriage["id"] if marriage else None,
                "registered_on": born,
            },
        )
    access_log.record(
        register,
        "warning_confirmed",
        {
            "warning": "birth_during_method",
            "woman_id": episode["woman_id"],
            "contraception_id": episode["id"],
            "method": episode["method"],
            "birth_date": born,
            "choice": choice,
        },
    )
