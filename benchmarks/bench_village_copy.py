"""What the village's copy of records naming persons elsewhere costs the township's export.

On a private copy of the demo district (300,000 persons by default), the clerk merges
`--merges` duplicate husbands into a person of another village and the township logs
`--edits` person corrections spread over the district.  Then, with and without the
village's copy (sync.elsewhere: persons of other villages named as nobody or as a
spouse from elsewhere, and marriages re-sent when such a spouse changed), it times
- the rows of an update (everything logged since before the merges) and of a snapshot
  for the first `--villages` villages, and the part the village's copy itself takes.
Wall-clock and CPU seconds (time.process_time) of this process, best of three, and the
load average at the start and the end.

    .venv/bin/python benchmarks/bench_village_copy.py [--persons 300000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.store import records
from fpdesk.store.db import Register, open_register
from fpdesk.sync import duplicates, elsewhere, rows

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def best(fn: Callable[[], Any]) -> tuple[float, float]:
    runs = []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


def prepare(reg: Register, merges: int, edits: int) -> None:
    chooser = random.Random(1)
    couples = reg.query(
        "SELECT m.husband_id AS husband, hh.village_code AS village FROM marriage m"
        " JOIN person p ON p.id = m.husband_id JOIN household hh ON hh.id = p.household_id"
        " WHERE m.wife_id IS NOT NULL AND m.deleted = 0 AND p.deleted = 0 LIMIT 20000"
    )
    men = reg.query(
        "SELECT p.id, hh.village_code AS village FROM person p"
        " JOIN household hh ON hh.id = p.household_id"
        " WHERE p.sex = 1 AND p.deleted = 0 LIMIT 20000"
    )
    taken: set[str] = set()
    for couple in chooser.sample(couples, merges):
        kept = next(
            m
            for m in chooser.sample(men, 50)
            if m["village"] != couple["village"] and m["id"] not in taken
        )
        if couple["husband"] in taken:
            continue
        taken.update((kept["id"], couple["husband"]))
        duplicates.merge_persons(reg, kept["id"], couple["husband"], reason="bench")
    ids = [r["id"] for r in reg.query("SELECT id FROM person WHERE deleted = 0")]
    with reg.transaction():
        for pid in chooser.sample(ids, edits):
            records.update(reg, "person", pid, {"phone": str(chooser.randrange(10**10))})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--merges", type=int, default=50)
    parser.add_argument("--edits", type=int, default=10_000)
    parser.add_argument("--villages", type=int, default=20)
    args = parser.parse_args()
    source = OUT / f"demo-{args.persons}-s1.fpdesk"
    if not source.exists():
        sys.exit(f"{source.name} missing: build it with bench_search.py or bench_due.py")
    print(f"load average at start: {load()}")
    work = Path(tempfile.mkdtemp(prefix="bench-village-copy-"))
    try:
        target = work / "township.fpdesk"
        shutil.copy2(source, target)
        with open_register(target, PASSPHRASE) as reg:
            reg.set_actor("bench")
            after = rows.last_seq(reg)
            started = time.perf_counter()
            prepare(reg, args.merges, args.edits)
            print(
                f"{args.merges} merges and {args.edits} person edits logged in "
                f"{time.perf_counter() - started:.1f} s"
            )
            villages = [
                str(r["v"])
                for r in reg.query("SELECT DISTINCT village_code AS v FROM household ORDER BY 1")
            ][: args.villages]
            copy, changed = elsewhere.village_copy, elsewhere.spouses_changed
            spent = [0.0, 0.0]

            def timed_part(fn: Callable[..., Any]) -> Callable[..., Any]:
                def run(*a: Any) -> Any:
                    wall, cpu = time.perf_counter(), time.process_time()
                    try:
                        return fn(*a)
                    finally:
                        spent[0] += time.perf_counter() - wall
                        spent[1] += time.process_time() - cpu

                return run

            def updates() -> None:
                for village in villages:
                    rows.village_rows(reg, village, after)

            def snapshots() -> None:
                for village in villages:
                    rows.village_rows(reg, village, None)

            for label, fn in (
                (f"update rows for {len(villages)} villages", updates),
                (f"snapshot rows for {len(villages)} villages", snapshots),
            ):
                elsewhere.village_copy = lambda reg, village, tables: tables  # type: ignore[assignment]
                elsewhere.spouses_changed = lambda *a: []  # type: ignore[assignment]
                without = best(fn)
                elsewhere.village_copy = timed_part(copy)  # type: ignore[assignment]
                elsewhere.spouses_changed = timed_part(changed)  # type: ignore[assignment]
                spent[:] = [0.0, 0.0]
                with_copy = best(fn)
                elsewhere.village_copy, elsewhere.spouses_changed = copy, changed
                print(
                    f"{label}: without the village copy {without[0]:.3f} s wall "
                    f"{without[1]:.3f} s CPU; with it {with_copy[0]:.3f} s wall "
                    f"{with_copy[1]:.3f} s CPU, of which the copy itself "
                    f"{spent[0] / 3:.3f} s wall {spent[1] / 3:.3f} s CPU (mean of 3)"
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"load average at end: {load()}")


if __name__ == "__main__":
    main()
