"""Names of areas (villages, townships, counties) from the register's area list.

Clerks and officers know their villages by name, not by the 12-digit statistical
code.  Every face (the window, the printouts, the command line) asks here, so a name
is looked up one way: the latest name the area list gives for the code, or the code
itself when the list does not know it (a register made by `fpdesk init` starts with
an empty list until names are set).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.store import access
from fpdesk.store.db import Register

# An area unit as the register keeps it (area_unit): the villages' flags are what the
# indicators read about a village beyond its records (urban, quality pilot...).
AREA_COLUMNS = (
    "code",
    "parent_code",
    "level",
    "name",
    "valid_from",
    "valid_to",
    "urban",
    "quality_pilot",
    "self_governance",
    "demonstration",
)

OUTSIDE = Text(
    "{code} 不在本登记册的区划 {area} 之内。", "{code} is not inside this register's area {area}."
)


def names(register: Register, codes: Iterable[str]) -> dict[str, str]:
    """Code -> name for each code; a code the area list does not know maps to itself."""
    wanted = sorted({str(c) for c in codes if c})
    found: dict[str, str] = {c: c for c in wanted}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i : i + 500]
        marks = ", ".join("?" for _ in chunk)
        for code, name in register.conn.execute(
            f"SELECT code, name FROM area_unit WHERE code IN ({marks}) ORDER BY valid_from",
            chunk,
        ):
            if name:
                found[str(code)] = str(name)  # ordered by valid_from: the latest name wins
    return found


def name(register: Register, code: str | None) -> str:
    """One area's name, or its code when the area list does not know it."""
    if not code:
        return ""
    return names(register, [code])[code]


def set_name(register: Register, code: str, name_: str) -> None:
    """Name an area of the register's own area list (the clerk types the villages'
    names once; nothing else is stored about them).  Only for the register's own area
    and what lies inside it, by whoever may enroll laptops."""
    level = area.level_of(code)
    if not name_.strip():
        raise ValueError("an area needs a name")
    access.require(register, "enroll")
    if not area.contains(register.area_code, code):
        raise access.AccessDenied(OUTSIDE.format(code=code, area=register.area_code))
    with register.transaction() as conn:
        updated = conn.execute(
            "UPDATE area_unit SET name = ? WHERE code = ? AND valid_to IS NULL",
            (name_.strip(), code),
        ).rowcount
        if not updated:
            conn.execute(
                "INSERT INTO area_unit (code, parent_code, level, name) VALUES (?, ?, ?, ?)",
                (code, area.parent_of(code), level, name_.strip()),
            )


def listing(register: Register) -> list[dict[str, str]]:
    """The register's own area and the villages inside it that the area list or the
    enrolled laptops know, with their names (the code when none is set)."""
    own = register.area_code
    codes = {own}
    for (code,) in register.conn.execute(
        "SELECT code FROM area_unit UNION SELECT area_code FROM sync_device"
    ):
        if code and area.contains(own, str(code)):
            codes.add(str(code))
    found = names(register, codes)
    return [{"code": c, "name": found[c]} for c in sorted(codes)]


def area_list(register: Register) -> list[dict[str, Any]]:
    """Every area unit the register knows, whole (what a township sends its district
    hub with its changes, so the hub reads the villages' flags as the register does)."""
    listed = ", ".join(AREA_COLUMNS)
    found = register.conn.execute(f"SELECT {listed} FROM area_unit ORDER BY code, valid_from")
    return [dict(zip(AREA_COLUMNS, row, strict=True)) for row in found]
