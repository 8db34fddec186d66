"""Undo: the newest change of one record written back, itself a change."""

from __future__ import annotations

import json

from fpdesk.core.i18n import Text
from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form

NOTHING_TO_UNDO = Text("这条记录没有可以撤销的修改。", "This record has no change to undo.")


def undo_last_change(register: Register, row_id: str) -> int:
    """Revert the newest change of one record by writing its old values back.

    The undo is itself a change (captured, sent, shown in the history), never a
    deletion from the log: the township must see it, and so must the officer.
    An insert is undone by a tombstone.  Returns the change_log seq that was undone.
    """
    rows = register.query(
        "SELECT seq, tbl, op, old, new FROM change_log WHERE row_id = ? ORDER BY seq DESC LIMIT 1",
        (row_id,),
    )
    if not rows:
        raise form.FormProblems({"id": NOTHING_TO_UNDO})
    last = rows[0]
    table = str(last["tbl"])
    with register.transaction():
        if last["op"] == "insert":
            records.delete(register, table, row_id)
        else:
            old = json.loads(last["old"])
            new = json.loads(last["new"]) if last["new"] else {}
            back = {k: v for k, v in old.items() if k != "id" and new.get(k) != v}
            if not back:
                raise form.FormProblems({"id": NOTHING_TO_UNDO})
            records.update(register, table, row_id, back)
    return int(last["seq"])
