"""A village's copy of a record that names a person living in another village.

The township holds every village, so a record there may name persons of two villages:
after the clerk merges a duplicate person into the one kept in another village, a birth
keeps its mother while the child (or the father) lives elsewhere, a marriage keeps one
spouse while the other lives elsewhere, and a household's head, or a husband whose
sterilisation counts under his wife, may live elsewhere.  The township keeps those links.

A village holds only its own persons, so its copy of such a record names nobody in that
column (NULL, which the schema allows: a birth's child or father may be unknown, a
household may lack a head), and a spouse from elsewhere is named in the marriage's
`outside_spouse_*` columns, exactly as an officer records a spouse from another place.
A record goes to the village of the person it belongs to (`rows.PERSON_COLUMNS`: a birth
goes with its mother), so those columns always name one of the village's persons.

The copy is made from the township's current rows, for the update bundles and for
comparing copies alike, so an update and a comparison never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpdesk.store.db import Register
from fpdesk.sync.batches import batches

# Columns that may name a person of another village.
ELSEWHERE: dict[str, tuple[str, ...]] = {
    "household": ("head_id",),
    "marriage": ("wife_id", "husband_id"),
    "birth": ("father_id", "child_id"),
    "contraception": ("user_id",),
}
_SPOUSE = ("name", "id_number")  # person column -> marriage.outside_spouse_<column>


def foreign_persons(
    register: Register, village: str, ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Those of `ids` that are persons of another village, with their name and number."""
    out: dict[str, dict[str, Any]] = {}
    ordered = sorted(set(ids))
    for chunk, marks in batches(ordered):
        for found in register.query(
            "SELECT p.id, p.name, p.id_number FROM person p"
            " JOIN household h ON h.id = p.household_id"
            f" WHERE p.id IN ({marks}) AND h.village_code <> ?",
            [*chunk, village],
        ):
            out[str(found["id"])] = found
    return out


def village_copy(
    register: Register, village: str, tables: dict[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """The village's copy of rows of its area (changed in place, and returned)."""
    ours = {row["id"] for row in tables.get("person", [])}
    named = {
        row[column]
        for table, columns in ELSEWHERE.items()
        for row in tables.get(table, [])
        for column in columns
        if row[column] is not None and row[column] not in ours
    }
    if not named:
        return tables
    foreign = foreign_persons(register, village, named)
    if not foreign:
        return tables
    for table, columns in ELSEWHERE.items():
        for row in tables.get(table, []):
            for column in columns:
                person = foreign.get(row[column]) if row[column] is not None else None
                if person is None:
                    continue
                row[column] = None
                if table == "marriage":
                    for name in _SPOUSE:
                        row[f"outside_spouse_{name}"] = person[name]
    return tables


def spouses_changed(
    register: Register, village: str, after: int, have: set[str]
) -> list[dict[str, Any]]:
    """Marriages of the village whose spouse of another village changed after `after`.

    The village's copy names that spouse from the person's row, so a correction of the
    spouse's name or number must reach the village although the marriage is unchanged.
    `have`: marriages already in the update.
    """
    households = "SELECT id FROM household WHERE village_code = :village"
    ours = f"SELECT id FROM person WHERE household_id IN ({households})"

    def changed(column: str) -> str:
        return (
            f"EXISTS (SELECT 1 FROM change_log c WHERE c.row_id = t.{column}"
            " AND c.seq > :after AND c.tbl = 'person')"
        )

    # Driven by the village's own persons (their marriages, by index): the log is
    # read only for the few spouses who live elsewhere.
    found = register.query(
        "SELECT t.* FROM marriage t WHERE"
        f" (t.wife_id IN ({ours}) AND t.husband_id NOT IN ({ours}) AND {changed('husband_id')})"
        f" OR (t.husband_id IN ({ours}) AND t.wife_id NOT IN ({ours}) AND {changed('wife_id')})",
        {"village": village, "after": after},
    )
    return [row for row in found if row["id"] not in have]
