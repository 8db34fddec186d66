"""Copy a township register's records into the hub, as that township's (issue 17).

Used by the tests that compare the hub's indicators with the register's, and by a
demo city built from demo registers.  The exchange (bundles, hub import) is how a
township's records reach a real hub; this is the whole register at once.

A load replaces whatever the hub held for the township: its rows are deleted and the
register's copied in, one COPY per table, all in one transaction (all or nothing).
Deleted rows are copied too (the hub mirrors the register; reads leave them out).
Rows go in the register's own order (rowid), so the hub keeps the order they were made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.hub import errors, schema
from fpdesk.store import areas
from fpdesk.store.db import Register

_AREA_COLUMNS = areas.AREA_COLUMNS


class NotATownshipRegister(errors.HubError):
    text = Text(
        "只能把乡镇登记册装入汇总库（这个登记册的地区是 {code}），没有写入任何内容。",
        "Only a township register can be loaded into the hub (this register's area is "
        "{code}); nothing was written.",
    )


@dataclass(frozen=True)
class Loaded:
    township: str
    rows: dict[str, int]  # table -> rows copied


def load_register(conn: psycopg.Connection[Any], register: Register) -> Loaded:
    """Copy the register's record tables and area units into the hub as its township's."""
    township = register.area_code
    if area.level_of(township) != "township":
        raise NotATownshipRegister(NotATownshipRegister.text.format(code=township))
    schema.check(conn)
    listed = ", ".join(_AREA_COLUMNS)
    units = register.conn.execute(f"SELECT {listed} FROM area_unit ORDER BY code").fetchall()
    tables: dict[str, Records] = {}
    for table, columns in schema.register_columns().items():
        names = [c.name for c in columns]
        quoted = ", ".join(f'"{n}"' for n in names)
        rows = register.conn.execute(f"SELECT {quoted} FROM {table} ORDER BY rowid")
        tables[table] = (names, rows)
    return load_township(conn, township, _name(register, township), units, tables)


# A table's rows for a load: the columns they give (of the register's), and the rows.
Records = tuple[Sequence[str], Iterable[Sequence[Any]]]


def load_township(
    conn: psycopg.Connection[Any],
    township: str,
    name: str,
    units: Sequence[Sequence[Any]],
    tables: Mapping[str, Records],
) -> Loaded:
    """Put one township's records into the hub, replacing what it held for it, in one
    transaction: its row of hub_township, its area units (all given: the register's
    whole list, or the ones a township sends up) and every table's rows, one COPY each.
    A column the rows leave out gets the register's default (the demo city's rows
    are the register demo's, which leaves SQLite to fill the tombstone and others)."""
    county = township[:6]
    rows: dict[str, int] = {}
    with conn.transaction():
        conn.execute(
            """INSERT INTO hub_township (code, county_code, name) VALUES (%s, %s, %s)
               ON CONFLICT (code) DO NOTHING""",
            (township, county, name),
        )
        write_area_units(conn, units, township)
        rows["area_unit"] = len(units)
        # Children first out, parents first in (no foreign keys between them at the
        # hub, but the order is the register's).
        for table, columns in schema.register_columns().items():
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE township_code = %s").format(sql.Identifier(table)),
                (township,),
            )
            if table not in tables:
                rows[table] = 0
                continue
            given, found = tables[table]
            left_out = [c for c in columns if c.name not in given]
            fill = (*(c.default for c in left_out), township, county)
            names = [*given, *(c.name for c in left_out), "township_code", "county_code"]
            rows[table] = _copy(conn, table, names, found, fill)
    return Loaded(township, rows)


def _copy(
    conn: psycopg.Connection[Any],
    table: str,
    names: Sequence[str],
    found: Iterable[Sequence[Any]],
    fill: tuple[Any, ...],
) -> int:
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(n) for n in names)
    )
    count = 0
    with conn.cursor().copy(copy) as out:
        for row in found:
            out.write_row((*row, *fill))
            count += 1
    return count


def write_area_units(
    conn: psycopg.Connection[Any], units: Sequence[Sequence[Any]], township: str
) -> None:
    """Area units (rows of the register's columns) as given by `township`; a unit
    another township gave is updated (the last one speaks for the units they share)."""
    listed = ", ".join(_AREA_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*_AREA_COLUMNS[1:], "township_code"))
    with conn.cursor() as cur:
        cur.executemany(
            f"""INSERT INTO hub_area_unit ({listed}, township_code)
                VALUES ({", ".join(["%s"] * (len(_AREA_COLUMNS) + 1))})
                ON CONFLICT (code) DO UPDATE SET {updates}""",
            [(*row, township) for row in units],
        )


def _name(register: Register, township: str) -> str:
    row = register.conn.execute("SELECT name FROM area_unit WHERE code = ?", (township,)).fetchone()
    return str(row[0]) if row else ""
