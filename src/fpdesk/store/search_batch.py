"""The search index kept current for a batch of writes, instead of row by row.

The index's triggers (store.search) cost several times the write itself: each person
row spells its pinyin in SQL, and each household reindexes its members.  A writer that
knows which persons and households it is about to touch (a bundle being applied) can
drop the triggers for the batch, then index just those rows again, in Python and in
ascending index rowid as store.search.refill does.  Everything runs inside the
caller's transaction: a crash rolls back the writes, the dropped triggers and the
index together, so the register is as before or as after.

The index ends exactly as the triggers would have left it (tests compare it with a
full rebuild): a row's tokens and card depend on the row alone (and a person's on
their household's code), so rows whose tokens did not change are left as they are.
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
_HOUSEHOLD_ROWID = search.rowid_sql(str(search.HOUSEHOLD_BAND), "h.rowid")
_INSERT_CARDS = search.INSERT_CARDS

_Entry = tuple[int, str]  # (index rowid, tokens)


def _json(ids: Iterable[str]) -> str:
    return json.dumps(sorted(set(ids)))


class Batch:
    """What the index held for the rows a batch touches, read before it writes."""

    def __init__(self, conn: Any, persons: Iterable[str], households: Iterable[str]) -> None:
        self.conn = conn
        self.persons = set(persons)
        self.households = set(households)
        self.before_households = self._household_entries()
        self.before_persons = self._person_entries()

    def _household_entries(self) -> dict[str, _Entry | None]:
        rows = self.conn.execute(
            f"SELECT h.id, {_HOUSEHOLD_ROWID}, h.code, h.village_code, h.deleted FROM household h"
            " WHERE h.id IN (SELECT value FROM json_each(?))",
            (_json(self.households),),
        )
        return {
            hid: None if deleted else (rowid, search.household_keys(code, village))
            for hid, rowid, code, village, deleted in rows
        }

    def _person_entries(self) -> dict[str, _Entry | None]:
        """Touched persons and every member of a touched household."""
        rows = self.conn.execute(
            f"""SELECT p.id, {_PERSON_ROWID}, p.name, p.id_number, p.legacy_id15, h.code,
                h.village_code, p.deleted
            FROM person p LEFT JOIN household h ON h.id = p.household_id
            WHERE p.id IN (SELECT value FROM json_each(:persons))
            UNION
            SELECT p.id, {_PERSON_ROWID}, p.name, p.id_number, p.legacy_id15, h.code,
                h.village_code, p.deleted
            FROM person p JOIN household h ON h.id = p.household_id
            WHERE p.household_id IN (SELECT value FROM json_each(:households))""",
            {"persons": _json(self.persons), "households": _json(self.households)},
        )
        out: dict[str, _Entry | None] = {}
        for pid, rowid, name, number, legacy, code, village, deleted in rows:
            household = None if code is None else (code, village)
            out[pid] = (
                None if deleted else (rowid, search.person_keys(name, number, legacy, household))
            )
        return out

    def finish(self) -> None:
        """Bring the index and the cards to what the touched rows now hold."""
        after_households = self._household_entries()
        after_persons = self._person_entries()
        stale: list[int] = []
        fresh: list[_Entry] = []
        for before, after in (
            (self.before_households, after_households),
            (self.before_persons, after_persons),
        ):
            for key in before.keys() | after.keys():
                old, new = before.get(key), after.get(key)
                if old == new:
                    continue
                if old is not None:
                    stale.append(old[0])
                if new is not None:
                    fresh.append(new)
        # Cards: every touched person (its card holds more than the tokens), and any
        # member whose index rowid moved.
        moved = {
            pid
            for pid in self.before_persons.keys() | after_persons.keys()
            if _rowid(self.before_persons.get(pid)) != _rowid(after_persons.get(pid))
        }
        carded = self.persons | moved
        old_cards = [r for pid in carded if (r := _rowid(self.before_persons.get(pid))) is not None]
        conn = self.conn
        # Deletions first, then insertions in ascending rowid: FTS5 writes out its
        # pending terms whenever a rowid is lower than the one before.
        conn.executemany(
            f"DELETE FROM {search.INDEX} WHERE rowid = ?", [(r,) for r in sorted(stale)]
        )
        conn.executemany(f"INSERT INTO {search.INDEX} (rowid, keys) VALUES (?, ?)", sorted(fresh))
        conn.executemany(
            f"DELETE FROM {search.CARD} WHERE rowid = ?", [(r,) for r in sorted(old_cards)]
        )
        conn.execute(
            f"{_INSERT_CARDS} AND p.id IN (SELECT value FROM json_each(?)) ORDER BY 1",
            (_json(carded),),
        )


def _rowid(entry: _Entry | None) -> int | None:
    return None if entry is None else entry[0]


@contextmanager
def triggers_paused(conn: Any, persons: Iterable[str], households: Iterable[str]) -> Iterator[None]:
    """Write persons and households inside without the index's triggers.

    Only the named rows may be written inside; a named household's members are indexed
    again with it.  Must run inside the caller's transaction.  If the triggers are not
    there to begin with (a bulk load), nothing is indexed either; if the index is one
    an older version made (search.make_current has not remade it yet), its own
    triggers keep it, row by row, as before.
    """
    if not search.installed(conn) or not search.index_is_current(conn):
        yield
        return
    batch = Batch(conn, persons, households)
    search.remove(conn)
    try:
        yield
        batch.finish()
    finally:
        search.install(conn)
