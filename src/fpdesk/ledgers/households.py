"""From ledger rows to persons and their households.

A row becomes an Entry: the person's fields as the register keeps them, the events the
row tells of (a method and its date, children and their birth dates), and the reasons it
cannot be read.  Entries are gathered into households the way ledgers show them: by a
household code or a 门牌 column; else a new household starts at each row naming its head
(户主姓名 written on the first member's row only) or at each row whose relationship is
户主; a ledger with none of these (a roster of women) has one household per person.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fpdesk.core import idnumber
from fpdesk.core.i18n import Text
from fpdesk.ledgers import normalise
from fpdesk.ledgers.normalise import Unreadable
from fpdesk.ledgers.reading import LedgerRow, SheetTable

SPOUSE, HEAD = 1, 0
MARRIED = 20


@dataclass
class Birth:
    order: int
    name: str | None
    sex: int | None
    birth_date: str | None
    written: str = ""  # the date as written when it is not a whole date


@dataclass
class Entry:
    """One ledger row read: who it is, what it tells, what is wrong with it."""

    source: str
    sheet: str
    row: LedgerRow
    person: dict[str, Any] = field(default_factory=dict)
    method: str | None = None
    method_date: str | None = None
    method_when: str = ""  # the method's date as written when it is not a whole date
    births: list[Birth] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Text] = field(default_factory=list)
    # Fields the ledger does not say but the import infers (a lone person is the head,
    # a 配偶 is married, sex and birth date read from the ID number): used for a new
    # person, never reported as a difference from the register.
    inferred: set[str] = field(default_factory=set)
    household_code: str | None = None
    house_number: str | None = None
    head_name: str | None = None
    group_no: int | None = None
    address: str | None = None


@dataclass
class HouseholdDraft:
    entries: list[Entry]
    code: str | None
    group_no: int | None
    address: str | None


PERSON_PARSERS: dict[str, Callable[[Any], Any]] = {
    "birth_date": normalise.date,
    "sex": lambda v: normalise.coded("sex", normalise.SEX, v),
    "relationship": lambda v: normalise.coded("relationship", normalise.RELATIONSHIP, v),
    "marital_status": lambda v: normalise.coded("marital_status", normalise.MARITAL, v),
    "registration_type": lambda v: normalise.coded("registration_type", normalise.REGISTRATION, v),
    "ethnicity": normalise.ethnicity,
    "name": normalise.name,
    "phone": lambda v: normalise.text_of(v) or None,
}


def _label(table: SheetTable, index: int) -> str:
    column = table.columns[index]
    return f"{column.heading}（{column.letter}列）"


def read_entries(table: SheetTable, mapping: dict[int, str | None]) -> list[Entry]:
    """Every person row of the sheet, read through the mapping."""
    by_field = {key: index for index, key in mapping.items() if key}
    sheet_group = normalise.group_number(table.sheet)
    entries: list[Entry] = []
    for row in table.rows:
        entry = Entry(table.source, table.sheet, row)

        def cell(key: str, row: LedgerRow = row) -> Any:
            index = by_field.get(key)
            return row.cells[index] if index is not None and index < len(row.cells) else None

        def parsed(key: str, parser: Callable[[Any], Any], entry: Entry = entry) -> Any:
            try:
                return parser(cell(key))
            except Unreadable as exc:
                where = _label(table, by_field[key])
                entry.problems.append(Text(f"{where}：{exc.text.zh}", f"{where}: {exc.text.en}"))
                return None

        for key, parser in PERSON_PARSERS.items():
            if key in by_field:
                value = parsed(key, parser)
                if value is not None:
                    entry.person[key] = value
        if "id_number" in by_field:
            number = parsed("id_number", normalise.id_number)
            if number and number[0]:
                entry.person["id_number"] = number[0]
                if number[1]:
                    entry.person["legacy_id15"] = number[1]
                # What the number itself says fills an empty sex or birth date column.
                facts = idnumber.parse(number[0])
                _infer(entry, "sex", facts.sex)
                _infer(entry, "birth_date", facts.birth_date.isoformat())
        entry.household_code = parsed("household_code", normalise.household_code)
        entry.house_number = normalise.text_of(cell("house_number")) or None
        entry.head_name = normalise.name(cell("head_name"))
        entry.group_no = normalise.group_number(cell("group_no"))
        if entry.group_no is None and entry.household_code and len(entry.household_code) == 18:
            entry.group_no = int(entry.household_code[12:14])
        if entry.group_no is None:
            entry.group_no = sheet_group
        entry.address = normalise.text_of(cell("address")) or None
        entry.method = parsed("method", lambda v: normalise.coded("method", normalise.METHODS, v))
        entry.method_date, entry.method_when = _event_date(cell("method_date"))
        for n in (1, 2, 3):
            name = normalise.name(cell(f"child{n}_name"))
            sex = (
                parsed(f"child{n}_sex", PERSON_PARSERS["sex"])
                if f"child{n}_sex" in by_field
                else None
            )
            born, written = _event_date(cell(f"child{n}_birth_date"))
            if name or born or written or sex:
                entry.births.append(Birth(n, name, sex, born, written))
        _notes(entry, cell)
        entries.append(entry)
    return entries


def _event_date(value: Any) -> tuple[str | None, str]:
    """An event's date, or None and the words written (1985.3, 2019): an event whose
    day the ledger does not say is kept as a note with those words, not refused and
    never given a day."""
    try:
        return normalise.date(value), ""
    except Unreadable:
        return None, normalise.text_of(value)


def _notes(entry: Entry, cell: Callable[[str], Any]) -> None:
    sons, daughters = normalise.text_of(cell("sons")), normalise.text_of(cell("daughters"))
    if sons or daughters:
        entry.notes.append(f"台账：现有子女 男{sons or 0} 女{daughters or 0}")
    spouse = normalise.text_of(cell("spouse_name"))
    spouse_number = idnumber.normalise(normalise.text_of(cell("spouse_id_number")))
    if spouse or spouse_number:
        said = " ".join(p for p in (spouse, spouse_number and f"身份证号 {spouse_number}") if p)
        entry.notes.append(f"台账：配偶 {said}")
    note = normalise.text_of(cell("note"))
    if note:
        entry.notes.append(f"台账备注：{note}")


def gather(entries: list[Entry], has_relationship: bool) -> list[HouseholdDraft]:
    """Entries into households, in ledger order."""
    drafts: list[HouseholdDraft] = []
    current: HouseholdDraft | None = None
    heads_named = any(e.head_name for e in entries)
    current_head: str | None = None
    by_key: dict[tuple[str, Any], HouseholdDraft] = {}
    for entry in entries:
        key: tuple[str, Any] | None = None
        if entry.household_code:
            key = ("code", entry.household_code)
        elif entry.house_number:
            key = ("house", (entry.group_no, entry.house_number))
        if key is not None:
            draft = by_key.get(key)
            if draft is None:
                draft = HouseholdDraft([], entry.household_code, entry.group_no, None)
                by_key[key] = draft
                drafts.append(draft)
            draft.entries.append(entry)
            current = draft
            continue
        relationship = entry.person.get("relationship")
        starts = (
            current is None
            # 户主姓名 written on the first member's row only, or on every row alike
            or (entry.head_name is not None and entry.head_name != current_head)
            # a second 户主 row: the next household (with or without 户主姓名 columns)
            or (relationship == HEAD and any(
                e.person.get("relationship") == HEAD for e in current.entries))
            or (has_relationship and not heads_named and relationship == HEAD)
            or not (has_relationship or heads_named)
        )  # fmt: skip
        if starts:
            current = HouseholdDraft([], None, entry.group_no, None)
            drafts.append(current)
            current_head = entry.head_name
        assert current is not None
        current.entries.append(entry)
    for draft in drafts:
        _settle(draft, has_relationship)
    return drafts


def _settle(draft: HouseholdDraft, has_relationship: bool) -> None:
    """The household's group and address, its head when only named, and the married
    status that being 配偶 says."""
    first = draft.entries[0]
    draft.group_no = next((e.group_no for e in draft.entries if e.group_no), first.group_no)
    draft.address = next(
        (e.address for e in draft.entries if e.address),
        first.house_number and f"{first.house_number}号",
    )
    head_name = next((e.head_name for e in draft.entries if e.head_name), None)
    if not has_relationship:
        if head_name is None and len(draft.entries) == 1:
            _infer(first, "relationship", HEAD)
        for entry in draft.entries:
            if head_name and entry.person.get("name") == head_name:
                _infer(entry, "relationship", HEAD)
    if any(e.person.get("relationship") == SPOUSE for e in draft.entries):
        for entry in draft.entries:
            if entry.person.get("relationship") in (HEAD, SPOUSE):
                _infer(entry, "marital_status", MARRIED)


def _infer(entry: Entry, key: str, value: Any) -> None:
    if key not in entry.person:
        entry.person[key] = value
        entry.inferred.add(key)
