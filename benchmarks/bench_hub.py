"""What the embedded hub costs: the server's first start (initdb), a later start, and
the hub commands as a user runs them.

In a temporary data folder (XDG_DATA_HOME), never the user's own: `fpdesk hub init`
the first time (makes the server's folder and the hub's tables), again (starts the
server, finds the tables up to date), `fpdesk hub status`; then the tests' fixture
work alone (hub.server.start on a new folder) and reading the register's columns.
Prints wall seconds and the load average.

    .venv/bin/python benchmarks/bench_hub.py
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

from fpdesk.hub import schema, server


def timed(label: str, work: Callable[[], Any]) -> float:
    started = time.monotonic()
    work()
    wall = time.monotonic() - started
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{label:<48} {wall:6.2f} s   (load {load:.1f})")
    return wall


def fpdesk(env: dict[str, str], *argv: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "fpdesk", *argv], env=env, check=True, stdout=subprocess.DEVNULL
    )


def main() -> int:
    folder = Path(tempfile.mkdtemp(prefix="fpdesk-bench-hub-"))
    try:
        env = {**os.environ, "XDG_DATA_HOME": str(folder / "data")}
        timed("fpdesk hub init (first: initdb, tables)", lambda: fpdesk(env, "hub", "init"))
        timed("fpdesk hub init (again: up to date)", lambda: fpdesk(env, "hub", "init"))
        timed("fpdesk hub status", lambda: fpdesk(env, "hub", "status"))
        handle: list[Any] = []
        timed(
            "server.start on a new folder (the fixture)",
            lambda: handle.append(server.start(folder / "fixture" / "pgdata")),
        )
        timed("server stop", lambda: handle[0].cleanup())
        timed("schema.register_columns (register steps in memory)", schema.register_columns)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
