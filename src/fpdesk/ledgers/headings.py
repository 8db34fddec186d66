"""What a ledger's headings mean: the fields an import knows and the synonyms officers
write for them (resources/ledger_headings.json)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from fpdesk.core import codes
from fpdesk.core.i18n import Text


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
    Field("spouse_id_number", Text("配偶身份证号", "spouse's ID number")),
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
# Headings recognised so that a shorter synonym inside them (身份证号 in 户主身份证号)
# does not claim the column, and not imported (the head is a row of the ledger too).
NOT_IMPORTED = frozenset({SEQ, "head_id_number"})

# Words found in the second row of a two-row heading, under a merged group heading.
_SUB_HEADINGS = {"男", "女", "姓名", "性别", "出生日期", "日期", "时间", "落实时间", "种类", "措施"}


# Stored codes shown by their labels (a preview of the rows as they will be stored).
_CODE_TABLES = {
    "sex": "sex",
    "relationship": "relationship",
    "marital_status": "marital_status",
    "registration_type": "registration_type",
    "ethnicity": "ethnicity",
    "method": "contraceptive_method",
}


def value_text(key: str, value: Any) -> Text:
    """A stored value as the officer reads it: a code by its label, else as it is."""
    table = _CODE_TABLES.get(key)
    if value is None:
        return Text("", "")
    if table and codes.exists(table, value):
        return codes.text(table, value)
    return Text(str(value), str(value))


def clean_heading(heading: str) -> str:
    text = re.sub(r"[\s()（）【】\[\]:：*＊]", "", heading)
    return text.replace("／", "/").replace("\\", "/")


@cache
def _synonyms() -> list[tuple[str, str]]:
    """(synonym, field) pairs, longest synonym first."""
    data: dict[str, Any] = codes.load_resource("ledger_headings.json")
    pairs = [
        (clean_heading(word), key)
        for key, words in data.items()
        if not key.startswith("_")
        for word in words
    ]
    return sorted(pairs, key=lambda p: -len(p[0]))


def field_of(heading: str) -> str | None:
    """The field a heading means, or None: exact synonyms first, then the last part of a
    joined heading, then a synonym it contains (longest first)."""
    text = clean_heading(heading)
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
    return clean_heading(word) in _SUB_HEADINGS
