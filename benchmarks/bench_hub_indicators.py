"""What `fpdesk hub indicators` costs next to `fpdesk indicators` on the same records.

Builds a demo register once (benchmarks/out/hub_demo_N.fpdesk, N persons; 30,000 makes
three townships), loads it into a hub on a new embedded server (hub.load), then times:
the load; the annual indicators collected and computed through HubSource (district, and
by village) and through the register; and the command as a user runs it (a new
process, --url of the running server, --level village --json); and the collection as a
district staff login and as a township staff login (row-level security, hub.staff).
Prints wall seconds.

    PYTHONPATH=src nice .venv/bin/python benchmarks/bench_hub_indicators.py [PERSONS]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from fpdesk import demo
from fpdesk.core.periods import parse_period
from fpdesk.hub import load, schema, server, staff
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import indicators as ind
from fpdesk.store.db import open_register

OUT = Path(__file__).parent / "out"
PASSPHRASE = "bench-hub-indicators"
PERIOD = "2025"


def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.monotonic()
    result = work()
    wall = time.monotonic() - started
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label:<56} {wall:6.2f} s   (load {load_avg:.1f})")
    return result


def main() -> int:
    persons = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    OUT.mkdir(exist_ok=True)
    path = OUT / f"hub_demo_{persons}.fpdesk"
    if not path.exists():
        timed(
            f"demo register, {persons} persons",
            lambda: demo.build_demo(path, PASSPHRASE, persons=persons),
        )
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-hubind-"))
    handle = server.start(folder / "pgdata")
    try:
        url = server.ensure_database(str(handle.get_uri()), "fpdesk_hub")
        period = parse_period(PERIOD)
        with psycopg.connect(url) as conn, open_register(path, PASSPHRASE) as register:
            schema.migrate(conn)
            timed("hub.load.load_register (all tables)", lambda: load.load_register(conn, register))
            conn.commit()
            source = HubSource(conn)
            facts = timed(
                f"collect {PERIOD} through HubSource (district)",
                lambda: ind.collect(source, period),
            )
            timed(
                "compute district + breakdown by village (hub)",
                lambda: (
                    ind.compute(source, period, facts=facts),
                    ind.breakdown(source, period, "village", facts=facts),
                ),
            )
            reg_facts = timed(
                f"collect {PERIOD} through the register", lambda: ind.collect(register, period)
            )
            county = source.scope()
            timed(
                "compute district + breakdown by village (register)",
                lambda: (
                    ind.compute(register, period, [county], facts=reg_facts),
                    ind.breakdown(register, period, "village", within=county, facts=reg_facts),
                ),
            )
        # The same collection under the staff roles' row-level security.
        with psycopg.connect(url) as conn:
            township = str(conn.execute("SELECT min(code) FROM hub_township").fetchone()[0])
            staff.add(conn, "bench_district", None)
            staff.add(conn, "bench_township", township)
        for name in ("bench_district", "bench_township"):
            staff_url = url.replace("postgresql://postgres:", f"postgresql://{name}:", 1)
            with psycopg.connect(staff_url) as conn:
                seen = HubSource(conn)
                timed(
                    f"collect {PERIOD} through HubSource as {name}",
                    lambda seen=seen: ind.collect(seen, period),
                )
        command = [sys.executable, "-m", "fpdesk", "hub", "indicators", "--url", url]
        for level in ("district", "village"):
            timed(
                f"fpdesk hub indicators --period {PERIOD} --level {level}",
                lambda level=level: subprocess.run(
                    [*command, "--period", PERIOD, "--level", level, "--json"],
                    check=True,
                    stdout=subprocess.DEVNULL,
                ),
            )
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
