"""selftest: the installed program checks itself (the frozen build's smoke test).

The checks of the window (Qt's plugins, the icons, the translation, the main window)
are gui.selftest's; the command line and the window are two faces that never import
each other, so fpdesk.cli, above both, hands them in (`check_window`), and this module
runs them after the packed data's (core.installation) and reports.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk import __version__
from fpdesk.commands.common import CommandError, add_db, add_json, emit, passphrase
from fpdesk.core.i18n import Text
from fpdesk.core.installation import check_resources

# (register file, passphrase, settings file) -> the problems found
WindowCheck = Callable[[Path, str, Path], list[str]]


def add_commands(sub: Any, check_window: WindowCheck) -> None:
    parser = sub.add_parser(
        "selftest", help="check this installation (translations, icons, Qt plugins, window)"
    )
    add_db(parser)
    add_json(parser)
    parser.set_defaults(func=functools.partial(run_selftest, check_window=check_window))


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
