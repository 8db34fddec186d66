"""Field-level three-way merge of one village change into the township's copy.

Pure: rows are dicts, no SQL.  For every field the village changed,
base = the village's old value, theirs = its new value, ours = the township's
current value.  ours == theirs: nothing to do; ours == base: apply; anything else is
a conflict for the clerk.  Deletions get two extra rules, because a deletion and an
edit of the same record are never both "clean":
- the village deletes a record the township has edited since: the deletion is held;
- the village edits a record the township has deleted: the edit is applied to the
  tombstone (nothing is lost) and the clerk is asked whether to bring it back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Row = Mapping[str, Any]

FIELD = "field"
DELETE_VS_EDIT = "delete_vs_edit"
EDIT_OF_DELETED = "edit_of_deleted"
INSERT_CLASH = "insert_clash"
DUPLICATE_ID_NUMBER = "duplicate_id_number"
POSSIBLE_DUPLICATE = "possible_duplicate"
# A person registered in this village who has a move out recorded in another: the two
# records are linked for the clerk (the move out and the move in of one person).
MOVED_IN = "moved_in"
# Notes that name another person's record; FLAGS change nothing in the row itself.
ABOUT_ANOTHER_PERSON = frozenset({DUPLICATE_ID_NUMBER, POSSIBLE_DUPLICATE, MOVED_IN})
FLAGS = frozenset({POSSIBLE_DUPLICATE, MOVED_IN})


@dataclass(frozen=True)
class Clash:
    kind: str
    field: str
    base: Any
    theirs: Any
    ours: Any


@dataclass
class Merged:
    """What to write (field -> value) and what to ask the clerk about."""

    writes: dict[str, Any] = field(default_factory=dict)
    clashes: list[Clash] = field(default_factory=list)
    unchanged: int = 0


def merge_update(base: Row, theirs: Row, ours: Row) -> Merged:
    """Merge a village update (base -> theirs) into the township's row `ours`."""
    result = Merged()
    changed = [f for f in theirs if f != "id" and base.get(f) != theirs[f]]
    if "deleted" in changed and theirs["deleted"]:
        township_edits = [
            f for f in theirs if f not in ("id", "deleted") and ours.get(f) != base.get(f)
        ]
        if township_edits and not ours.get("deleted"):
            result.clashes.append(
                Clash(DELETE_VS_EDIT, "deleted", base.get("deleted"), theirs["deleted"], 0)
            )
            changed.remove("deleted")
    for name in changed:
        b, t, o = base.get(name), theirs[name], ours.get(name)
        if o == t:
            result.unchanged += 1
        elif o == b:
            result.writes[name] = t
        else:
            result.clashes.append(Clash(FIELD, name, b, t, o))
    revived = not theirs.get("deleted") and not base.get("deleted") and ours.get("deleted")
    if revived and changed:
        result.clashes.append(Clash(EDIT_OF_DELETED, "deleted", 0, 0, ours.get("deleted")))
    return result


def merge_insert(theirs: Row, ours: Row | None) -> Merged:
    """A village insert.  A row already here (a snapshot sent both ways) must agree."""
    result = Merged()
    if ours is None:
        result.writes = dict(theirs)
        return result
    for name, value in theirs.items():
        if name == "id":
            continue
        if ours.get(name) == value:
            result.unchanged += 1
        else:
            result.clashes.append(Clash(INSERT_CLASH, name, None, value, ours.get(name)))
    return result
