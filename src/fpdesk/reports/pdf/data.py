"""What the printouts read from the register: households, members, events, women.

Read-only queries, each bounded to one village (or one household, or one woman), so a
printout can ask for one household's rows at a time instead of the whole village.
The event list serves both the household register's "recent events" and the monthly
change list, so the two can never disagree about what happened.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fpdesk.core import codes
from fpdesk.core.i18n import Text
from fpdesk.store.db import Register

Row = dict[str, Any]

# The kinds of event on the monthly change report (月报告单), in its order.
EVENT_KINDS: dict[str, Text] = {
    "birth": Text("出生", "birth"),
    "death": Text("死亡", "death"),
    "move_transfer_in": Text("迁入", "transfer in"),
    "move_transfer_out": Text("迁出", "transfer out"),
    "move_float_out": Text("流出", "float out"),
    "move_return": Text("返回", "return"),
    "move_float_in": Text("流入", "float in"),
    "move_leave": Text("离开", "leave"),
    "marriage": Text("结婚", "marriage"),
    "divorce": Text("离婚", "divorce"),
    "pregnancy": Text("怀孕登记", "pregnancy registered"),
    "outcome": Text("妊娠结局", "pregnancy outcome"),
    "operation": Text("节育手术", "contraceptive operation"),
    "iud_removal": Text("取环", "IUD removal"),
    "certificate": Text("发证", "certificate issued"),
}

_IN_VILLAGE = "h.village_code = :village AND h.deleted = 0 AND p.deleted = 0"
_CHILD = "LEFT JOIN person c ON c.id = e.child_id"
_HUSBAND = "LEFT JOIN person s ON s.id = e.husband_id"


def _event(
    kind: str,
    table: str,
    whose: str,
    dated: str,
    code: str = "NULL",
    other: str = "NULL",
    *,
    only: str = "",
    join: str = "",
) -> str:
    """One kind of event: the live rows of `table` (as e) dated by column `dated`, each
    the event of the person in column `whose`, as (kind, on_date, person_id, code, other,
    event_id); `kind`, `code` and `other` are SQL.  The date's range is left for
    events() to add."""
    return (
        f"SELECT {kind} AS kind, e.{dated} AS on_date, p.id AS person_id, {code} AS code, "
        f"{other} AS other, e.id AS event_id FROM {table} e "
        f"JOIN person p ON p.id = e.{whose} JOIN household h ON h.id = p.household_id {join}"
        f" WHERE e.deleted = 0 {only} AND e.{dated}"
    )


_SPOUSE_NAME = "COALESCE(s.name, e.outside_spouse_name)"
_DIVORCED = "AND e.end_reason = 'divorce'"
_NO_WIFE_HERE = "AND e.wife_id IS NULL"

# One SELECT per kind of event.  A marriage (and a divorce) is the wife's event when she
# is in the register, else the husband's (two selects, so each join can use its index).
_EVENT_SELECTS = {
    "birth": _event("'birth'", "birth", "mother_id", "birth_date", "e.sex", "c.name", join=_CHILD),
    # A death is on the person's own row: no event table to join.
    "death": (
        "SELECT 'death', p.death_date, p.id, NULL, p.death_cause, p.id FROM person p "
        "JOIN household h ON h.id = p.household_id WHERE p.death_date"
    ),
    "move": _event("'move_' || e.kind", "move", "person_id", "moved_on", other="e.place"),
    "marriage": _event(
        "'marriage'", "marriage", "wife_id", "married_on", other=_SPOUSE_NAME, join=_HUSBAND
    ),
    "marriage_of_husband": _event(
        "'marriage'",
        "marriage",
        "husband_id",
        "married_on",
        other="e.outside_spouse_name",
        only=_NO_WIFE_HERE,
    ),
    "divorce": _event(
        "'divorce'",
        "marriage",
        "wife_id",
        "ended_on",
        other=_SPOUSE_NAME,
        only=_DIVORCED,
        join=_HUSBAND,
    ),
    "divorce_of_husband": _event(
        "'divorce'",
        "marriage",
        "husband_id",
        "ended_on",
        other="e.outside_spouse_name",
        only=f"{_NO_WIFE_HERE} {_DIVORCED}",
    ),
    "pregnancy": _event(
        "'pregnancy'", "pregnancy", "woman_id", "registered_on", other="e.expected_on"
    ),
    "outcome": _event(
        "'outcome'",
        "pregnancy",
        "woman_id",
        "outcome_on",
        "e.outcome",
        only="AND e.outcome IS NOT NULL",
    ),
    "operation": _event(
        "'operation'",
        "contraception",
        "woman_id",
        "started_on",
        "e.method",
        "e.provider",
        only="AND e.method IN ({operations})",
    ),
    "iud_removal": _event(
        "'iud_removal'",
        "contraception",
        "woman_id",
        "ended_on",
        "e.method",
        "e.end_reason",
        only="AND e.method = 'iud' AND coalesce(e.end_reason, '') NOT IN ({not_removals})",
    ),
    "certificate": _event(
        "'certificate'", "certificate", "woman_id", "issued_on", "e.kind", "e.number"
    ),
}


def _not_removals() -> str:
    return ", ".join(f"'{r}'" for r in codes.NOT_A_REMOVAL)


def _operation_methods() -> str:
    return ", ".join(f"'{m.code}'" for m in codes.methods() if m.operation)


def events(
    register: Register,
    village_code: str,
    start: dt.date,
    end: dt.date,
) -> list[Row]:
    """Every event in the village dated start..end, in date order.

    Each row: kind, on_date, person_id, name, id_number, household_id, household_code, group_no,
    code (sex, outcome, method or certificate kind) and other (spouse, child, place...).
    """
    scope = _IN_VILLAGE
    parts = [
        sql.format(operations=_operation_methods(), not_removals=_not_removals())
        + " BETWEEN :start AND :end AND "
        + scope
        for sql in _EVENT_SELECTS.values()
    ]
    sql = (
        "SELECT x.*, p.name, p.id_number, h.id AS household_id, h.code AS household_code, "
        "h.group_no FROM ("
        + " UNION ALL ".join(parts)
        + ") x JOIN person p ON p.id = x.person_id JOIN household h ON h.id = p.household_id "
        "ORDER BY x.on_date, h.group_no, h.code, p.name, x.kind, x.event_id"
    )
    params = {
        "village": village_code,
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return register.query(sql, params)


def describe_event(row: Row, language: str) -> str:
    """The event in words for a printed line: 出生（女，李小花）, 上环, 迁出：广东东莞."""
    kind = str(row["kind"])
    what = EVENT_KINDS.get(kind, Text(kind, kind)).get(language)
    details: list[str] = []
    code = row.get("code")
    table = {
        "birth": "sex",
        "outcome": "pregnancy_outcome",
        "operation": "contraceptive_method",
        "certificate": "certificate_kind",
    }.get(kind)
    if table and code is not None and codes.exists(table, code):
        details.append(codes.label(table, code, language))
    if row.get("other"):
        # An IUD removal's reason is a code (older registers: the words as typed).
        reason = kind == "iud_removal"
        details.append(label("contraception_end", row["other"], language) if reason
                       else str(row["other"]))
    sep = "，" if language == "zh" else ", "
    return f"{what}（{sep.join(details)}）" if details else what


# --- households and people ---------------------------------------------------------


def area_names(register: Register, village_code: str) -> str:
    """'Township Village (code)' from the area table, or the code alone if unnamed."""
    rows = register.query(
        "SELECT code, name FROM area_unit WHERE code IN (?, ?)",
        (village_code, village_code[:9] + "000"),
    )
    names = {r["code"]: r["name"] for r in rows}
    parts = [names.get(village_code[:9] + "000", ""), names.get(village_code, "")]
    named = " ".join(p for p in parts if p)
    return f"{named}（{village_code}）" if named else village_code


def households(register: Register, village_code: str) -> list[Row]:
    """The village's households in walking order: group by group, then by number."""
    return register.query(
        "SELECT h.*, p.name AS head_name FROM household h "
        "LEFT JOIN person p ON p.id = h.head_id "
        "WHERE h.village_code = ? AND h.deleted = 0 ORDER BY h.group_no, h.code",
        (village_code,),
    )


def members(register: Register, household_id: str) -> list[Row]:
    return register.query(
        "SELECT * FROM person WHERE household_id = ? AND deleted = 0 "
        "ORDER BY relationship, birth_date, name",
        (household_id,),
    )


def age_on(birth_date: str, on: dt.date) -> int:
    born = dt.date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def label(table: str, code: object, language: str) -> str:
    """A code's label; an unknown code is printed as it is rather than stop the print."""
    return codes.label(table, code, language) if codes.exists(table, code) else str(code or "")


def join(language: str, *parts: object) -> str:
    """Several details in one cell, with the language's separator."""
    return ("；" if language == "zh" else "; ").join(str(p) for p in parts if p)
