"""Who may do what, and where: checked in the operations, so every face refuses alike.

A register without accounts (opened with its passphrase alone) has no limits: that is
the single-officer laptop as it was before accounts.  With an account logged in:
an officer sees and edits their own village, a clerk their township, and exports,
imports, enrollment, the audit log and key operations need the roles that own them.

The operations themselves ask here, not the command line or the window: every write
(`check_write`, from store.records), every read that lists or exports persons (search,
due lists, work lists, indicators and their members, workbooks, printouts: `scope`),
the exports and backups that take in the whole register (`require_whole`), and the
imports, enrollment and conflict queue (`require`).  Each of those operations also
writes its own row in the record of processing (store.access_log).  A new face (a menu
action, a script) calls the operation and inherits both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.store.connection import Register
from fpdesk.store.errors import RegisterError

ROLES = ("officer", "clerk", "administrator")
ROLE_NAMES = {
    "officer": Text("村专干", "village officer"),
    "clerk": Text("乡镇文书", "township clerk"),
    "administrator": Text("管理员", "administrator"),
}

# What each role may do beyond reading its own area.
PERMISSIONS: dict[str, frozenset[str]] = {
    "officer": frozenset({"edit", "export", "print", "report", "backup"}),
    "clerk": frozenset({"edit", "export", "import", "enroll", "print", "report", "backup"}),
    "administrator": frozenset(
        {
            "edit",
            "export",
            "import",
            "enroll",
            "print",
            "report",
            "backup",
            "restore",
            "accounts",
            "audit_log",
        }
    ),
}

ACTION_NAMES = {
    "edit": Text("修改登记", "edit the register"),
    "export": Text("导出", "export"),
    "import": Text("导入", "import"),
    "enroll": Text("登记设备", "enroll devices"),
    "print": Text("打印", "print"),
    "report": Text("统计报表", "produce reports"),
    "backup": Text("备份", "make backups"),
    "restore": Text("从备份恢复", "restore a backup"),
    "accounts": Text("管理账户和密钥", "manage accounts and keys"),
    "audit_log": Text("查看操作记录", "read the audit log"),
}


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    area_code: str


class AccessDenied(RegisterError):
    text = Text("没有权限。", "Not allowed.")


NOT_YOUR_ROLE = Text(
    "账户“{name}”（{role}）不能{action}。请让有权限的人来做。",
    "Account “{name}” ({role}) may not {action}. Ask someone whose role allows it.",
)
NOT_YOUR_AREA = Text(
    "账户“{name}”只能处理 {own} 范围内的记录，这条记录属于 {other}。",
    "Account “{name}” works on records in {own} only; this record belongs to {other}.",
)


def account_of(register: Register) -> Account | None:
    account = register.account
    return account if isinstance(account, Account) else None


def allowed(register: Register, action: str) -> bool:
    account = account_of(register)
    return account is None or action in PERMISSIONS.get(account.role, frozenset())


def require(register: Register, action: str) -> None:
    """Refuse, with a plain message, an action this account's role does not own."""
    if action not in ACTION_NAMES:
        raise ValueError(f"unknown action {action!r}")
    account = account_of(register)
    if account is None or allowed(register, action):
        return
    raise AccessDenied(
        NOT_YOUR_ROLE.format(
            name=account.name,
            role=ROLE_NAMES[account.role],
            action=ACTION_NAMES[action],
        )
    )


def area_of(register: Register) -> str:
    """The area this session sees: the account's, or the register's own."""
    account = account_of(register)
    return account.area_code if account else register.area_code


def require_area(register: Register, code: str | None) -> None:
    account = account_of(register)
    if account is None or not code:
        return
    if not area.contains(account.area_code, code):
        raise AccessDenied(
            NOT_YOUR_AREA.format(name=account.name, own=account.area_code, other=code)
        )


NOT_YOUR_AREA_LIST = Text(
    "账户“{name}”只能查看 {own} 范围内的人员，不能查看 {other}。",
    "Account “{name}” may see persons in {own} only, not in {other}.",
)
NOT_THE_WHOLE_REGISTER = Text(
    "账户“{name}”只能处理 {own} 范围内的记录，而{action}会包含整个登记册（{whole}）。"
    "请让乡镇文书或管理员来做。",
    "Account “{name}” works on {own} only, and to {action} takes in the whole register "
    "({whole}). Ask the township clerk or an administrator.",
)


def scope(register: Register, asked: str | None = None) -> str:
    """The area a read or an export covers: what was asked when this session may see
    all of it; the session's own area when nothing, or a wider area, was asked
    (narrowed); refused when the area lies elsewhere.

    Without accounts the register's passphrase is the whole permission, as before
    accounts: what was asked, else the register's own area."""
    account = account_of(register)
    if account is None:
        return asked or register.area_code
    own = account.area_code
    if not asked:
        return own
    if area.contains(own, asked):
        return asked
    if area.contains(asked, own):
        return own  # a wider area: only the part this account may see
    raise AccessDenied(NOT_YOUR_AREA_LIST.format(name=account.name, own=own, other=asked))


def village_scope(register: Register, asked: str | None = None) -> str | None:
    """scope() for a list filtered by one village (None: not filtered).  Without
    accounts, as asked; an account of a village, always its village; an account of a
    township, the village asked for (inside it), else its whole township."""
    if account_of(register) is None:
        return asked
    code = scope(register, asked)
    return code if area.level_of(code) == "village" else None


def sees(register: Register, village_code: str | None) -> bool:
    """Whether this session may see a row of this village (a row of no village: yes)."""
    account = account_of(register)
    return account is None or not village_code or area.contains(account.area_code, village_code)


def covers_register(register: Register) -> bool:
    account = account_of(register)
    return account is None or area.contains(account.area_code, register.area_code)


def require_whole(register: Register, action: str) -> None:
    """Refuse an action that takes in the whole register (a backup, every village's
    update) to an account that may see only part of it."""
    require(register, action)
    account = account_of(register)
    if account is not None and not covers_register(register):
        raise AccessDenied(
            NOT_THE_WHOLE_REGISTER.format(
                name=account.name,
                own=account.area_code,
                action=ACTION_NAMES[action],
                whole=register.area_code,
            )
        )


def area_condition(
    register: Register, column: str = "h.village_code"
) -> tuple[str, tuple[str, ...]]:
    """SQL (and its parameter) keeping a list to the rows this session may see."""
    account = account_of(register)
    if account is None:
        return "1 = 1", ()
    prefix = {"village": 12, "township": 9, "county": 6}.get(area.level_of(account.area_code), 12)
    return f"substr({column}, 1, {prefix}) = ?", (account.area_code[:prefix],)


def mask_phone(phone: str | None) -> str:
    """A phone number as lists show it: the first three and last four digits."""
    if not phone:
        return ""
    value = str(phone).strip()
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


# Columns that tie a row to a person, in the order they are tried.
_PERSON_LINKS = ("person_id", "woman_id", "mother_id", "wife_id", "husband_id", "user_id")


def _village_of_person(register: Register, person_id: str) -> str | None:
    rows = register.conn.execute(
        "SELECT h.village_code FROM person p JOIN household h ON h.id = p.household_id "
        "WHERE p.id = ?",
        (person_id,),
    ).fetchall()
    return str(rows[0][0]) if rows else None


def village_of(register: Register, table: str, row: Mapping[str, Any]) -> str | None:
    """The village a register row belongs to (None when it cannot be told yet)."""
    if table == "household":
        code = row.get("village_code")
        return str(code) if code else None
    if row.get("household_id"):
        found = register.conn.execute(
            "SELECT village_code FROM household WHERE id = ?", (row["household_id"],)
        ).fetchone()
        return str(found[0]) if found else None
    for column in _PERSON_LINKS:
        if row.get(column):
            return _village_of_person(register, str(row[column]))
    return None


def check_write(
    register: Register, table: str, fields: Mapping[str, Any], row_id: str | None = None
) -> None:
    """Before a write through store.records: the role may edit, and the row is in its area."""
    if account_of(register) is None:
        return
    require(register, "edit")
    merged: dict[str, Any] = {}
    if row_id is not None:
        rows = register.query(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        if rows:
            # The area it is in now, and (for a move) the area it goes to.
            require_area(register, village_of(register, table, rows[0]))
            merged.update(rows[0])
    merged.update(fields)
    require_area(register, village_of(register, table, merged))
