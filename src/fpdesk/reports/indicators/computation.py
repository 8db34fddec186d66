"""Computation: the collected facts turned into results, counted for any set of areas,
broken down by village or township, and judged against the targets.

Every result keeps the ids behind its numerator and its denominator, so any number on
a report or the dashboard opens to the persons or events it counts (reports.members).
Reproducibility: a result depends only on dated data and on the definitions version in
force on the period's last day (core.indicators), and it names that version and the
hash of the definitions.

Nothing here reads a store directly: the facts come from collection, and the few other
reads (area names and units, the permission to report, who lives where) from the same
`IndicatorSource`, so the district hub computes with this very code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fpdesk.core import area as areas
from fpdesk.core import population
from fpdesk.core.i18n import Text
from fpdesk.core.indicators import DefinitionBook, IndicatorDef, Settings, Target, content_hash
from fpdesk.core.periods import Period
from fpdesk.reports.indicators.collection import (
    AuditFact,
    BirthFact,
    Facts,
    FollowUpFact,
    VillageFact,
    WomanFact,
    collect,
)
from fpdesk.reports.indicators.definitions import (
    LEVEL_NAMES,
    TREND_KEYS,
    ancestor,
    level_of,
    matcher,
)
from fpdesk.reports.indicators.source import IndicatorSource, Member
from fpdesk.reports.indicators.sqlite import Readable, as_source

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


# ------------------------------------------------------------------------- counting


def compute(
    register: Readable,
    period: Period,
    area_codes: Sequence[str] | None = None,
    *,
    book: DefinitionBook | None = None,
    facts: Facts | None = None,
) -> IndicatorReport:
    """The indicators for a period over a set of area units (default: the session's
    area; an account asking for an area outside its own is refused, a wider one narrowed)."""
    source = as_source(register)
    source.require_report()
    asked: Sequence[str | None] = area_codes or [None]
    wanted = tuple(dict.fromkeys(source.scope(code) for code in asked))
    facts = facts or collect(source, period, book=book)
    return evaluate(facts, wanted, name=_names(source, wanted))


def breakdown(
    register: Readable,
    period: Period,
    level: str,
    *,
    within: str | None = None,
    book: DefinitionBook | None = None,
    facts: Facts | None = None,
) -> list[IndicatorReport]:
    """One report per village or township inside `within` (default: the session's area,
    narrowed and refused like compute's)."""
    source = as_source(register)
    source.require_report()
    scope = source.scope(within)
    facts = facts or collect(source, period, book=book)
    units = units_at_level(source, facts, level, scope)
    return [evaluate(facts, (code,), name=_names(source, (code,))) for code in units]


def headcounts(
    register: Readable,
    facts: Facts,
    area_codes: Sequence[str],
    members: Sequence[Member] | None = None,
) -> dict[str, dict[str, int]]:
    """The figures behind the indicators, for each population basis (core.population):
    the population and the women 15-49 on the period's last day (store.population), the
    married women 15-49 and the births of the period (these facts).  The same numbers
    the workbooks, the household register, the woman cards and the dashboard show.
    `members`: store.population.members_on for the period's last day, if already read."""
    inside = matcher(area_codes)
    day = facts.period.end_iso
    settings = facts.definitions.settings
    ages = (settings.married_women_min_age, settings.married_women_max_age)
    if members is None:
        members = as_source(register).members_on(day)
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


def units_at_level(register: Readable, facts: Facts, level: str, within: str) -> list[str]:
    """The area units of a level inside `within`: from the area table and from the data."""
    if level not in LEVEL_NAMES:
        raise ValueError(f"level must be one of {sorted(LEVEL_NAMES)}, not {level!r}")
    known = as_source(register).area_units(level)
    for village in facts.villages_seen():
        known.add(ancestor(village, level))
    return sorted(code for code in known if areas.contains(within, code))


def _names(source: IndicatorSource, codes_: Sequence[str]) -> str:
    found = source.area_names(codes_)
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
    inside = matcher(area_codes)
    defs = facts.definitions
    previous = None
    if facts.previous is not None:
        last_year = evaluate(facts.previous, area_codes, basis=basis)
        previous = last_year.result("second_birth_sex_ratio").value
    counted: dict[str, Counted] = {}
    results = []
    level = level_of(area_codes)
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


# ---------------------------------------------------------------------- trends


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
    chosen = facts.select(matcher(area_codes), basis)
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
