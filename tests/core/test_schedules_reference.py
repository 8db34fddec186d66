"""core.schedules against the plain version it replaced, on many made-up women.

due_visits is written for speed (a due list asks it of every woman of a township); the
straightforward version below (as it was before, walking each series' dates) says what
it must give.  Random women with every kind of event, checked on many dates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Iterator, Sequence

from fpdesk.core import codes
from fpdesk.core import schedules as s
from fpdesk.core.dates import add_years, age_on

# ---- the reference: core.schedules as it was, walking every series' dates ----------


def _operation_dates(
    series: s.Series, start: dt.date, on: dt.date
) -> Iterator[tuple[dt.date, str]]:
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
        yield s.add_months(start, months), series.visit_type
    if step:
        kind = series.then_visit_type or series.visit_type
        while True:
            yield s.add_months(start, base + k * step), kind
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
    visits: Sequence[s.Visit], series: s.Series, since: dt.date, on: dt.date, event_id: str | None
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
    person: s.PersonEvents,
    series: s.Series,
    dates: Iterable[tuple[dt.date, str]],
    on: dt.date,
    end: dt.date | None,
    follows: tuple[str | None, str | None],
) -> s.DueVisit | None:
    window = series.window_days_before
    found = _latest_open(dates, on, window, end)
    if found is None:
        return None
    due, kind = found
    if _satisfied(person.visits, series, due - dt.timedelta(days=window), on, follows[1]):
        return None
    return s.DueVisit(
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


def reference_due_visits(
    person: s.PersonEvents, on: dt.date, config: s.Schedules | None = None
) -> list[s.DueVisit]:
    """Every visit a person is due or overdue for on `on`, one per series at most."""
    plan = config or s.schedules()
    if person.death_date is not None and person.death_date <= on:
        return []
    age = age_on(person.birth_date, on)
    if not plan.women_aged[0] <= age <= plan.women_aged[1]:
        return []
    out: list[s.DueVisit | None] = []
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


def _deliveries(births: Sequence[s.Birth], on: dt.date) -> list[s.Birth]:
    """One birth per delivery (twins share their postnatal visits), none after `on`."""
    kept: list[s.Birth] = []
    for birth in sorted(births, key=lambda b: (b.birth_date, b.id)):
        if birth.birth_date > on:
            continue
        if kept and (birth.birth_date - kept[-1].birth_date).days <= s.SAME_DELIVERY_DAYS:
            continue
        kept.append(birth)
    return kept


def _postnatal_due(
    person: s.PersonEvents, birth: s.Birth, series: s.Series, on: dt.date
) -> s.DueVisit | None:
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
    while s.add_months(due, every_months * (steps + 1)) <= on:
        steps += 1
    return s.add_months(due, every_months * steps)


def _exam_due(person: s.PersonEvents, series: s.Series, on: dt.date, age: int) -> s.DueVisit | None:
    """Married women of the age band: a yearly exam, counted from the last one."""
    if person.sex != s.FEMALE or person.married_on is None or person.married_on > on:
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
        due = s.add_months(max(exams), every)
    else:
        due = max(person.married_on, add_years(person.birth_date, series.age_from))
    due = _latest_cycle(due, every, on)
    if due - dt.timedelta(days=series.window_days_before) > on:
        return None
    return s.DueVisit(
        person.person_id,
        series.visit_type,
        due,
        "marriage",
        person.marriage_id,
        max(0, (on - due).days),
    )


def _resupply_due(
    person: s.PersonEvents, episode: s.Episode, series: s.Series, on: dt.date
) -> s.DueVisit | None:
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
    return s.DueVisit(
        person.person_id,
        series.visit_type,
        due,
        "contraception",
        episode.id,
        max(0, (on - due).days),
    )


# ---- made-up women ---------------------------------------------------------------------

METHODS = list(codes._table("contraceptive_method"))
VISIT_TYPES = list(codes._table("visit_type"))
FIRST, LAST = dt.date(2012, 1, 1), dt.date(2030, 12, 31)


def _day(rng: random.Random, first: dt.date = FIRST, last: dt.date = LAST) -> dt.date:
    return first + dt.timedelta(days=rng.randrange((last - first).days + 1))


def _maybe(rng: random.Random, share: float, first: dt.date) -> dt.date | None:
    return _day(rng, first, LAST) if rng.random() < share else None


def made_up_woman(rng: random.Random, n: int) -> s.PersonEvents:
    born = _day(rng, dt.date(1965, 1, 1), dt.date(2016, 12, 31))
    episodes = []
    for k in range(rng.choice((0, 1, 1, 2, 3))):
        started = _day(rng)
        method = rng.choice(METHODS)
        episodes.append(s.Episode(f"c{k}", method, started, _maybe(rng, 0.3, started)))
    pregnancies = []
    for k in range(rng.choice((0, 0, 1, 2))):
        registered = _day(rng)
        pregnancies.append(s.Pregnancy(f"g{k}", registered, _maybe(rng, 0.5, registered)))
    births = []
    for k in range(rng.choice((0, 0, 1, 2, 3))):
        born_on = _day(rng)
        births.append(s.Birth(f"b{k}", born_on))
        if rng.random() < 0.2:  # twins, a day apart or the same day
            births.append(s.Birth(f"t{k}", born_on + dt.timedelta(days=rng.choice((0, 1, 2)))))
    events = [e.id for e in episodes] + [g.id for g in pregnancies] + [b.id for b in births]
    visits = [
        s.Visit(
            rng.choice(VISIT_TYPES),
            _day(rng),
            rng.choice([None, None, "other", *events]) if events else rng.choice([None, "x"]),
        )
        for _ in range(rng.randrange(12))
    ]
    supplies = [
        s.Supply(rng.choice(("pill", "injection", "condom", "topical", "iud")), _day(rng), q)
        for q in (rng.randrange(5) for _ in range(rng.randrange(6)))
    ]
    married = _day(rng, born, LAST) if rng.random() < 0.7 else None
    return s.PersonEvents(
        person_id=f"w{n}",
        sex=2 if rng.random() < 0.95 else 1,
        birth_date=born,
        death_date=_maybe(rng, 0.1, born),
        marriage_id="m" if married else None,
        married_on=married,
        contraception=episodes,
        pregnancies=pregnancies,
        births=births,
        visits=visits,
        supplies=supplies,
    )


OTHER_PLAN = s.parse_schedules(
    {
        "window_days_before": 0,
        "women_aged": [15, 44],
        "operations": {
            "iud": {
                "visit_type": "iud_followup",
                "months": [2, 5],
                "then_every_months": 6,
                "then_visit_type": "iud_check",
                "satisfied_by": ["iud_check", "iud_followup"],
            },
            "implant": {"visit_type": "postop_followup", "then_every_months": 7},
            "female_sterilisation": {"visit_type": "postop_followup", "months": [1, 13, 30]},
        },
        "pregnancy": {
            "visit_type": "pregnancy_tracking",
            "every_days": 14,
            "window_days_before": 5,
        },
        "postnatal": {"visit_type": "postnatal", "days": [28, 3, 7], "expires_days": 60},
        "exam": {
            "visit_type": "gyn_exam",
            "every_months": 5,
            "age_from": 20,
            "age_to": 40,
            "satisfied_by": ["gyn_exam", "five_must_visit"],
        },
        "resupply": {"visit_type": "resupply", "window_days_before": 2, "per_unit": ["condom"]},
    }
)


def test_due_visits_give_what_the_plain_version_gave() -> None:
    rng = random.Random(20261128)
    checked = due = 0
    for n in range(600):
        person = made_up_woman(rng, n)
        for plan in (s.schedules(), OTHER_PLAN):
            for on in [_day(rng) for _ in range(25)]:
                expected = reference_due_visits(person, on, plan)
                assert s.due_visits(person, on, plan) == expected, (person, on, plan)
                checked += 1
                due += len(expected)
    assert checked == 600 * 2 * 25
    assert due > 4_000  # the women are due for enough for the comparison to mean something


def test_a_woman_followed_day_by_day_gets_what_the_plain_version_gave() -> None:
    rng = random.Random(7)
    for n in range(40):
        person = made_up_woman(rng, n)
        on = dt.date(2016, 1, 1)
        while on < dt.date(2029, 1, 1):
            assert s.due_visits(person, on) == reference_due_visits(person, on), (person, on)
            on += dt.timedelta(days=5)
