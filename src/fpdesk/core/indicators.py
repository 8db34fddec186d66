"""Indicator definitions, counting settings and targets: versioned data, read here.

Follow-up and postnatal schedules (when a visit is due, which visit types count) are
not repeated here: they are core.schedules' data, shared with the due list.

The district is assessed on these numbers, and a report for 2019 must still say what it
said in 2019 after the rules change.  So definitions live in resources/indicators.json
as versions, each covering a span of dates; a period is judged by the version in force
on its last day, and every produced report names that version and its content hash.
Nothing here touches the register: this module only says what is counted and how a
result compares with its target.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fpdesk.core import dates, population
from fpdesk.core.i18n import Text
from fpdesk.core.periods import Period

UNITS = ("count", "percent", "ratio")
TARGET_OPS = ("<", "<=", ">", ">=", "change<=", "change>=")
LEVELS = ("village", "township", "county")
LONG_ACTING_DENOMINATORS = ("married_women", "all_users")
POPULATION_BASES = ("registered", "resident")
LATE_BIRTHS = ("birth_date", "when_found")


class DefinitionsError(ValueError):
    """The definitions file is wrong: a message for whoever edited it."""


@dataclass(frozen=True)
class Target:
    op: str
    value: float
    levels: tuple[str, ...]

    def applies_to(self, level: str) -> bool:
        return level in self.levels

    def passes(self, value: float | None, previous: float | None = None) -> bool | None:
        """Whether a result meets the target; None when it cannot be judged (no data)."""
        if value is None:
            return None
        if self.op.startswith("change"):
            if previous is None:
                return None
            change = value - previous
            return change <= self.value if self.op == "change<=" else change >= self.value
        return {
            "<": value < self.value,
            "<=": value <= self.value,
            ">": value > self.value,
            ">=": value >= self.value,
        }[self.op]

    def describe(self, language: str = "zh") -> str:
        """The target as printed on a form: "> 93", or "较上年 ≤ -2" for a change."""
        if self.op.startswith("change"):
            sign = "≤" if self.op == "change<=" else "≥"
            prefix = "较上年" if language == "zh" else "vs last year"
            return f"{prefix} {sign} {self.value:+g}"
        return f"{self.op} {self.value:g}"


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    unit: str
    label: Text
    numerator: Text
    denominator: Text | None
    target: Target | None
    # The population it counts (core.population.BASES): "registered" for every indicator
    # of the plan (here + floating out, counted where the hukou is); None: the
    # version's population_basis setting.
    basis: str | None = None

    def value(self, numerator: int, denominator: int | None) -> float | None:
        """The indicator's value from its counts (None when the denominator is zero)."""
        if self.unit == "count":
            return float(numerator)
        if not denominator:
            return None
        # A percentage and a sex ratio (boys per 100 girls) are both scaled by 100.
        return numerator * 100.0 / denominator


@dataclass(frozen=True)
class Settings:
    married_women_min_age: int
    married_women_max_age: int
    population_basis: str
    long_acting_denominator: str
    gyn_exam_cohort: str
    audit_pass_rate: float
    # Fertility findings (visit results, codes.json fertility_status) that take a woman
    # out of the "married women able to bear children" denominators.  None in 2019.1.
    not_able_to_bear: tuple[str, ...] = ()
    # "birth_date": a birth counts in the period of its birth date; "when_found": a
    # birth entered after its period's report was produced counts when it was entered.
    late_births: str = "birth_date"


@dataclass(frozen=True)
class Definitions:
    version: str
    effective_from: dt.date
    effective_to: dt.date | None
    settings: Settings
    indicators: tuple[IndicatorDef, ...]
    content_hash: str

    def indicator(self, key: str) -> IndicatorDef:
        for item in self.indicators:
            if item.key == key:
                return item
        raise KeyError(key)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.indicators)

    def covers(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass(frozen=True)
class DefinitionBook:
    """Every version of the definitions, oldest first."""

    versions: tuple[Definitions, ...]

    def for_period(self, period: Period) -> Definitions:
        """The version in force on the period's last day."""
        for version in self.versions:
            if version.covers(period.end):
                return version
        raise DefinitionsError(
            str(
                Text(
                    f"没有适用于 {period.label} 的指标定义版本。",
                    f"No indicator definitions cover the period {period.label}.",
                )
            )
        )

    def version(self, name: str) -> Definitions:
        for version in self.versions:
            if version.version == name:
                return version
        raise DefinitionsError(f"no indicator definitions version {name!r}")


def load_book(path: str | Path | None = None) -> DefinitionBook:
    """Read the definitions file (the one shipped with the program unless a path is given)."""
    if path is None:
        text = resources.files("fpdesk.resources").joinpath("indicators.json").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    return book_from_data(json.loads(text))


def book_from_data(data: Mapping[str, Any]) -> DefinitionBook:
    versions = tuple(
        sorted((_version(raw) for raw in data.get("versions", ())), key=lambda v: v.effective_from)
    )
    if not versions:
        raise DefinitionsError("the indicator definitions list no versions")
    for earlier, later in itertools.pairwise(versions):
        if earlier.effective_to is None or earlier.effective_to >= later.effective_from:
            raise DefinitionsError(
                f"definitions {earlier.version} and {later.version} overlap in time"
            )
    return DefinitionBook(versions)


def canonical_json(data: Any) -> str:
    """One spelling of a value, so equal content always hashes the same."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(data: Any) -> str:
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def _version(raw: Mapping[str, Any]) -> Definitions:
    try:
        name = str(raw["version"])
        start = dt.date.fromisoformat(raw["effective_from"])
        end = dates.stored(raw.get("effective_to"))
        settings = _settings(raw["settings"])
        indicators = tuple(_indicator(item) for item in raw["indicators"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DefinitionsError(
            f"indicator definitions version {raw.get('version')!r}: {exc}"
        ) from exc
    keys = [item.key for item in indicators]
    if len(set(keys)) != len(keys):
        raise DefinitionsError(f"definitions {name}: an indicator key appears twice")
    return Definitions(name, start, end, settings, indicators, content_hash(raw))


def _text(pair: Sequence[str] | None) -> Text | None:
    if pair is None:
        return None
    zh, en = pair
    return Text(str(zh), str(en))


def _indicator(raw: Mapping[str, Any]) -> IndicatorDef:
    unit = raw["unit"]
    if unit not in UNITS:
        raise ValueError(f"indicator {raw['key']}: unit {unit!r} is not one of {UNITS}")
    label = _text(raw["label"])
    numerator = _text(raw["numerator"])
    assert label is not None and numerator is not None
    return IndicatorDef(
        key=str(raw["key"]),
        unit=unit,
        label=label,
        numerator=numerator,
        denominator=_text(raw.get("denominator")),
        target=_target(raw.get("target")),
        basis=_basis(raw),
    )


def _basis(raw: Mapping[str, Any]) -> str | None:
    if raw.get("basis") is None:
        return None
    basis = str(raw["basis"])
    if basis not in population.BASES:
        raise ValueError(f"indicator {raw['key']}: basis {basis!r} is not one of "
                         f"{sorted(population.BASES)}")
    return basis


def _target(raw: Mapping[str, Any] | None) -> Target | None:
    if raw is None:
        return None
    if raw["op"] not in TARGET_OPS:
        raise ValueError(f"target op {raw['op']!r} is not one of {TARGET_OPS}")
    levels = tuple(raw.get("levels", LEVELS))
    if set(levels) - set(LEVELS):
        raise ValueError(f"target levels {levels} must be among {LEVELS}")
    return Target(str(raw["op"]), float(raw["value"]), levels)


def _settings(raw: Mapping[str, Any]) -> Settings:
    settings = Settings(
        married_women_min_age=int(raw["married_women_min_age"]),
        married_women_max_age=int(raw["married_women_max_age"]),
        population_basis=str(raw["population_basis"]),
        long_acting_denominator=str(raw["long_acting_denominator"]),
        gyn_exam_cohort=str(raw["gyn_exam_cohort"]),
        audit_pass_rate=float(raw["audit_pass_rate"]),
        not_able_to_bear=tuple(str(code) for code in raw.get("not_able_to_bear", ())),
        late_births=str(raw.get("late_births", "birth_date")),
    )
    if settings.long_acting_denominator not in LONG_ACTING_DENOMINATORS:
        raise ValueError(f"long_acting_denominator must be one of {LONG_ACTING_DENOMINATORS}")
    if settings.population_basis not in POPULATION_BASES:
        raise ValueError(f"population_basis must be one of {POPULATION_BASES}")
    if settings.late_births not in LATE_BIRTHS:
        raise ValueError(f"late_births must be one of {LATE_BIRTHS}")
    if settings.gyn_exam_cohort not in ("married_women", "women"):
        raise ValueError("gyn_exam_cohort must be married_women or women")
    return settings
