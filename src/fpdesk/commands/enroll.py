"""enroll request|accept|finish|revoke|recovery-key, devices list: pairing laptops."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdesk.commands.common import CommandError, add_db, add_json, emit, opened
from fpdesk.core.i18n import Text
from fpdesk.store.db import Register
from fpdesk.sync import enrollment, keys
from fpdesk.sync.errors import SyncError


def add_commands(sub: Any) -> None:
    enroll = sub.add_parser("enroll", help="pair a village laptop with the township / 设备登记")
    steps = enroll.add_subparsers(dest="enroll_command", metavar="STEP", required=True)

    request = steps.add_parser("request", help="village: write a request file / 村：写登记申请")
    add_db(request)
    request.add_argument("--out", required=True, type=Path, help="request file / 申请文件")
    add_json(request)
    request.set_defaults(func=run_request)

    accept = steps.add_parser("accept", help="township: enroll and answer / 乡镇：登记并回复")
    add_db(accept)
    accept.add_argument("request", type=Path, help="request file / 申请文件")
    accept.add_argument("--out", required=True, type=Path, help="answer file / 回复文件")
    add_json(accept)
    accept.set_defaults(func=run_accept)

    finish = steps.add_parser("finish", help="village: read the answer / 村：读取回复")
    add_db(finish)
    finish.add_argument("answer", type=Path, help="answer file / 回复文件")
    add_json(finish)
    finish.set_defaults(func=run_finish)

    _revoke_parser(steps.add_parser("revoke", help="township: revoke a device / 乡镇：注销设备"))

    recovery = steps.add_parser(
        "recovery-key", help="township: write the recovery identity / 乡镇：生成恢复密钥"
    )
    add_db(recovery)
    recovery.add_argument("--out", required=True, type=Path, help="key file / 密钥文件")
    add_json(recovery)
    recovery.set_defaults(func=run_recovery)

    devices = sub.add_parser("devices", help="enrolled devices / 已登记设备")
    which = devices.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    listing = which.add_parser("list", help="list devices / 列出设备")
    add_db(listing)
    add_json(listing)
    listing.set_defaults(func=run_devices)
    _revoke_parser(which.add_parser("revoke", help="revoke a device / 注销设备"))


def _revoke_parser(revoke: argparse.ArgumentParser) -> None:
    """enroll revoke and devices revoke: one command under two names."""
    add_db(revoke)
    revoke.add_argument("device_id", help="device id / 设备编号")
    add_json(revoke)
    revoke.set_defaults(func=run_revoke)


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
    with opened(args) as register:
        try:
            data = work(register)
        except SyncError as exc:
            raise CommandError(exc.text) from exc
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
    with opened(args) as register:
        found = keys.peers(register)
    lines = [
        f"{d['device_id']}  {d['role']}  {d['area_code']}  {d['fingerprint']}  "
        + (f"注销 revoked {d['revoked_at']}" if d["revoked_at"] else "有效 active")
        for d in found
    ]
    emit(args, found, "\n".join(lines) if lines else str(Text("没有登记的设备。", "No devices.")))
    return 0
