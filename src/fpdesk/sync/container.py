"""The bundle file, layer by layer (see docs/bundle-format.md).

outside: age v1, to the recipients' X25519 keys (the reference `age` tool opens it)
inside:  a ZIP archive, read in memory only, with exactly these members:
         manifest.json   canonical JSON (sorted keys, no spaces, UTF-8)
         manifest.sig    Ed25519 signature, base64, over SIGN_CONTEXT + manifest.json
         <payload>       each named in the manifest with its SHA-256 and size

Every limit is checked before the part it guards is read: file size before
decrypting, member count, names, declared sizes and compression ratio before
inflating, and the inflated size again while reading (a header can lie).  Member
names are compared with a fixed list and never used as a path.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

import pyrage

from fpdesk.sync.errors import DAMAGED, NOT_FOR_US, TOO_LARGE, BundleRefused

FORMAT = "fpdesk-bundle"
FORMAT_VERSION = 1
SIGN_CONTEXT = b"fpdesk-bundle-v1\n"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
PAYLOAD_NAMES = frozenset({"changes.json", "rows.json"})

MAX_FILE_BYTES = 256 << 20
MAX_MEMBERS = 8
MAX_MEMBER_BYTES = 512 << 20
MAX_MANIFEST_BYTES = 64 << 10
# JSON compresses about ten to one; a member that claims far more is a zip bomb.
MAX_RATIO = 100
_RATIO_FLOOR = 1 << 20  # tiny members may compress well without harm
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def canonical(value: Any) -> bytes:
    """One byte string per value: what is signed and hashed must not depend on spacing."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def damaged(detail: str) -> BundleRefused:
    return BundleRefused(DAMAGED.format(detail=detail))


@dataclass(frozen=True)
class Contents:
    manifest_bytes: bytes
    signature: str
    payloads: dict[str, bytes]


def pack(contents: Contents) -> bytes:
    """The inner archive.  Fixed timestamps, so the same contents give the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=5) as zf:
        members = [
            (MANIFEST, contents.manifest_bytes),
            (SIGNATURE, contents.signature.encode("ascii")),
            *sorted(contents.payloads.items()),
        ]
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buffer.getvalue()


def unpack(archive: bytes) -> Contents:
    """Read the inner archive with every limit checked before inflating anything."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(archive))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise damaged("not a readable archive") from exc
    with zf:
        _check_members(infos)
        data = {info.filename: _read_member(zf, info) for info in infos}
    if MANIFEST not in data or SIGNATURE not in data:
        raise damaged("manifest missing")
    try:
        signature = data.pop(SIGNATURE).decode("ascii")
    except UnicodeDecodeError as exc:
        raise damaged("signature unreadable") from exc
    manifest = data.pop(MANIFEST)
    return Contents(manifest, signature, data)


def _check_members(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise damaged(f"{len(infos)} members, at most {MAX_MEMBERS} allowed")
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise damaged("a member appears twice")
    allowed = PAYLOAD_NAMES | {MANIFEST, SIGNATURE}
    for info in infos:
        if info.filename not in allowed:
            # Never a path: a name like ../../x is refused here and never used anyway.
            raise damaged(f"unexpected member {info.filename[:60]!r}")
        if info.flag_bits & 0x1:
            raise damaged("encrypted member")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged("unknown compression")
        limit = MAX_MANIFEST_BYTES if info.filename in (MANIFEST, SIGNATURE) else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise damaged(f"member {info.filename} too large ({info.file_size} bytes)")
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise damaged(f"member {info.filename} expands too much (zip bomb)")
    if sum(info.file_size for info in infos) > MAX_MEMBER_BYTES:
        raise damaged("members too large in total")


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Inflate at most the declared size; a member that runs on is refused."""
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as handle:
            while True:
                chunk = handle.read(1 << 20)
                if not chunk:
                    break
                total += len(chunk)
                if total > info.file_size:
                    raise damaged(f"member {info.filename} longer than declared")
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise damaged(f"member {info.filename} unreadable") from exc
    return b"".join(chunks)


def encrypt(archive: bytes, recipients: list[str]) -> bytes:
    keys = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    return bytes(pyrage.encrypt(archive, keys))


def decrypt(data: bytes, identity: pyrage.x25519.Identity) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise BundleRefused(TOO_LARGE.format(size=len(data), limit=MAX_FILE_BYTES))
    try:
        return bytes(pyrage.decrypt(data, [identity]))
    except pyrage.DecryptError as exc:
        raise BundleRefused(NOT_FOR_US) from exc


def parse_json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise damaged(f"{what} is not valid JSON") from exc
