"""What an officer does to the register, one function per task.

The forms in the GUI and the command line call these, never SQL of their own.  Each
operation checks its input first (all problems at once, keyed by field name, so a
form can show every message next to its field), then writes everything it touches in
ONE transaction: a birth that created the child but not the birth row cannot happen.
Every write goes through store.records, so the capture triggers log it as history.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import area, codes, idnumber
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text
from fpdesk.core.ids import new_id
from fpdesk.store import records
from fpdesk.store.db import Register

Fields = Mapping[str, Any]


class FormProblems(ValueError):
    """The input was refused; `problems` maps each field at fault to its message."""

    def __init__(self, problems: Mapping[str, Text]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(f"{name}: {text}" for name, text in self.problems.items()))


# --- messages ---------------------------------------------------------------------

REQUIRED = Text("必须填写。", "Required.")
BAD_DATE = Text("日期请写成 YYYY-MM-DD 或 YYYYMMDD。", "Type the date as YYYY-MM-DD or YYYYMMDD.")
FUTURE_DATE = Text("日期不能晚于今天。", "The date cannot be later than today.")
BAD_NUMBER = Text("请填写一个正整数。", "Type a whole number greater than zero.")
BAD_CODE = Text("请从列表中选择。", "Choose a value from the list.")
ID_MESSAGES = {
    "id.shape": Text(
        "身份证号应为 18 位：17 位数字加 1 位校验码（数字或 X）。",
        "An ID number has 18 characters: 17 digits and a check digit or X.",
    ),
    "id.date": Text(
        "身份证号中的出生日期不存在。", "The birth date inside the ID number does not exist."
    ),
    "id.checksum": Text(
        "身份证号校验码不对，请核对每一位。",
        "The ID number's check digit is wrong: check each digit.",
    ),
    "id.legacy15": Text(
        "15 位旧身份证号请填在“旧证号”一栏。",
        "Old 15-digit numbers go in the legacy number field.",
    ),
}
ID_BIRTH_MISMATCH = Text(
    "出生日期与身份证号不一致（证号中为 {date}）。",
    "The birth date disagrees with the ID number (which says {date}).",
)
ID_SEX_MISMATCH = Text(
    "性别与身份证号不一致（证号中为{sex}）。",
    "The sex disagrees with the ID number (which says {sex}).",
)
ID_TAKEN = Text(
    "这个身份证号已登记在 {name}（户 {household}）名下。",
    "This ID number is already registered to {name} (household {household}).",
)
NOT_FOUND = Text(
    "找不到这条记录（可能已被删除）。", "This record was not found (it may have been deleted)."
)
BEFORE = Text("不能早于{what}（{date}）。", "Cannot be before {what_en} ({date}).")
MOTHER_TOO_YOUNG = Text(
    "母亲出生于 {date}，生育时不满 12 岁，请核对日期。",
    "The mother was born on {date}: under 12 at this birth. Check the dates.",
)
NOT_A_WOMAN = Text("此人登记为男性。", "This person is recorded as male.")
ALREADY_DEAD = Text(
    "此人已登记死亡（{date}）。", "This person is already recorded as dead ({date})."
)
ALREADY_ENDED = Text("这条记录已经结束（{date}）。", "This record has already ended ({date}).")
GROUP_NO = Text("村民小组号为 1 到 99。", "The village group number is 1 to 99.")
HOUSEHOLD_TAKEN = Text("户编码 {code} 已经存在。", "Household code {code} already exists.")
ONE_HEAD = Text("一户只能有一位户主。", "A household has exactly one head.")
NO_SPOUSE = Text(
    "请选择配偶，或填写外地配偶的姓名。",
    "Choose the spouse, or type the name of a spouse from outside.",
)
STILL_MARRIED = Text(
    "此人已有一段未结束的婚姻。", "This person already has a marriage that has not ended."
)
NOTHING_TO_UNDO = Text("这条记录没有可以撤销的修改。", "This record has no change to undo.")

_SEX_NAMES = {1: Text("男", "male"), 2: Text("女", "female")}


# --- checking input --------------------------------------------------------------


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


@dataclass
class Checker:
    """Collects every problem of one input, then raises them together."""

    fields: Fields
    clock: Clock
    problems: dict[str, Text] = field(default_factory=dict)
    prefix: str = ""

    def fail(self, name: str, text: Text) -> None:
        self.problems.setdefault(self.prefix + name, text)

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = str(self.fields.get(name) or "").strip()
        if not value:
            if required:
                self.fail(name, REQUIRED)
            return None
        return value

    def date(self, name: str, *, required: bool = False, future_ok: bool = False) -> str | None:
        raw = self.fields.get(name)
        if raw is None or str(raw).strip() == "":
            if required:
                self.fail(name, REQUIRED)
            return None
        parsed = parse_date(raw)
        if parsed is None:
            self.fail(name, BAD_DATE)
            return None
        if not future_ok and parsed > self.clock.today():
            self.fail(name, FUTURE_DATE)
        return parsed.isoformat()

    def number(self, name: str, *, required: bool = False) -> int | None:
        raw = str(self.fields.get(name) or "").strip()
        if not raw:
            if required:
                self.fail(name, REQUIRED)
            return None
        if not raw.isdigit() or int(raw) <= 0:
            self.fail(name, BAD_NUMBER)
            return None
        return int(raw)

    def code(self, name: str, allowed: Iterable[Any], *, required: bool = False) -> Any:
        raw = self.fields.get(name)
        if raw is None or str(raw).strip() == "":
            if required:
                self.fail(name, REQUIRED)
            return None
        for option in allowed:
            if str(option) == str(raw).strip():
                return option
        self.fail(name, BAD_CODE)
        return None

    def not_before(self, name: str, value: str | None, earlier: str | None, what: Text) -> None:
        if value and earlier and value < earlier:
            self.fail(name, BEFORE.format(what=what.zh, what_en=what.en, date=earlier))

    def done(self) -> None:
        if self.problems:
            raise FormProblems(self.problems)


def _codes(table: str) -> list[str]:
    return codes.codes(table)


def _int_codes(table: str) -> list[int]:
    return [int(key) for key in _codes(table)]


def _get(register: Register, table: str, row_id: str | None) -> dict[str, Any]:
    row = records.get(register, table, row_id) if row_id else None
    if row is None or row["deleted"]:
        raise FormProblems({"id": NOT_FOUND})
    return row


def _alive(check: Checker, name: str, person: Mapping[str, Any]) -> None:
    if person.get("death_date"):
        check.fail(name, ALREADY_DEAD.format(date=person["death_date"]))


# --- persons and households -------------------------------------------------------


def check_id_number(
    register: Register | None,
    number: str,
    *,
    birth_date: str | None = None,
    sex: int | None = None,
    person_id: str | None = None,
) -> dict[str, Text]:
    """Problems with an ID number, keyed by the field at fault (id_number, birth_date, sex).

    Used as the officer types as well as on save, so the two can never disagree.
    """
    problems: dict[str, Text] = {}
    try:
        facts = idnumber.parse(number)
    except idnumber.IdNumberError as exc:
        return {"id_number": ID_MESSAGES[exc.code]}
    if birth_date and birth_date != facts.birth_date.isoformat():
        problems["birth_date"] = ID_BIRTH_MISMATCH.format(date=facts.birth_date.isoformat())
    if sex in (1, 2) and sex != facts.sex:
        name = _SEX_NAMES[facts.sex]
        problems["sex"] = Text(
            ID_SEX_MISMATCH.zh.format(sex=name.zh), ID_SEX_MISMATCH.en.format(sex=name.en)
        )
    if register is not None:
        holder = register.query(
            "SELECT p.id, p.name, h.code FROM person p JOIN household h ON h.id = p.household_id "
            "WHERE p.id_number = ? AND p.deleted = 0 AND p.id IS NOT ?",
            (idnumber.normalise(number), person_id),
        )
        if holder:
            problems["id_number"] = ID_TAKEN.format(
                name=holder[0]["name"], household=holder[0]["code"]
            )
    return problems


def _person_row(
    register: Register,
    fields: Fields,
    clock: Clock,
    *,
    prefix: str = "",
    person_id: str | None = None,
    problems: dict[str, Text] | None = None,
) -> dict[str, Any]:
    """Check one person's fields; returns the row to write (problems collected, not raised)."""
    check = Checker(fields, clock, problems if problems is not None else {}, prefix)
    row: dict[str, Any] = {}
    row["name"] = check.text("name", required=True)
    row["sex"] = check.code("sex", _int_codes("sex"), required=True)
    row["birth_date"] = check.date("birth_date", required=True)
    number = check.text("id_number")
    if number:
        row["id_number"] = idnumber.normalise(number)
        for name, text in check_id_number(
            register,
            number,
            birth_date=row["birth_date"],
            sex=row["sex"],
            person_id=person_id,
        ).items():
            check.fail(name, text)
    elif "id_number" in fields:
        row["id_number"] = None
    for name, table in (
        ("marital_status", "marital_status"),
        ("relationship", "relationship"),
        ("registration_type", "registration_type"),
    ):
        if name in fields:
            row[name] = check.code(name, _int_codes(table))
    if "residence_status" in fields:
        row["residence_status"] = check.code("residence_status", _codes("residence_status"))
    for name in ("phone", "note", "ethnicity", "legacy_id15", "residence_place"):
        if name in fields:
            row[name] = check.text(name)
    if row.get("ethnicity") is None:
        row.pop("ethnicity", None)
    return {key: value for key, value in row.items() if not (value is None and key in _DEFAULTED)}


# Columns with a NOT NULL default: leaving them out of an insert keeps the default.
_DEFAULTED = {"marital_status", "relationship", "registration_type", "residence_status"}


def add_person(
    register: Register, household_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A new member of a household.  Returns the person's id."""
    clock = clock or SystemClock()
    _get(register, "household", household_id)
    problems: dict[str, Text] = {}
    row = _person_row(register, fields, clock, problems=problems)
    if problems:
        raise FormProblems(problems)
    with register.transaction():
        return records.insert(register, "person", {**row, "household_id": household_id})


def update_person(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """Correct a person's details (the change is kept in the history and can be undone)."""
    clock = clock or SystemClock()
    current = _get(register, "person", person_id)
    merged = {**current, **fields}
    problems: dict[str, Text] = {}
    row = _person_row(register, merged, clock, person_id=person_id, problems=problems)
    if problems:
        raise FormProblems(problems)
    changed = {k: v for k, v in row.items() if k in fields and current.get(k) != v}
    with register.transaction():
        records.update(register, "person", person_id, changed)


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
    clock = clock or SystemClock()
    check = Checker(fields, clock)
    group = check.number("group_no", required=True)
    if group is not None and not 1 <= group <= 99:
        check.fail("group_no", GROUP_NO)
    registration = check.code("registration_type", _int_codes("registration_type"))
    address = check.text("address") or ""
    phone = check.text("phone")
    rows = []
    for i, member in enumerate(members):
        rows.append(_person_row(register, member, clock, prefix=f"m{i}.", problems=check.problems))
    heads = [i for i, row in enumerate(rows) if row.get("relationship") == 0]
    if rows and len(heads) != 1:
        check.fail(f"m{heads[1] if len(heads) > 1 else 0}.relationship", ONE_HEAD)
    numbers = [row.get("id_number") for row in rows if row.get("id_number")]
    for i, row in enumerate(rows):
        if row.get("id_number") and numbers.count(row["id_number"]) > 1:
            check.fail(f"m{i}.id_number", ID_TAKEN.format(name=row["name"], household="-"))
    check.done()
    village = register.area_code
    group_no = f"{group:02d}"
    sequence = check.number("sequence") or next_household_sequence(register, village, group_no)
    code = area.household_code(village, group_no, sequence)
    if register.query("SELECT 1 FROM household WHERE code = ? AND deleted = 0", (code,)):
        raise FormProblems({"sequence": HOUSEHOLD_TAKEN.format(code=code)})
    with register.transaction():
        household_id = records.insert(
            register,
            "household",
            {
                "code": code,
                "village_code": village,
                "group_no": group_no,
                "address": address,
                "phone": phone,
                "registration_type": registration if registration is not None else 2,
            },
        )
        ids = [
            records.insert(register, "person", {**row, "household_id": household_id})
            for row in rows
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


def record_marriage(register: Register, fields: Fields, *, clock: Clock | None = None) -> str:
    """A marriage: wife_id and/or husband_id, or outside_spouse_* for a spouse from elsewhere."""
    clock = clock or SystemClock()
    check = Checker(fields, clock)
    married_on = check.date("married_on", required=True)
    wife_id = check.text("wife_id")
    husband_id = check.text("husband_id")
    outside_name = check.text("outside_spouse_name")
    outside_number = check.text("outside_spouse_id_number")
    if outside_number:
        try:
            idnumber.parse(outside_number)
        except idnumber.IdNumberError as exc:
            check.fail("outside_spouse_id_number", ID_MESSAGES[exc.code])
    if not (wife_id and husband_id) and not outside_name:
        check.fail("husband_id" if wife_id else "wife_id", NO_SPOUSE)
    spouses = []
    for name, person_id in (("wife_id", wife_id), ("husband_id", husband_id)):
        if person_id:
            person = _get(register, "person", person_id)
            _alive(check, name, person)
            if current_marriage(register, person_id):
                check.fail(name, STILL_MARRIED)
            check.not_before(
                "married_on", married_on, person["birth_date"], Text("出生日期", "birth date")
            )
            spouses.append((person_id, person))
    check.done()
    with register.transaction():
        marriage_id = records.insert(
            register,
            "marriage",
            {
                "wife_id": wife_id,
                "husband_id": husband_id,
                "outside_spouse_name": outside_name,
                "outside_spouse_id_number": idnumber.normalise(outside_number)
                if outside_number
                else None,
                "outside_spouse_address": check.text("outside_spouse_address"),
                "married_on": married_on,
            },
        )
        for person_id, person in spouses:
            before = register.query(
                "SELECT count(*) AS n FROM marriage WHERE deleted = 0 AND id != ? "
                "AND (wife_id = ? OR husband_id = ?)",
                (marriage_id, person_id, person_id),
            )[0]["n"]
            status = 22 if before else 21
            if person["marital_status"] != status:
                records.update(register, "person", person_id, {"marital_status": status})
    return marriage_id


def record_divorce(
    register: Register, marriage_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """The end of a marriage by divorce: both spouses become divorced (40)."""
    clock = clock or SystemClock()
    marriage = _get(register, "marriage", marriage_id)
    check = Checker(fields, clock)
    ended_on = check.date("ended_on", required=True)
    if marriage["ended_on"]:
        check.fail("ended_on", ALREADY_ENDED.format(date=marriage["ended_on"]))
    check.not_before("ended_on", ended_on, marriage["married_on"], Text("结婚日期", "the marriage"))
    check.done()
    with register.transaction():
        records.update(
            register, "marriage", marriage_id, {"ended_on": ended_on, "end_reason": "divorce"}
        )
        for person_id in (marriage["wife_id"], marriage["husband_id"]):
            if person_id:
                records.update(register, "person", person_id, {"marital_status": 40})


# --- pregnancy and birth ----------------------------------------------------------


def register_pregnancy(
    register: Register, woman_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A pregnancy registered for tracking; the expected date defaults to LMP + 280 days."""
    clock = clock or SystemClock()
    woman = _get(register, "person", woman_id)
    check = Checker(fields, clock)
    if woman["sex"] != 2:
        check.fail("woman_id", NOT_A_WOMAN)
    _alive(check, "woman_id", woman)
    registered_on = check.date("registered_on", required=True)
    last_period = check.date("last_period_on")
    expected = check.date("expected_on", future_ok=True)
    check.not_before(
        "registered_on", registered_on, last_period, Text("末次月经", "the last period")
    )
    check.done()
    if expected is None and last_period:
        expected = (dt.date.fromisoformat(last_period) + dt.timedelta(days=280)).isoformat()
    marriage = current_marriage(register, woman_id, registered_on)
    with register.transaction():
        return records.insert(
            register,
            "pregnancy",
            {
                "woman_id": woman_id,
                "marriage_id": marriage["id"] if marriage else None,
                "registered_on": registered_on,
                "last_period_on": last_period,
                "expected_on": expected,
                "note": check.text("note"),
            },
        )


def record_pregnancy_outcome(
    register: Register, pregnancy_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """How a pregnancy ended.  A live birth also needs the birth form (the child)."""
    clock = clock or SystemClock()
    pregnancy = _get(register, "pregnancy", pregnancy_id)
    check = Checker(fields, clock)
    outcome = check.code("outcome", _codes("pregnancy_outcome"), required=True)
    outcome_on = check.date("outcome_on", required=True)
    if pregnancy["outcome"]:
        check.fail("outcome", ALREADY_ENDED.format(date=pregnancy["outcome_on"]))
    check.not_before(
        "outcome_on", outcome_on, pregnancy["registered_on"], Text("孕情登记日期", "registration")
    )
    check.done()
    with register.transaction():
        records.update(
            register,
            "pregnancy",
            pregnancy_id,
            {
                "outcome": outcome,
                "outcome_on": outcome_on,
                "note": check.text("note") or pregnancy["note"],
            },
        )


# --- contraception, supplies, visits ------------------------------------------------


def _methods() -> list[str]:
    return _codes("contraceptive_method")


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
    clock = clock or SystemClock()
    woman = _get(register, "person", woman_id)
    check = Checker(fields, clock)
    if woman["sex"] != 2:
        check.fail("woman_id", NOT_A_WOMAN)
    _alive(check, "woman_id", woman)
    method = check.code("method", _methods(), required=True)
    started_on = check.date("started_on", required=True)
    check.not_before("started_on", started_on, woman["birth_date"], Text("出生日期", "birth date"))
    user_id = check.text("user_id")
    if method == "male_sterilisation" and not user_id:
        marriage = current_marriage(register, woman_id, started_on)
        user_id = marriage["husband_id"] if marriage else None
    previous = open_contraception(register, woman_id)
    if previous and started_on and started_on < previous["started_on"]:
        check.not_before(
            "started_on",
            started_on,
            previous["started_on"],
            Text("上一种措施", "the current method"),
        )
    check.done()
    with register.transaction():
        if previous:
            records.update(
                register,
                "contraception",
                previous["id"],
                {"ended_on": started_on, "end_reason": "switched"},
            )
        return records.insert(
            register,
            "contraception",
            {
                "woman_id": woman_id,
                "user_id": user_id,
                "method": method,
                "started_on": started_on,
                "provider": check.text("provider"),
                "note": check.text("note"),
            },
        )


def stop_contraception(
    register: Register, contraception_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """A method stopped (IUD removed, pills stopped): the date and the woman's reason."""
    clock = clock or SystemClock()
    episode = _get(register, "contraception", contraception_id)
    check = Checker(fields, clock)
    ended_on = check.date("ended_on", required=True)
    reason = check.text("end_reason", required=True)
    if episode["ended_on"]:
        check.fail("ended_on", ALREADY_ENDED.format(date=episode["ended_on"]))
    check.not_before("ended_on", ended_on, episode["started_on"], Text("开始日期", "the start"))
    check.done()
    with register.transaction():
        records.update(
            register,
            "contraception",
            contraception_id,
            {"ended_on": ended_on, "end_reason": reason},
        )


def record_supply(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """Contraceptives handed out (the 药具发放登记册 line): date, item, quantity."""
    clock = clock or SystemClock()
    _get(register, "person", person_id)
    check = Checker(fields, clock)
    handed_on = check.date("handed_on", required=True)
    item = check.code("item", _codes("supply_item"), required=True)
    quantity = check.number("quantity", required=True)
    check.done()
    with register.transaction():
        return records.insert(
            register,
            "supply",
            {
                "person_id": person_id,
                "handed_on": handed_on,
                "item": item,
                "quantity": quantity,
                "handed_by": check.text("handed_by"),
            },
        )


# What a follow-up can follow, and the date on that record it cannot precede.
_FOLLOWED_DATE = {
    "contraception": ("started_on", Text("手术日期", "the operation")),
    "pregnancy": ("registered_on", Text("孕情登记日期", "the pregnancy registration")),
    "birth": ("birth_date", Text("出生日期", "the birth")),
}


def record_visit(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A follow-up or service visit.  follows_table/follows_id name the event it follows."""
    clock = clock or SystemClock()
    person = _get(register, "person", person_id)
    check = Checker(fields, clock)
    visit_type = check.code("visit_type", _codes("visit_type"), required=True)
    visited_on = check.date("visited_on", required=True)
    follows_table = check.text("follows_table")
    follows_id = check.text("follows_id")
    if follows_table and follows_id:
        column, what = _FOLLOWED_DATE.get(follows_table, ("", Text("", "")))
        followed = records.get(register, follows_table, follows_id) if column else None
        if followed is None:
            check.fail("follows_id", NOT_FOUND)
        else:
            check.not_before("visited_on", visited_on, followed[column], what)
    check.not_before("visited_on", visited_on, person["birth_date"], Text("出生日期", "birth date"))
    check.done()
    with register.transaction():
        return records.insert(
            register,
            "visit",
            {
                "person_id": person_id,
                "visit_type": visit_type,
                "visited_on": visited_on,
                "visited_by": check.text("visited_by"),
                "result": check.text("result"),
                "follows_table": follows_table,
                "follows_id": follows_id,
                "note": check.text("note"),
            },
        )


# --- moves and deaths ---------------------------------------------------------------


def record_move(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> str:
    """A move out (registered here, now living elsewhere: 流出) or back in.

    The person's residence status follows the move, in the same transaction.
    """
    clock = clock or SystemClock()
    person = _get(register, "person", person_id)
    check = Checker(fields, clock)
    kind = check.code("kind", _codes("move_kind"), required=True)
    moved_on = check.date("moved_on", required=True)
    place = check.text("place", required=kind == "out")
    _alive(check, "kind", person)
    check.not_before("moved_on", moved_on, person["birth_date"], Text("出生日期", "birth date"))
    check.done()
    status = {"out": "out", "in": "here"}[str(kind)]
    with register.transaction():
        move_id = records.insert(
            register,
            "move",
            {
                "person_id": person_id,
                "kind": kind,
                "moved_on": moved_on,
                "place": place,
                "reason": check.text("reason"),
            },
        )
        records.update(
            register,
            "person",
            person_id,
            {"residence_status": status, "residence_place": place, "residence_since": moved_on},
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
    """Someone new moves into a household: the person and the move, in one transaction."""
    clock = clock or SystemClock()
    _get(register, "household", household_id)
    problems: dict[str, Text] = {}
    row = _person_row(register, person_fields, clock, problems=problems)
    check = Checker(move_fields, clock, problems)
    moved_on = check.date("moved_on", required=True)
    place = check.text("place", required=True)
    check.not_before("moved_on", moved_on, row.get("birth_date"), Text("出生日期", "birth date"))
    check.done()
    with register.transaction():
        person_id = records.insert(
            register,
            "person",
            {
                **row,
                "household_id": household_id,
                "residence_status": "here",
                "residence_since": moved_on,
            },
        )
        records.insert(
            register,
            "move",
            {
                "person_id": person_id,
                "kind": "in",
                "moved_on": moved_on,
                "place": place,
                "reason": check.text("reason"),
            },
        )
    return person_id


def record_death(
    register: Register, person_id: str, fields: Fields, *, clock: Clock | None = None
) -> None:
    """A death.  An open marriage ends (the spouse is widowed) and an open contraception
    episode of the person ends, in the same transaction.
    """
    clock = clock or SystemClock()
    person = _get(register, "person", person_id)
    check = Checker(fields, clock)
    death_date = check.date("death_date", required=True)
    _alive(check, "death_date", person)
    check.not_before("death_date", death_date, person["birth_date"], Text("出生日期", "birth date"))
    check.done()
    with register.transaction():
        records.update(
            register,
            "person",
            person_id,
            {"death_date": death_date, "death_cause": check.text("death_cause")},
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
        episode = open_contraception(register, person_id)
        if episode is None:
            rows = register.query(
                "SELECT * FROM contraception "
                "WHERE user_id = ? AND deleted = 0 AND ended_on IS NULL",
                (person_id,),
            )
            episode = rows[0] if rows else None
        if episode:
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
