"""Which column holds which field: a mapping proposed from the headings, and the
mapping an officer chose, remembered for the next file of the same shape."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from fpdesk.core.i18n import Text
from fpdesk.ledgers.errors import LedgerError
from fpdesk.ledgers.headings import (
    FIELD_KEYS,
    FIELDS,
    LABELS,
    NOT_IMPORTED,
    clean_heading,
    field_of,
)
from fpdesk.ledgers.reading import SheetTable

NO_COLUMN_FOR = Text(
    "没有哪一列对应“{field}”，每一行都需要它：请指定这一列。",
    "No column is chosen for “{field}”, which every row needs: choose that column.",
)
CHOSEN_TWICE = Text(
    "“{field}”对应了 {count} 列（{columns}），只能对应一列：请只留一列。",
    "“{field}” is chosen for {count} columns ({columns}); choose it for one column only.",
)
COLUMNS_REFUSED = Text(
    "{file} 的工作表“{sheet}”的列对照有问题，没有导入任何内容：",
    "The columns of the sheet “{sheet}” of {file} cannot be imported as mapped; "
    "nothing was imported:",
)
UNKNOWN_FIELD = Text(
    "对照表里的“{field}”不是可以导入的字段。可以用的有：{known}。",
    "“{field}” in the mapping is not a field the import knows. Known fields: {known}.",
)
UNKNOWN_COLUMN = Text(
    "对照表里的“{column}”不是这张表的表头或列字母。",
    "“{column}” in the mapping is neither a heading nor a column letter of this sheet.",
)


def propose_mapping(table: SheetTable) -> dict[int, str | None]:
    """Column index -> field key, each field taken by its first column only."""
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    for column in table.columns:
        key = field_of(column.heading)
        if key in NOT_IMPORTED or key in taken:
            key = None
        if key:
            taken.add(key)
        mapping[column.index] = key
    return mapping


def shape_of(table: SheetTable) -> str:
    """A fingerprint of the headings: the same form next year has the same shape."""
    text = "\x1f".join(clean_heading(c.heading) for c in table.columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _memory_file() -> Path:
    return Path(platformdirs.user_config_dir("fpdesk", appauthor=False)) / "ledger_mappings.json"


def remembered_mapping(shape: str) -> dict[int, str | None] | None:
    """The mapping chosen last time for a file of this shape (kept per user), or None."""
    try:
        data = json.loads(_memory_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = data.get(shape) if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return None
    return {int(k): (v if v in FIELD_KEYS else None) for k, v in found.items()}


def remember_mapping(shape: str, mapping: dict[int, str | None]) -> None:
    """Keep the officer's mapping for the next file of this shape.  Only headings are
    described by it: nothing about any person leaves the register."""
    path = _memory_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[shape] = {str(k): v for k, v in mapping.items()}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def mapping_problems(table: SheetTable, mapping: dict[int, str | None]) -> list[Text]:
    """What is wrong with a mapping before any row is read: a field every row needs
    with no column, or one field chosen for two columns (the import would keep one and
    silently drop the other).  The command line and the window both ask this."""
    letters = {c.index: c.letter for c in table.columns}
    used: dict[str, list[int]] = {}
    for index, key in sorted(mapping.items()):
        if key:
            used.setdefault(key, []).append(index)
    found = [
        _named(NO_COLUMN_FOR, field.label)
        for field in FIELDS
        if field.required and field.key not in used
    ]
    for key, indexes in used.items():
        if len(indexes) > 1:
            columns = [letters.get(i, str(i)) for i in indexes]
            found.append(
                _named(
                    CHOSEN_TWICE,
                    LABELS.get(key, Text(key, key)),
                    count=len(indexes),
                    columns=columns,
                )
            )
    return found


def mapping_refusal(table: SheetTable, problems: list[Text]) -> Text:
    """The mapping's problems as one message naming the file and sheet."""
    head = COLUMNS_REFUSED.format(file=table.source, sheet=table.sheet)
    return Text(
        "\n".join([head.zh, *(f"  {p.zh}" for p in problems)]),
        "\n".join([head.en, *(f"  {p.en}" for p in problems)]),
    )


def _named(template: Text, label: Text, columns: list[str] | None = None, **params: object) -> Text:
    """A message naming a field in each language by its own label."""
    listed = columns or []
    return Text(
        template.zh.format(field=label.zh, columns="、".join(listed), **params),
        template.en.format(field=label.en, columns=", ".join(listed), **params),
    )


def read_mapping_file(
    path: str | Path, table: SheetTable, imported: Sequence[SheetTable] = ()
) -> dict[int, str | None]:
    """A mapping file (--mapping): {"heading or column letter": "field" or null, ...}.
    A field the file gives a column is taken from the column proposed for it; the
    columns it does not name keep the proposal.  A field or column it names that does
    not exist is refused (LedgerError): a typo must not drop a column silently.  A
    column is known when it is in `table` or in any of the sheets `imported` with it
    (one mapping file for several files of different shapes)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError('not a JSON object {"heading": "field"}')
    known = ", ".join(f.key for f in FIELDS)
    for value in data.values():
        if value is not None and value not in FIELD_KEYS:
            raise LedgerError(UNKNOWN_FIELD.format(field=value, known=known))
    names = {
        n
        for t in (table, *imported)
        for c in t.columns
        for n in (c.heading, c.letter, str(c.index))
    }
    for key in data:
        if key not in names:
            raise LedgerError(UNKNOWN_COLUMN.format(column=key))
    mapping = propose_mapping(table)
    named: dict[int, str | None] = {}
    for column in table.columns:
        for key in (column.heading, column.letter, str(column.index)):
            if key in data:
                named[column.index] = data[key]
    given = {v for v in named.values() if v}
    for index, key in mapping.items():
        if key in given:
            mapping[index] = None
    mapping.update(named)
    return mapping
