"""The search box: one query finds persons and households by name, pinyin, ID or code.

What an officer may type, and what it finds:
  张三, 张           a name, whole or its start; 三丰 any run of characters in a name
  zhangsan, zhangs   full pinyin, or its start; sanfeng the given name's pinyin
  zs, zsf            pinyin initials
  002X, 31002X       the last digits of an ID number (or of a household code)
  1101051949...      a whole ID number or household code, or their first digits

The work is done by an FTS5 index (`search_index`), never by reading all persons into
Python.  The index is contentless: it holds tokens only, and hits are read back from
person and household by rowid.  The starts of ID numbers and household codes longer
than the index's prefixes (7 digits or more) read B-trees on person and household
instead, in the same order (_id_shape, _code_shape).

Keeping the index current
-------------------------
SQL triggers on person and household keep it, like the change-capture triggers, so
every writer is covered: store.records, a bundle being applied, a script, the sqlite
shell.  Triggers cannot call pypinyin, and a Python SQL function registered on our
connections would make every other tool fail on any write to person.  So the register
keeps a small table of one pinyin reading per character (`search_hanzi`, filled from
core.pinyin at migration), and the triggers spell a name's pinyin with plain SQL
lookups in it, character by character.  core.pinyin.name_keys computes the same keys
in Python; a test holds the two together.  Nothing derived is added to person, so the
index never travels in change bundles.  A writer of many rows pauses the triggers for
its transaction and the rows it wrote are indexed once at the end, in Python, with the
same table of readings (store.bulk.writing, store.search_batch).

Ranking
-------
Each kind of key is asked for in order (see KINDS): exact name, name start, part of a
name, full pinyin, initials, given-name pinyin, then for digits whole ID, whole
household code, ID tail, household-code tail, ID start, household-code start.  Within a
kind the index rowid decides, and it is built so that its order is the tie-break we
want: households first (band 0), then living persons registered or living here (1),
persons living elsewhere (2, 流出), the dead (3); inside a band, order of entry.
FTS5 returns rows in rowid order, so `ORDER BY rowid LIMIT k` stops after k rows
instead of sorting every match: a one-letter query in 300,000 persons stays fast.
All kinds go in one statement per keystroke (search._find), read only until the list
is full, with the cards of the hits joined in.
"""

from __future__ import annotations

import contextlib
import functools
import json
import operator
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import sqlcipher3

from fpdesk.core import pinyin
from fpdesk.core.i18n import Text
from fpdesk.core.idnumber import mask_id_number
from fpdesk.store import access
from fpdesk.store.connection import Register, translate

INDEX = "search_index"
HANZI = "search_hanzi"
CARD = "search_card"

# Characters of a name the triggers read.  Names are 2-4 characters; transliterated
# minority names (买买提·艾力·阿不都拉) can be longer.  Beyond this only the name token
# and the initials of the first MAX_NAME characters are indexed.
MAX_NAME = 16

_BAND_SHIFT = 40
_ROW_MASK = (1 << _BAND_SHIFT) - 1
HOUSEHOLD_BAND = 0
_PERSON_BAND = (
    "(CASE WHEN {p}death_date IS NOT NULL THEN 3 "
    "WHEN {p}residence_status = 'out' THEN 2 ELSE 1 END)"
)
# The band of the person row an index is on (an index's expressions name no table):
# schema step 0013's B-trees of ID numbers' starts, in the order search lists persons.
PERSON_BAND = _PERSON_BAND.format(p="")
# Separators that may sit inside a written name; the name token leaves them out.
_NAME_SEPARATORS = ("·", "•", "・", ".", " ", "\u3000")

# One column of tokens, each led by a letter saying what it is: n张三 (name), c张 c三
# (its characters), b张三 (each pair of neighbouring characters), pzhangsan (full
# pinyin), gsan (given name's pinyin), izs (initials), d<ID number>, r<ID number
# backwards>, h<household code>, e<household code backwards>, v<village code>.  One
# column instead of ten halves the cost of building the index, and a query names the
# kind by its leading letter instead of a column.
# Prefix indexes of 2 to 7 characters (the marker and up to six typed letters, the
# longest pinyin syllable) keep typing fast: without one, a prefix such as pzha* reads
# and merges the rows of every term it covers (all the Zhangs, Zhaos, Zhais), some
# 20 ms on 300,000 persons; with one it reads a single list and stops after `limit`.
# They cost about half as much again when the index is built.
# detail = 'none': the index keeps which rows hold a token, not where in the row.  That
# is four tenths of its size and a third of the time to build it.  The one query that
# needed positions, a run of characters inside a name (三丰 = c三 followed by c丰), asks
# for the rows holding each pair of its neighbouring characters (b三丰; 黄志春 = b黄志
# and b志春) and keeps those whose name has the run (_RUN).  Asking for the single
# characters instead walked their whole lists (c黄 and c伟, or the one c坤 of 坤坤:
# tens of thousands of rows each, mostly not together) before the list was full, 5-13
# ms a keystroke at 3,000,000 persons; the pairs' lists are short.
# The card: what the result list shows of a person, stored under the person's index
# rowid.  Hits of one kind come in rowid order, so they sit on a few neighbouring pages
# of it.  Read from person instead they cost a decrypted page each, and listing 50 hits
# took several times longer than finding them on 300,000 persons.  The household's
# code, group, address and village are read from household when shown: kept on the
# card they were a third of it, and the card the largest of the search tables.
_CREATE_SQL = f"""
CREATE TABLE IF NOT EXISTS {HANZI} (
    ch TEXT PRIMARY KEY NOT NULL,
    py TEXT NOT NULL,
    surname_py TEXT NOT NULL
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(
    keys, content = '', contentless_delete = 1, detail = 'none', prefix = '2 3 4 5 6 7',
    tokenize = 'unicode61'
);
CREATE TABLE IF NOT EXISTS {CARD} (
    rowid INTEGER PRIMARY KEY,
    person_id TEXT NOT NULL,
    household_id TEXT,
    name TEXT NOT NULL,
    sex INTEGER,
    birth_date TEXT,
    id_number TEXT,
    status TEXT NOT NULL
);
"""


# --- the tokens of a row, in Python (rebuild) and in SQL (triggers) -------------------
#
# Two spellings of one rule: Python is fast for a whole register (pinyin cached per
# name), SQL keeps the index current for any writer.  tests/store/test_search.py reads
# the index's vocabulary after each and requires them to be identical.


def _backwards(text: str) -> str:
    return text[::-1][:18]


def person_keys(
    name: str, id_number: str | None, legacy_id15: str | None, household: tuple[str, str] | None
) -> str:
    """The tokens indexed for a person; household is (code, village code) if known."""
    return person_tokens(name_keys(name), id_number, legacy_id15, household)


def person_tokens(
    name: str, id_number: str | None, legacy_id15: str | None, household: tuple[str, str] | None
) -> str:
    """person_keys with the name's tokens (name_keys, or name_tokens) already made."""
    parts = [name]
    for number in (id_number, legacy_id15):
        if number:
            parts += [f"d{number.lower()}", f"r{_backwards(number).lower()}"]
    if household is not None:
        parts.append(household_keys(*household))
    return " ".join(parts)


@functools.lru_cache(maxsize=65536)
def name_keys(name: str) -> str:
    """The tokens of a name; cached, since a district repeats its names a lot."""
    return name_tokens(name, pinyin.name_keys(name[:MAX_NAME]))


def name_tokens(name: str, keys: pinyin.NameKeys) -> str:
    """The tokens of a name whose first MAX_NAME characters read as `keys`."""
    token = name
    for separator in _NAME_SEPARATORS:
        token = token.replace(separator, "")
    first = name[:MAX_NAME]
    parts = [f"n{token}", *(f"c{char}" for char in first)]
    parts += [f"b{first[i : i + 2]}" for i in range(len(first) - 1)]
    if _MARKED.search(first):
        parts.append(MARKED)
    parts += [f"p{keys.full}", f"g{keys.given}", f"i{keys.initials}"]
    return " ".join(parts)


def names_by_table(conn: Any, names: Iterable[str]) -> dict[str, str]:
    """The tokens of names (name_keys), their pinyin read from the register's own table
    of readings, character by character, as the triggers read it: what a batch of
    writes (store.search_batch) indexes, without loading pypinyin's tables (some 0.7 s
    the first time in a process) to spell a few thousand names."""
    wanted = set(names)
    chars = sorted({char for name in wanted for char in name[:MAX_NAME]})
    readings = {
        char: (py, surname_py)
        for char, py, surname_py in conn.execute(
            f"SELECT ch, py, surname_py FROM {HANZI} WHERE ch IN (SELECT value FROM json_each(?))",
            (json.dumps(chars),),
        )
    }
    none = ("", "")
    return {
        name: name_tokens(
            name,
            pinyin.keys_of(
                [readings.get(c, none)[i == 0] for i, c in enumerate(name[:MAX_NAME])]
            ),
        )
        for name in wanted
    }


def household_keys(code: str, village_code: str) -> str:
    return f"h{code} e{_backwards(code)} v{village_code}"


def rowid_sql(band: str, rowid: str) -> str:
    """SQL for an index row's id: the band (person, household) above the table's rowid.
    Public for store.search_batch, which re-indexes what a bundle touched."""
    return f"(({band} << {_BAND_SHIFT}) + {rowid})"


def person_rowid_sql(p: str) -> str:
    return rowid_sql(_PERSON_BAND.format(p=f"{p}."), f"{p}.rowid")


def _each_char(expr: str, spell: str, first: int = 1) -> str:
    """Concatenate spell (with {i} the position) over the name's characters from first."""
    return " || ".join(
        f"(CASE WHEN length({expr}) >= {i} THEN {spell.format(i=i)} ELSE '' END)"
        for i in range(first, MAX_NAME + 1)
    )


def _each_pair(expr: str) -> str:
    """' b' and each pair of neighbouring characters among the name's first MAX_NAME,
    then the mark of a name with combining marks among them (_MARKED)."""
    pairs = " || ".join(
        f"(CASE WHEN length({expr}) > {i} THEN ' b' || substr({expr}, {i}, 2) ELSE '' END)"
        for i in range(1, MAX_NAME)
    )
    marked = f"substr({expr}, 1, {MAX_NAME}) GLOB '*[{_COMBINING}]*'"
    return f"{pairs} || (CASE WHEN {marked} THEN ' {MARKED}' ELSE '' END)"


def _combining_ranges() -> list[tuple[int, int]]:
    """The runs of combining characters (unicodedata.combining) of the basic plane."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x10000):
        if unicodedata.combining(chr(code)):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return ranges


# A name written with combining marks (e and U+0301 for é) is compared without them
# (_fold), but the tokenizer drops some from the middle of a pair and keeps others: its
# pairs are not those of the run typed.  Such a name gets one more token, x, and a run
# is also looked for as before in the names so marked: x and each of its characters.
MARKED = "x"
_COMBINING = "".join(f"{chr(a)}-{chr(b)}" for a, b in _combining_ranges())
_MARKED = re.compile(f"[{_COMBINING}]")


def _reading_sql(expr: str) -> str:
    # The first character is read as a surname (core.pinyin.surname_reading).
    column = "(CASE WHEN {i} = 1 THEN surname_py ELSE py END)"
    return f"coalesce((SELECT {column} FROM {HANZI} WHERE ch = substr({expr}, {{i}}, 1)), '')"


def _backwards_sql(expr: str) -> str:
    return " || ".join(f"substr({expr}, -{i}, 1)" for i in range(1, 19))


def _name_token_sql(expr: str) -> str:
    for separator in _NAME_SEPARATORS:
        expr = f"replace({expr}, '{separator}', '')"
    return expr


def _number_sql(expr: str) -> str:
    return (
        f"(CASE WHEN coalesce({expr}, '') = '' THEN '' ELSE "
        f"' d' || lower({expr}) || ' r' || lower({_backwards_sql(expr)}) END)"
    )


def _household_sql(h: str) -> str:
    return f"'h' || {h}.code || ' e' || {_backwards_sql(f'{h}.code')} || ' v' || {h}.village_code"


def _person_keys_sql(p: str, h: str) -> str:
    """person_keys() in SQL, for person row p and its household row h."""
    name = f"{p}.name"
    reading = _reading_sql(name)
    char = "' c' || substr(" + name + ", {i}, 1)"
    return (
        f"'n' || {_name_token_sql(name)}"
        f" || {_each_char(name, char)}"
        f" || {_each_pair(name)}"
        f" || ' p' || {_each_char(name, reading)}"
        f" || ' g' || {_each_char(name, reading, first=2)}"
        f" || ' i' || {_each_char(name, f'substr({reading}, 1, 1)')}"
        f" || {_number_sql(f'{p}.id_number')} || {_number_sql(f'{p}.legacy_id15')}"
        f" || coalesce(' ' || {_household_sql(h)}, '')"
    )


_PERSON_SELECT = f"""
SELECT {person_rowid_sql("p")}, {_person_keys_sql("p", "h")}
FROM person p LEFT JOIN household h ON h.id = p.household_id
WHERE p.deleted = 0"""

_INSERT_PERSONS = f"INSERT INTO {INDEX} (rowid, keys) {_PERSON_SELECT}"


def cards_sql(insert: str = "INSERT", persons: str = "person p") -> str:
    """The cards of the live persons p of `persons` (a table, or a join naming p); more
    conditions may follow (AND ...).  Public for store.search_batch."""
    return f"""
{insert} INTO {CARD} (rowid, person_id, household_id, name, sex, birth_date, id_number, status)
SELECT {person_rowid_sql("p")}, p.id, p.household_id, p.name, p.sex, p.birth_date,
    coalesce(p.id_number, p.legacy_id15),
    CASE WHEN p.death_date IS NOT NULL THEN 'dead' ELSE p.residence_status END
FROM {persons}
WHERE p.deleted = 0"""


INSERT_CARDS = cards_sql()
_INSERT_HOUSEHOLDS = (
    f"INSERT INTO {INDEX} (rowid, keys) "
    f"SELECT {rowid_sql(str(HOUSEHOLD_BAND), 'h.rowid')}, {_household_sql('h')} "
    "FROM household h WHERE h.deleted = 0"
)


def _index_persons(condition: str) -> str:
    """Index, and write the cards of, the persons meeting a condition on p."""
    return f"{_INSERT_PERSONS} AND {condition}; {INSERT_CARDS} AND {condition};"


def _unindex_persons(rowids: str) -> str:
    """Take persons out of the index and the cards; rowids is `= x` or `IN (...)`."""
    return f"DELETE FROM {INDEX} WHERE rowid {rowids}; DELETE FROM {CARD} WHERE rowid {rowids};"


def _reindex_members(household_id: str) -> str:
    members = (
        f"(SELECT {person_rowid_sql('p')} FROM person p WHERE p.household_id = {household_id})"
    )
    return (
        f"{_unindex_persons('IN ' + members)} {_index_persons(f'p.household_id = {household_id}')}"
    )


def _household_rows(row: str) -> str:
    return f"{_INSERT_HOUSEHOLDS} AND h.rowid = {row}.rowid;"


def _unindex(rowid: str) -> str:
    return f"DELETE FROM {INDEX} WHERE rowid = {rowid};"


# Only changes to what the index or the cards hold touch them.  (Public for
# store.search_batch, which notes the same changes while the triggers are paused.)
PERSON_FIELDS = (
    "name, sex, birth_date, id_number, legacy_id15, household_id, deleted, death_date, "
    "residence_status"
)
HOUSEHOLD_FIELDS = "code, village_code, group_no, address, deleted"
_OLD_PERSON = "= " + person_rowid_sql("OLD")

_TRIGGERS = {
    "search_person_insert": f"AFTER INSERT ON person BEGIN "
    f"{_index_persons('p.rowid = NEW.rowid')} END",
    "search_person_update": f"AFTER UPDATE OF {PERSON_FIELDS} ON person BEGIN "
    f"{_unindex_persons(_OLD_PERSON)} {_index_persons('p.rowid = NEW.rowid')} END",
    "search_person_delete": f"AFTER DELETE ON person BEGIN {_unindex_persons(_OLD_PERSON)} END",
    # Members entered before their household (one transaction, deferred keys) are
    # indexed again once the household exists, so they carry its code.
    "search_household_insert": f"AFTER INSERT ON household BEGIN "
    f"{_household_rows('NEW')} {_reindex_members('NEW.id')} END",
    "search_household_update": f"AFTER UPDATE OF {HOUSEHOLD_FIELDS} ON household BEGIN "
    f"{_unindex(rowid_sql(str(HOUSEHOLD_BAND), 'OLD.rowid'))} {_household_rows('NEW')} "
    f"{_reindex_members('NEW.id')} END",
    "search_household_delete": f"AFTER DELETE ON household BEGIN "
    f"{_unindex(rowid_sql(str(HOUSEHOLD_BAND), 'OLD.rowid'))} {_reindex_members('OLD.id')} END",
}


def create_tables(conn: Any) -> None:
    """The index and the character table (empty); migration step 0002_search."""
    for statement in _CREATE_SQL.split(";"):
        if statement.strip():
            conn.execute(statement)


def index_is_current(conn: Any) -> bool:
    """Whether the register's index is the one this program builds (same definition)."""
    tables = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
    wanted = {" ".join(s.replace("IF NOT EXISTS ", "").split()) for s in _CREATE_SQL.split(";")}
    have = [" ".join((tables.get(name) or "missing").split()) for name in (HANZI, INDEX, CARD)]
    return all(table in wanted for table in have)


def make_current(register: Register) -> bool:
    """Remake an index left by an older development version; True if it was remade."""
    if index_is_current(register.conn):
        return False
    with register.transaction() as conn:
        remove(conn)
        for table in (INDEX, CARD):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        create_tables(conn)
        install(conn)
        refill(conn)
    return True


def install(conn: Any) -> None:
    """(Re)create the triggers that keep the index current."""
    remove(conn)
    for name, body in _TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER {name} {body}")


def remove(conn: Any) -> None:
    """Drop the triggers, for a bulk load into a new register; rebuild() afterwards."""
    for name in _TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")


def installed(conn: Any) -> bool:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    return set(_TRIGGERS) <= names


def fill_characters(conn: Any) -> None:
    """(Re)write the character table from core.pinyin."""
    conn.execute(f"DELETE FROM {HANZI}")
    # One statement over a JSON array: several times faster than 42,000 executemany
    # rows, and every new register pays it.
    conn.execute(
        f"INSERT INTO {HANZI} (ch, py, surname_py) "
        "SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?)",
        (json.dumps(list(pinyin.reading_table()), ensure_ascii=False),),
    )


def refill(conn: Any) -> None:
    """Index every household and person again, inside the caller's transaction.

    Persons are read once and their tokens made in Python, where a name's pinyin is
    computed once per distinct name: several times faster than the triggers' SQL.
    Rows go in in ascending index rowid: FTS5 writes out its pending terms whenever a
    rowid is lower than the one before, and thousands of tiny segments would follow.
    """
    if conn.execute(f"SELECT count(*) FROM {HANZI}").fetchone()[0] == 0:
        fill_characters(conn)
    conn.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('delete-all')")
    conn.execute(f"DELETE FROM {CARD}")
    conn.execute(f"{INSERT_CARDS} ORDER BY 1")
    with bulk_writing(conn):
        conn.execute(f"{_INSERT_HOUSEHOLDS} ORDER BY h.rowid")
        persons = conn.execute(
            f"""SELECT {person_rowid_sql("p")} AS rowid_in_index, p.name, p.id_number,
                p.legacy_id15, h.code, h.village_code
            FROM person p LEFT JOIN household h ON h.id = p.household_id
            WHERE p.deleted = 0 ORDER BY rowid_in_index"""
        )
        conn.executemany(
            f"INSERT INTO {INDEX} (rowid, keys) VALUES (?, ?)",
            (
                (
                    rowid,
                    person_keys(name, number, legacy, None if code is None else (code, village)),
                )
                for rowid, name, number, legacy, code, village in persons
            ),
        )
    # One segment instead of several: fewer pages to read per query.
    conn.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('optimize')")


# FTS5's defaults (sqlite.org/fts5.html#fts5_configuration_options), restored after a
# bulk write: merge small segments as they appear, keep 1 MiB of terms in memory.
_DEFAULT_SETTINGS = {"automerge": 4, "hashsize": 1024 * 1024}


@contextlib.contextmanager
def bulk_writing(conn: Any, hashsize: int = 64 * 1024 * 1024) -> Iterator[None]:
    """Fewer, larger segments and no merging while many rows are indexed.

    Restoring the defaults writes the pending terms out first, as one segment, still
    without merging.  After the whole register is indexed, the 'optimize' merges
    everything once instead of again and again; a batch (store.search_batch) leaves
    its segment to FTS5's merging of later writes.
    """
    with cache_of_at_least(conn, 64 * 1024):
        for name, value in {"automerge": 0, "hashsize": hashsize}.items():
            conn.execute(f"INSERT INTO {INDEX} ({INDEX}, rank) VALUES (?, ?)", (name, value))
        try:
            yield
        finally:
            for name, value in _DEFAULT_SETTINGS.items():
                conn.execute(f"INSERT INTO {INDEX} ({INDEX}, rank) VALUES (?, ?)", (name, value))


@contextlib.contextmanager
def cache_of_at_least(conn: Any, kib: int) -> Iterator[None]:
    """A page cache of at least `kib` KiB while inside (never a smaller one than the
    connection has: a batch inside a larger cache keeps it), restored afterwards.
    SQLite takes the memory only as pages are read, and gives it back when the size
    comes down again."""
    cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    # A negative size is in KiB, a positive one in pages.
    page = int(conn.execute("PRAGMA page_size").fetchone()[0])
    now = -cache if cache < 0 else cache * page // 1024
    if now < kib:
        conn.execute(f"PRAGMA cache_size = {-kib}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {cache}")


# --- an index built elsewhere (the demo) -------------------------------------------


def person_band(dead: bool, residence_status: str) -> int:
    """The rowid band of a person (see Ranking): 1 living here, 2 living elsewhere, 3 dead."""
    return 3 if dead else 2 if residence_status == "out" else 1


def index_rowid(band: int, rowid: int) -> int:
    """The index rowid of a household (band 0) or person row."""
    return (band << _BAND_SHIFT) + rowid


def build_index(rows: Iterable[tuple[int, str]], into: str | Path) -> None:
    """The index of (index rowid, keys) rows, built apart into a new file `into`.

    For a bulk load: the index is built in a private, unencrypted database of
    made-up keys only (by another process, while the register is being written), and
    `load_index` copies its tables into the register as they are.  Both ends are this
    program's SQLite, with the same definition (_CREATE_SQL), so the copy is the index
    refill() would have made from the same keys.  Rows must come in ascending rowid
    (see refill).  A file, not memory: at a million persons the index and its copy
    in Python were some 600 MB.
    """
    built = sqlcipher3.connect(str(into), isolation_level=None)
    try:
        # A scratch file, thrown away after the load: no journal, no syncing.
        built.execute("PRAGMA journal_mode = OFF")
        built.execute("PRAGMA synchronous = OFF")
        create_tables(built)
        built.execute("BEGIN")
        # Terms are kept in memory up to 64 MiB before a segment is written, and the
        # segments merged once at the end.  With 256 MiB, 300,000 persons fit in one
        # segment (some 15 % less time here), but the terms took over 500 MB of memory
        # at a million persons, beside the writer's.
        with bulk_writing(built, hashsize=64 * 1024 * 1024):
            built.executemany(f"INSERT INTO {INDEX} (rowid, keys) VALUES (?, ?)", rows)
        built.execute(f"INSERT INTO {INDEX} ({INDEX}) VALUES ('optimize')")
        built.execute("COMMIT")
    finally:
        built.close()


def _shadow_tables(conn: Any, schema: str = "main") -> list[str]:
    return [
        row[0]
        for row in conn.execute(
            f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
            "AND name LIKE ? ESCAPE '!' ORDER BY name",
            (INDEX.replace("_", "!_") + "!_%",),
        )
    ]


def load_index(conn: Any, built: str | Path) -> None:
    """Make the register's index the one build_index wrote into the file `built`.

    Called outside a transaction (SQLite attaches a file only then); runs in one of
    its own, and leaves the triggers removed (install() after).  The index table is
    dropped and made again first: FTS5 keeps an index's structure in memory on each
    connection that has read it, across transactions, and would not see rows written
    under it.  The tables are copied by SQLite from the attached file, never through
    Python.
    """
    # KEY '': the built file is a plain SQLite database (SQLCipher's way to say so).
    conn.execute("ATTACH DATABASE ? AS built KEY ''", (str(built),))
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            remove(conn)
            conn.execute(f"DROP TABLE IF EXISTS main.{INDEX}")
            create_tables(conn)
            tables = _shadow_tables(conn)
            if _shadow_tables(conn, "built") != tables:
                raise ValueError(f"not this index's tables: {_shadow_tables(conn, 'built')}")
            if conn.execute(f"SELECT count(*) FROM main.{HANZI}").fetchone()[0] == 0:
                fill_characters(conn)
            for table in tables:
                conn.execute(f"DELETE FROM main.{table}")
                conn.execute(f"INSERT INTO main.{table} SELECT * FROM built.{table}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute("DETACH DATABASE built")


def write_cards(conn: Any) -> None:
    """Write every person's card again from person, as refill does."""
    conn.execute(f"DELETE FROM {CARD}")
    conn.execute(f"{INSERT_CARDS} ORDER BY 1")


def rebuild(register: Register) -> None:
    """Index the whole register again (after a bulk load, or to repair it)."""
    with register.transaction() as conn:
        refill(conn)


# --- asking the index ----------------------------------------------------------------


# The kinds of key, in rank order, with what the result list says about each.
KINDS: dict[str, Text] = {
    "name": Text("姓名相同", "same name"),
    "name_start": Text("姓名开头", "name starts so"),
    "name_part": Text("姓名中含有", "in the name"),
    "pinyin": Text("拼音相同", "same pinyin"),
    "pinyin_start": Text("拼音开头", "pinyin starts so"),
    "initials": Text("拼音首字母", "pinyin initials"),
    "initials_start": Text("拼音首字母开头", "pinyin initials start so"),
    "given_pinyin": Text("名字拼音", "given name's pinyin"),
    "id_number": Text("身份证号相同", "same ID number"),
    "household_code": Text("户编码相同", "same household code"),
    "id_tail": Text("身份证号末几位", "last digits of the ID number"),
    "household_tail": Text("户编码末几位", "last digits of the household code"),
    "id_start": Text("身份证号开头", "ID number starts so"),
    "household_start": Text("户编码开头", "household code starts so"),
}
_RANK = {key: position for position, key in enumerate(KINDS)}

_DIGITS = re.compile(r"^\d+x?$")


class Hit(NamedTuple):
    """One line of the search box's result list.  person_id is None for a household.

    A named tuple: a keystroke makes up to 50 of them, and a tuple is made several
    times faster than a frozen dataclass.
    """

    person_id: str | None
    household_id: str | None
    name: str
    sex: int | None
    birth_date: str | None
    id_number_masked: str
    household_code: str
    group: str
    address: str
    village_code: str
    status: str  # here, in, out (流出), dead, household
    why: str  # a key of KINDS
    score: int  # higher is better; the list is already in this order

    @property
    def why_text(self) -> Text:
        return KINDS[self.why]


def _phrase(text: str) -> str:
    """A string as one FTS5 phrase, whatever it holds."""
    return '"' + text.replace('"', '""') + '"'


def _name_text(text: str) -> str:
    """A typed name as indexed: letters and digits only."""
    return "".join(c for c in text if c.isalnum())


def plan(text: str) -> list[tuple[str, str]]:
    """The FTS5 queries for what was typed, best kind first: (kind, MATCH expression).

    Only characters of the classes each kind can hold reach the expression, and each
    is quoted as a phrase, so nothing typed can make an FTS5 syntax error.
    """
    folded = unicodedata.normalize("NFKC", text).strip()
    if not folded:
        return []
    number = re.sub(r"[\s\-]", "", folded).lower()
    if _DIGITS.match(number):
        return _number_plan(number)
    if pinyin.is_pinyin_query(folded):
        key = pinyin.typed_pinyin(folded)
        return [
            ("pinyin", _phrase("p" + key)),
            ("pinyin_start", _phrase("p" + key) + "*"),
            ("initials", _phrase("i" + key)),
            ("initials_start", _phrase("i" + key) + "*"),
            ("given_pinyin", _phrase("g" + key) + "*"),
        ]
    name = _name_text(folded)
    if not name or name.isascii():
        return []
    return [
        ("name", _phrase("n" + name)),
        ("name_start", _phrase("n" + name) + "*"),
        # Rows holding each pair of neighbouring characters (a single character: its
        # own token); _find keeps those where they stand in a run.
        ("name_part", _part_expression(name)),
    ]


def _part_expression(name: str) -> str:
    chars = " AND ".join(_phrase("c" + char) for char in name)
    if len(name) == 1:
        return chars
    pairs = " AND ".join(_phrase("b" + name[i : i + 2]) for i in range(len(name) - 1))
    return f"({pairs}) OR ({_phrase(MARKED)} AND {chars})"


def run_of(expression: str) -> str:
    """The run of characters a name_part expression asks for ('' for one character).
    Public for benchmarks/bench_search.py, whose bare MATCH keeps the same rows."""
    pairs = _PAIRS.findall(expression)
    return "".join([pairs[0], *(pair[1:] for pair in pairs[1:])]) if pairs else ""


def _number_plan(number: str) -> list[tuple[str, str]]:
    backwards = number[::-1]
    steps: list[tuple[str, str]] = []
    if len(number) >= 15:
        steps.append(("id_number", _phrase("d" + number)))
    whole_code = len(number) == 18
    if whole_code:
        steps.append(("household_code", _phrase("h" + number)))
    steps.append(("id_tail", _phrase("r" + backwards) + "*"))
    if not whole_code:
        # A household code has 18 digits (the schema holds it so): 18 typed digits are
        # a code's last 18 or its first 18 only if they are the whole code, whose
        # households and persons household_code has found already.
        steps.append(("household_tail", _phrase("e" + backwards) + "*"))
    steps.append(("id_start", _phrase("d" + number) + "*"))
    if not whole_code:
        steps.append(("household_start", _phrase("h" + number) + "*"))
    return steps


def search(
    register: Register, text: str, *, limit: int = 20, village_code: str | None = None
) -> list[Hit]:
    """The best `limit` hits for what was typed, best first.  Blank text finds nothing.

    An account sees its own area only: an officer's search is always their village's,
    and asking for a village outside the account's area is refused."""
    limit = operator.index(limit)  # written into the statement (see _KIND): a whole number
    if limit <= 0:
        return []
    village_code = access.village_scope(register, village_code)
    try:
        return _find(register.conn, plan(text), limit, village_code)
    except sqlcipher3.DatabaseError as exc:
        raise translate(exc, str(register.path)) from exc


def _find(
    conn: Any, steps: list[tuple[str, str]], limit: int, village_code: str | None
) -> list[Hit]:
    """The first `limit` different rows, kind after kind in rank order, each kind's in
    rowid order, with what the list shows of them: one statement per keystroke.

    The statement asks for every kind (UNION ALL), each kind its first `limit` rows,
    and is read only until the list is full: SQLite makes each row when it is asked
    for, so the kinds after the one that fills the list are never started.  The first
    `limit` rows of a kind hold at least as many new rows as the kinds before it left
    room for, so this is the list that asking kind after kind gives.
    """
    if not steps:
        return []
    kinds: list[str] = []
    params: list[Any] = []
    shapes: list[str] = []
    for kind, expression in steps:
        kinds.append(kind)
        start = _long_code_start(kind, expression)
        if start is not None:
            # A household code's first 7 digits or more: B-trees on the code.
            shapes.append(_code_shape(len(start), bool(village_code), limit))
            params += _code_params(start, village_code)
            continue
        number = _long_id_start(kind, expression)
        if number is not None:
            shapes.append(_id_shape(len(number), bool(village_code), limit))
            params += _id_params(number, village_code)
            continue
        run = run_of(expression) if kind == "name_part" else ""
        if village_code:
            expression = f"({expression}) AND {_phrase('v' + village_code)}"
        shapes.append((_RUN if run else _KIND).format(limit=limit))
        params.append(expression)
        if run:
            params += [_fold(run), _fold(run)]
    # Households are found only by their codes: other kinds need not look for them.
    households = any(kind.startswith("household") for kind in kinds)
    found: dict[int, tuple[Any, ...]] = {}
    _read(conn, _statement(tuple(shapes), tuple(kinds), households), params, found, limit)
    return [_hit(row) for row in found.values() if row[2] is not None]


def _read(
    conn: Any, sql: str, params: list[Any], found: dict[int, tuple[Any, ...]], limit: int
) -> None:
    """Keep the rows of a statement that are new, kind after kind, until `limit` are
    found.  Each kind's rows come in rowid order (each kind's query orders them), the
    order in which a kind's rows are wanted, so the first new rows are the best."""
    cursor = _execute(conn, sql, params)
    try:
        for row in cursor:
            found.setdefault(row[_ROWID], row)
            if len(found) >= limit:
                break  # the kinds after this one are never started
    finally:
        cursor.close()  # ends the statement (and its read of the file) now


_PAIRS = re.compile(r'"b([^"]+)"')  # the pairs of characters of a name_part query, in order

# Characters that lower case and the removal of diacritics leave as they are: a name
# made of these alone holds a run exactly when it holds it as typed (and folded).
_FOLDS_TO_ITSELF = "0-9a-z\u3400-\u9fff\u00b7\u2022\u30fb. \u3000"
_RUN_FUNCTION = "fpdesk_holds_run"
_FIRST = f"substr(c.name, 1, {MAX_NAME})"
# The rows of one kind of key (k, its place in the plan), at most `limit` of them.
# Every kind's limit is written into the statement as a number, never bound: SQLite
# (3.51 here) prepares a statement again each time a parameter its LIMIT reads is
# bound, some 10 us for one small query and 150 us for a keystroke's compound one,
# a third of a short search.  The statements differ only by the limit, and the window
# always asks for the same number.
_KIND = f"SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ? ORDER BY rowid LIMIT {{limit}}"
# A run of characters inside a name (三丰 = c三 and c丰, next to each other): the index
# has no positions (detail = 'none'), so the query finds the rows holding each pair of
# neighbouring characters of the run (b三丰; b黄志 and b志春), in rowid order, and the
# name on the card says whether the whole run stands together among the first
# MAX_NAME characters (黄志春, not 黄志X志春), as c tokens would with positions.  Kept in
# SQL, so this kind has a row limit like the others; only a name with letters that
# fold (capitals, diacritics) asks Python (_holds_run).
_RUN = (
    f"SELECT m.rowid AS rowid FROM {INDEX} m JOIN {CARD} c ON c.rowid = m.rowid "
    f"WHERE {INDEX} MATCH ? AND (CASE WHEN {_FIRST} GLOB '*[^{_FOLDS_TO_ITSELF}]*' "
    f"THEN {_RUN_FUNCTION}(c.name, ?) ELSE instr({_FIRST}, ?) > 0 END) "
    "ORDER BY m.rowid LIMIT {limit}"
)
# The start of a household code, 7 digits or more (a township's, a village's, a
# group's), is longer than the index's prefixes (up to six digits after the h): FTS5
# would merge the lists of every code it covers, thousands of one-row lists, to give
# them in rowid order (16 ms at 300,000 persons).  B-trees on the code (schema step
# 0011) give the same rows: first the live households (band 0: their index rowid is
# their table rowid) in rowid order, from the index of the code's first 7-11 digits
# (its entries for one start are in rowid order: 50 read, no more), or, for a longer
# start (a village's, a few hundred households), from a range of the code's own index,
# or within the village asked for; then the live persons of the households in the
# range, whose tokens carry its code (higher bands, so after them, as in the index).
# Those are all sorted before the first comes out, so they are read only when the
# households are fewer than the limit (otherwise the households fill the list): the
# connection reads a row ahead, and would sort them as soon as the households' last
# row was read (228 ms for a 7-digit start).  Codes are digits; a start with an x
# keeps the full-text index, which folds case.
_LONG_CODE = re.compile(r'^"h(\d{7,})"\*$')
_SHORT_STARTS = range(7, 12)  # household_code_7 ... household_code_11
_IN_RANGE = "h.code >= ? AND h.code < ?"
# (The count comes first, CROSS JOIN: as a condition beside the others, SQLite would
# go through the range's households to test it on each.)
_MEMBERS_IN_RANGE = (
    f"SELECT {person_rowid_sql('p')} AS rowid "
    "FROM (SELECT count(*) AS households FROM ({enough})) CROSS JOIN "
    "household h INDEXED BY household_code_start JOIN person p ON p.household_id = h.id "
    f"WHERE households < {{limit}} AND {_IN_RANGE}{{village}} AND p.deleted = 0 "
    "ORDER BY 1 LIMIT {limit}"
)


@functools.lru_cache(maxsize=32)
def _code_shape(digits: int, village: bool, limit: int) -> str:
    """The rows of a household-code start of `digits` digits: its households, then its
    persons if the households are fewer than `limit` (parameters: `_code_params`).

    A start of 12 digits or more (a village's, a group's) reads and sorts the
    households of its range: no index holds them in rowid order, and a village has a
    few hundred."""
    if village:
        households = (
            "SELECT h.rowid AS rowid FROM household h INDEXED BY household_village "
            f"WHERE h.village_code = ? AND {_IN_RANGE} AND h.deleted = 0"
        )
    elif digits in _SHORT_STARTS:
        households = (
            f"SELECT h.rowid AS rowid FROM household h INDEXED BY household_code_{digits} "
            f"WHERE substr(h.code, 1, {digits}) = ? AND h.deleted = 0"
        )
    else:
        households = (
            "SELECT h.rowid AS rowid FROM household h INDEXED BY household_code_start "
            f"WHERE {_IN_RANGE} AND h.deleted = 0"
        )
    # Whether there are `limit` households, counted in the index's order (no sorting).
    members = _MEMBERS_IN_RANGE.format(
        village=" AND h.village_code = ?" if village else "",
        enough=f"{households} LIMIT {limit}",
        limit=limit,
    )
    return (
        f"SELECT rowid FROM ({households} ORDER BY h.rowid LIMIT {limit}) "
        f"UNION ALL SELECT rowid FROM ({members})"
    )


def _code_params(start: str, village_code: str | None) -> list[Any]:
    if village_code:
        households = [village_code, start, _after(start)]
    elif len(start) in _SHORT_STARTS:
        households = [start]
    else:
        households = [start, _after(start)]
    members = [start, _after(start), *([village_code] if village_code else [])]
    return households + households + members


def _after(start: str) -> str:
    """The first code after those starting with `start` (codes are digits)."""
    return start[:-1] + chr(ord(start[-1]) + 1)


def _long_code_start(kind: str, expression: str) -> str | None:
    """The digits of a household code's start that the code's B-tree finds faster."""
    if kind != "household_start":
        return None
    match = _LONG_CODE.match(expression)
    return match[1] if match else None


# The start of an ID number, 7 to 10 digits (a county's and the century, decade or year
# of birth), is longer than the index's prefixes (up to six digits after the d): FTS5
# would merge the lists of every number it covers, a one-row list each, tens of
# thousands of them, before giving the first (115 ms at 300,000 persons).  B-trees on
# the number's first 7-10 digits and the person's band (schema step 0013) give the same
# rows: their entries for one start come in band and rowid order, which is the index
# rowid's order, so the first `limit` are read and no more.  A person's old 15-digit
# number is indexed too (d tokens): the few persons whose old number starts so (a
# range of its own B-tree, sorted) are merged in.  Within a village, its persons are
# read from the village's token until the list is full, their numbers on their cards
# (2 ms, where the B-trees would pass the other villages' persons of the start).  A
# longer start covers fewer numbers (a county's births of a month), which FTS5 merges
# fast enough; a start with an x keeps it.
_LONG_ID = re.compile(r'^"d(\d{7,10})"\*$')
_BAND = _PERSON_BAND.format(p="p.")


@functools.lru_cache(maxsize=16)
def _id_shape(digits: int, village: bool, limit: int) -> str:
    """The persons whose ID number (or old number) starts with `digits` digits, in index
    rowid order (parameters: `_id_params`)."""
    numbers = (
        f"SELECT {_BAND} AS band, p.rowid AS row FROM person p "
        f"INDEXED BY person_id_start_{digits} "
        f"WHERE substr(p.id_number, 1, {digits}) = ? AND p.deleted = 0 "
        "AND p.id_number IS NOT NULL"
    )
    old = (
        f"SELECT {_BAND} AS band, p.rowid AS row FROM person p "
        "INDEXED BY person_legacy_start "
        "WHERE p.legacy_id15 >= ? AND p.legacy_id15 < ? AND p.deleted = 0"
    )
    if village:
        # The village's token (its persons, in index rowid order), kept when the number
        # on the card starts so (a new number, or the old one of a person without) or
        # the old number does: a village's persons are read until the list is full.
        return (
            f"SELECT m.rowid AS rowid FROM {INDEX} m JOIN {CARD} c ON c.rowid = m.rowid "
            f"WHERE {INDEX} MATCH ? AND (substr(c.id_number, 1, {digits}) = ? OR m.rowid IN "
            f"(SELECT (band << {_BAND_SHIFT}) + row FROM ({old}))) ORDER BY m.rowid LIMIT {limit}"
        )
    return (
        f"SELECT (band << {_BAND_SHIFT}) + row AS rowid FROM "
        f"({numbers} UNION {old} ORDER BY 1, 2 LIMIT {limit})"
    )


def _id_params(start: str, village_code: str | None) -> list[Any]:
    if village_code:
        return [_phrase("v" + village_code), start, start, _after(start)]
    return [start, start, _after(start)]


def _long_id_start(kind: str, expression: str) -> str | None:
    """The digits of an ID number's start that the number's B-trees find faster."""
    if kind != "id_start":
        return None
    match = _LONG_ID.match(expression)
    return match[1] if match else None


# What the list shows of each row, in the order of Hit's fields, but for the ID number
# as stored (_hit masks it): a person's card and household, a household and its head,
# why it was found and its score; then the row's index rowid.  A row the index has but
# the tables have not (the index is behind) comes back without either (name NULL) and
# is left out rather than shown wrong.  The kinds are one compound query read row by
# row (its LIMIT keeps SQLite from copying the joins into every kind, each of which
# would then cost more to start).  (Masking in SQL took four times as long as in
# Python: 1.5 us a row.)
_PERSONS_SHOWN = f"""SELECT c.person_id, c.household_id, c.name, c.sex, c.birth_date,
    c.id_number, coalesce(h.code, ''), coalesce(h.group_no, ''),
    coalesce(h.address, ''), coalesce(h.village_code, ''), c.status, m.why,
    1000 - 10 * m.rank - (m.rowid >> {_BAND_SHIFT}), m.rowid
FROM ({{kinds}} LIMIT -1) m
LEFT JOIN {CARD} c ON c.rowid = m.rowid
LEFT JOIN household h ON h.id = c.household_id"""
_HOUSEHOLDS_SHOWN = f"""SELECT c.person_id, coalesce(c.household_id, x.id),
    CASE WHEN x.rowid IS NOT NULL THEN coalesce(head.name, '') ELSE c.name END,
    coalesce(c.sex, head.sex), coalesce(c.birth_date, head.birth_date),
    coalesce(c.id_number, head.id_number),
    coalesce(h.code, x.code, ''), coalesce(h.group_no, x.group_no, ''),
    coalesce(h.address, x.address, ''), coalesce(h.village_code, x.village_code, ''),
    coalesce(c.status, 'household'), m.why,
    1000 - 10 * m.rank - (m.rowid >> {_BAND_SHIFT}), m.rowid
FROM ({{kinds}} LIMIT -1) m
LEFT JOIN {CARD} c ON c.rowid = m.rowid
LEFT JOIN household h ON h.id = c.household_id
LEFT JOIN household x ON c.rowid IS NULL AND x.rowid = m.rowid
LEFT JOIN person head ON x.rowid IS NOT NULL AND head.id = x.head_id"""
_FIELDS = len(Hit._fields)  # a row's first columns: the Hit's
_ROWID = _FIELDS  # then the index rowid


@functools.lru_cache(maxsize=64)
def _statement(shapes: tuple[str, ...], kinds: tuple[str, ...], households: bool) -> str:
    """The statement for a plan: per kind (a key of KINDS), the query that gives its
    rows (_KIND, _RUN, _code_shape...); whether households can be among the rows."""
    each = " UNION ALL ".join(
        f"SELECT '{kind}' AS why, {_RANK[kind]} AS rank, rowid FROM ({shape})"
        for kind, shape in zip(kinds, shapes, strict=True)
    )
    return (_HOUSEHOLDS_SHOWN if households else _PERSONS_SHOWN).format(kinds=each)


def _execute(conn: Any, sql: str, params: list[Any]) -> Any:
    try:
        return conn.execute(sql, params)
    except sqlcipher3.OperationalError as exc:
        if _RUN_FUNCTION not in str(exc):
            raise
    # A connection that has not looked for a run of characters yet.  (Made here, not
    # when the register opens: a function in a trigger would make every other tool
    # fail on a write; only this query asks for this one.)
    conn.create_function(_RUN_FUNCTION, 2, _holds_run, deterministic=True)
    return conn.execute(sql, params)


def _holds_run(name: str, run: str) -> bool:
    return run in _fold(name[:MAX_NAME])


def _fold(text: str) -> str:
    """Text as the unicode61 tokenizer compares it: lower case, no diacritics."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _hit(row: tuple[Any, ...]) -> Hit:
    # tuple.__new__: Hit(...) would take every field again as a Python argument.
    return _new_tuple(Hit, (*row[:5], _masked(row[5]), *row[6:_FIELDS]))


_new_tuple = tuple.__new__
# An ID number as stored (digits, a capital X), which core.idnumber.normalise leaves
# as it is: masked here without its set-up, 50 times a keystroke.
_STORED_NUMBER = re.compile(r"[0-9X]{9,}")


def _masked(number: str | None) -> str:
    if number is not None and _STORED_NUMBER.fullmatch(number):
        return number[:4] + "*" * (len(number) - 8) + number[-4:]
    return mask_id_number(number)
