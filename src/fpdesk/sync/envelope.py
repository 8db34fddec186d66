"""Sealing a bundle (sign inside, encrypt outside) and opening one (verify everything).

Opening checks, in this order, and refuses at the first failure with a plain reason:
size, decryption with this register's key, the archive's limits, the manifest's
shape, the format version, the sending device (enrolled, not revoked), the
signature, the recipient, the schema version, and every payload's hash and size.
Nothing is written to the register by any of this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import pyrage

from fpdesk.store import schema
from fpdesk.store.db import Register
from fpdesk.sync import container, keys
from fpdesk.sync.errors import (
    BAD_SIGNATURE,
    NEWER_FORMAT,
    NEWER_SCHEMA,
    REVOKED_DEVICE,
    UNKNOWN_DEVICE,
    WRONG_KIND,
    WRONG_RECIPIENT,
    BundleRefused,
    shown,
)

# What each role takes in, and from whom: a township takes village changes and the
# district hub's acknowledgements; a village takes the township's updates and, when it
# is a new laptop, a snapshot of its village; the district hub takes township changes.
ACCEPTED_KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "township": {"village": ("changes",), "district": ("ack",)},
    "village": {"township": ("update", "snapshot")},
    "district": {"township": ("changes",)},
}


class Party(Protocol):
    """One side of the exchange: a register (`RegisterParty`) or the district hub
    (hub.exchange), which keeps its keys and peers in PostgreSQL."""

    @property
    def device_id(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def area_code(self) -> str: ...

    def sign(self, message: bytes) -> str: ...

    def identity(self) -> pyrage.x25519.Identity: ...

    def peer(self, device_id: str) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class RegisterParty:
    register: Register

    @property
    def device_id(self) -> str:
        return self.register.device_id

    @property
    def role(self) -> str:
        return self.register.role

    @property
    def area_code(self) -> str:
        return self.register.area_code

    def sign(self, message: bytes) -> str:
        return keys.sign(self.register, message)

    def identity(self) -> pyrage.x25519.Identity:
        return keys.age_identity(self.register)

    def peer(self, device_id: str) -> dict[str, Any] | None:
        return keys.peer(self.register, device_id)

_MANIFEST_FIELDS: dict[str, type | tuple[type, ...]] = {
    "format": str,
    "format_version": int,
    "schema_version": int,
    "kind": str,
    "device": str,
    "sender_role": str,
    "sender_area": str,
    "recipient": str,
    "recipient_area": str,
    "created_at": str,
    "after": int,
    "upto": int,
    "ack": int,
    "previous": (str, type(None)),
    "files": list,
}


# Optional manifest field: the township's register generation, new each time it is
# restored from a backup.  An update carries the township's own; a village's bundle the
# one its `ack` refers to.  Absent (older bundles, a township never restored) means "".
GENERATION = "generation"


def generation_of(manifest: dict[str, Any]) -> str:
    return str(manifest.get(GENERATION, ""))


@dataclass(frozen=True)
class Opened:
    """A verified bundle: its manifest, payload bytes, and the device that signed it."""

    manifest: dict[str, Any]
    payloads: dict[str, bytes]
    sender: dict[str, Any]


def seal(
    register: Register | Party,
    *,
    kind: str,
    recipient: dict[str, Any],
    after: int,
    upto: int,
    ack: int,
    previous: str | None,
    payloads: dict[str, bytes],
    recipients: list[str],
    created_at: str,
    generation: str = "",
) -> bytes:
    sender = RegisterParty(register) if isinstance(register, Register) else register
    manifest: dict[str, Any] = {
        "format": container.FORMAT,
        "format_version": container.FORMAT_VERSION,
        "schema_version": schema.schema_version(),
        "kind": kind,
        "device": sender.device_id,
        "sender_role": sender.role,
        "sender_area": sender.area_code,
        "recipient": recipient["device_id"],
        "recipient_area": recipient["area_code"],
        "created_at": created_at,
        "after": after,
        "upto": upto,
        "ack": ack,
        "previous": previous,
        "files": [
            {"name": name, "sha256": container.sha256(data), "size": len(data)}
            for name, data in sorted(payloads.items())
        ],
    }
    if generation:  # only a township restored from a backup has one (see GENERATION)
        manifest[GENERATION] = generation
    manifest_bytes = container.canonical(manifest)
    signature = sender.sign(container.SIGN_CONTEXT + manifest_bytes)
    archive = container.pack(container.Contents(manifest_bytes, signature, payloads))
    return container.encrypt(archive, recipients)


def open_bundle(register: Register | Party, data: bytes) -> Opened:
    receiver = RegisterParty(register) if isinstance(register, Register) else register
    archive = container.Archive(container.decrypt(data, receiver.identity()))
    manifest_bytes, signature = archive.signed()
    manifest = _manifest(manifest_bytes)
    if manifest["format_version"] > container.FORMAT_VERSION:
        raise BundleRefused(NEWER_FORMAT.format(version=manifest["format_version"]))
    sender = _sender(receiver, manifest["device"])
    message = container.SIGN_CONTEXT + manifest_bytes
    if not keys.signature_valid(sender["sign_public"], message, signature):
        raise BundleRefused(BAD_SIGNATURE.format(device=shown(manifest["device"])))
    if manifest["recipient"] != receiver.device_id:
        recipient = f"{manifest['recipient_area']} / {manifest['recipient']}"
        raise BundleRefused(WRONG_RECIPIENT.format(recipient=shown(recipient)))
    if manifest["schema_version"] > schema.schema_version():
        raise BundleRefused(
            NEWER_SCHEMA.format(theirs=manifest["schema_version"], ours=schema.schema_version())
        )
    if manifest["sender_role"] != sender["role"] or manifest["kind"] not in ACCEPTED_KINDS[
        receiver.role
    ].get(sender["role"], ()):
        raise BundleRefused(WRONG_KIND.format(role=receiver.role, kind=manifest["kind"]))
    # Only now, signed and addressed to us, is anything large inflated.
    payloads = archive.payloads(_declared_sizes(manifest["files"]))
    _check_payloads(manifest["files"], payloads)
    return Opened(manifest, payloads, sender)


def _manifest(data: bytes) -> dict[str, Any]:
    manifest = container.parse_json(data, "manifest")
    if not isinstance(manifest, dict) or manifest.get("format") != container.FORMAT:
        raise container.damaged("not an fpdesk manifest")
    for name, kind in _MANIFEST_FIELDS.items():
        value = manifest.get(name)
        if not isinstance(value, kind) or isinstance(value, bool):
            raise container.damaged(f"manifest field {name} missing or wrong")
    if container.canonical(manifest) != data:
        raise container.damaged("manifest not in canonical form")
    if not isinstance(manifest.get(GENERATION, ""), str):
        raise container.damaged(f"manifest field {GENERATION} wrong")
    if not 0 <= manifest["after"] <= manifest["upto"] or manifest["ack"] < 0:
        raise container.damaged("sequence range impossible")
    return manifest


def _sender(receiver: Party, device_id: str) -> dict[str, Any]:
    sender = receiver.peer(device_id)
    if sender is None:
        raise BundleRefused(UNKNOWN_DEVICE.format(device=shown(device_id)))
    if sender["revoked_at"] is not None:
        raise BundleRefused(REVOKED_DEVICE.format(device=device_id, when=sender["revoked_at"]))
    return sender


def _declared_sizes(files: list[Any]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for entry in files:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise container.damaged("file list unreadable")
        size = entry.get("size")
        if not isinstance(size, int) or isinstance(size, bool):
            raise container.damaged("file list unreadable")
        sizes[entry["name"]] = size
    return sizes


def _check_payloads(files: list[Any], payloads: dict[str, bytes]) -> None:
    listed: dict[str, dict[str, Any]] = {}
    for entry in files:
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise container.damaged("file list unreadable")
        listed[entry["name"]] = entry
    if set(listed) != set(payloads):
        raise container.damaged("payload files differ from the manifest")
    for name, data in payloads.items():
        entry = listed[name]
        if entry.get("size") != len(data) or entry.get("sha256") != container.sha256(data):
            raise container.damaged(f"{name} does not match its hash")
