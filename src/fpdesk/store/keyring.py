"""The keyring file beside a register: the register's key, wrapped once per account.

The register is encrypted with a random 256-bit key.  Each account keeps that key
wrapped (AES-256-GCM) under a key derived from the account's passphrase with scrypt,
a memory-hard KDF, so accounts are added, removed and given new passphrases without
re-encrypting the register.  The account's name, role and area are the associated
data of its wrapping: editing them in the file, or swapping two entries, makes the
unwrapping fail.  One more wrapping is under the recovery key printed at setup.

The file is JSON, written atomically (a temporary file, then a rename).  It must be
readable before the register is open, so it holds nothing about any person: account
names, roles, areas, and the failed-login counters that slow down guessing (also for
names typed that are no account, so that guessing names is no cheaper).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

FORMAT = "fpdesk-keyring/1"
SUFFIX = ".keys"
# scrypt cost: 2**15 x 8 x 128 bytes = 32 MiB and about a tenth of a second on an
# office laptop per attempt; kept per entry so a later version can raise it.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
# The recovery key: 25 random base32 characters (125 bits), printed in groups of five.
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
RECOVERY_LENGTH = 25


class BadSecret(Exception):
    """The passphrase (or recovery key) does not unwrap the key: wrong, or tampered."""


def path_for(register_path: str | os.PathLike[str]) -> Path:
    return Path(str(register_path) + SUFFIX)


def exists(register_path: str | os.PathLike[str]) -> bool:
    return path_for(register_path).is_file()


def new_register_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_key() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i : i + 5] for i in range(0, RECOVERY_LENGTH, 5))


def normalise_recovery_key(text: str) -> str:
    """What was typed (any case, with or without spaces and dashes) to the canonical form."""
    raw = "".join(c for c in text.upper() if c.isalnum())
    return "-".join(raw[i : i + 5] for i in range(0, len(raw), 5))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _associated(kind: str, name: str, role: str, area_code: str) -> bytes:
    facts = {"kind": kind, "name": name, "role": role, "area_code": area_code}
    return json.dumps(facts, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _hkdf(recovery_key: str, salt: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt, b"fpdesk recovery key").derive(
        recovery_key.encode("ascii")
    )


def wrap_for_account(
    register_key: bytes, name: str, role: str, area_code: str, passphrase: str
) -> dict[str, Any]:
    """A keyring entry: the register key wrapped under this account's passphrase."""
    salt = secrets.token_bytes(16)
    kek = _scrypt(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(kek).encrypt(nonce, register_key, _associated("account", name, role, area_code))
    return {
        "role": role,
        "area_code": area_code,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P},
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(sealed),
        "failures": 0,
        "locked_until": None,
    }


def unwrap_account(name: str, entry: dict[str, Any], passphrase: str) -> bytes:
    kdf = entry["kdf"]
    if kdf.get("name") != "scrypt":
        raise BadSecret(f"unknown KDF {kdf.get('name')!r}")
    kek = _scrypt(passphrase, _unb64(entry["salt"]), int(kdf["n"]), int(kdf["r"]), int(kdf["p"]))
    ad = _associated("account", name, entry["role"], entry["area_code"])
    try:
        return AESGCM(kek).decrypt(_unb64(entry["nonce"]), _unb64(entry["wrapped"]), ad)
    except InvalidTag as exc:
        raise BadSecret(name) from exc


def stand_in(ring: dict[str, Any]) -> dict[str, Any]:
    """An entry no passphrase unwraps, with the cost of the ring's own entries: an
    unknown name is tried against it, so that refusing one takes the time of a wrong
    passphrase (a quick refusal would tell which names exist)."""
    entries = list(ring.get("accounts", {}).values())
    kdf = (
        entries[0]["kdf"]
        if entries
        else {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P}
    )
    return {
        "role": "",
        "area_code": "",
        "kdf": dict(kdf),
        "salt": _b64(secrets.token_bytes(16)),
        "nonce": _b64(secrets.token_bytes(12)),
        "wrapped": _b64(secrets.token_bytes(32 + 16)),  # a key and its GCM tag
    }


def wrap_for_recovery(register_key: bytes, recovery_key: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    kek = _hkdf(normalise_recovery_key(recovery_key), salt)
    sealed = AESGCM(kek).encrypt(nonce, register_key, _associated("recovery", "", "", ""))
    return {
        "kdf": {"name": "hkdf-sha256"},
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "wrapped": _b64(sealed),
    }


def unwrap_recovery(entry: dict[str, Any], recovery_key: str) -> bytes:
    kek = _hkdf(normalise_recovery_key(recovery_key), _unb64(entry["salt"]))
    try:
        return AESGCM(kek).decrypt(
            _unb64(entry["nonce"]), _unb64(entry["wrapped"]), _associated("recovery", "", "", "")
        )
    except InvalidTag as exc:
        raise BadSecret("recovery") from exc


def empty() -> dict[str, Any]:
    return {"format": FORMAT, "accounts": {}, "recovery": None, "failed_logins": [], "unknown": {}}


def load(register_path: str | os.PathLike[str]) -> dict[str, Any]:
    """The keyring of a register; an empty one if it has none."""
    path = path_for(register_path)
    if not path.is_file():
        return empty()
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not an fpdesk keyring")
    data.setdefault("failed_logins", [])
    data.setdefault("unknown", {})  # names tried that are no account: their own delays
    return data


def save(register_path: str | os.PathLike[str], data: dict[str, Any]) -> None:
    """Write the keyring atomically: the old file stays whole until the new one is."""
    path = path_for(register_path)
    partial = path.with_name(path.name + ".partial")
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    with partial.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    with contextlib.suppress(OSError):
        os.chmod(path, 0o600)
