"""Keys for a register made by `fpdesk init`.

Keys are made at init (and, for registers made otherwise, on first use by
keys.ensure_keys).  A township also gets its recovery identity here, written to a
file and never kept in the register.
"""

from __future__ import annotations

from pathlib import Path

from fpdesk.core.i18n import Text
from fpdesk.store.db import Register
from fpdesk.sync import keys

RECOVERY_WRITTEN = Text(
    "恢复密钥已写入 {path}。请离线保管（打印或存在保险柜的U盘里），然后从本机删除。",
    "The recovery key is in {path}. Keep it offline (printed, or on a USB stick in a safe), "
    "then delete it from this laptop.",
)


def default_recovery_path(register: Register) -> Path:
    return register.path.with_name(register.path.name + ".recovery-key.txt")


def keys_for_new_register(register: Register, recovery_out: Path | None) -> dict[str, str]:
    """Make the register's keys; for a township also the recovery identity file."""
    keys.ensure_keys(register)
    if register.role != "township":
        return {}
    out = recovery_out or default_recovery_path(register)
    recipient = keys.create_recovery_identity(register, out)
    return {"recovery_key_file": str(out), "recovery_recipient": recipient}
