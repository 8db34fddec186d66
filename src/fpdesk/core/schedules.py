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

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from fpdesk.core import codes
from fpdesk.core.codes import load_resource
from fpdesk.core.dates import add_months as add_months  # the name callers import from here
from fpdesk.core.dates import add_years, age_on, months_from

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


# ---- the series of due dates ----------------------------------------------------------
# A due list asks this of every woman of a village (or a township) at once, so each
# series goes straight to the one date that matters (the latest whose window has opened
# by `on`) instead of walking its dates, and nothing is made that is not needed.


@cache
def resupply_days(method: str) -> int | None:
    """Days one supply of a method lasts (None: nothing is handed out for it)."""
    try:
        return codes.method(method).resupply_days
    except codes.UnknownCode:
        return None


def _latest_operation(
    series: Series, start: dt.date, on: dt.date, horizon: dt.date
) -> tuple[dt.date, str] | None:
    """The last follow-up date after an operation that is not after `horizon`
    (`on` plus the window), with its visit type; None before the first one.

    Only the dates from the last one surely past on `on` are looked at: an earlier,
    missed occurrence is superseded by the next.
    """
    # Whole months from the operation to `on`, less one: a date that many months on
    # is on or before `on`, whatever the days of the month.
    past = months_from(start, on) - 1
    fixed = series.months
    step = series.then_every_months
    base = fixed[-1] if fixed else 0
    k = max(1, (past - base) // step) if step else 0
    if step and base + k * step <= past:
        fixed = ()  # a periodic date is already past: it supersedes every fixed one
    first = 0
    while first + 1 < len(fixed) and fixed[first + 1] <= past:
        first += 1
    latest = None
    for months in fixed[first:]:
        due = add_months(start, months)
        if due > horizon:
            return latest
        latest = (due, series.visit_type)
    if step:
        kind = series.then_visit_type or series.visit_type
        while True:
            due = add_months(start, base + k * step)
            if due > horizon:
                return latest
            latest = (due, kind)
            k += 1
    return latest


def _latest_every_days(start: dt.date, every: int, on: dt.date, horizon: dt.date) -> dt.date | None:
    """The last of start + every, + 2 every, ... not after `horizon`, from the one before
    the last surely past on `on` (an earlier, missed one is superseded)."""
    steps = (horizon - start).days // every
    if steps < max(1, (on - start).days // every - 1):
        return None
    return start + dt.timedelta(days=every * steps)


def _satisfied(
    visits: Sequence[Visit],
    accepted: frozenset[str],
    since: dt.date,
    on: dt.date,
    event: str | None,
) -> bool:
    """A visit of an accepted type from the window's start up to `on`, for this event.

    A visit linked to another event does not count; an unlinked one does (officers do
    not always say which insertion or pregnancy a visit followed).
    """
    for visit in visits:
        if (
            since <= visit.visited_on <= on
            and visit.visit_type in accepted
            and (visit.follows_id is None or event is None or visit.follows_id == event)
        ):
            return True
    return False


def _open_due(
    person: PersonEvents,
    series: Series,
    found: tuple[dt.date, str] | None,
    on: dt.date,
    follows_table: str,
    follows_id: str | None,
) -> DueVisit | None:
    """The due date found, unless a visit in its window satisfied it."""
    if found is None:
        return None
    due, kind = found
    since = due - dt.timedelta(days=series.window_days_before)
    if _satisfied(person.visits, series.satisfied_by, since, on, follows_id):
        return None
    late = (on - due).days
    return DueVisit(
        person.person_id,
        kind or series.visit_type,
        due,
        follows_table,
        follows_id,
        late if late > 0 else 0,
    )


def due_visits(
    person: PersonEvents, on: dt.date, config: Schedules | None = None
) -> list[DueVisit]:
    """Every visit a person is due or overdue for on `on`, one per series at most."""
    plan = config or schedules()
    if person.death_date is not None and person.death_date <= on:
        return []
    born = person.birth_date
    age = age_on(born, on)
    youngest, oldest = plan.women_aged
    if not youngest <= age <= oldest:
        return []
    out: list[DueVisit | None] = []
    for episode in person.contraception:
        if episode.started_on > on or (episode.ended_on is not None and episode.ended_on <= on):
            continue  # not begun yet, or ended: no more follow-ups or supplies
        series = plan.operations.get(episode.method)
        if series is not None:
            horizon = on + dt.timedelta(days=series.window_days_before)
            found = _latest_operation(series, episode.started_on, on, horizon)
            out.append(_open_due(person, series, found, on, "contraception", episode.id))
        if resupply_days(episode.method) is not None:
            out.append(_resupply_due(person, episode, plan.resupply, on))
    if person.pregnancies:
        series = plan.pregnancy
        horizon = on + dt.timedelta(days=series.window_days_before)
        for pregnancy in person.pregnancies:
            registered, outcome = pregnancy.registered_on, pregnancy.outcome_on
            if registered > on or (outcome is not None and outcome <= on):
                continue
            due = _latest_every_days(registered, series.every_days or 30, on, horizon)
            found = (due, "") if due is not None else None
            out.append(_open_due(person, series, found, on, "pregnancy", pregnancy.id))
    if person.births:
        for birth in _deliveries(person.births, on):
            out.append(_postnatal_due(person, birth, plan.postnatal, on))
    if person.married_on is not None:
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
    horizon = on + dt.timedelta(days=series.window_days_before)
    found = None
    for days in series.days:  # in the order given; the first not yet open ends the search
        due = birth.birth_date + dt.timedelta(days=days)
        if due > horizon:
            break
        found = (due, "")
    return _open_due(person, series, found, on, "birth", birth.id)


def _latest_cycle(due: dt.date, every_months: int, on: dt.date) -> dt.date:
    """A yearly exam missed for years is due once, this cycle: the latest due date by `on`.

    Listing the exam as overdue since the first year it was missed would fill the work
    list with decade-old dates and tell the officer nothing she can act on.
    """
    # Whole cycles surely past (a month short of `on`, whatever the days of the month),
    # then step to the last one: a woman never examined since her wedding in 1995 does
    # not cost thirty additions.
    months = months_from(due, on) - 1
    steps = months // every_months if months > 0 else 0
    latest = add_months(due, every_months * steps) if steps else due
    while True:
        following = add_months(due, every_months * (steps + 1))
        if following > on:
            return latest
        latest = following
        steps += 1


def _exam_due(person: PersonEvents, series: Series, on: dt.date, age: int) -> DueVisit | None:
    """Married women of the age band: a yearly exam, counted from the last one."""
    if person.sex != FEMALE or person.married_on is None or person.married_on > on:
        return None
    if not series.age_from <= age <= series.age_to:
        return None
    accepted = series.satisfied_by
    last = None
    for visit in person.visits:
        day = visit.visited_on
        if visit.visit_type in accepted and day <= on and (last is None or day > last):
            last = day
    every = series.every_months or 12
    if last is not None:
        due = add_months(last, every)
    else:
        due = max(person.married_on, add_years(person.birth_date, series.age_from))
    if due <= on:  # (a due date still ahead is its own latest cycle)
        due = _latest_cycle(due, every, on)
    if due - dt.timedelta(days=series.window_days_before) > on:
        return None
    late = (on - due).days
    return DueVisit(
        person.person_id,
        series.visit_type,
        due,
        "marriage",
        person.marriage_id,
        late if late > 0 else 0,
    )


def _resupply_due(
    person: PersonEvents, episode: Episode, series: Series, on: dt.date
) -> DueVisit | None:
    """A short-acting method is due again when the last supply of it runs out."""
    days = resupply_days(episode.method)
    if days is None:
        return None
    method = episode.method
    last = None
    for supply in person.supplies:
        # the first of the latest, if two were handed out on one day
        day = supply.handed_on
        if supply.item == method and day <= on and (last is None or day > last.handed_on):
            last = supply
    if last is not None:
        units = last.quantity if method in series.per_unit else 1
        due = last.handed_on + dt.timedelta(days=days * max(units, 1))
    else:
        due = episode.started_on
    if due - dt.timedelta(days=series.window_days_before) > on:
        return None
    late = (on - due).days
    return DueVisit(
        person.person_id,
        series.visit_type,
        due,
        "contraception",
        episode.id,
        late if late > 0 else 0,
    )
