"""The villages with households in a register, and their groups: the window's area tree."""

from __future__ import annotations

from dataclasses import dataclass

from fpdesk.store import access, areas
from fpdesk.store.db import Register


@dataclass
class Village:
    code: str
    name: str


def villages(register: Register) -> list[Village]:
    """The villages with households in this register (and a village register's own).

    Read from the village index alone: a county's 300,000 people cost tens of
    milliseconds here.  Group counts come per village, when the tree opens it.
    """
    codes = {row[0] for row in register.conn.execute("SELECT DISTINCT village_code FROM household")}
    if register.role == "village":
        codes.add(register.area_code)
    codes = {code for code in codes if access.sees(register, code)}  # an account: its own
    names = areas.names(register, codes)
    return [Village(code, names[code]) for code in sorted(codes)]


def groups(register: Register, village_code: str) -> list[tuple[str, int]]:
    """The village's groups with their number of households."""
    rows = register.conn.execute(
        "SELECT group_no, count(*) FROM household WHERE village_code = ? AND deleted = 0 "
        "GROUP BY group_no ORDER BY group_no",
        (village_code,),
    )
    return [(str(group_no), int(count)) for group_no, count in rows]
