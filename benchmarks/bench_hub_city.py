"""The demo city at the hub (issue 17 item 5): 3,000,000 persons in ten districts.

Builds the city ONCE into an embedded PostgreSQL server whose data folder stays in
benchmarks/out/hub_city/ (`fpdesk hub demo-city`'s loader, commands.hub_city.load_city;
its wall and CPU time, the loader's peak memory and the server backend's CPU are
written to built.json there), then measures:

  (a) `hub import` of a township bundle of 10,000 changes (bench_hub_import's: a
      township register of 5,000 households and 5,000 persons written by the clerk,
      enrolled, `bundle export --to-district`) into the full city hub and into an
      empty hub on the same server: the ratio;
  (b) the annual indicators (`fpdesk hub indicators --period 2025 --level district`)
      and the annual workbook (`hub report --kind annual`) of one district (its
      300,000 persons: the command given a hub of that district, i.e. HubSource's area
      narrowed to the district) and of the whole city; in-process and as the command
      (a new process, --url of the running server);
  (c) storage: pg_total_relation_size of every hub table (indexes included) and the
      database's size, per 100,000 persons.

Wall and CPU seconds (this process and the commands it ran; the server backend's via
psutil where the work runs in this process) and the load average are printed.  Run it
niced, rarely: the machine is shared.

    PYTHONPATH=src nice -n 10 .venv/bin/python benchmarks/bench_hub_city.py [WHAT] [PERSONS]

WHAT: `build` only builds (if not built); `all` (default) builds if need be and measures
everything; `storage`, `indicators` or `import` measure that part only.
Delete benchmarks/out/hub_city/ to build again.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import psycopg

OUT = Path(__file__).parent / "out" / "hub_city"
PGDATA = OUT / "pgdata"
BUILT = OUT / "built.json"
CITY_DB = "fpdesk_city"
EMPTY_DB = "fpdesk_empty"
PERIOD = "2025"
CITY = "450100000000"
# A township of the first district that the demo's layout never makes (its towns are
# numbered 100-199, its townships from 200 up): the bundle's township.
BENCH_TOWNSHIP = "450102399000"
SECOND_TOWNSHIP = "450102398000"
PASSPHRASE = "bench-passphrase"


def load_avg() -> float:
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")


class Backend:
    """The CPU seconds of the server process serving a connection."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        (pid,) = conn.execute("SELECT pg_backend_pid()").fetchone() or (0,)
        conn.rollback()
        self.process = psutil.Process(int(pid))

    def cpu(self) -> float:
        times = self.process.cpu_times()
        return float(times.user + times.system)


def _cpu() -> float:
    """CPU seconds of this process and of the commands it ran (finished children)."""
    me, children = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, work: Callable[[], Any], backend: Backend | None = None) -> tuple[Any, float]:
    cpu, server_cpu = _cpu(), backend.cpu() if backend else 0.0
    started = time.monotonic()
    result = work()
    wall = time.monotonic() - started
    cpu = _cpu() - cpu
    server = f", server {backend.cpu() - server_cpu:6.2f}" if backend else ""
    print(f"{label:<66} wall {wall:7.2f} s  cpu {cpu:6.2f}{server}  (load {load_avg():.1f})")
    return result, wall


def build(url: str, persons: int) -> dict[str, Any]:
    from fpdesk.commands.hub_city import load_city
    from fpdesk.hub import schema

    with psycopg.connect(url) as conn:
        schema.migrate(conn)
        conn.commit()
        backend = Backend(conn)
        started_cpu, started = time.process_time(), time.monotonic()

        def progress(done: int, total: int) -> None:
            print(f"  {done:>9,} / {total:,}  {time.monotonic() - started:7.1f} s", flush=True)

        loaded = load_city(conn, persons, progress=progress)
        built = {
            "persons": loaded.persons,
            "townships": len(loaded.townships),
            "rows": loaded.rows,
            "wall_s": round(time.monotonic() - started, 1),
            "cpu_s": round(time.process_time() - started_cpu, 1),
            "server_cpu_s": round(backend.cpu(), 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "load_after": round(load_avg(), 1),
        }
    BUILT.write_text(json.dumps(built, indent=1), encoding="utf-8")
    return built


def main() -> int:
    from fpdesk.hub import server

    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    persons = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000
    OUT.mkdir(parents=True, exist_ok=True)
    handle = server.start(PGDATA)
    try:
        base = str(handle.get_uri())
        city_url = server.ensure_database(base, CITY_DB)
        if not BUILT.exists():
            print(f"building the demo city, {persons:,} persons, into {PGDATA}")
            built = build(city_url, persons)
        else:
            built = json.loads(BUILT.read_text(encoding="utf-8"))
        print("built:", json.dumps(built))
        if what != "build":
            measure(base, city_url, built, what)
    finally:
        handle.cleanup()
    return 0


# ------------------------------------------------------------------ the measurements


def measure(base: str, city_url: str, built: dict[str, Any], parts: str) -> None:
    from fpdesk.hub import schema

    with psycopg.connect(city_url) as conn:
        ran = schema.migrate(conn)  # a step added since the build (0006_scale_indexes)
        if ran:
            print("hub steps applied now:", ran)
            conn.execute("ANALYZE")
        conn.commit()
    if parts in ("all", "measure", "storage"):
        storage(city_url, built)
    if parts in ("all", "measure", "indicators"):
        indicators(city_url)
    if parts in ("all", "measure", "import"):
        imports(base, city_url)


def storage(url: str, built: dict[str, Any]) -> None:
    persons = int(built["persons"])
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")  # rows counted afresh, the bench township's gone
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """SELECT c.relname, c.reltuples::bigint, pg_total_relation_size(c.oid),
                      pg_indexes_size(c.oid)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'r' AND n.nspname IN ('public', 'hub_private')
               ORDER BY pg_total_relation_size(c.oid) DESC"""
        ).fetchall()
        (database,) = conn.execute("SELECT pg_database_size(current_database())").fetchone() or (0,)
    per = 100_000 / persons
    print(f"\nstorage ({persons:,} persons; MB, and MB per 100,000 persons)")
    print(f"{'table':<22} {'rows':>12} {'total MB':>10} {'indexes MB':>11} {'per 100k':>9}")
    total = 0
    for name, count, size, indexes in rows:
        total += size
        mb = size / 2**20
        print(f"{name:<22} {count:>12,} {mb:>10.1f} {indexes / 2**20:>11.1f} {mb * per:>9.2f}")
    print(
        f"{'all tables':<22} {'':>12} {total / 2**20:>10.1f} {'':>11} {total / 2**20 * per:>9.2f}"
    )
    print(
        f"{'the database':<22} {'':>12} {database / 2**20:>10.1f} {'':>11} "
        f"{database / 2**20 * per:>9.2f}\n"
    )


def indicators(url: str) -> None:
    from fpdesk.core.periods import parse_period
    from fpdesk.hub.indicators import HubSource
    from fpdesk.reports import indicators as ind

    period = parse_period(PERIOD)
    with psycopg.connect(url) as conn:
        backend = Backend(conn)
        district = str(conn.execute("SELECT min(county_code) FROM hub_township").fetchone()[0])
        conn.rollback()
        area = district + "000000"
        for label, source in (
            (f"district {area}", HubSource(conn, district=area)),
            (f"city {CITY}", HubSource(conn)),
        ):
            with source.reading():
                facts, _ = timed(
                    f"collect {PERIOD} (HubSource), {label}",
                    lambda source=source: ind.collect(source, period),
                    backend,
                )
                timed(
                    f"compute {PERIOD}, {label}",
                    lambda source=source, facts=facts: ind.compute(source, period, facts=facts),
                    backend,
                )
    command = [sys.executable, "-m", "fpdesk", "hub"]
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-city-"))
    try:
        for label, narrow in ((f"district {area}", ["--district", area]), ("city", [])):
            timed(
                f"fpdesk hub indicators --period {PERIOD} --level district, {label}",
                lambda narrow=narrow: subprocess.run(
                    [*command, "indicators", "--url", url, "--period", PERIOD, "--json", *narrow],
                    check=True,
                    stdout=subprocess.DEVNULL,
                ),
            )
            timed(
                f"fpdesk hub report --kind annual --period {PERIOD}, {label}",
                lambda narrow=narrow: subprocess.run(
                    [
                        *command,
                        "report",
                        "--url",
                        url,
                        "--kind",
                        "annual",
                        "--period",
                        PERIOD,
                        "--out",
                        str(folder / "annual.xlsx"),
                        *narrow,
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                ),
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def imports(base: str, city_url: str) -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_hub_import import join, township_with

    from fpdesk.hub import exchange, schema, server
    from fpdesk.sync import bundles

    # A new empty hub each run, and the city as built (the bench township taken out).
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {EMPTY_DB}")
    empty_url = server.ensure_database(base, EMPTY_DB)
    forget_township(city_url, BENCH_TOWNSHIP)
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-city-import-"))
    try:
        walls = {}
        for label, url, code in (
            ("empty hub", empty_url, SECOND_TOWNSHIP),
            ("city hub (3,000,000 persons)", city_url, BENCH_TOWNSHIP),
        ):
            with psycopg.connect(url) as conn:
                schema.migrate(conn)
                conn.commit()
                township = township_with(folder, code, 5000)
                join(conn, township, folder, CITY)
                conn.commit()
                made = bundles.export(township, folder / f"up-{code}", to_district=True)[0]
                township.close()
                backend = Backend(conn)
                done, walls[label] = timed(
                    f"hub import, {made.count} changes, into the {label}",
                    lambda conn=conn, made=made, code=code: exchange.import_files(
                        conn, [made.path], folder / f"acks-{code}"
                    ),
                    backend,
                )
                assert [r.outcome for r in done.results] == ["accepted"], done.results
        empty, full = walls.values()
        print(f"ratio city / empty: {full / empty:.2f}")
    finally:
        forget_township(city_url, BENCH_TOWNSHIP)
        shutil.rmtree(folder, ignore_errors=True)


def forget_township(url: str, code: str) -> None:
    """Take the bench township's rows out of the city again (the city stays as built)."""
    from fpdesk.hub import schema

    with psycopg.connect(url) as conn:
        conn.execute("UPDATE hub_township SET device_id = NULL WHERE code = %s", (code,))
        # What any bench township's devices sent (the city's own townships have none).
        conn.execute(
            "DELETE FROM hub_received WHERE device_id NOT IN"
            " (SELECT device_id FROM hub_township WHERE device_id IS NOT NULL)"
        )
        for table in (*schema.register_columns(), "hub_ledger", "hub_area_unit"):
            conn.execute(f"DELETE FROM {table} WHERE township_code = %s", (code,))
        conn.execute("DELETE FROM hub_township WHERE code = %s", (code,))


if __name__ == "__main__":
    raise SystemExit(main())
