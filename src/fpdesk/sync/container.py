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
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from fpdesk.sync.errors import (
    CANNOT_READ,
    DAMAGED,
    NOT_A_FILE,
    NOT_FOR_US,
    TOO_LARGE,
    BundleRefused,
    shown,
)

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


class Archive:
    """The inner archive, opened with every limit checked and nothing inflated yet.

    Reading is in two steps so that nothing large is inflated before the signature is
    checked: first the manifest and its signature (64 KiB each at most), then, once
    the caller has verified them, the payloads, each exactly the size the signed
    manifest gives it.  Before the signature, at most 128 KiB is ever inflated.
    """

    def __init__(self, archive: bytes) -> None:
        _check_directory(archive)
        try:
            self._zf = zipfile.ZipFile(io.BytesIO(archive))
            self._infos = {info.filename: info for info in self._zf.infolist()}
            _check_members(self._zf.infolist())
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise damaged("not a readable archive") from exc

    def signed(self) -> tuple[bytes, str]:
        """The manifest and its signature."""
        if MANIFEST not in self._infos or SIGNATURE not in self._infos:
            raise damaged("manifest missing")
        manifest = _read_member(self._zf, self._infos[MANIFEST])
        try:
            signature = _read_member(self._zf, self._infos[SIGNATURE]).decode("ascii")
        except UnicodeDecodeError as exc:
            raise damaged("signature unreadable") from exc
        return manifest, signature

    def payloads(self, sizes: dict[str, int] | None = None) -> dict[str, bytes]:
        """The payload members; with `sizes` (from the verified manifest), each must
        declare exactly that size before it is inflated."""
        out: dict[str, bytes] = {}
        for name, info in self._infos.items():
            if name in (MANIFEST, SIGNATURE):
                continue
            if sizes is not None and sizes.get(name) != info.file_size:
                raise damaged(f"{name} does not match the manifest")
            out[name] = _read_member(self._zf, info)
        return out


def unpack(archive: bytes) -> Contents:
    """Read the whole inner archive (a bundle already verified once, e.g. a held one)."""
    opened = Archive(archive)
    manifest, signature = opened.signed()
    return Contents(manifest, signature, opened.payloads())


# The end-of-central-directory record: where a ZIP says how many members it has.
_EOCD = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"


def _check_directory(archive: bytes) -> None:
    """Count the members before the archive's directory is parsed: a small file can
    list millions of members, and parsing them alone would take the memory."""
    at = archive.rfind(_EOCD, max(0, len(archive) - (22 + 0xFFFF)))
    if at < 0 or len(archive) < at + 22:
        raise damaged("not a readable archive")
    entries = int.from_bytes(archive[at + 10 : at + 12], "little")
    if entries > MAX_MEMBERS:
        raise damaged(f"{entries} members, at most {MAX_MEMBERS} allowed")
    if archive[max(0, at - 20) : at].startswith(_ZIP64_LOCATOR):
        raise damaged("ZIP64 archive")  # fpdesk never writes one; its counts could lie


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


# Windows has no O_NONBLOCK (and no FIFOs in the file system to block on), and needs
# O_BINARY or its C runtime would turn CR LF into LF in what is read.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)


def read_file(path: Path, limit: int) -> bytes:
    """The file's bytes, read only when it is a regular file of at most `limit` bytes.

    Opened without waiting (a named pipe would otherwise block until someone writes
    to it) and checked on the open handle, so a device such as /dev/zero is refused
    before a byte is read; at most one byte more than the limit is ever read, so a file
    that grows while it is read is refused too.
    """
    try:
        fd = os.open(path, _READ_FLAGS)
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    with os.fdopen(fd, "rb") as handle:
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode):
                raise BundleRefused(NOT_A_FILE.format(name=shown(path.name)))
            if status.st_size > limit:
                raise BundleRefused(TOO_LARGE.format(size=status.st_size, limit=limit))
            chunks: list[bytes] = []
            total = 0
            while chunk := handle.read(min(1 << 20, limit + 1 - total)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise BundleRefused(TOO_LARGE.format(size=total, limit=limit))
        except OSError as exc:
            raise _unreadable(path, exc) from exc
    return b"".join(chunks)


def _unreadable(path: Path, exc: OSError) -> BundleRefused:
    return BundleRefused(CANNOT_READ.format(name=shown(path.name), error=exc.strerror or str(exc)))


def encrypt(archive: bytes, recipients: list[str]) -> bytes:
    keys = [pyrage.x25519.Recipient.from_str(r) for r in recipients]
    return bytes(pyrage.encrypt(archive, keys))


def decrypt(data: bytes, identity: pyrage.x25519.Identity) -> bytes:
    if len(data) > MAX_FILE_BYTES:
        raise BundleRefused(TOO_LARGE.format(size=len(data), limit=MAX_FILE_BYTES))
    try:
        return bytes(pyrage.decrypt(data, [identity]))
    except pyrage.DecryptError as exc:
        # A sound age header none of whose keys is ours: made for another register.
        # Anything else (not age, cut short, altered) is damage.
        if "no matching keys" in str(exc).lower() and _sound_age_header(data):
            raise BundleRefused(NOT_FOR_US) from exc
        raise damaged("it cannot be decrypted: cut short, altered, or not a bundle") from exc


_AGE_MAGIC = b"age-encryption.org/v1\n"


def _sound_age_header(data: bytes) -> bool:
    """Whether `data` begins with a well-formed age header holding an X25519 stanza."""
    if not data.startswith(_AGE_MAGIC):
        return False
    end = data.find(b"\n--- ", 0, MAX_MANIFEST_BYTES)
    if end < 0:
        return False
    lines = data[len(_AGE_MAGIC) : end].split(b"\n")
    return any(line.startswith(b"-> X25519 ") for line in lines)


def parse_json(data: bytes, what: str) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise damaged(f"{what} is not valid JSON") from exc
