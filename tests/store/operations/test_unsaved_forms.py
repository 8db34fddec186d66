"""Drafts of forms not saved yet."""

from __future__ import annotations

from fpdesk.store import operations as ops
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE


def test_drafts_survive_closing_the_register(register: Register) -> None:
    path = register.path
    first = ops.save_draft(register, None, "person", {"household_id": "h1"}, {"name": "张"})
    assert (
        ops.save_draft(register, first, "person", {"household_id": "h1"}, {"name": "张三"}) == first
    )
    register.close()
    reopened = open_register(path, PASSPHRASE)
    try:
        (draft,) = ops.drafts(reopened)
        assert (draft.kind, draft.context, draft.values) == (
            "person",
            {"household_id": "h1"},
            {"name": "张三"},
        )
        ops.drop_draft(reopened, draft.id)
        assert ops.drafts(reopened) == []
        # Drafts are local: nothing about them goes into the outbox.
        assert reopened.query("SELECT count(*) AS n FROM change_log")[0]["n"] == 0
    finally:
        reopened.close()
        register.conn = open_register(path, PASSPHRASE).conn  # the fixture closes it again
