"""hub held list|release|discard: the township files the hub holds as forks
(hub.held, docs/hub.md), and the month's files the hub did not take, for hub status."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.commands.common import emit, emit_lines
from fpdesk.core.i18n import Text

HELD_ROW = Text(
    "  {id}  乡镇 {township}  {file}  修改 {first}-{upto}{complete}  保留于 {at}\n    {reason}",
    "  {id}  township {township}  {file}  changes {first}-{upto}{complete}  held {at}\n"
    "    {reason}",
)
COMPLETE = Text("（全部修改，可放行）", " (all its changes: can be released)")
DECIDED = Text(
    "\n    已处理：{action}，{when}，{actor}：{why}",
    "\n    decided: {action}, {when}, {actor}: {why}",
)
ACTIONS = {"released": Text("放行", "released"), "discarded": Text("放弃", "discarded")}
NOTHING_HELD = Text("没有保留的文件。", "No held files.")
RELEASED = Text(
    "已放行 {id}：汇总库按乡镇 {township} 登记册现在的样子保存了 {applied} 条修改。"
    "回执 {ack}：请交给乡镇，在乡镇登记册上用 fpdesk bundle import 导入。",
    "Released {id}: the hub holds township {township}'s register as it is now, from "
    "{applied} changes. Acknowledgement {ack}: take it to the township and import it there "
    "with fpdesk bundle import.",
)
DISCARDED = Text(
    "已放弃 {id}：汇总库没有改动它保存的乡镇 {township} 的数据，决定和理由已记录。",
    "Discarded {id}: the hub keeps what it held of township {township}; the decision and "
    "its reason are recorded.",
)
PROBLEMS = Text("本月没有采用的文件：", "Files of this month not taken:")
PROBLEM_ROW = Text(
    "  {township} {file}（{outcome}，{at}）：{reason}",
    "  {township} {file} ({outcome}, {at}): {reason}",
)

BY_HELP = "who decides (kept in the ledger; default: this computer's user) / 处理人"


def add_held_commands(
    steps: Any, action: Callable[..., Any], opened: Callable[[argparse.Namespace], Any]
) -> None:
    """`hub held …`; `action` sets a hub subcommand up and `opened(args)` connects to the
    hub it names (commands.hub's own, passed in: that module imports this one)."""
    held = steps.add_parser("held", help="files held as forks / 保留的分叉文件")
    which = held.add_subparsers(dest="hub_held_command", metavar="ACTION", required=True)
    with action(which, "list", "the held files / 保留的文件", run_list) as listing:
        listing.add_argument("--all", action="store_true", help="decided too / 包括已处理")
    with action(
        which,
        "release",
        "take the township's register as the file has it / 放行（按乡镇登记册现在的样子）",
        run_release,
    ) as release:
        release.add_argument("held_id", help="the held file's id / 文件编号")
        release.add_argument("--reason", required=True, help="why / 理由")
        release.add_argument("--by", default="", help=BY_HELP)
        release.add_argument(
            "--out", required=True, type=Path, help="folder for the acknowledgement / 回执文件夹"
        )
    with action(which, "discard", "keep nothing of the file / 放弃", run_discard) as discard:
        discard.add_argument("held_id", help="the held file's id / 文件编号")
        discard.add_argument("--reason", required=True, help="why / 理由")
        discard.add_argument("--by", default="", help=BY_HELP)
    for parser in (listing, release, discard):
        parser.set_defaults(hub_opened=opened)


def _hub(args: argparse.Namespace) -> Any:
    return args.hub_opened(args)


def _by(args: argparse.Namespace) -> str:
    return str(args.by).strip() or getpass.getuser()


def run_list(args: argparse.Namespace) -> int:
    from fpdesk.hub import held

    with _hub(args) as (_, conn):
        found = held.held_files(conn, include_released=args.all)
    return emit_lines(args, [h.as_dict() for h in found], [_line(h) for h in found], NOTHING_HELD)


def _line(h: Any) -> str:
    line = str(
        HELD_ROW.format(
            id=h.held_id,
            township=h.township,
            file=h.file_name,
            first=(h.after or 0) + 1,
            upto=h.upto,
            complete=str(COMPLETE) if h.complete else "",
            at=h.held_at,
            reason=str(h.reason),
        )
    )
    if h.release is not None:
        r = h.release
        line += str(
            DECIDED.format(
                action=str(ACTIONS[r["action"]]),
                when=r["at"],
                actor=r["actor"],
                why=str(r["reason"]),
            )
        )
    return line


def run_release(args: argparse.Namespace) -> int:
    from fpdesk.hub import held

    with _hub(args) as (_, conn):
        done = held.release(
            conn, args.held_id, reason=args.reason, actor=_by(args), ack_dir=args.out
        )
    text = RELEASED.format(
        id=done.held.held_id, township=done.held.township, applied=done.applied, ack=str(done.ack)
    )
    emit(args, done.as_dict(), str(text))
    return 0


def run_discard(args: argparse.Namespace) -> int:
    from fpdesk.hub import held

    with _hub(args) as (_, conn):
        done = held.discard(conn, args.held_id, reason=args.reason, actor=_by(args))
    emit(
        args,
        done.as_dict(),
        str(DISCARDED.format(id=done.held.held_id, township=done.held.township)),
    )
    return 0


def problem_lines(problems: list[Any], outcomes: dict[str, Text]) -> list[str]:
    """hub status: the month's refused, gap and fork files, each with its reason."""
    if not problems:
        return []
    return [str(PROBLEMS)] + [
        str(
            PROBLEM_ROW.format(
                township=p.township or "?",
                file=p.file_name,
                outcome=str(outcomes[p.outcome]),
                at=p.seen_at,
                reason=str(p.reason),
            )
        )
        for p in problems
    ]
