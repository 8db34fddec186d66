"""The due list: who is due or overdue for a visit on a date, as a work list.

Only the rows that can make someone due are read: the women of one village (through
the household_village index), then their open contraception episodes, open
pregnancies, recent deliveries, current marriages, visits and supplies, each by an
indexed lookup on the woman's id.  The schedules themselves are core.schedules; this
module only gathers the facts they need.

Everything is counted under the woman, as on her card: a husband's sterilisation is a
row of hers (user_id names him), and visits or supplies recorded against him for it
count for her too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from fpdesk.core import area
from fpdesk.core.codes import UnknownCode
from fpdesk.core.codes import method as method_code
from fpdesk.core.codes import text as code_text
from fpdesk.core.i18n import Text
from fpdesk.core.schedules import (
    Birth,
    DueVisit,
    Episode,
    PersonEvents,
    Pregnancy,
    Schedules,
    Supply,
    Visit,
    due_visits,
    schedules,
)
from fpdesk.core.validation import add_years
from fpdesk.store.db import Register

_DIGITS = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}


@dataclass(frozen=True)
class DueItem:
    """One line of the work list."""

    person_id: str
    name: str
    household_id: str
    household_code: str
    group_no: str
    address: str
    phone: str | None
    visit_type: str
    due_on: dt.date
    follows_table: str | None
    follows_id: str | None
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def visit_label(self) -> Text:
        return code_text("visit_type", self.visit_type)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["due_on"] = self.due_on.isoformat()
        data["visit_label"] = {"zh": self.visit_label.zh, "en": self.visit_label.en}
        return data


def area_bounds(code: str) -> tuple[str, str]:
    """The lowest and highest village code inside an area (a range the index can use)."""
    digits = _DIGITS[area.level_of(code)]
    prefix = code[:digits]
    return prefix + "0" * (12 - digits), prefix + "9" * (12 - digits)


def due_list(
    register: Register,
    on: dt.date,
    village_code: str | None = None,
    group_no: str | int | None = None,
    *,
    config: Schedules | None = None,
) -> list[DueItem]:
    """Everyone due or overdue on `on`, overdue first (most overdue at the top).

    village_code defaults to the register's own area (a township register then lists
    its whole township).  group_no narrows to one village group.
    """
    plan = config or schedules()
    area_code = village_code or register.area_code
    women = _women(register, on, area_code, group_no, plan.women_aged)
    if not women:
        return []
    facts = _facts(register, women, on, plan)
    found = [(woman, due) for woman in women for due in due_visits(facts[woman[0]], on, plan)]
    details = _details(register, {woman[0] for woman, _ in found})
    items = [_item(details[woman[0]], due) for woman, due in found]
    items.sort(key=lambda i: (-i.overdue_days, i.due_on, i.household_code, i.name, i.visit_type))
    return items


def _item(woman: dict[str, Any], due: DueVisit) -> DueItem:
    return DueItem(
        person_id=woman["id"],
        name=woman["name"],
        household_id=woman["household_id"],
        household_code=woman["household_code"],
        group_no=woman["group_no"],
        address=woman["address"] or "",
        phone=woman["phone"] or woman["household_phone"],
        visit_type=due.visit_type,
        due_on=due.due_on,
        follows_table=due.follows_table,
        follows_id=due.follows_id,
        overdue_days=due.overdue_days,
    )


def _women(
    register: Register,
    on: dt.date,
    area_code: str,
    group_no: str | int | None,
    ages: tuple[int, int],
) -> list[tuple[str, str, str | None]]:
    """The women of the age band alive on `on`: (id, birth date, death date).

    Answered from the covering indexes household_village and person_household (schema
    step 0007); names, phones and addresses are read later, for the women listed only.
    """
    low, high = area_bounds(area_code)
    sql = (
        "SELECT p.id, p.birth_date, p.death_date "
        # CROSS JOIN keeps this order: the village's households first (household_village),
        # then their members (person_household; the + keeps SQLite off the sex index,
        # which without statistics it would rather use to scan every woman).
        "FROM household h CROSS JOIN person p ON p.household_id = h.id "
        "WHERE h.village_code BETWEEN ? AND ? AND h.deleted = 0 AND p.deleted = 0 "
        "AND +p.sex = 2 AND (p.death_date IS NULL OR p.death_date > ?) "
        "AND p.birth_date > ? AND p.birth_date <= ?"
    )
    youngest, oldest = ages
    born_after = add_years(on, -(oldest + 1)).isoformat()
    born_by = add_years(on, -youngest).isoformat()
    params: list[Any] = [low, high, on.isoformat(), born_after, born_by]
    if group_no is not None and str(group_no).strip():
        sql += " AND h.group_no = ?"
        params.append(f"{int(group_no):02d}")
    return [(row[0], row[1], row[2]) for row in register.conn.execute(sql, params)]


def _details(register: Register, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Name, phone and household of each woman on the list."""
    if not ids:
        return {}
    rows = register.query(
        "SELECT p.id, p.name, p.phone, h.id AS household_id, h.code AS household_code, "
        "h.group_no, h.address, h.phone AS household_phone "
        "FROM person p JOIN household h ON h.id = p.household_id "
        "WHERE p.id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(ids)),),
    )
    return {row["id"]: row for row in rows}


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _facts(
    register: Register,
    women: Sequence[tuple[str, str, str | None]],
    on: dt.date,
    plan: Schedules,
) -> dict[str, PersonEvents]:
    """Each woman's events that schedules look at, read with one query per table.

    Rows are read as plain tuples (no dict per row): this runs for every line of the
    work list and its cost is mostly Python's.
    """
    ids = json.dumps([w[0] for w in women])
    day = on.isoformat()
    in_ids = "IN (SELECT value FROM json_each(?))"
    run = register.conn.execute
    iso = dt.date.fromisoformat

    marriages: dict[str, tuple[str, dt.date]] = {}
    for mid, wife, married in run(
        f"SELECT id, wife_id, married_on FROM marriage WHERE wife_id {in_ids} AND deleted = 0 "
        "AND married_on <= ? AND (ended_on IS NULL OR ended_on > ?) ORDER BY married_on",
        (ids, day, day),
    ):
        marriages[wife] = (mid, iso(married))

    episodes: dict[str, list[Episode]] = defaultdict(list)
    owner: dict[str, list[str]] = defaultdict(list)  # husband (user) -> the women counted
    event_owner: dict[str, str] = {}
    for cid, woman, user, method, started, ended in run(
        f"SELECT id, woman_id, user_id, method, started_on, ended_on FROM contraception "
        f"WHERE woman_id {in_ids} AND deleted = 0 AND started_on <= ? "
        "AND (ended_on IS NULL OR ended_on > ?)",
        (ids, day, day),
    ):
        episodes[woman].append(Episode(cid, method, iso(started), _date(ended)))
        event_owner[cid] = woman
        if user and user != woman:
            owner[user].append(woman)

    pregnancies: dict[str, list[Pregnancy]] = defaultdict(list)
    for gid, woman, registered, outcome_on in run(
        f"SELECT id, woman_id, registered_on, outcome_on FROM pregnancy "
        f"WHERE woman_id {in_ids} AND deleted = 0 AND registered_on <= ? "
        "AND (outcome_on IS NULL OR outcome_on > ?)",
        (ids, day, day),
    ):
        pregnancies[woman].append(Pregnancy(gid, iso(registered), _date(outcome_on)))

    births: dict[str, list[Birth]] = defaultdict(list)
    recent = on - dt.timedelta(days=plan.postnatal.expires_days or 366)
    for bid, mother, born in run(
        f"SELECT id, mother_id, birth_date FROM birth WHERE mother_id {in_ids} "
        "AND deleted = 0 AND birth_date BETWEEN ? AND ?",
        (ids, recent.isoformat(), day),
    ):
        births[mother].append(Birth(bid, iso(born)))

    # Visits of the women, and of husbands whose method is counted under them.
    people = json.dumps([w[0] for w in women] + list(owner))
    visits: dict[str, list[Visit]] = defaultdict(list)
    wanted = _visit_types(plan)
    # The visit types are filtered here, not in SQL: an IN list there makes SQLite seek
    # once per person and type instead of once per person.
    for person_id, kind, visited, follows_id in run(
        f"SELECT person_id, visit_type, visited_on, follows_id FROM visit "
        f"WHERE person_id {in_ids} AND deleted = 0 AND visited_on <= ?",
        (people, day),
    ):
        if kind not in wanted:
            continue
        visit = Visit(kind, iso(visited), follows_id)
        if person_id not in owner:  # her own visit: the common case, kept cheap
            visits[person_id].append(visit)
            continue
        for woman_id in _counted_under(person_id, follows_id, owner, event_owner):
            visits[woman_id].append(visit)

    # Supplies matter only to a woman on a method that is handed out (schedules'
    # resupply): read them for her (and a husband counted under her) alone.
    supplied = {
        woman
        for woman, held in episodes.items()
        if any(code_resupply_days(e.method) is not None for e in held)
    }
    takers = sorted(supplied) + [u for u, counted in owner.items() if supplied & set(counted)]
    supplies: dict[str, list[Supply]] = defaultdict(list)
    for person_id, item, handed, quantity in run(
        f"SELECT person_id, item, handed_on, quantity FROM supply WHERE person_id {in_ids} "
        "AND deleted = 0 AND handed_on <= ?",
        (json.dumps(takers), day),
    ):
        supply = Supply(item, iso(handed), quantity)
        if person_id not in owner:
            supplies[person_id].append(supply)
            continue
        for woman_id in _counted_under(person_id, None, owner, event_owner):
            supplies[woman_id].append(supply)

    facts: dict[str, PersonEvents] = {}
    for pid, born, died in women:
        marriage = marriages.get(pid)
        facts[pid] = PersonEvents(
            person_id=pid,
            sex=2,
            birth_date=iso(born),
            death_date=_date(died),
            marriage_id=marriage[0] if marriage else None,
            married_on=marriage[1] if marriage else None,
            contraception=episodes.get(pid, ()),
            pregnancies=pregnancies.get(pid, ()),
            births=births.get(pid, ()),
            visits=visits.get(pid, ()),
            supplies=supplies.get(pid, ()),
        )
    return facts


def code_resupply_days(method: str) -> int | None:
    """Days one supply of a method lasts (None: nothing is handed out for it)."""
    try:
        return method_code(method).resupply_days
    except UnknownCode:
        return None


def _counted_under(
    person_id: str,
    follows_id: str | None,
    owner: dict[str, list[str]],
    event_owner: dict[str, str],
) -> Iterable[str]:
    """The women a husband's visit or supply counts for (a woman's own: just her)."""
    if person_id not in owner:
        return (person_id,)
    if follows_id and follows_id in event_owner:
        return (event_owner[follows_id],)
    return owner[person_id]


def _visit_types(plan: Schedules) -> set[str]:
    kinds: set[str] = set()
    for series in (*plan.operations.values(), plan.pregnancy, plan.postnatal, plan.exam):
        kinds |= series.satisfied_by
    return kinds
