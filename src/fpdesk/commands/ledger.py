"""import-ledger: bring a village's existing Excel ledgers into the register (issue 18)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fpdesk import ledgers
from fpdesk.commands.common import CommandError, emit, opened, subcommand
from fpdesk.core.i18n import Text, current_language
from fpdesk.ledgers import LedgerError, LedgerPlan, SheetTable

SHEET_LEFT_OUT = Text(
    "{file}：工作表“{sheet}”没有导入：{why}", "{file}: the sheet “{sheet}” was not imported: {why}"
)
SUMMARY = Text(
    "{files} 个文件 {sheets} 张表：新增 {new} 人，补充 {update} 人，已有 {same} 人，"
    "有问题 {problem} 行，跳过 {skipped} 行（空行、小计、合计、标题）。",
    "{files} files, {sheets} sheets: {new} new, {update} updated, {same} already in, "
    "{problem} rows with problems, {skipped} rows skipped (blank, subtotals, totals, titles).",
)
PROBLEM_LINE = Text(
    "  {file} {sheet} 第 {number} 行：{message}", "  {file} {sheet} row {number}: {message}"
)
MORE_PROBLEMS = Text(
    "  ……还有 {count} 行有问题，详见报告。",
    "  ... {count} more rows with problems: see the report.",
)
DIFFERENCES = Text(
    "{count} 处与登记册不同，没有修改，请核实（详见报告）。",
    "{count} values differ from the register and were not changed: please check (see the report).",
)
DRY_RUN = Text("试导入：登记册没有任何改动。", "Dry run: nothing was written to the register.")
IMPORTED = Text(
    "已导入：新增 {households} 户 {persons} 人，补充 {updated} 人，"
    "节育措施 {methods} 条，生育 {births} 条。",
    "Imported: {households} households and {persons} persons added, {updated} persons "
    "updated, {methods} contraception records, {births} births.",
)
SKIPPED_PROBLEMS = Text(
    "有问题的 {count} 行没有导入；改好后可以再导入同一个文件，已导入的不会重复。",
    "The {count} rows with problems were not imported; fix them and import the same file "
    "again: what is already in is not added twice.",
)
DRY_RUN_PROBLEMS = Text(
    "试导入：{count} 行有问题，要先改好（或加 --skip-problem-rows）才能导入。登记册没有任何改动。",
    "Dry run: {count} rows have problems to fix first (or add --skip-problem-rows). "
    "Nothing was written to the register.",
)
REPORT_FAILED = Text(
    "报告没有写成（{path}：{why}）。请换一个能写入的位置，用 --dry-run 再试一次。",
    "The report was not written ({path}: {why}). Choose a place you can write to and "
    "try again with --dry-run.",
)
REPORT_WRITTEN = Text("报告：{path}", "Report: {path}")
NOT_WRITTEN = Text(
    "因为有问题的行，没有导入任何内容。请按上面的说明修改台账后再导入，"
    "或加 --skip-problem-rows 只导入没有问题的行。",
    "Nothing was imported because of the rows with problems. Fix the ledger as said above "
    "and import it again, or add --skip-problem-rows to import the rows without problems.",
)
BAD_MAPPING = Text(
    "对照表文件 {path} 读不出来：{why}", "The mapping file {path} cannot be read: {why}"
)
SHOWN_PROBLEMS = 30


def add_commands(sub: Any) -> None:
    with subcommand(
        sub,
        "import-ledger",
        "import a village's Excel ledgers / 导入村里原有的 Excel 台账",
        run_import,
        description="Read .xlsx, .xls or .csv ledgers and add their households, persons, "
        "methods and births to the register; all or nothing unless --skip-problem-rows. "
        "/ 读取 .xlsx、.xls、.csv 台账，导入其中的户、人、节育措施和生育。",
    ) as parser:
        parser.add_argument("files", nargs="+", metavar="FILE", help="ledger files / 台账文件")
        parser.add_argument("--sheet", help="only this sheet / 只导入这张工作表")
        parser.add_argument(
            "--mapping",
            help='JSON {"heading or column letter": "field"} / '
            "列对照表（JSON：表头或列字母 → 字段）",
        )
        parser.add_argument("--village", help="12-digit village code / 导入到哪个村（12 位代码）")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check and report, write nothing / 试导入，不写入",
        )
        parser.add_argument(
            "--skip-problem-rows",
            action="store_true",
            help="import the good rows, report the rest / 只导入没有问题的行",
        )
        parser.add_argument("--report", help="write the report here (.xlsx) / 报告文件（.xlsx）")


def read_sources(
    files: list[str], sheet: str | None, mapping_file: str | None
) -> tuple[list[tuple[SheetTable, dict[int, str | None]]], list[Text]]:
    """Every sheet of every file that has a heading (or the one asked for), with its
    mapping; the sheets left out and why.  A file none of whose sheets can be read
    stops everything before the register is opened."""
    tables: list[SheetTable] = []
    left_out: list[Text] = []
    for name in files:
        with ledgers.open_ledger(name) as ledger:
            names = [sheet] if sheet else ledger.sheet_names
            found: list[SheetTable] = []
            first_error: LedgerError | None = None
            for sheet_name in names:
                try:
                    found.append(ledger.read(sheet_name))
                except LedgerError as exc:
                    first_error = first_error or exc
                    left_out.append(_left_out(Path(name).name, sheet_name, exc.text))
            if not found:
                assert first_error is not None
                raise first_error
        tables += found
    sources = [(table, _mapping(table, mapping_file, tables)) for table in tables]
    return sources, left_out


def _left_out(file: str, sheet: str, why: Text) -> Text:
    return Text(
        SHEET_LEFT_OUT.zh.format(file=file, sheet=sheet, why=why.zh),
        SHEET_LEFT_OUT.en.format(file=file, sheet=sheet, why=why.en),
    )


def _mapping(
    table: SheetTable, mapping_file: str | None, tables: list[SheetTable]
) -> dict[int, str | None]:
    """The proposal, or the mapping file over it; refused (exit 2, before the register
    is opened) when a field every row needs has no column or one field has two."""
    if not mapping_file:
        mapping = ledgers.propose_mapping(table)
    else:
        try:
            mapping = ledgers.read_mapping_file(mapping_file, table, tables)
        except LedgerError as exc:
            why = exc.text
            raise CommandError(
                Text(
                    BAD_MAPPING.zh.format(path=mapping_file, why=why.zh),
                    BAD_MAPPING.en.format(path=mapping_file, why=why.en),
                ),
                status=2,
            ) from None
        except (OSError, ValueError, AttributeError) as exc:
            raise CommandError(BAD_MAPPING.format(path=mapping_file, why=exc), status=2) from None
    problems = ledgers.mapping_problems(table, mapping)
    if problems:
        raise CommandError(ledgers.mapping_refusal(table, problems), status=2)
    return mapping


def run_import(args: argparse.Namespace) -> int:
    sources, left_out = read_sources(args.files, args.sheet, args.mapping)
    with opened(args) as register:
        # One run: committed when it may be, else rolled back (the window's wizard
        # plans first, for its preview, then applies).
        plan, result = ledgers.import_ledger(
            register,
            sources,
            village=args.village,
            skip_problem_rows=args.skip_problem_rows,
            dry_run=args.dry_run,
        )
    report_failed = None
    if args.report:
        try:
            ledgers.write_report(plan, None, args.report)
        except OSError as exc:
            # Said after the summary: what was imported is imported all the same.
            report_failed = CommandError(REPORT_FAILED.format(path=args.report, why=exc.strerror))
            args.report = None
    emit(args, _as_dict(plan, result, args), _text(plan, result, left_out, args))
    if report_failed is not None:
        raise report_failed
    if not plan.can_import:
        problems = plan.counts[ledgers.PROBLEM]
        raise CommandError(DRY_RUN_PROBLEMS.format(count=problems) if args.dry_run else NOT_WRITTEN)
    return 0


def _as_dict(
    plan: LedgerPlan, result: ledgers.LedgerResult | None, args: argparse.Namespace
) -> dict[str, Any]:
    return {
        "village": plan.village,
        "counts": plan.counts,
        "imported": result is not None,
        "dry_run": bool(args.dry_run),
        "result": result.__dict__ if result else None,
        "rows": [
            {
                "file": r.source,
                "sheet": r.sheet,
                "row": r.number,
                "status": r.status,
                "message": str(r.message),
                "stored": r.stored,
            }
            for r in plan.rows
        ],
        "differences": [d.__dict__ for d in plan.differences],
    }


def _text(
    plan: LedgerPlan,
    result: ledgers.LedgerResult | None,
    left_out: list[Text],
    args: argparse.Namespace,
) -> str:
    language = current_language()
    counts = plan.counts
    sheets = {(t.source, t.sheet) for t, _ in plan.sources}
    lines = [str(t) for t in left_out]
    lines.append(
        SUMMARY.format(files=len({s for s, _ in sheets}), sheets=len(sheets), **counts).get(
            language
        )
    )
    problems = [r for r in plan.rows if r.status == ledgers.PROBLEM]
    for row in problems[:SHOWN_PROBLEMS]:
        lines.append(
            PROBLEM_LINE.format(
                file=row.source,
                sheet=row.sheet,
                number=row.number,
                message=row.message.get(language),
            ).get(language)
        )
    if len(problems) > SHOWN_PROBLEMS:
        lines.append(MORE_PROBLEMS.format(count=len(problems) - SHOWN_PROBLEMS).get(language))
    if plan.differences:
        lines.append(DIFFERENCES.format(count=len(plan.differences)).get(language))
    if result is not None:
        lines.append(
            IMPORTED.format(
                households=result.households_added,
                persons=result.persons_added,
                updated=result.persons_updated,
                methods=result.methods_added,
                births=result.births_added,
            ).get(language)
        )
        if problems:
            lines.append(SKIPPED_PROBLEMS.format(count=len(problems)).get(language))
    elif args.dry_run:
        lines.append(DRY_RUN.get(language))
    if args.report:
        lines.append(REPORT_WRITTEN.format(path=args.report).get(language))
    return "\n".join(lines)
