"""What an officer does to the register, one function per task.

The forms in the GUI and the command line call these, never SQL of their own.  Each
operation tidies what was typed (dates as 20240305 or 2024/3/5, codes as text), runs
the rules of core.validation over the record and the records it touches, and refuses
with every problem at once, keyed by field name, so a form can show each message next
to its field.  Only then does it write, and everything it writes goes in ONE
transaction: a birth that created the child but not the birth row cannot happen.
Every write goes through store.records, so the capture triggers log it as history.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fpdesk.core import area, codes, idnumber, policy, population, validation
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.store import audit, records
from fpdesk.store import population as store_population
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register

Fields = Mapping[str, Any]


class FormProblems(FpdeskError, ValueError):
    """The input was refused; `problems` maps each field at fault to its message."""

    def __init__(self, problems: Mapping[str, Text]) -> None:
        self.problems = dict(problems)
        listed = {
            lang: "; ".join(f"{name}: {text.get(lang)}" for name, text in self.problems.items())
            for lang in ("zh", "en")
        }
        super().__init__(Text(listed["zh"], listed["en"]))


class Problems(dict[str, Text]):
    """Problems of one input, the first per field; `prefix` names a member's fields."""

    def add(self, name: str, text: Text, prefix: str = "") -> None:
        """A second, different problem of the same field is shown after the first."""
        key = prefix + name
        before = self.get(key)
        if before is None:
            self[key] = text
        elif text.en not in before.en:
            self[key] = Text(before.zh + text.zh, f"{before.en} {text.en}")

    def extend(
        self,
        found: Iterable[validation.Problem],
        prefix: str = "",
        only: Iterable[str] | None = None,
    ) -> None:
        wanted = set(only) if only is not None else None
        for problem in found:
            if wanted is None or problem.field in wanted:
                self.add(problem.field, problem.message, prefix)

    def required(self, row: Fields, *names: str, prefix: str = "") -> None:
        for name in names:
            if validation.blank(row.get(name)):
                self.add(name, required(name), prefix)

    def raise_any(self) -> None:
        """Refuse if anything is wrong; inside `checks_only()`, stop here either way."""
        if self:
            raise FormProblems(self)
        if _CHECKS_ONLY.get():
            raise ChecksPassed()


_CHECKS_ONLY: ContextVar[bool] = ContextVar("checks_only", default=False)


class ChecksPassed(Exception):
    """Raised instead of writing inside `checks_only()`: the input would be accepted."""


@contextlib.contextmanager
def checks_only() -> Iterator[None]:
    """Run an operation's checks and stop before it writes anything.

    A form calls its save this way as the officer leaves each field, so the messages
    she sees while typing are the very ones a save would give.  Every operation checks
    everything before its first write, so nothing is written and no lock is taken.
    """
    token = _CHECKS_ONLY.set(True)
    try:
        yield
    finally:
        _CHECKS_ONLY.reset(token)


# --- messages that are about a task rather than a record ---------------------------

_LABELS = {
    "place": Text("地点", "place"),
    "end_reason": Text("原因", "reason"),
    "name": Text("姓名", "name"),
    "village_code": Text("所属村", "the village"),
}
BAD_DATE = Text(
    "日期请写成 YYYY-MM-DD 或 YYYYMMDD，例如 2020-03-15。",
    "Type the date as YYYY-MM-DD or YYYYMMDD, e.g. 2020-03-15.",
)
NOT_FOUND = Text(
    "找不到这条记录（可能已被删除）。", "This record was not found (it may have been deleted)."
)
ALREADY_DEAD = Text(
    "此人已登记死亡（{date}）。", "This person is already recorded as dead ({date})."
)
ALREADY_ENDED = Text("这条记录已经结束（{date}）。", "This record has already ended ({date}).")
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
NO_SPOUSE = Text(
    "请选择配偶，或填写外地配偶的姓名。",
    "Choose the spouse, or type the name of a spouse from outside.",
)
STILL_MARRIED = Text(
    "此人已有一段未结束的婚姻。", "This person already has a marriage that has not ended."
)
BEFORE_CURRENT_METHOD = Text(
    "早于正在使用的措施的开始日期（{date}）。",
    "Before the start of the method in use ({date}).",
)
NOTHING_TO_UNDO = Text("这条记录没有可以撤销的修改。", "This record has no change to undo.")


def required(name: str) -> Text:
    label = _LABELS.get(name) or validation.field_label(name)
    return validation.message("required", label=label)


# --- tidying what was typed ------------------------------------------------------

# Integer columns: a form gives "2", the register keeps 2.
_INT_FIELDS = {
    "sex",
    "marital_status",
    "relationship",
    "registration_type",
    "quantity",
    "weight_g",
    "alive",
}


def parse_date(value: Any) -> dt.date | None:
    """A date as officers type it: 2024-03-05, 20240305, 2024/3/5, 2024.3.5; None if not one."""
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        if text.isdigit() and len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        parts = text.replace("/", "-").replace(".", "-").split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4:
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None
    return None


def _is_date(name: str) -> bool:
    return name.endswith(("_on", "_date")) or name == "residence_since"


def clean(fields: Fields) -> dict[str, Any]:
    """Typed values as the register keeps them.  What cannot be tidied stays as typed,
    so that the rules report it in the officer's own words."""
    row: dict[str, Any] = {}
    for name, raw in fields.items():
        value = raw.strip() or None if isinstance(raw, str) else raw
        if isinstance(value, str):
            if _is_date(name):
                parsed = parse_date(value)
                value = parsed.isoformat() if parsed else value
            elif name in _INT_FIELDS and value.isdigit():
                value = int(value)
            elif name in ("id_number", "outside_spouse_id_number"):
                value = idnumber.normalise(value)
            elif name in ("name", "outside_spouse_name"):
                value = validation.tidy_name(value)
            elif name == "phone":
                value = validation.tidy_phone(value)
        row[name] = value
    return row


def _pick(row: Fields, columns: Iterable[str]) -> dict[str, Any]:
    """The row's values for a table's columns; absent NOT NULL columns keep their default."""
    return {c: row[c] for c in columns if c in row and not (row[c] is None and c in _DEFAULTED)}


# Columns with a NOT NULL default: leaving them out of an insert keeps the default.
_DEFAULTED = {
    "ethnicity",
    "marital_status",
    "relationship",
    "registration_type",
    "residence_status",
    "alive",
    "child_relation",
}


def _get(register: Register, table: str, row_id: str | None) -> dict[str, Any]:
    row = records.get(register, table, row_id) if row_id else None
    if row is None or row["deleted"]:
        raise FormProblems({"id": NOT_FOUND})
    return row


def _alive(problems: Problems, name: str, person: Mapping[str, Any]) -> None:
    if person.get("death_date"):
        problems.add(name, ALREADY_DEAD.format(date=person["death_date"]))


def _clock(clock: Clock | None) -> Clock:
    return clock or SystemClock()


# --- persons and households -------------------------------------------------------

PERSON_COLUMNS = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "legacy_id15",
    "ethnicity",
    "marital_status",
    "relationship",
    "registration_type",
    "residence_status",
    "residence_place",
    "residence_since",
    "phone",
    "note",
)


def id_holder(register: Register) -> validation.IdLookup:
    """The register's answer to "who already has this ID number?" for core.validation."""

    def lookup(number: str, person_id: str | None) -> validation.IdHolder | None:
        rows = register.query(
            "SELECT p.id, p.name, h.code FROM person p "
            "LEFT JOIN household h ON h.id = p.household_id "
            "WHERE p.id_number = ? AND p.deleted = 0 AND p.id IS NOT ?",
            (number, person_id),
        )
        if not rows:
            return None
        return validation.IdHolder(rows[0]["id"], rows[0]["name"], rows[0]["code"])

    return lookup


def check_person(
    register: Register | None,
    fields: Fields,
    clock: Clock | None = None,
    *,
    person_id: str | None = None,
) -> dict[str, Text]:
    """Problems with a person's fields (ID number agreement and duplicates included).

    The form calls this as the officer types an ID number, and every save calls it:
    the two can never disagree.
    """
    row = {"household_id": "-", **clean(fields), "id": person_id}
    problems = Problems()
    problems.extend(
        validation.check_person(
            row, _clock(clock), id_holder=id_holder(register) if register else None
        )
    )
    return dict(problems)


def _person_problems(
    register: Register,
    row: Fields,
    clock: Clock,
    problems: Problems,
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
    register: Register, household_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A new member of a household.  Returns the person's id."""
    _get(register, "household", household_id)
    row = clean(fields)
    problems = Problems()
    _person_problems(register, row, _clock(clock), problems)
    problems.raise_any()
    with register.transaction():
        return records.insert(
            register, "person", {**_pick(row, PERSON_COLUMNS), "household_id": household_id}
        )


def update_person(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """Correct a person's details (the change is kept in the history and can be undone)."""
    current = _get(register, "person", person_id)
    typed = clean(fields)
    merged = {**current, **typed}
    problems = Problems()
    _person_problems(register, merged, _clock(clock), problems, person_id=person_id)
    if any(merged.get(k) != current.get(k) for k in ("marital_status", "relationship")):
        # A marriage ends through divorce or death, which set the status themselves.
        married = current_marriage(register, person_id) is not None
        problems.extend(validation.check_spouse(merged, _clock(clock), married=married))
    problems.raise_any()
    changed = {
        k: merged[k]
        for k in typed
        if k in PERSON_COLUMNS
        and current.get(k) != merged[k]
        and not (merged[k] is None and k in _DEFAULTED)
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
        raise FormProblems({"ethnicity": validation.message(
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


def _ethnicity_asked(row: Fields, problems: Problems, prefix: str = "") -> None:
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


def _household_village(register: Register, row: Fields, problems: Problems) -> str:
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
    fields: Fields,
    members: Iterable[Fields] = (),
    *,
    clock: Clock | None = None,
) -> NewHousehold:
    """A household and its members, in one transaction.

    The member whose relationship is 0 (户主) becomes the head; the household code is
    the village code, the group and the next free sequence number in the group.
    Problems of member i come back keyed "m{i}.<field>".
    """
    clock = _clock(clock)
    row = clean(fields)
    problems = Problems()
    problems.required(row, "group_no")
    group = str(row.get("group_no") or "")
    if group and not (group.isdigit() and 1 <= int(group) <= 99):
        problems.add("group_no", GROUP_NO)
    rows = [clean(member) for member in members]
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
                register, "person", {**_pick(member, PERSON_COLUMNS), "household_id": household_id}
            )
            for member in rows
        ]
        if heads:
            records.update(register, "household", household_id, {"head_id": ids[heads[0]]})
    return NewHousehold(household_id, code, ids)


# --- marriage ---------------------------------------------------------------------


def current_marriage(
    register: Register, person_id: str, on: str | None = None
) -> dict[str, Any] | None:
    """The person's marriage in force on a date (default: one not yet ended)."""
    rows = register.query(
        "SELECT * FROM marriage WHERE deleted = 0 AND (wife_id = ? OR husband_id = ?) "
        "AND (? IS NULL OR married_on <= ?) "
        "AND (ended_on IS NULL OR (? IS NOT NULL AND ended_on > ?)) ORDER BY married_on DESC",
        (person_id, person_id, on, on, on, on),
    )
    return rows[0] if rows else None


MARRIAGE_COLUMNS = (
    "wife_id",
    "husband_id",
    "outside_spouse_name",
    "outside_spouse_id_number",
    "outside_spouse_address",
    "married_on",
)


def record_marriage(register: Register, fields: Fields, *, clock: Clock | None = None) -> str:
    """A marriage: wife_id and/or husband_id, or outside_spouse_* for a spouse from elsewhere.

    Each spouse in the register becomes first-married (21) or remarried (22).  A spouse
    "from elsewhere" whose ID number is in the register (another household, another
    group) is linked as that person, so the couple's children count for both.
    """
    row = clean(fields)
    _link_registered_spouse(register, row)
    problems = Problems()
    spouses = {}
    for name in ("wife_id", "husband_id"):
        if row.get(name):
            spouses[name] = _get(register, "person", row[name])
            _alive(problems, name, spouses[name])
            if current_marriage(register, row[name]):
                problems.add(name, STILL_MARRIED)
    problems.extend(
        validation.check_marriage(
            row, _clock(clock), wife=spouses.get("wife_id"), husband=spouses.get("husband_id")
        )
    )
    if len(spouses) == 1 and not row.get("outside_spouse_name"):
        problems.add("husband_id" if "wife_id" in spouses else "wife_id", NO_SPOUSE)
    outside_number = row.get("outside_spouse_id_number")
    if outside_number:
        try:
            idnumber.parse(outside_number)
        except idnumber.IdNumberError as exc:
            problems.add("outside_spouse_id_number", validation.message(exc.code))
    problems.raise_any()
    with register.transaction():
        marriage_id = records.insert(register, "marriage", _pick(row, MARRIAGE_COLUMNS))
        for person in spouses.values():
            before = register.query(
                "SELECT count(*) AS n FROM marriage WHERE deleted = 0 AND id != ? "
                "AND (wife_id = ? OR husband_id = ?)",
                (marriage_id, person["id"], person["id"]),
            )[0]["n"]
            status = 22 if before else 21
            if person["marital_status"] != status:
                records.update(register, "person", person["id"], {"marital_status": status})
    return marriage_id


def _link_registered_spouse(register: Register, row: dict[str, Any]) -> None:
    number = row.get("outside_spouse_id_number")
    for mine, theirs in (("wife_id", "husband_id"), ("husband_id", "wife_id")):
        if row.get(mine) and not row.get(theirs) and number:
            holder = id_holder(register)(str(number), None)
            if holder is not None:
                row[theirs] = holder.person_id
                for name in ("outside_spouse_name", "outside_spouse_id_number"):
                    row[name] = None
                row["outside_spouse_address"] = None


def record_divorce(
    register: Register, marriage_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """The end of a marriage by divorce: both spouses become divorced (40)."""
    marriage = _get(register, "marriage", marriage_id)
    row = clean(fields)
    problems = Problems()
    problems.required(row, "ended_on")
    if marriage["ended_on"]:
        problems.add("ended_on", ALREADY_ENDED.format(date=marriage["ended_on"]))
    ended = {**marriage, "ended_on": row.get("ended_on"), "end_reason": "divorce"}
    problems.extend(validation.check_marriage(ended, _clock(clock)), only=["ended_on"])
    problems.raise_any()
    with register.transaction():
        records.update(
            register,
            "marriage",
            marriage_id,
            {"ended_on": ended["ended_on"], "end_reason": "divorce"},
        )
        for person_id in (marriage["wife_id"], marriage["husband_id"]):
            if person_id:
                records.update(register, "person", person_id, {"marital_status": 40})


# --- pregnancy --------------------------------------------------------------------


def open_pregnancy(register: Register, woman_id: str) -> dict[str, Any] | None:
    rows = register.query(
        "SELECT * FROM pregnancy WHERE woman_id = ? AND deleted = 0 AND outcome IS NULL "
        "ORDER BY registered_on DESC",
        (woman_id,),
    )
    return rows[0] if rows else None


def register_pregnancy(
    register: Register, woman_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A pregnancy registered for tracking; the expected date defaults to LMP + 280 days."""
    woman = _get(register, "person", woman_id)
    row = {**clean(fields), "woman_id": woman_id}
    problems = Problems()
    _alive(problems, "woman_id", woman)
    problems.extend(validation.check_pregnancy(row, _clock(clock), woman=woman))
    problems.raise_any()
    last_period = row.get("last_period_on")
    if not row.get("expected_on") and last_period:
        row["expected_on"] = (
            dt.date.fromisoformat(last_period) + dt.timedelta(days=280)
        ).isoformat()
    marriage = current_marriage(register, woman_id, row["registered_on"])
    row["marriage_id"] = marriage["id"] if marriage else None
    columns = ("woman_id", "marriage_id", "registered_on", "last_period_on", "expected_on", "note")
    with register.transaction():
        return records.insert(register, "pregnancy", _pick(row, columns))


def record_pregnancy_outcome(
    register: Register, pregnancy_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """How a pregnancy ended.  A live birth also needs the birth form (the child)."""
    pregnancy = _get(register, "pregnancy", pregnancy_id)
    row = clean(fields)
    problems = Problems()
    problems.required(row, "outcome", "outcome_on")
    if pregnancy["outcome"]:
        problems.add("outcome", ALREADY_ENDED.format(date=pregnancy["outcome_on"]))
    ended = {**pregnancy, "outcome": row.get("outcome"), "outcome_on": row.get("outcome_on")}
    problems.extend(
        validation.check_pregnancy(ended, _clock(clock)), only=["outcome", "outcome_on"]
    )
    problems.raise_any()
    change = {"outcome": row["outcome"], "outcome_on": row["outcome_on"]}
    if row.get("note"):
        change["note"] = row["note"]
    with register.transaction():
        records.update(register, "pregnancy", pregnancy_id, change)


# --- birth ------------------------------------------------------------------------


@dataclass(frozen=True)
class BirthVerdict:
    """A birth's order for the couple and the rule that judged it."""

    order: policy.BirthOrder
    verdict: policy.Verdict
    rule_name: Text | None


@dataclass(frozen=True)
class NewBirth:
    birth_id: str
    child_id: str | None
    judged: BirthVerdict


def _facts(row: Mapping[str, Any], area_code: str) -> policy.BirthFacts:
    return policy.BirthFacts(
        id=str(row["id"]),
        mother_id=str(row["mother_id"]),
        father_id=row.get("father_id"),
        birth_date=dt.date.fromisoformat(str(row["birth_date"])),
        area_code=area_code,
        document_kind=row.get("document_kind"),
    )


def judge_birth(register: Register, birth: Mapping[str, Any]) -> BirthVerdict:
    """Order and verdict of one birth (saved or about to be), for its couple.

    Both spouses' births count, from any marriage; the rule set is the one in force on
    the birth date where the mother's household is.
    """
    mother = records.get(register, "person", str(birth["mother_id"]))
    household = records.get(register, "household", mother["household_id"]) if mother else None
    area_code = household["village_code"] if household else register.area_code
    rows = register.query(
        "SELECT id, mother_id, father_id, birth_date, document_kind FROM birth "
        "WHERE deleted = 0 AND id != ? AND (mother_id = ? OR father_id = ?)",
        (birth["id"], birth["mother_id"], birth.get("father_id")),
    )
    this = _facts(birth, area_code)
    orders = policy.birth_orders([*(_facts(r, area_code) for r in rows), this])
    order = orders[this.id]
    verdict = policy.judge(this, order)
    rule = next((r for r in policy.rule_sets() if r.id == verdict.rule_id), None)
    return BirthVerdict(order, verdict, rule.name if rule else None)


BIRTH_COLUMNS = (
    "pregnancy_id",
    "mother_id",
    "father_id",
    "marriage_id",
    "child_id",
    "birth_date",
    "sex",
    "weight_g",
    "place",
    "alive",
    "child_relation",
    "document_kind",
    "document_no",
    "note",
)
# The child's relationship to the household head follows the mother's.
_CHILD_OF = {0: {1: 2, 2: 3}, 1: {1: 2, 2: 3}, 2: {1: 4, 2: 4}, 3: {1: 4, 2: 4}}


def _birth_row(
    register: Register, mother_id: str, fields: Fields, problems: Problems, clock: Clock
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The birth row and the mother, checked; problems collected, not raised."""
    mother = _get(register, "person", mother_id)
    row: dict[str, Any] = {"alive": 1, "child_relation": "own", **clean(fields)}
    row["mother_id"] = mother_id
    row.setdefault("id", "(new)")
    born = row.get("birth_date") if parse_date(row.get("birth_date")) else None
    marriage = current_marriage(register, mother_id, born) if born else None
    if marriage:
        row.setdefault("marriage_id", marriage["id"])
        if not row.get("father_id"):
            row["father_id"] = marriage["husband_id"]
    father = records.get(register, "person", row["father_id"]) if row.get("father_id") else None
    pregnancy = None
    if not row.get("pregnancy_id") and born:
        pregnancy = _pregnancy_of_birth(register, mother_id, born)
        row["pregnancy_id"] = pregnancy["id"] if pregnancy else None
    elif row.get("pregnancy_id"):
        pregnancy = _get(register, "pregnancy", row["pregnancy_id"])
    _alive(problems, "mother_id", mother)
    problems.extend(
        validation.check_birth(row, clock, mother=mother, father=father, pregnancy=pregnancy)
    )
    return row, mother


def _pregnancy_of_birth(register: Register, mother_id: str, born: str) -> dict[str, Any] | None:
    """The pregnancy this birth ends: the open one, or one already ended by a live birth
    that day (the twin's)."""
    rows = register.query(
        "SELECT * FROM pregnancy WHERE woman_id = ? AND deleted = 0 AND registered_on <= ? "
        "AND (outcome IS NULL OR (outcome = 'live_birth' AND outcome_on = ?)) "
        "ORDER BY registered_on DESC LIMIT 1",
        (mother_id, born, born),
    )
    return rows[0] if rows else None


def preview_birth(
    register: Register, mother_id: str, fields: Fields, *, clock: Clock | None = None
) -> BirthVerdict | None:
    """What record_birth would compute, without writing: None until the date is typed."""
    problems = Problems()
    try:
        row, _ = _birth_row(register, mother_id, fields, problems, _clock(clock))
    except FormProblems:
        return None
    if "birth_date" in problems or not parse_date(row.get("birth_date")):
        return None
    # "~" sorts after every UUID: the new birth comes after same-day births already saved,
    # as it will once saved (UUIDv7 ids grow with time).
    return judge_birth(register, {**row, "id": "~new"})


def record_birth(
    register: Register, mother_id: str, fields: Fields, *, clock: Clock | None = None
) -> NewBirth:
    """A birth: the child joins the mother's household and the birth row is written, in
    one transaction; the pregnancy it ends gets its outcome.  Returns the birth order
    for the couple and the policy verdict with the rule that decided it.

    fields: the child's name, sex, birth_date, id_number (optional), weight_g, place,
    alive, child_relation, document_kind, document_no, note; father_id and
    pregnancy_id are found from the marriage and the open pregnancy when not given.
    """
    clock = _clock(clock)
    problems = Problems()
    row, mother = _birth_row(register, mother_id, fields, problems, clock)
    child: dict[str, Any] | None = None
    if row.get("alive") != 0:
        relation = _CHILD_OF.get(int(mother["relationship"]), {}).get(row.get("sex") or 0, 8)
        # The child's hukou and home are the mother's on the day (core.population): the
        # baby of a woman floating out is registered here and lives with her elsewhere;
        # the baby of a woman floating in is registered where she is.
        state = population.HERE
        if isinstance(row.get("birth_date"), str):
            state = population.state_on(
                store_population.history(register, mother_id),
                row["birth_date"],
                mother["residence_status"],
            )
        status = population.RESIDENCE_OF_STATE.get(state, "here")
        child = {
            "residence_status": status,
            "residence_place": None if status == "here" else mother["residence_place"],
            "residence_since": row.get("birth_date") if status != "here" else None,
            "name": row.get("name"),
            "sex": row.get("sex"),
            "birth_date": row.get("birth_date"),
            "id_number": row.get("id_number"),
            "relationship": relation,
            "registration_type": mother["registration_type"],
            "ethnicity": row.get("ethnicity") or mother["ethnicity"],
            "household_id": mother["household_id"],
        }
        problems.required(child, "name")
        problems.extend(
            validation.check_person(child, clock, id_holder=id_holder(register)),
            only=["name", "id_number", "ethnicity"],
        )
    in_place = _method_in_place(register, mother_id, row)
    choice = str(row.get("method_in_place") or "")
    if in_place is not None and choice not in METHOD_IN_PLACE_CHOICES:
        problems.add("method_in_place", _birth_during_method(in_place))
    problems.raise_any()
    with register.transaction():
        if in_place is not None:
            _settle_method_in_place(register, in_place, row, choice)
        child_id = None
        if child is not None:
            child_id = records.insert(
                register, "person", _pick(child, (*PERSON_COLUMNS, "household_id"))
            )
        row["child_id"] = child_id
        row["id"] = new_id()
        birth_id = records.insert(register, "birth", {**_pick(row, BIRTH_COLUMNS), "id": row["id"]})
        pregnancy = (
            records.get(register, "pregnancy", row["pregnancy_id"])
            if row.get("pregnancy_id")
            else None
        )
        if pregnancy and not pregnancy["outcome"]:
            records.update(
                register,
                "pregnancy",
                pregnancy["id"],
                {"outcome": "live_birth", "outcome_on": row["birth_date"]},
            )
        judged = judge_birth(register, row)
    return NewBirth(birth_id, child_id, judged)


# A birth while an IUD or implant is recorded as in place, with no pregnancy registered:
# the register contradicts itself, so the officer is asked what happened, and her answer
# is kept in the record of processing.
METHODS_IN_PLACE = ("iud", "implant")
METHOD_IN_PLACE_CHOICES = (
    "end",  # the method ended (removed, or it failed): end the episode on the birth date
    "pregnancy",  # record the pregnancy this birth ends, registered on the birth date
    "as_is",  # save as it is: the officer has checked and confirms
)
BIRTH_DURING_METHOD = Text(
    "登记的{method}（{started} 起）在出生日期仍在使用，也没有登记怀孕。请选择：结束该节育措施、"
    "补登这次怀孕，或核实后照样保存。",
    "The {method} recorded from {started} is still in place on the birth date, and no "
    "pregnancy was registered. Choose: end the method, record the pregnancy, or save as it "
    "is after checking.",
)


def _method_in_place(
    register: Register, mother_id: str, row: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The IUD or implant episode in place on the birth date, if no pregnancy is known."""
    born = row.get("birth_date")
    if row.get("pregnancy_id") or not parse_date(born):
        return None
    rows = register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0 AND started_on <= ? "
        "AND (ended_on IS NULL OR ended_on > ?) AND method IN (?, ?) "
        "ORDER BY started_on DESC LIMIT 1",
        (mother_id, born, born, *METHODS_IN_PLACE),
    )
    return rows[0] if rows else None


def _birth_during_method(episode: Mapping[str, Any]) -> Text:
    method = codes.text("contraceptive_method", episode["method"])
    return Text(
        BIRTH_DURING_METHOD.zh.format(method=method.zh, started=episode["started_on"]),
        BIRTH_DURING_METHOD.en.format(method=method.en, started=episode["started_on"]),
    )


def _settle_method_in_place(
    register: Register, episode: Mapping[str, Any], row: dict[str, Any], choice: str
) -> None:
    """Do what the officer chose (inside the birth's transaction) and log her answer."""
    born = str(row["birth_date"])
    if choice == "end":
        records.update(
            register, "contraception", episode["id"], {"ended_on": born, "end_reason": "pregnant"}
        )
    elif choice == "pregnancy":
        marriage = current_marriage(register, str(episode["woman_id"]), born)
        row["pregnancy_id"] = records.insert(
            register,
            "pregnancy",
            {
                "woman_id": episode["woman_id"],
                "marriage_id": marriage["id"] if marriage else None,
                "registered_on": born,
            },
        )
    audit.record(
        register,
        "warning_confirmed",
        {
            "warning": "birth_during_method",
            "woman_id": episode["woman_id"],
            "contraception_id": episode["id"],
            "method": episode["method"],
            "birth_date": born,
            "choice": choice,
        },
    )


# --- contraception, supplies, visits ------------------------------------------------


CONTRACEPTION_END = "contraception_end"  # the code table of why a method stopped


def open_contraception(register: Register, woman_id: str) -> dict[str, Any] | None:
    rows = register.query(
        "SELECT * FROM contraception WHERE woman_id = ? AND deleted = 0 AND ended_on IS NULL "
        "ORDER BY started_on DESC",
        (woman_id,),
    )
    return rows[0] if rows else None


def start_contraception(
    register: Register, woman_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A method started (an IUD inserted, pills begun...).  Counted under the woman even
    when it is her husband's sterilisation (then user_id names him).  A method still
    open is closed on the same day: a woman uses one method at a time in the register.
    """
    woman = _get(register, "person", woman_id)
    row = {**clean(fields), "woman_id": woman_id}
    problems = Problems()
    _alive(problems, "woman_id", woman)
    if row.get("method") == "male_sterilisation" and not row.get("user_id"):
        marriage = current_marriage(register, woman_id, row.get("started_on"))
        row["user_id"] = marriage["husband_id"] if marriage else None
    user = records.get(register, "person", row["user_id"]) if row.get("user_id") else None
    problems.extend(validation.check_contraception(row, _clock(clock), woman=woman, user=user))
    previous = open_contraception(register, woman_id)
    if previous and row.get("started_on") and str(row["started_on"]) < previous["started_on"]:
        problems.add("started_on", BEFORE_CURRENT_METHOD.format(date=previous["started_on"]))
    problems.raise_any()
    columns = ("woman_id", "user_id", "method", "started_on", "provider", "note")
    with register.transaction():
        if previous:
            records.update(
                register,
                "contraception",
                previous["id"],
                {"ended_on": row["started_on"], "end_reason": "switched"},  # a code
            )
        return records.insert(register, "contraception", _pick(row, columns))


def stop_contraception(
    register: Register, contraception_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """A method stopped (IUD removed, pills stopped): the date and the woman's reason."""
    episode = _get(register, "contraception", contraception_id)
    row = clean(fields)
    problems = Problems()
    problems.required(row, "ended_on", "end_reason")
    reason = row.get("end_reason")
    if reason and not codes.exists(CONTRACEPTION_END, reason):
        # A code, shown in the reader's language: free text would print as typed in
        # whatever language the form was in.
        problems.add("end_reason", validation.message(
            "code.unknown", label=_LABELS["end_reason"], value=reason))
    if episode["ended_on"]:
        problems.add("ended_on", ALREADY_ENDED.format(date=episode["ended_on"]))
    ended = {**episode, "ended_on": row.get("ended_on")}
    problems.extend(validation.check_contraception(ended, _clock(clock)), only=["ended_on"])
    problems.raise_any()
    change = {"ended_on": row["ended_on"], "end_reason": row["end_reason"]}
    if row.get("note"):
        change["note"] = row["note"]
    with register.transaction():
        records.update(register, "contraception", contraception_id, change)


def record_supply(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """Contraceptives handed out (the 药具发放登记册 line): date, item, quantity."""
    person = _get(register, "person", person_id)
    row = {**clean(fields), "person_id": person_id}
    problems = Problems()
    problems.extend(validation.check_supply(row, _clock(clock), person=person))
    problems.raise_any()
    columns = ("person_id", "handed_on", "item", "quantity", "handed_by")
    with register.transaction():
        return records.insert(register, "supply", _pick(row, columns))


def record_visit(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A follow-up or service visit.  follows_table/follows_id name the event it follows
    (an IUD insertion, a pregnancy, a birth), so the due list knows it is done."""
    person = _get(register, "person", person_id)
    row = {**clean(fields), "person_id": person_id}
    problems = Problems()
    follows = None
    table, follows_id = row.get("follows_table"), row.get("follows_id")
    if table and follows_id:
        follows = records.get(register, table, follows_id) if table in REPLICATED else None
        if follows is None:
            problems.add("follows_id", NOT_FOUND)
    problems.extend(validation.check_visit(row, _clock(clock), person=person, follows=follows))
    problems.raise_any()
    columns = (
        "person_id",
        "visit_type",
        "visited_on",
        "visited_by",
        "result",
        "follows_table",
        "follows_id",
        "note",
    )
    with register.transaction():
        return records.insert(register, "visit", _pick(row, columns))


# --- moves and deaths ---------------------------------------------------------------

MOVE_COLUMNS = ("person_id", "kind", "moved_on", "place", "reason")
# What the place of each kind of move means, for the message when it is missing.
PLACE_NEEDED = {
    population.TRANSFER_IN: Text("请填写迁入前的户籍地。", "Type where the hukou came from."),
    population.TRANSFER_OUT: Text("请填写迁往何处。", "Type where the hukou moves to."),
    population.FLOAT_OUT: Text(
        "请填写流出去向（现居住地）。", "Type where the person now lives (the place of 流出)."
    ),
    population.FLOAT_IN: Text("请填写户籍所在地。", "Type where the person is registered."),
}
UNKNOWN_KIND = Text(
    "请选择迁移类别（迁入、迁出、流出、返回、流入、离开）。",
    "Choose the kind of move (transfer in or out, float out, return, float in, leave).",
)
CLOSE_QUESTION = Text(
    "{name}是这一户（{code}）最后一位户籍人口。迁出后是否注销这一户（销户）？",
    "{name} is the last registered member of household {code}. Close the household "
    "(销户) after the transfer out?",
)
CLOSED_BY_TRANSFER = "last_member_transferred_out"


class CloseHouseholdQuestion(Exception):
    """A 迁出 would leave a household without registered members: the officer must say
    whether to close it (销户).  Call `record_move` again with `close_household`."""

    def __init__(self, household_id: str, question: Text) -> None:
        self.household_id = household_id
        self.question = question
        super().__init__(question.en)


def _move_problems(register: Register, person: Mapping[str, Any], row: Fields) -> Problems:
    """Whether the move fits the person's history (core.population): the place it
    needs, and a step her state on that day allows, that later moves still allow."""
    problems = Problems()
    kind = row.get("kind")
    if kind not in population.RULES:
        problems.add("kind", UNKNOWN_KIND)
        return problems
    if population.RULES[kind].needs_place and validation.blank(row.get("place")):
        problems.add("place", PLACE_NEEDED[kind])
    day = row.get("moved_on")
    if isinstance(day, str) and parse_date(day) is not None:
        newcomer = not person.get("id")
        moves = [] if newcomer else store_population.history(register, person["id"])
        wrong = population.check_new_move(
            moves, person.get("residence_status", "here"), kind, day, newcomer=newcomer
        )
        if wrong is not None:
            problems.add("moved_on", wrong)
    return problems


def _registered_others(register: Register, person: Mapping[str, Any], day: str) -> bool:
    """Whether anyone else of the person's household is still registered after `day`."""
    others = register.query(
        "SELECT id, residence_status, birth_date, death_date FROM person "
        "WHERE household_id = ? AND id != ? AND deleted = 0",
        (person["household_id"], person["id"]),
    )
    moves = store_population.histories(register, [o["id"] for o in others])
    return any(
        population.person_counts(
            population.REGISTERED,
            moves.get(o["id"], ()),
            day,
            residence_status=o["residence_status"],
            birth_date=o["birth_date"],
            death_date=o["death_date"],
        )
        for o in others
    )


def _opening_move(person: Mapping[str, Any], kind: str, day: str) -> dict[str, Any] | None:
    """The move her record implies, written before her first move when that move alone
    would misstate where she was before it (core.population reads the time before a
    first move from the move).  A person entered as floating in (流入) who now settles
    her hukou here (迁入) was floating in before it, not outside the register; one entered
    as floating out who now transfers out was floating out.  Dated since when her record
    says so (else since her birth, as her record has it), and before the move's day."""
    before = population.STATE_OF_RESIDENCE.get(person["residence_status"], population.HERE)
    if before == population.RULES[kind].first_before:
        return None
    opening = {population.FLOAT_IN: population.FLOAT_IN, population.FLOAT_OUT: population.FLOAT_OUT}
    implied = opening.get(before)
    if implied is None:
        return None
    since = person.get("residence_since") or person["birth_date"]
    eve = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    return {
        "person_id": person["id"],
        "kind": implied,
        "moved_on": min(since, eve),
        "place": person.get("residence_place") or "—",
        "reason": "登记时的居住状态",
    }


def record_move(
    register: Register,
    person_id: str,
    fields: Fields,
    *,
    clock: Clock | None = None,
    close_household: bool | None = None,
) -> str:
    """A move of a person already on the register (core.population's six kinds).

    Registration events (迁入, 迁出) move her hukou; residence events (流出/返回,
    流入/离开) only where she lives.  The move must fit her history: a 返回 needs a
    流出 before it, a 迁入 cannot come while she is registered here.  Her record's
    residence status follows, in the same transaction.  A 迁出 of a household's last
    registered member raises CloseHouseholdQuestion unless `close_household` says
    whether to close the household (销户); a closing is written on the household.
    """
    person = _get(register, "person", person_id)
    row = {**clean(fields), "person_id": person_id}
    problems = Problems()
    _alive(problems, "moved_on", person)
    problems.extend(validation.check_move(row, _clock(clock), person=person))
    for name, text in _move_problems(register, person, row).items():
        problems.add(name, text)
    problems.raise_any()
    kind, day = row["kind"], row["moved_on"]
    closing = False
    if kind == population.TRANSFER_OUT and not _registered_others(register, person, day):
        household = _get(register, "household", person["household_id"])
        if close_household is None:
            raise CloseHouseholdQuestion(
                household["id"], CLOSE_QUESTION.format(name=person["name"], code=household["code"])
            )
        closing = close_household
    history = store_population.history(register, person_id)
    after = population.final_state(
        population.with_move(history, day, kind), person["residence_status"]
    )
    opening = None if history else _opening_move(person, kind, day)
    with register.transaction():
        if opening is not None:
            records.insert(register, "move", opening)
        move_id = records.insert(register, "move", _pick(row, MOVE_COLUMNS))
        status = population.RESIDENCE_OF_STATE.get(after, person["residence_status"])
        records.update(
            register,
            "person",
            person_id,
            {
                "residence_status": status,
                "residence_place": None if after == population.HERE else row.get("place"),
                "residence_since": day,
            },
        )
        if closing:
            records.update(
                register,
                "household",
                person["household_id"],
                {"closed_on": day, "close_reason": CLOSED_BY_TRANSFER},
            )
    return move_id


def record_move_in(
    register: Register,
    household_id: str,
    person_fields: Fields,
    move_fields: Fields,
    *,
    clock: Clock | None = None,
) -> str:
    """Someone new comes into a household: the person and the move, in one transaction.

    The move is a 迁入 (her hukou comes here; the default) or a 流入 (she lives here,
    registered elsewhere: the place is where she is registered).
    """
    clock = _clock(clock)
    _get(register, "household", household_id)
    person = clean(person_fields)
    move = {"kind": population.TRANSFER_IN, **clean(move_fields), "person_id": "(new)"}
    problems = Problems()
    _person_problems(register, person, clock, problems)
    problems.extend(validation.check_move(move, clock, person=person))
    if move["kind"] not in (population.TRANSFER_IN, population.FLOAT_IN):
        problems.add("kind", UNKNOWN_KIND)
    else:
        # A new person (no id yet) starts outside the register.
        for name, text in _move_problems(register, {}, move).items():
            problems.add(name, text)
    problems.raise_any()
    status = "in" if move["kind"] == population.FLOAT_IN else "here"
    with register.transaction():
        person_id = records.insert(
            register,
            "person",
            {
                **_pick(person, PERSON_COLUMNS),
                "household_id": household_id,
                "residence_status": status,
                "residence_place": move.get("place") if status == "in" else None,
                "residence_since": move["moved_on"],
            },
        )
        records.insert(register, "move", _pick({**move, "person_id": person_id}, MOVE_COLUMNS))
    return person_id


def record_death(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """A death.  An open marriage ends (the spouse is widowed) and an open contraception
    episode of the person ends, in the same transaction.
    """
    person = _get(register, "person", person_id)
    row = clean(fields)
    problems = Problems()
    problems.required(row, "death_date")
    _alive(problems, "death_date", person)
    died = {**person, "death_date": row.get("death_date")}
    problems.extend(validation.check_person(died, _clock(clock)), only=["death_date"])
    problems.raise_any()
    death_date = row["death_date"]
    with register.transaction():
        records.update(
            register,
            "person",
            person_id,
            {"death_date": death_date, "death_cause": row.get("death_cause")},
        )
        marriage = current_marriage(register, person_id)
        if marriage:
            records.update(
                register,
                "marriage",
                marriage["id"],
                {"ended_on": death_date, "end_reason": "widowed"},
            )
            spouse = (
                marriage["husband_id"] if marriage["wife_id"] == person_id else marriage["wife_id"]
            )
            if spouse:
                records.update(register, "person", spouse, {"marital_status": 30})
        for episode in register.query(
            "SELECT id FROM contraception WHERE deleted = 0 AND ended_on IS NULL "
            "AND (woman_id = ? OR user_id = ?)",
            (person_id, person_id),
        ):
            records.update(
                register,
                "contraception",
                episode["id"],
                {"ended_on": death_date, "end_reason": "death"},
            )


# --- history: undo ------------------------------------------------------------------


def undo_last_change(register: Register, row_id: str) -> int:
    """Revert the newest change of one record by writing its old values back.

    The undo is itself a change (captured, sent, shown in the history), never a
    deletion from the log: the township must see it, and so must the officer.
    An insert is undone by a tombstone.  Returns the change_log seq that was undone.
    """
    rows = register.query(
        "SELECT seq, tbl, op, old, new FROM change_log WHERE row_id = ? ORDER BY seq DESC LIMIT 1",
        (row_id,),
    )
    if not rows:
        raise FormProblems({"id": NOTHING_TO_UNDO})
    last = rows[0]
    table = str(last["tbl"])
    with register.transaction():
        if last["op"] == "insert":
            records.delete(register, table, row_id)
        else:
            old = json.loads(last["old"])
            new = json.loads(last["new"]) if last["new"] else {}
            back = {k: v for k, v in old.items() if k != "id" and new.get(k) != v}
            if not back:
                raise FormProblems({"id": NOTHING_TO_UNDO})
            records.update(register, table, row_id, back)
    return int(last["seq"])


# --- drafts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """A form the officer had not saved: what kind, opened for what, and what was typed."""

    id: str
    kind: str
    context: dict[str, Any]
    values: dict[str, Any]
    saved_at: str


def save_draft(
    register: Register,
    draft_id: str | None,
    kind: str,
    context: Mapping[str, Any],
    values: Mapping[str, Any],
) -> str:
    """Keep (or refresh) a form's unsaved values; returns the draft's id."""
    draft_id = draft_id or new_id()
    with register.transaction() as conn:
        conn.execute(
            'INSERT INTO draft (id, kind, context, "values", saved_at) VALUES (?, ?, ?, ?, ?) '
            "ON CONFLICT (id) DO UPDATE SET context = excluded.context, "
            '"values" = excluded."values", saved_at = excluded.saved_at',
            (
                draft_id,
                kind,
                json.dumps(dict(context), ensure_ascii=False),
                json.dumps(dict(values), ensure_ascii=False),
                dt.datetime.now().isoformat(timespec="seconds"),
            ),
        )
    return draft_id


def drop_draft(register: Register, draft_id: str) -> None:
    with register.transaction() as conn:
        conn.execute("DELETE FROM draft WHERE id = ?", (draft_id,))


def drafts(register: Register) -> list[Draft]:
    """Every unsaved form, oldest first."""
    return [
        Draft(
            id=row["id"],
            kind=row["kind"],
            context=json.loads(row["context"]),
            values=json.loads(row["values"]),
            saved_at=row["saved_at"],
        )
        for row in register.query(
            'SELECT id, kind, context, "values", saved_at FROM draft ORDER BY saved_at, id'
        )
    ]
