"""What a writer of many rows pays for the search index, with and without store.bulk.

Copies --db (default: the 300,000-person demo in benchmarks/out/) into a temporary
folder and writes batches of --rows rows into it, as a script or a ledger import
would: one transaction, half of the rows new persons in existing households, half
existing persons renamed, with names the register already holds, by plain SQL (the
change-log triggers log every row).  Each batch is written three ways, in turn, twice
over, in the same run: with the search index's per-row triggers (a plain
register.transaction()), inside store.bulk.writing, and with no index work at all
(triggers dropped, rolled back afterwards: what the rows cost by themselves).  Prints
wall and CPU seconds (commit included), what the index added to the rows' own cost
each way, and the load average; then checks the index against a full rebuild.

    .venv/bin/python benchmarks/bench_bulk.py [--db PATH] [--passphrase P] [--rows 10000]
        [--statements]   then one more bulk batch, with the CPU seconds of each statement

CPU seconds are printed beside wall seconds: on a shared machine the wall clock says as
much about the neighbours as about the batch.  So are the pages each batch wrote (the
write-ahead log's frames): SQLCipher encrypts and signs every page written and decrypts
every page read, so the pages a batch touches are most of what it costs.
--no-check skips the full rebuild the index is compared with afterwards.

Measured (300,000-person demo, 10,000 rows, best of two, load average about 3 on a
shared 2-core machine): rows alone 1.00 s CPU (13,000-15,700 pages written), per-row
triggers 4.20 s (20,900), bulk 1.61 s (20,400).  Before this round bulk took 1.90 s
(2.47 s in a fresh process, which loaded pypinyin's tables to spell the names).  Of a
bulk batch: the rows with their change log some 0.65 s, the re-index 0.40 s (FTS5
inserts 0.12, its segment written out 0.07, deletions 0.06, the cards 0.09, reading
the rows and spelling them 0.14), the commit 0.49 s (every page encrypted and signed,
written to the log and checkpointed: about 24 us a page).

The round after (load average 4-5): rows alone 1.06 s CPU, per-row triggers 4.42 s,
bulk 1.72 s (20,400 pages).  The checkpoint, now timed apart, is 0.08-0.11 s CPU and
0.2-0.5 s wall of a bulk batch (frames copied as they are, no re-encryption, and an
fsync); the rest of the commit is the pages' encryption on their way into the log.
"Rows alone" is rolled back: it pays no commit.  With --grown (the copy as officers
leave a register: indexes filled entry by entry, 1.24 million change records): rows
alone 1.23 s (17,300 pages), per-row triggers 4.55 s (25,900), bulk 1.83 s (24,700).
The demo's empty change log flatters every way: each renamed person's log entry lands
on its own page of the log's index by row (change_log_row) in a real register.
Bulk batches on copies changed one way each (same run, best of two, CPU): as built
1.66 s; without person_women 1.58 s (this batch's new persons all share one sex and
birth date, so they land together in it); without sync_person_birth_name 1.62 s
(17,987 pages: a rename moves the entry, name is in its key); without the capture
triggers 1.33 s (17,800 pages: the change log is 0.33 s of the batch, about 25 us a
row, of which the two JSON images of the row some 9 us, the three lookups of actor,
device and origin 3.5 us, the timestamp 1.5 us; measured in memory).  Narrower person
indexes were tried and left (tests/store/test_read_plans.py holds their readers' plans):
person_household as (household_id, deleted) saves a batch 0.12 s (1.48 s against 1.60 s,
2,000 pages fewer) but the population's scan (store.population.members_on, 300,000
persons) reads the table then, 1.35 s -> 1.54 s CPU; person_women as (sex, birth_date)
takes the indicators' women from 0.085 s to 0.75 s.

With the pairs of neighbouring characters of each name indexed (schema step 0014,
store.search), same machine, one run each, best of two, CPU: rows alone 1.11 -> 1.10 s,
per-row triggers 4.24 -> 4.46 s, bulk 1.60 -> 1.72 s (20,428 -> 20,478 pages written;
the index's share of a bulk batch 0.49 -> 0.62 s); a full rebuild 16.4 -> 18.9 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench_integrity import timed  # same folder: run as a script

from fpdesk.core.ids import new_id
from fpdesk.store import bulk, capture, search
from fpdesk.store.db import Register, open_register

OUT = Path(__file__).resolve().parent / "out"


class _Undo(Exception):
    """Raised to roll the unindexed batch back."""


def batch(register: Register, rows: int, rng: random.Random) -> Callable[[Any], None]:
    """A batch of writes: rows // 2 new persons and as many renamed ones."""
    conn = register.conn
    households = [r[0] for r in conn.execute("SELECT id FROM household WHERE deleted = 0")]
    persons = [r[0] for r in conn.execute("SELECT id FROM person WHERE deleted = 0")]
    names = [r[0] for r in conn.execute("SELECT name FROM person LIMIT 50000")]
    new = [(new_id(), rng.choice(households), rng.choice(names)) for _ in range(rows // 2)]
    renamed = [(rng.choice(names), pid) for pid in rng.sample(persons, rows // 2)]

    def write(conn: Any) -> None:
        conn.executemany(
            "INSERT INTO person (id, household_id, name, sex, birth_date) "
            "VALUES (?, ?, ?, 1, '1990-01-01')",
            new,
        )
        conn.executemany("UPDATE person SET name = ? WHERE id = ?", renamed)

    return write


@contextlib.contextmanager
def per_row(register: Register) -> Iterator[Any]:
    with register.transaction() as conn:
        yield conn


@contextlib.contextmanager
def unindexed(register: Register) -> Iterator[Any]:
    with contextlib.suppress(_Undo), register.transaction() as conn:
        search.remove(conn)
        yield conn
        raise _Undo


def grow(register: Register) -> None:
    """Make the copy look like a register officers filled over the years, not one the
    demo built in one go: the person table's indexes filled entry by entry in order of
    entry (where entries arrive out of key order their pages end about 2/3 full; the
    demo builds them packed, so that nearly every new entry splits a page), and a change
    log holding one record for every row (the demo's log is empty, so the index of the
    log by row takes every update's entry at no cost)."""
    conn = register.conn
    made = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'person'").fetchone()[0]
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person' "
        "AND sql IS NOT NULL"
    ).fetchall()
    columns = ", ".join(r[1] for r in conn.execute("PRAGMA table_info(person)"))
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA legacy_alter_table = ON")  # other tables keep naming person
    try:
        with register.transaction():
            capture.remove(conn)
            search.remove(conn)
            conn.execute("ALTER TABLE person RENAME TO person_entered")
            for name, _ in indexes:
                conn.execute(f'DROP INDEX "{name}"')
            conn.execute(made)
            for _, sql in indexes:
                conn.execute(sql)
            conn.execute(
                f"INSERT INTO person (rowid, {columns}) "
                f"SELECT rowid, {columns} FROM person_entered ORDER BY rowid"
            )
            conn.execute("DROP TABLE person_entered")
            for table in capture.REPLICATED:
                image = capture._row_json("x", capture._columns(conn, table))
                conn.execute(
                    "INSERT INTO change_log (tbl, row_id, op, new, at, actor, device_id, origin) "
                    f"SELECT '{table}', x.id, 'insert', {image}, '2024-01-01T00:00:00.000Z', "
                    f"'officer', 'device', 'local' FROM {table} x ORDER BY x.rowid"
                )
            capture.install(conn)
            search.install(conn)
    finally:
        conn.execute("PRAGMA legacy_alter_table = OFF")
        conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _Timed:
    """A connection that adds up the CPU seconds of each statement it runs."""

    def __init__(self, conn: Any) -> None:
        self._conn = conn
        self.seconds: dict[str, float] = defaultdict(float)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def _timed(self, method: Callable[..., Any], sql: str, *args: Any) -> Any:
        started = time.process_time()
        try:
            return method(sql, *args)
        finally:
            self.seconds[" ".join(sql.split())[:90]] += time.process_time() - started

    def execute(self, sql: str, *args: Any) -> Any:
        return self._timed(self._conn.execute, sql, *args)

    def executemany(self, sql: str, *args: Any) -> Any:
        return self._timed(self._conn.executemany, sql, *args)


def measured(label: str, register: Register, work: Callable[[], None]) -> tuple[float, float]:
    """Wall and CPU seconds of a batch (printed with the load average), and the pages
    it wrote: the write-ahead log is emptied before, and holds the batch's pages after
    (each one encrypted, with its HMAC).  The checkpoint that copies them into the file
    (SQLite's automatic one, run by the commit) is run by hand right after the batch
    instead, timed apart and counted in the batch's seconds all the same."""
    conn = register.conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (every,) = conn.execute("PRAGMA wal_autocheckpoint").fetchone()
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        written = time.perf_counter(), time.process_time()
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        ended = time.perf_counter(), time.process_time()
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(every)}")
    took = ended[0] - wall, ended[1] - cpu
    log = Path(f"{register.path}-wal")
    pages = (log.stat().st_size - 32) // (4096 + 24) if log.exists() else 0
    print(
        f"{label:<40} wall {took[0]:6.2f} s   cpu {took[1]:6.2f} s   "
        f"pages written {pages:6d}   load {os.getloadavg()[0]:.2f}\n"
        f"{'':<40} of which the checkpoint: wall {ended[0] - written[0]:5.2f} s   "
        f"cpu {ended[1] - written[1]:5.2f} s",
        flush=True,
    )
    return took


def statements(register: Register, rows: int, rng: random.Random) -> None:
    """One bulk batch, with where its CPU seconds went, statement by statement (the
    commit included; Python's own work is the rest of the total)."""
    write = batch(register, rows, rng)
    conn = register.conn
    timed_conn = _Timed(conn)
    register.conn = timed_conn
    try:
        started = time.process_time()
        with bulk.writing(register) as writing:
            write(writing)
        total = time.process_time() - started
    finally:
        register.conn = conn
    print(f"one bulk batch of {rows} rows: {total:.2f} s CPU, by statement:")
    for sql, seconds in sorted(timed_conn.seconds.items(), key=lambda item: -item[1]):
        if seconds >= 0.005:
            print(f"  {seconds:6.3f}  {sql}")
    print(f"  {total - sum(timed_conn.seconds.values()):6.3f}  (Python: keys, rows, lists)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "demo-300000-s1.fpdesk")
    parser.add_argument("--passphrase", default="bench-口令")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--statements", action="store_true", help="CPU by statement")
    parser.add_argument("--no-check", action="store_true", help="no rebuild to compare with")
    parser.add_argument("--grown", action="store_true", help="as officers leave it")
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / args.db.name
        shutil.copy2(args.db, path)
        register = open_register(path, args.passphrase)
        if args.grown:
            timed("the copy made as officers would have grown it", lambda: grow(register))
        count = register.conn.execute("SELECT count(*) FROM person").fetchone()[0]
        logged = register.conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
        print(f"{args.db.name}: {count} persons, {logged} change records, ", end="")
        print(f"batches of {args.rows} rows")
        ways = {"rows alone": unindexed, "per-row triggers": per_row, "bulk": bulk.writing}
        took: dict[str, list[tuple[float, float]]] = {way: [] for way in ways}
        for round_ in range(2):
            for way, opened in ways.items():
                write = batch(register, args.rows, rng)

                def run(opened: Any = opened, write: Callable[[Any], None] = write) -> None:
                    with opened(register) as conn:
                        write(conn)

                took[way].append(measured(f"{args.rows} rows, {way} ({round_ + 1})", register, run))
        for kind, at in (("wall", 0), ("CPU", 1)):
            alone, slow, fast = (min(t[at] for t in took[way]) for way in ways)
            print(
                f"best of each, {kind}: rows alone {alone:.2f} s, per-row triggers {slow:.2f} s, "
                f"bulk {fast:.2f} s; the index added {slow - alone:.2f} s per row, "
                f"{fast - alone:.2f} s in bulk"
            )
        if args.no_check:
            register.close()
            return 0
        # The index after all this: the same as a rebuild (compared on the cards and
        # on a few searches; the full comparison is tests/store/test_bulk.py).
        names = [r[0] for r in register.conn.execute("SELECT name FROM person LIMIT 300")]
        found = [[h.person_id for h in search.search(register, n, limit=50)] for n in names]
        cards = register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
        timed("full rebuild of the index", lambda: search.rebuild(register))
        assert found == [[h.person_id for h in search.search(register, n, limit=50)] for n in names]
        assert cards == register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
        print("index after the batches: as a rebuild makes it (cards, 300 names searched)")
        if args.statements:
            statements(register, args.rows, rng)
        register.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
