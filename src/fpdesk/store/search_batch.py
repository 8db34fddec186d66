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

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fpdesk.store import search

# store.search's own spelling of an index rowid, so that it stays one definition.
_PERSON_ROWID = search.person_rowid_sql("p")

_Entry = tuple[int, str]  # (index rowid, tokens)

_TOUCHED = "search_touched"
_TRACKERS = ("person", "household")
# Each person and household written: its id, the table rowid it has now (NULL once
# deleted) and the index rowid it held before its first write in the batch (NULL if
# none: new, or deleted, which is not indexed).  With the rowid the rows are read back
# by their place in the table, whose page the write has just brought into the cache,
# not looked up by id again (a page of the id's index each, decrypted, at random).
# A household also keeps the code and village it had: one whose tokens are the same
# at the end (an address or a group changed) is left as it is in the index, and so
# are its members.
_CREATE_TOUCHED = (
    f"CREATE TEMP TABLE IF NOT EXISTS {_TOUCHED} (tbl TEXT NOT NULL, id TEXT NOT NULL, "
    "row INTEGER, was INTEGER, code TEXT, village TEXT, PRIMARY KEY (tbl, id)) WITHOUT ROWID"
)


def _was(table: str, row: str) -> str:
    """The index rowid a row held (NULL if none: a deleted row is not indexed)."""
    rowid = search.person_rowid_sql(row) if table == "person" else f"{row}.rowid"
    return f"CASE WHEN {row}.deleted = 0 THEN {rowid} END"


def _tracker_sql() -> list[str]:
    fields = {"person": search.PERSON_FIELDS, "household": search.HOUSEHOLD_FIELDS}
    statements = []
    for table in _TRACKERS:
        note = f"INSERT INTO {_TOUCHED} (tbl, id, row, was, code, village) VALUES ('{table}', "
        had = "OLD.code, OLD.village_code" if table == "household" else "NULL, NULL"
        was = _was(table, "OLD")
        before = f"{note}OLD.id, OLD.rowid, {was}, {had}) ON CONFLICT DO NOTHING;"
        now = (
            f"{note}NEW.id, NEW.rowid, NULL, NULL, NULL) "
            "ON CONFLICT DO UPDATE SET row = excluded.row;"
        )
        gone = f"{note}OLD.id, NULL, {was}, {had}) ON CONFLICT DO UPDATE SET row = NULL;"
        statements += [
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_TOUCHED}_{table}_insert "
            f"AFTER INSERT ON main.{table} BEGIN {now} END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_TOUCHED}_{table}_update "
            f"AFTER UPDATE OF {fields[table]} ON main.{table} BEGIN {before} {now} END",
            f"CREATE TEMP TRIGGER IF NOT EXISTS {_TOUCHED}_{table}_delete "
            f"AFTER DELETE ON main.{table} BEGIN {gone} END",
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
    conn.execute(_CREATE_TOUCHED)
    conn.execute(f"DELETE FROM temp.{_TOUCHED}")
    for statement in _tracker_sql():
        conn.execute(statement)
    search.remove(conn)
    try:
        # The batch reads and writes the same pages again (the rows, then their index
        # entries and cards): room for them in the cache while it lasts, so that no
        # page is decrypted twice.  10,000 rows into 300,000 persons touch some 25,000
        # pages (100 MiB); with 64 MiB the end of the batch read a third of them again.
        with search.cache_of_at_least(conn, _BATCH_CACHE_KIB):
            yield
            _drop_trackers(conn)
            _index_touched(conn)
    finally:
        _drop_trackers(conn)
        search.install(conn)
        conn.execute(f"DELETE FROM temp.{_TOUCHED}")


_BATCH_CACHE_KIB = 256 * 1024

_TOUCHED_PERSONS = (
    f"temp.{_TOUCHED} t JOIN person p ON p.rowid = t.row AND p.id = t.id AND t.tbl = 'person'"
)
# A household written whose tokens end as they were (live before and after, under the
# same rowid, with the same code and village): nothing of it, or of its members, is
# indexed again.
_FORGET_SAME_HOUSEHOLDS = f"""DELETE FROM temp.{_TOUCHED} AS t
WHERE t.tbl = 'household' AND t.was IS NOT NULL AND EXISTS (
    SELECT 1 FROM household h WHERE h.rowid = t.row AND h.id = t.id AND h.deleted = 0
    AND h.rowid = t.was AND h.code IS t.code AND h.village_code IS t.village)"""
# The members of a touched household who were not written themselves: indexed again
# under the same rowid, with their household's new code (noted as touched, unchanged).
_NOTE_MEMBERS = f"""INSERT INTO temp.{_TOUCHED} (tbl, id, row, was)
SELECT 'person', p.id, p.rowid, {_was("person", "p")} FROM person p
WHERE p.household_id IN (SELECT id FROM temp.{_TOUCHED} WHERE tbl = 'household')
ON CONFLICT DO NOTHING"""
# The cards of the touched persons, written over their old ones where the index
# rowid is the same (one seek each instead of a deletion and an insertion).
_REPLACE_CARDS = f"{search.cards_sql('INSERT OR REPLACE', _TOUCHED_PERSONS)} ORDER BY 1"


def _index_touched(conn: Any) -> None:
    """Take the touched rows' old entries out of the index and the cards; put in what
    the rows (and the members of touched households) now hold, in ascending rowid."""
    conn.execute(_FORGET_SAME_HOUSEHOLDS)
    conn.execute(_NOTE_MEMBERS)
    touched = f"temp.{_TOUCHED}"
    stale = {
        tbl: [
            r[0]
            for r in conn.execute(
                f"SELECT was FROM {touched} WHERE tbl = ? AND was IS NOT NULL", (tbl,)
            )
        ]
        for tbl in _TRACKERS
    }
    fresh: list[_Entry] = [
        (rowid, search.household_keys(code, village))
        for rowid, code, village in conn.execute(
            f"SELECT h.rowid, h.code, h.village_code FROM {touched} t "
            "JOIN household h ON h.rowid = t.row AND h.id = t.id "
            "WHERE t.tbl = 'household' AND h.deleted = 0"
        )
    ]
    persons = conn.execute(
        f"""SELECT {_PERSON_ROWID}, p.name, p.id_number, p.legacy_id15, h.code, h.village_code
        FROM {_TOUCHED_PERSONS} LEFT JOIN household h ON h.id = p.household_id
        WHERE p.deleted = 0"""
    ).fetchall()
    names = search.names_by_table(conn, (row[1] for row in persons))
    fresh += [
        (
            rowid,
            search.person_tokens(names[name], number, legacy, None if code is None else (code, v)),
        )
        for rowid, name, number, legacy, code, v in persons
    ]
    if not fresh and not any(stale.values()):
        return  # nothing whose tokens changed (FTS5's settings are not even touched)
    # Deletions first, then insertions in ascending rowid: FTS5 writes out its pending
    # terms whenever a rowid is lower than the one before.
    # FTS5's own settings for a bulk write (no merging until the batch is written out,
    # one segment for it): with its defaults, merging during these writes cost ten
    # times the writes themselves on a 300,000-person index.
    with search.bulk_writing(conn):
        conn.executemany(
            f"DELETE FROM {search.INDEX} WHERE rowid = ?",
            [(r,) for r in sorted(stale["person"] + stale["household"])],
        )
        conn.executemany(f"INSERT INTO {search.INDEX} (rowid, keys) VALUES (?, ?)", sorted(fresh))
    # A card whose person is gone, or is under another rowid now (a band changed).
    kept = {row[0] for row in persons}
    conn.executemany(
        f"DELETE FROM {search.CARD} WHERE rowid = ?",
        [(r,) for r in sorted(set(stale["person"]) - kept)],
    )
    conn.execute(_REPLACE_CARDS)
