"""backup create|list|restore: encrypted copies of the register, and putting one back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from fpdesk.commands.common import emit, emit_lines, opened, passphrase, subcommand, user
from fpdesk.core.i18n import Text
from fpdesk.store import backup

PREVIEW = Text(
    "备份 {path}\n  时间 {made_at}，区划 {area}，户 {households}，人 {persons}，最后修改 {last}",
    "Backup {path}\n  made {made_at}, area {area}, {households} households, {persons} "
    "persons, last change {last}",
)
RESTORED = Text(
    "已从备份恢复登记册。原来的登记册保存在 {safety}。",
    "The register was restored from the backup. The one it replaced is kept at {safety}.",
)
ASK_CONFIRM = Text(
    "这会替换现在的登记册（先另存一份）。确认恢复请加 --yes 再运行一次。",
    "This replaces the register in use (after keeping a copy of it). Run again with --yes "
    "to restore.",
)


def add_commands(sub: Any) -> None:
    parser = sub.add_parser("backup", help="encrypted backups / 加密备份")
    steps = parser.add_subparsers(dest="backup_command", metavar="ACTION", required=True)

    with subcommand(steps, "create", "back up now / 立即备份", run_create) as create:
        create.add_argument(
            "--to", type=Path, help="folder, e.g. a USB stick / 目标文件夹（如U盘）"
        )

    with subcommand(steps, "list", "backups in a folder / 列出备份", run_list) as listing:
        listing.add_argument("--dir", type=Path, help="folder (default: beside the register)")

    with subcommand(steps, "restore", "restore a backup / 从备份恢复", run_restore) as restore:
        restore.add_argument("--from", dest="source", type=Path, required=True, help="backup file")
        restore.add_argument("--yes", action="store_true", help="replace the register / 确认替换")


def run_create(args: argparse.Namespace) -> int:
    with opened(args) as register:
        made = backup.create(register, args.to)
    text = Text("已备份到 {path}。", "Backed up to {path}.")
    emit(args, {"path": str(made)}, str(text.format(path=made)))
    return 0


def run_list(args: argparse.Namespace) -> int:
    folder = args.dir or backup.default_folder(args.db)
    found = backup.list_backups(folder)
    data = [
        {"path": str(b.path), "made_at": b.made_at.isoformat(), "label": b.label} for b in found
    ]
    lines = [f"{b.made_at:%Y-%m-%d %H:%M:%S}\t{b.label}\t{b.path}" for b in found]
    return emit_lines(args, data, lines, Text("没有备份。", "No backups."))


def _preview_text(seen: backup.Preview) -> str:
    return str(
        PREVIEW.format(
            path=seen.path,
            made_at=seen.made_at,
            area=seen.area_code,
            households=seen.counts["household"],
            persons=seen.counts["person"],
            last=seen.last_change or "-",
        )
    )


def run_restore(args: argparse.Namespace) -> int:
    secret = passphrase()
    seen = backup.preview(args.source, secret, user=user(args))
    if not args.yes:
        emit(
            args,
            {"preview": seen.as_dict(), "restored": False},
            _preview_text(seen) + "\n" + str(ASK_CONFIRM),
        )
        return 1
    safety = backup.restore(args.source, args.db, secret, user=user(args), confirmed=True)
    emit(
        args,
        {"preview": seen.as_dict(), "restored": True, "safety_copy": str(safety)},
        _preview_text(seen) + "\n" + str(RESTORED.format(safety=safety)),
    )
    return 0
