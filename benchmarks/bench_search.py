"""Search as you type on a large register, beside a raw FTS5 query over the same index.

Builds (once) a demo register with `fpdesk.store.demo` into benchmarks/out/ (the same
file bench_due.py uses), then replays what officers type, one query per key stroke,
for persons drawn at random: the name character by character (张, 张三), the pinyin
initials (z, zs), the full pinyin (zh, zha, ... zhangsan) and the last digits of the
ID number (2, 02, 002, 002X).  Each query is timed through `store.search.search`
(what the search box calls) and as a bare `MATCH ... LIMIT k` over the same index, in
the same run; the script prints median and p95 for both and their ratio.

    .venv/bin/python benchmarks/bench_search.py [--persons 300000] [--people 200]
        [--rebuild]   also time a full rebuild of the index (wall and CPU seconds)
        [--db PATH]   use this register instead of the one in benchmarks/out/
"""

from __future__ import annotations

import argparse
import gc
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


def build(persons: int, seed: int) -> Path:
    try:
        from fpdesk.store import demo
    except ImportError:
        sys.exit("fpdesk.store.demo is not available: no large register can be built")
    path = OUT / f"demo-{persons}-s{seed}.fpdesk"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        demo.build_demo(path, PASSPHRASE, persons=persons, seed=seed)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def keystrokes(name: str, id_number: str | None) -> dict[str, list[str]]:
    """What an officer types to find this person, one entry per key stroke."""
    keys = pinyin.name_keys(name)
    typed = {
        "name": [name[: i + 1] for i in range(len(name))],
        "initials": [keys.initials[: i + 1] for i in range(len(keys.initials))],
        "pinyin": [keys.full[: i + 1] for i in range(len(keys.full))],
    }
    if id_number:
        tail = id_number[-6:]
        typed["id_tail"] = [tail[-i:] for i in range(1, len(tail) + 1)]
    return typed


def raw_fts(register: Register, text: str) -> list[int]:
    """The baseline: one bare MATCH for every key search() tries, same index, same limit.

    What search() adds on top: one query per kind (for the ranking), and reading the
    hits' persons and households for the result list.
    """
    steps = search.plan(text)
    if not steps:
        return []
    either = " OR ".join(f"({expression})" for _, expression in steps)
    rows = register.conn.execute(
        f"SELECT rowid FROM {search.INDEX} WHERE {search.INDEX} MATCH ? LIMIT ?",
        (either, LIMIT),
    )
    return [r[0] for r in rows]


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def timed_cpu(fn: Callable[[], Any], cpu: list[float]) -> float:
    """Wall-clock ms of fn; its CPU ms go to cpu (steadier on a busy shared machine)."""
    started = time.process_time()
    wall = timed(fn)
    cpu.append((time.process_time() - started) * 1000)
    return wall


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--people", type=int, default=200, help="persons whose names are typed")
    parser.add_argument("--rebuild", action="store_true", help="also time a full rebuild")
    parser.add_argument("--db", type=Path, help="an existing register (default: build one)")
    args = parser.parse_args()

    path = args.db or build(args.persons, args.seed)
    register = open_register(path, PASSPHRASE)
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
    people = register.query("SELECT name, id_number FROM person WHERE deleted = 0 ORDER BY rowid")
    chosen = rng.sample(people, min(args.people, len(people)))
    # 300,000 dicts held here would make each full garbage collection a 50 ms pause
    # in the middle of some query: measure the search, not this script's leftovers.
    del people
    gc.collect()
    gc.freeze()
    stream = [
        (kind, text)
        for person in chosen
        for kind, texts in keystrokes(person["name"], person["id_number"]).items()
        for text in texts
    ]
    for _, text in stream[:200]:  # warm the page cache, as a session in use would be
        search.search(register, text, limit=LIMIT)

    ours: dict[str, list[float]] = {}
    bare: dict[str, list[float]] = {}
    cpu: list[float] = []
    hits: list[int] = []
    for kind, text in stream:
        ours.setdefault(kind, []).append(
            timed_cpu(lambda t=text: hits.append(len(search.search(register, t, limit=LIMIT))), cpu)
        )
        bare.setdefault(kind, []).append(timed(lambda t=text: raw_fts(register, t)))
    register.close()

    print(f"{len(stream)} queries as typed, limit {LIMIT}, mean {statistics.mean(hits):.1f} hits")
    print(
        f"{'kind':10} {'n':>5}  {'search() median / p95 ms':>26}  {'raw FTS5 median / p95 ms':>26}"
    )
    for kind in [*ours, "all"]:
        a = [v for vs in ours.values() for v in vs] if kind == "all" else ours[kind]
        b = [v for vs in bare.values() for v in vs] if kind == "all" else bare[kind]
        print(
            f"{kind:10} {len(a):5}  {statistics.median(a):12.2f} / {p95(a):9.2f}"
            f"  {statistics.median(b):12.2f} / {p95(b):9.2f}"
            f"   ratio of medians {statistics.median(a) / statistics.median(b):.1f}"
        )
    print(f"search() CPU time: median {statistics.median(cpu):.2f} ms  p95 {p95(cpu):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
