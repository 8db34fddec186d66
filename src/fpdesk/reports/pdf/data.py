"""What the printouts make of the register's rows: events in words, labels, the
village's name, age on a day.

The rows themselves come from the read layer (store.reading), the same functions the
window uses: each bounded to one village (or one household), so a printout can ask for
one household's rows at a time instead of the whole village.
"""

from __future__ import annotations

from typing import Any

from fpdesk.core import codes
from fpdesk.core.i18n import Text
from fpdesk.store import areas
from fpdesk.store.db import Register

Row = dict[str, Any]

# The kinds of event on the monthly change report (月报告单), in its order.
EVENT_KINDS: dict[str, Text] = {
    "birth": Text("出生", "birth"),
    "death": Text("死亡", "death"),
    "move_transfer_in": Text("迁入", "transfer in"),
    "move_transfer_out": Text("迁出", "transfer out"),
    "move_float_out": Text("流出", "float out"),
    "move_return": Text("返回", "return"),
    "move_float_in": Text("流入", "float in"),
    "move_leave": Text("离开", "leave"),
    "marriage": Text("结婚", "marriage"),
    "divorce": Text("离婚", "divorce"),
    "pregnancy": Text("怀孕登记", "pregnancy registered"),
    "outcome": Text("妊娠结局", "pregnancy outcome"),
    "operation": Text("节育手术", "contraceptive operation"),
    "iud_removal": Text("取环", "IUD removal"),
    "certificate": Text("发证", "certificate issued"),
}


def describe_event(row: Row, language: str) -> str:
    """The event in words for a printed line: 出生（女，李小花）, 上环, 迁出：广东东莞."""
    kind = str(row["kind"])
    what = EVENT_KINDS.get(kind, Text(kind, kind)).get(language)
    details: list[str] = []
    code = row.get("code")
    table = {
        "birth": "sex",
        "outcome": "pregnancy_outcome",
        "operation": "contraceptive_method",
        "certificate": "certificate_kind",
    }.get(kind)
    if table and code is not None and codes.exists(table, code):
        details.append(codes.label(table, code, language))
    if row.get("other"):
        # An IUD removal's reason is a code (older registers: the words as typed).
        reason = kind == "iud_removal"
        details.append(label("contraception_end", row["other"], language) if reason
                       else str(row["other"]))
    sep = "，" if language == "zh" else ", "
    return f"{what}（{sep.join(details)}）" if details else what


# --- households and people ---------------------------------------------------------


def area_names(register: Register, village_code: str) -> str:
    """'Township Village (code)' from the area table, or the code alone if unnamed."""
    township = village_code[:9] + "000"
    names = areas.names(register, [village_code, township])  # an unnamed code: itself
    parts = [names[code] for code in (township, village_code) if names[code] != code]
    named = " ".join(parts)
    return f"{named}（{village_code}）" if named else village_code


def label(table: str, code: object, language: str) -> str:
    """A code's label; an unknown code is printed as it is rather than stop the print."""
    return codes.label(table, code, language) if codes.exists(table, code) else str(code or "")


def join(language: str, *parts: object) -> str:
    """Several details in one cell, with the language's separator."""
    return ("；" if language == "zh" else "; ").join(str(p) for p in parts if p)
