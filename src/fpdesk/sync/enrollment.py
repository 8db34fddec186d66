"""Pairing a village laptop with the township: a request file and an answer file.

1. The village writes a request: its device id, village code and public keys, signed
   with its own key (it holds the private half).
2. The township checks the request, enrolls the device and writes an answer: its own
   public keys and the recovery recipient, signed, plus the village keys it enrolled.
3. The village checks the answer names its own keys and stores the township.
Both sides then show the same fingerprint (six groups of four digits) of the two sets
of keys; the officer and the clerk read it to each other by phone.  A file swapped on
the way gives a different fingerprint.  Files hold public keys only.

The same pairing joins a township register to the district hub (docs/hub.md): one
lower level asks, one upper level answers (`Pairing`).  The hub's side keeps its
peers and keys in PostgreSQL, so the parts that read and write files (`answer_for`,
`read_answer`) take the upper side's keys and signer rather than a register.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
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


NOT_INSIDE = Text(
    "{lower} 不在 {upper} 的范围内，没有登记。",
    "{lower} is not inside {upper}; not enrolled.",
)


@dataclass(frozen=True)
class Pairing:
    """A lower level that asks and the upper level that answers: a village laptop and
    its township, or a township register and its district hub.  The upper side's
    answer carries a recovery recipient when `needs_recovery` (the township's: its
    laptop may die; the hub's keys live in a server database with its own backups)."""

    lower: str
    upper: str
    needs_recovery: bool

    def inside(self, upper_code: str, lower_code: str) -> bool:
        """Whether `lower_code` is an area of the lower level inside `upper_code`."""
        try:
            return area.level_of(lower_code) == self.lower and area.contains(upper_code, lower_code)
        except area.AreaCodeError:
            return False

    def refusal(self, upper_code: str, lower_code: str) -> Text:
        if self.lower == "village":
            return NOT_HERE.format(village=lower_code, township=upper_code)
        return NOT_INSIDE.format(lower=lower_code, upper=upper_code)


VILLAGE_TOWNSHIP = Pairing("village", "township", needs_recovery=True)
TOWNSHIP_DISTRICT = Pairing("township", "district", needs_recovery=False)
# What a register of each role asks to join (its `finish` reads that pairing's answer).
_ASKS = {"village": VILLAGE_TOWNSHIP, "township": TOWNSHIP_DISTRICT}


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


Signer = Callable[[bytes], str]


def _signed(sign: Signer, body: dict[str, Any]) -> bytes:
    signature = sign(container.canonical(body))
    return container.canonical({**body, "signature": signature}) + b"\n"


def _register_signer(register: Register) -> Signer:
    return lambda message: keys.sign(register, message)


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
    keys.write_new_file(out, _signed(_register_signer(register), body))
    access_log.record(register, "enroll", {"request": out.name})
    return keys.fingerprint(mine.device_id, mine.sign_public, mine.age_recipient)


def read_request(request: Path, pairing: Pairing, upper_code: str) -> keys.PublicKeys:
    """The lower side's keys from its request, checked: well formed, signed by the
    keys it carries, of the pairing's lower level and inside the upper's area."""
    data = _read(request, REQUEST)
    lower = _public(data.get("keys"))
    _check_signature(data, lower)
    if lower.role != pairing.lower or not pairing.inside(upper_code, lower.area_code):
        raise SyncError(pairing.refusal(upper_code, lower.area_code))
    return lower


def answer_for(
    lower: keys.PublicKeys, upper: keys.PublicKeys, sign: Signer, pairing: Pairing, out: Path
) -> str:
    """Write the upper side's signed answer to `lower`; returns the pair's fingerprint."""
    if pairing.needs_recovery and not upper.recovery_recipient:
        raise SyncError(NO_RECOVERY)
    body = {
        "kind": ANSWER,
        "version": VERSION,
        pairing.lower: lower.as_dict(),
        pairing.upper: upper.as_dict(),
        "at": keys.now_text(),
    }
    keys.write_new_file(out, _signed(sign, body))
    return pair_fingerprint(lower, upper)


def accept(register: Register, request: Path, out: Path) -> dict[str, Any]:
    """Enroll the requesting village laptop and write the answer; returns the device."""
    access.require(register, "enroll")
    village = read_request(request, VILLAGE_TOWNSHIP, register.area_code)
    known = keys.peer(register, village.device_id)
    if known is not None and known["revoked_at"] is not None:
        raise SyncError(WAS_REVOKED.format(device=village.device_id))
    mine = keys.public_keys(register)
    fingerprint = answer_for(village, mine, _register_signer(register), VILLAGE_TOWNSHIP, out)
    keys.add_peer(register, village, fingerprint)
    access_log.record(register, "enroll", {"device": village.device_id, "area": village.area_code})
    return {**village.as_dict(), "fingerprint": fingerprint}


def read_answer(answer: Path, mine: keys.PublicKeys, pairing: Pairing) -> keys.PublicKeys:
    """The upper side's keys from its answer to `mine`, checked: signed by them, naming
    our own keys, of the pairing's upper level and holding our area."""
    data = _read(answer, ANSWER)
    upper = _public(data.get(pairing.upper))
    _check_signature(data, upper)
    claimed = _public(data.get(pairing.lower))
    if (claimed.device_id, claimed.sign_public, claimed.age_recipient) != (
        mine.device_id,
        mine.sign_public,
        mine.age_recipient,
    ):
        raise SyncError(NOT_MINE)
    if upper.role != pairing.upper or not pairing.inside(upper.area_code, mine.area_code):
        raise SyncError(pairing.refusal(upper.area_code, mine.area_code))
    if pairing.needs_recovery and not upper.recovery_recipient:
        raise SyncError(BAD_FILE.format(detail="no recovery key"))
    return upper


def finish(register: Register, answer: Path) -> dict[str, Any]:
    """Store the upper side from its answer (a village: its township; a township: the
    district hub); returns it with the fingerprint to compare."""
    access.require(register, "enroll")
    pairing = _ASKS.get(register.role)
    if pairing is None:
        raise SyncError(BAD_FILE.format(detail=f"not an answer for a {register.role} register"))
    mine = keys.public_keys(register)
    upper = read_answer(answer, mine, pairing)
    fingerprint = pair_fingerprint(mine, upper)
    keys.add_peer(register, upper, fingerprint)
    access_log.record(register, "enroll", {"device": upper.device_id, "area": upper.area_code})
    return {**upper.as_dict(), "fingerprint": fingerprint}
