"""What each indicator is: the definitions book (indicators.json, core.indicators), the
levels results are judged at, and how an area code selects villages.

Nothing here reads a register: a township register and the district hub (issue 17)
count on the same definitions, so they give the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fpdesk.core import area as areas
from fpdesk.core import codes
from fpdesk.core.i18n import Text
from fpdesk.core.indicators import (
    DefinitionBook,
    Definitions,
    IndicatorDef,
    Settings,
    Target,
    content_hash,
    load_book,
)
from fpdesk.core.periods import Period

__all__ = [
    "LEVEL_NAMES",
    "TREND_KEYS",
    "DefinitionBook",
    "Definitions",
    "IndicatorDef",
    "Settings",
    "Target",
    "ancestor",
    "content_hash",
    "definitions_for",
    "level_of",
    "load_book",
    "matcher",
    "method_group",
]

LEVEL_NAMES = {
    "village": Text("村", "village"),
    "township": Text("乡镇", "township"),
    "county": Text("县区", "district"),
}

# The event indicators that have a month-by-month trend (computation.monthly_trend).
TREND_KEYS = ("births", "policy_compliant_rate", "followup_rate", "postnatal_rate")

# How many leading digits of an area code name its unit at each level.
_PREFIX_LENGTHS = {"village": 12, "township": 9, "county": 6, "prefecture": 4, "province": 2}


def definitions_for(period: Period, book: DefinitionBook | None = None) -> Definitions:
    """The definitions version in force on the period's last day."""
    return (book or load_book()).for_period(period)


def ancestor(village: str, level: str) -> str:
    """The unit of `level` a village lies in."""
    if level == "village":
        return village
    if level == "township":
        return village[:9] + "000"
    return village[:6] + "000000"


def level_of(area_codes: Sequence[str]) -> str:
    """The level targets are judged at; any set of several units is just a "set"."""
    if len(area_codes) != 1:
        return "set"
    level = areas.level_of(area_codes[0])
    return level if level in LEVEL_NAMES else "county"


def matcher(area_codes: Sequence[str]) -> Callable[[str], bool]:
    """A test of whether a village code lies in any of the area units."""
    for code in area_codes:
        areas.level_of(code)  # refuses a malformed code
    prefixes = tuple(code[: _PREFIX_LENGTHS[areas.level_of(code)]] for code in area_codes)
    return lambda village: village.startswith(prefixes)


def method_group(code: str) -> str:
    """The group a contraceptive method is counted in: long-acting, short-acting
    (drugs and devices) or other (codes.json)."""
    method = codes.method(code)
    if method.long_acting:
        return "long"
    if method.drugs_devices:
        return "short"
    return "other"
