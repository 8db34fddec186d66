"""The officer's window on a large register: start, search, scrolling, memory.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui.py [--persons 300000] [--db PATH]

Builds the demo register once (kept at --db for the next run), then measures:
- cold start: a fresh Python process, from launch to a shown, usable main window
  (imports, key derivation, opening, first page of households painted);
- search box: typing pauses -> results in the list (store.search + the result model);
- household list: reading one page (200 rows) at the top, middle and end, in code order
  and sorted by the head's name, and scrolling through the view page by page;
- memory: resident set size of the process after all that.
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
PASSPHRASE = "bench-口令"
QUERIES = ["zs", "zhang", "张", "王秀", "lxy", "002X", "1234", "莫", "wang", "chen j"]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ensure_register(path: Path, persons: int) -> None:
    if path.exists():
        return
    from fpdesk.demo import build_demo

    started = time.perf_counter()
    print(f"building a {persons:,}-person demo register at {path} ...", flush=True)
    build_demo(path, PASSPHRASE, persons=persons, seed=1)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)


def child_start(path: Path, launched: float) -> None:
    """Run in a fresh process: launch -> main window shown with its first rows painted."""
    from PySide6.QtWidgets import QApplication

    from fpdesk.gui import app as gui_app
    from fpdesk.gui.mainwindow import MainWindow
    from fpdesk.gui.settings import Settings
    from fpdesk.store.db import open_register

    app = gui_app.application()
    gui_app.set_language(app, "zh")
    register = open_register(path, PASSPHRASE)
    window = MainWindow(register, Settings(path.with_suffix(".ini")))
    window.resize(1366, 768)
    window.show()
    window.household_view.viewport().grab()  # paint the first rows
    QApplication.processEvents()
    usable = time.time() - launched
    # CPU time too: on a shared machine the wall clock counts other people's work.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"{usable:.3f} {usage.ru_utime + usage.ru_stime:.3f} {rss_mb():.0f}")
    register.close()


def measure_cold_start(path: Path, runs: int = 3) -> None:
    times, cpu, memories = [], [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--db", str(path), "--child-start", repr(time.time())],
            check=True,
            capture_output=True,
            encoding="utf-8",
        ).stdout.split()
        times.append(float(out[-3]))
        cpu.append(float(out[-2]))
        memories.append(float(out[-1]))
    print(
        f"cold start to a usable main window: median {statistics.median(times):.2f} s wall "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)}), {statistics.median(cpu):.2f} s CPU; "
        f"RSS then {max(memories):.0f} MB; load average {os.getloadavg()[0]:.1f}"
    )


def measure_in_process(path: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from fpdesk.gui import app as gui_app
    from fpdesk.gui.mainwindow import MainWindow
    from fpdesk.gui.models import HouseholdModel
    from fpdesk.gui.settings import Settings
    from fpdesk.store.db import open_register

    app = gui_app.application()
    gui_app.set_language(app, "zh")
    register = open_register(path, PASSPHRASE)
    persons = register.query("SELECT count(*) AS n FROM person")[0]["n"]
    households = register.query("SELECT count(*) AS n FROM household")[0]["n"]
    print(f"register: {persons:,} persons, {households:,} households")
    window = MainWindow(register, Settings(path.with_suffix(".ini")))
    window.resize(1366, 768)
    window.show()
    QApplication.processEvents()

    # Search box: what happens when the typing pause ends.
    took, cpu = [], []
    for _ in range(3):
        for text in QUERIES:
            window.search.setText(text)
            window.search_timer.stop()
            started, started_cpu = time.perf_counter(), time.process_time()
            window.run_search()
            window.results_view.viewport().grab()
            took.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
    took.sort()
    print(
        f"search box to results shown ({len(took)} searches): median "
        f"{statistics.median(took):.1f} ms, p95 {took[int(len(took) * 0.95) - 1]:.1f} ms, "
        f"max {took[-1]:.1f} ms wall; median {statistics.median(cpu):.1f} ms CPU"
    )
    window.search.clear()
    window.run_search()

    # Household list: one page read, at several depths: every household in code order,
    # and one village sorted by the head's name (long lists keep the code order).
    model = HouseholdModel(register)
    village = register.query("SELECT village_code FROM household LIMIT 1")[0]["village_code"]
    for label, area, column in (
        ("all households, code order", None, HouseholdModel.CODE),
        ("one village, by head", village, HouseholdModel.HEAD),
    ):
        started = time.perf_counter()
        model.set_area(area)
        model.sort(column, Qt.SortOrder.AscendingOrder)
        ready = (time.perf_counter() - started) * 1000
        cells = []
        for fraction in (0.0, 0.5, 0.999):
            row = int((model.rowCount() - 1) * fraction)
            started = time.perf_counter()
            for c in range(HouseholdModel.COLUMNS):
                model.index(row, c).data()
            cells.append(f"{fraction:.0%}: {(time.perf_counter() - started) * 1000:.1f} ms")
        print(
            f"household list, {label} ({model.rowCount():,} rows): ready in {ready:.0f} ms; "
            f"first read of a page ({model.PAGE_SIZE} rows) at " + ", ".join(cells)
        )

    # Scrolling the real view: page-down steps through the first 20,000 rows, then
    # jumps to the end; each step paints the viewport.
    view = window.household_view
    bar = view.verticalScrollBar()
    steps = []
    for value in [*range(0, min(bar.maximum(), 20_000), 40), bar.maximum()]:
        started = time.perf_counter()
        bar.setValue(value)
        view.viewport().grab()
        steps.append((time.perf_counter() - started) * 1000)
    steps.sort()
    print(
        f"scrolling the household list ({len(steps)} screens painted): median "
        f"{statistics.median(steps):.1f} ms, p95 {steps[int(len(steps) * 0.95) - 1]:.1f} ms, "
        f"worst {steps[-1]:.1f} ms per screen; pages read {window.households.page_reads}"
    )

    # The work list of the first village.
    started = time.perf_counter()
    window.show_worklist.trigger()
    QApplication.processEvents()
    print(
        f"work list of one village ({window.worklist.model.rowCount()} lines): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    print(f"resident memory after all that: {rss_mb():.0f} MB")
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    register.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--child-start", type=float)
    parser.add_argument("--child-measure", action="store_true")
    args = parser.parse_args()
    path = args.db or Path(f"/tmp/fpdesk-bench-gui-{args.persons}.fpdesk")
    if args.child_start is not None:
        child_start(path, args.child_start)
        return 0
    if args.child_measure:
        measure_in_process(path)
        return 0
    ensure_register(path, args.persons)
    measure_cold_start(path)
    # A fresh process, so the memory figure is the window's, not the demo builder's.
    subprocess.run([sys.executable, __file__, "--db", str(path), "--child-measure"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
