"""Due list for one village (~3,000 persons) on a large register.

Builds (once) a demo register with `fpdesk.demo` into benchmarks/out/, picks the
village whose person count is nearest to --village-persons, and times `due_list` for it
on the demo's reference date, and the work list's reading (that date and six days on)
as two due lists and as one `due_lists`.  Prints the median and p95 wall and CPU time
over --runs runs, how many lines the list had, and the load average.  Nothing is kept
between runs: each reads the register afresh.

    .venv/bin/python benchmarks/bench_due.py [--persons 300000] [--runs 50]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def build(persons: int, seed: int) -> Path:
    try:
        from fpdesk import demo
    except ImportError:
        sys.exit("fpdesk.demo is not available: no large register can be built")
    path = OUT / f"demo-{persons}-s{seed}.fpdesk"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        demo.build_demo(path, PASSPHRASE, persons=persons, seed=seed)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def _timed(runs: int, work: Callable[[], object]) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run (every run reads the register afresh)."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--village-persons", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--db", help="a register to measure instead (e.g. a copy, so the demo stays as built)"
    )
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    from fpdesk.demo import REFERENCE_DATE
    from fpdesk.store.db import open_register
    from fpdesk.store.due import due_list, due_lists

    load_start = os.getloadavg()[0]
    register = open_register(args.db or build(args.persons, args.seed), PASSPHRASE)
    try:
        villages = register.query(
            "SELECT h.village_code, count(*) AS persons FROM household h "
            "JOIN person p ON p.household_id = h.id WHERE p.deleted = 0 "
            "GROUP BY h.village_code"
        )
        total = sum(v["persons"] for v in villages)
        village = min(villages, key=lambda v: abs(v["persons"] - args.village_persons))
        code = village["village_code"]
        on = REFERENCE_DATE
        ahead = on + dt.timedelta(days=6)
        due_list(register, on, code)  # warm the page cache once (nothing else is kept)
        single = _timed(args.runs, lambda: due_list(register, on, code))
        # The work list: today's and the coming week's, as two readings and as one.
        two = _timed(
            args.runs, lambda: (due_list(register, on, code), due_list(register, ahead, code))
        )
        one = _timed(args.runs, lambda: due_lists(register, [on, ahead], code))
        items = due_list(register, on, code)
    finally:
        register.close()
    overdue = sum(1 for i in items if i.overdue_days > 0)
    print(f"register: {total} persons in {len(villages)} villages")
    print(f"village {code}: {village['persons']} persons, on {on}")
    print(f"due list: {len(items)} lines ({overdue} overdue)")
    print(f"over {args.runs} runs each (wall / CPU ms; median, p95):")
    for label, (wall, cpu) in (
        ("due_list", single),
        ("work list, due_list twice", two),
        ("work list, due_lists once", one),
    ):
        print(
            f"  {label:27} wall {statistics.median(wall):6.1f} {_p95(wall):6.1f}   "
            f"CPU {statistics.median(cpu):6.1f} {_p95(cpu):6.1f}"
        )
    # On a shared machine wall time includes waiting for a core; CPU time does not.
    print(
        f"load average: {load_start:.1f} at the start, {os.getloadavg()[0]:.1f} at the end, "
        f"on {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
