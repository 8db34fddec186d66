"""users add|remove|passwd|list|recovery-key, and audit log: accounts and the record
of processing.

The account doing the work logs in with --user (or FPDESK_USER) and FPDESK_PASSPHRASE;
a new passphrase comes from FPDESK_NEW_PASSPHRASE or is asked twice at the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from fpdesk.commands.common import CommandError, add_db, add_json, emit, opened, user
from fpdesk.core.i18n import Text
from fpdesk.store import access_log, accounts, keyring
from fpdesk.store.access import ROLES
from fpdesk.store.backup import default_folder
from fpdesk.store.db import DAILY

NEW_PASSPHRASE_ENV = "FPDESK_NEW_PASSPHRASE"
RECOVERY_ENV = "FPDESK_RECOVERY_KEY"

RECOVERY_SHOWN = Text(
    "这个登记册现在按账户登录，已重新加密（原文件的备份在 {folder}）。\n"
    "恢复密钥（只显示这一次，请打印后锁进保险柜）：\n\n    {key}\n",
    "This register now opens with accounts and was re-encrypted (the old file is backed "
    "up in {folder}).\nRecovery key (shown this once: print it and lock it in the safe):"
    "\n\n    {key}\n",
)
SHEET_WRITTEN = Text(
    "恢复密钥单已写到 {path}：打印后请删除这个文件。",
    "Recovery sheet written to {path}: print it, then delete the file.",
)


def add_commands(sub: Any) -> None:
    users = sub.add_parser("users", help="accounts / 账户")
    steps = users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    add = steps.add_parser("add", help="add an account / 添加账户")
    add_db(add)
    add.add_argument("--name", required=True, help="the new account / 新账户名")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--area", help="12-digit area code (default: the register's) / 区划代码")
    add.add_argument("--sheet", type=Path, help="first account: recovery sheet PDF / 恢复密钥单")
    add_json(add)
    add.set_defaults(func=run_add)

    remove = steps.add_parser("remove", help="remove an account / 删除账户")
    add_db(remove)
    remove.add_argument("--name", required=True)
    add_json(remove)
    remove.set_defaults(func=run_remove)

    passwd = steps.add_parser("passwd", help="set a new passphrase / 设置新口令")
    add_db(passwd)
    passwd.add_argument("--name", help="whose (default: your own) / 哪个账户（默认自己）")
    passwd.add_argument(
        "--recovery-key",
        action="store_true",
        help=f"forgotten passphrase: use the recovery key (${RECOVERY_ENV}) / 用恢复密钥",
    )
    add_json(passwd)
    passwd.set_defaults(func=run_passwd)

    listing = steps.add_parser("list", help="list accounts / 列出账户")
    add_db(listing)
    add_json(listing)
    listing.set_defaults(func=run_list)

    recovery = steps.add_parser("recovery-key", help="replace the recovery key / 更换恢复密钥")
    add_db(recovery)
    recovery.add_argument("--sheet", type=Path, help="recovery sheet PDF / 恢复密钥单")
    add_json(recovery)
    recovery.set_defaults(func=run_recovery_key)


def add_log_command(steps: Any) -> None:
    """`fpdesk audit log`, beside the statistics audit's steps."""
    log = steps.add_parser("log", help="record of processing (administrator) / 操作记录")
    add_db(log)
    log.add_argument("--since", help="from this date or time / 起始日期")
    log.add_argument("--until", help="before this date or time / 截止日期")
    log.add_argument("--action", choices=access_log.ACTIONS)
    log.add_argument("--account", help="one account's rows / 只看一个账户")
    log.add_argument("--out", type=Path, help="export to .csv or .json / 导出文件")
    add_json(log)
    log.set_defaults(func=run_audit_log)


def new_passphrase() -> str:
    value = os.environ.get(NEW_PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(
            Text(
                f"需要新口令：请设置环境变量 {NEW_PASSPHRASE_ENV}，或在终端里运行。",
                f"A new passphrase is needed: set {NEW_PASSPHRASE_ENV}, or run in a terminal.",
            )
        )
    first = getpass.getpass("新口令 / New passphrase: ")
    if getpass.getpass("再输一次 / Again: ") != first:
        raise CommandError(Text("两次输入的口令不一样。", "The two passphrases differ."))
    return first


def _write_sheet(args: argparse.Namespace, key: str, area_code: str) -> str:
    if not args.sheet:
        return ""
    from fpdesk.reports.pdf.recovery import write_recovery_sheet  # reportlab: only for a sheet

    write_recovery_sheet(args.sheet, key, register_name=Path(args.db).name, area_code=area_code)
    return "\n" + str(SHEET_WRITTEN.format(path=args.sheet))


def run_add(args: argparse.Namespace) -> int:
    with opened(args) as register:
        first = not keyring.exists(register.path)
        key = accounts.add(register, args.name, args.role, args.area, new_passphrase())
        area_code = register.area_code
    data: dict[str, Any] = {"name": args.name, "role": args.role, "converted": first}
    message = str(Text("已添加账户 {name}。", "Account {name} added.").format(name=args.name))
    if key:
        data["recovery_key"] = key
        message += "\n" + str(RECOVERY_SHOWN.format(folder=default_folder(args.db), key=key))
        message += _write_sheet(args, key, area_code)
    emit(args, data, message)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    with opened(args) as register:
        accounts.remove(register, args.name)
    emit(
        args,
        {"removed": args.name},
        str(Text("已删除账户 {n}。", "Account {n} removed.").format(n=args.name)),
    )
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    if args.recovery_key:
        name = args.name or user(args)
        if not name:
            raise CommandError(Text("请用 --name 指明账户。", "Name the account with --name."))
        key = os.environ.get(RECOVERY_ENV) or (
            getpass.getpass("恢复密钥 / Recovery key: ") if sys.stdin.isatty() else ""
        )
        if not key:
            raise CommandError(
                Text(f"需要恢复密钥：请设置 {RECOVERY_ENV}。", f"Set {RECOVERY_ENV}.")
            )
        accounts.recover(args.db, name, key, new_passphrase(), verify=DAILY).close()
    else:
        with opened(args) as register:
            if register.account is None:
                raise CommandError(accounts.NO_ACCOUNTS)
            name = args.name or register.account.name
            accounts.set_passphrase(register, name, new_passphrase())
    text = Text("账户 {n} 的口令已更换。", "Account {n} has a new passphrase.")
    emit(args, {"name": name}, str(text.format(n=name)))
    return 0


def run_list(args: argparse.Namespace) -> int:
    with opened(args) as register:
        rows = accounts.listing(register)
    lines = [
        f"{r['name']}\t{r['role']}\t{r['area_code']}"
        + (f"\t(等待至 / waiting until {r['locked_until']})" if r["locked_until"] else "")
        for r in rows
    ]
    emit(args, rows, "\n".join(lines) or str(accounts.NO_ACCOUNTS))
    return 0


def run_recovery_key(args: argparse.Namespace) -> int:
    with opened(args) as register:
        key = accounts.new_recovery_key(register)
        area_code = register.area_code
    message = str(RECOVERY_SHOWN.format(folder="-", key=key)).split("\n", 1)[1]
    emit(args, {"recovery_key": key}, message + _write_sheet(args, key, area_code))
    return 0


def run_audit_log(args: argparse.Namespace) -> int:
    with opened(args) as register:
        rows = access_log.read(
            register,
            since=args.since,
            until=args.until,
            action=args.action,
            account=args.account,
        )
        if args.out:
            access_log.export(register, rows, args.out)
    if args.out:
        text = Text("已导出 {n} 条记录到 {path}。", "{n} rows exported to {path}.")
        emit(
            args,
            {"rows": len(rows), "out": str(args.out)},
            str(text.format(n=len(rows), path=args.out)),
        )
        return 0
    lines = [f"{r['at']}\t{r['account'] or '-'}\t{r['action']}\t{r['detail']}" for r in rows]
    emit(args, rows, "\n".join(lines))
    return 0
