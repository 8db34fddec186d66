"""12-digit statistical area codes (统计用区划代码) and 18-digit household codes."""

from __future__ import annotations

import re

LEVELS = ("province", "prefecture", "county", "township", "village")
_CODE = re.compile(r"^\d{12}$")
_HOUSEHOLD = re.compile(r"^\d{18}$")


class AreaCodeError(ValueError):
    pass


def level_of(code: str) -> str:
    """The level of a 12-digit code: the last non-zero part decides."""
    if not _CODE.match(code):
        raise AreaCodeError(f"an area code has 12 digits: {code!r}")
    if code[9:] != "000":
        return "village"
    if code[6:9] != "000":
        return "township"
    if code[4:6] != "00":
        return "county"
    if code[2:4] != "00":
        return "prefecture"
    return "province"


def parent_of(code: str) -> str | None:
    level = level_of(code)
    if level == "village":
        return code[:9] + "000"
    if level == "township":
        return code[:6] + "000000"
    if level == "county":
        return code[:4] + "00000000"
    if level == "prefecture":
        return code[:2] + "0000000000"
    return None


def contains(area: str, code: str) -> bool:
    """Whether `code` lies inside (or is) `area`."""
    prefix = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}
    n = prefix[level_of(area)]
    return code[:n] == area[:n]


def household_code(village_code: str, group_no: int | str, sequence: int) -> str:
    if level_of(village_code) != "village":
        raise AreaCodeError(f"households belong to a village, not {village_code!r}")
    group = f"{int(group_no):02d}"
    if not 1 <= sequence <= 9999:
        raise AreaCodeError("household sequence must be 1..9999")
    return f"{village_code}{group}{sequence:04d}"


def split_household_code(code: str) -> tuple[str, str, str]:
    """(village code, group number, sequence) of an 18-digit household code."""
    if not _HOUSEHOLD.match(code):
        raise AreaCodeError(f"a household code has 18 digits: {code!r}")
    if level_of(code[:12]) != "village":
        raise AreaCodeError(f"a household code starts with a village code: {code!r}")
    return code[:12], code[12:14], code[14:]
