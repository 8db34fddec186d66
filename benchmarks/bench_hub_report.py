"""What `fpdesk hub report` costs next to the register's `fpdesk report` on the same records.

Builds a demo register once (benchmarks/out/hub_report_demo_N.fpdesk, N persons, seed
11: 30,000 makes three townships), loads it into a hub on a new embedded server
(hub.load), then times in one process, through HubSource and through the register: the
monthly change report of one month, the annual workbook, the annual workbook with its
name lists (名单, reports.members through the source), and the district's lists alone
(what `hub indicators --members` adds).  Prints wall seconds.

    PYTHONPATH=src nice .venv/bin/python benchmarks/bench_hub_report.py [PERSONS]
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

from fpdesk import demo
from fpdesk.commands.reports import listed_members
from fpdesk.core.periods import parse_period
from fpdesk.hub import load, schema, server
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.reports.indicators.sqlite import Readable
from fpdesk.store.db import open_register

OUT = Path(__file__).parent / "out"
PASSPHRASE = "bench-hub-report"
YEAR, MONTH = parse_period("2025"), parse_period("2025-10")


def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.monotonic()
    result = work()
    wall = time.monotonic() - started
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label:<60} {wall:6.2f} s   (load {load_avg:.1f})")
    return result


def with_lists(where: Readable) -> None:
    workbook = excel.build(where, YEAR, "annual")
    excel.add_member_lists(workbook, where, ind.compute(where, YEAR))
    excel.workbook_bytes(workbook)


def main() -> int:
    persons = int(sys.argv[1]) if len(sys.argv) > 1 else 30_000
    OUT.mkdir(exist_ok=True)
    path = OUT / f"hub_report_demo_{persons}.fpdesk"
    if not path.exists():
        timed(
            f"demo register, {persons} persons",
            lambda: demo.build_demo(path, PASSPHRASE, persons=persons, seed=11),
        )
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-hubreport-"))
    handle = server.start(folder / "pgdata")
    try:
        url = server.ensure_database(str(handle.get_uri()), "fpdesk_hub")
        with psycopg.connect(url) as conn, open_register(path, PASSPHRASE) as register:
            schema.migrate(conn)
            load.load_register(conn, register)
            conn.commit()
            stores: list[tuple[str, Readable]] = [
                ("hub, the township", HubSource(conn, register.area_code)),
                ("register", register),
            ]
            for name, where in stores:
                timed(
                    f"monthly workbook {MONTH.label} ({name})",
                    lambda where=where: excel.workbook_bytes(excel.build(where, MONTH, "monthly")),
                )
                timed(
                    f"annual workbook {YEAR.label} ({name})",
                    lambda where=where: excel.workbook_bytes(excel.build(where, YEAR, "annual")),
                )
                timed(
                    f"annual workbook {YEAR.label} with 名单 ({name})",
                    lambda where=where: with_lists(where),
                )
                report = ind.compute(where, YEAR)
                timed(
                    f"the lists alone, every indicator ({name})",
                    lambda where=where, report=report: listed_members(where, report),
                )
                conn.rollback()
    finally:
        handle.cleanup()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
