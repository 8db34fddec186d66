"""The staff's group roles, their read-only grants and the row-level policies
(hub.staff says who the staff are; this is what the hub's schema step makes, so it
imports nothing of the schema).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from fpdesk.store.capture import REPLICATED

# The tables staff read, each with the column naming its township.  The township's own
# row is found by its code; area units by the policy below.
BY_TOWNSHIP = {**{table: "township_code" for table in REPLICATED}, "hub_ledger": "township_code"}
# What a township's records bring beside them (hub step 0008_birth_entered), kept to the
# township as the records are.  A hub made before that step lacks them until it runs.
BESIDE = {"hub_birth_entered": "township_code", "hub_report_run": "township_code"}
READ_ONLY = (*BY_TOWNSHIP, *BESIDE, "hub_township", "hub_area_unit", "hub_staff")
# PostgreSQL cuts names at 63 bytes: the database's part is cut first, so the two group
# roles never become one.
_DB_PART = 40
# The staff member's township, for the policies (one value per statement: an InitPlan).
_MINE = "(SELECT s.township_code FROM hub_staff s WHERE s.role_name = current_user)"


def group_roles(conn: psycopg.Connection[Any]) -> tuple[str, str]:
    """(district, township) group roles of this hub, named after its database."""
    row = conn.execute("SELECT current_database()").fetchone()
    database = str(row[0] if row else "")[:_DB_PART]
    return f"{database}_staff_district", f"{database}_staff_township"


def have_groups(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", (list(group_roles(conn)),)
    ).fetchone()
    return bool(row and row[0] == 2)


def may_make_roles(conn: psycopg.Connection[Any]) -> bool:
    row = conn.execute(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user"
    ).fetchone()
    return bool(row and row[0])


def ensure_roles(conn: psycopg.Connection[Any], version_table: str) -> None:
    """The two group roles, their read-only grants (the tables above and the hub's
    version table, named by hub.schema, which builds on this module) and the row-level
    policies; safe to run again (a later hub step adding a table runs it to grant that
    table too)."""
    district, township = group_roles(conn)
    for role in (district, township):
        found = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if found is None:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
    groups = sql.SQL(", ").join([sql.Identifier(district), sql.Identifier(township)])
    # A table a later step makes is granted when that step runs this again.
    made = [t for t in (*READ_ONLY, version_table) if t not in BESIDE or _exists(conn, t)]
    for table in made:
        conn.execute(sql.SQL("GRANT SELECT ON {} TO {}").format(sql.Identifier(table), groups))
    # The owner is not subject to the policies (it imports and loads); every other role
    # sees only what a policy gives it.
    kept = {**BY_TOWNSHIP, **{t: c for t, c in BESIDE.items() if t in made}}
    own = {table: f"{column} = {_MINE}" for table, column in kept.items()}
    own["hub_township"] = f"code = {_MINE}"
    own["hub_area_unit"] = (
        f"township_code = {_MINE} OR left(code, 9) = left({_MINE}, 9)"
        f" OR code IN (left({_MINE}, 6) || '000000', left({_MINE}, 4) || '00000000',"
        f" left({_MINE}, 2) || '0000000000')"
    )
    for table, mine in own.items():
        _policy(conn, table, "staff_district", district, "true")
        _policy(conn, table, "staff_township", township, mine)
    # Each staff member reads its own row (the policies above read it as that member).
    _policy(conn, "hub_staff", "staff_self", "public", "role_name = current_user")


def _exists(conn: psycopg.Connection[Any], table: str) -> bool:
    found = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    return found is not None and found[0] is not None


def _policy(conn: psycopg.Connection[Any], table: str, name: str, role: str, using: str) -> None:
    conn.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(sql.Identifier(table)))
    conn.execute(
        sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(
            sql.Identifier(name), sql.Identifier(table)
        )
    )
    to = sql.SQL("PUBLIC") if role == "public" else sql.Identifier(role)
    conn.execute(
        sql.SQL("CREATE POLICY {} ON {} FOR SELECT TO {} USING ({})").format(
            sql.Identifier(name), sql.Identifier(table), to, sql.SQL(using)
        )
    )
