"""Bundles made by released versions of the format must always import the same way.

The files under golden/v1 were made once by make_golden.py and are never regenerated.
Registers are rebuilt around the published test keys, so the bundles are read exactly
as a township and a village laptop would read them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fpdesk.store.db import Register, create_register
from fpdesk.sync import bundles, container, keys
from tests.conftest import PASSPHRASE
from tests.sync.helpers import all_rows

GOLDEN = Path(__file__).parent / "golden"
VERSIONS = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name.startswith("v"))


def _public(secret: dict[str, str], role: str, recovery: str | None) -> keys.PublicKeys:
    sign = Ed25519PrivateKey.from_private_bytes(keys.unb64(secret["sign_private"]))
    identity = pyrage.x25519.Identity.from_str(secret["age_identity"])
    return keys.PublicKeys(
        device_id=secret["device_id"],
        role=role,
        area_code=secret["area_code"],
        sign_public=keys.b64(sign.public_key().public_bytes_raw()),
        age_recipient=str(identity.to_public()),
        recovery_recipient=recovery,
    )


def _register(tmp: Path, secret: dict[str, Any], role: str, recovery: str | None) -> Register:
    reg = create_register(
        tmp / f"{role}.fpdesk",
        PASSPHRASE,
        role=role,
        area_code=secret["area_code"],
        device_id=secret["device_id"],
    )
    keys.install_keys(reg, secret["sign_private"], secret["age_identity"], recovery)
    return reg


def _matches(actual: dict[str, list[dict[str, Any]]], expected: dict[str, Any]) -> None:
    """Every expected row and value is there (later versions may add columns)."""
    for table, rows in expected.items():
        got = {r["id"]: r for r in actual[table]}
        assert set(got) == {r["id"] for r in rows}, table
        for row in rows:
            assert {k: got[row["id"]][k] for k in row} == row


@pytest.mark.parametrize("version", VERSIONS)
def test_golden_bundles_import_as_they_always_did(version: str, tmp_path: Path) -> None:
    folder = GOLDEN / version
    secrets = json.loads((folder / "keys.json").read_text(encoding="utf-8"))
    recovery = secrets["township"]["recovery_recipient"]
    township_keys = _public(secrets["township"], "township", recovery)
    village_keys = _public(secrets["village"], "village", None)
    township = _register(tmp_path, secrets["township"], "township", recovery)
    village = _register(tmp_path, secrets["village"], "village", None)
    try:
        keys.add_peer(township, village_keys, "golden")
        keys.add_peer(village, township_keys, "golden")
        [changes] = bundles.import_files(township, [folder / "changes.fpb"])
        assert changes.outcome == "accepted", changes.reason
        expected = json.loads((folder / "expected-township.json").read_text(encoding="utf-8"))
        _matches(all_rows(township), expected)
        [update] = bundles.import_files(village, [folder / "update.fpb"])
        assert update.outcome == "accepted", update.reason
        expected = json.loads((folder / "expected-village.json").read_text(encoding="utf-8"))
        _matches(all_rows(village), expected)
    finally:
        township.close()
        village.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_the_recovery_identity_opens_golden_bundles(version: str) -> None:
    folder = GOLDEN / version
    identity_line = next(
        line
        for line in (folder / "recovery-identity.txt").read_text(encoding="utf-8").splitlines()
        if line.startswith("AGE-SECRET-KEY-")
    )
    identity = pyrage.x25519.Identity.from_str(identity_line)
    data = (folder / "changes.fpb").read_bytes()
    inner = container.unpack(container.decrypt(data, identity))
    manifest = json.loads(inner.manifest_bytes)
    assert manifest["format"] == "fpdesk-bundle" and manifest["kind"] == "changes"


@pytest.mark.skipif(shutil.which("age") is None, reason="the reference age tool is not installed")
@pytest.mark.parametrize("version", VERSIONS)
def test_the_reference_age_tool_opens_a_bundle(version: str, tmp_path: Path) -> None:
    folder = GOLDEN / version
    identity = tmp_path / "identity.txt"
    shutil.copy(folder / "recovery-identity.txt", identity)
    done = subprocess.run(
        ["age", "--decrypt", "--identity", str(identity), str(folder / "changes.fpb")],
        capture_output=True,
        check=True,
        timeout=60,
    )
    inner = container.unpack(done.stdout)
    assert (
        json.loads(inner.manifest_bytes)["recipient"]
        == json.loads((folder / "keys.json").read_text(encoding="utf-8"))["township"]["device_id"]
    )
