"""Bundles made before registration and residence were told apart (schema step
0008_residence_moves) still import.

fpdesk 0.1 wrote move kinds `in` and `out` for everything; the register now keeps the
six kinds of core.population.  A move row in an older bundle (or a change logged before
the laptop's own upgrade, sent after it) is read as 0.1 wrote it, exactly as the schema
step converts a register (core.population.upgrade_legacy): `out` was a 流出; an `in`
after a 流出 is the 返回, an `in` of a person recorded as floating in is her 流入, any
other `in` a 迁入.  The person's moves already on this register and the bundle's other
moves of her are read with it, in date order.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from fpdesk.core import population
from fpdesk.store.db import Register

LEGACY_KINDS = frozenset({"in", "out"})
# An update's old image of a move only needs to match what this register now holds.
_PLAIN = {"out": population.FLOAT_OUT, "in": population.TRANSFER_IN}
Row = dict[str, Any]


def upgrade_changes(register: Register, changes: Iterable[Any]) -> int:
    """A village bundle's changes (sync.township.Change): the move images in place."""
    moves: list[Row] = []
    persons: dict[str, Row] = {}
    olds: list[tuple[Row, Row | None]] = []
    for change in changes:
        if change.tbl == "person" and change.new is not None:
            persons[change.row_id] = change.new
        if change.tbl != "move":
            continue
        if change.new is not None:
            moves.append(change.new)
        if change.old is not None and change.old.get("kind") in LEGACY_KINDS:
            olds.append((change.old, change.new))
    before = {id(row): row.get("kind") for row in moves}
    done = upgrade_moves(register, moves, persons)
    for old, new in olds:
        if new is not None and before.get(id(new)) == old["kind"]:
            old["kind"] = new["kind"]
        else:
            old["kind"] = _PLAIN[old["kind"]]
    return done


def upgrade_moves(
    register: Register, moves: Iterable[Row], persons: Mapping[str, Row] | None = None
) -> int:
    """Rewrite, in place, the kind of every move row in `moves` still in 0.1's kinds.

    `persons` are person rows arriving with them (their residence status is the newest
    word on whether she floats in).  Returns how many rows were rewritten.
    """
    legacy = [row for row in moves if row.get("kind") in LEGACY_KINDS and row.get("person_id")]
    if not legacy:
        return 0
    by_person: dict[str, list[Row]] = defaultdict(list)
    for row in legacy:
        by_person[str(row["person_id"])].append(row)
    statuses = dict(
        register.conn.execute(
            "SELECT id, residence_status FROM person WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(by_person)),),
        )
    )
    for person_id, rows in by_person.items():
        status = (persons or {}).get(person_id, {}).get("residence_status") or statuses.get(
            person_id, "here"
        )
        # Her moves this register holds (less the rows arriving again) with the arriving
        # ones, in date order: each legacy kind is read in its place.
        arriving = {row.get("id") for row in rows}
        held: list[tuple[str, str, Row | None]] = [
            (day, kind, None)
            for day, kind, row_id in register.conn.execute(
                "SELECT moved_on, kind, id FROM move WHERE person_id = ? AND deleted = 0 "
                "ORDER BY moved_on, rowid",
                (person_id,),
            )
            if row_id not in arriving
        ]
        coming = [(str(row.get("moved_on") or ""), str(row["kind"]), row) for row in rows]
        merged = sorted([*held, *coming], key=lambda item: item[0])
        upgraded = population.upgrade_legacy([(day, kind) for day, kind, _ in merged], status)
        for (_, _, target), kind in zip(merged, upgraded, strict=True):
            if target is not None:
                target["kind"] = kind
    return len(legacy)
