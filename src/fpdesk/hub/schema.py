"""The hub's tables, as named migration steps (as the register's, store.schema).

A step is never edited once released: a change is a new step appended here.  The
hub records the steps it has had in `hub_schema_version`; a hub with a step this
program does not know was made by a newer fpdesk and is refused before anything is
written.  All pending steps run in one transaction (PostgreSQL's DDL is
transactional): a hub is upgraded completely or not at all.

The replicated record tables (households, persons, events) are not typed again
here: their columns are read from the register's own definitions (store.schema) and
each gets `township_code` and `county_code`, the area it came from.  When a register
step adds a column, a hub step calling `follow_register` adds it here too
(tests/hub/test_schema.py fails until one does).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg
import sqlcipher3
from psycopg import sql
from sqlite_utils import Database

from fpdesk.hub import errors, staff_roles
from fpdesk.store import schema as register_schema
from fpdesk.store.capture import REPLICATED

Step = Callable[[psycopg.Connection[Any]], None]
STEPS: list[tuple[str, Step]] = []
VERSION_TABLE = "hub_schema_version"
# One hub is upgraded by one fpdesk at a time (two staff running init at once wait).
_LOCK_KEY = 0x66706465736B  # "fpdesk"

# SQLite's declared types in the register -> PostgreSQL's.
_TYPES = {"TEXT": "text", "INTEGER": "bigint", "REAL": "double precision", "BLOB": "bytea"}


def step(name: str) -> Callable[[Step], Step]:
    def register(fn: Step) -> Step:
        STEPS.append((name, fn))
        return fn

    return register


def schema_version() -> int:
    """How many steps this program knows."""
    return len(STEPS)


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # PostgreSQL's
    # What the register writes when an insert leaves the column out (its DEFAULT,
    # evaluated); the hub's tables have no defaults: a loader of partial rows fills
    # these in (hub.load.load_township).
    default: Any = None


@functools.cache
def register_columns() -> dict[str, tuple[Column, ...]]:
    """The replicated tables' columns as the register defines them: the register's
    migration steps run on an empty in-memory database (the same SQLite build as a
    register, for the features the steps use) and are read back."""
    db = Database(sqlcipher3.connect(":memory:"))
    register_schema.MIGRATIONS.apply(db)
    tables: dict[str, tuple[Column, ...]] = {}
    for table in REPLICATED:
        rows = db.conn.execute(f"PRAGMA table_info({table})").fetchall()
        tables[table] = tuple(
            Column(
                row[1],
                _TYPES.get(str(row[2]).upper(), "text"),
                None if row[4] is None else db.conn.execute(f"SELECT {row[4]}").fetchone()[0],
            )
            for row in rows
        )
    db.conn.close()
    return tables


def follow_register(conn: psycopg.Connection[Any]) -> None:
    """Make each replicated table, or add the columns the register has and it lacks."""
    for table, columns in register_columns().items():
        have = hub_columns(conn, table)
        if not have:
            conn.execute(_create_replicated(table, columns))
            conn.execute(
                sql.SQL("CREATE INDEX {} ON {} (township_code)").format(
                    sql.Identifier(f"{table}_township"), sql.Identifier(table)
                )
            )
            continue
        for column in columns:
            if column.name not in have:
                conn.execute(
                    sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                        sql.Identifier(table),
                        sql.Identifier(column.name),
                        sql.SQL(column.sql_type),
                    )
                )


def _create_replicated(table: str, columns: tuple[Column, ...]) -> sql.Composed:
    # Only the id is required: a row from a township on an older fpdesk lacks the
    # columns added since, and the register has already checked what it accepted.
    defined: list[sql.Composable] = [
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(c.sql_type))
        + (sql.SQL(" PRIMARY KEY") if c.name == "id" else sql.SQL(""))
        for c in columns
    ]
    defined += [
        sql.SQL("township_code char(12) NOT NULL REFERENCES hub_township (code)"),
        sql.SQL("county_code char(6) NOT NULL"),
    ]
    return sql.SQL("CREATE TABLE {} ({})").format(
        sql.Identifier(table), sql.SQL(", ").join(defined)
    )


def hub_columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [str(row[0]) for row in rows]


@step("0001_townships")
def _townships(conn: psycopg.Connection[Any]) -> None:
    # A township register, as the township records a village laptop (sync_device):
    # its keys once enrolled, the fingerprint read out by phone, revocation.
    conn.execute(
        """
        CREATE TABLE hub_township (
            code char(12) PRIMARY KEY CHECK (code ~ '^[0-9]{9}000$'),
            county_code char(6) NOT NULL,
            name text NOT NULL DEFAULT '',
            state text NOT NULL DEFAULT 'requested'
                CHECK (state IN ('requested', 'enrolled', 'revoked')),
            device_id text UNIQUE,
            sign_public text,
            age_recipient text,
            fingerprint text,
            requested_at timestamptz NOT NULL DEFAULT now(),
            enrolled_at timestamptz,
            revoked_at timestamptz,
            -- highest change sequence of the township applied here (contiguous)
            received_upto bigint NOT NULL DEFAULT 0
        )
        """
    )
    # Every bundle file seen from a township, whatever became of it (sync_ledger).
    conn.execute(
        """
        CREATE TABLE hub_ledger (
            id bigserial PRIMARY KEY,
            seen_at timestamptz NOT NULL DEFAULT now(),
            file_name text NOT NULL,
            file_hash text NOT NULL,
            township_code char(12) REFERENCES hub_township (code),
            device_id text,
            after_seq bigint,
            upto_seq bigint,
            outcome text NOT NULL
                CHECK (outcome IN ('accepted', 'duplicate', 'gap', 'fork', 'refused')),
            reason_zh text,
            reason_en text,
            applied integer NOT NULL DEFAULT 0
        )
        """
    )
    conn.execute("CREATE INDEX hub_ledger_township ON hub_ledger (township_code, seen_at)")


@step("0002_register_tables")
def _register_tables(conn: psycopg.Connection[Any]) -> None:
    follow_register(conn)


# The exchange with the townships (hub.enrollment, hub.exchange).  The hub's own keys
# (its signing key and the age identity that opens the townships' bundles) live in a
# schema of their own: PUBLIC gets no use of it, and a staff role given SELECT on the
# hub's tables (even ON ALL TABLES IN SCHEMA public) still cannot read them; only the
# hub's owner role, the one `hub init` ran as, can.
PRIVATE_SCHEMA = "hub_private"


@step("0003_exchange")
def _exchange(conn: psycopg.Connection[Any]) -> None:
    conn.execute(f"CREATE SCHEMA {PRIVATE_SCHEMA}")
    conn.execute(f"REVOKE ALL ON SCHEMA {PRIVATE_SCHEMA} FROM PUBLIC")
    conn.execute(
        f"CREATE TABLE {PRIVATE_SCHEMA}.hub_key (name text PRIMARY KEY, value text NOT NULL)"
    )
    conn.execute(f"REVOKE ALL ON {PRIVATE_SCHEMA}.hub_key FROM PUBLIC")
    # Content hash of every change received, by device and sequence (sync_received):
    # a change sent again must be the same, else the township register was restored.
    conn.execute(
        """
        CREATE TABLE hub_received (
            device_id text NOT NULL,
            seq bigint NOT NULL,
            change_hash text NOT NULL,
            PRIMARY KEY (device_id, seq)
        )
        """
    )
    # The hash of the last acknowledgement sent to the township (each names the one
    # before it, as every bundle does).
    conn.execute("ALTER TABLE hub_township ADD COLUMN last_ack_hash text")


@step("0004_area_units")
def _area_units(conn: psycopg.Connection[Any]) -> None:
    # The area units the townships' registers know (their villages' flags: urban,
    # quality pilot...), which the indicators read as the register's area_unit; the
    # township whose register last gave a unit is noted.  (Issue 17 item 3; the step
    # after h17b's 0003_exchange.)
    conn.execute(
        """
        CREATE TABLE hub_area_unit (
            code char(12) PRIMARY KEY,
            parent_code text,
            level text NOT NULL,
            name text NOT NULL,
            valid_from text NOT NULL,
            valid_to text,
            urban bigint NOT NULL DEFAULT 0,
            quality_pilot bigint NOT NULL DEFAULT 0,
            self_governance bigint NOT NULL DEFAULT 0,
            demonstration bigint NOT NULL DEFAULT 0,
            township_code char(12) NOT NULL REFERENCES hub_township (code)
        )
        """
    )


@step("0005_staff_roles")
def _staff_roles(conn: psycopg.Connection[Any]) -> None:
    # Staff log in as PostgreSQL roles that may only read (issue 17 item 2): a district
    # staff role reads every township's rows, a township staff role only its own
    # (row-level security; hub.staff).  Which township a staff role is of is a row here,
    # read by the policies through current_user.
    conn.execute(
        """
        CREATE TABLE hub_staff (
            role_name text PRIMARY KEY,
            township_code char(12) REFERENCES hub_township (code),  -- NULL: the district
            added_at timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    if staff_roles.may_make_roles(conn):
        staff_roles.ensure_roles(conn, VERSION_TABLE)
    # Else (an owner without CREATEROLE on an administrator's server) the first
    # `hub staff add` makes them, or says it cannot.


@step("0008_birth_entered")
def _birth_entered(conn: psycopg.Connection[Any]) -> None:
    # What the late-birth rule (late_births = "when_found") reads besides the records:
    # when each birth was first entered on its township's register (the time of its
    # first insert in the township's change log, which every change carries up), and
    # the reports the township recorded as produced (its report_run, sent beside the
    # changes as `report_runs`, docs/bundle-format.md).  Kept to the township for its
    # staff as the records are (staff_roles.BESIDE).
    conn.execute(
        """
        CREATE TABLE hub_birth_entered (
            birth_id text PRIMARY KEY,
            township_code char(12) NOT NULL REFERENCES hub_township (code),
            entered_at text NOT NULL
        )
        """
    )
    conn.execute(
        """
        CREATE TABLE hub_report_run (
            township_code char(12) NOT NULL REFERENCES hub_township (code),
            id text NOT NULL,
            period text NOT NULL,
            areas text NOT NULL,
            produced_at text NOT NULL,
            PRIMARY KEY (township_code, id)
        )
        """
    )
    if staff_roles.may_make_roles(conn):
        staff_roles.ensure_roles(conn, VERSION_TABLE)


# ---------------------------------------------------------------- applying steps


def applied_steps(conn: psycopg.Connection[Any]) -> list[tuple[int, str]] | None:
    """(position, name) of the steps this hub has had; None when it is not a hub."""
    exists = conn.execute("SELECT to_regclass(%s)", (VERSION_TABLE,)).fetchone()
    if exists is None or exists[0] is None:
        return None
    rows = conn.execute(f"SELECT position, name FROM {VERSION_TABLE} ORDER BY position").fetchall()
    return [(int(position), str(name)) for position, name in rows]


def check_not_newer(applied: list[tuple[int, str]]) -> None:
    """HubTooNew when the hub has a step this program does not know."""
    known = [name for name, _ in STEPS]
    foreign = [
        position
        for position, name in applied
        if position > len(known) or known[position - 1] != name
    ]
    if foreign:
        found = max(position for position, _ in applied)
        raise errors.HubTooNew(errors.HubTooNew.text.format(found=found, known=len(known)))


def migrate(conn: psycopg.Connection[Any]) -> list[str]:
    """Bring the hub up to this program's steps, all in one transaction; returns the
    names of the steps applied (none when it was up to date)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        applied = applied_steps(conn)
        if applied is None:
            conn.execute(
                f"CREATE TABLE {VERSION_TABLE} (position integer PRIMARY KEY,"
                " name text NOT NULL UNIQUE, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            applied = []
        check_not_newer(applied)
        done = {name for _, name in applied}
        ran: list[str] = []
        for position, (name, fn) in enumerate(STEPS, start=1):
            if name in done:
                continue
            fn(conn)
            conn.execute(
                f"INSERT INTO {VERSION_TABLE} (position, name) VALUES (%s, %s)", (position, name)
            )
            ran.append(name)
    return ran


def check(conn: psycopg.Connection[Any]) -> None:
    """Refuse a database that is no hub, a newer hub, or one that needs `hub init`."""
    applied = applied_steps(conn)
    if applied is None:
        raise errors.NotAHub()
    check_not_newer(applied)
    if len(applied) < len(STEPS):
        raise errors.HubOutOfDate()


@step("0007_held_files")
def _held_files(conn: psycopg.Connection[Any]) -> None:
    # A township's file held as a fork (its register restored from a backup, or its
    # history otherwise rewritten), kept whole for the district office to release or
    # discard (hub.held), as the township keeps its villages' in sync_held.  Its bytes
    # stay encrypted to the hub, in the private schema: staff cannot read them.
    conn.execute(
        f"""
        CREATE TABLE {PRIVATE_SCHEMA}.hub_held (
            file_hash text PRIMARY KEY,
            township_code char(12) NOT NULL REFERENCES hub_township (code),
            device_id text NOT NULL,
            held_at timestamptz NOT NULL DEFAULT now(),
            data bytea NOT NULL
        )
        """
    )
    conn.execute(f"REVOKE ALL ON {PRIVATE_SCHEMA}.hub_held FROM PUBLIC")
    # A release is a ledger row of its own (kind 'release'): who decided, when (seen_at)
    # and why (the reason), beside the files' rows.
    conn.execute(
        "ALTER TABLE hub_ledger ADD COLUMN kind text NOT NULL DEFAULT 'changes'"
        " CHECK (kind IN ('changes', 'release'))"
    )
    conn.execute("ALTER TABLE hub_ledger ADD COLUMN actor text")
    # The township register's generation (store.backup: new each time it is restored
    # from a backup) whose changes the hub holds; its bundles carry theirs.
    conn.execute("ALTER TABLE hub_township ADD COLUMN generation text NOT NULL DEFAULT ''")


# What the indicators and workbooks filter on at the scale of a city (3,000,000 persons,
# benchmarks/bench_hub_city.py, profiled with EXPLAIN ANALYZE): the district (county
# code) a city's hub is asked for (HubSource(district=...), `--district`), and the date
# of each kind of event the change report counts in a period (reports.indicators.sqlite's
# EVENTS), the births of a period and of given parents, the visits of given kinds in a
# period.  (Issue 17 item 5.)
SCALE_INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "household": (("county_code",),),
    "person": (("county_code",), ("death_date",)),
    "marriage": (("county_code",), ("married_on",), ("ended_on",)),
    "pregnancy": (("county_code",), ("registered_on",), ("outcome_on",)),
    "birth": (("county_code",), ("birth_date",), ("mother_id",), ("father_id",)),
    "contraception": (("county_code",), ("started_on",), ("ended_on",)),
    "supply": (("county_code",),),
    "visit": (("county_code",), ("visit_type", "visited_on")),
    "move": (("county_code",), ("moved_on",)),
    "certificate": (("county_code",), ("issued_on",)),
}


@step("0006_scale_indexes")
def _scale_indexes(conn: psycopg.Connection[Any]) -> None:
    for table, indexes in SCALE_INDEXES.items():
        for columns in indexes:
            conn.execute(
                sql.SQL("CREATE INDEX {} ON {} ({})").format(
                    sql.Identifier("_".join((table, *columns))),
                    sql.Identifier(table),
                    sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                )
            )
