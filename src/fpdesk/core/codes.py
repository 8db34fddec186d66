"""Code tables (resources/codes.json): labels in both languages, method flags.

The tables are data, loaded once.  Codes are text keys (the JSON keys); integer
columns such as sex or marital status are looked up by their decimal text, so
`label("sex", 2)` and `label("sex", "2")` are the same thing.
"""

from __future__ import annotations

import importlib.resources
import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from fpdesk.core.i18n import Text, current_language

# Contraception episodes closed for these reasons end without the IUD being taken out
# (the marriage ended: "婚姻终止" as the 0.1 demo and imports write it; she died): an
# IUD removal (取环) is an IUD episode ended for any other reason.
NOT_A_REMOVAL = ("婚姻终止", "divorce", "widowed", "death")


def load_resource(name: str) -> Any:
    """A JSON file from fpdesk/resources, parsed (shared by codes, policy, schedules)."""
    path = importlib.resources.files("fpdesk") / "resources" / name
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _tables() -> dict[str, dict[str, Any]]:
    data = load_resource("codes.json")
    return {name: table for name, table in data.items() if not name.startswith("_")}


class UnknownCode(KeyError):
    """A code that its table does not list: a bug in the caller, or a bad import."""


def table_names() -> list[str]:
    return sorted(_tables())


def codes(table: str) -> list[str]:
    """The codes of one table, in the order the data lists them."""
    return list(_table(table))


def exists(table: str, code: object) -> bool:
    if code is None:
        return False
    return str(code) in _table(table)


def text(table: str, code: object) -> Text:
    """Both labels of a code."""
    entry = _table(table).get(str(code))
    if entry is None:
        raise UnknownCode(f"{table} has no code {code!r}")
    pair = entry["label"] if isinstance(entry, dict) else entry
    return Text(str(pair[0]), str(pair[1]))


def label(table: str, code: object, language: str | None = None) -> str:
    """The label of a code in one language (the user's, unless given)."""
    return text(table, code).get(language or current_language())


def label_or_code(table: str, code: object, language: str) -> str:
    """The label of a code in the language; the code itself if unknown, "" if none:
    what the window shows, where an old or odd code must not hide the row."""
    if code is None or code == "":
        return ""
    try:
        return label(table, code, language)
    except UnknownCode:
        return str(code)


def _table(table: str) -> dict[str, Any]:
    try:
        return _tables()[table]
    except KeyError:
        raise UnknownCode(f"no code table {table!r}") from None


@dataclass(frozen=True)
class Method:
    """A contraceptive method and the flags reports and schedules count by."""

    code: str
    label: Text
    long_acting: bool
    reversible: bool
    drugs_devices: bool
    operation: bool
    resupply_days: int | None


@cache
def method(code: str) -> Method:
    entry = _table("contraceptive_method").get(code)
    if entry is None:
        raise UnknownCode(f"no contraceptive method {code!r}")
    days = entry.get("resupply_days")
    return Method(
        code=code,
        label=Text(str(entry["label"][0]), str(entry["label"][1])),
        long_acting=bool(entry.get("long_acting", False)),
        reversible=bool(entry.get("reversible", True)),
        drugs_devices=bool(entry.get("drugs_devices", False)),
        operation=bool(entry.get("operation", False)),
        resupply_days=int(days) if days is not None else None,
    )


def methods() -> list[Method]:
    return [method(code) for code in codes("contraceptive_method")]
