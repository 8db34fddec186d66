"""Writing a ledger's households, persons, methods and births, one household at a time.

Everything goes through store.operations, each in its own savepoint: the same tidying,
the same core.validation rules and the same role and area checks as the forms.  What an
operation refuses is kept as the row's problem and leaves nothing behind; the caller
(ledgers.plan, ledgers.apply) decides whether the whole run is committed or rolled back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from fpdesk.core import codes, validation
from fpdesk.core.clock import Clock
from fpdesk.core.i18n import Text
from fpdesk.ledgers import households as hh
from fpdesk.ledgers.households import Entry, HouseholdDraft
from fpdesk.store import operations, records
from fpdesk.store.db import Register

NEW, UPDATE, SAME, PROBLEM, SKIPPED = "new", "update", "same", "problem", "skipped"
# Columns of the person a ledger may fill when the register has them empty.
FILLABLE = ("id_number", "legacy_id15", "phone", "sex", "birth_date")
COMPARED = (
    "name",
    "id_number",
    "sex",
    "birth_date",
    "marital_status",
    "relationship",
    "registration_type",
    "ethnicity",
    "phone",
)

OTHER_VILLAGE = Text(
    "身份证号 {number} 已登记在别的村（{village}，户 {code}），没有导入。",
    "The ID number {number} is already registered in another village ({village}, "
    "household {code}); not imported.",
)
HEAD_PROBLEM = Text(
    "本户户主那一行有问题，本户没有导入。",
    "The row of this household's head has a problem: the household was not imported.",
)
NO_HEAD = Text(
    "这一户找不到户主（与户主关系没有“户主”）。",
    "This household has no head (nobody's relationship is 户主).",
)
OTHER_HOUSEHOLD_CODE = Text(
    "户编码 {code} 不是本村（{village}）的。",
    "The household code {code} is not of this village ({village}).",
)
SAME_NUMBER_TWICE = Text(
    "身份证号与“{sheet}”第 {number} 行的相同，同一个号码只能是一个人。",
    "The ID number is the same as on row {number} of “{sheet}”: one number is one person.",
)
ADDED = Text("新增，户编码 {code}", "new, household {code}")
IN_OTHER_HOUSEHOLD = Text(
    "登记册中此人在户 {code}，与台账的户不同，没有移动",
    "in the register this person is in household {code}, not the ledger's; not moved",
)
FILLED = Text("已在登记册中，补填：{fields}", "already in the register; filled in: {fields}")
ALREADY = Text("已在登记册中，没有变化", "already in the register, nothing new")
DIFFERS = Text(
    "与登记册不同（未修改，请核实）：{items}",
    "differs from the register (not changed; please check): {items}",
)
METHOD_ADDED = Text("节育措施 {method}（{date}）", "method {method} ({date})")
BIRTH_ADDED = Text("生育 {date}", "birth {date}")
NOTE_ADDED = Text("备注", "note")
UNDATED_METHOD = "台账：节育措施 {method}（{when}）"
UNDATED_BIRTH = "台账：{order}孩{name}{sex}（{when}）"
NO_DATE = "台账未写日期"
PART_DATE = "台账写作“{written}”，日期不全"
UNNAMED_BIRTH = "台账：{order}孩 {sex}{date}出生（台账未写姓名）"
_ORDER = {1: "一", 2: "二", 3: "三"}


@dataclass(frozen=True)
class Difference:
    person_id: str
    name: str
    field: str
    register_value: Any
    ledger_value: Any
    source: str
    number: int


@dataclass
class Outcome:
    """What became of one ledger row in a run."""

    status: str = SAME
    parts: list[Text] = field(default_factory=list)
    problems: list[Text] = field(default_factory=list)
    person_id: str | None = None
    household_code: str | None = None


@dataclass
class Run:
    """One run over a ledger's households: the register, the village, what each row
    became, the differences found and the counts of what was written."""

    register: Register
    village: str
    clock: Clock
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def of(self, entry: Entry) -> Outcome:
        return self.outcomes.setdefault(id(entry), Outcome())

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    def attempt(self, entry: Entry, work: Callable[[], Any]) -> Any:
        """One operation in its own savepoint: refused, it leaves nothing and tells why."""
        try:
            with self.register.transaction():
                done = work()
                return True if done is None else done
        except operations.FormProblems as exc:
            for name, text in exc.problems.items():
                self.of(entry).problems.append(about(name.split(".")[-1], text))
            return None


def about(field_name: str, text: Text) -> Text:
    label = validation.field_label(field_name) if field_name not in ("id", "") else None
    if label is None or label.zh == field_name:
        return text
    return Text(f"{label.zh}：{text.zh}", f"{label.en}: {text.en}")


# --- one household at a time ---------------------------------------------------------


def _same_number_twice(drafts: list[HouseholdDraft]) -> None:
    """A second row of the same sheet with an ID number already on an earlier row: a
    mistake in the ledger, not the same person to match.  (Another file or sheet naming
    the same person, a roster of women after the household ledger, matches her.)"""
    seen: dict[tuple[str, str, str], Entry] = {}
    for draft in drafts:
        for entry in draft.entries:
            number = entry.person.get("id_number")
            if not number:
                continue
            first = seen.setdefault((entry.source, entry.sheet, str(number)), entry)
            if first is not entry:
                entry.problems.append(
                    SAME_NUMBER_TWICE.format(sheet=first.sheet, number=first.row.number)
                )


def write(
    run: Run, drafts: list[HouseholdDraft], skip: set[tuple[str, str, int]] | None = None
) -> None:
    """Write every household of the drafts (then their methods, births and notes);
    rows of `skip` (source, sheet, row number) are left out as problems."""
    _same_number_twice(drafts)
    for draft in drafts:
        _household(run, draft, skip or set())
    for draft in drafts:
        for entry in draft.entries:
            if run.of(entry).person_id and not (entry.problems or run.of(entry).problems):
                _events(run, draft, entry)


def _household(run: Run, draft: HouseholdDraft, skip: set[tuple[str, str, int]]) -> None:
    register = run.register
    for entry in draft.entries:
        if (entry.source, entry.sheet, entry.row.number) in skip and not entry.problems:
            entry.problems.append(
                Text("导入预览时有问题，已跳过。", "Had a problem in the plan; skipped.")
            )
    usable = [e for e in draft.entries if not e.problems]
    household_id = _existing_household(run, draft, usable)
    if (
        household_id is None
        and draft.code
        and len(draft.code) == 18
        and draft.code[:12] != run.village
    ):
        for entry in usable:
            run.of(entry).problems.append(
                OTHER_HOUSEHOLD_CODE.format(code=draft.code, village=run.village)
            )
        return
    unmatched: list[Entry] = []
    for entry in usable:
        person = _existing_person(run, entry, household_id)
        if person is None:
            if not run.of(entry).problems:
                unmatched.append(entry)
            continue
        _fill(run, entry, person)
        if household_id is not None and person["household_id"] != household_id:
            # A move between households is the officer's decision (the move forms).
            run.of(entry).parts.append(
                IN_OTHER_HOUSEHOLD.format(code=_code_of(register, person["household_id"]))
            )
    if household_id is not None:
        code = _code_of(register, household_id)
        for entry in unmatched:
            new_id = run.attempt(entry, partial(_add_person, run, household_id, entry))
            if new_id:
                outcome = run.of(entry)
                outcome.person_id, outcome.status = new_id, NEW
                outcome.household_code = code
                outcome.parts.append(ADDED.format(code=code))
                run.count("persons")
        return
    if unmatched:
        _new_household(run, draft, unmatched)


def _add_person(run: Run, household_id: str, entry: Entry) -> str:
    return operations.add_person(run.register, household_id, entry.person, clock=run.clock)


def _new_household(run: Run, draft: HouseholdDraft, members: list[Entry]) -> None:
    """add_household with the members; members refused are left out and it is tried again
    while the head is among those left."""
    fields: dict[str, Any] = {
        "village_code": run.village,
        "group_no": str(draft.group_no or 1),
        "address": draft.address,
    }
    if draft.code and len(draft.code) == 18 and draft.code[:12] == run.village:
        fields["group_no"] = draft.code[12:14]
        fields["sequence"] = draft.code[14:]
    while members:
        if not any(m.person.get("relationship") == hh.HEAD for m in members):
            for member in members:
                run.of(member).problems.append(
                    HEAD_PROBLEM
                    if any(e.person.get("relationship") == hh.HEAD for e in draft.entries)
                    else NO_HEAD
                )
            return
        try:
            with run.register.transaction():
                made = operations.add_household(
                    run.register, fields, [m.person for m in members], clock=run.clock
                )
        except operations.FormProblems as exc:
            refused = _sort_problems(run, members, exc.problems)
            if not refused:
                return
            members = [m for i, m in enumerate(members) if i not in refused]
            continue
        run.count("households")
        for member, person_id in zip(members, made.member_ids, strict=True):
            outcome = run.of(member)
            outcome.person_id, outcome.status = person_id, NEW
            outcome.household_code = made.code
            outcome.parts.append(ADDED.format(code=made.code))
            run.count("persons")
        return


def _sort_problems(run: Run, members: list[Entry], problems: dict[str, Text]) -> set[int]:
    """Member problems (m3.sex) go to their rows; the household's own to every row.
    Returns the members refused (all, when the household itself was refused)."""
    refused: set[int] = set()
    for name, text in problems.items():
        if name.startswith("m") and "." in name:
            index = int(name[1:].split(".")[0])
            run.of(members[index]).problems.append(about(name.split(".", 1)[1], text))
            refused.add(index)
        else:
            for member in members:
                run.of(member).problems.append(about(name, text))
            return set(range(len(members)))
    return refused if len(refused) < len(members) else set()


def _code_of(register: Register, household_id: str) -> str:
    row = records.get(register, "household", household_id)
    return str(row["code"]) if row else ""


def _existing_household(run: Run, draft: HouseholdDraft, usable: list[Entry]) -> str | None:
    """The household already in the register: by its code, else the one a member's ID
    number is in, else the one whose head has the ledger head's name and birth date."""
    register = run.register
    if draft.code and len(draft.code) == 18:
        rows = register.query(
            "SELECT id FROM household WHERE code = ? AND deleted = 0", (draft.code,)
        )
        if rows:
            return str(rows[0]["id"])
    for entry in usable:
        number = entry.person.get("id_number")
        if number:
            rows = register.query(
                "SELECT p.household_id FROM person p JOIN household h ON h.id = p.household_id "
                "WHERE p.id_number = ? AND p.deleted = 0 AND h.village_code = ?",
                (number, run.village),
            )
            if rows:
                return str(rows[0]["household_id"])
    for entry in usable:
        person = entry.person
        if person.get("relationship") == hh.HEAD and person.get("birth_date") and person.get("sex"):
            # By sex and birth date first (an index): a village's households are many.
            rows = register.query(
                "SELECT h.id FROM person p JOIN household h ON h.id = p.household_id "
                "AND h.head_id = p.id WHERE p.sex = ? AND p.birth_date = ? AND p.name = ? "
                "AND p.deleted = 0 AND h.deleted = 0 AND h.village_code = ?",
                (person["sex"], person["birth_date"], validation.tidy_name(str(person["name"])),
                 run.village),
            )  # fmt: skip
            if len(rows) == 1:
                return str(rows[0]["id"])
    return None


def _existing_person(run: Run, entry: Entry, household_id: str | None) -> dict[str, Any] | None:
    """The person already in the register: by ID number (in this village; in another
    village it is a problem), else by name and birth date in the same household."""
    register = run.register
    number = entry.person.get("id_number")
    if number:
        rows = register.query(
            "SELECT p.*, h.village_code AS _village, h.code AS _code FROM person p "
            "JOIN household h ON h.id = p.household_id WHERE p.id_number = ? AND p.deleted = 0",
            (number,),
        )
        if rows:
            if rows[0]["_village"] != run.village:
                run.of(entry).problems.append(
                    OTHER_VILLAGE.format(
                        number=number, village=rows[0]["_village"], code=rows[0]["_code"]
                    )
                )
                return None
            return rows[0]
    if household_id and entry.person.get("name") and entry.person.get("birth_date"):
        rows = register.query(
            "SELECT * FROM person WHERE household_id = ? AND name = ? AND birth_date = ? "
            "AND deleted = 0",
            (
                household_id,
                validation.tidy_name(str(entry.person["name"])),
                entry.person["birth_date"],
            ),
        )
        if rows:
            return rows[0]
    return None


def _fill(run: Run, entry: Entry, person: dict[str, Any]) -> None:
    """A person already in the register: empty fields filled, differences listed."""
    outcome = run.of(entry)
    outcome.person_id = str(person["id"])
    outcome.household_code = person.get("_code") or _code_of(run.register, person["household_id"])
    ledger = operations.clean(entry.person)  # as it would be stored: names, phones tidied
    empty = {
        k: v
        for k, v in ledger.items()
        if k in FILLABLE and v not in (None, "") and person.get(k) in (None, "")
    }
    differs = []
    for key in COMPARED:
        ours, theirs = person.get(key), ledger.get(key)
        if theirs in (None, "") or ours in (None, "") or key in empty or key in entry.inferred:
            continue
        if str(ours) != str(theirs):
            differs.append(key)
            run.differences.append(
                Difference(
                    str(person["id"]),
                    str(person["name"]),
                    key,
                    ours,
                    theirs,
                    entry.source,
                    entry.row.number,
                )
            )
    if empty:
        done = run.attempt(
            entry,
            lambda: operations.update_person(
                run.register, str(person["id"]), empty, clock=run.clock
            ),
        )
        if done:
            outcome.status = UPDATE
            labels = [validation.field_label(k) for k in empty]
            outcome.parts.append(FILLED.format(fields="、".join(t.zh for t in labels)))
            run.count("updated")
    if differs:
        items = [validation.field_label(k) for k in differs]
        outcome.parts.append(
            Text(
                DIFFERS.zh.format(items="、".join(t.zh for t in items)),
                DIFFERS.en.format(items=", ".join(t.en for t in items)),
            )
        )


# --- what the row tells beyond the person: methods, births, notes ---------------------


def _events(run: Run, draft: HouseholdDraft, entry: Entry) -> None:
    outcome = run.of(entry)
    person_id = str(outcome.person_id)
    notes = list(entry.notes)
    for birth in entry.births:
        note = _birth(run, entry, person_id, birth)
        if note:
            notes.append(note)
    if entry.method and entry.method != "none":
        label = codes.text("contraceptive_method", entry.method).zh
        if entry.method_date is None:
            notes.append(UNDATED_METHOD.format(method=label, when=_when(entry.method_when)))
        else:
            _method(run, draft, entry, person_id)
    if notes:
        _notes(run, entry, person_id, notes)


def _mark(outcome: Outcome, part: Text) -> None:
    if outcome.status == SAME:
        outcome.status = UPDATE
    outcome.parts.append(part)


def _method(run: Run, draft: HouseholdDraft, entry: Entry, person_id: str) -> None:
    """A dated method becomes an episode, counted under the woman (a husband's
    sterilisation under his wife in the same household)."""
    register, outcome = run.register, run.of(entry)
    woman_id, fields = person_id, {"method": entry.method, "started_on": entry.method_date}
    if entry.person.get("sex") == 1:
        wife = next(
            (
                run.of(e).person_id
                for e in draft.entries
                if e is not entry
                and e.person.get("sex") == 2
                and e.person.get("relationship") in (hh.HEAD, hh.SPOUSE)
                and run.of(e).person_id
            ),
            None,
        )
        if wife is None:
            method = codes.text("contraceptive_method", str(entry.method)).zh
            when = f"{entry.method_date}，本户没有找到妻子"
            _notes(run, entry, person_id, [UNDATED_METHOD.format(method=method, when=when)])
            return
        woman_id, fields = wife, {**fields, "user_id": person_id}
    if register.query(
        "SELECT 1 FROM contraception WHERE woman_id = ? AND method = ? AND started_on = ? "
        "AND deleted = 0",
        (woman_id, entry.method, entry.method_date),
    ):
        return
    made = run.attempt(
        entry, lambda: operations.start_contraception(register, woman_id, fields, clock=run.clock)
    )
    if made:
        run.count("methods")
        label = codes.text("contraceptive_method", str(entry.method))
        _mark(
            outcome,
            Text(
                METHOD_ADDED.zh.format(method=label.zh, date=entry.method_date),
                METHOD_ADDED.en.format(method=label.en, date=entry.method_date),
            ),
        )


def _birth(run: Run, entry: Entry, mother_id: str, birth: hh.Birth) -> str | None:
    """A dated, named child becomes a birth (and the child a member, unless already
    one); what cannot be dated or named is kept as a note, never filled in."""
    sex = {1: "（男）", 2: "（女）"}.get(birth.sex or 0, "")
    if birth.birth_date is None:
        return UNDATED_BIRTH.format(
            order=_ORDER[birth.order],
            name=f" {birth.name}" if birth.name else "",
            sex=sex,
            when=_when(birth.written),
        )
    if not birth.name:
        return UNNAMED_BIRTH.format(order=_ORDER[birth.order], sex=sex, date=birth.birth_date)
    register = run.register
    if register.query(
        "SELECT 1 FROM birth WHERE mother_id = ? AND birth_date = ? AND deleted = 0",
        (mother_id, birth.birth_date),
    ):
        return None
    mother = records.get(register, "person", mother_id)
    assert mother is not None
    child = register.query(
        "SELECT id, sex FROM person WHERE household_id = ? AND name = ? AND birth_date = ? "
        "AND deleted = 0",
        (mother["household_id"], validation.tidy_name(birth.name), birth.birth_date),
    )
    if child:
        made = run.attempt(entry, lambda: _link_birth(run, mother_id, child[0], birth))
    else:
        fields = {"name": birth.name, "sex": birth.sex, "birth_date": birth.birth_date}
        made = run.attempt(
            entry, lambda: operations.record_birth(register, mother_id, fields, clock=run.clock)
        )
    if made:
        run.count("births")
        _mark(run.of(entry), BIRTH_ADDED.format(date=birth.birth_date))
    return None


def _when(written: str) -> str:
    return PART_DATE.format(written=written) if written else NO_DATE


def _link_birth(run: Run, mother_id: str, child: dict[str, Any], birth: hh.Birth) -> str:
    """The birth of a child who is already a member (a household ledger lists the
    children as rows): the birth row only, checked by the birth form's rules."""
    register = run.register
    row: dict[str, Any] = {
        "id": "(new)",
        "mother_id": mother_id,
        "child_id": child["id"],
        "birth_date": birth.birth_date,
        "sex": birth.sex or child["sex"],
        "alive": 1,
        "child_relation": "own",
    }
    marriage = operations.current_marriage(register, mother_id, birth.birth_date)
    if marriage:
        row["marriage_id"], row["father_id"] = marriage["id"], marriage["husband_id"]
    mother = records.get(register, "person", mother_id)
    problems = operations.Problems()
    problems.extend(validation.check_birth(row, run.clock, mother=mother))
    problems.raise_any()
    del row["id"]
    return records.insert(register, "birth", row)


def _notes(run: Run, entry: Entry, person_id: str, notes: list[str]) -> None:
    """What the ledger says that the register has no field for, kept in the person's
    note (once: the same file imported again adds nothing)."""
    person = records.get(run.register, "person", person_id)
    before = str(person.get("note") or "") if person else ""
    fresh = [n for n in notes if n not in before]
    if not fresh:
        return
    text = "\n".join([before, *fresh]) if before else "\n".join(fresh)
    done = run.attempt(
        entry,
        lambda: operations.update_person(run.register, person_id, {"note": text}, clock=run.clock),
    )
    if done:
        _mark(run.of(entry), NOTE_ADDED)
