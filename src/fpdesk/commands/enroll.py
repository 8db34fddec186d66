"""enroll request|accept|finish|revoke|recovery-key, devices list: pairing laptops."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.commands.common import emit, list_rows, on_register, subcommand
from fpdesk.core.i18n import Text
from fpdesk.store.db import Register
from fpdesk.sync import district, enrollment, keys


def add_commands(sub: Any) -> None:
    enroll = sub.add_parser("enroll", help="pair a village laptop with the township / 设备登记")
    steps = enroll.add_subparsers(dest="enroll_command", metavar="STEP", required=True)

    with subcommand(
        steps, "request", "village: write a request file / 村：写登记申请", run_request
    ) as request:
        request.add_argument("--out", required=True, type=Path, help="request file / 申请文件")

    with subcommand(
        steps, "accept", "township: enroll and answer / 乡镇：登记并回复", run_accept
    ) as accept:
        accept.add_argument("request", type=Path, help="request file / 申请文件")
        accept.add_argument("--out", required=True, type=Path, help="answer file / 回复文件")

    with subcommand(
        steps, "finish", "village: read the answer / 村：读取回复", run_finish
    ) as finish:
        finish.add_argument("answer", type=Path, help="answer file / 回复文件")

    _revoke_parser(steps, "township: revoke a device / 乡镇：注销设备")

    with subcommand(
        steps,
        "recovery-key",
        "township: write the recovery identity / 乡镇：生成恢复密钥",
        run_recovery,
    ) as recovery:
        recovery.add_argument("--out", required=True, type=Path, help="key file / 密钥文件")

    devices = sub.add_parser("devices", help="enrolled devices / 已登记设备")
    which = devices.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    with subcommand(which, "list", "list devices / 列出设备", run_devices):
        pass  # --db and --json only
    _revoke_parser(which, "revoke a device / 注销设备")


def _revoke_parser(steps: Any, help_text: str) -> None:
    """enroll revoke and devices revoke: one command under two names."""
    with subcommand(steps, "revoke", help_text, run_revoke) as revoke:
        revoke.add_argument("device_id", help="device id / 设备编号")


REQUEST_WRITTEN = Text(
    "已写出登记申请 {out}。请把它交给乡镇文员。",
    "Wrote the enrollment request {out}. Take it to the township clerk.",
)
ACCEPTED = Text(
    "已登记 {area} 的设备 {device}，回复文件 {out}。\n核对码：{fp}\n请和村干部电话核对这串数字。",
    "Enrolled device {device} of {area}; answer file {out}.\nFingerprint: {fp}\n"
    "Read these digits to the village officer by phone.",
)
JOINED = Text(
    "已加入乡镇 {area}。\n核对码：{fp}\n请和乡镇文员电话核对：数字不同就不要发送数据。",
    "Joined township {area}.\nFingerprint: {fp}\nCompare it with the township clerk by "
    "phone: if the digits differ, do not send any data.",
)
JOINED_DISTRICT = Text(
    "已加入区县汇总库 {area}。\n核对码：{fp}\n请和区县工作人员电话核对：数字不同就不要发送数据。",
    "Joined the district hub {area}.\nFingerprint: {fp}\nCompare it with the district "
    "office by phone: if the digits differ, do not send any data.",
)
REVOKED = Text(
    "设备 {device} 已注销（{when}），以后它的包都会被拒收。",
    "Device {device} is revoked ({when}); its bundles will be refused from now on.",
)
RECOVERY_WRITTEN = Text(
    "恢复密钥已写入 {out}。请把它离线保管（例如打印或存在保险柜的U盘里），然后从本机删除。",
    "The recovery identity is in {out}. Keep it offline (printed, or on a USB stick in "
    "a safe), then delete it from this laptop.",
)


def _step(
    args: argparse.Namespace,
    work: Callable[[Register], dict[str, Any]],
    message: Callable[[dict[str, Any]], Text],
) -> int:
    """One step of pairing: open the register, do it, say what was done.  The
    exchange's refusal (a SyncError) is the command's, with its plain message."""
    data = on_register(args, work)
    emit(args, data, str(message(data)))
    return 0


def run_request(args: argparse.Namespace) -> int:
    return _step(
        args,
        lambda register: {
            "request": str(args.out),
            "device_id": register.device_id,
            "key": enrollment.write_request(register, args.out),
        },
        lambda data: REQUEST_WRITTEN.format(out=data["request"]),
    )


def run_accept(args: argparse.Namespace) -> int:
    return _step(
        args,
        lambda register: enrollment.accept(register, args.request, args.out),
        lambda device: ACCEPTED.format(
            area=device["area_code"],
            device=device["device_id"],
            out=str(args.out),
            fp=device["fingerprint"],
        ),
    )


def run_finish(args: argparse.Namespace) -> int:
    return _step(
        args,
        lambda register: enrollment.finish(register, args.answer),
        lambda upper: (JOINED_DISTRICT if upper["role"] == "district" else JOINED).format(
            area=upper["area_code"], fp=upper["fingerprint"]
        ),
    )


def run_revoke(args: argparse.Namespace) -> int:
    return _step(
        args,
        lambda register: keys.revoke(register, args.device_id),
        lambda device: REVOKED.format(device=device["device_id"], when=device["revoked_at"]),
    )


def run_recovery(args: argparse.Namespace) -> int:
    return _step(
        args,
        lambda register: {
            "recovery_key_file": str(args.out),
            "recipient": keys.create_recovery_identity(register, args.out),
        },
        lambda data: RECOVERY_WRITTEN.format(out=data["recovery_key_file"]),
    )


def run_devices(args: argparse.Namespace) -> int:
    return list_rows(
        args, district.peers_with_reporting, _device_line, Text("没有登记的设备。", "No devices.")
    )


REPORTED_UP = Text(
    "\n  区县已确认收到第 {acked} 号以前的修改（{when}）；还有 {waiting} 条修改未经区县确认"
    "（未导出或未收到回执），最新修改第 {last} 号。",
    "\n  the district has acknowledged changes up to {acked} ({when}); {waiting} changes "
    "are not yet acknowledged (not exported, or no acknowledgement yet), the last is {last}.",
)
RESEND_AWAITED = Text(
    "\n  本登记册从备份恢复后区县还没有确认：下一次 --to-district 导出会发送全部修改，"
    "区县放行后才会采用。",
    "\n  restored from a backup and not yet confirmed by the district: the next "
    "--to-district export sends every change, taken once the district office releases it.",
)


def _device_line(d: dict[str, Any]) -> str:
    state = f"注销 revoked {d['revoked_at']}" if d["revoked_at"] else "有效 active"
    line = f"{d['device_id']}  {d['role']}  {d['area_code']}  {d['fingerprint']}  {state}"
    up = d.get("reporting")
    if up is not None:
        when = up["acked_at"] or "-"
        waiting = up["unacknowledged"]
        line += str(
            REPORTED_UP.format(
                acked=up["acked_upto"], when=when, waiting=waiting, last=up["last_seq"]
            )
        )
        if up["resend_awaited"]:
            line += str(RESEND_AWAITED)
    return line
