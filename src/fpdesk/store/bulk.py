"""Writing many rows at once: the search index kept once per batch, not per row.

The one way to write many rows, for every writer: `writing` into an existing register,
`loading` into a new one.

Every writer of many rows (a bundle being applied, a merge, a ledger import, a
script) writes inside `writing(register)`: one transaction in which the search
index's per-row triggers are paused and the persons and households it touched are
indexed again once at the end (store.search_batch).  The change-log triggers still
log every row; a writer that sends many rows through one statement can log them by
statement as well (store.capture.logged_in_bulk), as the township's import does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from fpdesk.store import capture, search, search_batch
from fpdesk.store.db import Register


@contextmanager
def writing(register: Register) -> Iterator[Any]:
    """A transaction for many rows; yields the connection, as register.transaction().

    The search index catches up at the end: a search inside the batch does not find
    what the batch wrote yet.  Nested inside another transaction it is a savepoint,
    and inside another batch it adds nothing (the outer one indexes everything).
    """
    with register.transaction() as conn, search_batch.paused(conn):
        yield conn


@contextmanager
def loading(register: Register, tables: Sequence[str]) -> Iterator[tuple[Any, Callable[[], None]]]:
    """Many rows into a NEW register (the demo district): one transaction, no
    capture or search triggers, no fsync till the end; the secondary indexes of
    `tables` dropped and made again once the rows are in.

    Foreign keys are checked once at the end (PRAGMA foreign_key_check) instead of row
    by row: a household names its head and the head names the household, so during the
    load a deferred violation is always outstanding, and then SQLite scans the child
    tables (some of whose columns have no index) for every parent inserted.

    No journal at all instead of the WAL: the file is new, every page is written once
    instead of twice (WAL, then checkpoint), and if the load fails the caller deletes
    the file anyway.  The register is left in WAL mode with full syncing.  The caller
    puts the search index in (store.search.load_index) before the end, and may call
    the finisher it is given (indexes, foreign key check, search cards, commit) as
    soon as all rows are in.
    """
    conn = register.conn
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    # 128 MiB of pages in memory.  With 1 GiB, 300,000 persons (about 600 MB) were
    # written once, at the commit, but a million persons took 1.4 GB in this process
    # alone; spilled pages are written once too (no journal), and reading them back to
    # build the indexes and the cards costs seconds, not memory.  With 256 MiB the two
    # processes together still peaked at 1.0 GB for a million persons.
    conn.execute("PRAGMA cache_size = -131072")
    # The index builds sort in temporary files, not in memory: at three million
    # persons the sorts held in memory took this process to 770 MB.
    try:
        with register.transaction():
            capture.remove(conn)
            search.remove(conn)
            indexes = _drop_indexes(conn, tables)

            def finish() -> None:
                while indexes:
                    conn.execute(indexes.pop(0))
                broken = conn.execute("PRAGMA foreign_key_check").fetchmany(5)
                if broken:
                    raise AssertionError(f"the demo broke foreign keys: {broken}")
                search.write_cards(conn)
                # The rows are written out now, while the search index is still being
                # built, in a second transaction.  A failure after this still removes
                # the whole file (build_demo), so the two commits are one for the caller.
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")

            yield conn, finish
            if indexes:
                finish()
            capture.install(conn)
            search.install(conn)
    finally:
        conn.execute("PRAGMA cache_size = -2000")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")


def _drop_indexes(conn: Any, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of the register's tables; returns how to make them again.

    Building an index once over sorted rows is cheaper than keeping it in order row by
    row while a quarter of a million rows arrive in key order of another column.  The
    definitions are read from the file, so indexes added by later migrations are kept.
    """
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({', '.join('?' for _ in tables)})",
        tuple(tables),
    ).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in rows]
