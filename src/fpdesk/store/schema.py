"""The register's tables, as named migration steps.

A step is never edited once released: a schema change is a new step appended to
MIGRATIONS.  `SCHEMA_VERSION` is the number of steps this program knows; a register
whose `user_version` is higher was made by a newer program and is refused.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from fpdesk.core import population
from fpdesk.store import capture, search

MIGRATIONS = Migrations("fpdesk")

# Columns every replicated table has.  `id` is a UUIDv7 (see core.ids): rows made on
# different laptops never collide.  `deleted` is a tombstone: a deletion must travel
# to the township like any other change, so rows are never removed outright.
_COMMON = "id TEXT PRIMARY KEY NOT NULL, deleted INTEGER NOT NULL DEFAULT 0"
_FK = "DEFERRABLE INITIALLY DEFERRED"

INITIAL_SQL = f"""
CREATE TABLE register_info (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- Per-laptop state read by the capture triggers: who is working, and (while a bundle
-- is being applied) where the change came from.
CREATE TABLE local_state (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT
);
INSERT INTO local_state (key, value) VALUES ('actor', NULL), ('origin', NULL);

CREATE TABLE area_unit (
    code TEXT PRIMARY KEY NOT NULL CHECK (length(code) = 12),
    parent_code TEXT,
    level TEXT NOT NULL CHECK (level IN
        ('province', 'prefecture', 'county', 'township', 'village')),
    name TEXT NOT NULL,
    valid_from TEXT NOT NULL DEFAULT '1900-01-01',
    valid_to TEXT,
    urban INTEGER NOT NULL DEFAULT 0,
    quality_pilot INTEGER NOT NULL DEFAULT 0,
    self_governance INTEGER NOT NULL DEFAULT 0,
    demonstration INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX area_unit_parent ON area_unit (parent_code);

CREATE TABLE household (
    {_COMMON},
    code TEXT NOT NULL CHECK (length(code) = 18),
    village_code TEXT NOT NULL CHECK (length(village_code) = 12),
    group_no TEXT NOT NULL CHECK (length(group_no) = 2),
    address TEXT NOT NULL DEFAULT '',
    head_id TEXT REFERENCES person (id) {_FK},
    phone TEXT,
    registration_type INTEGER NOT NULL DEFAULT 2,
    note TEXT
);
CREATE UNIQUE INDEX household_code ON household (code) WHERE deleted = 0;
CREATE INDEX household_village ON household (village_code, group_no, code);

CREATE TABLE person (
    {_COMMON},
    household_id TEXT NOT NULL REFERENCES household (id) {_FK},
    name TEXT NOT NULL,
    sex INTEGER NOT NULL,
    birth_date TEXT NOT NULL,
    id_number TEXT,
    legacy_id15 TEXT,
    ethnicity TEXT NOT NULL DEFAULT '01',
    marital_status INTEGER NOT NULL DEFAULT 10,
    relationship INTEGER NOT NULL DEFAULT 0,
    registration_type INTEGER NOT NULL DEFAULT 2,
    -- here: registered and living here; out: registered here, living elsewhere (流出);
    -- in: living here, registered elsewhere (流入)
    residence_status TEXT NOT NULL DEFAULT 'here' CHECK (residence_status IN ('here', 'out', 'in')),
    residence_place TEXT,
    residence_since TEXT,
    death_date TEXT,
    death_cause TEXT,
    phone TEXT,
    note TEXT
);
CREATE UNIQUE INDEX person_id_number ON person (id_number)
    WHERE deleted = 0 AND id_number IS NOT NULL;
CREATE INDEX person_household ON person (household_id);
CREATE INDEX person_women ON person (sex, birth_date);

-- A couple.  Either spouse may live outside this register: then that side's id is NULL
-- and the outside_spouse_* columns say who they are.
CREATE TABLE marriage (
    {_COMMON},
    wife_id TEXT REFERENCES person (id) {_FK},
    husband_id TEXT REFERENCES person (id) {_FK},
    outside_spouse_name TEXT,
    outside_spouse_id_number TEXT,
    outside_spouse_address TEXT,
    married_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT CHECK (end_reason IN ('divorce', 'widowed')),
    CHECK (wife_id IS NOT NULL OR husband_id IS NOT NULL)
);
CREATE INDEX marriage_wife ON marriage (wife_id);
CREATE INDEX marriage_husband ON marriage (husband_id);

CREATE TABLE pregnancy (
    {_COMMON},
    woman_id TEXT NOT NULL REFERENCES person (id) {_FK},
    marriage_id TEXT REFERENCES marriage (id) {_FK},
    registered_on TEXT NOT NULL,
    last_period_on TEXT,
    expected_on TEXT,
    outcome TEXT,
    outcome_on TEXT,
    note TEXT
);
CREATE INDEX pregnancy_woman ON pregnancy (woman_id);

-- One row per child: twins are two rows.  Birth order (孩次) is never stored: it is
-- computed for the couple from all their births (core.policy.birth_orders).
CREATE TABLE birth (
    {_COMMON},
    pregnancy_id TEXT REFERENCES pregnancy (id) {_FK},
    mother_id TEXT NOT NULL REFERENCES person (id) {_FK},
    father_id TEXT REFERENCES person (id) {_FK},
    marriage_id TEXT REFERENCES marriage (id) {_FK},
    child_id TEXT REFERENCES person (id) {_FK},
    birth_date TEXT NOT NULL,
    sex INTEGER NOT NULL,
    weight_g INTEGER,
    place TEXT,
    alive INTEGER NOT NULL DEFAULT 1,
    child_relation TEXT NOT NULL DEFAULT 'own' CHECK (child_relation IN ('own', 'step', 'adopted')),
    document_kind TEXT,
    document_no TEXT,
    note TEXT
);
CREATE INDEX birth_mother ON birth (mother_id);
CREATE INDEX birth_father ON birth (father_id);
CREATE INDEX birth_date ON birth (birth_date);

-- A contraception episode is counted under the woman (woman_id) even when the method
-- is her husband's sterilisation: then user_id is the husband.
CREATE TABLE contraception (
    {_COMMON},
    woman_id TEXT NOT NULL REFERENCES person (id) {_FK},
    user_id TEXT REFERENCES person (id) {_FK},
    method TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    end_reason TEXT,
    provider TEXT,
    note TEXT
);
CREATE INDEX contraception_woman ON contraception (woman_id);

CREATE TABLE supply (
    {_COMMON},
    person_id TEXT NOT NULL REFERENCES person (id) {_FK},
    handed_on TEXT NOT NULL,
    item TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    handed_by TEXT
);
CREATE INDEX supply_person ON supply (person_id, handed_on);

-- A follow-up or service visit.  follows_table/follows_id name the event it follows
-- (an IUD insertion, a pregnancy, a birth), so due lists can tell which are done.
CREATE TABLE visit (
    {_COMMON},
    person_id TEXT NOT NULL REFERENCES person (id) {_FK},
    visit_type TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    visited_by TEXT,
    result TEXT,
    follows_table TEXT,
    follows_id TEXT,
    note TEXT
);
CREATE INDEX visit_person ON visit (person_id, visit_type, visited_on);
CREATE INDEX visit_follows ON visit (follows_id);

CREATE TABLE move (
    {_COMMON},
    person_id TEXT NOT NULL REFERENCES person (id) {_FK},
    kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    moved_on TEXT NOT NULL,
    place TEXT,
    reason TEXT
);
CREATE INDEX move_person ON move (person_id);

CREATE TABLE certificate (
    {_COMMON},
    woman_id TEXT NOT NULL REFERENCES person (id) {_FK},
    marriage_id TEXT REFERENCES marriage (id) {_FK},
    kind TEXT NOT NULL,
    number TEXT,
    issued_on TEXT NOT NULL,
    note TEXT
);
CREATE INDEX certificate_woman ON certificate (woman_id);

-- Every change to a replicated table, written by triggers in the same transaction as
-- the change (store.capture).  It is both the history shown to the user and the outbox
-- the change bundles are cut from: one record, so the two can never disagree.
CREATE TABLE change_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    old TEXT,
    new TEXT,
    at TEXT NOT NULL,
    actor TEXT,
    device_id TEXT,
    origin TEXT
);
CREATE INDEX change_log_row ON change_log (row_id, seq);
"""


STEP_NAMES: list[str] = []


def step(name: str) -> Callable[[Callable[[Database], None]], Callable[[Database], None]]:
    """Register a named migration step (and remember its name for the version check)."""

    def register(fn: Callable[[Database], None]) -> Callable[[Database], None]:
        STEP_NAMES.append(name)
        return MIGRATIONS(name=name)(fn)

    return register


@step("0001_initial")
def _initial(db: Database) -> None:
    run_script(db.conn, INITIAL_SQL)
    capture.install(db.conn)


def run_script(conn: Any, script: str) -> None:
    """Run several statements inside the caller's transaction.

    executescript() would COMMIT first and break the migration's transaction, so the
    statements run one by one.
    """
    for statement in _statements(script):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    out: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement: {buffer[:80]!r}")
    return out


def schema_version() -> int:
    """How many steps this program knows; stored as the register's user_version."""
    return len(STEP_NAMES)


@step("0002_search")
def _search(db: Database) -> None:
    # The search box's index (store.search): its tables, its triggers, and the rows
    # of a register that already holds persons.
    search.create_tables(db.conn)
    search.fill_characters(db.conn)
    search.install(db.conn)
    search.refill(db.conn)


# Keys, enrolled devices and the bookkeeping of change bundles (fpdesk.sync).  None of
# these tables is replicated: they describe this laptop's side of the exchange.
SYNC_SQL = """
-- This register's own keys.  Private keys live here, inside the encrypted file.
CREATE TABLE sync_key (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

-- The other side: at the township every enrolled village laptop, at a village the
-- township.  Bundles from a device not here, or revoked, are refused.
CREATE TABLE sync_device (
    device_id TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('village', 'township')),
    area_code TEXT NOT NULL,
    sign_public TEXT NOT NULL,
    age_recipient TEXT NOT NULL,
    recovery_recipient TEXT,
    fingerprint TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    revoked_at TEXT,
    -- highest sequence of this device applied here (contiguous), and of ours it has
    received_upto INTEGER NOT NULL DEFAULT 0,
    acked_by_peer INTEGER NOT NULL DEFAULT 0,
    last_bundle_hash TEXT
);

-- Content hash of every change received, by device and sequence: a re-sent change must
-- be identical, or the laptop was restored from an old backup (a fork).
CREATE TABLE sync_received (
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    change_hash TEXT NOT NULL,
    PRIMARY KEY (device_id, seq)
) WITHOUT ROWID;

-- Every bundle file seen, whatever became of it.
CREATE TABLE sync_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    seen_at TEXT NOT NULL,
    file_name TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    device_id TEXT,
    kind TEXT,
    after_seq INTEGER,
    upto_seq INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN
        ('accepted', 'duplicate', 'gap', 'fork', 'refused')),
    reason_zh TEXT,
    reason_en TEXT,
    applied INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    queued INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sync_ledger_file ON sync_ledger (file_hash);

-- Bundles held for the clerk (forks): kept whole, nothing in them is lost.
CREATE TABLE sync_held (
    file_hash TEXT PRIMARY KEY NOT NULL,
    device_id TEXT NOT NULL,
    held_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    data BLOB NOT NULL
);

-- Changes that did not merge cleanly.  The id is a hash of where the change came from,
-- so importing the same bundle again finds the same conflict instead of a new one.
CREATE TABLE sync_conflict (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    device_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    tbl TEXT NOT NULL,
    row_id TEXT NOT NULL,
    field TEXT NOT NULL,
    base TEXT,
    theirs TEXT,
    ours TEXT,
    other_row_id TEXT,
    created_at TEXT NOT NULL,
    resolved_at TEXT,
    resolution TEXT,
    resolved_value TEXT,
    resolved_by TEXT
);
CREATE INDEX sync_conflict_open ON sync_conflict (resolved_at, created_at);

-- Looking for the same person entered in two villages (same name and birth date).
CREATE INDEX sync_person_birth_name ON person (birth_date, name);
"""


@step("0003_sync")
def _sync(db: Database) -> None:
    run_script(db.conn, SYNC_SQL)


# Unsaved forms, kept so that a crash or a power cut does not lose what the officer
# typed.  Local to this laptop (not in capture.REPLICATED): a half-typed form is
# nobody else's business and must never travel in a bundle.  It lives inside the
# encrypted register because a half-typed form holds the same sensitive data.
DRAFTS_SQL = """
CREATE TABLE draft (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    context TEXT NOT NULL DEFAULT '{}',
    "values" TEXT NOT NULL DEFAULT '{}',
    saved_at TEXT NOT NULL
);
"""


@step("0004_drafts")
def _drafts(db: Database) -> None:
    run_script(db.conn, DRAFTS_SQL)


# Statistics audits and the record of produced reports.  Both are local to the
# register that made them, not replicated: an audit checks what the villages reported,
# so the villages' laptops must not be able to edit its findings, and a report run
# records what this office reported.
AUDIT_SQL = """
CREATE TABLE audit_sample (
    id TEXT PRIMARY KEY NOT NULL,
    area_code TEXT NOT NULL,
    period TEXT NOT NULL,
    seed INTEGER NOT NULL,
    size INTEGER NOT NULL,
    population INTEGER NOT NULL,
    drawn_on TEXT NOT NULL,
    drawn_by TEXT
);

CREATE TABLE audit_household (
    sample_id TEXT NOT NULL REFERENCES audit_sample (id),
    household_id TEXT NOT NULL,
    village_code TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (sample_id, household_id)
);

-- What the verification visit found beside what the register said that day: the
-- register is corrected after the audit, so the registered counts are kept as they were.
CREATE TABLE audit_finding (
    id TEXT PRIMARY KEY NOT NULL,
    sample_id TEXT NOT NULL REFERENCES audit_sample (id),
    household_id TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    visited_by TEXT,
    births_found INTEGER NOT NULL CHECK (births_found >= 0),
    births_registered INTEGER NOT NULL CHECK (births_registered >= 0),
    persons_found INTEGER NOT NULL CHECK (persons_found >= 0),
    persons_registered INTEGER NOT NULL CHECK (persons_registered >= 0),
    note TEXT,
    recorded_at TEXT NOT NULL,
    UNIQUE (sample_id, household_id)
);
CREATE INDEX audit_finding_visited ON audit_finding (visited_on);

CREATE TABLE report_run (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    areas TEXT NOT NULL,
    definitions_version TEXT NOT NULL,
    definitions_hash TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    file_hash TEXT,
    produced_at TEXT NOT NULL,
    content TEXT NOT NULL
);
CREATE INDEX report_run_period ON report_run (period, produced_at);
"""


@step("0005_audit")
def _audit(db: Database) -> None:
    run_script(db.conn, AUDIT_SQL)


# Accounts and the record of processing (PIPL): both local to this register, never
# replicated.  The keyring file beside the register holds the wrapped keys; this table
# is what a role and area are, and wins over the file.  access_log keeps logins,
# failed logins, exports, imports, prints, reports, backups and account changes;
# edits are in change_log already, with their actor.
ACCOUNTS_SQL = """
CREATE TABLE account (
    name TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('officer', 'clerk', 'administrator')),
    area_code TEXT NOT NULL CHECK (length(area_code) = 12),
    created_at TEXT NOT NULL,
    created_by TEXT,
    removed_at TEXT
);

CREATE TABLE access_log (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    account TEXT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX access_log_at ON access_log (at);
"""


@step("0006_accounts")
def _accounts(db: Database) -> None:
    run_script(db.conn, ACCOUNTS_SQL)


# Covering indexes for the two reads that run most: the due list (one village's women
# and their events, looked up by person) and the indicators (whole tables read once).
# SQLCipher decrypts every page a read touches, and a row of these tables sits on a
# page of its own among other persons' rows; with the columns those reads use kept in
# the index beside the key, a lookup or a scan reads the index pages alone.  The
# leading columns are the old ones, so every query that used an index still can.
# household_village gains `deleted` and `id`: a scan of it maps households to villages.
READ_INDEXES_SQL = """
DROP INDEX household_village;
CREATE INDEX household_village ON household (village_code, group_no, code, deleted, id);
DROP INDEX person_household;
CREATE INDEX person_household ON person
    (household_id, deleted, sex, birth_date, death_date, residence_status, id);
DROP INDEX person_women;
CREATE INDEX person_women ON person
    (sex, birth_date, deleted, death_date, residence_status, household_id, id);
DROP INDEX marriage_wife;
CREATE INDEX marriage_wife ON marriage (wife_id, deleted, married_on, ended_on, id);
DROP INDEX pregnancy_woman;
CREATE INDEX pregnancy_woman ON pregnancy
    (woman_id, deleted, registered_on, outcome_on, id);
DROP INDEX birth_mother;
CREATE INDEX birth_mother ON birth
    (mother_id, deleted, child_relation, birth_date, father_id, document_kind, sex, id);
DROP INDEX birth_father;
CREATE INDEX birth_father ON birth
    (father_id, deleted, child_relation, birth_date, mother_id, document_kind, sex, id);
DROP INDEX contraception_woman;
CREATE INDEX contraception_woman ON contraception
    (woman_id, deleted, started_on, ended_on, method, user_id, id);
DROP INDEX supply_person;
CREATE INDEX supply_person ON supply (person_id, handed_on, deleted, item, quantity);
DROP INDEX visit_person;
CREATE INDEX visit_person ON visit (person_id, visit_type, visited_on, deleted, follows_id);
DROP INDEX move_person;
CREATE INDEX move_person ON move (person_id, deleted, moved_on, kind);
"""


@step("0007_read_indexes")
def _read_indexes(db: Database) -> None:
    run_script(db.conn, READ_INDEXES_SQL)


# Registration and residence told apart (core.population).  The move table's kinds were
# `in` and `out` for everything; they become the six kinds of the two event types:
# 迁入 transfer_in / 迁出 transfer_out (the hukou moves) and 流出 float_out / 返回 return,
# 流入 float_in / 离开 leave (only where the person lives changes).  A 0.1 move is read
# as `record_move` and `record_move_in` wrote it (core.population.upgrade_legacy): an
# `out` was a 流出.  The table is rebuilt for its CHECK; its capture triggers with it.
# Households gain the date and reason of their closing (销户), which is recorded when
# the last registered member transfers out and the officer closes the household.
MOVES_SQL = """
CREATE TABLE move_new (
    {common},
    person_id TEXT NOT NULL REFERENCES person (id) {fk},
    kind TEXT NOT NULL CHECK (kind IN ({kinds})),
    moved_on TEXT NOT NULL,
    place TEXT,
    reason TEXT
);
"""


@step("0008_residence_moves")
def _residence_moves(db: Database) -> None:
    conn = db.conn
    kinds = ", ".join(f"'{k}'" for k in population.KINDS)
    conn.execute(MOVES_SQL.format(common=_COMMON, fk=_FK, kinds=kinds))
    by_person: dict[str, list[tuple[str, str, str]]] = {}
    statuses: dict[str, str] = {}
    for row_id, person_id, moved_on, kind, status in conn.execute(
        "SELECT m.id, m.person_id, m.moved_on, m.kind, coalesce(p.residence_status, 'here') "
        "FROM move m LEFT JOIN person p ON p.id = m.person_id ORDER BY m.moved_on, m.rowid"
    ):
        by_person.setdefault(person_id, []).append((row_id, moved_on, kind))
        statuses[person_id] = status
    new_kind: dict[str, str] = {}
    for person_id, moves in by_person.items():
        upgraded = population.upgrade_legacy([(m[1], m[2]) for m in moves], statuses[person_id])
        new_kind.update((m[0], k) for m, k in zip(moves, upgraded, strict=True))
    for row in conn.execute(
        "SELECT id, deleted, person_id, kind, moved_on, place, reason FROM move"
    ).fetchall():
        conn.execute(
            "INSERT INTO move_new (id, deleted, person_id, kind, moved_on, place, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (row[0], row[1], row[2], new_kind.get(row[0], row[3]), *row[4:]),
        )
    conn.execute("DROP TABLE move")
    conn.execute("ALTER TABLE move_new RENAME TO move")
    conn.execute("CREATE INDEX move_person ON move (person_id, deleted, moved_on, kind)")
    conn.execute("ALTER TABLE household ADD COLUMN closed_on TEXT")
    conn.execute("ALTER TABLE household ADD COLUMN close_reason TEXT")
    capture.install(conn)


# A register restored from a backup starts a new generation (store.backup.restore
# records it in register_info).  Each enrolled device's row says which generation of
# the township its acknowledgements refer to: at the township, the one the village has
# confirmed; at a village, the township's one it last took an update from, and the ones
# it has left behind (JSON list), whose updates are stale.
REGISTER_GENERATION_SQL = """
ALTER TABLE sync_device ADD COLUMN generation TEXT NOT NULL DEFAULT '';
ALTER TABLE sync_device ADD COLUMN retired_generations TEXT NOT NULL DEFAULT '[]';
"""


@step("0009_register_generation")
def _register_generation(db: Database) -> None:
    run_script(db.conn, REGISTER_GENERATION_SQL)


# The clerk's decisions, each with who, when and why: conflicts resolved, persons
# merged and un-merged, pairs found to be two persons.  Read back as the history in the
# window and by `conflicts list --all` / `duplicates list --all`; a decision travels
# to the village concerned in its next update bundle (`seq`: the township's change
# log when it was made), where it is kept with `origin` 'township'.  Local, never
# replicated as rows: a village receives only the decisions about its own records.
RESOLUTION_HISTORY_SQL = """
CREATE TABLE sync_decision (
    id TEXT PRIMARY KEY NOT NULL,
    at TEXT NOT NULL,
    actor TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('conflict', 'merge', 'unmerge', 'distinct')),
    subject TEXT NOT NULL,
    tbl TEXT,
    row_id TEXT,
    field TEXT,
    other_row_id TEXT,
    resolution TEXT,
    value TEXT,
    reason TEXT NOT NULL DEFAULT '',
    seq INTEGER,
    origin TEXT
);
CREATE INDEX sync_decision_seq ON sync_decision (seq);
CREATE INDEX sync_decision_subject ON sync_decision (subject);

-- Conflicts decided before this step: their reasons were kept in local_state.
INSERT INTO sync_decision (id, at, actor, kind, subject, tbl, row_id, field, other_row_id,
                           resolution, value, reason)
SELECT 'c-' || c.id, c.resolved_at, c.resolved_by, 'conflict', c.id, c.tbl, c.row_id,
       c.field, c.other_row_id, c.resolution, c.resolved_value, coalesce(s.value, '')
FROM sync_conflict c LEFT JOIN local_state s ON s.key = 'conflict_reason:' || c.id
WHERE c.resolved_at IS NOT NULL AND c.resolution <> 'merged';

-- Merges (and their undoing) done before this step: kept as JSON in local_state.
INSERT INTO sync_decision (id, at, actor, kind, subject, tbl, row_id, other_row_id, reason)
SELECT 'm-' || (value ->> '$.id'), value ->> '$.at', value ->> '$.actor', 'merge',
       value ->> '$.id', 'person', value ->> '$.survivor', value ->> '$.other',
       coalesce(value ->> '$.reason', '')
FROM local_state WHERE key LIKE 'person_merge:%';
INSERT INTO sync_decision (id, at, actor, kind, subject, tbl, row_id, other_row_id, reason)
SELECT 'u-' || (value ->> '$.id'), value ->> '$.undone_at', value ->> '$.undone_by', 'unmerge',
       value ->> '$.id', 'person', value ->> '$.survivor', value ->> '$.other', ''
FROM local_state WHERE key LIKE 'person_merge:%' AND value ->> '$.undone_at' IS NOT NULL;
"""


@step("0010_resolution_history")
def _resolution_history(db: Database) -> None:
    run_script(db.conn, RESOLUTION_HISTORY_SQL)


# The search box finds a household code by its start (store.search): a start longer
# than the full-text index's prefixes is read from these B-trees instead.  The first 7
# to 11 digits (a part of the county, a township, a part of a township) have an index
# each, whose entries for one start come in rowid order, so the first 50 are read and
# no more; a longer start (a village's and narrower: a few hundred households) is a
# range of the code's own index, which holds every household (a deleted one's live
# members still carry its code) with its id for finding them.
HOUSEHOLD_CODE_INDEX_SQL = """
CREATE INDEX household_code_start ON household (code, deleted, id);
""" + "".join(
    f"CREATE INDEX household_code_{n} ON household (substr(code, 1, {n}), deleted);\n"
    for n in range(7, 12)
)


@step("0011_household_code_index")
def _household_code_index(db: Database) -> None:
    run_script(db.conn, HOUSEHOLD_CODE_INDEX_SQL)


# A township register reports up to the district hub (issue #17, docs/hub.md): the hub
# is kept among the township's peers like the township at a village, with the role
# 'district'.  SQLite cannot change a CHECK, so the table is made again from its own
# stored definition (which holds the columns added since, e.g. 0009's) with the wider
# list, and its rows copied over.
_PEER_ROLES = "CHECK (role IN ('village', 'township'))"
_PEER_ROLES_WITH_DISTRICT = "CHECK (role IN ('village', 'township', 'district'))"


@step("0012_district_peer")
def _district_peer(db: Database) -> None:
    conn = db.conn
    (made,) = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sync_device'"
    ).fetchone()
    if _PEER_ROLES not in made:
        raise RuntimeError("sync_device is not as step 0001 made it")
    wider = made.replace(_PEER_ROLES, _PEER_ROLES_WITH_DISTRICT).replace(
        "CREATE TABLE sync_device", "CREATE TABLE sync_device_new", 1
    )
    conn.execute(wider)
    conn.execute("INSERT INTO sync_device_new SELECT * FROM sync_device")
    conn.execute("DROP TABLE sync_device")
    conn.execute("ALTER TABLE sync_device_new RENAME TO sync_device")


# The search box finds an ID number by its start (store.search): a start of 7 to 10
# digits, longer than the full-text index's prefixes, is read from these B-trees
# instead.  Their entries for one start come in the order the search lists persons (by
# band: living here, living elsewhere, dead; then order of entry), so the first 50
# are read and no more.  Only live persons with a number are in them.  An old 15-digit
# number is rare: one index of it, whose range of a start is read and sorted.
ID_NUMBER_STARTS_SQL = "".join(
    f"CREATE INDEX person_id_start_{n} ON person\n"
    f"    (substr(id_number, 1, {n}), {search.PERSON_BAND})\n"
    "    WHERE deleted = 0 AND id_number IS NOT NULL;\n"
    for n in range(7, 11)
) + (
    "CREATE INDEX person_legacy_start ON person (legacy_id15)\n"
    "    WHERE deleted = 0 AND legacy_id15 IS NOT NULL;\n"
)


@step("0013_id_number_starts")
def _id_number_starts(db: Database) -> None:
    run_script(db.conn, ID_NUMBER_STARTS_SQL)


# The search box finds a run of characters inside a name (store.search) by the pairs of
# neighbouring characters it holds (b tokens), no longer by each character's whole list
# of rows.  The index's definition is the same; its triggers spell the new tokens and
# every person is indexed again, in one pass (the bulk re-index, search.refill).
@step("0014_name_pairs")
def _name_pairs(db: Database) -> None:
    search.install(db.conn)
    search.refill(db.conn)
