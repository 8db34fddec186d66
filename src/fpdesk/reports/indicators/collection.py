"""Collection: what the register says about one period, read through an
`IndicatorSource` and turned into facts, each tagged with its village.

`collect` reads the source once for a period: the births (with birth order and policy
judgement for the couple), the married women of childbearing age and the method each
uses at the period's end, the follow-ups due, the examinations, the postnatal visits,
the audited households and the villages' flags.  The computation then counts those
facts for any set of villages, so a township report and the table of its 20 villages
cost one pass over the register, not 21.

No SQL here: every read is the source's (indicators.source), so a register and the
district hub collect the same facts the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import area as areas
from fpdesk.core import policy, population, schedules
from fpdesk.core.dates import add_months, days_after, months_from
from fpdesk.core.indicators import DefinitionBook, Definitions, Settings
from fpdesk.core.periods import Period, PeriodError, parse_period
from fpdesk.reports.indicators.definitions import definitions_for, method_group
from fpdesk.reports.indicators.source import IndicatorSource
from fpdesk.reports.indicators.sqlite import Readable, as_source

# ---------------------------------------------------------------------------- facts


@dataclass
class BirthFact:
    id: str
    village: str
    mother_id: str
    birth_date: str
    sex: int
    order: int
    compliant: bool
    postnatal_visited: bool
    counted_on: str = ""  # the day that places it in a period: its birth date, or a late find's
    state: str = population.HERE  # the mother's on the birth date (core.population)

    def __post_init__(self) -> None:
        if not self.counted_on:
            self.counted_on = self.birth_date


@dataclass
class WomanFact:
    id: str
    village: str
    method_group: str | None  # "long", "short", "other" or None (no method)
    examined: bool
    method: str | None = None  # the method she is counted under (codes.json)
    able: bool = True  # no fertility finding says she cannot bear children
    state: str = population.HERE  # on the period's last day (core.population)


@dataclass
class FollowUpFact:
    key: str  # contraception id and due date: one due follow-up
    village: str
    done: bool
    state: str = population.HERE  # the woman's on the due date (core.population)


@dataclass
class AuditFact:
    id: str
    village: str
    found: int
    errors: int


@dataclass
class VillageFact:
    code: str
    urban: bool
    quality_pilot: bool
    self_governance: bool
    demonstration: bool


@dataclass
class Facts:
    """What the register says about one period, each fact tagged with its village."""

    period: Period
    definitions: Definitions
    births: list[BirthFact] = field(default_factory=list)
    women: list[WomanFact] = field(default_factory=list)
    gyn_cohort: list[WomanFact] = field(default_factory=list)
    followups: list[FollowUpFact] = field(default_factory=list)
    audits: list[AuditFact] = field(default_factory=list)
    villages: list[VillageFact] = field(default_factory=list)
    previous: Facts | None = None
    # Household -> village, as read for these facts (a workbook reuses it).
    household_villages: dict[str, str] = field(default_factory=dict, repr=False)

    _index: dict[str, dict[str, list[Any]]] | None = None

    def villages_seen(self) -> set[str]:
        return set(self.by_village())

    def by_village(self) -> dict[str, dict[str, list[Any]]]:
        """Facts grouped by village once, so a report per village costs its own facts only."""
        if self._index is None:
            index: dict[str, dict[str, list[Any]]] = defaultdict(
                lambda: {name: [] for name in _GROUPS}
            )
            for name in _GROUPS:
                for item in getattr(self, name):
                    index[item.code if name == "villages" else item.village][name].append(item)
            self._index = dict(index)
        return self._index

    def select(self, inside: Any, basis: str = population.REGISTERED) -> dict[str, list[Any]]:
        """The facts of every village `inside` accepts, in a stable order, of the persons
        in the population `basis` (births: the mother on the birth date; women: on the
        period's last day; follow-ups: on the due date)."""
        counted = population.BASES[basis]
        out: dict[str, list[Any]] = {name: [] for name in _GROUPS}
        for village in sorted(self.by_village()):
            if inside(village):
                for name, items in self.by_village()[village].items():
                    if name in _PERSONS:
                        out[name].extend(item for item in items if item.state in counted)
                    else:
                        out[name].extend(items)
        return out


_GROUPS = ("births", "women", "gyn_cohort", "followups", "audits", "villages")
_PERSONS = ("births", "women", "gyn_cohort", "followups")  # facts about a person's state


# -------------------------------------------------------------------------- collect


def collect(
    register: Readable,
    period: Period,
    *,
    book: DefinitionBook | None = None,
    with_previous: bool = True,
) -> Facts:
    """Read everything the indicators need for one period.

    The encrypted file is read table by table, each at most once, from covering indexes
    (schema step 0007), and the tables are joined here in dictionaries.  Only the women
    of childbearing age are read up front; the few others a count needs (older mothers,
    older women with an operation to follow up) are looked up by id.
    """
    source = as_source(register)
    defs = definitions_for(period, book)
    settings = defs.settings
    plan = schedules.schedules()
    with source.reading():
        tables = _read_tables(source, period, settings, plan)
        facts = Facts(period=period, definitions=defs, household_villages=tables.villages)
        last = period.previous_year()
        prev_defs = definitions_for(last, book) if with_previous else None
        # Both years' births are judged together: one read of their parents' births.
        wanted = [(period, settings)]
        if prev_defs is not None:
            wanted.append((last, prev_defs.settings))
        births = _births(source, wanted, tables)
        facts.births = births[0]
        facts.women = _women(period, settings, tables, married=True)
        if settings.gyn_exam_cohort == "married_women":
            facts.gyn_cohort = facts.women
        else:
            facts.gyn_cohort = _women(period, settings, tables, married=False)
        _mark_examined(facts.gyn_cohort, tables)
        facts.followups = _followups(source, period, tables, plan)
        facts.audits = [
            AuditFact(*row) for row in source.audit_findings(period.start_iso, period.end_iso)
        ]
        facts.villages = [
            VillageFact(*row) for row in source.villages(period.start_iso, period.end_iso)
        ]
        if prev_defs is not None:
            # Only the change-on-last-year target needs last year, and only its births.
            facts.previous = Facts(period=last, definitions=prev_defs)
            facts.previous.births = births[1]
    return facts


Moves = Mapping[str, list[tuple[str, str]]]


@dataclass
class _Tables:
    """The rows a period's indicators need, read once."""

    moves: dict[str, list[tuple[str, str]]]
    villages: dict[str, str]  # household -> village
    # Women read so far: village and residence status.  Every woman of childbearing age
    # on the period's last day is read at once (`cohort`); others on demand (`load`).
    women: dict[str, tuple[str, str]]
    cohort: list[str]  # aged 15-49 and alive on the period's last day, by id
    wives: set[str]  # women in a marriage not ended on the period's last day
    contraception: list[tuple[str, str | None, str, str, str, str | None]]
    visits: dict[str, list[tuple[str, str, str | None]]]  # person -> (day, type, follows)
    examined: set[str]  # persons with a gynecological exam in the period
    unable: set[str]  # women recorded as unable to bear children on the period's last day
    looked_up: set[str] = field(default_factory=set)

    def load(self, source: IndicatorSource, ids: Iterable[str]) -> None:
        """Read the women among `ids` not read yet (men and unknown ids stay unknown)."""
        missing = sorted({i for i in ids if i and i not in self.women} - self.looked_up)
        if not missing:
            return
        self.looked_up.update(missing)
        for pid, household, status in source.women(missing):
            village = self.villages.get(household)
            if village is not None:
                self.women[pid] = (village, status)


def _read_tables(
    source: IndicatorSource, period: Period, settings: Settings, plan: schedules.Schedules
) -> _Tables:
    """Each table read once (only the rows and columns used)."""
    start, end = period.start_iso, period.end_iso
    villages = source.household_villages()
    # Age 15-49 means the 15th birthday has come and the 50th has not.
    youngest = population.years_before(period.end, settings.married_women_min_age)
    oldest = population.years_before(period.end, settings.married_women_max_age + 1)
    women: dict[str, tuple[str, str]] = {}
    cohort: list[str] = []
    for pid, household, status in source.women_born(oldest, youngest, end):
        village = villages.get(household)
        if village is not None:
            women[pid] = (village, status)
            cohort.append(pid)
    cohort.sort()
    # Visits that can count for a follow-up or a postnatal visit in the period: from the
    # earliest window opening until postnatal visits expire after the last birth.
    window = max((s.window_days_before for s in plan.operations.values()), default=0)
    postnatal = plan.postnatal.expires_days or max(plan.postnatal.days or (42,))
    types = set(plan.postnatal.satisfied_by)
    for series in plan.operations.values():
        types |= series.satisfied_by
    visits: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    first, last = days_after(start, -window), days_after(end, postnatal)
    for person_id, kind, day, follows in source.visits(types, first, last):
        visits[person_id].append((day, kind, follows))
    return _Tables(
        moves=source.moves(),
        villages=villages,
        women=women,
        cohort=cohort,
        wives=source.wives(end),
        # An episode ended before the period serves neither the methods held at its
        # end nor a follow-up due in it.
        contraception=source.contraception(start, end),
        visits=visits,
        examined=source.examined(start, end),
        unable=unable_to_bear(source, end, settings.not_able_to_bear),
    )


def unable_to_bear(register: Readable, day: str, findings: Sequence[str]) -> set[str]:
    """Women whose latest fertility finding on or before `day` is one of `findings`.

    A finding is a service visit of type fertility_status whose result names it
    (menopause, primary infertility; codes.json): dated, kept in the history, and
    carried to the township in bundles like any visit.  A later finding replaces an
    earlier one, so a mistaken one is undone by recording "able to bear children".
    """
    if not findings:
        return set()
    latest: dict[str, str] = {}
    for person_id, result in as_source(register).fertility_findings(day):
        latest[person_id] = result
    return {person for person, result in latest.items() if result in findings}


def _state(tables: _Tables, person_id: str, day: str) -> str:
    """A woman's state on a day (core.population), from the moves read once."""
    known = tables.women.get(person_id)
    status = known[1] if known else "here"
    return population.state_on(tables.moves.get(person_id, ()), day, status)


def _births(
    source: IndicatorSource, wanted: Sequence[tuple[Period, Settings]], tables: _Tables
) -> list[list[BirthFact]]:
    """The births each period counts, judged together (one read of the parents' births)."""
    rows: list[list[dict[str, Any]]] = []
    for period, settings in wanted:
        found = _birth_rows(source, period, settings)
        tables.load(source, (r["mother_id"] for r in found))
        mine = []
        for r in found:
            mother = r["mother_id"]
            woman = tables.women.get(mother)
            if woman is None:
                continue
            # A birth is the mother's population's on the birth date: registered here
            # (here or floating out) or floating in; neither, it is not this register's.
            r["state"] = _state(tables, mother, r["birth_date"])
            if r["state"] == population.GONE:
                continue
            r["village_code"] = woman[0]
            mine.append(r)
        rows.append(mine)
    every = [r for chosen in rows for r in chosen]
    if not every:
        return [[] for _ in wanted]
    judged = _judge(source, every, tables)
    visited = _postnatal_visited(every, tables)
    return [
        [
            BirthFact(
                id=r["id"],
                village=r["village_code"],
                mother_id=r["mother_id"],
                birth_date=r["birth_date"],
                sex=int(r["sex"]),
                order=judged[r["id"]][0],
                compliant=judged[r["id"]][1],
                postnatal_visited=r["id"] in visited,
                counted_on=r["counted_on"],
                state=r["state"],
            )
            for r in chosen
        ]
        for chosen in rows
    ]


def _birth_rows(
    source: IndicatorSource, period: Period, settings: Settings
) -> list[dict[str, Any]]:
    """The own births a period counts, before the mother's place is checked.

    By default a birth counts in the period of its birth date.  Under the setting
    late_births = "when_found", a birth first entered on this register after a report
    covering its date and its area was produced (after that period had ended) is a late
    find: it counts in the period it was entered, not in its own, which the report
    already closed.  So a report produced before the late find still reproduces.
    """
    out = [_birth_row(*row) for row in source.births(period.start_iso, period.end_iso)]
    if settings.late_births != "when_found":
        return out
    closed = _closing_reports(source)
    if not closed:
        return out
    earliest = min(p.start_iso for p, _, _ in closed)
    # Births of this period or of an earlier one that a report closed, with the time
    # each was first entered here (none for a row loaded in bulk: not a late find).
    entered: dict[str, tuple[str, str]] = {}
    candidates: dict[str, dict[str, Any]] = {r["id"]: r for r in out}
    first = min(earliest, period.start_iso)
    for bid, mother, father, born, sex, village, at in source.births_entered(first, period.end_iso):
        entered[bid] = (_local_day_time(at), village or "")
        candidates.setdefault(bid, _birth_row(bid, mother, father, born, sex))
    kept = []
    for bid, row in sorted(candidates.items()):
        if bid in entered:
            when, village = entered[bid]
            if _closed_before(closed, row["birth_date"], village, when):
                row["counted_on"] = when[:10]
        if period.start_iso <= row["counted_on"] <= period.end_iso:
            kept.append(row)
    return kept


def _birth_row(bid: str, mother: str, father: str | None, born: str, sex: int) -> dict[str, Any]:
    """A birth as collected, counted on its birth date until found late."""
    return {
        "id": bid,
        "mother_id": mother,
        "father_id": father,
        "birth_date": born,
        "sex": sex,
        "counted_on": born,
    }


def _closing_reports(source: IndicatorSource) -> list[tuple[Period, tuple[str, ...], str]]:
    """Recorded reports produced after their period ended: period, areas, when."""
    out = []
    for label, codes_, produced_at in source.reported_runs():
        try:
            period = parse_period(label)
        except PeriodError:
            continue
        if produced_at[:10] > period.end_iso:
            out.append((period, tuple(c for c in codes_.split(",") if c), produced_at))
    return out


def _closed_before(
    closed: list[tuple[Period, tuple[str, ...], str]], born: str, village: str, when: str
) -> bool:
    """Whether a report covering this birth's date and village was produced before `when`."""
    day = dt.date.fromisoformat(born)
    return any(
        day in period
        and produced_at < when
        and any(village and areas.contains(code, village) for code in codes_)
        for period, codes_, produced_at in closed
    )


def _local_day_time(at: str) -> str:
    """A change-log time (UTC) as this computer's local time, the way report runs are
    stamped (`record_run`), to the second."""
    moment = dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    return moment.astimezone().replace(tzinfo=None).isoformat(timespec="seconds")


def _judge(
    source: IndicatorSource, rows: list[dict[str, Any]], tables: _Tables
) -> dict[str, tuple[int, bool]]:
    """Birth order for the couple and the verdict of the rule set in force on the date.

    Both are core.policy's: here we only gather every birth of both parents (from any
    marriage) so the order counts the couple's children, and give each birth the area
    where its mother is registered, which picks the rule set.
    """
    parents = {r["mother_id"] for r in rows} | {r["father_id"] for r in rows if r["father_id"]}
    found = _births_of(source, parents)
    tables.load(source, (b[1] for b in found))
    history = [
        policy.BirthFacts(
            id=b[0],
            mother_id=b[1],
            father_id=b[2],
            birth_date=dt.date.fromisoformat(b[3]),
            area_code=tables.women.get(b[1], ("",))[0],
            document_kind=b[4],
        )
        for b in found
    ]
    orders = policy.birth_orders(history)
    by_id = {b.id: b for b in history}
    out: dict[str, tuple[int, bool]] = {}
    for row in rows:
        order = orders[row["id"]]
        out[row["id"]] = (order.order, policy.judge(by_id[row["id"]], order).compliant)
    return out


def _births_of(source: IndicatorSource, parents: set[str]) -> list[tuple[Any, ...]]:
    """Every own birth of any of these parents, once each, by id (a birth of both
    parents comes back for each; step and adopted rows would count twice)."""
    found = {row[0]: tuple(row) for row in source.births_of(parents)}
    return [found[key] for key in sorted(found)]


def _postnatal_visited(rows: list[dict[str, Any]], tables: _Tables) -> set[str]:
    """Births whose mother had an accepted postnatal visit before the visits expire.

    Twins are two births with one mother: one visit serves both.
    """
    series = schedules.schedules().postnatal
    window = series.expires_days or max(series.days or (42,))
    out = set()
    for row in rows:
        until = days_after(row["birth_date"], window)
        if any(
            kind in series.satisfied_by and row["birth_date"] <= day <= until
            for day, kind, _ in tables.visits.get(row["mother_id"], ())
        ):
            out.add(row["id"])
    return out


def _women(
    period: Period, settings: Settings, tables: _Tables, *, married: bool
) -> list[WomanFact]:
    """Women of childbearing age on the period's last day (married ones by default).

    Age 15-49 means the 15th birthday has come and the 50th has not (read so in
    _read_tables).  Married means a marriage begun on or before the day and not ended
    by it, which leaves out the widowed and the divorced.  Each is given the method she
    uses that day, and whether a fertility finding says she cannot bear children.
    """
    end = period.end_iso
    groups = _method_groups(period, tables) if married else {}
    wives, women, unable = tables.wives, tables.women, tables.unable
    out = []
    for pid in tables.cohort:
        village = women[pid][0]
        if married and pid not in wives:
            continue
        state = _state(tables, pid, end)
        if state == population.GONE:
            continue
        held = groups.get(pid)
        out.append(
            WomanFact(
                pid,
                village,
                held[1] if held else None,
                False,
                held[0] if held else None,
                able=pid not in unable,
                state=state,
            )
        )
    return out


def _method_groups(period: Period, tables: _Tables) -> dict[str, tuple[str, str]]:
    """The method each woman uses on the period's last day (husband's counted too), with
    its group.  A woman with two methods at once is counted once, under the most
    effective one (and, between equals, the first by code).
    """
    rank = {"long": 3, "short": 2, "other": 1}
    end = period.end_iso
    groups = {code: method_group(code) for code in {r[3] for r in tables.contraception}}
    out: dict[str, tuple[str, str]] = {}
    for woman_id, _, _, method, _, ended_on in sorted(tables.contraception, key=lambda r: r[3]):
        if method == "none" or (ended_on is not None and ended_on <= end):
            continue
        group = groups[method]
        held = out.get(woman_id)
        if held is None or rank[group] > rank[held[1]]:
            out[woman_id] = (method, group)
    return out


def _mark_examined(cohort: list[WomanFact], tables: _Tables) -> None:
    examined = tables.examined
    for woman in cohort:
        woman.examined = woman.id in examined


def _followups(
    source: IndicatorSource,
    period: Period,
    tables: _Tables,
    plan: schedules.Schedules,
) -> list[FollowUpFact]:
    """Each follow-up due in the period after a contraceptive operation, done or not.

    Due dates and accepted visit types are core.schedules' (the due list's own data);
    an accepted visit linked to this operation, or to none, made by the period's end,
    counts (see _match).  A follow-up falling due while the woman was not on this
    register (before she moved in, after she moved out) is not due here.
    """
    start, end = period.start_iso, period.end_iso
    operations = plan.operations
    rows = [r for r in tables.contraception if r[3] in operations]
    tables.load(source, (r[0] for r in rows))
    women, visits = tables.women, tables.visits
    # Operations of one method on one day, ended alike, fall due alike: dates (and the
    # days their windows open) once each.
    dates: dict[tuple[str, str, str | None], tuple[list[str], list[str]]] = {}
    out: list[FollowUpFact] = []
    for woman_id, user_id, cid, method, started_on, ended_on in rows:
        woman = women.get(woman_id)
        if woman is None:
            continue
        series = operations[method]
        key = (method, started_on, ended_on)
        known = dates.get(key)
        if known is None:
            due = due_followups(series, started_on, ended_on, period)
            opens = [days_after(day, -series.window_days_before) for day in due]
            known = dates[key] = (due, opens)
        due, opens = known
        if not due:
            continue
        # A husband's sterilisation is hers, and so are the visits recorded against him.
        seen = visits.get(woman_id, ())
        if user_id and user_id in visits:
            seen = [*seen, *visits[user_id]]
        if seen:
            satisfied = series.satisfied_by
            accepted = [
                day
                for day, kind, follows in seen
                if kind in satisfied and (follows is None or follows == cid) and day <= end
            ]
        else:
            accepted = []
        done = _served(due, opens, accepted)
        for day in due:
            if not start <= day <= end:
                continue
            # Due here only while she belonged to this register (her state that day).
            state = _state(tables, woman_id, day)
            if state != population.GONE:
                out.append(FollowUpFact(f"{cid}@{day}", woman[0], done[day], state))
    return out


def due_followups(
    series: schedules.Series, started_on: str, ended_on: str | None, period: Period
) -> list[str]:
    """Due dates of follow-ups after an operation that fall in the period, and the first
    one after it (its window closes the last one's).  None on or after the method ended.
    """
    start = dt.date.fromisoformat(started_on)
    offsets = list(series.months)
    if series.then_every_months:
        step = series.then_every_months
        last = offsets[-1] if offsets else 0
        # Jump over the yearly follow-ups long before the period.
        behind = months_from(start, period.start)
        k = max(1, (behind - last) // step - 1)
        while True:
            month = last + k * step
            offsets.append(month)
            if add_months(start, month) > period.end:
                break
            k += 1
    # Offsets whose month lies before the period's first month need no date at all.
    first = months_from(start, period.start)
    days = sorted({add_months(start, m) for m in offsets if m >= first})
    out: list[str] = []
    for day in days:
        if day < period.start:
            continue
        text = day.isoformat()
        if ended_on and text >= ended_on:
            break
        out.append(text)
        if day > period.end:
            break
    return out


def _served(due: list[str], opens: list[str], visits: list[str]) -> dict[str, bool]:
    """Which due follow-ups a visit served, as the due list sees them (`opens`: the day
    each one's window opens).

    A follow-up due on day d is done by an accepted visit from d's window opening
    until the next follow-up's window opens (the last one: until the period's end).
    A visit made later serves the later follow-up; the earlier one stays missed.
    """
    if not visits:
        return dict.fromkeys(due, False)
    done: dict[str, bool] = {}
    for i, day in enumerate(due):
        until = opens[i + 1] if i + 1 < len(due) else None
        done[day] = any(v >= opens[i] and (until is None or v < until) for v in visits)
    return done
