"""Family events before a birth: marriage, divorce, a pregnancy and how it ended."""

from __future__ import annotations

from typing import Any

from fpdesk.core import dates, idnumber, validation
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.store import records, tables
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form
from fpdesk.store.operations.lookups import current_marriage, id_holder, newest_open

NO_SPOUSE = Text(
    "请选择配偶，或填写外地配偶的姓名。",
    "Choose the spouse, or type the name of a spouse from outside.",
)
STILL_MARRIED = Text(
    "此人已有一段未结束的婚姻。", "This person already has a marriage that has not ended."
)


# Its end is recorded by a divorce or a death.
MARRIAGE_COLUMNS = tables.entered("marriage", leaving_out=("ended_on", "end_reason"))


def record_marriage(register: Register, fields: form.Fields, *, clock: Clock | None = None) -> str:
    """A marriage: wife_id and/or husband_id, or outside_spouse_* for a spouse from elsewhere.

    Each spouse in the register becomes first-married (21) or remarried (22).  A spouse
    "from elsewhere" whose ID number is in the register (another household, another
    group) is linked as that person, so the couple's children count for both.
    """
    row = form.clean(fields)
    _link_registered_spouse(register, row)
    problems = form.Problems()
    spouses = {}
    for name in ("wife_id", "husband_id"):
        if row.get(name):
            spouses[name] = form.existing(register, "person", row[name])
            form.check_alive(problems, name, spouses[name])
            if current_marriage(register, row[name]):
                problems.add(name, STILL_MARRIED)
    problems.extend(
        validation.check_marriage(
            row, form.clock(clock), wife=spouses.get("wife_id"), husband=spouses.get("husband_id")
        )
    )
    if len(spouses) == 1 and not row.get("outside_spouse_name"):
        problems.add("husband_id" if "wife_id" in spouses else "wife_id", NO_SPOUSE)
    outside_number = row.get("outside_spouse_id_number")
    if outside_number:
        try:
            idnumber.parse(outside_number)
        except idnumber.IdNumberError as exc:
            problems.add("outside_spouse_id_number", validation.message(exc.code))
    problems.raise_any()
    with register.transaction():
        marriage_id = records.insert(register, "marriage", form.pick(row, MARRIAGE_COLUMNS))
        for person in spouses.values():
            before = register.query(
                "SELECT count(*) AS n FROM marriage WHERE deleted = 0 AND id != ? "
                "AND (wife_id = ? OR husband_id = ?)",
                (marriage_id, person["id"], person["id"]),
            )[0]["n"]
            status = 22 if before else 21
            if person["marital_status"] != status:
                records.update(register, "person", person["id"], {"marital_status": status})
    return marriage_id


def _link_registered_spouse(register: Register, row: dict[str, Any]) -> None:
    number = row.get("outside_spouse_id_number")
    for mine, theirs in (("wife_id", "husband_id"), ("husband_id", "wife_id")):
        if row.get(mine) and not row.get(theirs) and number:
            holder = id_holder(register)(str(number), None)
            if holder is not None:
                row[theirs] = holder.person_id
                for name in ("outside_spouse_name", "outside_spouse_id_number"):
                    row[name] = None
                row["outside_spouse_address"] = None


def record_divorce(
    register: Register, marriage_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> None:
    """The end of a marriage by divorce: both spouses become divorced (40)."""
    marriage = form.existing(register, "marriage", marriage_id)
    row = form.clean(fields)
    problems = form.Problems()
    problems.required(row, "ended_on")
    if marriage["ended_on"]:
        problems.add("ended_on", form.ALREADY_ENDED.format(date=marriage["ended_on"]))
    ended = {**marriage, "ended_on": row.get("ended_on"), "end_reason": "divorce"}
    problems.extend(validation.check_marriage(ended, form.clock(clock)), only=["ended_on"])
    problems.raise_any()
    with register.transaction():
        records.update(
            register,
            "marriage",
            marriage_id,
            {"ended_on": ended["ended_on"], "end_reason": "divorce"},
        )
        for person_id in (marriage["wife_id"], marriage["husband_id"]):
            if person_id:
                records.update(register, "person", person_id, {"marital_status": 40})


# --- pregnancy --------------------------------------------------------------------


def open_pregnancy(register: Register, woman_id: str) -> dict[str, Any] | None:
    return newest_open(register, "pregnancy", woman_id, closed_by="outcome", since="registered_on")


# Its outcome is recorded when it ends.
PREGNANCY_COLUMNS = tables.entered("pregnancy", leaving_out=("outcome", "outcome_on"))


def register_pregnancy(
    register: Register, woman_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> str:
    """A pregnancy registered for tracking; the expected date defaults to LMP + 280 days."""
    woman = form.existing(register, "person", woman_id)
    row = {**form.clean(fields), "woman_id": woman_id}
    problems = form.Problems()
    form.check_alive(problems, "woman_id", woman)
    problems.extend(validation.check_pregnancy(row, form.clock(clock), woman=woman))
    problems.raise_any()
    last_period = row.get("last_period_on")
    if not row.get("expected_on") and last_period:
        row["expected_on"] = dates.days_after(last_period, 280)
    marriage = current_marriage(register, woman_id, row["registered_on"])
    row["marriage_id"] = marriage["id"] if marriage else None
    with register.transaction():
        return records.insert(register, "pregnancy", form.pick(row, PREGNANCY_COLUMNS))


def record_pregnancy_outcome(
    register: Register, pregnancy_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> None:
    """How a pregnancy ended.  A live birth also needs the birth form (the child)."""
    pregnancy = form.existing(register, "pregnancy", pregnancy_id)
    row = form.clean(fields)
    problems = form.Problems()
    problems.required(row, "outcome", "outcome_on")
    if pregnancy["outcome"]:
        problems.add("outcome", form.ALREADY_ENDED.format(date=pregnancy["outcome_on"]))
    ended = {**pregnancy, "outcome": row.get("outcome"), "outcome_on": row.get("outcome_on")}
    problems.extend(
        validation.check_pregnancy(ended, form.clock(clock)), only=["outcome", "outcome_on"]
    )
    problems.raise_any()
    change = {"outcome": row["outcome"], "outcome_on": row["outcome_on"]}
    if row.get("note"):
        change["note"] = row["note"]
    with register.transaction():
        records.update(register, "pregnancy", pregnancy_id, change)
