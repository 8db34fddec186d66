"""What the command line's integrity check costs on a large register.

Copies --db (default: the 300,000-person demo in benchmarks/out/) into a temporary
folder, since the check records its day in the register, then times opening it the way
every command does (open_register(verify=DAILY)): the first opening of the day runs
PRAGMA quick_check and SQLCipher's cipher_integrity_check, a later one does not.  Also
times the two checks alone.  Prints wall and CPU seconds and the load average.

    .venv/bin/python benchmarks/bench_integrity.py [--db PATH] [--passphrase P]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
from pathlib import Path

from fpdesk.store import db

OUT = Path(__file__).resolve().parent / "out"


def timed(label: str, work) -> None:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    print(
        f"{label:<34} wall {time.perf_counter() - wall:7.2f} s   "
        f"cpu {time.process_time() - cpu:7.2f} s   load {os.getloadavg()[0]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "demo-300000-s1.fpdesk")
    parser.add_argument("--passphrase", default="bench-口令")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / args.db.name
        shutil.copy2(args.db, path)
        print(f"{args.db.name}: {path.stat().st_size / 2**20:.0f} MiB")

        def opened(verify: bool | str) -> None:
            db.open_register(path, args.passphrase, verify=verify).close()  # type: ignore[arg-type]

        timed("open, no check", lambda: opened(False))
        timed("open, first of the day (checked)", lambda: opened(db.DAILY))
        timed("open, later that day", lambda: opened(db.DAILY))
        register = db.open_register(path, args.passphrase)
        try:
            for pragma in ("quick_check", "cipher_integrity_check"):
                timed(
                    f"PRAGMA {pragma}",
                    lambda p=pragma: register.conn.execute(f"PRAGMA {p}").fetchall(),
                )
        finally:
            register.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
