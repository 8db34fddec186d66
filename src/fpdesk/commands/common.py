"""What every subcommand shares: its set-up (`subcommand`: --db and --user, --json, the
function that runs it), the passphrase, opening the register and running an engine
call on it (`on_register`: a refusal becomes the command's plain message and exit
status), output, errors."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import Text
from fpdesk.store.db import DAILY, LATER, Register, Verify, open_register
from fpdesk.sync.errors import SyncError

PASSPHRASE_ENV = "FPDESK_PASSPHRASE"
USER_ENV = "FPDESK_USER"
T = TypeVar("T")


class CommandError(FpdeskError):
    """A failure to report on stderr with a non-zero exit status."""

    def __init__(self, text: Text | str, status: int = 1) -> None:
        super().__init__(text if isinstance(text, Text) else Text(text, text))
        self.status = status


def passphrase(confirm: bool = False) -> str:
    """From FPDESK_PASSPHRASE, else asked at the terminal (never echoed)."""
    return secret(
        PASSPHRASE_ENV,
        "口令 / Passphrase: ",
        Text(
            f"需要口令：请设置环境变量 {PASSPHRASE_ENV}，或在终端里运行以便输入口令。",
            f"A passphrase is needed: set {PASSPHRASE_ENV}, or run in a terminal to type it.",
        ),
        confirm=confirm,
    )


def secret(env: str, prompt: str, missing: Text, *, confirm: bool = False) -> str:
    """A passphrase from the environment variable `env`, else typed at the terminal
    (never echoed; twice with `confirm`).  Without either: `missing`, as the error."""
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CommandError(missing)
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("再输一次 / Again: ") != first:
        raise CommandError(Text("两次输入的口令不一样。", "The two passphrases differ."))
    return first


@contextlib.contextmanager
def subcommand(
    sub: Any,
    name: str,
    help_text: str,
    run: Callable[[argparse.Namespace], int],
    *,
    opens: Callable[[argparse.ArgumentParser], None] | None = None,
    **options: Any,
) -> Iterator[argparse.ArgumentParser]:
    """A subcommand as every one is set up: what it opens first (the register: --db,
    --user; the district hub's commands give their --url), then its own arguments
    (added inside the `with`), then --json; `run` runs it.  `options` go to argparse
    (a description, say)."""
    parser: argparse.ArgumentParser = sub.add_parser(name, help=help_text, **options)
    (opens or add_db)(parser)
    yield parser
    add_json(parser)
    parser.set_defaults(func=run)


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


def on_register(args: argparse.Namespace, work: Callable[[Register], T]) -> T:
    """Run one engine call on the opened register: its refusal (a SyncError, with its
    plain message) is the command's, and the exit status says so."""
    with opened(args) as register:
        try:
            return work(register)
        except SyncError as exc:  # BundleRefused too
            raise CommandError(exc.text) from exc


def list_rows(
    args: argparse.Namespace,
    read: Callable[[Register], Sequence[T]],
    line: Callable[[T], str],
    nothing: Text | None = None,
    *,
    as_data: Callable[[T], Any] | None = None,
) -> int:
    """A listing: the rows `read` from the register, as JSON (each `as_data`, if given)
    or one `line` each (`nothing` says there are none)."""
    rows = on_register(args, read)
    data = list(rows) if as_data is None else [as_data(row) for row in rows]
    return emit_lines(args, data, [line(row) for row in rows], nothing)


def emit_lines(
    args: argparse.Namespace, data: Any, lines: Iterable[str], nothing: Text | None = None
) -> int:
    """JSON with --json, else one line each (`nothing` says there are none); status 0."""
    text = "\n".join(lines)
    emit(args, data, text or (str(nothing) if nothing is not None else ""))
    return 0


def emit(args: argparse.Namespace, data: Any, text: str) -> None:
    """JSON with --json, else the human text."""
    if getattr(args, "json", False):
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
