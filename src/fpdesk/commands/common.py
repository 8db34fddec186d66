"""What every subcommand shares: the passphrase, opening the register, output, errors."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Iterator
from typing import Any

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.store.db import DAILY, LATER, Register, Verify, open_register

PASSPHRASE_ENV = "FPDESK_PASSPHRASE"
USER_ENV = "FPDESK_USER"


class CommandError(FpdeskError):
    """A failure to report on stderr with a non-zero exit status."""

    def __init__(self, text: Text | str, status: int = 1) -> None:
        super().__init__(text if isinstance(text, Text) else Text(text, text))
        self.status = status


def passphrase(confirm: bool = False) -> str:
    """From FPDESK_PASSPHRASE, else asked at the terminal (never echoed)."""
    value = os.environ.get(PASSPHRASE_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(
            Text(
                f"需要口令：请设置环境变量 {PASSPHRASE_ENV}，或在终端里运行以便输入口令。",
                f"A passphrase is needed: set {PASSPHRASE_ENV}, or run in a terminal to type it.",
            )
        )
    first = getpass.getpass("口令 / Passphrase: ")
    if confirm and getpass.getpass("再输一次 / Again: ") != first:
        raise CommandError(Text("两次输入的口令不一样。", "The two passphrases differ."))
    return first


def add_db(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--db", required=required, help="register file / 登记册文件")
    parser.add_argument(
        "--user", help=f"account name (default ${USER_ENV}) / 账户名（默认 ${USER_ENV}）"
    )


def user(args: argparse.Namespace) -> str | None:
    """The account to log in as: --user, else FPDESK_USER; None for no accounts."""
    return getattr(args, "user", None) or os.environ.get(USER_ENV) or None


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON / 输出 JSON")


@contextlib.contextmanager
def opened(args: argparse.Namespace, *, check_later: bool = False) -> Iterator[Register]:
    """The register, logged in, after the quick integrity check: a damaged file is
    refused before anything is written to it (`fpdesk check` looks for itself).
    With `check_later`, a due check is left to the command (store.daily_check.alongside),
    the register's writes held until it has passed.
    What the account may do, where, and the record of processing are the operations'
    own business (store.access), the same for the window and the command line."""
    verify: Verify = LATER if check_later else DAILY
    if getattr(args, "command", None) == "check":
        verify = False
    register = open_register(args.db, passphrase(), user=user(args), verify=verify)
    try:
        yield register
    finally:
        register.close()


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """JSON with --json, else the human text."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
