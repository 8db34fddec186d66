"""areas list|name: the names of the register's villages (and its own area's).

    fpdesk areas list --db T.fpdesk [--json]
    fpdesk areas name --db T.fpdesk CODE NAME

A register made by `fpdesk init` knows its areas by code only; the clerk types each
village's name once, and every list, board and printout shows it from then on.
"""

from __future__ import annotations

import argparse
from typing import Any

from fpdesk.commands.common import (
    CommandError,
    emit,
    list_rows,
    opened,
    subcommand,
)
from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.store import areas


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("areas", help="names of villages / 村名")
    steps = parser.add_subparsers(dest="areas_command", metavar="ACTION", required=True)
    with subcommand(steps, "list", "codes and names / 代码和名称", run_list):
        pass  # --db and --json only
    with subcommand(steps, "name", "name a village / 设置村名", run_name) as naming:
        naming.add_argument("code", help="12-digit area code / 12 位区划代码")
        naming.add_argument("name", help="the name / 名称")


def run_list(args: argparse.Namespace) -> int:
    return list_rows(
        args,
        areas.listing,
        lambda a: f"{a['code']}  {a['name'] if a['name'] != a['code'] else '—'}",
    )


def run_name(args: argparse.Namespace) -> int:
    try:
        area.level_of(args.code)
    except area.AreaCodeError as exc:
        raise CommandError(
            Text("区划代码应是 12 位数字：{c}", "An area code has 12 digits: {c}").format(
                c=args.code
            ),
            status=2,
        ) from exc
    if not args.name.strip():
        raise CommandError(Text("请写上名称。", "Give the name."), status=2)
    with opened(args) as register:
        areas.set_name(register, args.code, args.name)
    text = Text("{code} 现在叫 {name}。", "{code} is now called {name}.")
    emit(
        args,
        {"code": args.code, "name": args.name.strip()},
        str(text.format(code=args.code, name=args.name.strip())),
    )
    return 0
