"""The hub's record tables as today and partitioned by county, side by side (issue 17).

For the province page (docs/province.md): what declarative partitioning by
`county_code` buys or costs at the hub, measured on the embedded PostgreSQL.

One database holds both shapes, filled with the same rows:
- `public`: the hub as `hub init` makes it (hub.schema), one table per record kind;
- `part`: the same ten record tables, each `PARTITION BY LIST (county_code)` with one
  partition per county, primary key (county_code, id), the township index and the
  staff's row-level policies (hub.staff_roles) as on the real tables.

The rows: a 30,000-person demo register (seed 11) loaded with hub.load (the real
shape of every table), then copied in SQL into COUNTIES counties of COPIES_PER_COUNTY
townships each (ids rewritten so every copy is new, codes moved to its county and
township); the default, 10 x 10 copies, is 3,000,000 persons, a county of 300,000.
Built once into benchmarks/out/partition_pgdata_10x10 (about 10 GB); later runs measure only.

Measures (wall seconds, with the load average: the machine is shared), by section
(`--only=` a comma-separated list; all but `many` by default):
- county: a county's annual indicator reads (2025), every query HubSource runs narrowed
  to one county, through the engine's collection; EXPLAIN ANALYZE showing the pruning,
  and a township staff policy with its county beside it (run-time pruning);
- county_index: the same on the flat tables with an index on county_code (made and
  dropped again);
- whole: the whole area's reads (every county), flat and partitioned, in both orders;
- bundle: a township bundle's upserts (10,000 changes), as hub.exchange writes them,
  with the other-township check by id alone and kept to the county;
- maintenance: VACUUM, ANALYZE and REINDEX, the whole table vs one county;
- detach: a county's partitions detached and attached again (with and without a
  matching CHECK); the county's rows deleted from the flat tables;
- storage: rows and bytes per 100,000 persons;
- many: the persons again in 200 partitions (a province's count of counties):
  planning and execution of a pruned read, a read of everything, lookups by id alone.

    PYTHONPATH=src nice .venv/bin/python benchmarks/bench_hub_partition.py \
        [COUNTIES [COPIES_PER_COUNTY]] [--only=county,whole,...]

The numbers are in docs/province.md.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from fpdesk import demo
from fpdesk.core import area
from fpdesk.core.periods import parse_period
from fpdesk.hub import load, schema, server, staff_roles
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import indicators as ind
from fpdesk.store.db import open_register

OUT = Path(__file__).parent / "out"
SEED = OUT / "partition_seed_30000.fpdesk"
PASSPHRASE = "bench-hub-partition"
DATABASE = "bench_partition"
PERIOD = "2025"
TABLES = list(schema.register_columns())
# Township numbers of the copies start here (the seed's townships are 100-102).
TOWNSHIP_BASE = 100


def load_avg() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


def timed(label: str, work: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    result = work()
    wall = time.monotonic() - started
    print(f"{label:<64} {wall:8.2f} s   (load {load_avg():.1f})", flush=True)
    return result, wall


def counties_of(seed_county: str, count: int) -> list[str]:
    """The seed's county first, then others of its prefecture."""
    others = [f"{seed_county[:4]}{n:02d}" for n in range(1, 100) if f"{n:02d}" != seed_county[4:]]
    return [seed_county, *others[: count - 1]]


# ---------------------------------------------------------------- building


def build(conn: psycopg.Connection[Any], counties: list[str], per_county: int) -> None:
    schema.migrate(conn)
    with open_register(SEED, PASSPHRASE) as register:
        timed("load the seed register (hub.load)", lambda: load.load_register(conn, register))
    conn.commit()
    seed_township = conn.execute("SELECT code FROM hub_township").fetchone()
    assert seed_township is not None
    copies = len(counties) * per_county
    timed(
        f"copy it {copies - 1} times into {len(counties)} counties (flat tables)",
        lambda: _copy_flat(conn, counties, per_county, str(seed_township[0])),
    )
    conn.commit()
    timed("make the partitioned tables (schema part)", lambda: _make_partitioned(conn, counties))
    conn.commit()
    for table in TABLES:
        timed(
            f"  fill part.{table} from public.{table}",
            lambda table=table: conn.execute(
                sql.SQL("INSERT INTO part.{0} SELECT * FROM public.{0}").format(
                    sql.Identifier(table)
                )
            ),
        )
    conn.commit()
    conn.autocommit = True
    timed("VACUUM ANALYZE after the fill (both)", lambda: conn.execute("VACUUM ANALYZE"))
    conn.autocommit = False


def _rewrite(column: str) -> sql.Composable:
    """An id of the copy k: its first four hex digits (the seed's are all 019a) replaced
    by k's, so ids stay 36 long, keep their order within a copy and are new per copy
    (the demo's ids differ only in their last digits: those cannot carry k)."""
    if column == "id" or column.endswith("_id"):
        return sql.SQL("overlay(s.{0} placing lpad(to_hex(k), 4, '0') from 1 for 4)").format(
            sql.Identifier(column)
        )
    return sql.SQL("s.{}").format(sql.Identifier(column))


# The county, township (9 digits) and village of copy k, from the arrays of counties.
_COUNTY = "(%(counties)s::text[])[k / %(per)s + 1]"
_TOWNSHIP9 = f"{_COUNTY} || lpad(({TOWNSHIP_BASE} + 3 * (k %% %(per)s))::text, 3, '0')"


def _moved_code(column: str) -> str:
    """A village's or township's code moved to copy k (three townships a copy, as the
    seed's villages lie in townships 100-102)."""
    return (
        f"{_COUNTY} || lpad(({TOWNSHIP_BASE} + 3 * (k %% %(per)s)"
        f" + substr(s.{column}, 7, 3)::int - {TOWNSHIP_BASE})::text, 3, '0')"
        f" || right(s.{column}, 3)"
    )


def _copy_flat(
    conn: psycopg.Connection[Any], counties: list[str], per_county: int, seed: str
) -> None:
    params = {"counties": counties, "per": per_county, "last": len(counties) * per_county - 1}
    conn.execute(
        f"""INSERT INTO hub_township (code, county_code, name, state)
            SELECT {_TOWNSHIP9} || '000', {_COUNTY}, 'copy ' || k, 'enrolled'
            FROM generate_series(1, %(last)s) k""",
        params,
    )
    # Area units: each copy's townships and villages, each county; the seed's above.
    conn.execute(
        f"""INSERT INTO hub_area_unit
            SELECT {_moved_code("code")},
                   CASE WHEN s.level = 'township' THEN {_COUNTY} || '000000'
                        ELSE {_moved_code("parent_code")} END,
                   s.level,
                   s.name || ' ' || k, s.valid_from, s.valid_to, s.urban, s.quality_pilot,
                   s.self_governance, s.demonstration, {_TOWNSHIP9} || '000'
            FROM generate_series(1, %(last)s) k, hub_area_unit s
            WHERE s.level IN ('township', 'village')""",
        params,
    )
    conn.execute(
        """INSERT INTO hub_area_unit
           SELECT c || '000000', s.parent_code, s.level, s.name || ' ' || c, s.valid_from,
                  s.valid_to, 0, 0, 0, 0, s.township_code
           FROM unnest(%(counties)s::text[]) c, hub_area_unit s
           WHERE s.level = 'county' AND c || '000000' <> s.code""",
        params,
    )
    for table, columns in schema.register_columns().items():
        names = [c.name for c in columns]
        chosen = [
            sql.SQL(_moved_code("village_code")) if n == "village_code" else _rewrite(n)
            for n in names
        ]
        statement = sql.SQL(
            "INSERT INTO {table} ({names}, township_code, county_code)"
            " SELECT {chosen}, {township} || '000', {county}"
            " FROM generate_series(1, %(last)s) k"
            " CROSS JOIN LATERAL (SELECT * FROM {table} WHERE township_code = %(seed)s) s"
        ).format(
            table=sql.Identifier(table),
            names=sql.SQL(", ").join(map(sql.Identifier, names)),
            chosen=sql.SQL(", ").join(chosen),
            township=sql.SQL(_TOWNSHIP9),
            county=sql.SQL(_COUNTY),
        )
        timed(f"  copy {table}", lambda s=statement: conn.execute(s, {**params, "seed": seed}))


def partition_name(table: str, county: str) -> str:
    return f"{table}_{county}"


def _make_partitioned(conn: psycopg.Connection[Any], counties: list[str]) -> None:
    """The record tables partitioned by county: LIST, one partition per county."""
    conn.execute("CREATE SCHEMA part")
    for table in TABLES:
        ident = sql.Identifier("part", table)
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (LIKE public.{} INCLUDING DEFAULTS INCLUDING CONSTRAINTS,"
                " PRIMARY KEY (county_code, id),"
                " FOREIGN KEY (township_code) REFERENCES public.hub_township (code))"
                " PARTITION BY LIST (county_code)"
            ).format(ident, sql.Identifier(table))
        )
        for county in counties:
            conn.execute(
                sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES IN ({})").format(
                    sql.Identifier("part", partition_name(table, county)),
                    ident,
                    sql.Literal(county),
                )
            )
        conn.execute(
            sql.SQL("CREATE INDEX {} ON {} (township_code)").format(
                sql.Identifier(f"{table}_township"), ident
            )
        )
    # The staff's grants and policies, as hub init sets them, on the partitioned tables.
    conn.execute("SET search_path = part, public")
    staff_roles.ensure_roles(conn, schema.VERSION_TABLE)
    conn.execute("SET search_path = public")


# ---------------------------------------------------------------- county reads


class TimedSource(HubSource):
    """HubSource with each query timed (the time spent in PostgreSQL)."""

    log: list[tuple[str, float, int]]

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        started = time.monotonic()
        rows = self.conn.execute(query, params).fetchall()
        self.log.append((" ".join(query.split()), time.monotonic() - started, len(rows)))
        return rows


class CountySource(TimedSource):
    """HubSource narrowed to one county (what a province hub's county view reads):
    every record read gets `county_code = %s`, which is what prunes partitions."""

    def __init__(self, conn: psycopg.Connection[Any], county: str) -> None:
        super().__init__(conn)
        self.county = county
        self.area = county + "000000"
        self.log = []

    def _live(self, query: str, params: Sequence[Any] = (), order: str = "") -> list[Any]:
        where = " AND " if " WHERE " in " ".join(query.split()).upper() else " WHERE "
        query += where + "deleted = 0 AND county_code = %s"
        params = (*params, self.county)
        return self._rows(query + (f" ORDER BY {order}" if order else ""), params)

    def events(self, start: str, end: str) -> list[Any]:
        from fpdesk.reports.indicators.sqlite import event_queries

        rows: list[Any] = []
        for query in event_queries("%s", "AND x.county_code = %s"):
            rows += self._rows(query, (start, end, self.county))
        return rows

    def _units(self, query: str, params: Sequence[Any]) -> list[Any]:
        rows = self._rows(query, params)
        mine = self.area
        return [r for r in rows if area.contains(mine, str(r[0])) or area.contains(str(r[0]), mine)]


def county_reads(conn: psycopg.Connection[Any], county: str, label: str) -> dict[str, float]:
    period = parse_period(PERIOD)
    source = CountySource(conn, county)
    _, wall = timed(
        f"{label}: collect {PERIOD} for county {county}", lambda: ind.collect(source, period)
    )
    in_sql = sum(seconds for _, seconds, _ in source.log)
    print(f"    {len(source.log)} queries, {in_sql:.2f} s of it in PostgreSQL")
    slowest = sorted(source.log, key=lambda entry: -entry[1])[:5]
    for query, seconds, rows in slowest:
        print(f"    {seconds:6.2f} s  {rows:8d} rows  {query[:90]}")
    return {"collect": wall, "sql": in_sql}


class WholeSource(TimedSource):
    """HubSource of the whole area, its queries timed."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        super().__init__(conn)
        self.log = []


def whole_reads(conn: psycopg.Connection[Any], label: str) -> float:
    period = parse_period(PERIOD)
    source = WholeSource(conn)
    _, wall = timed(
        f"{label}: collect {PERIOD} for the whole area", lambda: ind.collect(source, period)
    )
    in_sql = sum(seconds for _, seconds, _ in source.log)
    print(f"    {len(source.log)} queries, {in_sql:.2f} s of it in PostgreSQL")
    return wall


def explain(conn: psycopg.Connection[Any], query: str, params: Sequence[Any], label: str) -> None:
    print(f"  EXPLAIN ANALYZE ({label})")
    for (line,) in conn.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + query, params):
        print("    " + line)


# ---------------------------------------------------------------- writes


def bundle_upserts(
    conn: psycopg.Connection[Any],
    township: str,
    conflict: str,
    label: str,
    *,
    check_in_county: bool = False,
) -> float:
    """10,000 changes of one township as hub.exchange applies them: the check that no
    id is another township's, then an upsert per row (executemany), table by table;
    rolled back afterwards so the rows stay the same for the other shape."""
    per_table = 1000
    changes: dict[str, list[list[Any]]] = {}
    for table, columns in schema.register_columns().items():
        names = [c.name for c in columns]
        listed = sql.SQL(", ").join(map(sql.Identifier, names))
        rows = conn.execute(
            sql.SQL("SELECT {} FROM {} WHERE township_code = %s LIMIT %s").format(
                listed, sql.Identifier(table)
            ),
            (township, per_table),
        ).fetchall()
        images = []
        for n, row in enumerate(rows):
            image = list(row)
            if n % 10 == 0:  # a tenth are new rows
                image[0] = f"{image[0][:24]}{n:012x}"
            images.append(image)
        changes[table] = images
    count = sum(len(v) for v in changes.values())

    def apply() -> None:
        with conn.transaction(force_rollback=True):
            for table, images in changes.items():
                names = [c.name for c in schema.register_columns()[table]]
                # With the county in the key a change can only meet a row of its own
                # county: the check need look there only (one partition).
                county = " AND county_code = %s" if check_in_county else ""
                conn.execute(
                    sql.SQL(
                        "SELECT id FROM {} WHERE id = ANY(%s) AND township_code <> %s{} LIMIT 1"
                    ).format(sql.Identifier(table), sql.SQL(county)),
                    ([image[0] for image in images], township)
                    + ((township[:6],) if check_in_county else ()),
                ).fetchone()
                statement = sql.SQL(
                    "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}"
                ).format(
                    sql.Identifier(table),
                    sql.SQL(", ").join(
                        map(sql.Identifier, [*names, "township_code", "county_code"])
                    ),
                    sql.SQL(", ").join(sql.Placeholder() * (len(names) + 2)),
                    sql.SQL(conflict),
                    sql.SQL(", ").join(
                        sql.SQL("{0} = excluded.{0}").format(sql.Identifier(n))
                        for n in names
                        if n != "id"
                    ),
                )
                with conn.cursor() as cur:
                    cur.executemany(
                        statement, [[*image, township, township[:6]] for image in images]
                    )

    _, wall = timed(f"{label}: a bundle of {count} changes (upserts, rolled back)", apply)
    return wall


# ---------------------------------------------------------------- maintenance


def maintenance(conn: psycopg.Connection[Any], county: str) -> None:
    """Each upkeep command on the whole flat table, then on one county's partition."""
    # DISABLE_PAGE_SKIPPING: every page read, as an anti-wraparound (freeze) vacuum
    # must; the work that grows with the table, where a plain VACUUM of a clean table
    # skips it.  ANALYZE samples a fixed number of rows whatever the size.
    commands = ("VACUUM (DISABLE_PAGE_SKIPPING)", "VACUUM (ANALYZE)", "ANALYZE")
    conn.autocommit = True
    for table in ("person", "visit"):
        partition = partition_name(table, county)
        for command in commands:
            for target, where in (
                (("public", table), "whole"),
                (("part", partition), "one county"),
            ):
                _run(conn, f"{command} {'.'.join(target)} ({where})", command, target)
        for name, whole, columns in (
            ("the township index", f"{table}_township", "township_code"),
            ("the primary key", f"{table}_pkey", "county_code, id"),
        ):
            _run(
                conn,
                f"REINDEX {name} of public.{table} (whole)",
                "REINDEX INDEX",
                ("public", whole),
            )
            index = _partition_index(conn, partition, columns)
            _run(conn, f"REINDEX {name} of part.{partition}", "REINDEX INDEX", ("part", index))
    conn.autocommit = False


def _run(conn: psycopg.Connection[Any], label: str, command: str, target: tuple[str, str]) -> None:
    timed(
        label,
        lambda: conn.execute(sql.SQL(command + " {}").format(sql.Identifier(*target))),
    )


def _partition_index(conn: psycopg.Connection[Any], partition: str, columns: str) -> str:
    rows = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'part' AND tablename = %s",
        (partition,),
    ).fetchall()
    for name, definition in rows:
        if f"({columns})" in definition:
            return str(name)
    raise LookupError(f"no index on ({columns}) of {partition}")


def detach_attach(conn: psycopg.Connection[Any], county: str) -> None:
    """A county's partitions detached (e.g. handed to another hub, or archived) and
    attached again; beside it, the same county's rows deleted from the flat tables."""
    # {parent} and {partition} of each record table, {county} the county's code.
    detach = "ALTER TABLE {parent} DETACH PARTITION {partition}"
    attach = "ALTER TABLE {parent} ATTACH PARTITION {partition} FOR VALUES IN ({county})"

    def each_table(*statements: str, rollback: bool = False) -> None:
        with conn.transaction(force_rollback=rollback):
            for table in TABLES:
                for statement in statements:
                    conn.execute(
                        sql.SQL(statement).format(
                            parent=sql.Identifier("part", table),
                            partition=sql.Identifier("part", partition_name(table, county)),
                            flat=sql.Identifier("public", table),
                            county=sql.Literal(county),
                        )
                    )

    timed(f"DETACH county {county}'s 10 partitions", lambda: each_table(detach))
    timed("ATTACH them again (validating scan)", lambda: each_table(attach))
    # With a CHECK constraint matching the partition bound, ATTACH skips its scan.
    each_table(
        detach, "ALTER TABLE {partition} ADD CONSTRAINT in_county CHECK (county_code = {county})"
    )
    timed("ATTACH with a matching CHECK (no scan)", lambda: each_table(attach))
    each_table("ALTER TABLE {partition} DROP CONSTRAINT in_county")
    timed(
        f"flat: DELETE county {county}'s rows from the 10 tables (rolled back)",
        lambda: each_table("DELETE FROM {flat} WHERE county_code = {county}", rollback=True),
    )


# ---------------------------------------------------------------- storage


def many_partitions(conn: psycopg.Connection[Any], counties: list[str]) -> None:
    """What 200 counties cost the planner and the by-id check: the same persons spread
    over MANY partitions (counties made up from the id), beside the 10 of `part`."""
    ident = sql.Identifier("many", "person")
    made = conn.execute("SELECT to_regclass('many.person')").fetchone()
    codes = [f"45{n:04d}" for n in range(1, MANY + 1)]
    if not made or made[0] is None:
        conn.execute("CREATE SCHEMA many")
        conn.execute(
            sql.SQL(
                "CREATE TABLE {} (LIKE public.person INCLUDING DEFAULTS,"
                " PRIMARY KEY (county_code, id)) PARTITION BY LIST (county_code)"
            ).format(ident)
        )
        for code in codes:
            conn.execute(
                sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES IN ({})").format(
                    sql.Identifier("many", f"person_{code}"), ident, sql.Literal(code)
                )
            )
        conn.execute(sql.SQL("CREATE INDEX ON {} (township_code)").format(ident))
        timed(
            f"  fill many.person ({MANY} partitions)",
            lambda: conn.execute(
                sql.SQL(
                    "INSERT INTO {} ({cols}, township_code, county_code)"
                    " SELECT {cols}, township_code,"
                    " (%s::text[])[abs(hashtext(id)) %% {n} + 1] FROM public.person"
                ).format(
                    ident,
                    cols=sql.SQL(", ").join(
                        sql.Identifier(c.name) for c in schema.register_columns()["person"]
                    ),
                    n=sql.Literal(MANY),
                ),
                (codes,),
            ),
        )
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE many.person")
        conn.autocommit = False
    women = (
        "SELECT id, household_id, residence_status FROM {} WHERE sex = 2"
        " AND birth_date > %s AND birth_date <= %s AND (death_date IS NULL OR death_date > %s)"
        " AND deleted = 0 {}"
    )
    period = ("1975-12-31", "2010-12-31", "2025-01-01")
    ids = [
        str(i)
        for (i,) in conn.execute("SELECT id FROM public.person ORDER BY id LIMIT 1000").fetchall()
    ]
    for label, table, county in (
        ("flat", "public.person", counties[-1]),
        (f"{len(counties)} partitions", "part.person", counties[-1]),
        (f"{MANY} partitions", "many.person", codes[-1]),
    ):
        one = women.format(table, "AND county_code = %s")
        _plan_and_run(conn, f"{label}: one county's women", one, (*period, county))
        _plan_and_run(conn, f"{label}: every county's women", women.format(table, ""), period)
        _plan_and_run(
            conn,
            f"{label}: 1,000 ids looked up by id alone",
            f"SELECT id FROM {table} WHERE id = ANY(%s) AND township_code <> %s",
            (ids, "000000000000"),
        )
    conn.rollback()


def _plan_and_run(
    conn: psycopg.Connection[Any], label: str, query: str, params: Sequence[Any]
) -> None:
    """Planning and execution time as EXPLAIN ANALYZE reports them (the second of two
    runs)."""
    for _ in range(2):
        lines = [
            str(line)
            for (line,) in conn.execute(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) " + query, params
            )
        ]
    times = [line.strip() for line in lines if line.strip().startswith(("Planning", "Execution"))]
    # The scans that ran, in a plan over partitions: one line per partition read.
    scanned = sum(
        1
        for line in lines
        if "Scan" in line and " on " in line and "_4" in line and "never executed" not in line
    )
    print(f"  {label:<52} {'; '.join(times)}; {scanned} partitions read")


def storage(conn: psycopg.Connection[Any], persons: int) -> None:
    print(f"\nstorage ({persons:,} persons), bytes per 100,000 persons")
    total = {"public": 0, "part": 0}
    for table in TABLES:
        flat = _size(conn, "public", [table])
        partitions = [partition_name(table, c) for c in _counties(conn)]
        parted = _size(conn, "part", partitions)
        rows = conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()
        per_person = int(rows[0]) / persons if rows else 0
        total["public"] += flat
        total["part"] += parted
        print(
            f"  {table:<14} {per_person:5.2f} rows/person   flat {_mb(flat, persons):8.1f} MB"
            f"   partitioned {_mb(parted, persons):8.1f} MB"
        )
    print(
        f"  {'all':<14} {'':5}                  flat {_mb(total['public'], persons):8.1f} MB"
        f"   partitioned {_mb(total['part'], persons):8.1f} MB"
    )
    print(f"  database on disk: {_pretty(conn)}")


def _size(conn: psycopg.Connection[Any], namespace: str, tables: list[str]) -> int:
    row = conn.execute(
        "SELECT sum(pg_total_relation_size(format('%%I.%%I', %s::text, t)::regclass))"
        " FROM unnest(%s::text[]) t",
        (namespace, tables),
    ).fetchone()
    return int(row[0]) if row and row[0] else 0


def _mb(size: int, persons: int) -> float:
    return size / persons * 100_000 / 1e6


def _counties(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute("SELECT DISTINCT county_code FROM hub_township ORDER BY 1").fetchall()
    return [str(c).strip() for (c,) in rows]


def _pretty(conn: psycopg.Connection[Any]) -> str:
    row = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()
    return str(row[0]) if row else "?"


# ---------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    numbers = [int(a) for a in argv if a.isdigit()]
    n_counties = numbers[0] if numbers else 10
    per_county = numbers[1] if len(numbers) > 1 else 10
    OUT.mkdir(exist_ok=True)
    if not SEED.exists():
        timed(
            "demo register, 30,000 persons (seed 11)",
            lambda: demo.build_demo(SEED, PASSPHRASE, persons=30_000, seed=11),
        )
    print(f"load average at start: {os.getloadavg()}")
    handle = server.start(OUT / f"partition_pgdata_{n_counties}x{per_county}")
    try:
        fresh = not _exists(handle)
        url = server.ensure_database(str(handle.get_uri()), DATABASE)
        with psycopg.connect(url) as conn:
            version = conn.execute("SHOW server_version").fetchone()
            print(f"PostgreSQL {version[0] if version else '?'}")
            if fresh:
                seed = counties_of("450102", n_counties)
                build(conn, seed, per_county)
            asked = [a.split("=", 1)[1] for a in argv if a.startswith("--only=")]
            measure(conn, asked[0].split(",") if asked else SECTIONS)
    finally:
        handle.cleanup()
    print(f"load average at end: {os.getloadavg()}")
    return 0


def _exists(handle: Any) -> bool:
    with psycopg.connect(str(handle.get_uri())) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone()
    return found is not None


SECTIONS = ("county", "county_index", "whole", "bundle", "maintenance", "detach", "storage")
# Not run unless asked (--only=many): the person table again in 200 partitions.
MANY = 200


def measure(conn: psycopg.Connection[Any], sections: Sequence[str]) -> None:
    counties = _counties(conn)
    persons_row = conn.execute("SELECT count(*) FROM public.person").fetchone()
    persons = int(persons_row[0]) if persons_row else 0
    county = counties[-1]
    township_row = conn.execute(
        "SELECT min(code) FROM hub_township WHERE county_code = %s", (county,)
    ).fetchone()
    township = str(township_row[0]) if township_row else ""
    print(f"\n{persons:,} persons in {len(counties)} counties; measured county {county}")
    conn.commit()
    if "county" in sections:
        print("\n-- a county's annual indicator reads")
        measure_county(conn, county, township)
    if "county_index" in sections:
        print("\n-- the same on the flat tables with an index on county_code")
        measure_county_index(conn, county)
    if "whole" in sections:
        print("\n-- the whole area's annual indicator reads")
        shapes = [("flat", "public"), ("partitioned", "part, public")]
        for order in (shapes, shapes[::-1]):  # each first once: the cache warms
            for shape, path in order:
                conn.execute(f"SET search_path = {path}")
                whole_reads(conn, shape)
                conn.rollback()
    if "bundle" in sections:
        print(f"\n-- a township bundle's upserts (township {township})")
        measure_bundle(conn, township)
    if "maintenance" in sections:
        print("\n-- maintenance: whole table vs one county's partition")
        maintenance(conn, county)
    if "detach" in sections:
        print("\n-- a county detached and attached")
        detach_attach(conn, county)
    if "storage" in sections:
        storage(conn, persons)
    if "many" in sections:
        print(f"\n-- the persons in {MANY} partitions (a province's count of counties)")
        many_partitions(conn, counties)


def measure_county(conn: psycopg.Connection[Any], county: str, township: str) -> None:
    for shape, path in (("flat", "public"), ("partitioned", "part, public")):
        conn.execute(f"SET search_path = {path}")
        county_reads(conn, county, shape)  # once to warm the cache
        county_reads(conn, county, shape)
        conn.rollback()
    women = (
        "SELECT id, household_id, residence_status FROM person WHERE sex = 2"
        " AND birth_date > %s AND birth_date <= %s AND (death_date IS NULL OR death_date > %s)"
        " AND deleted = 0 AND county_code = %s"
    )
    params = ("1975-12-31", "2010-12-31", "2025-01-01", county)
    conn.execute("SET search_path = public")
    explain(conn, women, params, "flat, women_born of one county")
    conn.execute("SET search_path = part, public")
    explain(conn, women, params, "partitioned, women_born of one county")
    # A township staff login's policy narrows by township (looked up per statement);
    # with the county beside it the executor prunes the other counties' partitions.
    conn.execute(
        "INSERT INTO hub_staff (role_name, township_code) VALUES ('bench_township', %s)"
        " ON CONFLICT DO NOTHING",
        (township,),
    )
    mine = "(SELECT s.township_code FROM hub_staff s WHERE s.role_name = 'bench_township')"
    explain(
        conn,
        f"SELECT count(*) FROM person WHERE township_code = {mine}"
        f" AND county_code = (SELECT left(s.township_code, 6)::char(6) FROM hub_staff s"
        f" WHERE s.role_name = 'bench_township')",
        (),
        "partitioned, a township policy with its county beside it",
    )
    conn.rollback()


def measure_county_index(conn: psycopg.Connection[Any], county: str) -> None:
    """Would an index on county_code do what the partitions do?  Made, used, dropped
    (the flat tables stay as hub init makes them).  The copies are written county by
    county, so each county's rows lie together: the index's best case (a real hub
    receives every township's bundles month by month, interleaved)."""
    conn.autocommit = True
    for table in TABLES:
        timed(
            f"  CREATE INDEX public.{table} (county_code)",
            lambda t=table: conn.execute(
                sql.SQL("CREATE INDEX {} ON {} (county_code)").format(
                    sql.Identifier(f"{t}_county"), sql.Identifier("public", t)
                )
            ),
        )
    conn.autocommit = False
    try:
        conn.execute("SET search_path = public")
        county_reads(conn, county, "flat + county index")
        county_reads(conn, county, "flat + county index")
        conn.rollback()
    finally:
        conn.rollback()
        for table in TABLES:
            conn.execute(
                sql.SQL("DROP INDEX IF EXISTS {}").format(
                    sql.Identifier("public", f"{table}_county")
                )
            )
        conn.commit()


def measure_bundle(conn: psycopg.Connection[Any], township: str) -> None:
    for shape, path, conflict in (
        ("flat", "public", "id"),
        ("partitioned", "part, public", "county_code, id"),
    ):
        conn.execute(f"SET search_path = {path}")
        bundle_upserts(conn, township, conflict, shape)
        bundle_upserts(conn, township, conflict, shape)
        conn.rollback()
    conn.execute("SET search_path = part, public")
    for _ in range(2):
        bundle_upserts(
            conn,
            township,
            "county_code, id",
            "partitioned, check in the county",
            check_in_county=True,
        )
    conn.rollback()
    conn.execute("SET search_path = part, public")
    explain(
        conn,
        "SELECT id FROM visit WHERE id = ANY(%s) AND township_code <> %s LIMIT 1",
        (
            ["019a3cb6-bc17-77ba-a2c9-1b83a417a0fe", "019a3cb6-bc18-7410-877d-357f3cc6d62d"],
            township,
        ),
        "partitioned, the other-township check by id alone",
    )
    conn.rollback()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
