"""The command line: the same operations as the GUI, scriptable.

Each area adds its subcommands from a module in fpdesk.commands; every subcommand
exits non-zero on failure with the reason on stderr, and takes --json where it prints
results.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from fpdesk import __version__
from fpdesk.commands import areas as areas_commands
from fpdesk.commands import backup as backup_commands
from fpdesk.commands import bundle as bundle_commands
from fpdesk.commands import care as care_commands
from fpdesk.commands import demo as demo_commands
from fpdesk.commands import enroll as enroll_commands
from fpdesk.commands import hub as hub_commands
from fpdesk.commands import ledger as ledger_commands
from fpdesk.commands import printing as printing_commands
from fpdesk.commands import register as register_commands
from fpdesk.commands import reports as report_commands
from fpdesk.commands import search as search_commands
from fpdesk.commands import selftest as selftest_commands
from fpdesk.commands import users as users_commands
from fpdesk.core.errors import FpdeskError
from fpdesk.core.i18n import LANGUAGES, set_language

COMMAND_MODULES = [register_commands, printing_commands]
COMMAND_MODULES += [enroll_commands, bundle_commands]
COMMAND_MODULES += [search_commands]
COMMAND_MODULES += [report_commands]
COMMAND_MODULES += [demo_commands]
COMMAND_MODULES += [care_commands]
COMMAND_MODULES += [users_commands, backup_commands]
COMMAND_MODULES += [areas_commands]
COMMAND_MODULES += [hub_commands]
COMMAND_MODULES += [ledger_commands]
LANG_HELP = "language of messages / 提示语言"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fpdesk",
        description="fpdesk: 村级计划生育与生殖健康登记册 / village family-planning register",
    )
    parser.add_argument("--version", action="version", version=f"fpdesk {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=LANG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    gui = sub.add_parser("gui", help="open the window / 打开窗口")
    gui.add_argument("--db", help="register file / 登记册文件")
    gui.add_argument("--demo", action="store_true", help="build and open a demo register")
    gui.add_argument(
        "--hub",
        nargs="?",
        const="",
        metavar="URL",
        help="open a district hub, read-only (no URL: this computer's) / 打开区县汇总库（只读）",
    )
    gui.set_defaults(func=_run_gui)
    selftest_commands.add_commands(sub, check_window=_check_window)
    for module in COMMAND_MODULES:
        module.add_commands(sub)
    _accept_lang_anywhere(parser)
    return parser


def _accept_lang_anywhere(parser: argparse.ArgumentParser) -> None:
    """`fpdesk print cards --lang en` as well as `fpdesk --lang en print cards`.

    Every subcommand (and sub-subcommand) takes --lang; its default is SUPPRESS so a
    subcommand without it keeps what was given before the subcommand.
    """
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for child in set(action.choices.values()):
            if "--lang" not in child._option_string_actions:
                child.add_argument(
                    "--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=LANG_HELP
                )
            _accept_lang_anywhere(child)


def _run_gui(args: argparse.Namespace) -> int:
    if getattr(args, "hub", None) is not None:
        return _run_hub_window(args)
    from fpdesk.gui.app import main as gui_main  # Qt is loaded only when a window is wanted

    argv: list[str] = []
    if args.db:
        argv += ["--db", args.db]
    if args.demo:
        argv.append("--demo")
    if getattr(args, "lang", None):
        argv += ["--lang", args.lang]
    return gui_main(argv)


def hub_opening(url: str | None) -> tuple[Callable[[str | None], Any], str, str]:
    """`gui --hub`'s login to the hub (`opening(password) -> HubSession`; the window
    never imports the hub), with the user and the server/database for the password
    dialog.  No URL: this computer's embedded hub."""
    from fpdesk.hub import connection
    from fpdesk.hub.session import HubSession

    def opening(password: str | None) -> HubSession:
        return HubSession.open(url or None, password)

    if not url:
        return opening, "", ""
    try:
        user = str(connection.parts(url).get("user") or "")
        return opening, user, connection.where(url)
    except FpdeskError:  # a bad address: said by the window when it tries
        return opening, "", url


def _run_hub_window(args: argparse.Namespace) -> int:
    from fpdesk.gui import hub_window  # Qt is loaded only when a window is wanted

    opening, user, where = hub_opening(args.hub)
    return hub_window.main(opening, getattr(args, "lang", None), user=user, where=where)


def _check_window(db: Path, passphrase: str, settings_path: Path) -> list[str]:
    """`fpdesk selftest`'s checks of the window, offscreen (the installer runs it)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fpdesk.gui import selftest  # Qt is loaded only when the window is checked

    return selftest.check_installed_window(db, passphrase, settings_path)


def _utf8_when_redirected() -> None:
    """Write UTF-8 to a pipe or a file, whatever the system's code page.

    On a Windows set up in English, Python writes redirected output in the ANSI code
    page (cp1252), which has no Chinese: every command printing Chinese then died with
    UnicodeEncodeError, after `demo` had already written its register.  A console is
    left alone (Windows writes to it in UTF-16 anyway); the frozen app runs in UTF-8
    mode for the same reason (installer/fpdesk.spec).
    """
    for stream in (sys.stdout, sys.stderr):
        if stream is None or not hasattr(stream, "reconfigure"):
            continue
        if stream.isatty() or (stream.encoding or "").lower().replace("-", "") == "utf8":
            continue
        stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def exit_status(exc: FpdeskError) -> int:
    """A command's own status (CommandError.status); 2 for refused input (the kinds
    that are also ValueErrors: a form's problems, a period, a print request); else 1."""
    status = getattr(exc, "status", None)
    if isinstance(status, int) and status:
        return status
    return 2 if isinstance(exc, ValueError) else 1


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_when_redirected()
    parser = build_parser()
    args = parser.parse_args(argv)
    set_language(args.lang)
    if args.command is None:
        return _run_gui(argparse.Namespace(db=None, demo=False, lang=args.lang))
    try:
        status = args.func(args)
    except FpdeskError as exc:  # what the user can act on, said in their language
        print(f"fpdesk: {exc}", file=sys.stderr)
        return exit_status(exc)
    except (ValueError, KeyError) as exc:
        print(f"fpdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return int(status or 0)


if __name__ == "__main__":
    raise SystemExit(main())
