"""Time to the window on the first start of the day at district size, and on later starts.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_startup.py [--db PATH] [--runs 2]

Copies --db (default: the 300,000-person demo in benchmarks/out/, built by
bench_search.py) into benchmarks/out/startup/ with no backups beside it, then starts the
window in a fresh process the way the program does (gui.app.Session after the unlock
dialog, its passphrase typed and Enter pressed), alternately as the first start of the
day (the day's check not yet run: its mark taken out of local_state) and as a later
one.  Each start prints, in seconds from the moment Enter is pressed:
- window: the main window shown with its first rows of households painted;
- writable: the day's integrity check done on its worker (the register then writable);
- backup: today's automatic backup done (made on the first start, looked for later);
- closed: from the close to the window gone (the exit backup: none when nothing changed);
and the process's CPU seconds.  Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def child(path: Path) -> None:
    """One start, in a fresh process: prints window, writable, backup, closed, cpu."""
    from PySide6.QtWidgets import QApplication

    from fpdesk.gui import app as gui_app
    from fpdesk.gui.settings import Settings
    from fpdesk.gui.startup import Startup, UnlockDialog

    app = gui_app.application()
    gui_app.set_language(app, "zh")
    prefs = Settings(path.with_suffix(".ini"))
    session = gui_app.Session(app, prefs)
    startup = Startup(prefs, db=path)
    startup.opened.connect(session.show)
    startup.begin()
    unlock = startup.dialog
    assert isinstance(unlock, UnlockDialog)
    unlock.passphrase.setText(PASSPHRASE)
    pressed = time.perf_counter()
    unlock.try_unlock()  # what Enter does
    window = session.window
    assert window is not None
    window.household_view.viewport().grab()  # paint the first rows
    QApplication.processEvents()
    shown = time.perf_counter() - pressed
    check = session.check
    while check is not None and check.running:
        app.processEvents()
        time.sleep(0.005)
    writable = time.perf_counter() - pressed
    while window.backups is None or window.backups.task is not None:
        app.processEvents()
        time.sleep(0.005)
    backed_up = time.perf_counter() - pressed
    closing = time.perf_counter()
    window.close()
    while window.isVisible():
        app.processEvents()
        time.sleep(0.005)
    closed = time.perf_counter() - closing
    window.register.close()
    times = os.times()
    print(
        f"{shown:.3f} {writable:.3f} {backed_up:.3f} {closed:.3f} {times.user + times.system:.2f}"
    )


def forget_the_check(path: Path) -> None:
    """As on a new day: the mark of today's check taken out."""
    from fpdesk.store.db import CHECKED_ON, open_register

    register = open_register(path, PASSPHRASE)
    try:
        with register.transaction() as conn:
            conn.execute("DELETE FROM local_state WHERE key = ?", (CHECKED_ON,))
    finally:
        register.close()


def start(path: Path) -> list[float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        encoding="utf-8",
    )
    return [float(x) for x in done.stdout.split()[-5:]]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "demo-300000-s1.fpdesk")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    folder = OUT / "startup"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / args.db.name
    shutil.copy2(args.db, path)
    print(f"{args.db.name}: {path.stat().st_size / 2**20:.0f} MiB")
    first: list[list[float]] = []
    later: list[list[float]] = []
    for run in range(args.runs):
        forget_the_check(path)
        shutil.rmtree(path.with_name(path.name + ".backups"), ignore_errors=True)
        for label, kept in (("first start of the day", first), ("later start", later)):
            numbers = start(path)
            kept.append(numbers)
            window, writable, backed_up, closed, cpu = numbers
            print(
                f"run {run + 1} {label:<24} window {window:6.2f} s  writable {writable:6.2f} s  "
                f"backup {backed_up:6.2f} s  close {closed:5.2f} s  cpu {cpu:6.2f} s  "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
    for label, kept in (("first start of the day", first), ("later start", later)):
        print(
            f"{label}: window median {statistics.median(k[0] for k in kept):.2f} s, "
            f"writable {statistics.median(k[1] for k in kept):.2f} s"
        )
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
