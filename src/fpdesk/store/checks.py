"""`fpdesk check`: the file's integrity, its links, and every validation rule over the
whole register, in three parts reported apart.

- file: SQLite's own check (PRAGMA quick_check, or integrity_check for the full check)
  and SQLCipher's (cipher_integrity_check: the HMAC of every page), each run once.
- links: SQLite's foreign-key check (full check only).
- records: every live row against core.validation's rules, the same a form applies on
  save, with the related records they need (joined in SQL, streamed, so a
  300,000-person register is never held in memory at once), and every live record
  that points to a deleted one (full check only).

`check --quick` is the file part alone, about what the two PRAGMAs cost by themselves;
the rules over every record take several times that on a large register, so they
are the full check's, timed and listed apart.  Each failure names its table, record,
person and the bilingual message.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from fpdesk.core import idnumber, population
from fpdesk.core import validation as rules
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.store import access
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register, file_damage


@dataclass(frozen=True)
class Failure:
    table: str
    record_id: str | None
    person_name: str | None
    field: str
    code: str
    message: Text

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "record_id": self.record_id,
            "person_name": self.person_name,
            "field": self.field,
            "code": self.code,
            "message": {"zh": self.message.zh, "en": self.message.en},
        }


# The parts of a check, in the order they run (see the module's docstring).
FILE, LINKS, RECORDS = "file", "links", "records"
PARTS = (FILE, LINKS, RECORDS)


def part_of(failure: Failure) -> str:
    """Which part of the check found a failure."""
    if failure.code == "file.damaged":
        return FILE
    if failure.code == "link.broken":
        return LINKS
    return RECORDS


@dataclass
class CheckReport:
    integrity: str  # which PRAGMA checked the file
    rows_checked: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # each part that ran

    @property
    def ok(self) -> bool:
        return not self.failures

    def failures_in(self, part: str) -> list[Failure]:
        return [f for f in self.failures if part_of(f) == part]

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "integrity": self.integrity,
            "rows_checked": self.rows_checked,
            "parts": {
                part: {"seconds": round(took, 3), "failures": len(self.failures_in(part))}
                for part, took in self.seconds.items()
            },
            "failures": [f.as_dict() for f in self.failures],
        }


FILE_DAMAGED = Text(
    "登记册文件损坏：{detail}。请用备份恢复，并把文件交给技术人员检查。",
    "The register file is damaged: {detail}. Restore a backup and have the file examined.",
)
BROKEN_LINK = Text(
    "这条记录指向的{parent}记录不存在。",
    "This record points to a {parent} record that does not exist.",
)
DELETED_LINK = Text(
    "这条记录指向的{parent}记录已被删除。",
    "This record points to a {parent} record that has been deleted.",
)


def person_with_id_number(
    register: Register, id_number: str, except_id: str | None = None
) -> rules.IdHolder | None:
    """Who (other than `except_id`) already holds an ID number, if anyone."""
    rows = register.query(
        "SELECT p.id, p.name, h.code FROM person p LEFT JOIN household h ON h.id = p.household_id "
        "WHERE p.id_number = ? AND p.deleted = 0 AND p.id IS NOT ? LIMIT 1",
        (idnumber.normalise(id_number), except_id),
    )
    if not rows:
        return None
    return rules.IdHolder(rows[0]["id"], rows[0]["name"], rows[0]["code"])


def check_register(register: Register, clock: Clock, *, quick: bool = False) -> CheckReport:
    """Verify the file; unless `quick`, its links and every rule over every live record."""
    report = CheckReport(integrity="quick_check" if quick else "integrity_check")
    with _timed(report, FILE):
        sound = _check_file(register, report, quick)
    if not sound or quick:
        return report  # rows read from a damaged file prove nothing and may not even read
    with _timed(report, LINKS):
        _check_links(register, report)
    with _timed(report, RECORDS):
        _check_deleted_links(register, report)
        _check_move_histories(register, report)
        _check_records(register, report, clock)
    if not access.covers_register(register):
        report.failures = [_outside_unnamed(register, f) for f in report.failures]
    return report


@contextlib.contextmanager
def _timed(report: CheckReport, part: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        report.seconds[part] = time.perf_counter() - started


def _check_records(register: Register, report: CheckReport, clock: Clock) -> None:
    for table, sql, check, owner in _record_checks(register):
        count = 0
        for row in _stream(register, sql):
            count += 1
            for problem in check(row, clock):
                report.failures.append(
                    Failure(
                        table,
                        row["id"],
                        row.get(owner),
                        problem.field,
                        problem.code,
                        problem.message,
                    )
                )
        report.rows_checked[table] = count


def _outside_unnamed(register: Register, failure: Failure) -> Failure:
    """A problem of a record outside the account's area: counted, not named."""
    row = register.query(f"SELECT * FROM {failure.table} WHERE id = ?", (failure.record_id,))
    village = access.village_of(register, failure.table, row[0]) if row else None
    if village and access.sees(register, village):
        return failure
    return replace(failure, record_id=None, person_name=None)


BROKEN_HISTORY = Text(
    "{day}的{kind}与此人此前的迁移记录矛盾（例如没有流出却登记返回）：请核对并更正。",
    "The {kind} of {day} contradicts this person's earlier moves (a return without a "
    "float out, say): check and correct them.",
)


def _check_move_histories(register: Register, report: CheckReport) -> None:
    """Each person's moves must be a chain core.population allows (the operations refuse
    anything else; this finds what came in some other way)."""
    moves: dict[str, list[tuple[str, str, str, str]]] = {}
    for person_id, move_id, day, kind, name in register.conn.execute(
        "SELECT m.person_id, m.id, m.moved_on, m.kind, p.name FROM move m "
        "LEFT JOIN person p ON p.id = m.person_id WHERE m.deleted = 0 "
        "ORDER BY m.moved_on, m.rowid"
    ):
        moves.setdefault(person_id, []).append((move_id, day, kind, name))
    for history in moves.values():
        broken = population.broken_step([(day, kind) for _, day, kind, _ in history])
        if broken is None:
            continue
        move_id, day, kind, name = history[broken]
        label = population.KIND_LABELS[kind]
        report.failures.append(
            Failure(
                "move",
                move_id,
                name,
                "kind",
                "move.history",
                Text(
                    BROKEN_HISTORY.zh.format(day=day, kind=label.zh),
                    BROKEN_HISTORY.en.format(day=day, kind=label.en),
                ),
            )
        )


def _check_file(register: Register, report: CheckReport, quick: bool) -> bool:
    """Whether the file itself is sound; if not, the damage is in the report."""
    # integrity_check also proves every index matches its table (O(N log N));
    # quick_check skips that and is several times faster on a large register.
    damage = file_damage(register.conn, quick=quick)
    for detail in damage:
        report.failures.append(
            Failure("", None, None, "", "file.damaged", FILE_DAMAGED.format(detail=detail))
        )
    return not damage


def _check_links(register: Register, report: CheckReport) -> None:
    conn = register.conn
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
        record = conn.execute(f"SELECT id FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
        report.failures.append(
            Failure(
                table,
                record[0] if record else None,
                None,
                "",
                "link.broken",
                BROKEN_LINK.format(parent=parent),
            )
        )


def _check_deleted_links(register: Register, report: CheckReport) -> None:
    """A live record pointing to a deleted one: the foreign key is satisfied by the
    tombstone, but the record is orphaned all the same (after a merge, say, where the
    township deleted a household a village had just added someone to)."""
    conn = register.conn
    for table in REPLICATED:
        for link in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall():
            parent, column = link[2], link[3]
            for (record_id,) in conn.execute(
                f"SELECT x.id FROM {table} x JOIN {parent} y ON y.id = x.{column} "
                "WHERE x.deleted = 0 AND y.deleted <> 0"
            ):
                report.failures.append(
                    Failure(
                        table,
                        record_id,
                        None,
                        column,
                        "link.deleted",
                        DELETED_LINK.format(parent=parent),
                    )
                )


def _stream(register: Register, sql: str) -> Iterator[dict[str, Any]]:
    cursor = register.conn.execute(sql)
    names = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(names, values, strict=True))


def _prefixed(row: dict[str, Any], prefix: str) -> dict[str, Any] | None:
    """The related record's columns (joined in as prefix_column), or None if absent."""
    related = {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}
    return related if related.get("id") is not None else None


_PERSON = "{a}.id AS {p}id, {a}.name AS {p}name, {a}.sex AS {p}sex, {a}.birth_date AS {p}birth_date"


def _person(alias: str, prefix: str) -> str:
    return _PERSON.format(a=alias, p=prefix)


# The tables a visit can follow, and the prefix their joined columns carry below.
_FOLLOWED = {"contraception": "c_", "pregnancy": "g_", "birth": "b_"}

Check = Callable[[dict[str, Any], Clock], list[rules.Problem]]


def _record_checks(register: Register) -> list[tuple[str, str, Check, str]]:
    """(table, query, rule, column naming the person) for every register table."""
    holder = _duplicate_lookup(register)
    live = "deleted = 0"

    def person(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_person(row, clock, id_holder=holder)

    def marriage(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_marriage(
            row, clock, wife=_prefixed(row, "w_"), husband=_prefixed(row, "h_")
        )

    def pregnancy(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_pregnancy(row, clock, woman=_prefixed(row, "w_"))

    def birth(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_birth(
            row,
            clock,
            mother=_prefixed(row, "m_"),
            father=_prefixed(row, "f_"),
            pregnancy=_prefixed(row, "g_"),
        )

    def contraception(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_contraception(
            row, clock, woman=_prefixed(row, "w_"), user=_prefixed(row, "u_")
        )

    def visit(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        prefix = _FOLLOWED.get(str(row.get("follows_table")))
        follows = _prefixed(row, prefix) if prefix else None
        return rules.check_visit(
            row,
            clock,
            person=_prefixed(row, "p_"),
            follows=follows,
            follows_found=prefix is None or follows is not None,
        )

    def supply(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_supply(row, clock, person=_prefixed(row, "p_"))

    def move(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_move(row, clock, person=_prefixed(row, "p_"))

    def certificate(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_certificate(row, clock, woman=_prefixed(row, "w_"))

    def household(row: dict[str, Any], clock: Clock) -> list[rules.Problem]:
        return rules.check_household(row, clock)

    return [
        (
            "household",
            f"SELECT h.*, p.name AS head_name FROM household h "
            f"LEFT JOIN person p ON p.id = h.head_id WHERE h.{live}",
            household,
            "head_name",
        ),
        ("person", f"SELECT * FROM person WHERE {live}", person, "name"),
        (
            "marriage",
            f"SELECT x.*, {_person('w', 'w_')}, {_person('h', 'h_')} FROM marriage x "
            "LEFT JOIN person w ON w.id = x.wife_id LEFT JOIN person h ON h.id = x.husband_id "
            f"WHERE x.{live}",
            marriage,
            "w_name",
        ),
        (
            "pregnancy",
            f"SELECT x.*, {_person('w', 'w_')} FROM pregnancy x "
            f"LEFT JOIN person w ON w.id = x.woman_id WHERE x.{live}",
            pregnancy,
            "w_name",
        ),
        (
            "birth",
            f"SELECT x.*, {_person('m', 'm_')}, {_person('f', 'f_')}, g.id AS g_id, "
            "g.registered_on AS g_registered_on, g.last_period_on AS g_last_period_on "
            "FROM birth x LEFT JOIN person m ON m.id = x.mother_id "
            "LEFT JOIN person f ON f.id = x.father_id "
            f"LEFT JOIN pregnancy g ON g.id = x.pregnancy_id WHERE x.{live}",
            birth,
            "m_name",
        ),
        (
            "contraception",
            f"SELECT x.*, {_person('w', 'w_')}, {_person('u', 'u_')} "
            "FROM contraception x LEFT JOIN person w ON w.id = x.woman_id "
            f"LEFT JOIN person u ON u.id = x.user_id WHERE x.{live}",
            contraception,
            "w_name",
        ),
        (
            "visit",
            f"SELECT x.*, {_person('p', 'p_')}, c.id AS c_id, c.started_on AS c_started_on, "
            "g.id AS g_id, g.registered_on AS g_registered_on, "
            "g.last_period_on AS g_last_period_on, b.id AS b_id, b.birth_date AS b_birth_date "
            "FROM visit x LEFT JOIN person p ON p.id = x.person_id "
            "LEFT JOIN contraception c "
            "ON x.follows_table = 'contraception' AND c.id = x.follows_id AND c.deleted = 0 "
            "LEFT JOIN pregnancy g "
            "ON x.follows_table = 'pregnancy' AND g.id = x.follows_id AND g.deleted = 0 "
            "LEFT JOIN birth b "
            "ON x.follows_table = 'birth' AND b.id = x.follows_id AND b.deleted = 0 "
            f"WHERE x.{live}",
            visit,
            "p_name",
        ),
        (
            "supply",
            f"SELECT x.*, {_person('p', 'p_')} FROM supply x "
            f"LEFT JOIN person p ON p.id = x.person_id WHERE x.{live}",
            supply,
            "p_name",
        ),
        (
            "move",
            f"SELECT x.*, {_person('p', 'p_')} FROM move x "
            f"LEFT JOIN person p ON p.id = x.person_id WHERE x.{live}",
            move,
            "p_name",
        ),
        (
            "certificate",
            f"SELECT x.*, {_person('w', 'w_')} FROM certificate x "
            f"LEFT JOIN person w ON w.id = x.woman_id WHERE x.{live}",
            certificate,
            "w_name",
        ),
    ]


def _duplicate_lookup(register: Register) -> rules.IdLookup:
    """The duplicate-ID rule for a whole-register pass.

    The unique index already refuses two live rows with the same stored number; what can
    still slip through is the same number typed differently (a lower-case x, a space).
    One grouped query finds those numbers first, so the 300,000 other persons cost no
    lookup at all.
    """
    normalised = "upper(replace(id_number, ' ', ''))"
    shared = {
        str(row[0])
        for row in register.conn.execute(
            f"SELECT {normalised} AS n FROM person WHERE deleted = 0 AND id_number IS NOT NULL "
            "GROUP BY n HAVING count(*) > 1"
        )
    }

    def holder(number: str, except_id: str | None) -> rules.IdHolder | None:
        if number not in shared:
            return None
        rows = register.query(
            "SELECT p.id, p.name, h.code FROM person p "
            "LEFT JOIN household h ON h.id = p.household_id "
            f"WHERE {normalised.replace('id_number', 'p.id_number')} = ? AND p.deleted = 0 "
            "AND p.id IS NOT ? ORDER BY p.id LIMIT 1",
            (number, except_id),
        )
        return rules.IdHolder(rows[0]["id"], rows[0]["name"], rows[0]["code"]) if rows else None

    return holder
