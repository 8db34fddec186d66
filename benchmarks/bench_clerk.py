"""The clerk's month end at scale: twenty village bundles into a large township register.

Drives the real import page offscreen: from the Import button to the last row of the
result table.  Prints
- the time to open the clerk's workspace on the large register (board, queues);
- the import of twenty bundles of N changes each (default 1,000), button to last row,
  with the time of each row as it appeared;
- how responsive the window stayed: the longest pause of a 20 ms timer on the GUI
  thread while the import ran;
- the same twenty files imported by the engine alone first (dry run, rolled back), for
  comparison (it also warms the page cache for the run that follows).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_clerk.py \
        [--persons 300000] [--changes 1000] [--villages 20]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sync import (  # the engine benchmark's helpers
    OUT,
    PASSPHRASE,
    big_township,
    enroll,
    fresh,
    prepare_township,
    village_work,
)
from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

from fpdesk.core.clock import SystemClock
from fpdesk.gui.app import application
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.gui.settings import Settings
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles


def private_copy(source: Path, target: Path) -> Path:
    """A copy of our own (bench_sync.py reuses its copy's name), write-ahead log included:
    the shared demo file may have committed pages still in its log."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    for suffix in ("", "-wal"):
        if Path(str(source) + suffix).exists():
            shutil.copy2(str(source) + suffix, str(target) + suffix)
    return target


def make_bundles(township: Register, work: Path, villages: int, changes: int) -> Path:
    """`villages` enrolled laptops, each with one bundle of `changes` changes."""
    folder = work / "usb"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    for n in range(villages):
        code = township.area_code[:9] + f"{399 - n:03d}"
        village = fresh(work / f"village-{code}.fpdesk", "village", code)
        village.set_actor(f"村干部{n}")
        enroll(township, village, work)
        village_work(village, changes)
        bundles.export(village, folder)
        village.close()
    print(f"made {villages} bundles of {changes} changes in {time.perf_counter() - started:.1f} s")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--villages", type=int, default=20)
    parser.add_argument("--skip-engine", action="store_true", help="no engine-only dry run")
    args = parser.parse_args()
    work = OUT / "clerk"
    work.mkdir(parents=True, exist_ok=True)
    app = application()
    os.environ["XDG_CONFIG_HOME"] = str(work / "config")

    source = OUT / f"demo-{args.persons}-s1.fpdesk"
    if not source.exists():
        big_township(args.persons)  # builds the shared demo register once
    path = private_copy(source, work / "township.fpdesk")
    township = open_register(path, PASSPHRASE)
    township.set_actor("文员")
    prepare_township(township)
    folder = make_bundles(township, work, args.villages, args.changes)
    persons = township.query("SELECT count(*) n FROM person")[0]["n"]

    if not args.skip_engine:
        started = time.perf_counter()
        dry = bundles.import_files(township, [folder], dry_run=True)
        engine = time.perf_counter() - started
        print(f"engine alone, the same {len(dry)} files as a dry run (rolled back): {engine:.2f} s")

    def opener() -> Register:
        reg = open_register(path, PASSPHRASE)
        reg.set_actor("文员")
        return reg

    started = time.perf_counter()
    view = ClerkWorkspace(township, Settings(), SystemClock(), opener=opener)
    view.resize(1366, 768)
    view.show()
    app.processEvents()
    print(
        f"clerk workspace opened on a {persons}-person township: "
        f"{time.perf_counter() - started:.2f} s"
    )

    page = view.importing
    page.set_folder(folder)
    gaps: list[float] = []
    ticker = QElapsedTimer()
    timer = QTimer()
    timer.setInterval(20)

    def tick() -> None:
        gaps.append(ticker.restart() / 1000)

    timer.timeout.connect(tick)
    rows_at: list[float] = []
    clock = QElapsedTimer()
    page.model.rowsInserted.connect(
        lambda *_: rows_at.extend([clock.elapsed() / 1000] * (page.model.rowCount() - len(rows_at)))
    )
    loop = QEventLoop()
    ticker.start()
    timer.start()
    clock.start()
    task = page.start()  # what the Import button does
    assert task is not None
    task.done.connect(lambda _outcome: loop.quit())
    loop.exec()
    refreshed = clock.elapsed() / 1000
    timer.stop()
    total = rows_at[-1] if rows_at else float("nan")
    outcomes = [r["outcome"] for r in page.model.rows()]
    print(
        f"import of {len(outcomes)} bundles x {args.changes} changes, button to last row: "
        f"{total:.2f} s ({sum(args.changes for _ in outcomes) / total:.0f} changes/s); "
        f"outcomes: {', '.join(f'{o} {outcomes.count(o)}' for o in sorted(set(outcomes)))}"
    )
    print(
        f"import over and the board and queues read again: {refreshed:.2f} s "
        f"({view.duplicates.model.rowCount()} possible duplicates listed: every village of "
        "this benchmark enters the same invented names)"
    )
    print("rows appeared at (s): " + ", ".join(f"{t:.2f}" for t in rows_at))
    print(
        f"GUI thread responsive: longest pause of a 20 ms timer {max(gaps):.3f} s "
        f"over {len(gaps)} ticks"
    )

    view.close()
    township.close()


if __name__ == "__main__":
    main()
