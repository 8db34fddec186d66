"""What can go wrong with a ledger file, each with a plain message in both languages."""

from __future__ import annotations

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text

# A village's ledger has a few thousand rows; a file ten times the largest village
# is not a village ledger (or is a whole county's export) and would take minutes.
MAX_ROWS = 100_000


class LedgerError(FpdeskError):
    """A ledger that cannot be read or imported; nothing was written."""

    text = Text(
        "台账文件无法导入，登记册没有任何改动。",
        "The ledger cannot be imported; nothing was written.",
    )


PASSWORD = Text(
    "这个台账文件设置了打开密码，程序读不了，登记册没有任何改动。"
    "请在 Excel 或 WPS 里打开它，取消密码（文件 ▸ 信息 ▸ 保护工作簿）后另存，再导入。",
    "This ledger is protected by a password and cannot be read; nothing was written. "
    "Open it in Excel or WPS, remove the password and save it, then import it again.",
)
DAMAGED = Text(
    "台账文件“{name}”已损坏或不是它的扩展名所说的类型，读不出来，登记册没有任何改动。"
    "请在 Excel 或 WPS 里打开后另存为 .xlsx 再导入。",
    "The ledger “{name}” is damaged or not the kind of file its name says; nothing was "
    "written. Open it in Excel or WPS, save it as .xlsx and import that.",
)
UNKNOWN_TYPE = Text(
    "不认识“{name}”这种文件。能导入的台账是 .xlsx、.xls 和 .csv 文件。",
    "“{name}” is not a kind of file that can be imported: use .xlsx, .xls or .csv.",
)
TOO_MANY_ROWS = Text(
    "这张表超过 {limit} 行，不像一个村的台账，没有导入。请按村或按组分开后再导入。",
    "This sheet has more than {limit} rows, more than a village's ledger; nothing was "
    "imported. Split it by village or by group and import the parts.",
)
EMPTY = Text(
    "工作表“{sheet}”是空的，没有可导入的内容。", "The sheet “{sheet}” is empty: nothing to import."
)
NO_HEADING = Text(
    "在工作表“{sheet}”的前 {rows} 行里找不到表头（例如“姓名”“身份证号”“性别”“出生日期”），"
    "没有导入。请检查是否选对了工作表。",
    "No heading row (such as 姓名, 身份证号, 性别, 出生日期) was found in the first {rows} "
    "rows of the sheet “{sheet}”; nothing was imported. Check that this is the right sheet.",
)
FORMULAS_ONLY = Text(
    "工作表“{sheet}”里只有公式，没有保存计算结果，读不出数值。"
    "请在 Excel 或 WPS 里打开并保存一次（或复制后“选择性粘贴 ▸ 数值”），再导入。",
    "The sheet “{sheet}” holds formulas without their saved results, so there are no "
    "values to read. Open it in Excel or WPS and save it once (or paste it as values), "
    "then import again.",
)
NO_SHEET = Text(
    "台账里没有名为“{sheet}”的工作表。有：{names}。",
    "The ledger has no sheet named “{sheet}”. It has: {names}.",
)
NOT_READY = Text(
    "还有行有问题，没有导入任何内容。请按报告修改台账，或选择“跳过有问题的行”。",
    "Some rows have problems, so nothing was imported. Fix the ledger as the report says, "
    "or choose to skip the rows with problems.",
)
NOT_A_VILLAGE = Text(
    "请指定要导入到哪个村（12 位村代码）：这个登记册包含多个村。",
    "Say which village to import into (its 12-digit code): this register holds several villages.",
)
NO_NAME_COLUMN = Text(
    "{file} 的工作表“{sheet}”里没有对应“姓名”的列，没有导入。请在列对照里指定姓名列。",
    "The sheet “{sheet}” of {file} has no column for the name; nothing was imported. "
    "Choose the name column in the mapping.",
)
WEB_PAGE = Text(
    "“{name}”名为 .xls，其实是网页格式（很多系统“导出 Excel”时这样保存），读不出来，"
    "登记册没有任何改动。请在 Excel 或 WPS 里打开它，另存为 .xlsx 再导入。",
    "“{name}” is named .xls but is a web page (as many systems “export to Excel”); "
    "nothing was written. Open it in Excel or WPS, save it as .xlsx and import that.",
)
