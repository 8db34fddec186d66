"""A register's own keys, and the devices it exchanges bundles with.

Every register has two key pairs, made on first use and kept in the encrypted file:
an Ed25519 key that signs the bundles it makes, and an age X25519 identity that opens
the bundles made for it.  Villages get an age identity of their own (rather than one
derived from the Ed25519 key) because pyrage and the reference `age` tool speak
X25519 directly, and one key per purpose keeps each easy to reason about.

A township also has a recovery identity: generated once, written to a file the clerk
keeps offline, and never stored in the register (only its public recipient is).  If
the township laptop dies, the recovery identity still opens every village bundle.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from fpdesk.core.i18n import Text
from fpdesk.store import access, access_log
from fpdesk.store.db import Register
from fpdesk.sync.errors import NO_DISTRICT, NO_KEYS, SyncError

SIGN_KEY = "sign_private"
AGE_KEY = "age_identity"
RECOVERY_RECIPIENT = "recovery_recipient"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class PublicKeys:
    """What another laptop needs to know about this register."""

    device_id: str
    role: str
    area_code: str
    sign_public: str
    age_recipient: str
    recovery_recipient: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "role": self.role,
            "area_code": self.area_code,
            "sign_public": self.sign_public,
            "age_recipient": self.age_recipient,
            "recovery_recipient": self.recovery_recipient,
        }


def _stored(register: Register) -> dict[str, str]:
    return dict(register.conn.execute("SELECT name, value FROM sync_key"))


def ensure_keys(register: Register) -> None:
    """Make this register's signing key and age identity if it has none yet."""
    stored = _stored(register)
    missing = {name: value for name, value in new_keys().items() if name not in stored}
    if missing:
        with register.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO sync_key (name, value) VALUES (?, ?)", missing.items()
            )


def install_keys(
    register: Register, sign_private: str, age_identity: str, recovery: str | None = None
) -> None:
    """Put given keys into a register that has none (golden test fixtures, restores)."""
    Ed25519PrivateKey.from_private_bytes(unb64(sign_private))
    pyrage.x25519.Identity.from_str(age_identity)
    given = [(SIGN_KEY, sign_private), (AGE_KEY, age_identity)]
    if recovery:
        given.append((RECOVERY_RECIPIENT, str(pyrage.x25519.Recipient.from_str(recovery))))
    with register.transaction() as conn:
        if conn.execute("SELECT count(*) FROM sync_key").fetchone()[0]:
            raise SyncError(Text("本登记册已经有密钥。", "This register already has keys."))
        conn.executemany("INSERT INTO sync_key (name, value) VALUES (?, ?)", given)


def new_keys() -> dict[str, str]:
    """A new signing key and age identity, named as stored (the register keeps them in
    sync_key, the district hub in its private table: hub.enrollment)."""
    return {
        SIGN_KEY: b64(Ed25519PrivateKey.generate().private_bytes_raw()),
        AGE_KEY: str(pyrage.x25519.Identity.generate()),
    }


def sign_with(sign_private: str, message: bytes) -> str:
    return b64(Ed25519PrivateKey.from_private_bytes(unb64(sign_private)).sign(message))


def sign_public_of(sign_private: str) -> str:
    key = Ed25519PrivateKey.from_private_bytes(unb64(sign_private))
    return b64(key.public_key().public_bytes_raw())


def signing_key(register: Register) -> Ed25519PrivateKey:
    ensure_keys(register)
    return Ed25519PrivateKey.from_private_bytes(unb64(_stored(register)[SIGN_KEY]))


def age_identity(register: Register) -> pyrage.x25519.Identity:
    ensure_keys(register)
    return pyrage.x25519.Identity.from_str(_stored(register)[AGE_KEY])


def recovery_recipient(register: Register) -> str | None:
    return _stored(register).get(RECOVERY_RECIPIENT)


def public_keys(register: Register) -> PublicKeys:
    ensure_keys(register)
    sign_public = signing_key(register).public_key().public_bytes_raw()
    return PublicKeys(
        device_id=register.device_id,
        role=register.role,
        area_code=register.area_code,
        sign_public=b64(sign_public),
        age_recipient=str(age_identity(register).to_public()),
        recovery_recipient=recovery_recipient(register),
    )


def create_recovery_identity(register: Register, out: Path) -> str:
    """Make the township's recovery identity, write it to `out`; returns its recipient.

    The file is written before the recipient is stored, and never over an existing
    file: a recovery key that exists only in the register would be no recovery key.
    """
    access.require(register, "enroll")
    if register.role != "township":
        raise SyncError(
            Text("只有乡镇登记册需要恢复密钥。", "Only a township register has a recovery key.")
        )
    if recovery_recipient(register):
        raise SyncError(
            Text("本登记册已经有恢复密钥。", "This register already has a recovery key.")
        )
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    body = (
        "# fpdesk 恢复密钥 / recovery identity\n"
        f"# 乡镇 township: {register.area_code}  device: {register.device_id}\n"
        "# 请离线保管，不要放在乡镇电脑上。Keep it offline, not on the township laptop.\n"
        f"# public key: {recipient}\n"
        f"{identity}\n"
    )
    write_new_file(out, body.encode("utf-8"))
    ensure_keys(register)
    with register.transaction() as conn:
        conn.execute(
            "INSERT INTO sync_key (name, value) VALUES (?, ?)", (RECOVERY_RECIPIENT, recipient)
        )
    access_log.record(register, "enroll", {"recovery_key": out.name})
    return recipient


def write_new_file(path: Path, data: bytes) -> None:
    """Create `path` (never overwrite), readable by its owner only, flushed to disk."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise SyncError(
            Text(
                "文件 {path} 已经存在，没有覆盖。", "{path} already exists; not overwritten."
            ).format(path=str(path))
        ) from exc
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def sign(register: Register, message: bytes) -> str:
    return b64(signing_key(register).sign(message))


def signature_valid(sign_public: str, message: bytes, signature: str) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(unb64(sign_public)).verify(unb64(signature), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def fingerprint(*parts: str) -> str:
    """Six groups of four digits, easy to read out over the phone."""
    digest = hashlib.sha256("\n".join(parts).encode("utf-8")).digest()
    number = int.from_bytes(digest[:16], "big") % 10**24
    digits = f"{number:024d}"
    return " ".join(digits[i : i + 4] for i in range(0, 24, 4))


# ---------------------------------------------------------------- enrolled devices


def peer(register: Register, device_id: str) -> dict[str, Any] | None:
    rows = register.query("SELECT * FROM sync_device WHERE device_id = ?", (device_id,))
    return rows[0] if rows else None


def peers(register: Register) -> list[dict[str, Any]]:
    return register.query("SELECT * FROM sync_device ORDER BY area_code, enrolled_at")


def active_peers(register: Register, area_code: str | None = None) -> list[dict[str, Any]]:
    return [
        p
        for p in peers(register)
        if p["revoked_at"] is None and (area_code is None or p["area_code"] == area_code)
    ]


def township_peer(register: Register) -> dict[str, Any]:
    """The township a village register sends to (the one it finished enrolling with)."""
    rows = [p for p in active_peers(register) if p["role"] == "township"]
    if not rows:
        raise SyncError(NO_KEYS)
    return rows[-1]


def district_peer(register: Register) -> dict[str, Any]:
    """The district hub a township register reports to (the one it finished joining)."""
    rows = [p for p in active_peers(register) if p["role"] == "district"]
    if not rows:
        raise SyncError(NO_DISTRICT)
    return rows[-1]


def add_peer(register: Register, keys: PublicKeys, fingerprint_text: str) -> None:
    with register.transaction() as conn:
        conn.execute(
            "INSERT INTO sync_device (device_id, role, area_code, sign_public, age_recipient,"
            " recovery_recipient, fingerprint, enrolled_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (device_id) DO UPDATE SET sign_public = excluded.sign_public,"
            " age_recipient = excluded.age_recipient,"
            " recovery_recipient = excluded.recovery_recipient,"
            " fingerprint = excluded.fingerprint",
            (
                keys.device_id,
                keys.role,
                keys.area_code,
                keys.sign_public,
                keys.age_recipient,
                keys.recovery_recipient,
                fingerprint_text,
                now_text(),
            ),
        )


def revoke(register: Register, device_id: str) -> dict[str, Any]:
    """Refuse every future bundle from a device (stolen or broken laptop)."""
    access.require(register, "enroll")
    found = peer(register, device_id)
    if found is None:
        raise SyncError(
            Text("没有这台设备：{device}", "No such device: {device}").format(device=device_id)
        )
    if found["revoked_at"] is None:
        with register.transaction() as conn:
            conn.execute(
                "UPDATE sync_device SET revoked_at = ? WHERE device_id = ?",
                (now_text(), device_id),
            )
        access_log.record(register, "enroll", {"revoked": device_id})
    result = peer(register, device_id)
    assert result is not None
    return result
