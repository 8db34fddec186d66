"""bundle export|verify|import, conflicts list|resolve, ledger: moving changes around."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fpdesk.commands.common import CommandError, add_db, add_json, emit, opened
from fpdesk.core.i18n import Text
from fpdesk.sync import bundles, conflicts, ledger
from fpdesk.sync.errors import BundleRefused, SyncError
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, REFUSED


def add_commands(sub: Any) -> None:
    bundle = sub.add_parser("bundle", help="change bundles / 数据包")
    actions = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    export = actions.add_parser("export", help="write bundles / 导出数据包")
    add_db(export)
    export.add_argument("--out", required=True, type=Path, help="folder / 文件夹")
    target = export.add_mutually_exclusive_group()
    target.add_argument("--for", dest="village", help="village code (township) / 村代码")
    target.add_argument("--all-villages", action="store_true", help="every village / 所有村")
    export.add_argument(
        "--snapshot", action="store_true", help="whole village, for a new laptop / 全村数据"
    )
    add_json(export)
    export.set_defaults(func=run_export)

    verify = actions.add_parser("verify", help="check a bundle, change nothing / 检查数据包")
    add_db(verify)
    verify.add_argument("file", type=Path)
    add_json(verify)
    verify.set_defaults(func=run_verify)

    imp = actions.add_parser("import", help="import bundles / 导入数据包")
    add_db(imp)
    imp.add_argument("files", nargs="+", type=Path, metavar="FILE_OR_DIR")
    imp.add_argument("--dry-run", action="store_true", help="show only / 只显示不导入")
    add_json(imp)
    imp.set_defaults(func=run_import)

    conflict = sub.add_parser("conflicts", help="the conflict queue / 冲突")
    which = conflict.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    listing = which.add_parser("list", help="open conflicts / 未处理的冲突")
    add_db(listing)
    listing.add_argument("--all", action="store_true", help="resolved too / 包括已处理")
    add_json(listing)
    listing.set_defaults(func=run_conflicts)
    resolve = which.add_parser("resolve", help="decide one / 处理一个冲突")
    add_db(resolve)
    resolve.add_argument("conflict_id")
    resolve.add_argument("--take", required=True, choices=conflicts.TAKES)
    resolve.add_argument("--value", help="the value, with --take value / 新的值")
    add_json(resolve)
    resolve.set_defaults(func=run_resolve)

    book = sub.add_parser("ledger", help="every bundle file seen / 导入记录")
    add_db(book)
    add_json(book)
    book.set_defaults(func=run_ledger)


def run_export(args: argparse.Namespace) -> int:
    with opened(args) as register:
        try:
            made = bundles.export(
                register,
                args.out,
                village_code=args.village,
                all_villages=args.all_villages,
                snapshot=args.snapshot,
            )
        except SyncError as exc:
            raise CommandError(exc.text) from exc
    line = Text("已导出 {path}（{kind}，{count} 条）", "Exported {path} ({kind}, {count} items)")
    text = "\n".join(str(line.format(path=str(e.path), kind=e.kind, count=e.count)) for e in made)
    emit(args, [e.as_dict() for e in made], text)
    return 0


def run_verify(args: argparse.Namespace) -> int:
    with opened(args) as register:
        try:
            found = bundles.verify_file(register, args.file)
        except BundleRefused as exc:
            raise CommandError(exc.text) from exc
    manifest = found.manifest
    text = Text(
        "数据包完好：{kind}，来自 {area} 的设备 {device}，修改 {after}-{upto}。",
        "The bundle is sound: {kind} from device {device} of {area}, changes {after}-{upto}.",
    ).format(
        kind=manifest["kind"],
        area=manifest["sender_area"],
        device=manifest["device"],
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
}


def run_import(args: argparse.Namespace) -> int:
    with opened(args) as register:
        results = bundles.import_files(register, args.files, dry_run=args.dry_run)
    lines = []
    for r in results:
        counts = Text(
            "应用 {a}，无变化 {u}，冲突 {q}", "applied {a}, unchanged {u}, conflicts {q}"
        ).format(a=r.applied, u=r.unchanged, q=r.queued)
        line = f"{r.file_name}: {_OUTCOMES[r.outcome]}"
        if r.outcome == ACCEPTED:
            line += f" ({counts})"
        if r.reason:
            line += f" - {r.reason}"
        lines.append(line)
    if args.dry_run:
        lines.append(str(Text("（试运行：没有写入任何内容）", "(dry run: nothing was written)")))
    emit(args, [r.as_dict() for r in results], "\n".join(lines))
    bad = [r for r in results if r.outcome not in (ACCEPTED, DUPLICATE)]
    for r in bad:
        print(f"fpdesk: {r.file_name}: {r.reason}", file=sys.stderr)
    return 1 if any(r.outcome == REFUSED for r in bad) else (3 if bad else 0)


def run_conflicts(args: argparse.Namespace) -> int:
    with opened(args) as register:
        found = conflicts.open_conflicts(register, include_resolved=args.all)
    lines = [
        f"{c['id']}  {c['kind']}  {c['tbl']}.{c['field']}  {c['row_id']}  "
        f"base={json.dumps(c['base'], ensure_ascii=False)}  "
        f"village={json.dumps(c['theirs'], ensure_ascii=False)}  "
        f"township={json.dumps(c['ours'], ensure_ascii=False)}"
        + (f"  other={c['other_row_id']}" if c["other_row_id"] else "")
        for c in found
    ]
    emit(args, found, "\n".join(lines) or str(Text("没有冲突。", "No conflicts.")))
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    value = conflicts.parse_value(args.value) if args.value is not None else None
    with opened(args) as register:
        try:
            done = conflicts.resolve(
                register, args.conflict_id, args.take, value, has_value=args.value is not None
            )
        except SyncError as exc:
            raise CommandError(exc.text) from exc
    text = Text("冲突 {id} 已处理。", "Conflict {id} resolved.").format(id=args.conflict_id)
    emit(args, done, str(text))
    return 0


def run_ledger(args: argparse.Namespace) -> int:
    with opened(args) as register:
        found = ledger.rows(register)
    lines = [
        f"{r['seen_at']}  {r['outcome']}  {r['file_name']}  "
        f"{r['after_seq']}-{r['upto_seq']}  {r['applied']}/{r['unchanged']}/{r['queued']}"
        + (f"  {r['reason_zh'] or ''} / {r['reason_en'] or ''}" if r["reason_en"] else "")
        for r in found
    ]
    emit(args, found, "\n".join(lines) or str(Text("还没有导入记录。", "Nothing imported yet.")))
    return 0
