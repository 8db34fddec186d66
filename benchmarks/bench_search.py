"""Search as you type on a large register, beside a raw FTS5 query reading the same rows.

Builds (once) a demo register with `fpdesk.demo` into benchmarks/out/ (the same
file bench_due.py uses), then replays what officers type, one query per key stroke,
for persons drawn at random: the name character by character (张, 张三), characters
inside it (the given name: 三, 三丰), the pinyin initials (z, zs), the full pinyin (zh,
zha, ... zhangsan), the last digits of the ID number (2, 02, 002, 002X), the whole ID
number and its first 7-10 digits, and the household code as typed.  Each query is timed through
`store.search.search` (what the search box calls) and as one bare MATCH over the same
index that reads the same columns of the same number of rows (a run of characters
inside a name kept only where they stand together, as search() keeps it), in the same
run, alternately; the script prints median and p95 of CPU and wall time for both and
their ratio per kind, and the load average.  The bare MATCH of a long ID number's or
code's start (id_start, household: search() reads B-trees there) merges a one-row list
per number, seconds at 3,000,000 persons: it is timed for the first --slow-raw of them.

    .venv/bin/python benchmarks/bench_search.py [--persons 300000] [--people 200]
        [--rebuild]   also time a full rebuild of the index (wall and CPU seconds)
        [--db PATH]   use this register instead of the one in benchmarks/out/
        [--passphrase P]  its passphrase
        [--slow-raw N]  raw MATCHes timed for id_start and household (40)

Measured 2026-12-05 on the shared 2-core machine (load average 4-5), CPU ms
median / p95 of search(), ratio of CPU medians to the raw MATCH on the same keystrokes:

    kind          300,000 persons           3,000,000 persons
    name          0.84 / 1.94   1.02        2.03 / 9.30   0.88
    name_part     0.66 / 2.69   1.13        0.97 / 3.35   1.15
    initials      0.59 / 1.49   1.24        0.90 / 1.89   1.46
    pinyin        0.37 / 1.06   1.08        0.48 / 2.39   1.07
    id_tail       0.43 / 1.41   1.08        0.63 / 2.68   0.72
    id_whole      0.18 / 1.62   1.20        0.39 / 3.68   1.11
    id_start      0.50 / 1.09   0.01        0.64 / 1.36   0.01
    household     0.60 / 1.75   0.93        0.78 / 2.17   0.98
    all           0.45 / 1.59   1.09        0.63 / 3.17   1.06

Wall p95 was 1.7-6.4 ms at 300,000 and 4.7-15.7 ms at 3,000,000 persons, close to
the raw MATCH's for the same kinds: mostly the neighbours' work.  At 3,000,000 a whole
name typed (name: 黄志春) asked for the rows holding its characters together when
the name and its start leave room; FTS5 walked the lists of all three characters
(detail = 'none': no positions), 5-13 ms for common ones, the raw MATCH the same.

Since then (schema step 0014) a run inside a name is asked for by its pairs of
neighbouring characters (b黄志 and b志春), short lists.  Same machine, same keystrokes,
before -> after, CPU ms median / p95 (ratio to the raw MATCH after, which asks for the
same pairs):

    kind        300,000 persons                    1,000,000 persons
    name        0.81 / 1.83 -> 0.48 / 1.83  1.16   1.61 / 4.41 -> 0.62 / 2.13  1.16
    name_part   0.63 / 2.65 -> 0.50 / 1.73  1.07   0.81 / 3.07 -> 0.55 / 1.89  1.19
    all         0.43 / 1.54 -> 0.43 / 1.55  1.10   0.53 / 2.06 -> 0.50 / 1.76  1.10

(load average 1.5-4.2; the other kinds within noise.  Measured again with the marked
names' second part of the query, on a demo built anew: name 0.46 / 1.79, name_part
0.51 / 1.74 at 300,000.)  The whole name's median no
longer doubles from 300,000 to 1,000,000 persons.  The 3,000,000 demo built anew with
the pairs (444.5 s wall at load 3, 755 MB peak) and measured the same evening (load 3.2),
CPU ms median / p95, ratio of CPU medians (wall p95 and wall ratio beside):

    name        0.89 / 2.68   1.08   (wall p95 4.25, 1.05)
    name_part   0.62 / 2.10   1.09   (2.46, 1.06)
    initials    0.83 / 1.76   1.43   (2.01, 1.67: the raw takes the lowest row ids of
                                      all the keys together, fewer pages)
    pinyin      0.47 / 2.10   1.07   (2.45, 1.08)
    id_tail     0.56 / 2.41   0.65   (2.61, 0.73)
    id_whole    0.38 / 3.53   1.11   (4.01, 1.13)
    id_start    0.63 / 1.27   0.00   (1.70; the raw merges one-row lists: 2.4 s p95)
    household   0.68 / 1.74   1.46   (2.49, 1.03)
    all         0.59 / 2.43   1.07   (2.90, 1.07)

The pairs make the index 7 % larger (FTS5's data 42.0 -> 45.0 MiB, the file
590.7 -> 594.1 MiB at 300,000 persons, built anew); the step re-indexes an existing
register in 22.6 s at 300,000 and 83 s at 1,000,000 persons (wall, the copy made
before migrating included).
Before these changes (same machine, 300,000): ratios 1.52 (name_part), 1.62
(initials), 1.76 (id_whole); a bound LIMIT made SQLite prepare each keystroke's
statement again (150 us of 300-500).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.core import pinyin
from fpdesk.store import search
from fpdesk.store.db import Register, open_register

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"
LIMIT = 50  # what the main window asks for
# Kinds whose long starts search() reads from B-trees, where the bare MATCH is slow.
SLOW_RAW = ("id_start", "household")


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


def keystrokes(name: str, id_number: str | None, code: str | None) -> dict[str, list[str]]:
    """What an officer types to find this person, one entry per key stroke."""
    keys = pinyin.name_keys(name)
    given = name[1:]
    typed = {
        "name": [name[: i + 1] for i in range(len(name))],
        "name_part": [given[: i + 1] for i in range(len(given))],
        "initials": [keys.initials[: i + 1] for i in range(len(keys.initials))],
        "pinyin": [keys.full[: i + 1] for i in range(len(keys.full))],
    }
    if id_number:
        tail = id_number[-6:]
        typed["id_tail"] = [tail[-i:] for i in range(1, len(tail) + 1)]
        typed["id_whole"] = [id_number[:i] for i in (6, 12, 15, 17, 18)]
        # The first digits past the index's prefixes: area, century, decade, year.
        typed["id_start"] = [id_number[:i] for i in (7, 8, 9, 10)]
    if code:
        typed["household"] = [code[:i] for i in (9, 12, 14, 16, 18)]
    return typed


# What search() reads of each hit, read here by the bare query: a person's card and
# household, a household and its head.
_SHOWN = (
    "c.person_id, c.household_id, c.name, c.sex, c.birth_date, c.id_number, c.status, "
    "h.code, h.group_no, h.address, h.village_code, x.code, x.group_no, x.address, "
    "x.village_code, head.name, head.sex, head.birth_date, head.id_number"
)


def raw_fts(register: Register, text: str) -> list[tuple[object, ...]]:
    """The baseline: one bare MATCH for every key search() tries, same index, same limit,
    reading the same columns of the rows it finds.  Characters inside a name must stand
    together, as in search(): the rows whose name holds them apart are not the rows
    search() reads, and a name that holds them together is read from the card.

    What search() adds on top: the ranking (each kind's best rows, the best of them
    kept), the runs of characters inside a name among the first 16, and the Hit of
    each row.
    """
    steps = search.plan(text)
    if not steps:
        return []
    either = " OR ".join(f"({expression})" for _, expression in steps)
    run = "".join(search.run_of(e) for kind, e in steps if kind == "name_part")
    together = " AND instr(c.name, ?) > 0" if len(run) > 1 else ""
    return register.conn.execute(
        f"SELECT m.rowid, {_SHOWN} FROM {search.INDEX} m "
        f"LEFT JOIN {search.CARD} c ON c.rowid = m.rowid "
        "LEFT JOIN household h ON h.id = c.household_id "
        "LEFT JOIN household x ON c.rowid IS NULL AND x.rowid = m.rowid "
        "LEFT JOIN person head ON x.rowid IS NOT NULL AND head.id = x.head_id "
        # The limit as a number, as search() writes it: a bound LIMIT makes SQLite
        # prepare the statement again at each run.
        f"WHERE {search.INDEX} MATCH ?{together} LIMIT {LIMIT}",
        (either, run) if together else (either,),
    ).fetchall()


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(into: tuple[list[float], list[float]], fn: Callable[[], Any]) -> None:
    """Wall-clock and CPU ms of fn (CPU is steadier on a busy shared machine)."""
    started = time.process_time()
    into[0].append(timed(fn))
    into[1].append((time.process_time() - started) * 1000)


def _every(
    by_kind: dict[str, tuple[list[float], list[float]]],
) -> tuple[list[float], list[float]]:
    return [v for w, _ in by_kind.values() for v in w], [v for _, c in by_kind.values() for v in c]


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} /{p95(values):6.2f}"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=200, help="persons whose names are typed")
    parser.add_argument("--rebuild", action="store_true", help="also time a full rebuild")
    parser.add_argument("--db", type=Path, help="an existing register (default: build one)")
    parser.add_argument("--passphrase", default=PASSPHRASE)
    parser.add_argument(
        "--slow-raw", type=int, default=40, help="raw MATCHes timed for id_start and household"
    )
    args = parser.parse_args()

    path = args.db or build(args.persons, args.seed)
    register = open_register(path, args.passphrase)
    started = time.perf_counter()
    if search.make_current(register):
        took = time.perf_counter() - started
        print(f"index left by an older development version: remade in {took:.1f} s")
    count = register.conn.execute("SELECT count(*) FROM person WHERE deleted = 0").fetchone()[0]
    print(f"register: {count} persons")
    if args.rebuild:
        cpu = time.process_time()
        wall = timed(lambda: search.rebuild(register)) / 1000
        print(f"rebuild of the index: wall {wall:.1f} s  cpu {time.process_time() - cpu:.1f} s")

    rng = random.Random(args.seed)
    # Row ids, not the persons: three million rows read into Python would take
    # gigabytes.  Same sample as drawing from the persons themselves.
    rowids = [
        r
        for (r,) in register.conn.execute(
            "SELECT rowid FROM person WHERE deleted = 0 ORDER BY rowid"
        )
    ]
    chosen = [
        register.conn.execute(
            "SELECT p.name, p.id_number, h.code FROM person p "
            "LEFT JOIN household h ON h.id = p.household_id WHERE p.rowid = ?",
            (rowid,),
        ).fetchone()
        for rowid in rng.sample(rowids, min(args.people, len(rowids)))
    ]
    # A big list held here would make each full garbage collection a long pause in
    # the middle of some query: measure the search, not this script's leftovers.
    del rowids
    gc.collect()
    gc.freeze()
    stream = [
        (kind, text)
        for name, id_number, code in chosen
        for kind, texts in keystrokes(name, id_number, code).items()
        for text in texts
    ]
    for _, text in stream[:200]:  # warm the page cache, as a session in use would be
        search.search(register, text, limit=LIMIT)
        raw_fts(register, text)

    # Per kind: wall-clock and CPU ms of search(), of the raw MATCH, and of search() on
    # the keystrokes whose raw MATCH was timed (all but for SLOW_RAW's kinds).
    ours: dict[str, tuple[list[float], list[float]]] = {}
    bare: dict[str, tuple[list[float], list[float]]] = {}
    paired: dict[str, tuple[list[float], list[float]]] = {}
    hits: list[int] = []
    for number, (kind, text) in enumerate(stream):
        # The bare MATCH of a long start merges a one-row list per number or code (0.1 s
        # at 300,000 persons, 2.4 s at 3,000,000): timed for a sample of those only.
        raw = kind not in SLOW_RAW or len(bare.get(kind, ((),))[0]) < args.slow_raw
        # Each first half the time: the second of the two finds the pages just read.
        if raw and number % 2:
            measure(bare.setdefault(kind, ([], [])), lambda t=text: raw_fts(register, t))
        times = ours.setdefault(kind, ([], []))
        measure(times, lambda t=text: hits.append(len(search.search(register, t, limit=LIMIT))))
        if raw:
            paired.setdefault(kind, ([], []))[0].append(times[0][-1])
            paired[kind][1].append(times[1][-1])
        if raw and not number % 2:
            measure(bare.setdefault(kind, ([], [])), lambda t=text: raw_fts(register, t))
    register.close()

    print(f"{len(stream)} queries as typed, limit {LIMIT}, mean {statistics.mean(hits):.1f} hits")
    print(
        "ms, median / p95; the ratio of medians (CPU, wall) on the same keystrokes; on a busy "
        "shared machine the CPU time is the steadier figure"
    )
    print(
        f"{'kind':10} {'n':>5} {'search() CPU':>15} {'raw CPU':>15} {'search() wall':>15}"
        f" {'raw wall':>15}  ratio CPU  wall"
    )
    for kind in [*ours, "all"]:
        (all_wall, all_cpu), (raw_wall, raw_cpu), (same_wall, same_cpu) = (
            (_every(ours), _every(bare), _every(paired))
            if kind == "all"
            else (ours[kind], bare[kind], paired[kind])
        )
        print(
            f"{kind:10} {len(all_wall):5} {_spread(all_cpu)} {_spread(raw_cpu)} {_spread(all_wall)}"
            f" {_spread(raw_wall)}  "
            f"{statistics.median(same_cpu) / statistics.median(raw_cpu):9.2f}"
            f" {statistics.median(same_wall) / statistics.median(raw_wall):5.2f}"
            + (f"  (raw: {len(raw_wall)} of them)" if len(raw_wall) < len(all_wall) else "")
        )
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
