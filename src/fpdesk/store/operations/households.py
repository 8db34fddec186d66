"""Households and persons: a new household with its members, a new member, a correction,
and the ethnicity a form preselects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fpdesk.core import area, codes, validation
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.store import records, tables
from fpdesk.store.db import Register
from fpdesk.store.operations import form_input as form
from fpdesk.store.operations.lookups import current_marriage, id_holder

GROUP_NO = Text("村民小组号为 1 到 99。", "The village group number is 1 to 99.")
NOT_OUR_VILLAGE = Text(
    "“{code}”不是本登记册辖区内的村，请从列表中选择村。",
    "'{code}' is not a village of this register's area; choose the village from the list.",
)
HOUSEHOLD_TAKEN = Text("户编码 {code} 已经存在。", "Household code {code} already exists.")
ONE_HEAD = Text("一户要有且只有一位户主。", "A household has exactly one head.")
SAME_ID_TWICE = Text(
    "这个身份证号在本户中填了两次。", "This ID number is typed twice in this household."
)

# --- persons and households -------------------------------------------------------

# What a person's form may write; the household, a death and its cause are set by
# their own tasks.
PERSON_COLUMNS = tables.entered("person", leaving_out=("household_id", "death_date", "death_cause"))



def check_person(
    register: Register | None,
    fields: form.Fields,
    clock: Clock | None = None,
    *,
    person_id: str | None = None,
) -> dict[str, Text]:
    """Problems with a person's fields (ID number agreement and duplicates included).

    The form calls this as the officer types an ID number, and every save calls it:
    the two can never disagree.
    """
    row = {"household_id": "-", **form.clean(fields), "id": person_id}
    problems = form.Problems()
    problems.extend(
        validation.check_person(
            row, form.clock(clock), id_holder=id_holder(register) if register else None
        )
    )
    return dict(problems)


def _person_problems(
    register: Register,
    row: form.Fields,
    clock: Clock,
    problems: form.Problems,
    *,
    prefix: str = "",
    person_id: str | None = None,
) -> None:
    for name, text in check_person(register, row, clock, person_id=person_id).items():
        problems.add(name, text, prefix)
    # Every member says how they relate to the head: left out, the column's default
    # (0, head) would quietly give the household a second head.
    problems.required(row, "relationship", prefix=prefix)
    _ethnicity_asked(row, problems, prefix)
    if person_id is None:
        problems.extend(validation.check_spouse(row, clock), prefix)


def add_person(
    register: Register, household_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> str:
    """A new member of a household.  Returns the person's id."""
    form.existing(register, "household", household_id)
    row = form.clean(fields)
    problems = form.Problems()
    _person_problems(register, row, form.clock(clock), problems)
    problems.raise_any()
    with register.transaction():
        return records.insert(
            register, "person", {**form.pick(row, PERSON_COLUMNS), "household_id": household_id}
        )


def update_person(
    register: Register, person_id: str, fields: form.Fields, *, clock: Clock | None = None
) -> None:
    """Correct a person's details (the change is kept in the history and can be undone)."""
    current = form.existing(register, "person", person_id)
    typed = form.clean(fields)
    merged = {**current, **typed}
    problems = form.Problems()
    _person_problems(register, merged, form.clock(clock), problems, person_id=person_id)
    if any(merged.get(k) != current.get(k) for k in ("marital_status", "relationship")):
        # A marriage ends through divorce or death, which set the status themselves.
        married = current_marriage(register, person_id) is not None
        problems.extend(validation.check_spouse(merged, form.clock(clock), married=married))
    problems.raise_any()
    changed = {
        k: merged[k]
        for k in typed
        if k in PERSON_COLUMNS
        and current.get(k) != merged[k]
        and not (merged[k] is None and k in form.DEFAULTED)
    }
    with register.transaction():
        records.update(register, "person", person_id, changed)


def _not_married(who: str, person: Mapping[str, Any]) -> Text:
    return validation.message(
        "spouse.not_married",
        who=validation.WHO[who],
        value=codes.text("marital_status", str(person["marital_status"])),
    )


@dataclass(frozen=True)
class NewHousehold:
    household_id: str
    code: str
    member_ids: list[str]


def next_household_sequence(register: Register, village_code: str, group_no: str) -> int:
    rows = register.query(
        "SELECT max(CAST(substr(code, 15) AS INTEGER)) AS top FROM household "
        "WHERE village_code = ? AND group_no = ?",
        (village_code, group_no),
    )
    return int(rows[0]["top"] or 0) + 1


# --- ethnicity: asked for, with the area's and the household's usual one preselected ---

_ETHNICITY_KEY = "ethnicity_default:{area}"


def area_ethnicity(register: Register, area_code: str | None = None) -> str | None:
    """The ethnicity most people of an area have, as set for it (None: not set, and then
    no form preselects one: 汉族 is not assumed where many people are 壮族 or 瑶族).
    A village's own setting comes first, then the register's area's."""
    for code in dict.fromkeys(c for c in (area_code, register.area_code) if c):
        rows = register.query(
            "SELECT value FROM local_state WHERE key = ?", (_ETHNICITY_KEY.format(area=code),)
        )
        if rows and rows[0]["value"]:
            return str(rows[0]["value"])
    return None


def set_area_ethnicity(register: Register, code: str | None, area_code: str | None = None) -> None:
    """Set (or clear, with None) the area's usual ethnicity: a code of GB 3304."""
    if code is not None and not codes.exists("ethnicity", code):
        raise form.FormProblems({"ethnicity": validation.message(
            "code.unknown", label=validation.field_label("ethnicity"), value=code)})
    key = _ETHNICITY_KEY.format(area=area_code or register.area_code)
    with register.transaction():
        register.conn.execute(
            "INSERT INTO local_state (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, code),
        )


def household_ethnicity(register: Register, household_id: str) -> str | None:
    """The preselection for a new member: the head's ethnicity, else the one most of
    the members have, else the area's."""
    rows = register.query(
        "SELECT p.ethnicity FROM person p JOIN household h ON h.id = p.household_id "
        "WHERE p.household_id = ? AND p.deleted = 0 "
        "GROUP BY p.ethnicity ORDER BY max(p.id = h.head_id) DESC, count(*) DESC LIMIT 1",
        (household_id,),
    )
    if rows:
        return str(rows[0]["ethnicity"])
    home = records.get(register, "household", household_id)
    return area_ethnicity(register, home["village_code"] if home else None)


def _ethnicity_asked(row: form.Fields, problems: form.Problems, prefix: str = "") -> None:
    """A form that shows the ethnicity field wants an answer, not the column's default."""
    if "ethnicity" in row:
        problems.required(row, "ethnicity", prefix=prefix)


def household_villages(register: Register) -> list[tuple[str, str]]:
    """(code, name) of the villages a new household may belong to in this register: a
    village register's own; for a township, the villages of its area that the register
    knows (from the area table or from their households)."""
    own = register.area_code
    if area.level_of(own) == "village":
        found = [own]
    else:
        found = sorted(
            {
                str(r["code"])
                for r in register.query(
                    "SELECT code FROM area_unit WHERE level = 'village' "
                    "UNION SELECT DISTINCT village_code FROM household"
                )
                if _is_village(str(r["code"])) and area.contains(own, str(r["code"]))
            }
        )
    names = {
        str(r["code"]): str(r["name"])
        for r in register.query(
            "SELECT code, name FROM area_unit WHERE level = 'village' ORDER BY valid_from"
        )
    }
    return [(code, names.get(code, code)) for code in found]


def _is_village(code: str) -> bool:
    try:
        return area.level_of(code) == "village"
    except area.AreaCodeError:
        return False


def _household_village(register: Register, row: form.Fields, problems: form.Problems) -> str:
    """The village of a new household: the register's own, or the one the clerk chose."""
    chosen = str(row.get("village_code") or "")
    if not chosen and _is_village(register.area_code):
        return register.area_code
    if not chosen:
        problems.required(row, "village_code")
    elif not (_is_village(chosen) and area.contains(register.area_code, chosen)):
        problems.add("village_code", NOT_OUR_VILLAGE.format(code=chosen))
    return chosen


def add_household(
    register: Register,
    fields: form.Fields,
    members: Iterable[form.Fields] = (),
    *,
    clock: Clock | None = None,
) -> NewHousehold:
    """A household and its members, in one transaction.

    The member whose relationship is 0 (户主) becomes the head; the household code is
    the village code, the group and the next free sequence number in the group.
    form.Problems of member i come back keyed "m{i}.<field>".
    """
    clock = form.clock(clock)
    row = form.clean(fields)
    problems = form.Problems()
    problems.required(row, "group_no")
    group = str(row.get("group_no") or "")
    if group and not (group.isdigit() and 1 <= int(group) <= 99):
        problems.add("group_no", GROUP_NO)
    rows = [form.clean(member) for member in members]
    for i, member in enumerate(rows):
        _person_problems(register, member, clock, problems, prefix=f"m{i}.")
    village = _household_village(register, row, problems)
    heads = [i for i, member in enumerate(rows) if member.get("relationship") == 0]
    if rows and len(heads) != 1:
        problems.add(f"m{heads[1] if len(heads) > 1 else 0}.relationship", ONE_HEAD)
    elif heads and any(m.get("relationship") == validation.SPOUSE for m in rows):
        # The head of a household with a spouse in it is married too.
        head = rows[heads[0]]
        if head.get("marital_status") in validation.NOT_MARRIED:
            problems.add(f"m{heads[0]}.marital_status", _not_married("head", head))
    numbers = [member.get("id_number") for member in rows]
    for i, number in enumerate(numbers):
        if number and numbers.index(number) != i:
            problems.add(f"m{i}.id_number", SAME_ID_TWICE)
    problems.raise_any()
    group_no = f"{int(group):02d}"
    sequence = str(row.get("sequence") or "")
    number = int(sequence) if sequence.isdigit() else None
    code = area.household_code(
        village, group_no, number or next_household_sequence(register, village, group_no)
    )
    household = {
        "code": code,
        "village_code": village,
        "group_no": group_no,
        "address": row.get("address") or "",
        "phone": row.get("phone"),
        "registration_type": row.get("registration_type") or 2,
    }
    problems.extend(validation.check_household(household, clock))
    if register.query("SELECT 1 FROM household WHERE code = ? AND deleted = 0", (code,)):
        problems.add("sequence" if number else "group_no", HOUSEHOLD_TAKEN.format(code=code))
    problems.raise_any()
    with register.transaction():
        household_id = records.insert(register, "household", household)
        ids = [
            records.insert(
                register,
                "person",
                {**form.pick(member, PERSON_COLUMNS), "household_id": household_id},
            )
            for member in rows
        ]
        if heads:
            records.update(register, "household", household_id, {"head_id": ids[heads[0]]})
    return NewHousehold(household_id, code, ids)
