"""Due list for one village (~3,000 persons) on a large register.

Builds (once) a demo register with `fpdesk.store.demo` into benchmarks/out/, picks the
village whose person count is nearest to --village-persons, and times `due_list` for it
on the demo's reference date.  Prints the median and p95 over --runs runs, and how
many lines the list had.

    .venv/bin/python benchmarks/bench_due.py [--persons 300000] [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def build(persons: int, seed: int) -> Path:
    try:
        from fpdesk.store import demo
    except ImportError:
        sys.exit("fpdesk.store.demo is not available: no large register can be built")
    path = OUT / f"demo-{persons}-s{seed}.fpdesk"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        demo.build_demo(path, PASSPHRASE, persons=persons, seed=seed)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


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

    from fpdesk.store.db import open_register
    from fpdesk.store.demo import REFERENCE_DATE
    from fpdesk.store.due import due_list

    register = open_register(args.db or build(args.persons, args.seed), PASSPHRASE)
    try:
        villages = register.query(
            "SELECT h.village_code, count(*) AS persons FROM household h "
            "JOIN person p ON p.household_id = h.id WHERE p.deleted = 0 "
            "GROUP BY h.village_code"
        )
        total = sum(v["persons"] for v in villages)
        village = min(villages, key=lambda v: abs(v["persons"] - args.village_persons))
        on = REFERENCE_DATE
        due_list(register, on, village["village_code"])  # warm the page cache once
        times, cpu = [], []
        for _ in range(args.runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            items = due_list(register, on, village["village_code"])
            times.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    finally:
        register.close()
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    overdue = sum(1 for i in items if i.overdue_days > 0)
    print(f"register: {total} persons in {len(villages)} villages")
    print(f"village {village['village_code']}: {village['persons']} persons, on {on}")
    print(f"due list: {len(items)} lines ({overdue} overdue)")
    print(
        f"due_list over {args.runs} runs: median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {times[-1]:.1f} ms"
    )
    # On a shared machine wall time includes waiting for a core; CPU time does not.
    print(f"due_list CPU time: median {statistics.median(cpu):.1f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
