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

from collections.abc import Sequence
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
    county = township[:6]
    rows: dict[str, int] = {}
    with conn.transaction():
        conn.execute(
            """INSERT INTO hub_township (code, county_code, name) VALUES (%s, %s, %s)
               ON CONFLICT (code) DO NOTHING""",
            (township, county, _name(register, township)),
        )
        rows["area_unit"] = _load_area_units(conn, register, township)
        # Children first out, parents first in (no foreign keys between them at the
        # hub, but the order is the register's).
        for table, columns in schema.register_columns().items():
            names = [c.name for c in columns]
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE township_code = %s").format(sql.Identifier(table)),
                (township,),
            )
            rows[table] = _copy(conn, register, table, names, (township, county))
    return Loaded(township, rows)


def _copy(
    conn: psycopg.Connection[Any],
    register: Register,
    table: str,
    names: list[str],
    extra: tuple[str, str],
) -> int:
    listed = ", ".join(f'"{n}"' for n in names)
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table),
        sql.SQL(", ").join(sql.Identifier(n) for n in [*names, "township_code", "county_code"]),
    )
    count = 0
    with conn.cursor().copy(copy) as out:
        for row in register.conn.execute(f"SELECT {listed} FROM {table} ORDER BY rowid"):
            out.write_row((*row, *extra))
            count += 1
    return count


def _load_area_units(conn: psycopg.Connection[Any], register: Register, township: str) -> int:
    """The register's area units, all of them (a township's bundle brings those inside
    and above it only: hub.exchange)."""
    listed = ", ".join(_AREA_COLUMNS)
    found = register.conn.execute(f"SELECT {listed} FROM area_unit ORDER BY code").fetchall()
    write_area_units(conn, found, township)
    return len(found)


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
