"""The hub's schema: named steps, the register's columns, a newer hub refused."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from fpdesk.hub import errors, schema
from fpdesk.store.capture import REPLICATED


def test_migrate_makes_every_table_and_records_each_step(hub_conn: psycopg.Connection[Any]) -> None:
    ran = schema.migrate(hub_conn)
    assert ran == [name for name, _ in schema.STEPS]
    applied = schema.applied_steps(hub_conn)
    assert applied == [(i, name) for i, (name, _) in enumerate(schema.STEPS, start=1)]
    for table in ("hub_township", "hub_ledger", *REPLICATED):
        assert schema.hub_columns(hub_conn, table), table
    schema.check(hub_conn)  # an up-to-date hub passes


def test_migrating_again_changes_nothing(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    assert schema.migrate(hub_conn) == []
    assert len(schema.applied_steps(hub_conn) or []) == schema.schema_version()


def test_replicated_tables_have_the_registers_columns_and_the_area(
    hub_conn: psycopg.Connection[Any],
) -> None:
    """A register step that adds a column fails here until a hub step follows it."""
    schema.migrate(hub_conn)
    for table, columns in schema.register_columns().items():
        names = [c.name for c in columns]
        assert schema.hub_columns(hub_conn, table) == [*names, "township_code", "county_code"]
    person = {c.name: c.sql_type for c in schema.register_columns()["person"]}
    assert person["birth_date"] == "text" and person["sex"] == "bigint"


def test_a_row_needs_its_township(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    hub_conn.commit()
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        hub_conn.execute(
            "INSERT INTO household (id, township_code, county_code)"
            " VALUES ('x', '450102001000', '450102')"
        )


def test_follow_register_adds_a_column_the_hub_lacks(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    hub_conn.execute("ALTER TABLE person DROP COLUMN note")
    schema.follow_register(hub_conn)
    assert "note" in schema.hub_columns(hub_conn, "person")


def test_a_newer_hub_is_refused_and_nothing_is_written(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    future = schema.schema_version() + 1
    hub_conn.execute(
        "INSERT INTO hub_schema_version (position, name) VALUES (%s, '9999_from_the_future')",
        (future,),
    )
    hub_conn.commit()
    before = _snapshot(hub_conn)
    with pytest.raises(errors.HubTooNew) as refused:
        schema.migrate(hub_conn)
    assert str(future) in refused.value.text.en and "upgrade fpdesk" in refused.value.text.en
    with pytest.raises(errors.HubTooNew):
        schema.check(hub_conn)
    assert _snapshot(hub_conn) == before


def test_a_renamed_step_counts_as_newer(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    hub_conn.execute("UPDATE hub_schema_version SET name = '0002_other' WHERE position = 2")
    hub_conn.commit()
    with pytest.raises(errors.HubTooNew):
        schema.migrate(hub_conn)


def test_an_empty_database_is_not_a_hub(hub_conn: psycopg.Connection[Any]) -> None:
    with pytest.raises(errors.NotAHub):
        schema.check(hub_conn)


def test_an_older_hub_asks_for_init(hub_conn: psycopg.Connection[Any]) -> None:
    schema.migrate(hub_conn)
    hub_conn.execute("DELETE FROM hub_schema_version WHERE position = %s", (len(schema.STEPS),))
    hub_conn.commit()
    with pytest.raises(errors.HubOutOfDate):
        schema.check(hub_conn)


def _snapshot(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    rows = conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' ORDER BY 1, 2"
    ).fetchall()
    rows += conn.execute("SELECT position, name FROM hub_schema_version ORDER BY 1").fetchall()
    conn.rollback()
    return rows
