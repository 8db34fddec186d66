"""Contraception (a method started, a method stopped) and contraceptives handed out."""

from __future__ import annotations

from typing import Any

from fpdesk.core import codes, validation
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.store import records, tables
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form
from fpdesk.store.operations.lookups import current_marriage, newest_open

BEFORE_CURRENT_METHOD = Text(
    "早于正在使用的措施的开始日期（{date}）。",
    "Before the start of the method in use ({date}).",
)

CONTRACEPTION_END = "contraception_end"  # the code table of why a method stopped


def open_contraception(register: Register, woman_id: str) -> dict[str, Any] | None:
    return newest_open(
        register, "contraception", woman_id, closed_by="ended_on", since="started_on"
    )


# Its end is recorded when it stops.
CONTRACEPTION_COLUMNS = tables.entered("contraception", leaving_out=("ended_on", "end_reason"))


def start_contraception(
    register: Register, woman_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> str:
    """A method started (an IUD inserted, pills begun...).  Counted under the woman even
    when it is her husband's sterilisation (then user_id names him).  A method still
    open is closed on the same day: a woman uses one method at a time in the register.
    """
    woman = form.existing(register, "person", woman_id)
    row = {**form.clean(fields), "woman_id": woman_id}
    problems = form.Problems()
    form.check_alive(problems, "woman_id", woman)
    if row.get("method") == "male_sterilisation" and not row.get("user_id"):
        marriage = current_marriage(register, woman_id, row.get("started_on"))
        row["user_id"] = marriage["husband_id"] if marriage else None
    user = records.get(register, "person", row["user_id"]) if row.get("user_id") else None
    problems.extend(validation.check_contraception(row, form.clock(clock), woman=woman, user=user))
    previous = open_contraception(register, woman_id)
    if previous and row.get("started_on") and str(row["started_on"]) < previous["started_on"]:
        problems.add("started_on", BEFORE_CURRENT_METHOD.format(date=previous["started_on"]))
    problems.raise_any()
    with register.transaction():
        if previous:
            records.update(
                register,
                "contraception",
                previous["id"],
                {"ended_on": row["started_on"], "end_reason": "switched"},  # a code
            )
        return records.insert(register, "contraception", form.pick(row, CONTRACEPTION_COLUMNS))


def stop_contraception(
    register: Register, contraception_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> None:
    """A method stopped (IUD removed, pills stopped): the date and the woman's reason."""
    episode = form.existing(register, "contraception", contraception_id)
    row = form.clean(fields)
    problems = form.Problems()
    problems.required(row, "ended_on", "end_reason")
    reason = row.get("end_reason")
    if reason and not codes.exists(CONTRACEPTION_END, reason):
        # A code, shown in the reader's language: free text would print as typed in
        # whatever language the form was in.
        problems.add("end_reason", validation.message(
            "code.unknown", label=form.LABELS["end_reason"], value=reason))
    if episode["ended_on"]:
        problems.add("ended_on", form.ALREADY_ENDED.format(date=episode["ended_on"]))
    ended = {**episode, "ended_on": row.get("ended_on")}
    problems.extend(validation.check_contraception(ended, form.clock(clock)), only=["ended_on"])
    problems.raise_any()
    change = {"ended_on": row["ended_on"], "end_reason": row["end_reason"]}
    if row.get("note"):
        change["note"] = row["note"]
    with register.transaction():
        records.update(register, "contraception", contraception_id, change)


def record_supply(
    register: Register, person_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> str:
    """Contraceptives handed out (the 药具发放登记册 line): date, item, quantity."""
    person = form.existing(register, "person", person_id)
    row = {**form.clean(fields), "person_id": person_id}
    problems = form.Problems()
    problems.extend(validation.check_supply(row, form.clock(clock), person=person))
    problems.raise_any()
    with register.transaction():
        return records.insert(register, "supply", form.pick(row, tables.entered("supply")))
