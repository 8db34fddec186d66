"""`IndicatorSource` over the hub's tables: the district counts with the register's engine.

Each read is RegisterSource's (reports.indicators.sqlite) in PostgreSQL, over the rows
the townships' registers sent (hub.load, the exchange): the same rows, the same ids,
in the same order where the computation depends on it.  So `fpdesk hub indicators`
gives a township the numbers `fpdesk indicators` gives on its own register.

A source covers the whole district (or city), one district of a city's hub, or one
township (its rows only).

The late-birth rule (late_births = "when_found") reads what the township sends beside
its records (hub step 0008_birth_entered): when each birth was first entered on its
register, and the reports it recorded.  What a register has and the hub does not, the
hub reads as empty: the accuracy audit's samples and findings (a township's own check,
not replicated).
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar, cast

import psycopg
from psycopg.rows import dict_row

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.hub import errors, schema
from fpdesk.reports.indicators.source import (
    AuditRow,
    BirthRow,
    ContraceptionRow,
    EnteredBirthRow,
    EventRow,
    ParentBirthRow,
    RunRow,
    VillageRow,
    VisitRow,
    WomanRow,
)
from fpdesk.reports.indicators.sqlite import LOOKUPS, event_queries
from fpdesk.store import population as store_population

T = TypeVar("T")
# The memory of each sort in a report's snapshot (PostgreSQL's work_mem): a district's
# 300,000 persons in the register's order sort in memory.
SORT_MEMORY = "128MB"


class TownshipNotInHub(errors.HubError):
    text = Text(
        "汇总库里没有乡镇 {code}。请用 fpdesk hub status 查看已有的乡镇。",
        "The hub has no township {code}. See the townships it has with fpdesk hub status.",
    )


class DistrictNotInHub(errors.HubError):
    text = Text(
        "汇总库里没有区县 {code} 的乡镇。请用 fpdesk hub status 查看已有的乡镇。",
        "The hub has no township of the district {code}. See the townships it has with "
        "fpdesk hub status.",
    )


class NotInDistrict(errors.HubError):
    text = Text(
        "地区 {asked} 不在这个汇总库的范围（{own}）之内。",
        "The area {asked} is outside what this hub holds ({own}).",
    )


class EmptyHub(errors.HubError):
    text = Text(
        "汇总库里还没有任何乡镇的数据，没有可统计的内容。",
        "The hub holds no township's records yet; there is nothing to count.",
    )


class HubSource:
    """The indicator engine's reads from the hub: the district, or one township."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        township: str | None = None,
        *,
        district: str | None = None,
    ) -> None:
        idle = conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        schema.check(conn)
        self.conn = conn
        self.township = township
        self._kept: dict[str, Any] | None = None  # reads kept for a snapshot (_once)
        # The records counted: those of one township, of one district (a city's hub
        # asked for one of its districts), or all (column, code), None for all.
        self.within: tuple[str, str] | None = None
        if township is not None:
            found = conn.execute("SELECT 1 FROM hub_township WHERE code = %s", (township,))
            if found.fetchone() is None:
                raise TownshipNotInHub(TownshipNotInHub.text.format(code=township))
            self.area = township
            self.within = ("township_code", township)
        elif district is not None:
            county = district[:6]
            found = conn.execute("SELECT 1 FROM hub_township WHERE county_code = %s", (county,))
            if area.level_of(district) != "county" or found.fetchone() is None:
                raise DistrictNotInHub(DistrictNotInHub.text.format(code=district))
            self.area = county + "000000"
            self.within = ("county_code", county)
        else:
            self.area = _district(conn)
        if idle:
            conn.rollback()  # only read: leave it idle, so reading() takes one snapshot

    # ------------------------------------------------------------ permissions

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One snapshot for the whole collection: a township's bundle imported meanwhile
        does not give half old, half new numbers.

        Inside it, what several reads of a report ask again (the households' villages,
        the moves: the collection and each workbook's population read them) is read
        once: the snapshot does not change.  Its sorts (the persons on a day in the
        register's order, the moves) get memory enough for a district's rows
        (`SORT_MEMORY`) instead of the server's default of a few MB, which spilled
        them to disk at the scale of a city (benchmarks/bench_hub_city.py)."""
        if self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            yield  # inside the caller's transaction: its snapshot
            return
        with self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self.conn.execute(f"SET LOCAL work_mem = '{SORT_MEMORY}'")
            self._kept = {}
            try:
                yield
            finally:
                self._kept = None

    def _once(self, name: str, read: Callable[[], T]) -> T:
        """`read()`, kept for the rest of the snapshot when inside reading()."""
        if self._kept is None:
            return read()
        if name not in self._kept:
            self._kept[name] = read()
        return cast(T, self._kept[name])

    def require_report(self) -> None:
        """Staff read the hub through PostgreSQL roles: a role that may connect and
        read the tables may count them (the server refuses the rest)."""

    def scope(self, asked: str | None = None) -> str:
        if not asked:
            return self.area
        if area.contains(self.area, asked):
            return asked
        if area.contains(asked, self.area):
            return self.area
        raise NotInDistrict(NotInDistrict.text.format(asked=asked, own=self.area))

    # ------------------------------------------------------------ area units

    def area_units(self, level: str) -> set[str]:
        rows = self._units("SELECT code FROM hub_area_unit WHERE level = %s", (level,))
        return {str(code) for (code,) in rows}

    def area_names(self, codes: Sequence[str]) -> dict[str, str]:
        rows = self._units(
            "SELECT code, name FROM hub_area_unit WHERE code = ANY(%s)", (list(codes),)
        )
        return {str(code): str(name) for code, name in rows}

    def villages(self, start: str, end: str) -> list[VillageRow]:
        return [
            (str(row[0]), bool(row[1]), bool(row[2]), bool(row[3]), bool(row[4]))
            for row in self._units(
                """SELECT code, urban, quality_pilot, self_governance, demonstration
                   FROM hub_area_unit WHERE level = 'village' AND valid_from <= %s
                     AND (valid_to IS NULL OR valid_to >= %s)""",
                (end, start),
            )
        ]

    def _units(self, query: str, params: Sequence[Any]) -> list[Any]:
        """Area units (the code first): for one township, as its register knows them,
        the township, its villages and the units above it (what it sends, hub.exchange);
        for one district, its units and the ones above."""
        rows = self._rows(query, params)
        if self.within is None:
            return rows
        mine = self.area
        return [r for r in rows if area.contains(mine, str(r[0])) or area.contains(str(r[0]), mine)]

    # ------------------------------------------------------------ records

    def household_villages(self) -> dict[str, str]:
        return self._once(
            "household_villages",
            lambda: dict(self._live("SELECT id, village_code FROM household")),
        )

    def moves(self) -> dict[str, list[tuple[str, str]]]:
        return self._once("moves", self._read_moves)

    def _read_moves(self) -> dict[str, list[tuple[str, str]]]:
        # The register orders one day's moves by rowid (the order they were recorded);
        # the hub has no rowid: ids are time-ordered (uuid7), so one day's moves go by id.
        # Orders here are byte-wise (COLLATE "C"), as SQLite's.
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        rows = self._live(
            "SELECT person_id, moved_on, kind FROM move",
            order='moved_on COLLATE "C", id COLLATE "C"',
        )
        for person_id, moved_on, kind in rows:
            out[person_id].append((moved_on, kind))
        return dict(out)

    def women_born(self, after: str, until: str, alive_after: str) -> list[WomanRow]:
        return self._live(
            (
                """SELECT id, household_id, residence_status FROM person
                   WHERE sex = 2 AND birth_date > %s AND birth_date <= %s
                     AND (death_date IS NULL OR death_date > %s)"""
            ),
            (after, until, alive_after),
        )

    def women(self, ids: Sequence[str]) -> list[WomanRow]:
        return self._live(
            (
                "SELECT id, household_id, residence_status FROM person"
                " WHERE id = ANY(%s) AND sex = 2"
            ),
            (list(ids),),
        )

    def wives(self, day: str) -> set[str]:
        rows = self._live(
            (
                """SELECT wife_id FROM marriage WHERE wife_id IS NOT NULL
                   AND married_on <= %s AND (ended_on IS NULL OR ended_on > %s)"""
            ),
            (day, day),
        )
        return {str(wife) for (wife,) in rows}

    def contraception(self, start: str, end: str) -> list[ContraceptionRow]:
        return self._live(
            (
                """SELECT woman_id, user_id, id, method, started_on, ended_on FROM contraception
                   WHERE started_on <= %s AND (ended_on IS NULL OR ended_on >= %s)"""
            ),
            (end, start),
        )

    def visits(self, types: Iterable[str], first: str, last: str) -> list[VisitRow]:
        return self._live(
            (
                """SELECT person_id, visit_type, visited_on, follows_id FROM visit
                   WHERE visit_type = ANY(%s) AND visited_on BETWEEN %s AND %s"""
            ),
            (sorted(types), first, last),
        )

    def examined(self, start: str, end: str) -> set[str]:
        rows = self._live(
            (
                """SELECT DISTINCT person_id FROM visit WHERE visit_type = 'gyn_exam'
                   AND visited_on BETWEEN %s AND %s"""
            ),
            (start, end),
        )
        return {str(person) for (person,) in rows}

    def fertility_findings(self, day: str) -> list[tuple[str, str]]:
        # The register's tie-break is its id too (ORDER BY visited_on, id).
        return self._live(
            (
                """SELECT person_id, result FROM visit
                   WHERE visit_type = 'fertility_status' AND visited_on <= %s"""
            ),
            (day,),
            order='visited_on COLLATE "C", id COLLATE "C"',
        )

    def births(self, start: str, end: str) -> list[BirthRow]:
        return [
            (bid, mother, father, born, int(sex))
            for bid, mother, father, born, sex in self._live(
                (
                    """SELECT id, mother_id, father_id, birth_date, sex FROM birth
                       WHERE child_relation = 'own' AND birth_date BETWEEN %s AND %s"""
                ),
                (start, end),
            )
        ]

    def births_entered(self, start: str, end: str) -> list[EnteredBirthRow]:
        """As the register's: the time each birth was first entered on its township's
        register came up with its insert (hub step 0008_birth_entered); a birth loaded
        in bulk (hub.load) has none and is left out, as on a register."""
        mine = "" if self.within is None else f" AND b.{self.within[0]} = %s"
        params = (start, end) if self.within is None else (start, end, self.within[1])
        return [
            (bid, mother, father, born, int(sex), village, entered)
            for bid, mother, father, born, sex, village, entered in self._rows(
                f"""SELECT b.id, b.mother_id, b.father_id, b.birth_date, b.sex, h.village_code,
                           e.entered_at
                    FROM birth b JOIN hub_birth_entered e ON e.birth_id = b.id
                    LEFT JOIN person m ON m.id = b.mother_id
                    LEFT JOIN household h ON h.id = m.household_id
                    WHERE b.deleted = 0 AND b.child_relation = 'own'
                      AND b.birth_date BETWEEN %s AND %s{mine}""",
                params,
            )
        ]

    def births_of(self, parents: Iterable[str]) -> list[ParentBirthRow]:
        ids = sorted(parents)
        rows: list[ParentBirthRow] = []
        for column in ("mother_id", "father_id"):
            rows += self._live(
                (
                    f"""SELECT id, mother_id, father_id, birth_date, document_kind FROM birth
                        WHERE {column} = ANY(%s) AND child_relation = 'own'"""
                ),
                (ids,),
            )
        return rows

    def reported_runs(self) -> list[RunRow]:
        """The reports the townships recorded, as sent up beside their changes."""
        if self.within is None:
            return self._rows("SELECT period, areas, produced_at FROM hub_report_run")
        # A district's: its townships' codes begin with its county's six digits.
        column, code = self.within
        kept = "township_code = %s" if column == "township_code" else "left(township_code, 6) = %s"
        return self._rows(
            f"SELECT period, areas, produced_at FROM hub_report_run WHERE {kept}", (code,)
        )

    def audit_findings(self, start: str, end: str) -> list[AuditRow]:
        """The accuracy audit is not replicated (see the module's note)."""
        return []

    def events(self, start: str, end: str) -> list[EventRow]:
        """The register's event queries over the hub's tables, kept to the township's."""
        mine = "" if self.within is None else f"AND x.{self.within[0]} = %s"
        params = (start, end) if self.within is None else (start, end, self.within[1])
        rows: list[EventRow] = []
        for query in event_queries("%s", mine):
            rows += self._rows(query, params)
        return rows

    def members_on(self, day: str) -> list[store_population.Member]:
        persons = self._live(
            (
                """SELECT id, household_id, sex, birth_date, death_date, residence_status
                   FROM person WHERE birth_date <= %s
                     AND (death_date IS NULL OR death_date > %s)"""
            ),
            (day, day),
            # The register's order (its covering index person_household), byte-wise.
            order='household_id COLLATE "C", sex, birth_date COLLATE "C",'
            ' death_date COLLATE "C" NULLS FIRST, residence_status COLLATE "C", id COLLATE "C"',
        )
        return store_population.members_among(persons, self.household_villages(), self.moves(), day)

    def lookup(
        self, name: str, ids: Sequence[str], params: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        """The register's lookup texts over the hub's tables, each table kept to the
        township's rows; what the hub does not hold (the audit) reads as nothing."""
        found = LOOKUPS[name]
        if not found.replicated:
            return []
        within = () if self.within is None else (f"{{alias}}.{self.within[0]} = %s",)
        query = found.query("%s", "{key} = ANY(%s)", within)
        mine = [self.within[1]] * len(found.tables) if self.within is not None else []
        with self.conn.cursor(row_factory=dict_row) as cursor:
            return cursor.execute(query, (*params, list(ids), *mine)).fetchall()

    # ------------------------------------------------------------ helpers

    def _live(self, query: str, params: Sequence[Any] = (), order: str = "") -> list[Any]:
        """The rows of a query over one table, kept to the live rows of this source's
        township (or of every one).  `query` ends with its WHERE's conditions, if any."""
        where = " AND " if " WHERE " in " ".join(query.split()).upper() else " WHERE "
        query += where + "deleted = 0"
        if self.within is not None:
            query += f" AND {self.within[0]} = %s"
            params = (*params, self.within[1])
        return self._rows(query + (f" ORDER BY {order}" if order else ""), params)

    def _rows(self, query: str, params: Sequence[Any] = ()) -> list[Any]:
        """Every row as a tuple in the order of its columns."""
        return self.conn.execute(query, params).fetchall()


def _district(conn: psycopg.Connection[Any]) -> str:
    """The area the hub holds: its townships' county (the district), as a 12-digit code."""
    counties = [
        str(c).strip()
        for (c,) in conn.execute("SELECT DISTINCT county_code FROM hub_township ORDER BY 1")
    ]
    if not counties:
        raise EmptyHub()
    if len(counties) == 1:
        return counties[0] + "000000"
    # A city's hub: the prefecture the counties share.
    return counties[0][:4] + "00000000"
