"""Pairing files: fingerprints agree, tampering and strangers are refused, revocation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.core.i18n import set_language
from fpdesk.store.db import create_register
from fpdesk.sync import enrollment, keys
from fpdesk.sync.errors import SyncError
from tests.conftest import PASSPHRASE, TOWNSHIP, VILLAGE
from tests.sync.helpers import make_township


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are matched in English here; the Chinese text is checked elsewhere."""
    set_language("en")
    yield
    set_language(None)


@pytest.fixture
def pair(tmp_path: Path):  # type: ignore[no-untyped-def]
    township = make_township(tmp_path)
    village = create_register(tmp_path / "v.fpdesk", PASSPHRASE, role="village", area_code=VILLAGE)
    yield township, village
    township.close()
    village.close()


def test_both_sides_show_the_same_fingerprint(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    township, village = pair
    enrollment.write_request(village, tmp_path / "req")
    accepted = enrollment.accept(township, tmp_path / "req", tmp_path / "ans")
    finished = enrollment.finish(village, tmp_path / "ans")
    assert accepted["fingerprint"] == finished["fingerprint"]
    groups = accepted["fingerprint"].split(" ")
    assert len(groups) == 6 and all(len(g) == 4 and g.isdigit() for g in groups)
    assert keys.peer(township, village.device_id)["role"] == "village"
    assert keys.township_peer(village)["device_id"] == township.device_id


def test_enrollment_files_hold_no_private_key(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    township, village = pair
    enrollment.write_request(village, tmp_path / "req")
    enrollment.accept(township, tmp_path / "req", tmp_path / "ans")
    secrets = [v for v in dict(township.conn.execute("SELECT name, value FROM sync_key")).values()]
    secrets += list(dict(village.conn.execute("SELECT name, value FROM sync_key")).values())
    text = "".join((tmp_path / name).read_text(encoding="utf-8") for name in ("req", "ans"))
    assert "AGE-SECRET-KEY" not in text
    for secret in secrets:
        if not secret.startswith("age1"):
            assert secret not in text


def test_a_tampered_request_is_refused(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    township, village = pair
    enrollment.write_request(village, tmp_path / "req")
    data = json.loads((tmp_path / "req").read_text(encoding="utf-8"))
    data["keys"]["area_code"] = TOWNSHIP[:9] + "299"
    (tmp_path / "req").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SyncError, match="signature"):
        enrollment.accept(township, tmp_path / "req", tmp_path / "ans")
    assert keys.peers(township) == []


def test_a_village_of_another_township_is_refused(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    township, _ = pair
    stranger = create_register(
        tmp_path / "s.fpdesk", PASSPHRASE, role="village", area_code="450102002201"
    )
    try:
        enrollment.write_request(stranger, tmp_path / "req")
        with pytest.raises(SyncError, match="not part of this township"):
            enrollment.accept(township, tmp_path / "req", tmp_path / "ans")
    finally:
        stranger.close()


def test_an_answer_for_another_laptop_is_refused(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    township, village = pair
    other = create_register(tmp_path / "o.fpdesk", PASSPHRASE, role="village", area_code=VILLAGE)
    try:
        enrollment.write_request(other, tmp_path / "req")
        enrollment.accept(township, tmp_path / "req", tmp_path / "ans")
        with pytest.raises(SyncError, match="not for this laptop"):
            enrollment.finish(village, tmp_path / "ans")
    finally:
        other.close()


def test_a_revoked_device_cannot_enroll_again(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    township, village = pair
    enrollment.write_request(village, tmp_path / "req")
    enrollment.accept(township, tmp_path / "req", tmp_path / "ans")
    assert keys.revoke(township, village.device_id)["revoked_at"]
    with pytest.raises(SyncError, match="revoked"):
        enrollment.accept(township, tmp_path / "req", tmp_path / "ans2")


def test_request_files_are_never_overwritten(pair, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, village = pair
    (tmp_path / "req").write_text("keep me", encoding="utf-8")
    with pytest.raises(SyncError, match="already exists"):
        enrollment.write_request(village, tmp_path / "req")
    assert (tmp_path / "req").read_text(encoding="utf-8") == "keep me"


def test_the_recovery_key_is_written_once_and_not_kept_in_the_register(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    try:
        text = (tmp_path / f"recovery-{TOWNSHIP}.txt").read_text(encoding="utf-8")
        secret = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-"))
        stored = dict(township.conn.execute("SELECT name, value FROM sync_key"))
        assert secret not in stored.values()
        assert stored[keys.RECOVERY_RECIPIENT].startswith("age1")
        with pytest.raises(SyncError):
            keys.create_recovery_identity(township, tmp_path / "again.txt")
    finally:
        township.close()
