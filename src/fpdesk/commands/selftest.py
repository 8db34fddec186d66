"""selftest: the installed program checks itself (the frozen build's smoke test).

The checks of the window (Qt's plugins, the icons, the translation, the main window)
are gui.selftest's; the command line is below the window, so fpdesk.cli hands them
in (`check_window`) and this module runs them with its own checks and reports.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fpdesk import __version__
from fpdesk.commands.common import CommandError, add_db, add_json, emit, passphrase
from fpdesk.core.i18n import Text

# (register file, passphrase, settings file) -> the problems found
WindowCheck = Callable[[Path, str, Path], list[str]]


def add_commands(sub: Any, check_window: WindowCheck) -> None:
    parser = sub.add_parser(
        "selftest", help="check this installation (translations, icons, Qt plugins, window)"
    )
    add_db(parser)
    add_json(parser)
    parser.set_defaults(func=functools.partial(run_selftest, check_window=check_window))


def package_file(*parts: str) -> Path:
    return Path(str(resources.files("fpdesk").joinpath(*parts)))


def check_resources() -> list[str]:
    """What the packed code tables lack (a frozen build that left them out)."""
    problems = []
    codes = package_file("resources", "codes.json")
    try:
        tables = json.loads(codes.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [f"code tables missing or unreadable: {exc}"]
    for table in ("sex", "marital_status", "contraceptive_method", "visit_type"):
        if table not in tables:
            problems.append(f"code table {table} missing from codes.json")
    return problems


def run_selftest(args: argparse.Namespace, *, check_window: WindowCheck) -> int:
    problems = check_resources()
    with tempfile.TemporaryDirectory() as scratch:
        problems += check_window(Path(args.db), passphrase(), Path(scratch) / "selftest.ini")
    report = {"version": __version__, "python": sys.version.split()[0], "problems": problems}
    if problems:
        raise CommandError(
            Text(
                "自检发现问题：" + "；".join(problems),
                "Self-test problems: " + "; ".join(problems),
            )
        )
    emit(args, report, f"fpdesk {__version__}: self-test passed")
    return 0
