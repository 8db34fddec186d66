"""What every task does with a form: tidy what was typed, collect the problems, refuse.

A task tidies the fields (dates as 20240305 or 2024/3/5, codes as text), gathers every
problem keyed by field name in `Problems`, and refuses with `FormProblems` before its
first write; inside `checks_only()` it stops there even when nothing is wrong, so a form
can show the messages while the officer types.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from typing import Any

from fpdesk.core import dates, idnumber, validation
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.store import records
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

LABELS = {
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


def required(name: str) -> Text:
    label = LABELS.get(name) or validation.field_label(name)
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
                parsed = dates.typed(value)
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


def pick(row: Fields, columns: Iterable[str]) -> dict[str, Any]:
    """The row's values for a table's columns; absent NOT NULL columns keep their default."""
    return {c: row[c] for c in columns if c in row and not (row[c] is None and c in DEFAULTED)}


# Columns with a NOT NULL default: leaving them out of an insert keeps the default.
DEFAULTED = {
    "ethnicity",
    "marital_status",
    "relationship",
    "registration_type",
    "residence_status",
    "alive",
    "child_relation",
}


def existing(register: Register, table: str, row_id: str | None) -> dict[str, Any]:
    row = records.get(register, table, row_id) if row_id else None
    if row is None or row["deleted"]:
        raise FormProblems({"id": NOT_FOUND})
    return row


def check_alive(problems: Problems, name: str, person: Mapping[str, Any]) -> None:
    if person.get("death_date"):
        problems.add(name, ALREADY_DEAD.format(date=person["death_date"]))


def clock(clock: Clock | None) -> Clock:
    return clock or SystemClock()
