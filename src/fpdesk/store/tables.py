"""The columns of each register table: one list per table, in the schema's order.

The schema is written as SQL in named steps (store.schema), so a table's columns today
are spread over the step that made it and the steps that added to it.  Code that needs
a table's columns as a list (the operations picking what a form may write, the
synthetic district writing rows in bulk) takes it from here, never types it again;
tests/store/test_tables.py holds this list to a newly made register's, so a new step
that adds a column fails there until it is added here too.
"""

from __future__ import annotations

from collections.abc import Iterable

# Made by store.records on every write, never typed: the row's UUIDv7 and its tombstone.
COMMON = ("id", "deleted")

COLUMNS: dict[str, tuple[str, ...]] = {
    "household": (
        *COMMON,
        "code",
        "village_code",
        "group_no",
        "address",
        "head_id",
        "phone",
        "registration_type",
        "note",
        "closed_on",
        "close_reason",
    ),
    "person": (
        *COMMON,
        "household_id",
        "name",
        "sex",
        "birth_date",
        "id_number",
        "legacy_id15",
        "ethnicity",
        "marital_status",
        "relationship",
        "registration_type",
        "residence_status",
        "residence_place",
        "residence_since",
        "death_date",
        "death_cause",
        "phone",
        "note",
    ),
    "marriage": (
        *COMMON,
        "wife_id",
        "husband_id",
        "outside_spouse_name",
        "outside_spouse_id_number",
        "outside_spouse_address",
        "married_on",
        "ended_on",
        "end_reason",
    ),
    "pregnancy": (
        *COMMON,
        "woman_id",
        "marriage_id",
        "registered_on",
        "last_period_on",
        "expected_on",
        "outcome",
        "outcome_on",
        "note",
    ),
    "birth": (
        *COMMON,
        "pregnancy_id",
        "mother_id",
        "father_id",
        "marriage_id",
        "child_id",
        "birth_date",
        "sex",
        "weight_g",
        "place",
        "alive",
        "child_relation",
        "document_kind",
        "document_no",
        "note",
    ),
    "contraception": (
        *COMMON,
        "woman_id",
        "user_id",
        "method",
        "started_on",
        "ended_on",
        "end_reason",
        "provider",
        "note",
    ),
    "supply": (*COMMON, "person_id", "handed_on", "item", "quantity", "handed_by"),
    "visit": (
        *COMMON,
        "person_id",
        "visit_type",
        "visited_on",
        "visited_by",
        "result",
        "follows_table",
        "follows_id",
        "note",
    ),
    "move": (*COMMON, "person_id", "kind", "moved_on", "place", "reason"),
    "certificate": (*COMMON, "woman_id", "marriage_id", "kind", "number", "issued_on", "note"),
}


def columns(table: str, *, leaving_out: Iterable[str] = ()) -> tuple[str, ...]:
    """The table's columns in the schema's order, but those left out.  Naming a column
    the table does not have is a mistake in the caller, refused at once."""
    every = COLUMNS[table]
    left = set(leaving_out)
    unknown = left.difference(every)
    if unknown:
        raise ValueError(f"{table} has no column(s) {sorted(unknown)}")
    return tuple(c for c in every if c not in left)


def entered(table: str, *, leaving_out: Iterable[str] = ()) -> tuple[str, ...]:
    """The columns a task fills from what was typed: all but the id and the tombstone
    (store.records makes those) and the ones the task sets otherwise or not at all."""
    return columns(table, leaving_out=(*COMMON, *leaving_out))
