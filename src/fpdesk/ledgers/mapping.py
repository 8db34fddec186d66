"""Which column holds which field: a mapping proposed from the headings, and the
mapping an officer chose, remembered for the next file of the same shape."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import platformdirs

from fpdesk.ledgers.headings import FIELD_KEYS, NOT_IMPORTED, clean_heading, field_of
from fpdesk.ledgers.reading import SheetTable


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


def read_mapping_file(path: str | Path, table: SheetTable) -> dict[int, str | None]:
    """A mapping file (--mapping): {"heading or column letter": "field", ...}; the
    columns it does not name keep the proposed mapping."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    mapping = propose_mapping(table)
    for column in table.columns:
        for key in (column.heading, column.letter, str(column.index)):
            if key in data:
                value = data[key]
                mapping[column.index] = value if value in FIELD_KEYS else None
    return mapping
