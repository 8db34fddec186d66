"""demo: build the synthetic district (fpdesk.demo) into a new register file."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from fpdesk import demo
from fpdesk.commands.common import CommandError, add_db, add_json, emit, passphrase
from fpdesk.core.i18n import Text

TABLE_NAMES = {
    "area_unit": "区划",
    "household": "户",
    "person": "人员",
    "marriage": "婚姻",
    "pregnancy": "孕情",
    "birth": "出生",
    "contraception": "节育措施",
    "supply": "药具发放",
    "visit": "随访",
    "move": "迁移",
    "certificate": "证件",
}


def add_commands(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="build a demo register of made-up people / 生成演示登记册",
        description=(
            "生成一个虚构县的演示登记册（同一种子，同一结果），不会覆盖已有文件。 / "
            "Build a demo register of a made-up county (same seed, same register); "
            "never overwrites an existing file."
        ),
    )
    add_db(parser)
    parser.add_argument(
        "--persons",
        type=int,
        default=2000,
        help=f"how many persons, {demo.MIN_PERSONS}-{demo.MAX_PERSONS:,} (default 2000) / 人数",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1) / 随机种子")
    add_json(parser)
    parser.set_defaults(func=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    try:
        demo.check_size(args.persons)
    except demo.DemoSizeError as exc:
        raise CommandError(exc.text, status=2) from None
    secret = passphrase(confirm=True)
    try:
        counts = demo.build_demo(
            args.db,
            secret,
            persons=args.persons,
            seed=args.seed,
            progress=_progress if sys.stderr.isatty() else None,
        )
    except demo.DemoProcessError as exc:  # the row-making process died (killed, memory)
        raise CommandError(exc.text) from None
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    emit(args, {"path": str(args.db), "seed": args.seed, "rows": counts}, _summary(args, counts))
    return 0


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r{done:,} / {total:,}")
    sys.stderr.flush()


def _summary(args: argparse.Namespace, counts: dict[str, int]) -> str:
    head = Text(
        "已生成演示登记册 {path}（种子 {seed}）：",
        "Built demo register {path} (seed {seed}):",
    ).format(path=args.db, seed=args.seed)
    lines = [str(head)]
    for table, count in counts.items():
        lines.append(f"  {TABLE_NAMES.get(table, table)} / {table}: {count:,}")
    return "\n".join(lines)
