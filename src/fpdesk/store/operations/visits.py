"""A follow-up or service visit."""

from __future__ import annotations

from fpdesk.core import validation
from fpdesk.core.clock import Clock
from fpdesk.store import records, tables
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form


def record_visit(
    register: Register, person_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> str:
    """A follow-up or service visit.  follows_table/follows_id name the event it follows
    (an IUD insertion, a pregnancy, a birth), so the due list knows it is done."""
    person = form.existing(register, "person", person_id)
    row = {**form.clean(fields), "person_id": person_id}
    problems = form.Problems()
    follows = None
    table, follows_id = row.get("follows_table"), row.get("follows_id")
    if table and follows_id:
        follows = records.get(register, table, follows_id) if table in REPLICATED else None
        if follows is None:
            problems.add("follows_id", form.NOT_FOUND)
    problems.extend(validation.check_visit(row, form.clock(clock), person=person, follows=follows))
    problems.raise_any()
    with register.transaction():
        return records.insert(register, "visit", form.pick(row, tables.entered("visit")))
