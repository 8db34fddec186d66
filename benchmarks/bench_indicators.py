"""Indicators and workbooks for a whole district.

Uses (or builds once) the demo register of `fpdesk.demo` in benchmarks/out/, and
times, for the statistical year that ends before the demo's reference date:
  - collect + evaluate: every indicator for the whole district (the county code);
  - one report per village from the same facts (what the dashboard's table needs);
  - the assessment workbook for all villages of the district (built and saved);
  - the annual forms workbook for the district.
Prints each number in seconds, best of --runs.  Nothing is written to the register.

    .venv/bin/python benchmarks/bench_indicators.py [--persons 300000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


CPU: list[float] = []  # CPU seconds of the best run of the last measurement


def best(runs: int, work: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of `runs` runs (and, in CPU, that run's CPU seconds: on a shared
    machine the wall time includes waiting for a core)."""
    times, result = [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append((time.perf_counter() - started, time.process_time() - cpu))
    wall, used = min(times)
    CPU[:] = [used]
    return wall, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--db", help="a register to measure instead (e.g. a copy, so the demo stays as built)"
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from fpdesk.core.periods import parse_period, statistical_year_of
    from fpdesk.demo import REFERENCE_DATE
    from fpdesk.reports import excel
    from fpdesk.reports import indicators as ind
    from fpdesk.store.db import open_register

    path = args.db or build(args.persons, args.seed)
    register = open_register(path, PASSPHRASE)
    county = register.area_code[:6] + "000000"
    period = parse_period(str(statistical_year_of(REFERENCE_DATE) - 1))
    persons = register.conn.execute("SELECT count(*) FROM person").fetchone()[0]
    print(
        f"register: {persons} persons, district {county}, period {period.label} "
        f"({period.start_iso}..{period.end_iso})"
    )

    seconds, facts = best(args.runs, lambda: ind.collect(register, period))
    print(f"collect (read the register once): {seconds:.2f} s (CPU {CPU[0]:.2f} s)")
    seconds, report = best(args.runs, lambda: ind.compute(register, period, [county]))
    print(
        f"annual indicators, whole district (collect + evaluate): {seconds:.2f} s "
        f"(CPU {CPU[0]:.2f} s)"
    )
    for result in report.results:
        print(f"    {result.key:<28} {result.numerator:>7} / {result.denominator!s:>7}")
    seconds, villages = best(
        args.runs, lambda: ind.breakdown(register, period, "village", within=county, facts=facts)
    )
    print(
        f"one report per village from the same facts ({len(villages)} villages): "
        f"{seconds:.2f} s (CPU {CPU[0]:.2f} s)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("assessment", "annual"):
            target = Path(tmp) / f"{kind}.xlsx"
            seconds, _ = best(
                args.runs,
                lambda k=kind, t=target: excel.save(
                    excel.build(register, period, k, area_code=county), t
                ),
            )
            print(
                f"{kind} workbook for all villages, built and saved: {seconds:.2f} s "
                f"(CPU {CPU[0]:.2f} s, {target.stat().st_size // 1024} KiB)"
            )
    register.close()
    # On a shared machine wall time includes waiting for a core; CPU time does not.
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
