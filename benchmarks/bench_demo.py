"""Building the synthetic district: time, rows per table, size on disk.

Builds a fresh demo register (a new file in benchmarks/out/, removed first if a previous
run left one) and prints the wall-clock and CPU seconds, when the people were loaded
(the rest is index building, the search index, commit), the rows per table, the file
size and the size per 100,000 persons.  CPU seconds are this process's and, apart, those
of the second process that makes the rows of a large district (demo.SECOND_PROCESS_FROM).
The machine's load average is printed too: on a shared machine the wall-clock time says
as much about the neighbours as about us.  Memory: the peak of this process's and the
second process's resident sizes summed (sampled from /proc every 0.2 s, Linux only),
and each one's own peak (getrusage).

    .venv/bin/python benchmarks/bench_demo.py [--persons 300000] [--seed 1] [--keep]
        [--one-process]   make the rows in this process whatever the size

Measured (seed 1, under /usr/bin/time -v, on a 2-core machine shared with others):
1,000,000 persons in 387.9 s wall at a load average of 7.6 (the two processes got 45%
of a core between them), 89.1 s CPU here and 87.6 s in the second process, peak
memory 861 MB summed (438 MB and 423 MB), 2,053 MB on disk; the round before, 173.6 s
CPU and 842 MB.  The wall clock follows the neighbours: the CPU seconds are the number
to compare.  Where the CPU goes, at 100,000 persons on a quiet machine: the second
process makes the rows in 3.4 s (Python: some 165 calls a person, many small draws,
none above a few per cent), builds the search index in 2.5 s (SQLite), pickles the
rows in 0.4 s; this process unpickles them in 0.2 s and spends the rest in SQLite
(the inserts some 5 s, the indexes 2.5 s, the cards and the foreign-key check 0.7 s).
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

from fpdesk import demo

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _children_cpu() -> float:
    """CPU seconds of this process's ended children (not known on Windows: 0)."""
    try:
        import resource
    except ImportError:
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _resident(pid: int) -> int:
    """Resident bytes of a process and its children (0 where /proc is not there)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            rss = next(
                (int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS:")), 0
            )
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as children:
            return rss + sum(_resident(int(child)) for child in children.read().split())
    except OSError:
        return 0


class _PeakMemory(threading.Thread):
    """The largest summed resident size seen while the demo is built."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.2):
            self.peak = max(self.peak, _resident(os.getpid()))


def _own_peaks() -> tuple[float, float]:
    """Peak resident MB of this process and of its largest ended child (0 on Windows)."""
    try:
        import resource
    except ImportError:
        return 0.0, 0.0
    kib = 1024 / 1e6
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * kib,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * kib,
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the register afterwards")
    parser.add_argument("--one-process", action="store_true", help="no second process")
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench-demo-{args.persons}-s{args.seed}.fpdesk"
    _remove(path)
    loaded: list[float] = []
    memory = _PeakMemory()
    memory.start()
    started, cpu = time.perf_counter(), time.process_time()

    def progress(done: int, total: int) -> None:
        if done == total:
            loaded.append(time.perf_counter() - started)

    children = _children_cpu()
    counts = demo.build_demo(
        path,
        PASSPHRASE,
        persons=args.persons,
        seed=args.seed,
        progress=progress,
        second_process=False if args.one_process else None,
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    child_cpu = _children_cpu() - children
    memory.stopped.set()
    memory.join()
    own, child = _own_peaks()
    size_mb = path.stat().st_size / 1e6

    print(f"persons: {args.persons:,}  seed: {args.seed}")
    print(
        f"wall: {seconds:.1f} s  cpu: {cpu_seconds:.1f} s (+ {child_cpu:.1f} s second process)  "
        f"people loaded at: {loaded[-1] if loaded else float('nan'):.1f} s  "
        f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(
        f"peak memory: {memory.peak / 1e6:.0f} MB summed over both processes "
        f"(this one {own:.0f} MB at its peak, the second {child:.0f} MB)"
    )
    for table, count in counts.items():
        print(f"  {table:<14}{count:>12,}")
    print(f"  {'all rows':<14}{sum(counts.values()):>12,}")
    print(f"file: {size_mb:.1f} MB  per 100,000 persons: {size_mb * 100_000 / args.persons:.1f} MB")
    if not args.keep:
        _remove(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
