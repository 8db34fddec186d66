"""store.tables: the one column list per table, held to a newly made register's."""

from __future__ import annotations

import pytest

from fpdesk.store import tables
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register


def test_every_register_table_has_its_columns_as_the_schema_makes_them(
    register: Register,
) -> None:
    assert tuple(tables.COLUMNS) == REPLICATED
    for table, listed in tables.COLUMNS.items():
        made = tuple(row[1] for row in register.conn.execute(f"PRAGMA table_info({table})"))
        assert listed == made, table


def test_columns_leave_out_what_is_named_and_keep_the_order() -> None:
    assert tables.columns("move") == ("id", "deleted", "person_id", "kind", "moved_on", "place",
                                      "reason")
    assert tables.columns("move", leaving_out=("deleted", "reason")) == (
        "id", "person_id", "kind", "moved_on", "place")
    assert tables.entered("supply") == ("person_id", "handed_on", "item", "quantity", "handed_by")
    assert tables.entered("pregnancy", leaving_out=("outcome", "outcome_on")) == (
        "woman_id", "marriage_id", "registered_on", "last_period_on", "expected_on", "note")


def test_a_column_the_table_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="witness"):
        tables.columns("marriage", leaving_out=("witness",))
    with pytest.raises(KeyError):
        tables.columns("spaceship")
