"""What the upward exchange costs: a township bundle of 10,000 changes (5,000 households
and 5,000 persons written at the township) exported `--to-district`, and `hub import`
of it, first into an empty hub, then a second township's into the hub holding the first
(issue 17 item 5 asks under 3 s, and no slower than 1.5x the empty hub).

On a fresh embedded PostgreSQL in a temporary folder; the township registers are real
SQLCipher files there too.  Prints wall seconds and the load average.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_hub_import.py [HOUSEHOLDS]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from fpdesk.core import area
from fpdesk.hub import enrollment as hub_enrollment
from fpdesk.hub import exchange, schema, server
from fpdesk.store import records
from fpdesk.store.db import Register, create_register
from fpdesk.sync import bundles, enrollment, keys

DISTRICT = "450102000000"
PASSPHRASE = "bench-passphrase"


def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.monotonic()
    result = work()
    wall = time.monotonic() - started
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label:<56} {wall:6.2f} s   (load {load:.1f})")
    return result


def township_with(folder: Path, code: str, households: int) -> Register:
    reg = create_register(folder / f"{code}.fpdesk", PASSPHRASE, role="township", area_code=code)
    keys.create_recovery_identity(reg, folder / f"{code}-recovery.txt")
    reg.set_actor("文员")
    with reg.transaction():
        for n in range(households):
            village = code[:9] + f"{201 + n // 1000:03d}"
            home = records.insert(
                reg,
                "household",
                {
                    "code": area.household_code(village, 1, n % 1000 + 1),
                    "village_code": village,
                    "group_no": "01",
                },
            )
            fields = {"household_id": home, "name": f"村民{n}", "sex": 2}
            records.insert(reg, "person", {**fields, "birth_date": "1990-01-01"})
    return reg


def join(
    conn: psycopg.Connection[Any], township: Register, folder: Path, district: str = DISTRICT
) -> None:
    request, answer = folder / f"{township.area_code}.req", folder / f"{township.area_code}.ans"
    enrollment.write_request(township, request)
    hub_enrollment.accept(conn, request, answer, district)
    enrollment.finish(township, answer)


def main() -> int:
    households = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-hub-import-"))
    handle = server.start(folder / "pgdata")
    try:
        url = server.ensure_database(str(handle.get_uri()), "bench_hub")
        with psycopg.connect(url) as conn:
            schema.migrate(conn)
            first = township_with(folder, "450102001000", households)
            second = township_with(folder, "450102002000", households)
            join(conn, first, folder)
            join(conn, second, folder)
            conn.commit()
            made = [
                timed(
                    f"bundle export --to-district ({reg.area_code})",
                    lambda reg=reg: bundles.export(reg, folder / "up", to_district=True)[0],
                )
                for reg in (first, second)
            ]
            print(f"changes per bundle: {made[0].count}; bytes: {made[0].path.stat().st_size}")
            for label, bundle in (("empty hub", made[0]), ("hub holding the first", made[1])):
                done = timed(
                    f"hub import, {label}",
                    lambda bundle=bundle: exchange.import_files(
                        conn, [bundle.path], folder / "acks"
                    ),
                )
                assert [r.outcome for r in done.results] == ["accepted"], done.results
            first.close()
            second.close()
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
