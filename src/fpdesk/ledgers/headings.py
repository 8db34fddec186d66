"""What a ledger's headings mean: the fields an import knows, the synonyms officers
write for them (resources/ledger_headings.json), a proposed mapping, and the mapping an
officer chose, remembered for the next file of the same shape."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdesk.core.codes import load_resource
from fpdesk.core.i18n import Text

if TYPE_CHECKING:
    from fpdesk.ledgers.reading import SheetTable


@dataclass(frozen=True)
class Field:
    key: str
    label: Text
    required: bool = False


FIELDS: list[Field] = [
    Field("name", Text("姓名", "name"), required=True),
    Field("id_number", Text("身份证号", "ID number")),
    Field("sex", Text("性别", "sex")),
    Field("birth_date", Text("出生日期", "birth date")),
    Field("relationship", Text("与户主关系", "relationship to the head")),
    Field("marital_status", Text("婚姻状况", "marital status")),
    Field("household_code", Text("户编码", "household code")),
    Field("house_number", Text("门牌号", "house number")),
    Field("head_name", Text("户主姓名", "name of the household head")),
    Field("group_no", Text("村民小组", "village group")),
    Field("address", Text("住址", "address")),
    Field("phone", Text("联系电话", "phone")),
    Field("ethnicity", Text("民族", "ethnicity")),
    Field("registration_type", Text("户口性质", "registration type")),
    Field("spouse_name", Text("配偶姓名", "spouse's name")),
    Field("method", Text("节育措施", "contraceptive method")),
    Field("method_date", Text("措施落实时间", "date the method started")),
    Field("sons", Text("现有子女数（男）", "living sons")),
    Field("daughters", Text("现有子女数（女）", "living daughters")),
    *(
        Field(f"child{n}_{part}", Text(f"{zh}孩{part_zh}", f"child {n}: {part_en}"))
        for n, zh in ((1, "一"), (2, "二"), (3, "三"))
        for part, part_zh, part_en in (
            ("name", "姓名", "name"),
            ("sex", "性别", "sex"),
            ("birth_date", "出生日期", "birth date"),
        )
    ),
    Field("note", Text("备注", "note")),
]
FIELD_KEYS = {f.key for f in FIELDS}
LABELS = {f.key: f.label for f in FIELDS}
SEQ = "seq"  # 序号: recognised (it marks the heading) and never imported

# Words found in the second row of a two-row heading, under a merged group heading.
_SUB_HEADINGS = {"男", "女", "姓名", "性别", "出生日期", "日期", "时间", "落实时间", "种类", "措施"}


def _clean(heading: str) -> str:
    text = re.sub(r"[\s()（）【】\[\]:：*＊]", "", heading)
    return text.replace("／", "/").replace("\\", "/")


@cache
def _synonyms() -> list[tuple[str, str]]:
    """(synonym, field) pairs, longest synonym first."""
    data: dict[str, Any] = load_resource("ledger_headings.json")
    pairs = [
        (_clean(word), key)
        for key, words in data.items()
        if not key.startswith("_")
        for word in words
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def field_of(heading: str) -> str | None:
    """The field a heading means, or None: exact synonyms first, then the last part of a
    joined heading, then a synonym it contains (longest first)."""
    text = _clean(heading)
    if not text:
        return None
    exact = {word: key for word, key in _synonyms()}
    if text in exact:
        return exact[text]
    if "/" in text:
        # A group heading over its columns (基本情况/姓名, 节育措施/种类): the part that
        # names a field alone says what the column holds.
        first, last = text.split("/", 1)[0], text.rsplit("/", 1)[1]
        if last in exact and first not in exact:
            return exact[last]
        if first in exact and last not in exact:
            return exact[first]
    for word, key in _synonyms():
        if len(word) >= 2 and word in text:
            return key
    return None


def is_sub_heading(word: str) -> bool:
    return _clean(word) in _SUB_HEADINGS


def propose_mapping(table: SheetTable) -> dict[int, str | None]:
    """Column index -> field key, each field taken by its first column only."""
    mapping: dict[int, str | None] = {}
    taken: set[str] = set()
    for column in table.columns:
        key = field_of(column.heading)
        if key == SEQ or key in taken:
            key = None
        if key:
            taken.add(key)
        mapping[column.index] = key
    return mapping


def shape_of(table: SheetTable) -> str:
    """A fingerprint of the headings: the same form next year has the same shape."""
    text = "\x1f".join(_clean(c.heading) for c in table.columns)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _memory_file() -> Path:
    import platformdirs

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
