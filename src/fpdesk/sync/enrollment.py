"""Pairing a village laptop with the township: a request file and an answer file.

1. The village writes a request: its device id, village code and public keys, signed
   with its own key (it holds the private half).
2. The township checks the request, enrolls the device and writes an answer: its own
   public keys and the recovery recipient, signed, plus the village keys it enrolled.
3. The village checks the answer names its own keys and stores the township.
Both sides then show the same fingerprint (six groups of four digits) of the two sets
of keys; the officer and the clerk read it to each other by phone.  A file swapped on
the way gives a different fingerprint.  Files hold public keys only.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fpdesk.core import area
from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log
from fpdesk.store.db import Register
from fpdesk.sync import container, keys
from fpdesk.sync.errors import SyncError

REQUEST = "fpdesk-enroll-request"
ANSWER = "fpdesk-enroll-answer"
VERSION = 1
_MAX_FILE = 64 << 10

BAD_FILE = Text(
    "这不是有效的 fpdesk 设备登记文件（{detail}）。",
    "This is not a valid fpdesk enrollment file ({detail}).",
)
NOT_HERE = Text(
    "村 {village} 不属于本乡镇 {township}，没有登记。",
    "Village {village} is not part of this township {township}; not enrolled.",
)
WAS_REVOKED = Text(
    "设备 {device} 已被注销，不能再登记。请在那台电脑上新建登记册。",
    "Device {device} was revoked and cannot enroll again. Make a new register on that laptop.",
)
NO_RECOVERY = Text(
    "本乡镇登记册还没有恢复密钥。请先运行 fpdesk enroll recovery-key。",
    "This township register has no recovery key yet. Run fpdesk enroll recovery-key first.",
)
NOT_MINE = Text(
    "这个回复不是给本机的（设备或密钥不符）。",
    "This answer is not for this laptop (device or keys differ).",
)


def pair_fingerprint(village: keys.PublicKeys, township: keys.PublicKeys) -> str:
    return keys.fingerprint(
        village.device_id,
        village.sign_public,
        village.age_recipient,
        township.device_id,
        township.sign_public,
        township.age_recipient,
        township.recovery_recipient or "",
    )


def _signed(register: Register, body: dict[str, Any]) -> bytes:
    signature = keys.sign(register, container.canonical(body))
    return container.canonical({**body, "signature": signature}) + b"\n"


def _read(path: Path, kind: str) -> dict[str, Any]:
    try:
        data = container.parse_json(container.read_file(path, _MAX_FILE), "enrollment file")
    except OSError as exc:
        raise SyncError(BAD_FILE.format(detail=exc.strerror or "unreadable")) from exc
    except SyncError:
        raise
    except Exception as exc:  # damaged JSON arrives as BundleRefused, a SyncError too
        raise SyncError(BAD_FILE.format(detail="unreadable")) from exc
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise SyncError(BAD_FILE.format(detail=f"not an {kind}"))
    if data.get("version") != VERSION:
        raise SyncError(BAD_FILE.format(detail=f"version {data.get('version')!r}"))
    return data


# A device id is a UUID (core.ids.new_id); anything else in a file is refused, since
# the id is stored and shown.
_DEVICE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _public(data: Any) -> keys.PublicKeys:
    if not isinstance(data, dict) or not _DEVICE_ID.fullmatch(str(data.get("device_id"))):
        raise SyncError(BAD_FILE.format(detail="device id malformed"))
    try:
        return keys.PublicKeys(
            device_id=str(data["device_id"]),
            role=str(data["role"]),
            area_code=str(data["area_code"]),
            sign_public=str(data["sign_public"]),
            age_recipient=str(data["age_recipient"]),
            recovery_recipient=data.get("recovery_recipient"),
        )
    except (KeyError, TypeError) as exc:
        raise SyncError(BAD_FILE.format(detail="keys missing")) from exc


def _check_signature(data: dict[str, Any], signer: keys.PublicKeys) -> None:
    body = {k: v for k, v in data.items() if k != "signature"}
    signature = data.get("signature")
    if not isinstance(signature, str) or not keys.signature_valid(
        signer.sign_public, container.canonical(body), signature
    ):
        raise SyncError(BAD_FILE.format(detail="signature does not match"))


def write_request(register: Register, out: Path) -> str:
    """The village's request; returns its own key fingerprint for the record."""
    access.require(register, "enroll")
    mine = keys.public_keys(register)
    body = {"kind": REQUEST, "version": VERSION, "keys": mine.as_dict(), "at": keys.now_text()}
    keys.write_new_file(out, _signed(register, body))
    access_log.record(register, "enroll", {"request": out.name})
    return keys.fingerprint(mine.device_id, mine.sign_public, mine.age_recipient)


def accept(register: Register, request: Path, out: Path) -> dict[str, Any]:
    """Enroll the requesting village laptop and write the answer; returns the device."""
    access.require(register, "enroll")
    data = _read(request, REQUEST)
    village = _public(data.get("keys"))
    _check_signature(data, village)
    if village.role != "village" or not _inside(register.area_code, village.area_code):
        raise SyncError(NOT_HERE.format(village=village.area_code, township=register.area_code))
    known = keys.peer(register, village.device_id)
    if known is not None and known["revoked_at"] is not None:
        raise SyncError(WAS_REVOKED.format(device=village.device_id))
    mine = keys.public_keys(register)
    if not mine.recovery_recipient:
        raise SyncError(NO_RECOVERY)
    fingerprint = pair_fingerprint(village, mine)
    body = {
        "kind": ANSWER,
        "version": VERSION,
        "village": village.as_dict(),
        "township": mine.as_dict(),
        "at": keys.now_text(),
    }
    answer = _signed(register, body)
    keys.write_new_file(out, answer)
    keys.add_peer(register, village, fingerprint)
    access_log.record(register, "enroll", {"device": village.device_id, "area": village.area_code})
    return {**village.as_dict(), "fingerprint": fingerprint}


def finish(register: Register, answer: Path) -> dict[str, Any]:
    """Store the township from its answer; returns it with the fingerprint to compare."""
    access.require(register, "enroll")
    data = _read(answer, ANSWER)
    township = _public(data.get("township"))
    _check_signature(data, township)
    mine = keys.public_keys(register)
    claimed = _public(data.get("village"))
    if (claimed.device_id, claimed.sign_public, claimed.age_recipient) != (
        mine.device_id,
        mine.sign_public,
        mine.age_recipient,
    ):
        raise SyncError(NOT_MINE)
    if township.role != "township" or not _inside(township.area_code, register.area_code):
        raise SyncError(NOT_HERE.format(village=register.area_code, township=township.area_code))
    if not township.recovery_recipient:
        raise SyncError(BAD_FILE.format(detail="no recovery key"))
    fingerprint = pair_fingerprint(mine, township)
    keys.add_peer(register, township, fingerprint)
    access_log.record(
        register, "enroll", {"device": township.device_id, "area": township.area_code}
    )
    return {**township.as_dict(), "fingerprint": fingerprint}


def _inside(township_code: str, village_code: str) -> bool:
    try:
        return area.level_of(village_code) == "village" and area.contains(
            township_code, village_code
        )
    except area.AreaCodeError:
        return False
