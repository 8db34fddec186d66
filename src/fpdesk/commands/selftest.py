"""selftest: the installed program checks itself (the frozen build's smoke test)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from fpdesk import __version__
from fpdesk.commands.common import CommandError, add_db, add_json, emit, passphrase
from fpdesk.core.i18n import Text


def add_commands(sub: Any) -> None:
    parser = sub.add_parser(
        "selftest", help="check this installation (translations, icons, Qt plugins, window)"
    )
    add_db(parser)
    add_json(parser)
    parser.set_defaults(func=run_selftest)


def run_selftest(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fpdesk.gui import selftest  # Qt only when asked for

    with tempfile.TemporaryDirectory() as scratch:
        problems = selftest.run(Path(args.db), passphrase(), Path(scratch) / "selftest.ini")
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
