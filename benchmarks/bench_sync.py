"""Export and import of change bundles at scale.

Prints, for a village bundle of N changes (default 10,000: new households and persons,
then edits of them):
- export time (read the change log, pack, sign, encrypt, write);
- import time into a large township register (a copy of the demo register that
  bench_search.py and bench_due.py build, 300,000 persons by default) and into an
  empty township register, and their ratio;
- the same rows written by a bare executemany into the empty register, in the same
  run, and the import's time as a multiple of it.
Imports are timed as dry runs (the whole import, rolled back) for a median of three,
then for real once each (commit included).  pypinyin is loaded by the first dry run: the
first import in a window or a command pays about half a second more.  Every time is
wall-clock and CPU seconds (time.process_time) of this process; the load average is
printed at the start and the end, since wall-clock on a busy machine says little.

    .venv/bin/python benchmarks/bench_sync.py [--persons 300000] [--changes 10000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from fpdesk.core import area
from fpdesk.store import records, search
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register, create_register, open_register
from fpdesk.sync import bundles, enrollment, keys

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def big_township(persons: int, seed: int = 1) -> Path:
    """A private copy of the shared demo register (built once if missing)."""
    source = OUT / f"demo-{persons}-s{seed}.fpdesk"
    if not source.exists():
        try:
            from fpdesk import demo
        except ImportError:
            sys.exit("fpdesk.demo is not available: no large register can be built")
        OUT.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        demo.build_demo(source, PASSPHRASE, persons=persons, seed=seed)
        print(f"built {source.name} in {time.perf_counter() - started:.1f} s")
    target = OUT / f"sync-township-{persons}.fpdesk"
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copy2(source, target)
    # A demo register built by an older version keeps its older search index; the
    # import is measured against the index this program makes.
    with open_register(target, PASSPHRASE) as reg:
        started = time.perf_counter()
        if search.make_current(reg):
            print(f"search index of the copy remade in {time.perf_counter() - started:.1f} s")
    return target


def fresh(path: Path, role: str, code: str) -> Register:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    for old in path.parent.glob(path.name + ".*"):
        old.unlink()
    return create_register(path, PASSPHRASE, role=role, area_code=code)


def prepare_township(reg: Register) -> None:
    keys.ensure_keys(reg)
    if not keys.recovery_recipient(reg):
        recovery = reg.path.with_name(reg.path.name + ".recovery.txt")
        recovery.unlink(missing_ok=True)
        keys.create_recovery_identity(reg, recovery)


def enroll(township: Register, village: Register, work: Path) -> None:
    request, answer = work / "request.json", work / "answer.json"
    request.unlink(missing_ok=True)
    answer.unlink(missing_ok=True)
    enrollment.write_request(village, request)
    enrollment.accept(township, request, answer)
    enrollment.finish(village, answer)


def village_work(village: Register, changes: int) -> None:
    """About 70% inserts (households of three) and 30% edits of them."""
    inserts = changes * 7 // 10
    households = inserts // 4
    made: list[str] = []
    with village.transaction():
        for n in range(1, households + 1):
            code = area.household_code(village.area_code, 1 + n // 9999, 1 + n % 9999)
            hh = records.insert(
                village,
                "household",
                {"code": code, "group_no": "01", "village_code": village.area_code},
            )
            for k in range(3):
                made.append(
                    records.insert(
                        village,
                        "person",
                        {
                            "household_id": hh,
                            "name": f"测试{n}-{k}",
                            "sex": 1 + k % 2,
                            "birth_date": f"19{60 + n % 40}-0{1 + k}-1{k}",
                        },
                    )
                )
        done = households * 4
        for i in range(changes - done):
            records.update(village, "person", made[i % len(made)], {"phone": f"138{i:08d}"})


class Took:
    """Wall-clock and CPU seconds of one run."""

    def __init__(self, wall: float, cpu: float) -> None:
        self.wall, self.cpu = wall, cpu

    def __str__(self) -> str:
        return f"{self.wall:.3f} s (CPU {self.cpu:.3f})"


def timed(fn) -> Took:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return Took(time.perf_counter() - wall, time.process_time() - cpu)


def median(runs: list[Took]) -> Took:
    return Took(statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs))


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def raw_executemany(township: Register, village: Register) -> Took:
    """The same final rows, written by one executemany per table (the register's
    triggers firing), then rolled back."""
    tables = {t: village.query(f"SELECT * FROM {t}") for t in REPLICATED}

    def write() -> None:
        township.conn.execute("BEGIN IMMEDIATE")
        for table, rows in tables.items():
            if rows:
                names = list(rows[0])
                sql = (
                    f"INSERT INTO {table} ({', '.join(names)}) "
                    f"VALUES ({', '.join('?' for _ in names)})"
                )
                township.conn.executemany(sql, [tuple(r.values()) for r in rows])
        township.conn.execute("ROLLBACK")

    return timed(write)


def import_times(township: Register, path: Path) -> tuple[Took, Took]:
    """The dry runs first (after the real import the bundle is a duplicate), then the
    real one.  Each starts without the names' pinyin cached (search.name_keys), as a
    bundle of other names would."""

    def once(dry_run: bool) -> Took:
        search.name_keys.cache_clear()
        return timed(lambda: bundles.import_files(township, [path], dry_run=dry_run))

    dry = [once(True) for _ in range(3)]
    return once(False), median(dry)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--changes", type=int, default=10_000)
    args = parser.parse_args()
    print(load(), flush=True)
    work = OUT / "sync"
    work.mkdir(parents=True, exist_ok=True)

    big = open_register(big_township(args.persons), PASSPHRASE)
    code = big.area_code
    empty = fresh(work / "empty-township.fpdesk", "township", code)
    village = fresh(work / "village.fpdesk", "village", code[:9] + "399")
    for township in (big, empty):
        prepare_township(township)
        enroll(township, village, work)

    village_work(village, args.changes)
    print(
        f"village changes: {village.query('SELECT count(*) n FROM change_log')[0]['n']}", flush=True
    )
    shutil.rmtree(work / "bundles", ignore_errors=True)
    exports = [timed(lambda: bundles.export(village, work / "bundles")) for _ in range(3)]
    print(
        f"export of {args.changes} changes: median {median(exports)} "
        f"(runs {', '.join(f'{t.wall:.3f}' for t in exports)})",
        flush=True,
    )
    # One bundle per township: each is encrypted to its own recipient.
    made = {}
    for township in (big, empty):
        keys_row = keys.peer(village, township.device_id)
        assert keys_row is not None
        village.conn.execute("UPDATE sync_device SET revoked_at = NULL")
        village.conn.execute(
            "UPDATE sync_device SET revoked_at = 'bench' WHERE device_id <> ?",
            (township.device_id,),
        )
        [made[township.device_id]] = bundles.export(village, work / "bundles")
    raw = raw_executemany(empty, village)
    raw_big = raw_executemany(big, village)
    print(
        f"raw executemany: {raw} into the empty register, {raw_big} into the "
        f"large one ({raw_big.wall / raw.wall:.2f}x)",
        flush=True,
    )
    empty_real, empty_dry = import_times(empty, made[empty.device_id].path)
    print(f"import into an empty township: {empty_real} (dry-run median {empty_dry})", flush=True)
    big_real, big_dry = import_times(big, made[big.device_id].path)
    persons = big.query("SELECT count(*) n FROM person")[0]["n"]
    print(f"import into a {persons}-person township: {big_real} (dry-run median {big_dry})")
    print(
        f"large / empty: {big_real.wall / empty_real.wall:.2f}x "
        f"(CPU {big_real.cpu / empty_real.cpu:.2f}x; dry runs "
        f"{big_dry.wall / empty_dry.wall:.2f}x, CPU {big_dry.cpu / empty_dry.cpu:.2f}x)"
    )
    print(
        f"import / raw executemany of the same rows: {empty_dry.wall / raw.wall:.2f}x (empty), "
        f"{big_dry.wall / raw_big.wall:.2f}x (large); CPU {empty_dry.cpu / raw.cpu:.2f}x, "
        f"{big_dry.cpu / raw_big.cpu:.2f}x; "
        f"{args.changes / empty_dry.wall:.0f} vs {args.changes / raw.wall:.0f} changes/s"
    )
    print(load())
    for reg in (big, empty, village):
        reg.close()


if __name__ == "__main__":
    main()
