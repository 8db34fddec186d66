"""hub init|status|indicators: the district hub on PostgreSQL (docs/hub.md).

Without --url the hub is fpdesk's own embedded PostgreSQL in the user's data folder,
started for the command and stopped after it; with --url any PostgreSQL 14 or later.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from fpdesk.commands import hub_city
from fpdesk.commands.common import CommandError, emit, emit_lines, subcommand
from fpdesk.commands.hub_held import add_held_commands, problem_lines
from fpdesk.commands.reports import listed_members, members_text, report_data, report_text
from fpdesk.core.clock import SystemClock
from fpdesk.core.i18n import Text
from fpdesk.core.periods import Period, PeriodError, parse_period
from fpdesk.reports import indicators as ind
from fpdesk.sync import board

URL_HELP = (
    "PostgreSQL address, postgresql://user@server:5432/database (default: fpdesk's own "
    "server in the data folder) / 汇总库地址（默认：本机数据文件夹里自带的数据库）"
)
READY = Text(
    "汇总库已就绪：{where}，库版本 {version}。{steps}",
    "The hub is ready: {where}, hub version {version}. {steps}",
)
STEPS_RAN = Text("这次建立或升级了：{names}。", "Made or upgraded now: {names}.")
UP_TO_DATE = Text("表已是最新的，没有改动。", "Its tables were up to date; nothing changed.")
HEADER = Text(
    "汇总库 {where}（库版本 {version}）：乡镇 {count} 个，迟报 {late} 个，有缺口 {holes} 个。",
    "Hub {where} (hub version {version}): {count} townships, {late} late, {holes} with a hole.",
)
NO_TOWNSHIPS = Text(
    "还没有乡镇加入。乡镇登记册加入汇总库后会列在这里。",
    "No township has enrolled yet; township registers are listed here once they enroll.",
)
ROW = Text(
    "  {code} {name} 状态 {state}，本月 {report}，最后一个文件 {last}，缺口 {hole}",
    "  {code} {name} state {state}, this month {report}, last file {last}, hole {hole}",
)

ENROLLED = Text(
    "已登记乡镇 {area}（设备 {device}），回复文件 {out}。\n核对码：{fp}\n"
    "请和乡镇文员电话核对这串数字。",
    "Enrolled township {area} (device {device}); answer file {out}.\nFingerprint: {fp}\n"
    "Read these digits to the township clerk by phone.",
)
TOWNSHIP_REVOKED = Text(
    "乡镇 {code} 已撤销（{when}），以后它的包都会被拒收。",
    "Township {code} is revoked ({when}); its bundles will be refused from now on.",
)

OUTCOMES = {
    "accepted": Text("已导入", "imported"),
    "duplicate": Text("以前已导入", "imported before"),
    "gap": Text("有缺口", "gap"),
    "fork": Text("分叉", "fork"),
    "refused": Text("拒收", "refused"),
}
ACK_WRITTEN = Text(
    "回执 {path}：请交给乡镇，在乡镇登记册上用 fpdesk bundle import 导入。",
    "Acknowledgement {path}: take it to the township and import it there with "
    "fpdesk bundle import.",
)

STATES = {
    "requested": Text("已申请", "requested"),
    "enrolled": Text("已加入", "enrolled"),
    "revoked": Text("已撤销", "revoked"),
}
REPORTS = {
    board.REPORTED: Text("已报送", "reported"),
    board.DUE: Text("未到期", "not due yet"),
    board.LATE: Text("迟报", "LATE"),
    board.NO_DEVICE: Text("未加入", "not enrolled"),
}


LEVELS = ("district", "township", "village")


def add_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help=URL_HELP)


def _action(
    steps: Any, name: str, help_text: str, run: Callable[[argparse.Namespace], int]
) -> AbstractContextManager[argparse.ArgumentParser]:
    """A hub subcommand: --url first, its own arguments, --json (commands.common)."""
    return subcommand(steps, name, help_text, run, opens=add_url)


def _add_period_and_township(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--period", required=True, help="2026, 2026Q3, 2026-10, 2026CY... / 统计时段"
    )
    parser.add_argument(
        "--township", help="only this township's records (12-digit code) / 只统计这个乡镇"
    )
    parser.add_argument(
        "--district",
        help="a city's hub: only this district's records (12-digit code) / "
        "市级汇总库：只统计这个区县",
    )


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("hub", help="the district hub (PostgreSQL) / 区县汇总库")
    steps = parser.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    with _action(steps, "init", "make or upgrade the hub / 建立或升级汇总库", run_init):
        pass
    with _action(steps, "status", "townships and their bundles / 各乡镇报送情况", run_status):
        pass
    with _action(
        steps,
        "indicators",
        "the district's indicators, read-only / 区县统计指标（只读）",
        run_indicators,
    ) as counts:
        _add_period_and_township(counts)
        counts.add_argument(
            "--level",
            choices=LEVELS,
            default="district",
            help="the district as one, or one result per township or village / "
            "全区县、按乡镇或按村",
        )
        counts.add_argument(
            "--members",
            action="store_true",
            help="the persons behind each number, as the register lists them / "
            "列出每个数字所含的人员名单",
        )
    add_report_command(steps)
    hub_city.add_command(steps, add_url, _hub)
    with _action(
        steps,
        "import",
        "take in township bundles, write acknowledgements / 导入乡镇数据包",
        run_import,
    ) as take:
        take.add_argument("files", nargs="+", type=Path, help="bundle files or folders / 数据包")
        take.add_argument(
            "--out",
            required=True,
            type=Path,
            help="folder for the acknowledgements to the townships / 回执文件夹",
        )
    enroll = steps.add_parser("enroll", help="townships joining the hub / 乡镇加入汇总库")
    which = enroll.add_subparsers(dest="hub_enroll_command", metavar="STEP", required=True)
    with _action(
        which, "accept", "enroll a township and answer / 登记乡镇并回复", run_enroll_accept
    ) as accept:
        accept.add_argument(
            "request", type=Path, help="the township's request file / 乡镇的申请文件"
        )
        accept.add_argument("--out", required=True, type=Path, help="answer file / 回复文件")
        accept.add_argument(
            "--district",
            help="this hub's district (or city) code, the first time / "
            "本区县（或市）代码，首次需要",
        )
    with _action(
        which, "revoke", "refuse a township's bundles / 撤销乡镇", run_enroll_revoke
    ) as revoke:
        revoke.add_argument("township", help="township code / 乡镇代码")
    _add_staff_commands(steps)
    add_held_commands(steps, _action, _hub)


@contextmanager
def _hub(args: argparse.Namespace, *, create: bool = False) -> Iterator[tuple[str, Any]]:
    """(address, open connection) of the hub the command names; only `hub init`
    (create) makes the embedded server's folder and database."""
    # psycopg and the embedded server's wheel cost about 0.2 s to import: only the hub
    # commands pay it, not every other command's start-up.
    from fpdesk.hub import connection, server

    if args.url:
        with connection.opened(args.url) as conn:
            yield args.url, conn
        return
    with server.running(create=create) as url, connection.opened(url) as conn:
        yield url, conn


def run_init(args: argparse.Namespace) -> int:
    from fpdesk.hub import connection, schema

    with _hub(args, create=True) as (url, conn):
        ran = schema.migrate(conn)
        where = connection.where(url)
    steps = STEPS_RAN.format(names=", ".join(ran)) if ran else UP_TO_DATE
    text = READY.format(where=where, version=schema.schema_version(), steps=str(steps))
    emit(args, {"where": where, "version": schema.schema_version(), "applied": ran}, str(text))
    return 0


def run_status(args: argparse.Namespace) -> int:
    from fpdesk.hub import connection
    from fpdesk.hub import status as hub_status

    today: dt.date = SystemClock().today()
    with _hub(args) as (url, conn):
        found = hub_status.status(conn, today)
        where = connection.where(url)
    data = {"where": where, **found.as_dict()}
    lines = [
        str(
            HEADER.format(
                where=where,
                version=found.version,
                count=len(found.townships),
                late=len(found.late),
                holes=len(found.holes),
            )
        )
    ]
    if not found.townships:
        lines.append(str(NO_TOWNSHIPS))
    for row in found.townships:
        hole = f"{row.hole[0]}–{row.hole[1]}" if row.hole else "-"
        last = f"{row.last_file} ({row.last_outcome}, {row.last_seen_at})" if row.last_file else "-"
        lines.append(
            str(
                ROW.format(
                    code=row.code,
                    name=row.name,
                    state=STATES[row.state],
                    report=REPORTS[row.report],
                    last=last,
                    hole=hole,
                )
            )
        )
    lines += problem_lines(found.problems, OUTCOMES)
    emit(args, data, "\n".join(lines))
    return 0


def run_indicators(args: argparse.Namespace) -> int:
    """The indicators over the hub's records with the register's engine (HubSource):
    the district as one, or one report per township or village.  Reads only, in one
    snapshot; --members names the persons behind each number as the register does."""
    from fpdesk.hub.indicators import HubSource

    period = _period(args.period)
    with _hub(args) as (_url, conn):
        source = HubSource(conn, args.township, district=args.district)
        with source.reading():
            facts = ind.collect(source, period)
            if args.level == "district":
                reports = [ind.compute(source, period, facts=facts)]
            else:
                reports = ind.breakdown(source, period, args.level, facts=facts)
            listed = [listed_members(source, r) if args.members else None for r in reports]
    data = {"reports": [report_data(r, m) for r, m in zip(reports, listed, strict=True)]}
    text = [
        report_text(r) + ("\n\n" + members_text(r, m) if m is not None else "")
        for r, m in zip(reports, listed, strict=True)
    ]
    emit(args, data, "\n\n".join(text))
    return 0


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as exc:
        raise CommandError(exc.text, status=2) from exc


REPORT_WRITTEN = Text("已生成 {out}（SHA-256 {sha}）。", "Wrote {out} (SHA-256 {sha}).")
NOT_XLSX = Text("输出文件应以 .xlsx 结尾。", "The output file must end in .xlsx.")
NO_FOLDER = Text(
    "无法写入 {out}：文件夹 {folder} 不存在。请先建好文件夹或换一个位置。",
    "Cannot write {out}: the folder {folder} does not exist. Make it first or choose "
    "another place.",
)
CANNOT_WRITE = Text(
    "无法写入 {out}：{why}。请换一个能写入的位置；汇总库没有任何改动。",
    "Cannot write {out}: {why}. Choose a place you can write to; nothing changed at the hub.",
)


def add_report_command(steps: Any) -> None:
    """`hub report`: the register's workbooks over the hub's records (HubSource), every
    kind the register's `report` offers."""
    from fpdesk.reports import excel

    with _action(
        steps, "report", "the district's workbooks, read-only / 区县统计报表（只读）", run_report
    ) as report:
        report.add_argument("--kind", required=True, choices=excel.KINDS, help="报表种类")
        _add_period_and_township(report)
        report.add_argument("--out", required=True, type=Path, help="the .xlsx file / 输出文件")
        report.add_argument(
            "--with-lists",
            action="store_true",
            help="add a name list (名单) sheet per indicator / 每个指标附名单",
        )


def run_report(args: argparse.Namespace) -> int:
    """The monthly change report, the annual forms, or the assessment of the townships
    (a row each, against the plan's targets), with the register's workbook code over
    the hub.  Reads only."""
    from fpdesk.hub.indicators import HubSource
    from fpdesk.hub.session import build_workbook
    from fpdesk.reports import excel

    period = _period(args.period)
    out: Path = args.out
    if out.suffix.lower() != ".xlsx":
        raise CommandError(NOT_XLSX, status=2)
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():  # before the server starts: nothing to wait for
        raise CommandError(NO_FOLDER.format(out=str(out), folder=str(folder)))
    with _hub(args) as (_url, conn):
        source = HubSource(conn, args.township, district=args.district)
        workbook = build_workbook(source, period, args.kind, with_lists=args.with_lists)
    try:
        digest = excel.save(workbook, out)
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise CommandError(CANNOT_WRITE.format(out=str(out), why=why)) from exc
    data = {"out": str(out), "kind": args.kind, "period": period.label, "sha256": digest}
    emit(args, data, str(REPORT_WRITTEN.format(out=str(out), sha=digest)))
    return 0


def run_enroll_accept(args: argparse.Namespace) -> int:
    from fpdesk.hub import enrollment

    with _hub(args) as (_, conn):
        township = enrollment.accept(conn, args.request, args.out, args.district)
    text = ENROLLED.format(
        area=township["area_code"],
        device=township["device_id"],
        out=str(args.out),
        fp=township["fingerprint"],
    )
    emit(args, township, str(text))
    return 0


def run_enroll_revoke(args: argparse.Namespace) -> int:
    from fpdesk.hub import enrollment

    with _hub(args) as (_, conn):
        found = enrollment.revoke(conn, args.township)
    emit(args, found, str(TOWNSHIP_REVOKED.format(code=found["code"], when=found["revoked_at"])))
    return 0


def run_import(args: argparse.Namespace) -> int:
    from fpdesk.hub import exchange

    with _hub(args) as (_, conn):
        done = exchange.import_files(conn, args.files, args.out)
    lines = []
    for r in done.results:
        line = f"{r.file_name}: {OUTCOMES[r.outcome]}"
        if r.outcome == "accepted":
            line += f" ({r.applied})"
        if r.reason:
            line += f" - {r.reason}"
        lines.append(line)
    lines += [str(ACK_WRITTEN.format(path=str(path))) for path in done.acks]
    data = {"files": [r.as_dict() for r in done.results], "acks": [str(p) for p in done.acks]}
    emit(args, data, "\n".join(lines))
    bad = [r for r in done.results if r.outcome not in ("accepted", "duplicate")]
    for r in bad:
        print(f"fpdesk: {r.file_name}: {r.reason}", file=sys.stderr)
    return 1 if any(r.outcome == "refused" for r in bad) else (3 if bad else 0)


# ---------------------------------------------------------------- staff (hub.staff)

STAFF_ADDED = Text(
    "已建立人员“{name}”（{scope}，只读）。登录地址里的用户名是 {name}。",
    "Staff member “{name}” made ({scope}, read-only). The user name in their hub address "
    "is {name}.",
)
STAFF_DISTRICT = Text("全区县", "the whole district")
STAFF_TOWNSHIP = Text("只看乡镇 {code}", "township {code} only")
STAFF_ROW = Text("  {name}  {scope}  建立于 {added}", "  {name}  {scope}  added {added}")
NO_STAFF = Text(
    "还没有人员。用 fpdesk hub staff add 建立。",
    "No staff yet; add them with fpdesk hub staff add.",
)
STAFF_REMOVED = Text(
    "已删除人员“{name}”：从现在起不能再登录汇总库。",
    "Staff member “{name}” removed: they can no longer log in to the hub.",
)
NO_PASSWORD = Text(
    "环境变量 {var} 没有设置，没有建立人员。请把口令放进这个变量再试。",
    "The environment variable {var} is not set; no staff member was made. Put the "
    "password in it and try again.",
)


def _add_staff_commands(steps: Any) -> None:
    staff = steps.add_parser("staff", help="staff logins, read-only / 汇总库人员（只读账户）")
    which = staff.add_subparsers(dest="hub_staff_command", metavar="ACTION", required=True)
    with _action(which, "add", "a staff login / 新建人员账户", run_staff_add) as add:
        add.add_argument("name", help="user name (a-z, 0-9, _) / 用户名")
        scope = add.add_mutually_exclusive_group(required=True)
        scope.add_argument("--township", help="sees only this township / 只看这个乡镇")
        scope.add_argument(
            "--district", action="store_true", help="sees the whole district / 看全区县"
        )
        add.add_argument(
            "--password-env",
            metavar="VAR",
            help="environment variable holding the password / 存放口令的环境变量",
        )
    with _action(which, "list", "the staff / 人员列表", run_staff_list):
        pass
    with _action(
        which, "remove", "remove a staff login / 删除人员账户", run_staff_remove
    ) as remove:
        remove.add_argument("name", help="user name / 用户名")


def _staff_scope(township: str | None) -> Text:
    return STAFF_DISTRICT if township is None else STAFF_TOWNSHIP.format(code=township)


def run_staff_add(args: argparse.Namespace) -> int:
    from fpdesk.hub import staff

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if password is None:
            raise CommandError(NO_PASSWORD.format(var=args.password_env))
    with _hub(args) as (_, conn):
        member = staff.add(conn, args.name, None if args.district else args.township, password)
    text = STAFF_ADDED.format(name=member.name, scope=str(_staff_scope(member.township)))
    emit(args, member.as_dict(), str(text))
    return 0


def run_staff_list(args: argparse.Namespace) -> int:
    from fpdesk.hub import staff

    with _hub(args) as (_, conn):
        members = staff.list_staff(conn)
    lines = [
        str(STAFF_ROW.format(name=m.name, scope=str(_staff_scope(m.township)), added=m.added_at))
        for m in members
    ]
    return emit_lines(args, [m.as_dict() for m in members], lines, NO_STAFF)


def run_staff_remove(args: argparse.Namespace) -> int:
    from fpdesk.hub import staff

    with _hub(args) as (_, conn):
        staff.remove(conn, args.name)
    emit(args, {"removed": args.name}, str(STAFF_REMOVED.format(name=args.name)))
    return 0
