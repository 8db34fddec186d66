"""indicators, report, audit, lists: the statistics commands."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fpdesk.commands import users
from fpdesk.commands.common import CommandError, emit, emit_lines, opened, subcommand
from fpdesk.core import area as areas
from fpdesk.core.i18n import Text, current_language
from fpdesk.core.periods import Period, PeriodError, parse_period
from fpdesk.reports import accuracy_sample, excel, lists
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.reports.indicators.sqlite import Readable
from fpdesk.store import population as store_population


def add_commands(sub: Any) -> None:
    with subcommand(sub, "indicators", "indicators for a period / 统计指标", run_indicators) as cmd:
        _add_period(cmd)
        cmd.add_argument(
            "--level",
            choices=("township", "village"),
            help="one result per township or village / 按乡镇或村分列",
        )
        cmd.add_argument("--area", help="area code (default: the register's) / 区划代码")
        cmd.add_argument(
            "--members",
            action="store_true",
            help="list the persons behind each number / 列出分子分母名单",
        )
        cmd.add_argument(
            "--record", action="store_true", help="keep the numbers as reported / 留存本次上报结果"
        )

    with subcommand(sub, "report", "statistical workbook (.xlsx) / 统计报表", run_report) as rep:
        _add_period(rep)
        rep.add_argument("--kind", required=True, choices=excel.KINDS)
        rep.add_argument("--out", required=True, help="workbook file / 输出文件 (.xlsx)")
        rep.add_argument("--area", help="area code (default: the register's) / 区划代码")
        rep.add_argument(
            "--with-lists",
            action="store_true",
            help="add a sheet of names behind each indicator / 每项指标附名单",
        )

    aud = sub.add_parser("audit", help="statistics accuracy audit / 统计质量核查")
    steps = aud.add_subparsers(dest="audit_command", metavar="STEP", required=True)
    with subcommand(
        steps, "sample", "draw households to verify / 抽取核查户", run_audit_sample
    ) as sample:
        sample.add_argument("--households", type=int, required=True)
        sample.add_argument("--seed", type=int, required=True)
        sample.add_argument("--period", help="births of this period are checked / 核查时段")
        sample.add_argument("--area", help="area code (default: the register's) / 区划代码")
    with subcommand(
        steps, "record", "record a verification visit / 登记核查结果", run_audit_record
    ) as record:
        record.add_argument("--sample", required=True)
        record.add_argument("--household", required=True, help="household code / 户编码")
        record.add_argument("--visited-on", required=True, help="YYYY-MM-DD")
        record.add_argument("--births", type=int, required=True, help="births found / 核实出生数")
        record.add_argument("--persons", type=int, required=True, help="persons found / 核实人数")
        record.add_argument("--by", help="who visited / 核查人")
    with subcommand(
        steps, "accuracy", "accuracy of a sample / 计算准确率", run_audit_accuracy
    ) as score:
        score.add_argument("--sample", required=True)
    users.add_log_command(steps)  # `audit log`: the record of processing (commands.users)

    with subcommand(sub, "lists", "work lists / 工作名单", run_lists) as work:
        work.add_argument("--kind", required=True, choices=("rewards", "untracked", "overdue"))
        work.add_argument("--on", help="date / 日期 (YYYY-MM-DD, default today)")
        work.add_argument("--area", help="area code (default: the register's) / 区划代码")


def _add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period",
        required=True,
        help="2019 (statistical year to 30 Sep) | 2019CY | 2019H1 | 2019Q1 | 2019-03 | "
        "2019-01-01..2019-12-31",
    )


@contextmanager
def _user_errors() -> Iterator[None]:
    """Input the user can fix becomes a bilingual message and exit status 2."""
    try:
        yield
    except (PeriodError, accuracy_sample.AuditError) as exc:
        raise CommandError(exc.text, status=2) from exc
    except areas.AreaCodeError as exc:
        raise CommandError(Text(f"区划代码有误：{exc}", f"Bad area code: {exc}"), 2) from exc


def _period(text: str) -> Period:
    with _user_errors():
        return parse_period(text)


def _date(text: str | None) -> dt.date:
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            Text(f"日期“{text}”应写成 YYYY-MM-DD。", f"Write the date {text!r} as YYYY-MM-DD."), 2
        ) from None


def _format_value(result: ind.Result) -> str:
    if result.value is None:
        return "—"
    if result.unit == "count":
        return f"{result.value:.0f}"
    if result.unit == "percent":
        return f"{result.value:.2f}%"
    return f"{result.value:.2f}"


def _mark(result: ind.Result) -> str:
    zh = current_language() == "zh"
    if result.passed is None:
        return ""
    if result.passed:
        return "达标" if zh else "pass"
    return "未达标" if zh else "FAIL"


def report_text(report: ind.IndicatorReport) -> str:
    zh = current_language() == "zh"
    head = f"{report.name or ','.join(report.areas)}  {report.period.describe()}  " + (
        f"定义版本 {report.definitions_version}"
        if zh
        else f"definitions {report.definitions_version}"
    )
    lines = [head]
    for result in report.results:
        label = result.label.zh if zh else result.label.en
        counts = (
            str(result.numerator)
            if result.denominator is None
            else (f"{result.numerator}/{result.denominator}")
        )
        target = result.target.describe(current_language()) if result.target else ""
        lines.append(
            f"  {label:<14}\t{counts:>11}\t{_format_value(result):>9}\t{target}\t"
            f"{_mark(result)}".rstrip()
        )
    return "\n".join(lines)


def report_data(
    report: ind.IndicatorReport, listed: dict[tuple[str, str], list[who.Counted]] | None = None
) -> dict[str, Any]:
    """The report as JSON; with `listed`, each number carries the persons behind it
    (in place of the bare record ids)."""
    data = report.to_data()
    data["content_hash"] = report.content_hash
    for result in data["results"]:
        result.pop("numerator_ids")
        result.pop("denominator_ids")
        if listed is not None:
            for which in who.WHICH:
                result[f"{which}_members"] = who.as_data(listed.get((result["key"], which), []))
    return data


def listed_members(
    where: Readable, report: ind.IndicatorReport
) -> dict[tuple[str, str], list[who.Counted]]:
    """Every indicator's numerator and denominator lists (a count has no denominator)."""
    return {
        (result.key, which): who.counted(where, report, result.key, which)
        for result in report.results
        for which in who.WHICH
        if which == "numerator" or result.denominator is not None
    }


def members_text(
    report: ind.IndicatorReport, listed: dict[tuple[str, str], list[who.Counted]]
) -> str:
    """The lists behind each number, as a person reads them on a terminal."""
    lang = current_language()
    lines = []
    for result in report.results:
        for which in who.WHICH:
            if (result.key, which) not in listed:
                continue
            rows = listed[(result.key, which)]
            lines.append(
                f"{result.label.get(lang)} · {who.PART_NAMES[which].get(lang)} ({len(rows)})"
            )
            for line in rows:
                shown = line.row(lang)
                lines.append("  " + "  ".join(shown[key] for key, _ in who.COLUMNS if shown[key]))
    return "\n".join(lines)


def run_indicators(args: argparse.Namespace) -> int:
    period = _period(args.period)
    with opened(args) as register, _user_errors():
        if args.area:
            areas.level_of(args.area)
        facts = ind.collect(register, period)
        reports, runs = ind.produce(
            register,
            period,
            level=args.level,
            within=args.area,
            record=args.record,
            facts=facts,
        )
        listed = [listed_members(register, r) if args.members else None for r in reports]
        # Who the numbers count, on each population basis (core.population).
        members = store_population.members_on(register, period.end_iso)
        counted = [ind.headcounts(register, facts, r.areas, members) for r in reports]
    data: dict[str, Any] = {
        "reports": [report_data(r, m) for r, m in zip(reports, listed, strict=True)]
    }
    for item, heads in zip(data["reports"], counted, strict=True):
        item["population"] = heads
    if runs:
        data["recorded_runs"] = runs
    text = [
        report_text(r) + ("\n\n" + members_text(r, m) if m is not None else "")
        for r, m in zip(reports, listed, strict=True)
    ]
    emit(args, data, "\n\n".join(text))
    return 0


def run_report(args: argparse.Namespace) -> int:
    period = _period(args.period)
    if not str(args.out).lower().endswith(".xlsx"):
        raise CommandError(
            Text("输出文件应以 .xlsx 结尾。", "The output file must end in .xlsx."), 2
        )
    with opened(args) as register, _user_errors():
        if args.area:
            areas.level_of(args.area)
        try:
            made = excel.export(
                register,
                period,
                args.kind,
                args.out,
                area_code=args.area,
                with_lists=args.with_lists,
            )
        except OSError as exc:
            raise CommandError(
                Text(f"无法写入 {args.out}：{exc}", f"Cannot write {args.out}: {exc}")
            ) from exc
    digest = made.sha256
    data = {
        "out": str(args.out),
        "kind": args.kind,
        "period": period.label,
        "sha256": digest,
        "definitions_version": made.summary.definitions_version,
        "run": made.run,
    }
    text = Text("已生成 {out}（SHA-256 {sha}）。", "Wrote {out} (SHA-256 {sha}).")
    emit(args, data, str(text.format(out=args.out, sha=digest)))
    return 0


def run_audit_sample(args: argparse.Namespace) -> int:
    period = _period(args.period) if args.period else None
    with opened(args) as register, _user_errors():
        sample = accuracy_sample.draw_sample(
            register, households=args.households, seed=args.seed, period=period, area_code=args.area
        )
    lines = [
        str(
            Text(
                f"抽样 {sample.id}：从 {sample.population} 户中抽取 {len(sample.households)} 户"
                f"（种子 {sample.seed}，核查时段 {sample.period}）",
                f"Sample {sample.id}: {len(sample.households)} of {sample.population} "
                f"households (seed {sample.seed}, period {sample.period})",
            )
        )
    ]
    lines += [f"{h.position:>4}  {h.code}  {h.head or ''}  {h.address}" for h in sample.households]
    return emit_lines(args, sample.to_data(), lines)


def run_audit_record(args: argparse.Namespace) -> int:
    visited = _date(args.visited_on)
    with opened(args) as register, _user_errors():
        finding = accuracy_sample.record_finding(
            register,
            args.sample,
            args.household,
            visited_on=visited,
            births_found=args.births,
            persons_found=args.persons,
            visited_by=args.by,
        )
    emit(args, {"finding": finding}, str(Text("已登记核查结果。", "Finding recorded.")))
    return 0


def run_audit_accuracy(args: argparse.Namespace) -> int:
    with opened(args) as register, _user_errors():
        result = accuracy_sample.accuracy(register, args.sample)
    rate = "—" if result.rate is None else f"{result.rate:.2f}%"
    text = Text(
        f"已核查 {result.visited}/{result.households} 户；核实出生 {result.births_found}，"
        f"登记出生 {result.births_registered}，差错 {result.errors}；准确率 {rate}",
        f"Visited {result.visited}/{result.households} households; births found "
        f"{result.births_found}, registered {result.births_registered}, errors {result.errors};"
        f" accuracy {rate}",
    )
    emit(args, result.to_data(), str(text))
    return 0


def run_lists(args: argparse.Namespace) -> int:
    on = _date(args.on)
    with opened(args) as register, _user_errors():
        if args.kind == "rewards":
            rows = lists.reward_families(register, on, args.area)
        elif args.kind == "untracked":
            rows = lists.untracked_pregnancies(register, on, args.area)
        else:
            rows = [item.as_dict() for item in lists.overdue_followups(register, on, args.area)]
    text = "\n".join(
        "  ".join(str(v) for k, v in row.items() if not k.endswith("_id") and k != "id")
        for row in rows
    )
    emit(args, rows, text or str(Text("（无）", "(none)")))
    return 0
