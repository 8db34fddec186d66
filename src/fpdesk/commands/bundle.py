"""bundle export|verify|import|held, conflicts list|resolve, ledger: moving changes around."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TypeVar

from fpdesk.commands.common import emit, emit_lines, list_rows, on_register, opened, subcommand
from fpdesk.core.i18n import Text
from fpdesk.store import daily_check
from fpdesk.sync import bundles, conflicts, decisions, duplicates, held, ledger
from fpdesk.sync.errors import shown
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, NOT_HERE, REFUSED

T = TypeVar("T")


def add_commands(sub: Any) -> None:
    bundle = sub.add_parser("bundle", help="change bundles / 数据包")
    actions = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    with subcommand(actions, "export", "write bundles / 导出数据包", run_export) as export:
        export.add_argument("--out", required=True, type=Path, help="folder / 文件夹")
        target = export.add_mutually_exclusive_group()
        target.add_argument("--for", dest="village", help="village code (township) / 村代码")
        target.add_argument("--all-villages", action="store_true", help="every village / 所有村")
        target.add_argument(
            "--to-district",
            action="store_true",
            help="township: changes for the district hub / 乡镇：报送区县汇总库",
        )
        export.add_argument(
            "--snapshot", action="store_true", help="whole village, for a new laptop / 全村数据"
        )
        export.add_argument(
            "--resend-from",
            type=int,
            metavar="N",
            help="village, or a township with --to-district: send again every change after "
            "N (the upper level lacks them, or, with 0, the district must take the township "
            "as it is now) / 重新发送第 N 号以后的修改",
        )

    with subcommand(
        actions, "verify", "check a bundle, change nothing / 检查数据包", run_verify
    ) as verify:
        verify.add_argument("file", type=Path)

    with subcommand(actions, "import", "import bundles / 导入数据包", run_import) as imp:
        imp.add_argument("files", nargs="+", type=Path, metavar="FILE_OR_DIR")
        imp.add_argument("--dry-run", action="store_true", help="show only / 只显示不导入")

    _add_held(actions)

    conflict = sub.add_parser("conflicts", help="the conflict queue / 冲突")
    which = conflict.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    with subcommand(which, "list", "open conflicts / 未处理的冲突", run_conflicts) as listing:
        listing.add_argument("--all", action="store_true", help="resolved too / 包括已处理")
    with subcommand(which, "resolve", "decide one / 处理一个冲突", run_resolve) as resolve:
        resolve.add_argument("conflict_id")
        resolve.add_argument("--take", required=True, choices=conflicts.TAKES)
        resolve.add_argument("--value", help="the value, with --take value / 新的值")
        resolve.add_argument("--reason", default="", help="why (kept in the history) / 理由")

    dupes = sub.add_parser("duplicates", help="possible duplicate persons / 疑似重复")
    which = dupes.add_subparsers(dest="duplicates_command", metavar="ACTION", required=True)
    with subcommand(which, "list", "pairs to look at / 待核对的人", run_duplicates) as listing:
        listing.add_argument(
            "--all", action="store_true", help="and the history of merges / 包括合并记录"
        )

    with subcommand(sub, "ledger", "every bundle file seen / 导入记录", run_ledger) as book:
        book.add_argument("--runs", action="store_true", help="one line per import run / 按次列出")


def run_export(args: argparse.Namespace) -> int:
    made = on_register(
        args,
        lambda register: bundles.export(
            register,
            args.out,
            village_code=args.village,
            all_villages=args.all_villages,
            snapshot=args.snapshot,
            resend_from=args.resend_from,
            to_district=args.to_district,
        ),
    )
    line = Text("已导出 {path}（{kind}，{count} 条）", "Exported {path} ({kind}, {count} items)")
    text = "\n".join(str(line.format(path=str(e.path), kind=e.kind, count=e.count)) for e in made)
    emit(args, [e.as_dict() for e in made], text)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    found = on_register(args, lambda register: bundles.verify_file(register, args.file))
    manifest = found.manifest
    text = Text(
        "数据包完好：{kind}，来自 {area} 的设备 {device}，修改 {after}-{upto}。",
        "The bundle is sound: {kind} from device {device} of {area}, changes {after}-{upto}.",
    ).format(
        kind=shown(manifest["kind"]),
        area=shown(manifest["sender_area"]),
        device=shown(manifest["device"]),
        after=manifest["after"] + 1,
        upto=manifest["upto"],
    )
    emit(args, manifest, str(text))
    return 0


_OUTCOMES = {
    "accepted": Text("已导入", "accepted"),
    "duplicate": Text("重复", "duplicate"),
    "gap": Text("有缺口", "gap"),
    "fork": Text("分叉（保留待处理）", "fork (held)"),
    "refused": Text("拒收", "refused"),
    "not_here": Text("不是本村的，没有动它", "not for this village: left alone"),
}


def run_import(args: argparse.Namespace) -> int:
    # The first import of the day reads and opens the bundles while the register's
    # daily check runs on a thread of its own; it writes only once the check passed.
    with opened(args, check_later=True) as register:
        with daily_check.alongside(register) as check:
            prepared = bundles.prepare(register, args.files) if check is not None else None
            if check is not None:
                check.wait()  # RegisterDamaged: nothing was written
        results = bundles.import_files(
            register, args.files, dry_run=args.dry_run, prepared=prepared
        )
    lines = []
    for r in results:
        counts = Text(
            "应用 {a}，无变化 {u}，冲突 {q}", "applied {a}, unchanged {u}, conflicts {q}"
        ).format(a=r.applied, u=r.unchanged, q=r.queued)
        line = f"{shown(r.file_name)}: {_OUTCOMES[r.outcome]}"
        if r.outcome == ACCEPTED:
            line += f" ({counts})"
        if r.reason:
            line += f" - {r.reason}"
        lines.append(line)
    if args.dry_run:
        lines.append(str(Text("（试运行：没有写入任何内容）", "(dry run: nothing was written)")))
    emit(args, [r.as_dict() for r in results], "\n".join(lines))
    # Another village's update file on the same stick is normal: left alone, exit 0.
    bad = [r for r in results if r.outcome not in (ACCEPTED, DUPLICATE, NOT_HERE)]
    for r in bad:
        print(f"fpdesk: {shown(r.file_name)}: {r.reason}", file=sys.stderr)
    return 1 if any(r.outcome == REFUSED for r in bad) else (3 if bad else 0)


def run_conflicts(args: argparse.Namespace) -> int:
    with opened(args) as register:
        found = conflicts.open_conflicts(register, include_resolved=args.all)
        for c in found:
            c["reason"] = decisions.reason_for(register, c["id"]) if c["resolved_at"] else None
        received = (
            decisions.history(register, [decisions.CONFLICT])
            if args.all and register.role == "village"
            else []
        )
    lines = [
        f"{c['id']}  {c['kind']}  {c['tbl']}.{c['field']}  {c['row_id']}  "
        f"base={json.dumps(c['base'], ensure_ascii=False)}  "
        f"village={json.dumps(c['theirs'], ensure_ascii=False)}  "
        f"township={json.dumps(c['ours'], ensure_ascii=False)}"
        + (f"  other={c['other_row_id']}" if c["other_row_id"] else "")
        + (_decided(c) if c["resolved_at"] else "")
        for c in found
    ]
    lines += [_decision_line(d) for d in received]  # the township's, at a village
    return emit_lines(args, found + received, lines, Text("没有冲突。", "No conflicts."))


def _decided(c: dict[str, Any]) -> str:
    text = Text(
        "  已处理 {at}，{by}：{how} = {value}；理由：{reason}",
        "  resolved {at} by {by}: {how} = {value}; reason: {reason}",
    ).format(
        at=c["resolved_at"],
        by=c["resolved_by"] or "-",
        how=c["resolution"],
        value=json.dumps(c["resolved_value"], ensure_ascii=False),
        reason=c.get("reason") or "-",
    )
    return str(text)


def _decision_line(d: dict[str, Any]) -> str:
    """One decision of the history: when, who, what, about which record, why."""
    what = decisions.TITLES.get(d["kind"], Text(d["kind"], d["kind"]))
    about = f"{d['tbl'] or ''}.{d['field']}" if d["field"] else str(d["tbl"] or "")
    persons = " ".join(x for x in (d["row_id"], d["other_row_id"]) if x)
    value = f" = {d['value']}" if d["value"] is not None else ""
    reason = Text("理由：{r}", "reason: {r}").format(r=d["reason"] or "-")
    return f"{d['at']}  {d['actor'] or '-'}  {what}  {about}  {persons}{value}  {reason}"


def run_duplicates(args: argparse.Namespace) -> int:
    with opened(args) as register:
        pairs = duplicates.candidates(register)
        done = (
            decisions.history(register, [decisions.MERGE, decisions.UNMERGE, decisions.DISTINCT])
            if args.all
            else []
        )
    lines = [
        f"{p.a['id']}  {p.b['id']}  {p.a['name']}  {p.a['birth_date']}  "
        f"{p.a.get('village_code') or '-'} / {p.b.get('village_code') or '-'}  {p.reason_text}"
        for p in pairs
    ]
    lines += [_decision_line(d) for d in done]
    data = {
        "pairs": [
            {"a": p.a["id"], "b": p.b["id"], "reason": p.reason, "conflicts": p.conflict_ids}
            for p in pairs
        ],
        "history": done,
    }
    empty = Text("没有待核对的疑似重复。", "No possible duplicates to look at.")
    return emit_lines(args, data, lines, empty)


def run_resolve(args: argparse.Namespace) -> int:
    value = conflicts.parse_value(args.value) if args.value is not None else None
    done = on_register(
        args,
        lambda register: conflicts.resolve(
            register,
            args.conflict_id,
            args.take,
            value,
            has_value=args.value is not None,
            reason=args.reason,
        ),
    )
    text = Text("冲突 {id} 已处理。", "Conflict {id} resolved.").format(id=args.conflict_id)
    emit(args, done, str(text))
    return 0


def run_ledger(args: argparse.Namespace) -> int:
    if args.runs:
        return _run_ledger_runs(args)
    return list_rows(args, ledger.rows, _ledger_line, NOTHING_IMPORTED)


NOTHING_IMPORTED = Text("还没有导入记录。", "Nothing imported yet.")


def _ledger_line(r: dict[str, Any]) -> str:
    return (
        f"{r['seen_at']}  {_OUTCOMES.get(r['outcome'], r['outcome'])}  {shown(r['file_name'])}"
        + (f"  {r['after_seq'] + 1}-{r['upto_seq']}" if r["after_seq"] is not None else "")
        + (f"  {r['applied']}/{r['unchanged']}/{r['queued']}" if r["outcome"] == ACCEPTED else "")
        + (f"  {Text(r['reason_zh'] or '', r['reason_en'] or '')}" if r["reason_en"] else "")
    )


def _run_ledger_runs(args: argparse.Namespace) -> int:
    return list_rows(args, ledger.runs, _run_line, NOTHING_IMPORTED, as_data=vars)


def _run_line(run: ledger.ImportRun) -> str:
    files = Text("{n} 个文件", "{n} file(s)").format(n=run.files)
    outcomes = ", ".join(f"{_OUTCOMES.get(k, k)} {n}" for k, n in sorted(run.outcomes.items()))
    return f"{run.id}  {run.started_at}  {run.clerk or '-'}  {files}  {outcomes}"


# ------------------------------------------------------------------- held forks


def _add_held(actions: Any) -> None:
    held_parser = actions.add_parser("held", help="bundles held as forks / 保留的分叉包")
    steps = held_parser.add_subparsers(dest="held_command", metavar="ACTION", required=True)
    with subcommand(steps, "list", "held bundles / 保留的数据包", run_held_list) as listing:
        listing.add_argument("--all", action="store_true", help="released too / 包括已处理")
    for name, helptext, func in (
        ("show", "what it would change / 会改什么", run_held_show),
        ("apply", "merge it, revoke the laptop / 导入并停用电脑", run_held_apply),
        ("discard", "keep nothing of it / 放弃", run_held_discard),
    ):
        with subcommand(steps, name, helptext, func) as step:
            step.add_argument("held_id", metavar="HELD_ID")
            if name == "discard":
                step.add_argument("--reason", required=True, help="why / 理由")


def _range(h: held.Held) -> str:
    return "?" if h.after is None else f"{h.after + 1}-{h.upto}"


def run_held_list(args: argparse.Namespace) -> int:
    with opened(args) as register:
        found = held.held_bundles(register, include_released=args.all)
    lines = []
    for h in found:
        line = f"{h.held_id}  {h.village}  {h.device_id[:8]}  {_range(h)}  {h.held_at}  {h.reason}"
        if h.release is not None:
            line += f"  [{held.ACTION_NAMES[h.release['action']]} {h.release['at']}]"
        lines.append(line)
    nothing = Text("没有保留的数据包。", "No held bundles.")
    return emit_lines(args, [h.as_dict() for h in found], lines, nothing)


def run_held_show(args: argparse.Namespace) -> int:
    shown = on_register(args, lambda register: held.preview(register, args.held_id))
    h = shown.held
    head = Text(
        "保留的数据包 {id}：村 {village}，设备 {device}，修改 {range}，{when} 保留。",
        "Held bundle {id}: village {village}, device {device}, changes {range}, held {when}.",
    ).format(
        id=h.held_id, village=h.village, device=h.device_id[:8], range=_range(h), when=h.held_at
    )
    lines = [str(head)]
    same = Text("（以前收到过，相同）", "(received before, the same)")
    for c in shown.changes:
        fields = ", ".join(
            f"{k}: {json.dumps(a, ensure_ascii=False)} -> {json.dumps(b, ensure_ascii=False)}"
            for k, (a, b) in c.fields.items()
        )
        line = f"  {c.seq}  {c.op}  {c.table}  {c.row_id}  {fields}"
        lines.append(line + (f"  {same}" if c.received else ""))
    if h.release is None:
        would = Text(
            "导入的话：应用 {a}，无变化 {u}，冲突 {q}。",
            "If applied: {a} applied, {u} unchanged, {q} conflicts.",
        ).format(a=shown.applied, u=shown.unchanged, q=shown.queued)
        lines.append(str(would))
    else:
        lines.append(f"[{held.ACTION_NAMES[h.release['action']]} {h.release['at']}]")
    return emit_lines(args, shown.as_dict(), lines)


def run_held_apply(args: argparse.Namespace) -> int:
    done = on_register(args, lambda register: held.apply(register, args.held_id))
    r = done.result
    text = Text(
        "已导入保留的数据包 {id}：应用 {a}，无变化 {u}，冲突 {q}。",
        "Held bundle {id} applied: {a} applied, {u} unchanged, {q} conflicts.",
    ).format(id=done.held.held_id, a=r.applied, u=r.unchanged, q=r.queued)
    emit(args, done.as_dict(), f"{text}\n{done.message}")
    return 0


def run_held_discard(args: argparse.Namespace) -> int:
    done = on_register(
        args, lambda register: held.discard(register, args.held_id, reason=args.reason)
    )
    text = Text("已放弃保留的数据包 {id}。", "Held bundle {id} discarded.").format(
        id=done.held.held_id
    )
    emit(args, done.as_dict(), f"{text}\n{done.message}")
    return 0
