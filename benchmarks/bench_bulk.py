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
"""

from __future__ import annotations

import argparse
import contextlib
import random
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench_integrity import timed  # same folder: run as a script

from fpdesk.core.ids import new_id
from fpdesk.store import bulk, search
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=OUT / "demo-300000-s1.fpdesk")
    parser.add_argument("--passphrase", default="bench-口令")
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / args.db.name
        shutil.copy2(args.db, path)
        register = open_register(path, args.passphrase)
        count = register.conn.execute("SELECT count(*) FROM person").fetchone()[0]
        print(f"{args.db.name}: {count} persons, batches of {args.rows} rows")
        ways = {"rows alone": unindexed, "per-row triggers": per_row, "bulk": bulk.writing}
        took: dict[str, list[float]] = {way: [] for way in ways}
        for round_ in range(2):
            for way, opened in ways.items():
                write = batch(register, args.rows, rng)

                def run(opened: Any = opened, write: Callable[[Any], None] = write) -> None:
                    with opened(register) as conn:
                        write(conn)

                took[way].append(timed(f"{args.rows} rows, {way} ({round_ + 1})", run))
        alone, slow, fast = (min(took[way]) for way in ways)
        print(
            f"best of each: rows alone {alone:.2f} s, per-row triggers {slow:.2f} s, "
            f"bulk {fast:.2f} s; the index added {slow - alone:.2f} s per row, "
            f"{fast - alone:.2f} s in bulk"
        )
        # The index after all this: the same as a rebuild (compared on the cards and
        # on a few searches; the full comparison is tests/store/test_bulk.py).
        names = [r[0] for r in register.conn.execute("SELECT name FROM person LIMIT 300")]
        found = [[h.person_id for h in search.search(register, n, limit=50)] for n in names]
        cards = register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
        timed("full rebuild of the index", lambda: search.rebuild(register))
        assert found == [[h.person_id for h in search.search(register, n, limit=50)] for n in names]
        assert cards == register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
        print("index after the batches: as a rebuild makes it (cards, 300 names searched)")
        register.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
