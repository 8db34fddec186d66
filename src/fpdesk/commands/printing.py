"""print: household registers, woman cards, change lists, round sheets, import receipts.

    fpdesk print households|cards|changes|rounds --db PATH --village CODE [--period P]
                 --out FILE.pdf [--font PATH] [--compact] [--json]
    fpdesk print receipt --rows RESULTS.json --township NAME --out FILE.pdf
    fpdesk print receipt --db T.fpdesk [--run N] --out FILE.pdf   (an import run's receipt)

--period: for changes a period (2026-11, 2026Q1, 2026-01-01..2026-03-31; default this
month); for the others the day the register is printed "as of" (default today).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fpdesk.commands.common import CommandError, add_db, add_json, emit, opened, subcommand
from fpdesk.core.i18n import Text
from fpdesk.reports.pdf import KINDS

if TYPE_CHECKING:
    from fpdesk.reports.pdf.layout import PrintResult

# reportlab is imported only when something is printed: every other command starts
# faster without it.


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("print", help="print registers, cards and sheets (PDF) / 打印")
    kinds = parser.add_subparsers(dest="print_kind", metavar="KIND", required=True)
    for kind, title in KINDS.items():
        with subcommand(kinds, kind, f"{title.zh} / {title.en}", run_print) as one:
            one.add_argument("--village", required=True, help="12-digit village code / 村代码")
            one.add_argument("--period", help="period or day / 时段或日期")
            if kind == "households":
                one.add_argument("--compact", action="store_true",
                                 help="households run on, not one per page / 紧凑格式")
            _out_and_font(one)
    receipt = kinds.add_parser("receipt", help="import receipt / 导入回执")
    receipt.add_argument("--rows",
                         help="JSON list of {file_name, village, status, counts, reason} "
                         "or import-ledger rows / 导入结果")
    add_db(receipt, required=False)  # or an import run of the township register's ledger
    receipt.add_argument("--run", type=int,
                         help="with --db: the run (see `ledger --runs`; default the latest)"
                         " / 第几次导入")
    receipt.add_argument("--township", help="township name (default: the register's) / 乡镇名称")
    receipt.add_argument("--clerk", default="", help="clerk's name / 经办人")
    _out_and_font(receipt)
    add_json(receipt)
    receipt.set_defaults(func=run_receipt)


def _out_and_font(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, help="PDF file to write / 输出文件")
    parser.add_argument("--font", help="TrueType Chinese font file / 中文字体文件")


def run_print(args: argparse.Namespace) -> int:
    # Here and below: reportlab and the printouts load only when something is printed
    # (half a second of every other command's start-up otherwise).
    from fpdesk.reports.pdf import jobs
    from fpdesk.reports.pdf.layout import PrintOptions

    request = jobs.PrintRequest(
        kind=args.print_kind, village_code=args.village, period=args.period,
        per_page=not getattr(args, "compact", False),
    )
    with opened(args) as register:
        result = _guarded(lambda: jobs.run(register, request, args.out,
                                           PrintOptions(font=args.font)))
    _report(args, result)
    return 0


def run_receipt(args: argparse.Namespace) -> int:
    from fpdesk.reports.pdf.layout import PrintOptions
    from fpdesk.reports.pdf.receipt import ReceiptRow, print_receipt

    if bool(args.db) == bool(args.rows):
        raise CommandError(Text("请给出 --db（打印登记册里的一次导入）或 --rows，二者选一。",
                                "Give --db (an import run of the register) or --rows, not both."),
                           status=2)
    if args.db:
        return _run_receipt(args)
    if not args.township:
        raise CommandError(Text("请用 --township 写明乡镇名称。",
                                "Give the township's name with --township."), status=2)

    try:
        rows = json.loads(Path(args.rows).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(Text(f"读不了结果文件 {args.rows}：{exc}",
                                f"Cannot read the results file {args.rows}: {exc}")) from exc
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise CommandError(Text("结果文件应是一个 JSON 对象列表。",
                                "The results file must hold a JSON list of objects."))
    try:
        results = [ReceiptRow.from_mapping(r) for r in rows]
    except (KeyError, TypeError, ValueError) as exc:
        raise CommandError(Text(f"结果行缺少字段或字段不对：{exc}",
                                f"A result row lacks a field or has a bad one: {exc}"),
                           status=2) from exc
    result = _guarded(lambda: print_receipt(results, args.out, township=args.township,
                                            clerk=args.clerk,
                                            options=PrintOptions(font=args.font)))
    _report(args, result)
    return 0


def _run_receipt(args: argparse.Namespace) -> int:
    """The receipt of one import run of the register's ledger (the latest by default):
    the same job as the window's print dialog, which checks, prints and records it."""
    from fpdesk.reports.pdf import RECEIPT, jobs
    from fpdesk.reports.pdf.layout import PrintOptions

    request = jobs.PrintRequest(kind=RECEIPT, village_code="", run_id=args.run,
                                clerk=args.clerk, township=args.township)
    with opened(args) as register:
        result = _guarded(lambda: jobs.run(register, request, args.out,
                                           PrintOptions(font=args.font)))
    _report(args, result)
    return 0


def _guarded(make: Callable[[], PrintResult]) -> PrintResult:
    """Turn the printouts' own refusals into the command line's plain errors."""
    from fpdesk.reports.pdf.fonts import FontError  # reportlab: only when printing
    from fpdesk.reports.pdf.jobs import PrintRequestError

    try:
        return make()
    except (FontError, PrintRequestError) as exc:
        raise CommandError(exc.text) from exc


def _report(args: argparse.Namespace, result: PrintResult) -> None:
    text = Text("已生成 {path}：{pages} 页，{items} 项。",
                "Wrote {path}: {pages} pages, {items} items.")
    emit(args, {"path": str(result.path), "pages": result.pages, "items": result.items},
         str(text.format(path=result.path, pages=result.pages, items=result.items)))
