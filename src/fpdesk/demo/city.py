"""The demo city: ten districts of made-up persons, township by township (issue 17).

A city hub holds a prefecture's districts (counties), each reported up by its
townships.  The demo city is the register demo's generator (demo.district) run once
per district: the same layout, the same households and events, the same rows; only
the county differs (its code begins its natives' ID numbers and its townships' and
villages' codes).  District 0 is the register demo's own county with the same seed,
so a township of it holds exactly the rows of that township in `fpdesk demo` of the
same size and seed.

The rows come out one township at a time (some 20,000 persons), with the area units
that township's register would send up (the township, its villages and the units
above), for a loader to put straight into the hub (commands.hub_city, hub.load): the
whole city is never held in memory.  No search index is made: the hub has none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.demo import names
from fpdesk.demo.district import District, Rows, villages_made
from fpdesk.demo.draws import COLUMNS, MAX_PERSONS, MIN_PERSONS, REFERENCE_DATE, TABLES, KeySpool
from fpdesk.store.areas import AREA_COLUMNS

DISTRICTS = len(names.CITY_DISTRICTS)
CITY = names.PREFECTURE
VALID_FROM = "2010-01-01"  # as build_demo writes the area units
# The record columns of the city's rows: the register demo's without the rowid its
# search index numbers rows by.
CITY_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c for c in COLUMNS[table] if c != "rowid") for table in TABLES
}


@dataclass(frozen=True)
class CityTownship:
    """One township of the city as its register would hold it."""

    code: str
    county: str  # the district's 12-digit code
    name: str
    area_units: list[tuple[Any, ...]]  # rows of store.areas.AREA_COLUMNS
    rows: Rows  # table -> rows of CITY_COLUMNS[table]
    persons: int


class _NoKeys(KeySpool):
    """The search index's keys, not kept: the hub has no search index."""

    def append(self, band: int, rowid: int, keys: str) -> None:
        pass


class CitySizeError(FpdeskError, ValueError):
    """The asked city is outside what the demo builds."""

    def __init__(self, persons: int, districts: int) -> None:
        super().__init__(
            Text(
                f"演示城市有 1 到 {DISTRICTS} 个区县，每个区县 {MIN_PERSONS} 到 "
                f"{MAX_PERSONS:,} 人（收到 {districts} 个区县、{persons} 人）。",
                f"A demo city has 1 to {DISTRICTS} districts of {MIN_PERSONS} to "
                f"{MAX_PERSONS:,} persons each (got {districts} districts, {persons} persons).",
            )
        )


def district_sizes(persons: int, districts: int = DISTRICTS) -> list[int]:
    """Persons per district: as even as can be, the first ones one more."""
    if not 1 <= districts <= DISTRICTS or not (
        MIN_PERSONS * districts <= persons <= MAX_PERSONS * districts
    ):
        raise CitySizeError(persons, districts)
    each, extra = divmod(persons, districts)
    return [each + (i < extra) for i in range(districts)]


def district_seed(seed: int, number: int) -> int:
    """District 0 has the city's seed (the register demo's of that seed), the others
    seeds of their own, so no two districts are alike."""
    return seed + 1000 * number


def city(
    persons: int,
    *,
    seed: int = 1,
    districts: int = DISTRICTS,
    reference: dt.date = REFERENCE_DATE,
) -> Iterator[CityTownship]:
    """The city's townships, district by district, each with its rows."""
    for number, size in enumerate(district_sizes(persons, districts)):
        county = names.CITY_DISTRICTS[number]
        yield from _district(District(district_seed(seed, number), reference, county), size)


def _district(district: District, persons: int) -> Iterator[CityTownship]:
    district.index_keys = _NoKeys()
    townships = district.layout(persons)
    district.new_key()  # the register demo's device key: keeps the draws in step
    above = [_unit(row) for row in district.area_rows([])]  # province, city, county
    done_before, villages_done = 0, 0
    for township, done in villages_made(district, townships):
        row, villages, _ = township
        villages_done += 1
        if villages_done < len(villages):
            continue  # the township's rows are handed over after its last village
        rows = district.take_rows()
        yield CityTownship(
            code=row[0],
            county=district.county[0],
            name=row[3],
            area_units=[*above, _unit(row), *(_unit(v) for v in villages)],
            rows={
                t: [r[1:] for r in rows[t]] if "rowid" in COLUMNS[t] else rows[t] for t in TABLES
            },
            persons=done - done_before,
        )
        done_before, villages_done = done, 0


def _unit(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A demo area row (code, parent, level, name, four flags) as AREA_COLUMNS."""
    code, parent, level, name, *flags = row
    unit = dict(
        zip(AREA_COLUMNS, (code, parent, level, name, VALID_FROM, None, *flags), strict=True)
    )
    return tuple(unit[c] for c in AREA_COLUMNS)
