"""A corpus of hostile or broken files: each refused with a clear reason, nothing changed.

"Nothing changed" is checked on every register table and every sync table except the
ledger, which gains exactly one row per file (so the clerk can see it was refused).
"""

from __future__ import annotations

import hashlib
import io
import os
import sys
import threading
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage
import pytest

from fpdesk.cli import main
from fpdesk.store import schema
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register, create_register, open_register
from fpdesk.sync import bundles, container, enrollment, keys
from fpdesk.sync.errors import SyncError
from tests.conftest import PASSPHRASE
from tests.sync.helpers import World, add_household, add_person

# Windows has no named pipes in the file system (os.mkfifo) and no file names holding a
# newline or control codes: there is nothing of the kind for a bundle to be.
POSIX_FIFO = pytest.mark.skipif(sys.platform == "win32", reason="no FIFOs on Windows")
POSIX_NAMES = pytest.mark.skipif(
    sys.platform == "win32", reason="Windows file names cannot hold control characters"
)

_WATCHED = (
    *REPLICATED,
    "change_log",
    "sync_device",
    "sync_received",
    "sync_conflict",
    "sync_held",
    "sync_key",
)


def fingerprint_of(reg: Register) -> str:
    digest = hashlib.sha256()
    for table in _WATCHED:
        for row in reg.conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def _ledger_count(reg: Register) -> int:
    return int(reg.conn.execute("SELECT count(*) FROM sync_ledger").fetchone()[0])


def craft(
    signer: Register,
    township: Register,
    *,
    overrides: dict[str, Any] | None = None,
    payload: bytes | None = None,
    members: list[tuple[str, bytes]] | None = None,
    recipients: list[str] | None = None,
    compress: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A bundle built by hand, signed by `signer`: valid unless told otherwise."""
    if payload is None:
        payload = b'{"changes":[]}'
    manifest: dict[str, Any] = {
        "format": container.FORMAT,
        "format_version": container.FORMAT_VERSION,
        "schema_version": schema.schema_version(),
        "kind": "changes",
        "device": signer.device_id,
        "sender_role": signer.role,
        "sender_area": signer.area_code,
        "recipient": township.device_id,
        "recipient_area": township.area_code,
        "created_at": "2026-11-28T00:00:00+00:00",
        "after": 0,
        "upto": 0,
        "ack": 0,
        "previous": None,
        "files": [
            {"name": "changes.json", "sha256": container.sha256(payload), "size": len(payload)}
        ],
    }
    manifest.update(overrides or {})
    manifest_bytes = container.canonical(manifest)
    signature = keys.sign(signer, container.SIGN_CONTEXT + manifest_bytes).encode()
    if members is None:
        members = [("changes.json", payload)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compress) as zf:
        for name, data in [
            ("manifest.json", manifest_bytes),
            ("manifest.sig", signature),
            *members,
        ]:
            zf.writestr(name, data)
    if recipients is None:
        recipients = [keys.public_keys(township).age_recipient]
    return container.encrypt(buffer.getvalue(), recipients)


@pytest.fixture
def setting(world: World) -> tuple[World, Register, bytes]:
    """A township that has taken one good bundle, the village, and a second good bundle."""
    v = next(iter(world.villages.values()))
    hh = add_household(v, 1)
    add_person(v, hh, "王芳")
    first = bundles.export(v, world.root / "first")
    bundles.import_files(world.township, [first[0].path])
    add_person(v, hh, "王丽")
    [second] = bundles.export(v, world.root / "second")
    return world, v, second.path.read_bytes()


def _refused(world: World, data: bytes, name: str, expect: str = "refused"):  # type: ignore[no-untyped-def]
    folder = world.root / "hostile"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    before, ledger_before = fingerprint_of(world.township), _ledger_count(world.township)
    [result] = bundles.import_files(world.township, [path])
    assert result.outcome == expect, (name, result.outcome, result.reason)
    assert result.reason is not None and result.reason.zh and result.reason.en
    assert (result.applied, result.queued) == (0, 0)
    if expect != "fork":
        assert fingerprint_of(world.township) == before
    assert _ledger_count(world.township) == ledger_before + 1
    return result


def test_the_good_bundle_is_accepted(setting: tuple[World, Register, bytes]) -> None:
    world, _, good = setting
    path = world.root / "good.fpb"
    path.write_bytes(good)
    assert bundles.import_files(world.township, [path])[0].outcome == "accepted"


@pytest.mark.parametrize("fraction", [0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99])
def test_truncated(setting: tuple[World, Register, bytes], fraction: float) -> None:
    world, _, good = setting
    cut = good[: int(len(good) * fraction)]
    _refused(world, cut, f"truncated-{fraction}.fpb")


@pytest.mark.parametrize("where", [0, 5, 30, 120, 200, -300, -100, -17, -1])
def test_bit_flip(setting: tuple[World, Register, bytes], where: int) -> None:
    world, _, good = setting
    damaged = bytearray(good)
    damaged[where] ^= 0x04
    _refused(world, bytes(damaged), f"flip-{where}.fpb")


def test_wrong_key(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    stranger = str(pyrage.x25519.Identity.generate().to_public())
    result = _refused(world, craft(v, world.township, recipients=[stranger]), "wrong-key.fpb")
    assert "key" in result.reason.en


def test_wrong_recipient(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    data = craft(
        v,
        world.township,
        overrides={"recipient": "another-township-device", "recipient_area": "450102002000"},
    )
    result = _refused(world, data, "wrong-recipient.fpb")
    assert "another register" in result.reason.en


def test_unknown_device(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    data = craft(v, world.township, overrides={"device": "0190aaaa-0000-7000-8000-000000000000"})
    assert "not enrolled" in _refused(world, data, "unknown.fpb").reason.en


def test_forged_signature(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    other = list(world.villages.values())[1]
    data = craft(
        other, world.township, overrides={"device": v.device_id, "sender_area": v.area_code}
    )
    assert "signature" in _refused(world, data, "forged.fpb").reason.en


def test_revoked_device(setting: tuple[World, Register, bytes]) -> None:
    world, v, good = setting
    keys.revoke(world.township, v.device_id)
    assert "revoked" in _refused(world, good, "revoked.fpb").reason.en


def test_replay_under_another_name_is_a_duplicate(setting: tuple[World, Register, bytes]) -> None:
    world, _, good = setting
    first = world.root / "once.fpb"
    first.write_bytes(good)
    bundles.import_files(world.township, [first])
    _refused(world, good, "replayed-copy.fpb", expect="duplicate")


def test_gap(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    data = craft(v, world.township, overrides={"after": 500, "upto": 600})
    result = _refused(world, data, "gap.fpb", expect="gap")
    assert "missing" in result.reason.en


def test_fork_is_held_and_changes_no_register_row(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    payload = b'{"changes":[[1,"household","x","insert",null,{"id":"x"},"t","a"]]}'
    data = craft(v, world.township, overrides={"after": 0, "upto": 1}, payload=payload)
    registers_before = [world.township.query(f"SELECT * FROM {t}") for t in REPLICATED]
    _refused(world, data, "fork.fpb", expect="fork")
    assert [world.township.query(f"SELECT * FROM {t}") for t in REPLICATED] == registers_before
    assert world.township.conn.execute("SELECT count(*) FROM sync_held").fetchone()[0] == 1


def test_zip_bomb(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    bomb = b"0" * (40 << 20)
    data = craft(v, world.township, payload=bomb)
    assert "zip bomb" in _refused(world, data, "bomb.fpb").reason.en


def test_path_traversal_member_is_refused_and_never_written(
    setting: tuple[World, Register, bytes], tmp_path: Path
) -> None:
    world, v, _ = setting
    payload = b'{"changes":[]}'
    data = craft(
        v, world.township, members=[("changes.json", payload), ("../../escaped.txt", b"owned")]
    )
    assert "unexpected member" in _refused(world, data, "traversal.fpb").reason.en
    assert not list(world.root.parent.rglob("escaped.txt"))


def test_too_many_members(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    members = [("changes.json", b'{"changes":[]}')] * 1 + [
        (f"rows{i}.json", b"{}") for i in range(10)
    ]
    assert (
        "members"
        in _refused(world, craft(v, world.township, members=members), "many.fpb").reason.en
    )


def test_oversized_file_is_not_even_opened(
    setting: tuple[World, Register, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _, good = setting
    monkeypatch.setattr(container, "MAX_FILE_BYTES", len(good) - 1)
    assert "too large" in _refused(world, good, "oversized.fpb").reason.en


def test_newer_schema(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    data = craft(v, world.township, overrides={"schema_version": schema.schema_version() + 1})
    assert "newer register" in _refused(world, data, "schema.fpb").reason.en


def test_newer_format(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    data = craft(v, world.township, overrides={"format_version": 2})
    assert "newer fpdesk" in _refused(world, data, "format.fpb").reason.en


def test_payload_altered_after_signing(setting: tuple[World, Register, bytes]) -> None:
    world, v, _ = setting
    # The same size as signed, other bytes (another size is refused before inflating).
    data = craft(v, world.township, members=[("changes.json", b'{"chang_s":[]}')])
    assert "hash" in _refused(world, data, "altered.fpb").reason.en


@pytest.mark.parametrize(
    "item",
    [
        '[1,"sqlite_master","x","insert",null,{"id":"x"},"t","a"]',
        '[1,"household","x","insert",null,{"id":"x","evil":1},"t","a"]',
        '[1,"household","x","drop",null,{"id":"x"},"t","a"]',
        '[9,"household","x","insert",null,{"id":"x"},"t","a"]',
        '[1,"household","x","insert",null,{"id":"y"},"t","a"]',
        '[1,"household","x","insert",null,{"id":"x","note":{"a":1}},"t","a"]',
        '"not a change"',
    ],
)
def test_malformed_changes(setting: tuple[World, Register, bytes], item: str) -> None:
    world, v, _ = setting
    received = world.township.conn.execute(
        "SELECT received_upto FROM sync_device WHERE device_id = ?", (v.device_id,)
    ).fetchone()[0]
    payload = ('{"changes":[' + item.replace("[1,", f"[{received + 1},") + "]}").encode()
    data = craft(
        v, world.township, payload=payload, overrides={"after": received, "upto": received + 1}
    )
    assert "damaged" in _refused(world, data, "malformed.fpb").reason.en


def test_a_village_bundle_sent_to_a_village_is_refused(world: World) -> None:
    a, b = list(world.villages.values())[:2]
    data = craft(a, b, recipients=[keys.public_keys(b).age_recipient])
    path = world.root / "v2v.fpb"
    path.write_bytes(data)
    before = fingerprint_of(b)
    [result] = bundles.import_files(b, [path])
    assert result.outcome == "refused"
    assert fingerprint_of(b) == before


def test_good_files_after_a_bad_one_are_still_imported(
    setting: tuple[World, Register, bytes],
) -> None:
    world, _, good = setting
    folder = world.root / "mixed"
    folder.mkdir()
    (folder / "a-bad.fpb").write_bytes(good[:100])
    (folder / "b-good.fpb").write_bytes(good)
    results = bundles.import_files(world.township, [folder])
    assert [r.outcome for r in results] == ["refused", "accepted"]


# ------------------------------------------------- what is read, and how it is shown


def _on_own_connection(world: World, work: Callable[[Register], Any]) -> Any:
    """Run `work` on the township from a thread with its own connection: a reader that
    blocks must fail the test, not hang it."""
    done: list[Any] = []

    def run() -> None:
        with open_register(world.township.path, PASSPHRASE) as township:
            done.append(work(township))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(120)  # a generous bound against hanging, not a measurement
    assert not worker.is_alive(), "reading the file blocked"
    return done[0]


def _import_in_thread(world: World, path: Path) -> list[Any]:
    return _on_own_connection(world, lambda township: bundles.import_files(township, [path]))  # type: ignore[no-any-return]


@POSIX_FIFO
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(
    setting: tuple[World, Register, bytes],
) -> None:
    world, _, _ = setting
    pipe = world.root / "pipe.fpb"
    os.mkfifo(pipe)
    before = fingerprint_of(world.township)
    [result] = _import_in_thread(world, pipe)
    assert result.outcome == "refused"
    assert "not an ordinary file" in result.reason.en and result.reason.zh
    assert fingerprint_of(world.township) == before


def test_a_device_is_refused_before_a_byte_is_read(
    setting: tuple[World, Register, bytes],
) -> None:
    world, _, _ = setting
    [result] = _import_in_thread(world, Path("/dev/zero"))
    assert result.outcome == "refused"
    assert "not an ordinary file" in result.reason.en


@POSIX_FIFO
def test_a_pipe_in_a_folder_is_passed_over(setting: tuple[World, Register, bytes]) -> None:
    world, _, good = setting
    folder = world.root / "stick"
    folder.mkdir()
    os.mkfifo(folder / "a-pipe.fpb")
    (folder / "b-good.fpb").write_bytes(good)
    assert [r.outcome for r in _import_in_thread(world, folder)] == ["accepted"]


def _low_entropy(size: int) -> bytes:
    """Bytes that DEFLATE shrinks about six times: well inside the zip-bomb ratio."""
    return os.urandom(size).translate(bytes(48 + (b & 1) for b in range(256)))


def test_nothing_large_is_inflated_before_the_signature_is_checked(
    setting: tuple[World, Register, bytes],
) -> None:
    """Anyone holding the township's public key can make a file that passes every
    archive limit; signed by no enrolled laptop, its payload must never be inflated.
    (Before: a 4.7 MB file of this shape inflated to 400 MiB, then was refused.)"""
    world, _, _ = setting
    stranger = create_register(
        world.root / "stranger.fpdesk",
        "another passphrase 123",
        role="village",
        area_code=next(iter(world.villages)),
    )
    keys.ensure_keys(stranger)
    payload = _low_entropy(48 << 20)
    data = craft(stranger, world.township, payload=payload)
    stranger.close()
    assert len(data) < len(payload) // 4
    path = world.root / "forged-big.fpb"
    path.write_bytes(data)
    del payload
    tracemalloc.start()
    try:
        [result] = bundles.import_files(world.township, [path])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.outcome == "refused" and "not enrolled" in result.reason.en
    # The file itself and its decrypted archive are held; the 48 MiB never are.
    assert peak < 2 * len(data) + (8 << 20), peak


def test_a_member_declaring_another_size_than_the_signed_manifest_is_refused(
    setting: tuple[World, Register, bytes],
) -> None:
    world, v, _ = setting
    payload = b'{"changes":[]}'
    data = craft(v, world.township, payload=payload, members=[("changes.json", payload + b" ")])
    assert "does not match the manifest" in _refused(world, data, "resized.fpb").reason.en


def test_a_directory_listing_more_members_than_allowed_is_refused_unparsed(
    setting: tuple[World, Register, bytes],
) -> None:
    world, _v, _ = setting
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("manifest.json", b"{}")
    archive = bytearray(buffer.getvalue())
    end = archive.rfind(b"PK\x05\x06")
    archive[end + 8 : end + 12] = (60000).to_bytes(2, "little") * 2  # claims 60,000
    data = container.encrypt(bytes(archive), [keys.public_keys(world.township).age_recipient])
    assert "60000 members" in _refused(world, data, "directory.fpb").reason.en


def test_for_another_register_is_told_apart_from_damaged(
    setting: tuple[World, Register, bytes],
) -> None:
    world, v, good = setting
    elsewhere = str(pyrage.x25519.Identity.generate().to_public())
    other = _refused(world, craft(v, world.township, recipients=[elsewhere]), "other.fpb")
    assert "not made for this register" in other.reason.en
    assert "damaged" not in other.reason.en
    for name, data in (
        ("cut.fpb", good[: len(good) // 2]),
        ("text.fpb", b"hello, this is not a bundle\n"),
        ("empty.fpb", b""),
        ("altered.fpb", good[:-40] + bytes([good[-40] ^ 1]) + good[-39:]),
    ):
        damaged = _refused(world, data, name)
        assert "damaged" in damaged.reason.en, (name, damaged.reason.en)
        assert "not made for this register" not in damaged.reason.en


@POSIX_NAMES
def test_a_file_name_with_a_newline_and_colour_codes_is_shown_escaped(
    setting: tuple[World, Register, bytes],
    passphrase_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    world, _, good = setting
    name = "x.fpb\n\x1b[32mreal.fpb: accepted (applied 9)\x1b[0m\u202e.fpb"
    path = world.root / name
    path.write_bytes(good[:50])
    status = main(["--lang", "en", "bundle", "import", "--db", str(world.township.path), str(path)])
    out, err = capsys.readouterr()
    assert status == 1
    for text in (out, err):
        assert "\x1b" not in text and "\u202e" not in text
        assert not any(
            line.startswith("\x1b") or "real.fpb: accepted" in line.split(":")[0]
            for line in text.splitlines()
        )
        assert len(text.strip().splitlines()) == 1, text
    assert "\\n\\x1b[32mreal.fpb" in out


@POSIX_FIFO
def test_an_enrollment_request_that_is_a_pipe_is_refused_without_waiting(
    setting: tuple[World, Register, bytes],
) -> None:
    world, _, _ = setting
    pipe = world.root / "request.json"
    os.mkfifo(pipe)

    def accept(township: Register) -> Exception | None:
        try:
            enrollment.accept(township, pipe, world.root / "answer.json")
        except SyncError as exc:
            return exc
        return None

    refused = _on_own_connection(world, accept)
    assert isinstance(refused, SyncError) and "not an ordinary file" in refused.text.en
    assert not (world.root / "answer.json").exists()


def test_an_enrollment_request_with_a_device_id_holding_control_codes_is_refused(
    world: World,
) -> None:
    """The id is stored and printed: only a UUID is taken, even correctly signed."""
    village = next(iter(world.villages.values()))
    body = {
        "kind": enrollment.REQUEST,
        "version": enrollment.VERSION,
        "keys": {
            **keys.public_keys(village).as_dict(),
            "device_id": "x\n\x1b[32mEnrolled device ok\x1b[0m",
        },
        "at": keys.now_text(),
    }
    signature = keys.sign(village, container.canonical(body))
    request = world.root / "evil-request.json"
    request.write_bytes(container.canonical({**body, "signature": signature}))
    before = fingerprint_of(world.township)
    with pytest.raises(SyncError) as refused:
        enrollment.accept(world.township, request, world.root / "evil-answer.json")
    assert "device id" in refused.value.text.en
    assert fingerprint_of(world.township) == before
