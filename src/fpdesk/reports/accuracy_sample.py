"""Statistics accuracy audit (出生统计准确率): sample households, record the visit, score it.

The sample is reproducible: the same register, seed and size always name the same
households, on any machine and any Python version, because each household is ranked
by a SHA-256 hash of the seed and its household code rather than by a random number
generator whose algorithm may change.  Adding a household later only adds a
candidate; it does not reshuffle the others.

A finding keeps, beside what the visit found, what the register said that day:
the register is corrected after an audit, and the accuracy must not improve by it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from fpdesk.core import area as areas
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.core.indicators import load_book
from fpdesk.core.periods import Period, parse_period
from fpdesk.store import access, access_log
from fpdesk.store.db import Register


class AuditError(FpdeskError, ValueError):
    """Bad input to an audit: a bilingual message for the clerk."""


@dataclass(frozen=True)
class SampledHousehold:
    position: int
    household_id: str
    code: str
    village_code: str
    head: str | None
    address: str


@dataclass(frozen=True)
class Sample:
    id: str
    area_code: str
    period: str
    seed: int
    population: int
    drawn_on: str
    households: tuple[SampledHousehold, ...]

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "area_code": self.area_code,
            "period": self.period,
            "seed": self.seed,
            "population": self.population,
            "drawn_on": self.drawn_on,
            "households": [h.__dict__ for h in self.households],
        }


@dataclass(frozen=True)
class Accuracy:
    sample_id: str
    households: int
    visited: int
    births_found: int
    births_registered: int
    errors: int
    rate: float | None  # percent; None until a visit found a birth
    pass_rate: float
    passed: bool | None

    def to_data(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _rank(seed: int, code: str) -> str:
    return hashlib.sha256(f"{seed}:{code}".encode()).hexdigest()


def choose(codes: list[str], size: int, seed: int) -> list[str]:
    """`size` household codes out of `codes`, the same ones for the same seed."""
    return sorted(codes, key=lambda code: (_rank(seed, code), code))[:size]


def draw_sample(
    register: Register,
    *,
    households: int,
    seed: int,
    period: Period | None = None,
    area_code: str | None = None,
    drawn_by: str | None = None,
    clock: Clock | None = None,
) -> Sample:
    """Draw and keep a sample of households for verification visits."""
    if households < 1:
        raise AuditError(Text("抽样户数至少为 1。", "Sample at least one household."))
    today = (clock or SystemClock()).today()
    period = period or parse_period(str(today.year if today.month < 10 else today.year + 1))
    access.require(register, "report")
    if area_code:
        areas.level_of(area_code)
    scope = access.scope(register, area_code)  # an account: its own area only
    rows = [
        r
        for r in register.query(
            """SELECT h.id, h.code, h.village_code, h.address, p.name AS head
               FROM household h LEFT JOIN person p ON p.id = h.head_id
               WHERE h.deleted = 0"""
        )
        if areas.contains(scope, r["village_code"])
    ]
    if not rows:
        raise AuditError(
            Text(f"{scope} 范围内没有户，无法抽样。", f"No households in {scope} to sample.")
        )
    if households > len(rows):
        raise AuditError(
            Text(
                f"要抽 {households} 户，但 {scope} 范围内只有 {len(rows)} 户。",
                f"Asked for {households} households; {scope} has only {len(rows)}.",
            )
        )
    by_code = {r["code"]: r for r in rows}
    chosen = [by_code[c] for c in choose(list(by_code), households, seed)]
    sample_id = new_id()
    picked = tuple(
        SampledHousehold(i + 1, r["id"], r["code"], r["village_code"], r["head"], r["address"])
        for i, r in enumerate(chosen)
    )
    with register.transaction() as conn:
        conn.execute(
            """INSERT INTO audit_sample (id, area_code, period, seed, size, population,
                   drawn_on, drawn_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                sample_id,
                scope,
                period.label,
                seed,
                households,
                len(rows),
                today.isoformat(),
                drawn_by,
            ),
        )
        conn.executemany(
            """INSERT INTO audit_household (sample_id, household_id, village_code, position)
               VALUES (?, ?, ?, ?)""",
            [(sample_id, h.household_id, h.village_code, h.position) for h in picked],
        )
    access_log.record(register, "report", {"audit_sample": sample_id, "area": scope})
    return Sample(sample_id, scope, period.label, seed, len(rows), today.isoformat(), picked)


def registered_counts(register: Register, household_id: str, period: Period) -> tuple[int, int]:
    """(births in the period to mothers of the household, living persons) on the register."""
    births = register.conn.execute(
        """SELECT count(*) FROM birth b JOIN person m ON m.id = b.mother_id
           WHERE b.deleted = 0 AND b.child_relation = 'own' AND m.household_id = ?
             AND b.birth_date BETWEEN ? AND ?""",
        (household_id, period.start_iso, period.end_iso),
    ).fetchone()[0]
    persons = register.conn.execute(
        """SELECT count(*) FROM person WHERE deleted = 0 AND household_id = ?
             AND death_date IS NULL""",
        (household_id,),
    ).fetchone()[0]
    return int(births), int(persons)


def record_finding(
    register: Register,
    sample_id: str,
    household: str,
    *,
    visited_on: dt.date,
    births_found: int,
    persons_found: int,
    visited_by: str | None = None,
    note: str | None = None,
    clock: Clock | None = None,
) -> str:
    """Keep what a verification visit found in one sampled household (by code or id)."""
    sample = _sample_row(register, sample_id)
    member = register.query(
        """SELECT a.household_id FROM audit_household a JOIN household h ON h.id = a.household_id
           WHERE a.sample_id = ? AND (h.code = ? OR h.id = ?)""",
        (sample_id, household, household),
    )
    if not member:
        raise AuditError(
            Text(
                f"户 {household} 不在这次抽样中。", f"Household {household} is not in this sample."
            )
        )
    if births_found < 0 or persons_found < 0:
        raise AuditError(Text("核查人数不能为负数。", "Counts found cannot be negative."))
    now = (clock or SystemClock()).now()
    if visited_on < dt.date.fromisoformat(sample["drawn_on"]) or visited_on > now.date():
        raise AuditError(
            Text(
                f"核查日期 {visited_on.isoformat()} 应在抽样日 {sample['drawn_on']} 与今天之间。",
                f"The visit date {visited_on.isoformat()} must lie between the draw "
                f"({sample['drawn_on']}) and today.",
            )
        )
    household_id = member[0]["household_id"]
    births, persons = registered_counts(register, household_id, parse_period(sample["period"]))
    finding_id = new_id()
    with register.transaction() as conn:
        exists = conn.execute(
            "SELECT 1 FROM audit_finding WHERE sample_id = ? AND household_id = ?",
            (sample_id, household_id),
        ).fetchone()
        if exists:
            raise AuditError(
                Text(
                    f"户 {household} 的核查结果已记录过。",
                    f"The finding for household {household} is already recorded.",
                )
            )
        conn.execute(
            """INSERT INTO audit_finding (id, sample_id, household_id, visited_on, visited_by,
                   births_found, births_registered, persons_found, persons_registered, note,
                   recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                finding_id,
                sample_id,
                household_id,
                visited_on.isoformat(),
                visited_by,
                births_found,
                births,
                persons_found,
                persons,
                note,
                now.isoformat(timespec="seconds"),
            ),
        )
    access_log.record(register, "report", {"audit_finding": finding_id, "sample": sample_id})
    return finding_id


def _sample_row(register: Register, sample_id: str) -> dict[str, Any]:
    """The sample, if this session may work on its area (its households are listed)."""
    access.require(register, "report")
    rows = register.query("SELECT * FROM audit_sample WHERE id = ?", (sample_id,))
    if not rows:
        raise AuditError(Text(f"没有编号为 {sample_id} 的抽样。", f"No sample {sample_id}."))
    access.require_area(register, rows[0]["area_code"])
    return rows[0]


def accuracy(register: Register, sample_id: str) -> Accuracy:
    """1 - (births missed or wrongly on the register) / births found by the visits.

    A household where the register lists a birth the visit did not find is an error
    as much as one where the visit found a birth the register missed.
    """
    sample = _sample_row(register, sample_id)
    size = register.conn.execute(
        "SELECT count(*) FROM audit_household WHERE sample_id = ?", (sample_id,)
    ).fetchone()[0]
    visited, found, registered, errors = register.conn.execute(
        """SELECT count(*), coalesce(sum(births_found), 0), coalesce(sum(births_registered), 0),
                  coalesce(sum(abs(births_found - births_registered)), 0)
           FROM audit_finding WHERE sample_id = ?""",
        (sample_id,),
    ).fetchone()
    rate = max(0.0, 100.0 * (1 - errors / found)) if found else None
    access_log.record(register, "report", {"audit_accuracy": sample_id})
    pass_rate = load_book().for_period(parse_period(sample["period"])).settings.audit_pass_rate
    return Accuracy(
        sample_id=sample_id,
        households=int(size),
        visited=int(visited),
        births_found=int(found),
        births_registered=int(registered),
        errors=int(errors),
        rate=rate,
        pass_rate=pass_rate,
        passed=None if rate is None else rate >= pass_rate,
    )


def samples(register: Register) -> list[dict[str, Any]]:
    return register.query(
        "SELECT id, area_code, period, seed, size, population, drawn_on FROM audit_sample "
        "ORDER BY drawn_on, id"
    )
