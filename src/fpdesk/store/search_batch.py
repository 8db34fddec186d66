"""The search index kept current for a batch of writes, instead of row by row.

The index's triggers (store.search) cost several times the write itself: each person
row spells its pinyin in SQL, and each household reindexes its members; some 1 ms a
row at 300,000 persons.  A writer of many rows (a bundle being applied, a merge, a
ledger import, a script: see store.bulk.writing) pauses them for its transaction:
small TEMP triggers (this connection's only, never in the file) note each person
and household written, with the index rowid it held before its first write, and at
the end the touched rows are indexed again once, in Python and in ascending index
rowid as store.search.refill does.  Everything runs inside the caller's
transaction: a crash rolls back the writes, the dropped triggers and the index
together, so the register is as before or as after.

The index ends exactly as the triggers would have left it (tests compare it with a
full rebuild): a row's tokens and card depend on the row alone (and a person's on
their household's code and village).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from fpdesk.store import search

# store.search's own spelling of an index rowid and of a card, so that both stay one
# definition.
_PERSON_ROWID = search.person_rowid_sql("p")
_INSERT_CARDS = search.INSERT_CARDS

_Entry = tuple[int, str]  # (index rowid, tokens)


def _json(ids: Iterable[str]) -> str:
    return json.dumps(sorted(set(ids)))


_TOUCHED = "search_touched"
_TRACKERS = ("person", "household")


def _was(table: str, row: str) -> str:
    """The index rowid a row held (NULL if none: a deleted row is not indexed)."""
    rowid = search.person_rowid_sql(row) if table == "person" else f"{row}.rowid"
    return f"CASE WHEN {row}.deleted = 0 THEN {rowid} END"


def _tracker_sql() -> list[str]:
    fields = {"person": search.PERSON_FIELDS, "household": search.HOUSEHOLD_FIELDS}
    statements = []
    for table in _TRACKERS:
        note = f"INSERT OR IGNORE INTO {_TOUCHED} (tbl, id, was) VALUES ('{table}', "
        statements += [
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_TOUCHED}_{table}_insert "
            f"AFTER INSERT ON main.{table} BEGIN {note}NEW.id, NULL); END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_TOUCHED}_{table}_update "
            f"AFTER UPDATE OF {fields[table]} ON main.{table} BEGIN "
            f"{note}OLD.id, {_was(table, 'OLD')}); {note}NEW.id, NULL); END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_TOUCHED}_{table}_delete "
            f"AFTER DELETE ON main.{table} BEGIN {note}OLD.id, {_was(table, 'OLD')}); END",
        ]
    return statements


def _drop_trackers(conn: Any) -> None:
    for table in _TRACKERS:
        for op in ("insert", "update", "delete"):
            conn.execute(f"DROP TRIGGER IF EXISTS temp.{_TOUCHED}_{table}_{op}")


@contextmanager
def paused(conn: Any) -> Iterator[None]:
    """Write any rows inside without the index's per-row triggers; the persons and
    households written (and a written household's members) are indexed again once,
    at the end, exactly as the triggers would have left them.

    Must run inside the caller's transaction: an error rolls the dropped triggers back
    with the writes.  Inside another pause (or a bulk load without triggers) it adds
    nothing; if the index is one an older version made, its own triggers keep it.
    """
    if not search.installed(conn) or not search.index_is_current(conn):
        yield
        return
    conn.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {_TOUCHED} (tbl TEXT NOT NULL, id TEXT NOT NULL, "
        "was INTEGER, PRIMARY KEY (tbl, id)) WITHOUT ROWID"
    )
    conn.execute(f"DELETE FROM temp.{_TOUCHED}")
    for statement in _tracker_sql():
        conn.execute(statement)
    search.remove(conn)
    # The batch reads and writes the same pages again (the rows, then their index
    # entries and cards): room for them in the cache while it lasts.
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {min(int(cache), _BATCH_CACHE)}")
    try:
        yield
        _drop_trackers(conn)
        _index_touched(conn)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")
        _drop_trackers(conn)
        search.install(conn)
        conn.execute(f"DELETE FROM temp.{_TOUCHED}")


_BATCH_CACHE = -65536  # KiB, as a negative cache_size says: 64 MiB


def _index_touched(conn: Any) -> None:
    """Take the touched rows' old entries out of the index and the cards; put in what
    the rows (and the members of touched households) now hold, in ascending rowid."""
    touched = f"temp.{_TOUCHED}"
    stale = [r[0] for r in conn.execute(f"SELECT was FROM {touched} WHERE was IS NOT NULL")]
    # Members of a touched household who were not written themselves: indexed under
    # the same rowid as before, with their household's new code.
    members = conn.execute(
        f"""SELECT p.id, {_PERSON_ROWID}, p.deleted FROM person p
        WHERE p.household_id IN (SELECT id FROM {touched} WHERE tbl = 'household')
        AND p.id NOT IN (SELECT id FROM {touched} WHERE tbl = 'person')"""
    ).fetchall()
    stale += [rowid for _, rowid, deleted in members if not deleted]
    persons = [r[0] for r in conn.execute(f"SELECT id FROM {touched} WHERE tbl = 'person'")] + [
        pid for pid, _, _ in members
    ]
    fresh: list[_Entry] = [
        (rowid, search.household_keys(code, village))
        for rowid, code, village in conn.execute(
            f"SELECT h.rowid, h.code, h.village_code FROM household h "
            f"WHERE h.id IN (SELECT id FROM {touched} WHERE tbl = 'household') AND h.deleted = 0"
        )
    ]
    fresh += [
        (rowid, search.person_keys(name, number, legacy, None if code is None else (code, v)))
        for rowid, name, number, legacy, code, v in conn.execute(
            f"""SELECT {_PERSON_ROWID}, p.name, p.id_number, p.legacy_id15, h.code,
                h.village_code
            FROM person p LEFT JOIN household h ON h.id = p.household_id
            WHERE p.id IN (SELECT value FROM json_each(?)) AND p.deleted = 0""",
            (_json(persons),),
        )
    ]
    # Deletions first, then insertions in ascending rowid: FTS5 writes out its pending
    # terms whenever a rowid is lower than the one before.
    stale.sort()
    # FTS5's own settings for a bulk write (no merging until the batch is written out,
    # one segment for it): with its defaults, merging during these writes cost ten
    # times the writes themselves on a 300,000-person index.
    with search.bulk_writing(conn):
        conn.executemany(f"DELETE FROM {search.INDEX} WHERE rowid = ?", [(r,) for r in stale])
        conn.executemany(f"INSERT INTO {search.INDEX} (rowid, keys) VALUES (?, ?)", sorted(fresh))
    conn.executemany(f"DELETE FROM {search.CARD} WHERE rowid = ?", [(r,) for r in stale])
    conn.execute(
        f"{_INSERT_CARDS} AND p.id IN (SELECT value FROM json_each(?)) ORDER BY 1",
        (_json(persons),),
    )
