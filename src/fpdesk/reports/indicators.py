"""The indicator engine: every indicator of the work plan, for a period and a set of areas.

Work is done in two steps.  `collect` reads the register once for a period and turns
it into facts, each tagged with its village: the births (with birth order and policy
judgement for the couple), the married women of childbearing age and the method each
uses at the period's end, the follow-ups due, the examinations, the postnatal visits,
the audited households and the villages' flags.  `evaluate` then counts those facts
for any set of villages, so a township report and the table of its 20 villages cost
one pass over the register, not 21.

Every result keeps the ids behind its numerator and its denominator, so any number on
a report or the dashboard opens to the persons or events it counts (reports.members).

Reproducibility: a result depends only on dated data and on the definitions version in
force on the period's last day (core.indicators), and it names that version and the
hash of the definitions.  Because a register keeps changing (a birth found late is
entered a year after the report), each produced report is also recorded with the hash
of its numbers (`record_run`): the clerk can show what was reported in 2019, and what
today's register says for 2019, side by side (`compare_with_run`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import area as areas
from fpdesk.core import codes, policy, population, schedules
from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.core.indicators import (
    DefinitionBook,
    Definitions,
    IndicatorDef,
    Settings,
    Target,
    content_hash,
    load_book,
)
from fpdesk.core.periods import Period, PeriodError, parse_period
from fpdesk.store import access, access_log
from fpdesk.store import population as store_population
from fpdesk.store.db import Register

LEVEL_NAMES = {
    "village": Text("村", "village"),
    "township": Text("乡镇", "township"),
    "county": Text("县区", "district"),
}


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


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Result:
    key: str
    label: Text
    unit: str
    numerator: int
    denominator: int | None
    value: float | None
    target: Target | None
    previous: float | None
    passed: bool | None
    member_kind: str  # what the ids name: person, birth, followup, audit, area
    numerator_ids: tuple[str, ...]
    denominator_ids: tuple[str, ...]
    basis: str = population.REGISTERED  # the population counted (core.population.BASES)

    def to_data(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "basis": self.basis,
            "label": self.label.zh,
            "label_en": self.label.en,
            "unit": self.unit,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else round(self.value, 4),
            "target": None if self.target is None else self.target.describe(),
            "previous": None if self.previous is None else round(self.previous, 4),
            "passed": self.passed,
            "member_kind": self.member_kind,
            "numerator_ids": list(self.numerator_ids),
            "denominator_ids": list(self.denominator_ids),
        }


@dataclass(frozen=True)
class IndicatorReport:
    period: Period
    level: str
    areas: tuple[str, ...]
    name: str
    definitions_version: str
    definitions_hash: str
    results: tuple[Result, ...]

    def result(self, key: str) -> Result:
        for item in self.results:
            if item.key == key:
                return item
        raise KeyError(key)

    def to_data(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "period_start": self.period.start_iso,
            "period_end": self.period.end_iso,
            "level": self.level,
            "areas": list(self.areas),
            "name": self.name,
            "definitions_version": self.definitions_version,
            "definitions_hash": self.definitions_hash,
            "results": [r.to_data() for r in self.results],
        }

    @property
    def content_hash(self) -> str:
        return content_hash(self.to_data())


# ----------------------------------------------------------------------- public API


def compute(
    register: Register,
    period: Period,
    area_codes: Sequence[str] | None = None,
    *,
    book: DefinitionBook | None = None,
    facts: Facts | None = None,
) -> IndicatorReport:
    """The indicators for a period over a set of area units (default: the session's
    area; an account asking for an area outside its own is refused, a wider one narrowed)."""
    access.require(register, "report")
    wanted = tuple(dict.fromkeys(access.scope(register, code) for code in area_codes or [None]))
    facts = facts or collect(register, period, book=book)
    return evaluate(facts, wanted, name=_names(register, wanted))


def breakdown(
    register: Register,
    period: Period,
    level: str,
    *,
    within: str | None = None,
    book: DefinitionBook | None = None,
    facts: Facts | None = None,
) -> list[IndicatorReport]:
    """One report per village or township inside `within` (default: the session's area,
    narrowed and refused like compute's)."""
    access.require(register, "report")
    scope = access.scope(register, within)
    facts = facts or collect(register, period, book=book)
    units = units_at_level(register, facts, level, scope)
    return [evaluate(facts, (code,), name=_names(register, (code,))) for code in units]


def headcounts(
    register: Register,
    facts: Facts,
    area_codes: Sequence[str],
    members: Sequence[store_population.Member] | None = None,
) -> dict[str, dict[str, int]]:
    """The figures behind the indicators, for each population basis (core.population):
    the population and the women 15-49 on the period's last day (store.population), the
    married women 15-49 and the births of the period (these facts).  The same numbers
    the workbooks, the household register, the woman cards and the dashboard show.
    `members`: store.population.members_on for the period's last day, if already read."""
    inside = _matcher(area_codes)
    day = facts.period.end_iso
    settings = facts.definitions.settings
    ages = (settings.married_women_min_age, settings.married_women_max_age)
    if members is None:
        members = store_population.members_on(register, day)
    out: dict[str, dict[str, int]] = {}
    for basis in population.BASES:
        mine = [m for m in members if inside(m.village) and population.counts(basis, m.state)]
        chosen = facts.select(inside, basis)
        out[basis] = {
            "population": len(mine),
            "women_15_49": sum(
                1 for m in mine if m.sex == 2 and population.in_age_band(m.birth_date, day, *ages)
            ),
            "married_women_15_49": len(chosen["women"]),
            "births": len(chosen["births"]),
        }
    return out


def produce(
    register: Register,
    period: Period,
    *,
    level: str | None = None,
    within: str | None = None,
    record: bool = False,
    facts: Facts | None = None,
) -> tuple[list[IndicatorReport], list[str]]:
    """The indicators as reported (`fpdesk indicators`): one report over `within`, or one
    per unit of `level` in it; kept as reported with `record`; and the record of
    processing says who produced them.  `facts`: collect's, if already read.  Returns
    the reports and the recorded run ids."""
    if level:
        reports = breakdown(register, period, level, within=within, facts=facts)
    else:
        reports = [compute(register, period, [within] if within else None, facts=facts)]
    runs = [record_run(register, r) for r in reports] if record else []
    access_log.record(
        register,
        "report",
        {"indicators": period.label, "areas": [a for r in reports for a in r.areas]},
    )
    return reports, runs


def units_at_level(register: Register, facts: Facts, level: str, within: str) -> list[str]:
    """The area units of a level inside `within`: from the area table and from the data."""
    if level not in LEVEL_NAMES:
        raise ValueError(f"level must be one of {sorted(LEVEL_NAMES)}, not {level!r}")
    known = {
        row["code"]
        for row in register.query("SELECT code FROM area_unit WHERE level = ?", (level,))
    }
    for village in facts.villages_seen():
        known.add(_ancestor(village, level))
    return sorted(code for code in known if areas.contains(within, code))


def _ancestor(village: str, level: str) -> str:
    if level == "village":
        return village
    if level == "township":
        return village[:9] + "000"
    return village[:6] + "000000"


def _names(register: Register, codes_: Sequence[str]) -> str:
    found = {
        row["code"]: row["name"]
        for row in register.query(
            f"SELECT code, name FROM area_unit WHERE code IN ({','.join('?' * len(codes_))})",
            tuple(codes_),
        )
    }
    return "、".join(found.get(code, code) for code in codes_)


def evaluate(
    facts: Facts, area_codes: Sequence[str], *, name: str = "", basis: str | None = None
) -> IndicatorReport:
    """Count the facts that lie in any of the area units.

    Each indicator counts its own population basis (indicators.json; the plan's are
    all the registered population).  `basis` counts every indicator on one basis
    instead: `floating_in` gives the lines of services to the floating-in (流入人口),
    reported where they live and never mixed into the registered figures.
    """
    inside = _matcher(area_codes)
    defs = facts.definitions
    previous = None
    if facts.previous is not None:
        last_year = evaluate(facts.previous, area_codes, basis=basis)
        previous = last_year.result("second_birth_sex_ratio").value
    counted: dict[str, Counted] = {}
    results = []
    level = _level(area_codes)
    for item in defs.indicators:
        wanted = basis or item.basis or defs.settings.population_basis
        if wanted not in counted:
            counted[wanted] = _count(facts.select(inside, wanted), defs.settings)
        num_ids, den_ids, kind = counted[wanted][item.key]
        result = _result(item, num_ids, den_ids, kind, level, previous)
        results.append(dataclasses.replace(result, basis=wanted))
    return IndicatorReport(
        period=facts.period,
        level=level,
        areas=tuple(area_codes),
        name=name,
        definitions_version=defs.version,
        definitions_hash=defs.content_hash,
        results=tuple(results),
    )


def _level(area_codes: Sequence[str]) -> str:
    """The level targets are judged at; any set of several units is just a "set"."""
    if len(area_codes) != 1:
        return "set"
    level = areas.level_of(area_codes[0])
    return level if level in LEVEL_NAMES else "county"


def _matcher(area_codes: Sequence[str]) -> Any:
    for code in area_codes:
        areas.level_of(code)  # refuses a malformed code
    prefixes = tuple(
        code[
            : {"village": 12, "township": 9, "county": 6, "prefecture": 4, "province": 2}[
                areas.level_of(code)
            ]
        ]
        for code in area_codes
    )
    return lambda village: village.startswith(prefixes)


def _result(
    item: IndicatorDef,
    num_ids: list[str],
    den_ids: list[str] | None,
    kind: str,
    level: str,
    previous: float | None,
) -> Result:
    numerator = len(num_ids)
    denominator = None if den_ids is None else len(den_ids)
    value = item.value(numerator, denominator)
    prev = previous if item.key == "second_birth_sex_ratio" else None
    target = item.target
    passed = target.passes(value, prev) if target and target.applies_to(level) else None
    return Result(
        key=item.key,
        label=item.label,
        unit=item.unit,
        numerator=numerator,
        denominator=denominator,
        value=value,
        target=target,
        previous=prev,
        passed=passed,
        member_kind=kind,
        numerator_ids=tuple(sorted(num_ids)),
        denominator_ids=tuple(sorted(den_ids)) if den_ids is not None else (),
    )


Counted = dict[str, tuple[list[str], list[str] | None, str]]


def _count(chosen: dict[str, list[Any]], settings: Settings) -> Counted:
    births: list[BirthFact] = chosen["births"]
    women: list[WomanFact] = chosen["women"]
    users = [w for w in women if w.method_group is not None]
    cohort: list[WomanFact] = chosen["gyn_cohort"]
    followups: list[FollowUpFact] = chosen["followups"]
    audits: list[AuditFact] = chosen["audits"]
    villages: list[VillageFact] = chosen["villages"]
    rural = [v for v in villages if not v.urban]
    urban = [v for v in villages if v.urban]
    birth_ids = [b.id for b in births]
    second = [b for b in births if b.order == 2]
    # "Married women able to bear children": a fertility finding (menopause, primary
    # infertility) takes a woman out of both the rate's denominator and its numerator.
    able = [w for w in women if w.able]
    able_users = [w for w in able if w.method_group is not None]
    married = settings.long_acting_denominator == "married_women"
    long_num = able_users if married else users
    long_den = able if married else users
    accurate = _audit_members(audits)
    return {
        "births": (birth_ids, None, "birth"),
        "policy_compliant_rate": ([b.id for b in births if b.compliant], birth_ids, "birth"),
        "out_of_policy_multiple_rate": (
            [b.id for b in births if not b.compliant and b.order >= 3],
            birth_ids,
            "birth",
        ),
        "second_birth_sex_ratio": (
            [b.id for b in second if b.sex == 1],
            [b.id for b in second if b.sex == 2],
            "birth",
        ),
        "statistics_accuracy": accurate,
        "long_acting_rate": (
            [w.id for w in long_num if w.method_group == "long"],
            [w.id for w in long_den],
            "person",
        ),
        "drugs_devices_share": (
            [w.id for w in users if w.method_group == "short"],
            [w.id for w in users],
            "person",
        ),
        "contraceptive_rate": ([w.id for w in able_users], [w.id for w in able], "person"),
        "followup_rate": (
            [f.key for f in followups if f.done],
            [f.key for f in followups],
            "followup",
        ),
        "gyn_exam_rate": ([w.id for w in cohort if w.examined], [w.id for w in cohort], "person"),
        "postnatal_rate": ([b.id for b in births if b.postnatal_visited], birth_ids, "birth"),
        "quality_pilot_rate": _flagged(villages, "quality_pilot"),
        "self_governance_rate": _flagged(rural, "self_governance"),
        "urban_self_governance_rate": _flagged(urban, "self_governance"),
        "demonstration_rate": _flagged(villages, "demonstration"),
    }


def _flagged(villages: list[VillageFact], flag: str) -> tuple[list[str], list[str], str]:
    return ([v.code for v in villages if getattr(v, flag)], [v.code for v in villages], "area")


def _audit_members(audits: list[AuditFact]) -> tuple[list[str], list[str], str]:
    """Accuracy = 1 - errors / births found, as counts of births.

    Each birth the visit found is one denominator member; the errors (births missing
    from the register, or on it but not found) are taken off the numerator, so the
    numerator is the births found less the errors (never below zero).
    """
    numerator: list[str] = []
    denominator: list[str] = []
    for audit in audits:
        members = [f"{audit.id}#{n}" for n in range(1, audit.found + 1)]
        denominator += members
        numerator += members[: max(audit.found - audit.errors, 0)]
    return numerator, denominator, "audit"


# -------------------------------------------------------------------------- collect


def collect(
    register: Register,
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
    defs = (book or load_book()).for_period(period)
    settings = defs.settings
    plan = schedules.schedules()
    with _big_cache(register):
        tables = _read_tables(register, period, settings, plan)
        facts = Facts(period=period, definitions=defs, household_villages=tables.villages)
        last = period.previous_year()
        prev_defs = (book or load_book()).for_period(last) if with_previous else None
        # Both years' births are judged together: one read of their parents' births.
        wanted = [(period, settings)]
        if prev_defs is not None:
            wanted.append((last, prev_defs.settings))
        births = _births(register, wanted, tables)
        facts.births = births[0]
        facts.women = _women(period, settings, tables, married=True)
        if settings.gyn_exam_cohort == "married_women":
            facts.gyn_cohort = facts.women
        else:
            facts.gyn_cohort = _women(period, settings, tables, married=False)
        _mark_examined(facts.gyn_cohort, tables)
        facts.followups = _followups(register, period, settings, tables, plan)
        facts.audits = _audits(register, period)
        facts.villages = _villages(register, period)
        if prev_defs is not None:
            # Only the change-on-last-year target needs last year, and only its births.
            facts.previous = Facts(period=last, definitions=prev_defs)
            facts.previous.births = births[1]
    return facts


@contextlib.contextmanager
def _big_cache(register: Register) -> Iterator[None]:
    """A larger page cache while a report reads (pages decrypted once serve all queries)."""
    old = register.conn.execute("PRAGMA cache_size").fetchone()[0]
    register.conn.execute("PRAGMA cache_size = -65536")
    try:
        yield
    finally:
        register.conn.execute(f"PRAGMA cache_size = {int(old)}")


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

    def load(self, conn: Any, ids: Iterable[str]) -> None:
        """Read the women among `ids` not read yet (men and unknown ids stay unknown)."""
        missing = sorted({i for i in ids if i and i not in self.women} - self.looked_up)
        if not missing:
            return
        self.looked_up.update(missing)
        for pid, household, status in conn.execute(
            """SELECT id, household_id, residence_status FROM person
               WHERE id IN (SELECT value FROM json_each(?)) AND sex = 2 AND deleted = 0""",
            (json.dumps(missing),),
        ):
            village = self.villages.get(household)
            if village is not None:
                self.women[pid] = (village, status)


def _read_tables(
    register: Register, period: Period, settings: Settings, plan: schedules.Schedules
) -> _Tables:
    """Each table read once, from the covering indexes of schema step 0007: a scan of an
    index holding just the columns wanted decrypts far fewer pages than the table.
    Most of what is left is Python's cost of making a value per column read, so only
    the rows and columns used are read."""
    conn = register.conn
    start, end = period.start_iso, period.end_iso
    villages = dict(
        conn.execute(
            "SELECT id, village_code FROM household INDEXED BY household_village WHERE deleted = 0"
        )
    )
    # Age 15-49 means the 15th birthday has come and the 50th has not.
    youngest = population.years_before(period.end, settings.married_women_min_age)
    oldest = population.years_before(period.end, settings.married_women_max_age + 1)
    women: dict[str, tuple[str, str]] = {}
    cohort: list[str] = []
    for pid, household, status in conn.execute(
        """SELECT id, household_id, residence_status FROM person INDEXED BY person_women
           WHERE sex = 2 AND birth_date > ? AND birth_date <= ? AND deleted = 0
             AND (death_date IS NULL OR death_date > ?)""",
        (oldest, youngest, end),
    ):
        village = villages.get(household)
        if village is not None:
            women[pid] = (village, status)
            cohort.append(pid)
    cohort.sort()
    wives = {
        row[0]
        for row in conn.execute(
            """SELECT wife_id FROM marriage INDEXED BY marriage_wife
               WHERE wife_id IS NOT NULL AND deleted = 0
               AND married_on <= ? AND (ended_on IS NULL OR ended_on > ?)""",
            (end, end),
        )
    }
    # An episode ended before the period serves neither the methods held at its end
    # nor a follow-up due in it.
    contraception = conn.execute(
        """SELECT woman_id, user_id, id, method, started_on, ended_on
           FROM contraception INDEXED BY contraception_woman
           WHERE deleted = 0 AND started_on <= ? AND (ended_on IS NULL OR ended_on >= ?)""",
        (end, start),
    ).fetchall()
    # Visits that can count for a follow-up or a postnatal visit in the period: from the
    # earliest window opening until postnatal visits expire after the last birth.
    window = max((s.window_days_before for s in plan.operations.values()), default=0)
    postnatal = plan.postnatal.expires_days or max(plan.postnatal.days or (42,))
    types = set(plan.postnatal.satisfied_by)
    for series in plan.operations.values():
        types |= series.satisfied_by
    visits: dict[str, list[tuple[str, str, str | None]]] = defaultdict(list)
    for person_id, kind, day, follows in conn.execute(
        f"""SELECT person_id, visit_type, visited_on, follows_id FROM visit
            INDEXED BY visit_person
            WHERE deleted = 0 AND visit_type IN ({",".join("?" * len(types))})
              AND visited_on BETWEEN ? AND ?""",
        (*sorted(types), _plus_days(start, -window), _plus_days(end, postnatal)),
    ):
        visits[person_id].append((day, kind, follows))
    # An exam is one fact per woman: read as such, not as a visit row each.
    examined = {
        row[0]
        for row in conn.execute(
            """SELECT DISTINCT person_id FROM visit INDEXED BY visit_person
               WHERE visit_type = 'gyn_exam' AND visited_on BETWEEN ? AND ?
                 AND deleted = 0""",
            (start, end),
        )
    }
    tables = _Tables(
        moves=store_population.histories(register),
        villages=villages,
        women=women,
        cohort=cohort,
        wives=wives,
        contraception=contraception,
        visits=visits,
        examined=examined,
        unable=unable_to_bear(register, end, settings.not_able_to_bear),
    )
    return tables


def unable_to_bear(register: Register, day: str, findings: Sequence[str]) -> set[str]:
    """Women whose latest fertility finding on or before `day` is one of `findings`.

    A finding is a service visit of type fertility_status whose result names it
    (menopause, primary infertility; codes.json): dated, kept in the history, and
    carried to the township in bundles like any visit.  A later finding replaces an
    earlier one, so a mistaken one is undone by recording "able to bear children".
    """
    if not findings:
        return set()
    latest: dict[str, str] = {}
    for person_id, result in register.conn.execute(
        """SELECT person_id, result FROM visit INDEXED BY visit_person
           WHERE visit_type = 'fertility_status' AND visited_on <= ? AND deleted = 0
           ORDER BY visited_on, id""",
        (day,),
    ):
        latest[person_id] = result
    return {person for person, result in latest.items() if result in findings}


def _state(tables: _Tables, person_id: str, day: str) -> str:
    """A woman's state on a day (core.population), from the moves read once."""
    known = tables.women.get(person_id)
    status = known[1] if known else "here"
    return population.state_on(tables.moves.get(person_id, ()), day, status)


def _births(
    register: Register, wanted: Sequence[tuple[Period, Settings]], tables: _Tables
) -> list[list[BirthFact]]:
    """The births each period counts, judged together (one read of the parents' births)."""
    rows: list[list[dict[str, Any]]] = []
    for period, settings in wanted:
        found = _birth_rows(register, period, settings)
        tables.load(register.conn, (r["mother_id"] for r in found))
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
    judged = _judge(register, every, tables)
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


def _birth_rows(register: Register, period: Period, settings: Settings) -> list[dict[str, Any]]:
    """The own births a period counts, before the mother's place is checked.

    By default a birth counts in the period of its birth date.  Under the setting
    late_births = "when_found", a birth first entered on this register after a report
    covering its date and its area was produced (after that period had ended) is a late
    find: it counts in the period it was entered, not in its own, which the report
    already closed.  So a report produced before the late find still reproduces.
    """
    columns = "b.id, b.mother_id, b.father_id, b.birth_date, b.sex"
    out = [
        {
            "id": bid,
            "mother_id": mother,
            "father_id": father,
            "birth_date": born,
            "sex": sex,
            "counted_on": born,
        }
        for bid, mother, father, born, sex in register.conn.execute(
            f"""SELECT {columns} FROM birth b WHERE b.deleted = 0 AND b.child_relation = 'own'
                AND b.birth_date BETWEEN ? AND ?""",
            (period.start_iso, period.end_iso),
        )
    ]
    if settings.late_births != "when_found":
        return out
    closed = _closing_reports(register)
    if not closed:
        return out
    earliest = min(p.start_iso for p, _, _ in closed)
    # Births of this period or of an earlier one that a report closed, with the time
    # each was first entered here (none for a row loaded in bulk: not a late find).
    entered: dict[str, tuple[str, str]] = {}
    candidates: dict[str, dict[str, Any]] = {r["id"]: r for r in out}
    query = f"""SELECT {columns}, h.village_code, min(c.at) FROM birth b
                JOIN change_log c ON c.row_id = b.id AND c.op = 'insert'
                LEFT JOIN person m ON m.id = b.mother_id
                LEFT JOIN household h ON h.id = m.household_id
                WHERE b.deleted = 0 AND b.child_relation = 'own'
                  AND b.birth_date BETWEEN ? AND ? GROUP BY b.id"""
    for bid, mother, father, born, sex, village, at in register.conn.execute(
        query, (min(earliest, period.start_iso), period.end_iso)
    ):
        entered[bid] = (_local_day_time(at), village or "")
        candidates.setdefault(
            bid,
            {
                "id": bid,
                "mother_id": mother,
                "father_id": father,
                "birth_date": born,
                "sex": sex,
                "counted_on": born,
            },
        )
    kept = []
    for bid, row in sorted(candidates.items()):
        if bid in entered:
            when, village = entered[bid]
            if _closed_before(closed, row["birth_date"], village, when):
                row["counted_on"] = when[:10]
        if period.start_iso <= row["counted_on"] <= period.end_iso:
            kept.append(row)
    return kept


def _closing_reports(register: Register) -> list[tuple[Period, tuple[str, ...], str]]:
    """Recorded reports produced after their period ended: period, areas, when."""
    out = []
    for label, codes_, produced_at in register.conn.execute(
        "SELECT period, areas, produced_at FROM report_run"
    ):
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
    register: Register, rows: list[dict[str, Any]], tables: _Tables
) -> dict[str, tuple[int, bool]]:
    """Birth order for the couple and the verdict of the rule set in force on the date.

    Both are core.policy's: here we only gather every birth of both parents (from any
    marriage) so the order counts the couple's children, and give each birth the area
    where its mother is registered, which picks the rule set.
    """
    parents = {r["mother_id"] for r in rows} | {r["father_id"] for r in rows if r["father_id"]}
    found = _births_of(register, parents)
    tables.load(register.conn, (b[1] for b in found))
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


def _births_of(register: Register, parents: set[str]) -> list[tuple[Any, ...]]:
    """Every own birth of any of these parents (step and adopted rows would count twice).

    Mothers and fathers are looked up separately so each lookup uses its index (both
    covering since schema step 0007).
    """
    found: dict[str, tuple[Any, ...]] = {}
    ids = json.dumps(sorted(parents))
    for column in ("mother_id", "father_id"):
        for row in register.conn.execute(
            f"""SELECT id, mother_id, father_id, birth_date, document_kind FROM birth
                WHERE {column} IN (SELECT value FROM json_each(?))
                  AND deleted = 0 AND child_relation = 'own'""",
            (ids,),
        ):
            found[row[0]] = tuple(row)
    return [found[key] for key in sorted(found)]


def _postnatal_visited(rows: list[dict[str, Any]], tables: _Tables) -> set[str]:
    """Births whose mother had an accepted postnatal visit before the visits expire.

    Twins are two births with one mother: one visit serves both.
    """
    series = schedules.schedules().postnatal
    window = series.expires_days or max(series.days or (42,))
    out = set()
    for row in rows:
        until = _plus_days(row["birth_date"], window)
        if any(
            kind in series.satisfied_by and row["birth_date"] <= day <= until
            for day, kind, _ in tables.visits.get(row["mother_id"], ())
        ):
            out.add(row["id"])
    return out


def _plus_days(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


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
    groups = {code: _method_group(code) for code in {r[3] for r in tables.contraception}}
    out: dict[str, tuple[str, str]] = {}
    for woman_id, _, _, method, _, ended_on in sorted(tables.contraception, key=lambda r: r[3]):
        if method == "none" or (ended_on is not None and ended_on <= end):
            continue
        group = groups[method]
        held = out.get(woman_id)
        if held is None or rank[group] > rank[held[1]]:
            out[woman_id] = (method, group)
    return out


def _method_group(code: str) -> str:
    method = codes.method(code)
    if method.long_acting:
        return "long"
    if method.drugs_devices:
        return "short"
    return "other"


def _mark_examined(cohort: list[WomanFact], tables: _Tables) -> None:
    examined = tables.examined
    for woman in cohort:
        woman.examined = woman.id in examined


def _followups(
    register: Register,
    period: Period,
    settings: Settings,
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
    tables.load(register.conn, (r[0] for r in rows))
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
            opens = [_plus_days(day, -series.window_days_before) for day in due]
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
        behind = (period.start.year - start.year) * 12 + period.start.month - start.month
        k = max(1, (behind - last) // step - 1)
        while True:
            month = last + k * step
            offsets.append(month)
            if schedules.add_months(start, month) > period.end:
                break
            k += 1
    # Offsets whose month lies before the period's first month need no date at all.
    first = (period.start.year - start.year) * 12 + period.start.month - start.month
    days = sorted({schedules.add_months(start, m) for m in offsets if m >= first})
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


def _audits(register: Register, period: Period) -> list[AuditFact]:
    tables = {r[0] for r in register.conn.execute("SELECT name FROM sqlite_master")}
    if "audit_finding" not in tables:
        return []
    return [
        AuditFact(row[0], row[1], int(row[2]), int(row[3]))
        for row in register.conn.execute(
            """SELECT f.id, h.village_code, f.births_found,
                      abs(f.births_found - f.births_registered)
               FROM audit_finding f JOIN audit_household h
                 ON h.sample_id = f.sample_id AND h.household_id = f.household_id
               WHERE f.visited_on BETWEEN ? AND ?""",
            (period.start_iso, period.end_iso),
        )
    ]


def _villages(register: Register, period: Period) -> list[VillageFact]:
    return [
        VillageFact(row[0], bool(row[1]), bool(row[2]), bool(row[3]), bool(row[4]))
        for row in register.conn.execute(
            """SELECT code, urban, quality_pilot, self_governance, demonstration
               FROM area_unit WHERE level = 'village' AND valid_from <= ?
                 AND (valid_to IS NULL OR valid_to >= ?)""",
            (period.end_iso, period.start_iso),
        )
    ]


# --------------------------------------------------------------------- report runs


def record_run(
    register: Register,
    report: IndicatorReport,
    *,
    kind: str = "indicators",
    file_hash: str | None = None,
    when: dt.datetime | None = None,
) -> str:
    """Keep what was reported: the numbers, their hash and the definitions version."""
    run_id = new_id()
    data = report.to_data()
    with register.transaction() as conn:
        conn.execute(
            """INSERT INTO report_run (id, kind, period, areas, definitions_version,
                   definitions_hash, content_hash, file_hash, produced_at, content)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                run_id,
                kind,
                report.period.label,
                ",".join(report.areas),
                report.definitions_version,
                report.definitions_hash,
                report.content_hash,
                file_hash,
                (when or dt.datetime.now()).isoformat(timespec="seconds"),
                json.dumps(data, ensure_ascii=False, sort_keys=True),
            ),
        )
    return run_id


def runs(register: Register, period: str | None = None) -> list[dict[str, Any]]:
    sql = """SELECT id, kind, period, areas, definitions_version, content_hash, file_hash,
                    produced_at FROM report_run"""
    if period:
        return register.query(sql + " WHERE period = ? ORDER BY produced_at, id", (period,))
    return register.query(sql + " ORDER BY produced_at, id")


def stored_run(register: Register, run_id: str) -> dict[str, Any]:
    """The numbers as first reported; refuses a record whose content no longer matches."""
    rows = register.query("SELECT content, content_hash FROM report_run WHERE id = ?", (run_id,))
    if not rows:
        raise KeyError(run_id)
    data: dict[str, Any] = json.loads(rows[0]["content"])
    if content_hash(data) != rows[0]["content_hash"]:
        raise ValueError(f"report run {run_id} was altered after it was recorded")
    return data


def compare_with_run(
    register: Register, run_id: str, book: DefinitionBook | None = None
) -> list[dict[str, Any]]:
    """Recompute a recorded report under its own definitions version; list what moved."""
    first = stored_run(register, run_id)
    book = book or load_book()
    period = parse_period(first["period"])
    if book.for_period(period).version != first["definitions_version"]:
        raise ValueError("the definitions version of this run is no longer shipped")
    now = compute(register, period, first["areas"], book=book).to_data()
    before = {r["key"]: r for r in first["results"]}
    changes = []
    for result in now["results"]:
        old = before.get(result["key"])
        if old is None or (old["numerator"], old["denominator"]) != (
            result["numerator"],
            result["denominator"],
        ):
            changes.append({"key": result["key"], "reported": old, "now": result})
    return changes


# ---------------------------------------------------------------------- trends

TREND_KEYS = ("births", "policy_compliant_rate", "followup_rate", "postnatal_rate")


@dataclass(frozen=True)
class TrendPoint:
    month: Period
    numerator: int
    denominator: int | None
    value: float | None


def monthly_trend(facts: Facts, area_codes: Sequence[str], key: str) -> list[TrendPoint]:
    """An event indicator month by month, from the period's own facts (no new reading).

    Births and their compliance and postnatal visits fall in the month of the birth;
    follow-ups in the month they fell due.
    """
    if key not in TREND_KEYS:
        raise ValueError(f"no monthly trend for {key!r}; choose from {TREND_KEYS}")
    item = facts.definitions.indicator(key)
    basis = item.basis or facts.definitions.settings.population_basis
    chosen = facts.select(_matcher(area_codes), basis)
    points = []
    for month in facts.period.months():
        start, end = month.start_iso, month.end_iso
        if key == "followup_rate":
            due = [f for f in chosen["followups"] if start <= f.key.split("@")[1] <= end]
            num, den = sum(1 for f in due if f.done), len(due)
        else:
            births = [b for b in chosen["births"] if start <= b.counted_on <= end]
            flag = {
                "births": None,
                "policy_compliant_rate": "compliant",
                "postnatal_rate": "postnatal_visited",
            }[key]
            num = len(births) if flag is None else sum(1 for b in births if getattr(b, flag))
            den = len(births)
        denominator = None if item.unit == "count" else den
        points.append(TrendPoint(month, num, denominator, item.value(num, denominator)))
    return points
