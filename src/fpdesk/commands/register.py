"""init, demo, search, due, check: the register's own commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fpdesk.commands.common import add_db, add_json, emit, passphrase
from fpdesk.core.i18n import Text
from fpdesk.store.db import create_register
from fpdesk.sync import setup as sync_setup


def add_commands(sub: Any) -> None:
    init = sub.add_parser("init", help="create a new register / 新建登记册")
    add_db(init)
    init.add_argument("--role", required=True, choices=("village", "township"))
    init.add_argument("--area", required=True, help="12-digit area code / 12 位区划代码")
    init.add_argument(
        "--recovery-key-out",
        type=Path,
        help="township: recovery key file (default: next to the register) / 恢复密钥文件",
    )
    add_json(init)
    init.set_defaults(func=run_init)


def run_init(args: argparse.Namespace) -> int:
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
    emit(args, info, message)
    return 0
