"""The clerk's composed tasks: decide a conflict with a reason, send updates to every
village, replace a village laptop.  Each is a few engine calls in the right order, so
the window and any script do the same thing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fpdesk.core.i18n import Text
from fpdesk.store.db import Register
from fpdesk.sync import bundles, conflicts, container, decisions, enrollment, keys
from fpdesk.sync.errors import SyncError

NEEDS_REASON = Text("请写明处理的理由。", "Please give a reason for the decision.")
NOT_A_VILLAGE_DEVICE = Text(
    "设备 {device} 不是本乡镇登记的村电脑。", "Device {device} is not an enrolled village laptop."
)
OTHER_VILLAGE = Text(
    "新电脑属于村 {new}，旧电脑属于村 {old}：不能这样替换。",
    "The new laptop belongs to village {new}, the old one to village {old}: not replaced.",
)


def resolve(
    register: Register,
    conflict_id: str,
    take: str,
    value: Any = None,
    *,
    reason: str,
    has_value: bool = False,
) -> dict[str, Any]:
    """conflicts.resolve, with the clerk's reason kept beside the decision."""
    if not reason.strip():
        raise SyncError(NEEDS_REASON)
    done = conflicts.resolve(
        register, conflict_id, take, value, has_value=has_value, reason=reason.strip()
    )
    return {**done, "reason": reason.strip()}


def reason_of(register: Register, conflict_id: str) -> str | None:
    """The clerk's reason for deciding a conflict (kept in the decisions' history)."""
    return decisions.reason_for(register, conflict_id)


def export_updates(
    register: Register, out_dir: Path, *, per_village: bool = False
) -> list[bundles.Exported]:
    """An update bundle for every enrolled village laptop: into one folder, or one
    sub-folder per village (named by its code)."""
    if not per_village:
        return bundles.export(register, out_dir, all_villages=True)
    made: list[bundles.Exported] = []
    villages = sorted(
        {p["area_code"] for p in keys.active_peers(register) if p["role"] == "village"}
    )
    for code in villages:
        made.extend(bundles.export(register, out_dir / code, village_code=code))
    return made


@dataclass(frozen=True)
class Replaced:
    old: dict[str, Any]
    new: dict[str, Any]  # with its fingerprint
    snapshot: bundles.Exported


def replace_laptop(
    register: Register, old_device: str, request: Path, answer: Path, out_dir: Path
) -> Replaced:
    """A stolen or broken laptop: revoke it, enroll its replacement, provision it.

    The snapshot carries the whole village as the township holds it, for the new
    laptop only.  Changes the old laptop made but never sent are lost with it; the
    revocation makes sure nothing it might still send is taken.
    """
    old = keys.peer(register, old_device)
    if old is None or old["role"] != "village":
        raise SyncError(NOT_A_VILLAGE_DEVICE.format(device=old_device))
    new_area = _requested_area(request)
    if new_area is not None and new_area != old["area_code"]:
        raise SyncError(OTHER_VILLAGE.format(new=new_area, old=old["area_code"]))
    with register.transaction():  # a refused request leaves the old laptop enrolled
        revoked = keys.revoke(register, old_device)
        new = enrollment.accept(register, request, answer)
    snapshot = provision(register, new["device_id"], out_dir)
    return Replaced(revoked, new, snapshot)


def _requested_area(request: Path) -> str | None:
    """The village a request names, read loosely: enrollment.accept checks it properly."""
    try:
        data = json.loads(container.read_file(request, 65536))
        found = data["keys"]["area_code"]
    except (SyncError, ValueError, KeyError, TypeError):
        return None
    return str(found)


def provision(register: Register, device_id: str, out_dir: Path) -> bundles.Exported:
    """A first snapshot for one newly enrolled laptop (its village's whole data)."""
    peer = keys.peer(register, device_id)
    if peer is None or peer["role"] != "village" or peer["revoked_at"] is not None:
        raise SyncError(NOT_A_VILLAGE_DEVICE.format(device=device_id))
    out_dir.mkdir(parents=True, exist_ok=True)
    return bundles._export_update(register, out_dir, peer, True)  # for this laptop only
