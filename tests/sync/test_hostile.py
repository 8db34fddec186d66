"""A corpus of hostile or broken files: each refused with a clear reason, nothing changed.

"Nothing changed" is checked on every register table and every sync table except the
ledger, which gains exactly one row per file (so the clerk can see it was refused).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pyrage
import pytest

from fpdesk.store import schema
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register
from fpdesk.sync import bundles, container, keys
from tests.sync.helpers import World, add_household, add_person

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
    data = craft(v, world.township, members=[("changes.json", b'{"changes":[ ]}')])
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
