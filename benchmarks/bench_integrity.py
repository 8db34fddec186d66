"""What the command line's integrity check costs on a large register.

Copies --db (default: the 300,000-person demo in benchmarks/out/) into a temporary
folder, since the check records its day in the register, then times opening it the way
every command does (open_register(verify=DAILY)): the first opening of the day runs
PRAGMA quick_check and SQLCipher's cipher_integrity_check, a later one does not.  Also
times the two checks alone.  Prints wall and CPU seconds and the load average.

Then `fpdesk check` beside SQLite's own checks on the same file, in the same run:
`fpdesk check --quick` (the whole command, as a user runs it) against PRAGMA
quick_check and cipher_integrity_check alone, alternately, twice over; and the full
check's file and links parts against integrity_check, cipher_integrity_check and
foreign_key_check alone, with its rules over every record timed apart.  Prints the
ratios (the goals: 1.3 for --quick, 1.5 for the full check's file and links).

    .venv/bin/python benchmarks/bench_integrity.py [--db PATH] [--passphrase P] [--no-full]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.store import db

OUT = Path(__file__).resolve().parent / "out"


def timed(label: str, work: Callable[[], Any]) -> float:
    """Wall seconds of work(), printed with its CPU seconds (this process and the
    commands it ran) and the load average."""
    wall, cpu = time.perf_counter(), _cpu()
    work()
    took = time.perf_counter() - wall
    print(
        f"{label:<44} wall {took:7.2f} s   "
        f"cpu {_cpu() - cpu:7.2f} s   load {os.getloadavg()[0]:.2f}",
        flush=True,
    )
    return took


def _cpu() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def pragmas(path: Path, passphrase: str, names: tuple[str, ...]) -> None:
    """SQLite's and SQLCipher's own checks, alone, on a register opened without one."""
    register = db.open_register(path, passphrase)
    try:
        for name in names:
            register.conn.execute(f"PRAGMA {name}").fetchall()
    finally:
        register.close()


def command(path: Path, passphrase: str, *more: str) -> dict[str, Any]:
    """`fpdesk check --json` as a user runs it (a new process); its report."""
    env = {**os.environ, "FPDESK_PASSPHRASE": passphrase}
    done = subprocess.run(
        [sys.executable, "-m", "fpdesk", "check", "--db", str(path), "--json", *more],
        env=env,
        capture_output=True,
        check=False,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


QUICK = ("quick_check", "cipher_integrity_check")
FULL = ("integrity_check", "cipher_integrity_check", "foreign_key_check")


def side_by_side(path: Path, passphrase: str, full: bool) -> None:
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(2):
        theirs.append(
            timed("PRAGMA " + " + ".join(QUICK), lambda: pragmas(path, passphrase, QUICK))
        )
        ours.append(timed("fpdesk check --quick", lambda: command(path, passphrase, "--quick")))
    print(f"check --quick / the two PRAGMAs alone: {min(ours) / min(theirs):.2f} (goal 1.3)")
    if not full:
        return
    alone = timed("PRAGMA " + " + ".join(FULL), lambda: pragmas(path, passphrase, FULL))
    report: dict[str, Any] = {}
    timed("fpdesk check (full)", lambda: report.update(command(path, passphrase)))
    parts = {name: part["seconds"] for name, part in report["parts"].items()}
    print("  parts: " + ", ".join(f"{name} {took:.2f} s" for name, took in parts.items()))
    print(
        f"full check's file and links / the three PRAGMAs alone: "
        f"{(parts['file'] + parts['links']) / alone:.2f} (goal 1.5); "
        f"the rules over {sum(report['rows_checked'].values())} records apart: "
        f"{parts['records']:.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "demo-300000-s1.fpdesk")
    parser.add_argument("--passphrase", default="bench-口令")
    parser.add_argument("--no-full", action="store_true", help="only check --quick")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / args.db.name
        shutil.copy2(args.db, path)
        print(f"{args.db.name}: {path.stat().st_size / 2**20:.0f} MiB")

        def opened(verify: Any) -> None:
            db.open_register(path, args.passphrase, verify=verify).close()

        timed("open, no check", lambda: opened(False))
        timed("open, first of the day (checked)", lambda: opened(db.DAILY))
        timed("open, later that day", lambda: opened(db.DAILY))
        register = db.open_register(path, args.passphrase)
        try:
            for pragma in QUICK:
                timed(
                    f"PRAGMA {pragma}",
                    lambda p=pragma: register.conn.execute(f"PRAGMA {p}").fetchall(),
                )
        finally:
            register.close()
        side_by_side(path, args.passphrase, not args.no_full)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
