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
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from fpdesk.core import area, population
from fpdesk.core.codes import text as code_text
from fpdesk.core.dates import add_years, stored
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
    resupply_days,
    schedules,
)
from fpdesk.store import access
from fpdesk.store import population as store_population
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

    village_code defaults to the session's area (a township register then lists its
    whole township, an officer's account their village); another area than the
    account's is refused.  group_no narrows to one village group.
    """
    return due_lists(register, [on], village_code, group_no, config=config)[0]


def due_lists(
    register: Register,
    dates: Iterable[dt.date],
    village_code: str | None = None,
    group_no: str | int | None = None,
    *,
    config: Schedules | None = None,
) -> list[list[DueItem]]:
    """The due list on each of several dates, from one reading of the register.

    Each list is what due_list gives for its date (the work list shows today's and the
    coming week's, and one date alone would not do: postnatal windows are three days,
    and an overdue exam is gone from the list a week later).
    """
    days = list(dates)
    if not days:
        return []
    plan = config or schedules()
    area_code = access.scope(register, village_code)  # an officer: their own village
    facts = DueFacts.read(register, min(days), max(days), area_code, group_no, plan)
    found = [facts.due_on(day) for day in days]
    details = _details(register, {due.person_id for listed in found for due in listed})
    lists = []
    for listed in found:
        items = [_item(details[due.person_id], due) for due in listed]
        items.sort(
            key=lambda i: (-i.overdue_days, i.due_on, i.household_code, i.name, i.visit_type)
        )
        lists.append(items)
    return lists


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
    first: dt.date,
    last: dt.date,
    area_code: str,
    group_no: str | int | None,
    ages: tuple[int, int],
) -> list[tuple[str, str, str | None]]:
    """The women of the age band alive on some day from `first` to `last`: (id, birth
    date, death date), in the order of their households.

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
    born_after = add_years(first, -(oldest + 1)).isoformat()
    born_by = add_years(last, -youngest).isoformat()
    params: list[Any] = [low, high, first.isoformat(), born_after, born_by]
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


class DueFacts:
    """What the schedules look at for the women of an area, read once for every day
    from `first` to `last`; each day's due list is then worked out without the register.

    Rows are read for the whole span (a marriage current on any of its days, ...) and
    narrowed to each day here exactly as a reading for that day alone would have been,
    so a day's list is the same whichever other days were read with it.
    """

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        plan: Schedules,
        women: list[tuple[str, str, str | None]],
    ) -> None:
        self.first, self.last, self.plan = first, last, plan
        iso = dt.date.fromisoformat
        # (id, birth date, death date), in the order of their households
        self.women = [(w[0], iso(w[1]), stored(w[2])) for w in women]
        # Each woman's rows, by her place in `women`.
        self.marriages: dict[int, list[tuple[str, dt.date, dt.date | None]]] = {}
        self.episodes: dict[int, list[Episode]] = {}
        self.pregnancies: dict[int, list[Pregnancy]] = {}
        self.births: dict[int, list[Birth]] = {}
        # Visits and supplies of the women, by id.
        self.visits: dict[str, list[Visit]] = {}
        self.supplies: dict[str, list[Supply]] = {}
        # Rows of anyone whose method is counted under a woman (a husband's sterilisation:
        # user_id names him), by person id: whom they count for depends on the day.
        self.users: set[str] = set()
        self.used: list[tuple[Episode, str, str]] = []  # (episode, woman id, user id)
        self.user_visits: dict[str, list[Visit]] = {}
        self.user_supplies: dict[str, list[Supply]] = {}
        # Each woman's moves and residence status (core.population): a woman whose hukou
        # has left, or who floated in and left again, is no longer this register's.
        self.moves: dict[str, list[tuple[str, str]]] = {}
        self.statuses: dict[str, str] = {}

    @classmethod
    def read(
        cls,
        register: Register,
        first: dt.date,
        last: dt.date,
        area_code: str,
        group_no: str | int | None = None,
        plan: Schedules | None = None,
    ) -> DueFacts:
        plan = plan or schedules()
        facts = cls(
            first, last, plan, _women(register, first, last, area_code, group_no, plan.women_aged)
        )
        if facts.women:
            facts._read(register)
            ids = [w[0] for w in facts.women]
            facts.moves = store_population.histories(register, ids)
            facts.statuses = {
                pid: status
                for pid, status in register.conn.execute(
                    "SELECT id, residence_status FROM person "
                    "WHERE id IN (SELECT value FROM json_each(?))",
                    (json.dumps(ids),),
                )
            }
        return facts

    def gone(self, person_id: str, on: dt.date) -> bool:
        """Whether she belongs to no population of this register on `on` (core.population):
        the registered (here, floating out: her follow-ups count here) and the floating-in
        (served here) are both on the list."""
        history = self.moves.get(person_id)
        if not history:
            return False
        state = population.state_on(history, on.isoformat(), self.statuses.get(person_id, "here"))
        return state == population.GONE

    def _read(self, register: Register) -> None:
        """One query per table for all the women: their ids are joined in as a JSON array
        (json_each's key is the woman's place in `women`), rows read as plain tuples."""
        run = register.conn.execute
        iso = dt.date.fromisoformat
        women = self.women
        ids = json.dumps([w[0] for w in women])
        first, last = self.first.isoformat(), self.last.isoformat()
        joined = "FROM json_each(?) j CROSS JOIN"

        for key, mid, married, ended in run(
            f"SELECT j.key, m.id, m.married_on, m.ended_on {joined} marriage m "
            "ON m.wife_id = j.value WHERE m.deleted = 0 AND m.married_on <= ? "
            "AND (m.ended_on IS NULL OR m.ended_on > ?)",
            (ids, last, first),
        ):
            self.marriages.setdefault(key, []).append((mid, iso(married), stored(ended)))

        for key, cid, user, method, started, ended in run(
            f"SELECT j.key, c.id, c.user_id, c.method, c.started_on, c.ended_on {joined} "
            "contraception c ON c.woman_id = j.value WHERE c.deleted = 0 "
            "AND c.started_on <= ? AND (c.ended_on IS NULL OR c.ended_on > ?)",
            (ids, last, first),
        ):
            episode = Episode(cid, method, iso(started), stored(ended))
            self.episodes.setdefault(key, []).append(episode)
            if user and user != women[key][0]:
                self.users.add(user)
                self.used.append((episode, women[key][0], user))

        for key, gid, registered, outcome_on in run(
            f"SELECT j.key, g.id, g.registered_on, g.outcome_on {joined} pregnancy g "
            "ON g.woman_id = j.value WHERE g.deleted = 0 AND g.registered_on <= ? "
            "AND (g.outcome_on IS NULL OR g.outcome_on > ?)",
            (ids, last, first),
        ):
            self.pregnancies.setdefault(key, []).append(
                Pregnancy(gid, iso(registered), stored(outcome_on))
            )

        recent = self.first - dt.timedelta(days=self.plan.postnatal.expires_days or 366)
        for key, bid, born in run(
            f"SELECT j.key, b.id, b.birth_date {joined} birth b ON b.mother_id = j.value "
            "WHERE b.deleted = 0 AND b.birth_date BETWEEN ? AND ?",
            (ids, recent.isoformat(), last),
        ):
            self.births.setdefault(key, []).append(Birth(bid, iso(born)))

        # Visits matter only to a woman something can make due (a marriage, a method,
        # a pregnancy, a birth), and to the users of methods counted under women.
        users = self.users
        active = sorted(
            k
            for k in {*self.marriages, *self.episodes, *self.pregnancies, *self.births}
            if women[k][0] not in users
        )
        events = {e.id for held in self.episodes.values() for e in held}
        events.update(g.id for held in self.pregnancies.values() for g in held)
        events.update(b.id for held in self.births.values() for b in held)
        self._read_visits(register, active, sorted(users), events)

        # Supplies matter only to a woman on a method that is handed out (schedules'
        # resupply), and to the users of methods counted under such a woman.
        takers = [
            k
            for k, held in self.episodes.items()
            if any(resupply_days(e.method) is not None for e in held)
        ]
        taker_ids = {women[k][0] for k in takers}
        supplied_users = {user for _, woman, user in self.used if woman in taker_ids}
        self._read_supplies(
            register,
            sorted(k for k in takers if women[k][0] not in users),
            sorted(supplied_users | (taker_ids & users)),
        )

    def _rows(
        self, register: Register, sql: str, keys: list[int], users: list[str]
    ) -> tuple[list[str], Iterable[tuple[int, str, str, Any]]]:
        """Rows of the women at `keys` and of `users`: (place in the list returned, ...)."""
        people = [self.women[k][0] for k in keys] + users
        query = sql.replace("FROM", "FROM json_each(?) j CROSS JOIN", 1)
        rows = register.conn.execute(query, (json.dumps(people), self.last.isoformat()))
        return people, rows

    def _read_visits(
        self, register: Register, keys: list[int], users: list[str], events: set[str]
    ) -> None:
        """The visits of the women at `keys` and of `users`.

        Of a woman's own visits only those the schedules can look at are kept: of each
        type and event followed, the latest by `first` (a visit counts when it falls in a
        window, and the latest is the one that can), and any after it; of an exam type,
        the latest whatever it follows (exams are counted from the last one); none that
        follows an event not read (it can satisfy nothing due).  A user's visits are all
        kept: whom they count for depends on the day.
        """
        if not keys and not users:
            return
        plan = self.plan
        wanted = _visit_types(plan)
        exams = plan.exam.satisfied_by
        exam_only = exams - _visit_types(plan, exam=False)
        first = self.first.isoformat()
        people, rows = self._rows(
            register,
            "SELECT j.key, v.visit_type, v.visited_on, v.follows_id FROM visit v "
            "ON v.person_id = j.value WHERE v.deleted = 0 AND v.visited_on <= ?",
            keys,
            users,
        )
        split = len(keys)
        iso = dt.date.fromisoformat
        latest: dict[tuple[int, str, str | None], str] = {}
        later: list[tuple[int, str, str, str | None]] = []
        for place, kind, day, follows in rows:
            if kind not in wanted:
                continue
            if place >= split:
                later.append((place, kind, day, follows))
            elif kind in exam_only:
                if day > first:
                    later.append((place, kind, day, None))
                elif latest.get((place, kind, None), "") < day:
                    latest[(place, kind, None)] = day
            elif follows is not None and follows not in events and kind not in exams:
                continue
            elif day > first:
                later.append((place, kind, day, follows))
            elif latest.get((place, kind, follows), "") < day:
                latest[(place, kind, follows)] = day
        for (place, kind, follows), day in latest.items():
            self.visits.setdefault(people[place], []).append(Visit(kind, iso(day), follows))
        for place, kind, day, follows in later:
            held = self.visits if place < split else self.user_visits
            held.setdefault(people[place], []).append(Visit(kind, iso(day), follows))

    def _read_supplies(self, register: Register, keys: list[int], users: list[str]) -> None:
        """The supplies of the women at `keys` and of `users`.

        Of a woman's own, only those of each item's latest day by `first` (the last supply
        of an item is the first of that day's, so all of the day's are kept in order) and
        any after it.  A user's are all kept.
        """
        if not keys and not users:
            return
        first = self.first.isoformat()
        people, rows = self._rows(
            register,
            "SELECT j.key, s.item, s.handed_on, s.quantity FROM supply s "
            "ON s.person_id = j.value WHERE s.deleted = 0 AND s.handed_on <= ?",
            keys,
            users,
        )
        split = len(keys)
        iso = dt.date.fromisoformat
        latest: dict[tuple[int, str], tuple[str, list[int]]] = {}
        later: list[tuple[int, str, str, int]] = []
        for place, item, day, quantity in rows:  # each person's by day, as the index keeps them
            if place >= split or day > first:
                later.append((place, item, day, quantity))
                continue
            found = latest.get((place, item))
            if found is None or found[0] < day:
                latest[(place, item)] = (day, [quantity])
            else:
                found[1].append(quantity)  # another of the same day
        for (place, item), (day, quantities) in latest.items():
            handed = iso(day)
            self.supplies.setdefault(people[place], []).extend(
                Supply(item, handed, quantity) for quantity in quantities
            )
        for place, item, day, quantity in later:
            held = self.supplies if place < split else self.user_supplies
            held.setdefault(people[place], []).append(Supply(item, iso(day), quantity))

    def due_on(self, on: dt.date) -> list[DueVisit]:
        """Every visit due on `on` (from `first` to `last`), in the women's order."""
        if not self.first <= on <= self.last:
            raise ValueError(f"{on} is not between {self.first} and {self.last}")
        plan = self.plan
        women = self.women
        # Read for this day alone, the rows need no narrowing (the common case).
        narrow = self.first == self.last
        held = self.episodes  # the methods current on the day
        if not narrow:
            held = {}
            for key, rows in self.episodes.items():
                current = [e for e in rows if _current(e.started_on, e.ended_on, on)]
                if current:
                    held[key] = current
        extra_visits: dict[str, list[Visit]] = {}
        extra_supplies: dict[str, list[Supply]] = {}
        if self.users:
            extra_visits, extra_supplies = self._counted(on, held)

        recent = on - dt.timedelta(days=plan.postnatal.expires_days or 366)
        found: list[DueVisit] = []
        for key in sorted({*self.marriages, *held, *self.pregnancies, *self.births}):
            pid, born, died = women[key]
            if self.gone(pid, on):
                continue
            marriages = self.marriages.get(key)
            pregnancies: Sequence[Pregnancy] = self.pregnancies.get(key, ())
            births: Sequence[Birth] = self.births.get(key, ())
            marriage = None
            if narrow:
                if marriages:
                    marriage = marriages[-1]  # the latest, as ORDER BY married_on gave
            else:
                for row in marriages or ():
                    if _current(row[1], row[2], on):
                        marriage = row
                pregnancies = [
                    g for g in pregnancies if _current(g.registered_on, g.outcome_on, on)
                ]
                births = [b for b in births if recent <= b.birth_date <= on]
            episodes: Sequence[Episode] = held.get(key) or ()
            if marriage is None and not episodes and not pregnancies and not births:
                continue  # nothing can make her due on this day
            visits: Sequence[Visit] = self.visits.get(pid, ())
            if pid in extra_visits:
                visits = [*visits, *extra_visits[pid]]
            supplies: Sequence[Supply] = self.supplies.get(pid, ())
            if pid in extra_supplies:
                supplies = extra_supplies[pid]
            person = PersonEvents(
                pid,
                2,
                born,
                died,
                marriage[0] if marriage else None,
                marriage[1] if marriage else None,
                episodes,
                pregnancies,
                births,
                visits,
                supplies,
            )
            found += due_visits(person, on, plan)
        return found

    def _counted(
        self, on: dt.date, held: dict[int, list[Episode]]
    ) -> tuple[dict[str, list[Visit]], dict[str, list[Supply]]]:
        """The visits and supplies of users counted for women on `on` (woman id -> rows).

        A user's visit counts for the woman whose method it follows, else for every woman
        whose method he uses; his supplies for every such woman.  A woman who is herself
        named as a user elsewhere (not on this day) keeps her own rows.
        """
        owner: dict[str, list[str]] = {}  # user -> the women his methods count under
        for episode, woman, user in self.used:
            if _current(episode.started_on, episode.ended_on, on):
                owner.setdefault(user, []).append(woman)
        event_owner = {e.id: self.women[k][0] for k, held_by in held.items() for e in held_by}
        visits: dict[str, list[Visit]] = {}
        for person, rows in self.user_visits.items():
            for visit in rows:
                for woman in _counted_under(person, visit.follows_id, owner, event_owner):
                    visits.setdefault(woman, []).append(visit)
        # Supplies: as a reading for the day alone, the women on a method handed out and
        # the users counted under one of them, each person's rows in the order of
        # their ids (the last supply is the first of the latest day's).
        supplied = {
            self.women[k][0]
            for k, episodes in held.items()
            if any(resupply_days(e.method) is not None for e in episodes)
        }
        given: dict[str, list[tuple[str, list[Supply]]]] = {}
        for person, handed in self.user_supplies.items():
            for woman in _counted_under(person, None, owner, event_owner):
                if woman in supplied:
                    given.setdefault(woman, []).append((person, handed))
        supplies: dict[str, list[Supply]] = {}
        for woman, parts in given.items():
            if woman in self.supplies:  # hers, read as a woman's (she is nobody's user)
                parts.append((woman, self.supplies[woman]))
            parts.sort(key=lambda part: part[0])
            supplies[woman] = [row for _, handed in parts for row in handed]
        return visits, supplies


def _current(begun: dt.date, ended: dt.date | None, on: dt.date) -> bool:
    """Begun by `on` and not ended by then (as the SQL for one day alone reads it)."""
    return begun <= on and (ended is None or ended > on)


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


def _visit_types(plan: Schedules, *, exam: bool = True) -> set[str]:
    """The visit types that count for some schedule (with or without the exam's)."""
    kinds: set[str] = set()
    for series in (*plan.operations.values(), plan.pregnancy, plan.postnatal):
        kinds |= series.satisfied_by
    return kinds | plan.exam.satisfied_by if exam else kinds
