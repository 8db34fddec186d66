"""`IndicatorSource` over an SQLCipher register: the only SQL of the indicator engine.

Each table is read once per collection, from the covering indexes of schema step 0007:
a scan of an index holding just the columns wanted decrypts far fewer pages than the
table.  Most of what is left is Python's cost of making a value per column read, so
only the rows and columns used are read.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from fpdesk.core import codes
from fpdesk.reports.indicators.source import (
    AuditRow,
    BirthRow,
    ContraceptionRow,
    EnteredBirthRow,
    EventRow,
    IndicatorSource,
    ParentBirthRow,
    RunRow,
    VillageRow,
    VisitRow,
    WomanRow,
)
from fpdesk.store import access
from fpdesk.store import population as store_population
from fpdesk.store.db import Register

# What the public functions of the engine accept: a register (read through
# RegisterSource) or any other source, such as the district hub's.
Readable = Register | IndicatorSource

_BIRTH_COLUMNS = "b.id, b.mother_id, b.father_id, b.birth_date, b.sex"

# The dated events the workbooks count (reports.excel.change_counts), each as (key,
# table, whose person, the date column, split by, more conditions): the key of an event
# split by a column is the key followed by the column's value.
EVENTS: tuple[tuple[str, str, str, str, str | None, str], ...] = (
    ("deaths", "person", "x.id", "death_date", None, ""),
    ("move_", "move", "x.person_id", "moved_on", "kind", ""),
    ("marriages", "marriage", "coalesce(x.wife_id, x.husband_id)", "married_on", None, ""),
    (
        "divorces",
        "marriage",
        "coalesce(x.wife_id, x.husband_id)",
        "ended_on",
        None,
        "AND x.end_reason = 'divorce'",
    ),
    ("pregnancies", "pregnancy", "x.woman_id", "registered_on", None, ""),
    ("outcome_", "pregnancy", "x.woman_id", "outcome_on", "outcome", ""),
    ("op_", "contraception", "x.woman_id", "started_on", "method", ""),
    (
        "op_iud_removal",
        "contraception",
        "x.woman_id",
        "ended_on",
        None,
        "AND x.method = 'iud' AND coalesce(x.end_reason, '') NOT IN ("
        + ", ".join(f"'{r}'" for r in codes.NOT_A_REMOVAL)
        + ")",
    ),
    ("cert_", "certificate", "x.woman_id", "issued_on", "kind", ""),
)


def event_queries(mark: str, more: str = "") -> list[str]:
    """One query per kind of event (EVENTS) giving EventRows, for a store whose
    placeholder is `mark`: each takes the first and last day, then what `more` (further
    conditions on the event's row x) asks for.  The person and household are joined
    whatever became of them: the event is counted where it happened."""
    queries = []
    for key, table, whose, dated, by, only in EVENTS:
        # A value missing from the split column reads as Python's str(None).
        name = f"'{key}' || coalesce(x.{by}, 'None')" if by else f"'{key}'"
        queries.append(
            f"""SELECT {name}, h.village_code, p.id, p.residence_status, x.{dated}
                FROM {table} x
                JOIN person p ON p.id = {whose} JOIN household h ON h.id = p.household_id
                WHERE x.deleted = 0 {only} AND x.{dated} BETWEEN {mark} AND {mark} {more}"""
        )
    return queries


@dataclass(frozen=True)
class Lookup:
    """A read of the name lists (reports.members): the rows of `select` whose `key` is
    one of the ids asked and that meet `where` (its values as placeholders `{mark}`,
    given in order).  Each store runs the same text with its own placeholder and its
    own way of passing the ids; `tables` are the aliases of the record tables read (the
    hub keeps each to the rows of the township a source covers)."""

    select: str
    key: str
    tables: tuple[str, ...]
    where: str = ""
    replicated: bool = True  # False: a township's own table the hub does not hold

    def query(self, mark: str, ids: str, within: Iterable[str] = ()) -> str:
        """The text for a store: `ids` is its condition on the key (`{key}` in it);
        `within` more conditions, each formatted with an alias of `tables`."""
        conditions = [self.where.format(mark=mark)] if self.where else []
        conditions.append(ids.format(key=self.key))
        conditions += [c.format(alias=t) for c in within for t in self.tables]
        return f"{self.select} WHERE " + " AND ".join(conditions)


# What a name list looks up for the records an indicator counted (reports.members), by name.
LOOKUPS: dict[str, Lookup] = {
    # A birth under its mother, with her household.
    "births": Lookup(
        """SELECT b.id, b.birth_date, b.sex, b.mother_id, m.name, m.id_number,
                  h.code AS household, h.village_code
           FROM birth b JOIN person m ON m.id = b.mother_id
           JOIN household h ON h.id = m.household_id""",
        "b.id",
        ("b", "m", "h"),
    ),
    "persons": Lookup(
        """SELECT p.id, p.name, p.id_number, p.birth_date, h.code AS household,
                  h.village_code
           FROM person p JOIN household h ON h.id = p.household_id""",
        "p.id",
        ("p", "h"),
    ),
    # Every visit of these persons.
    "visits": Lookup(
        "SELECT v.id, v.person_id, v.visit_type, v.visited_on FROM visit v",
        "v.person_id",
        ("v",),
        "v.deleted = 0",
    ),
    # Visits of one type between two days.
    "visits_between": Lookup(
        "SELECT v.id, v.person_id, v.visited_on FROM visit v",
        "v.person_id",
        ("v",),
        "v.deleted = 0 AND v.visit_type = {mark} AND v.visited_on BETWEEN {mark} AND {mark}",
    ),
    # Methods held on a day (started by it and not ended by it) by these women.
    "methods_held": Lookup(
        "SELECT c.id, c.woman_id, c.method, c.started_on FROM contraception c",
        "c.woman_id",
        ("c",),
        "c.deleted = 0 AND c.method != 'none' AND c.started_on <= {mark}"
        " AND (c.ended_on IS NULL OR c.ended_on > {mark})",
    ),
    # Marriages going on on a day, by wife.
    "marriages_on": Lookup(
        "SELECT m.id, m.wife_id, m.married_on FROM marriage m",
        "m.wife_id",
        ("m",),
        "m.deleted = 0 AND m.married_on <= {mark} AND (m.ended_on IS NULL OR m.ended_on > {mark})",
    ),
    # An operation (a follow-up due after it) under its woman.
    "operations": Lookup(
        """SELECT c.id, c.method, p.name, p.id_number, h.code AS household, h.village_code
           FROM contraception c JOIN person p ON p.id = c.woman_id
           JOIN household h ON h.id = p.household_id""",
        "c.id",
        ("c", "p", "h"),
    ),
    # An audit finding under the household's head.
    "audit_findings": Lookup(
        """SELECT f.id, f.visited_on, f.births_found, h.code AS household, h.village_code,
                  p.name, p.id_number
           FROM audit_finding f JOIN household h ON h.id = f.household_id
           LEFT JOIN person p ON p.id = h.head_id""",
        "f.id",
        ("f", "h"),
        replicated=False,
    ),
}


@dataclass
class RegisterSource:
    """The indicator engine's reads from one register, as the session logged in to it."""

    register: Register

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """A larger page cache while a report reads (pages decrypted once serve all queries)."""
        conn = self.register.conn
        old = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -65536")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA cache_size = {int(old)}")

    def require_report(self) -> None:
        access.require(self.register, "report")

    def scope(self, asked: str | None = None) -> str:
        return access.scope(self.register, asked)

    def area_units(self, level: str) -> set[str]:
        sql = "SELECT code FROM area_unit WHERE level = ?"
        return {row["code"] for row in self.register.query(sql, (level,))}

    def area_names(self, codes: Sequence[str]) -> dict[str, str]:
        return {
            row["code"]: row["name"]
            for row in self.register.query(
                f"SELECT code, name FROM area_unit WHERE code IN ({','.join('?' * len(codes))})",
                tuple(codes),
            )
        }

    def villages(self, start: str, end: str) -> list[VillageRow]:
        return [
            (row[0], bool(row[1]), bool(row[2]), bool(row[3]), bool(row[4]))
            for row in self.register.conn.execute(
                """SELECT code, urban, quality_pilot, self_governance, demonstration
                   FROM area_unit WHERE level = 'village' AND valid_from <= ?
                     AND (valid_to IS NULL OR valid_to >= ?)""",
                (end, start),
            )
        ]

    def household_villages(self) -> dict[str, str]:
        return dict(
            self.register.conn.execute(
                "SELECT id, village_code FROM household INDEXED BY household_village"
                " WHERE deleted = 0"
            )
        )

    def moves(self) -> dict[str, list[tuple[str, str]]]:
        return store_population.histories(self.register)

    def women_born(self, after: str, until: str, alive_after: str) -> list[WomanRow]:
        return self._rows(
            """SELECT id, household_id, residence_status FROM person INDEXED BY person_women
               WHERE sex = 2 AND birth_date > ? AND birth_date <= ? AND deleted = 0
                 AND (death_date IS NULL OR death_date > ?)""",
            (after, until, alive_after),
        )

    def women(self, ids: Sequence[str]) -> list[WomanRow]:
        return self._rows(
            """SELECT id, household_id, residence_status FROM person
               WHERE id IN (SELECT value FROM json_each(?)) AND sex = 2 AND deleted = 0""",
            (json.dumps(list(ids)),),
        )

    def wives(self, day: str) -> set[str]:
        return {
            row[0]
            for row in self.register.conn.execute(
                """SELECT wife_id FROM marriage INDEXED BY marriage_wife
                   WHERE wife_id IS NOT NULL AND deleted = 0
                   AND married_on <= ? AND (ended_on IS NULL OR ended_on > ?)""",
                (day, day),
            )
        }

    def contraception(self, start: str, end: str) -> list[ContraceptionRow]:
        return self._rows(
            """SELECT woman_id, user_id, id, method, started_on, ended_on
               FROM contraception INDEXED BY contraception_woman
               WHERE deleted = 0 AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)""",
            (end, start),
        )

    def visits(self, types: Iterable[str], first: str, last: str) -> list[VisitRow]:
        kinds = sorted(types)
        return self._rows(
            f"""SELECT person_id, visit_type, visited_on, follows_id FROM visit
                INDEXED BY visit_person
                WHERE deleted = 0 AND visit_type IN ({",".join("?" * len(kinds))})
                  AND visited_on BETWEEN ? AND ?""",
            (*kinds, first, last),
        )

    def examined(self, start: str, end: str) -> set[str]:
        # An exam is one fact per woman: read as such, not as a visit row each.
        return {
            row[0]
            for row in self.register.conn.execute(
                """SELECT DISTINCT person_id FROM visit INDEXED BY visit_person
                   WHERE visit_type = 'gyn_exam' AND visited_on BETWEEN ? AND ?
                     AND deleted = 0""",
                (start, end),
            )
        }

    def fertility_findings(self, day: str) -> list[tuple[str, str]]:
        return self._rows(
            """SELECT person_id, result FROM visit INDEXED BY visit_person
               WHERE visit_type = 'fertility_status' AND visited_on <= ? AND deleted = 0
               ORDER BY visited_on, id""",
            (day,),
        )

    def births(self, start: str, end: str) -> list[BirthRow]:
        return self._rows(
            f"""SELECT {_BIRTH_COLUMNS} FROM birth b
                WHERE b.deleted = 0 AND b.child_relation = 'own'
                AND b.birth_date BETWEEN ? AND ?""",
            (start, end),
        )

    def births_entered(self, start: str, end: str) -> list[EnteredBirthRow]:
        return self._rows(
            f"""SELECT {_BIRTH_COLUMNS}, h.village_code, min(c.at) FROM birth b
                JOIN change_log c ON c.row_id = b.id AND c.op = 'insert'
                LEFT JOIN person m ON m.id = b.mother_id
                LEFT JOIN household h ON h.id = m.household_id
                WHERE b.deleted = 0 AND b.child_relation = 'own'
                  AND b.birth_date BETWEEN ? AND ? GROUP BY b.id""",
            (start, end),
        )

    def births_of(self, parents: Iterable[str]) -> list[ParentBirthRow]:
        """Mothers and fathers are looked up separately so each lookup uses its index
        (both covering since schema step 0007)."""
        ids = json.dumps(sorted(parents))
        rows: list[ParentBirthRow] = []
        for column in ("mother_id", "father_id"):
            rows += self._rows(
                f"""SELECT id, mother_id, father_id, birth_date, document_kind FROM birth
                    WHERE {column} IN (SELECT value FROM json_each(?))
                      AND deleted = 0 AND child_relation = 'own'""",
                (ids,),
            )
        return rows

    def reported_runs(self) -> list[RunRow]:
        return self._rows("SELECT period, areas, produced_at FROM report_run")

    def audit_findings(self, start: str, end: str) -> list[AuditRow]:
        conn = self.register.conn
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "audit_finding" not in tables:
            return []
        return [
            (row[0], row[1], int(row[2]), int(row[3]))
            for row in conn.execute(
                """SELECT f.id, h.village_code, f.births_found,
                          abs(f.births_found - f.births_registered)
                   FROM audit_finding f JOIN audit_household h
                     ON h.sample_id = f.sample_id AND h.household_id = f.household_id
                   WHERE f.visited_on BETWEEN ? AND ?""",
                (start, end),
            )
        ]

    def events(self, start: str, end: str) -> list[EventRow]:
        rows: list[EventRow] = []
        for query in event_queries("?"):
            rows += self._rows(query, (start, end))
        return rows

    def members_on(self, day: str) -> list[store_population.Member]:
        return store_population.members_on(self.register, day)

    def lookup(
        self, name: str, ids: Sequence[str], params: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        query = LOOKUPS[name].query("?", "{key} IN (SELECT value FROM json_each(?))")
        return self.register.query(query, (*params, json.dumps(list(ids))))

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Every row of a query, as tuples in the order of its columns."""
        return self.register.conn.execute(sql, params).fetchall()  # type: ignore[no-any-return]


def as_source(where: Readable) -> IndicatorSource:
    """A register's source, or the source given (the public functions take either)."""
    return RegisterSource(where) if isinstance(where, Register) else where
