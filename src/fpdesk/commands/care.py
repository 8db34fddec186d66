"""due and check: the work list of visits, and the register's health check."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from fpdesk.commands.common import CommandError, emit, opened, subcommand
from fpdesk.core import area
from fpdesk.core.clock import SystemClock
from fpdesk.core.i18n import Text, current_language
from fpdesk.store.checks import FILE, LINKS, RECORDS, CheckReport, check_register
from fpdesk.store.due import DueItem, due_list

BAD_DATE = Text(
    "日期“{value}”无效，请写作 年-月-日，例如 2026-11-28。",
    "'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28.",
)
BAD_VILLAGE = Text("“{value}”不是 12 位的区划代码。", "'{value}' is not a 12-digit area code.")
BAD_GROUP = Text(
    "村民小组号“{value}”无效，应为 1 到 99。", "Village group '{value}' is not a number 1 to 99."
)
NOTHING_DUE = Text("{on}：没有到期或逾期的随访。", "{on}: nobody is due or overdue for a visit.")
DUE_HEADER = Text(
    "{on}：{count} 项随访到期，其中 {overdue} 项逾期。",
    "{on}: {count} visits due, {overdue} of them overdue.",
)
OVERDUE = Text("逾期 {days} 天", "{days} days overdue")
DUE = Text("到期", "due")
CHECK_OK = Text(
    "登记册检查通过（{pragma}，共检查 {rows} 条记录）。",
    "The register passed its check ({pragma}, {rows} records checked).",
)
CHECK_FAILED = Text("登记册检查发现 {count} 个问题。", "The register check found {count} problems.")
QUICK_OK = Text(
    "登记册文件检查通过（{pragma}）。不带 --quick 的完整检查还会检查关联和每一条记录。",
    "The register file passed its check ({pragma}). The full check, without --quick, "
    "also checks the links and every record.",
)
PART_LINE = Text(
    "  {part}：{count} 个问题，用时 {seconds} 秒", "  {part}: {count} problems, {seconds} s"
)
PART_NAMES = {
    FILE: Text(
        "文件（{pragma}、cipher_integrity_check）", "file ({pragma}, cipher_integrity_check)"
    ),
    LINKS: Text("关联（foreign_key_check）", "links (foreign_key_check)"),
    RECORDS: Text("记录（{rows} 条记录的校验规则）", "records (the rules over {rows} records)"),
}


def add_commands(sub: Any) -> None:
    with subcommand(sub, "due", "who is due for a visit / 随访到期名单", run_due) as due:
        due.add_argument("--on", help="date YYYY-MM-DD (default today) / 日期（默认今天）")
        due.add_argument("--village", help="12-digit village code / 村代码")
        due.add_argument("--group", help="village group number / 村民小组号")

    with subcommand(sub, "check", "check the register / 检查登记册", run_check) as check:
        check.add_argument(
            "--quick",
            action="store_true",
            help="the file only, with quick_check instead of integrity_check; not the links "
            "and the rules over every record / 只快速检查文件，不检查关联和每条记录",
        )


def parse_day(value: str | None) -> dt.date:
    if not value:
        return SystemClock().today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(BAD_DATE.format(value=value), status=2) from None


def parse_area(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        area.level_of(value)
    except area.AreaCodeError:
        raise CommandError(BAD_VILLAGE.format(value=value), status=2) from None
    return value


def parse_group(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 1 <= int(value) <= 99:
        raise CommandError(BAD_GROUP.format(value=value), status=2)
    return int(value)


def run_due(args: argparse.Namespace) -> int:
    on = parse_day(args.on)
    village, group = parse_area(args.village), parse_group(args.group)
    with opened(args) as register:
        items = due_list(register, on, village, group)
    data = {"on": on.isoformat(), "items": [item.as_dict() for item in items]}
    emit(args, data, due_text(items, on))
    return 0


def due_text(items: list[DueItem], on: dt.date) -> str:
    if not items:
        return str(NOTHING_DUE.format(on=on))
    language = current_language()
    overdue = sum(1 for i in items if i.overdue)
    lines = [DUE_HEADER.format(on=on, count=len(items), overdue=overdue).get(language)]
    for item in items:
        state = OVERDUE.format(days=item.overdue_days) if item.overdue else DUE
        lines.append(
            "  ".join(
                [
                    f"{state.get(language):<14}",
                    item.due_on.isoformat(),
                    item.visit_label.get(language),
                    item.name,
                    item.household_code,
                    item.address,
                ]
            ).rstrip()
        )
    return "\n".join(lines)


def run_check(args: argparse.Namespace) -> int:
    with opened(args) as register:
        report = check_register(register, SystemClock(), quick=args.quick)
    emit(args, report.as_dict(), check_text(report))
    if not report.ok:
        raise CommandError(CHECK_FAILED.format(count=len(report.failures)))
    return 0


def check_text(report: CheckReport) -> str:
    """The verdict, then each part that ran with its time and its problems."""
    language = current_language()
    rows = sum(report.rows_checked.values())
    if report.ok:
        verdict = QUICK_OK if report.seconds.keys() == {FILE} else CHECK_OK
        lines = [verdict.format(pragma=report.integrity, rows=rows).get(language)]
    else:
        lines = [CHECK_FAILED.format(count=len(report.failures)).get(language)]
    for part, took in report.seconds.items():
        failures = report.failures_in(part)
        name = PART_NAMES[part].format(pragma=report.integrity, rows=rows)
        lines.append(
            PART_LINE.format(
                part=name.get(language), count=len(failures), seconds=f"{took:.1f}"
            ).get(language)
        )
        for failure in failures:
            where = " ".join(p for p in (failure.table, failure.record_id or "") if p)
            who = f" {failure.person_name}" if failure.person_name else ""
            lines.append(f"    [{where}]{who}: {failure.message.get(language)}")
    return "\n".join(lines)
