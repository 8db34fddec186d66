"""Follow-up and service-visit schedules: who is due, for what, on a given date.

The schedules are data (resources/schedules.json).  Each event of a person starts a
series of due dates: an IUD insertion (months 1, 3, 6, 12, then yearly), another
contraceptive operation, a registered pregnancy (monthly until its outcome), a
delivery (postnatal visits), a current marriage (a yearly gynecological exam for women
15-49), a short-acting method (resupply when the last supply runs out).

For each series only the latest due date whose window has opened matters: a visit of
an accepted type recorded from `window_days_before` days before that date satisfies
it.  An earlier, missed occurrence is superseded by the next one rather than listed
forever (the follow-up rate report counts what was missed).  Nothing here reads the
clock: the date is a parameter.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from fpdesk.core import codes
from fpdesk.core.codes import load_resource
from fpdesk.core.validation import add_years, age_on

FEMALE = 2
# Children born this close together came from one delivery: one set of postnatal visits.
SAME_DELIVERY_DAYS = 1


# ---- the facts about one person that schedules need ---------------------------------
# Named tuples, not dataclasses: a due list builds thousands of them per village and a
# frozen dataclass costs about twice as much to make.


class Visit(NamedTuple):
    visit_type: str
    visited_on: dt.date
    follows_id: str | None = None


class Episode(NamedTuple):
    """A contraception episode counted under the woman."""

    id: str
    method: str
    started_on: dt.date
    ended_on: dt.date | None = None


class Pregnancy(NamedTuple):
    id: str
    registered_on: dt.date
    outcome_on: dt.date | None = None


class Birth(NamedTuple):
    id: str
    birth_date: dt.date


class Supply(NamedTuple):
    item: str
    handed_on: dt.date
    quantity: int = 1


class PersonEvents(NamedTuple):
    person_id: str
    sex: int
    birth_date: dt.date
    death_date: dt.date | None = None
    marriage_id: str | None = None  # the current marriage, if any
    married_on: dt.date | None = None
    contraception: Sequence[Episode] = ()
    pregnancies: Sequence[Pregnancy] = ()
    births: Sequence[Birth] = ()  # births this woman gave
    visits: Sequence[Visit] = ()
    supplies: Sequence[Supply] = ()


class DueVisit(NamedTuple):
    person_id: str
    visit_type: str
    due_on: dt.date
    follows_table: str | None
    follows_id: str | None
    overdue_days: int  # 0 while due but not yet late


# ---- the schedules, read from data ---------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One kind of schedule: its visit types and its window."""

    visit_type: str
    satisfied_by: frozenset[str]
    window_days_before: int
    months: tuple[int, ...] = ()
    then_every_months: int | None = None
    then_visit_type: str | None = None
    every_months: int | None = None
    every_days: int | None = None
    days: tuple[int, ...] = ()
    expires_days: int | None = None
    age_from: int = 0
    age_to: int = 200
    per_unit: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Schedules:
    women_aged: tuple[int, int]  # the ages the work list covers, both included
    operations: dict[str, Series]
    pregnancy: Series
    postnatal: Series
    exam: Series
    resupply: Series


def parse_schedules(data: dict[str, Any]) -> Schedules:
    window = int(data.get("window_days_before", 15))

    def series(item: dict[str, Any]) -> Series:
        visit_type = str(item["visit_type"])
        every = item.get("then_every_months")
        return Series(
            visit_type=visit_type,
            satisfied_by=frozenset(item.get("satisfied_by", [visit_type])),
            window_days_before=int(item.get("window_days_before", window)),
            months=tuple(int(m) for m in item.get("months", ())),
            then_every_months=int(every) if every else None,
            then_visit_type=item.get("then_visit_type"),
            every_months=int(item["every_months"]) if item.get("every_months") else None,
            every_days=int(item["every_days"]) if item.get("every_days") else None,
            days=tuple(int(d) for d in item.get("days", ())),
            expires_days=int(item["expires_days"]) if item.get("expires_days") else None,
            age_from=int(item.get("age_from", 0)),
            age_to=int(item.get("age_to", 200)),
            per_unit=frozenset(item.get("per_unit", ())),
        )

    for method in data["operations"]:
        if not codes.exists("contraceptive_method", method):
            raise ValueError(f"schedules.json: unknown method {method!r}")
    low, high = data.get("women_aged", (12, 49))
    return Schedules(
        women_aged=(int(low), int(high)),
        operations={m: series(item) for m, item in data["operations"].items()},
        pregnancy=series(data["pregnancy"]),
        postnatal=series(data["postnatal"]),
        exam=series(data["exam"]),
        resupply=series(data["resupply"]),
    )


@cache
def schedules() -> Schedules:
    return parse_schedules(load_resource("schedules.json"))


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = 29 if month == 2 and calendar.isleap(year) else _MONTH_DAYS[month - 1]
    return dt.date(year, month, min(day.day, last))


# ---- the series of due dates ----------------------------------------------------------


def _operation_dates(series: Series, start: dt.date, on: dt.date) -> Iterator[tuple[dt.date, str]]:
    """The due dates after an operation, from the last one surely past on `on`.

    Dates that a later, already past date supersedes are skipped: only the latest
    opened one matters (see _latest_open), and a due list asks this of every woman.
    """
    # Whole months from the operation to `on`, less one: a date that many months on
    # is on or before `on`, whatever the days of the month.
    past = (on.year - start.year) * 12 + on.month - start.month - 1
    fixed = series.months
    step = series.then_every_months
    base = fixed[-1] if fixed else 0
    k = max(1, (past - base) // step) if step else 0
    if step and base + k * step <= past:
        fixed = ()  # a periodic date is already past: it supersedes every fixed one
    first = 0
    while first + 1 < len(fixed) and fixed[first + 1] <= past:
        first += 1
    for months in fixed[first:]:
        yield add_months(start, months), series.visit_type
    if step:
        kind = series.then_visit_type or series.visit_type
        while True:
            yield add_months(start, base + k * step), kind
            k += 1


def _every_days(start: dt.date, every: int, on: dt.date) -> Iterator[tuple[dt.date, str]]:
    k = max(1, (on - start).days // every - 1)
    while True:
        yield start + dt.timedelta(days=every * k), ""
        k += 1


def _latest_open(
    dates: Iterable[tuple[dt.date, str]], on: dt.date, window: int, end: dt.date | None
) -> tuple[dt.date, str] | None:
    """The last due date whose window has opened by `on` (and that is not after `end`)."""
    latest = None
    for due, kind in dates:
        if due - dt.timedelta(days=window) > on or (end is not None and due > end):
            break
        latest = (due, kind)
    return latest


def _satisfied(
    visits: Sequence[Visit], series: Series, since: dt.date, on: dt.date, event_id: str | None
) -> bool:
    """A visit of an accepted type from the window's start up to `on`, for this event.

    A visit linked to another event does not count; an unlinked one does (officers do
    not always say which insertion or pregnancy a visit followed).
    """
    return any(
        v.visit_type in series.satisfied_by
        and since <= v.visited_on <= on
        and (v.follows_id is None or event_id is None or v.follows_id == event_id)
        for v in visits
    )


def _series_due(
    person: PersonEvents,
    series: Series,
    dates: Iterable[tuple[dt.date, str]],
    on: dt.date,
    end: dt.date | None,
    follows: tuple[str | None, str | None],
) -> DueVisit | None:
    window = series.window_days_before
    found = _latest_open(dates, on, window, end)
    if found is None:
        return None
    due, kind = found
    if _satisfied(person.visits, series, due - dt.timedelta(days=window), on, follows[1]):
        return None
    return DueVisit(
        person_id=person.person_id,
        visit_type=kind or series.visit_type,
        due_on=due,
        follows_table=follows[0],
        follows_id=follows[1],
        overdue_days=max(0, (on - due).days),
    )


def _ended_by(on: dt.date, *ends: dt.date | None) -> dt.date | None:
    """The earliest end that has happened by `on` (later ends are not known yet on `on`)."""
    known = [e for e in ends if e is not None and e <= on]
    return min(known) if known else None


def due_visits(
    person: PersonEvents, on: dt.date, config: Schedules | None = None
) -> list[DueVisit]:
    """Every visit a person is due or overdue for on `on`, one per series at most."""
    plan = config or schedules()
    if person.death_date is not None and person.death_date <= on:
        return []
    age = age_on(person.birth_date, on)
    if not plan.women_aged[0] <= age <= plan.women_aged[1]:
        return []
    out: list[DueVisit | None] = []
    for episode in person.contraception:
        if episode.started_on > on:
            continue
        end = _ended_by(on, episode.ended_on, person.death_date)
        if end is not None and end <= on:
            continue  # a method that has ended needs no more follow-ups or supplies
        follows = ("contraception", episode.id)
        series = plan.operations.get(episode.method)
        if series is not None:
            dates = _operation_dates(series, episode.started_on, on)
            out.append(_series_due(person, series, dates, on, None, follows))
        out.append(_resupply_due(person, episode, plan.resupply, on))
    for pregnancy in person.pregnancies:
        if pregnancy.registered_on > on or _ended_by(on, pregnancy.outcome_on):
            continue
        every = plan.pregnancy.every_days or 30
        dates = _every_days(pregnancy.registered_on, every, on)
        out.append(
            _series_due(person, plan.pregnancy, dates, on, None, ("pregnancy", pregnancy.id))
        )
    for birth in _deliveries(person.births, on):
        out.append(_postnatal_due(person, birth, plan.postnatal, on))
    out.append(_exam_due(person, plan.exam, on, age))
    return [item for item in out if item is not None]


def _deliveries(births: Sequence[Birth], on: dt.date) -> list[Birth]:
    """One birth per delivery (twins share their postnatal visits), none after `on`."""
    kept: list[Birth] = []
    for birth in sorted(births, key=lambda b: (b.birth_date, b.id)):
        if birth.birth_date > on:
            continue
        if kept and (birth.birth_date - kept[-1].birth_date).days <= SAME_DELIVERY_DAYS:
            continue
        kept.append(birth)
    return kept


def _postnatal_due(
    person: PersonEvents, birth: Birth, series: Series, on: dt.date
) -> DueVisit | None:
    if series.expires_days is not None and (on - birth.birth_date).days > series.expires_days:
        return None
    dates = ((birth.birth_date + dt.timedelta(days=d), "") for d in series.days)
    return _series_due(person, series, dates, on, None, ("birth", birth.id))


def _latest_cycle(due: dt.date, every_months: int, on: dt.date) -> dt.date:
    """A yearly exam missed for years is due once, this cycle: the latest due date by `on`.

    Listing the exam as overdue since the first year it was missed would fill the work
    list with decade-old dates and tell the officer nothing she can act on.
    """
    # Whole cycles surely past (a month short of `on`, whatever the days of the month),
    # then step to the last one: a woman never examined since her wedding in 1995 does
    # not cost thirty additions.
    months = (on.year - due.year) * 12 + on.month - due.month - 1
    steps = max(0, months // every_months)
    while add_months(due, every_months * (steps + 1)) <= on:
        steps += 1
    return add_months(due, every_months * steps)


def _exam_due(person: PersonEvents, series: Series, on: dt.date, age: int) -> DueVisit | None:
    """Married women of the age band: a yearly exam, counted from the last one."""
    if person.sex != FEMALE or person.married_on is None or person.married_on > on:
        return None
    if not series.age_from <= age <= series.age_to:
        return None
    exams = [
        v.visited_on
        for v in person.visits
        if v.visit_type in series.satisfied_by and v.visited_on <= on
    ]
    every = series.every_months or 12
    if exams:
        due = add_months(max(exams), every)
    else:
        due = max(person.married_on, add_years(person.birth_date, series.age_from))
    due = _latest_cycle(due, every, on)
    if due - dt.timedelta(days=series.window_days_before) > on:
        return None
    return DueVisit(
        person.person_id,
        series.visit_type,
        due,
        "marriage",
        person.marriage_id,
        max(0, (on - due).days),
    )


def _resupply_due(
    person: PersonEvents, episode: Episode, series: Series, on: dt.date
) -> DueVisit | None:
    """A short-acting method is due again when the last supply of it runs out."""
    days = codes.method(episode.method).resupply_days
    if days is None:
        return None
    handed = [s for s in person.supplies if s.item == episode.method and s.handed_on <= on]
    if handed:
        last = max(handed, key=lambda s: s.handed_on)
        units = last.quantity if episode.method in series.per_unit else 1
        due = last.handed_on + dt.timedelta(days=days * max(units, 1))
    else:
        due = episode.started_on
    if due - dt.timedelta(days=series.window_days_before) > on:
        return None
    return DueVisit(
        person.person_id,
        series.visit_type,
        due,
        "contraception",
        episode.id,
        max(0, (on - due).days),
    )
