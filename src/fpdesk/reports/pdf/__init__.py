"""Printed registers, cards and sheets (PDF, A4, Chinese font embedded).

Each printout is a module with one entry function taking the open register, what to
print and a `PrintOptions`; all share the page furniture in `layout` and the font
choice in `fonts`.  Pages are made one household (or woman, or group) at a time, so a
large village does not have to fit in memory at once.
"""

from fpdesk.core.i18n import Text

# The printouts made for a village, by the name the command line uses.  Kept here, free
# of reportlab, so the command line can list them without loading the PDF machinery.
KINDS: dict[str, Text] = {
    "households": Text("户籍登记册", "Household register"),
    "cards": Text("育龄妇女信息卡", "Woman of childbearing age cards"),
    "changes": Text("月报告单（变动情况）", "Monthly change list"),
    "rounds": Text("随访服务单", "Visit round sheet"),
}

# The township's import receipt: printed for an import run of the register's ledger,
# not for a village, so the command line gives it options of its own.
RECEIPT = "receipt"
PRINTOUTS: dict[str, Text] = {**KINDS, RECEIPT: Text("变更包导入回执", "Import receipt")}
