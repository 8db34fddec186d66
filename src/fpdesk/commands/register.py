"""init, demo, search, due, check: the register's own commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fpdesk.commands.common import emit, passphrase, subcommand, user
from fpdesk.core.i18n import Text
from fpdesk.store import accounts
from fpdesk.store.db import create_register
from fpdesk.sync import setup as sync_setup

ACCOUNT_RECOVERY = Text(
    "账户恢复密钥（只显示这一次，请抄下或打印后锁进保险柜）：{key}",
    "Account recovery key (shown this once: copy or print it and lock it in the safe): {key}",
)


def add_commands(sub: Any) -> None:
    with subcommand(sub, "init", "create a new register / 新建登记册", run_init) as init:
        init.add_argument("--role", required=True, choices=("village", "township"))
        init.add_argument("--area", required=True, help="12-digit area code / 12 位区划代码")
        init.add_argument(
            "--recovery-key-out",
            type=Path,
            help="township: recovery key file (default: next to the register) / 恢复密钥文件",
        )


def run_init(args: argparse.Namespace) -> int:
    recovery = None
    if user(args):  # with accounts from the start: this user is the administrator
        register, recovery = accounts.create_with_account(
            args.db,
            role=args.role,
            area_code=args.area,
            name=str(user(args)),
            passphrase=passphrase(confirm=True),
        )
    else:
        register = create_register(
            args.db, passphrase(confirm=True), role=args.role, area_code=args.area
        )
    try:
        info = dict(register.info)
        info.update(sync_setup.keys_for_new_register(register, args.recovery_key_out))
    finally:
        register.close()
    text = Text(
        "已新建登记册 {path}（{role}，{area}）。", "Created register {path} ({role}, {area})."
    )
    message = str(text.format(path=args.db, role=args.role, area=args.area))
    if "recovery_key_file" in info:
        message += "\n" + str(sync_setup.RECOVERY_WRITTEN.format(path=info["recovery_key_file"]))
    if recovery:
        info["account_recovery_key"] = recovery
        message += "\n" + str(ACCOUNT_RECOVERY.format(key=recovery))
    emit(args, info, message)
    return 0
