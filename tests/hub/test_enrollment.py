"""A township register enrolls at the district hub on a real PostgreSQL: the same
request and answer files as a village at the township, the same fingerprint on both
sides, refusals that write nothing, revocation, and the hub's private keys out of a
staff role's reach."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg import sql

from fpdesk.cli import main
from fpdesk.hub import enrollment as hub_enrollment
from fpdesk.hub.errors import HubError
from fpdesk.store.db import Register, create_register
from fpdesk.sync import enrollment, keys
from fpdesk.sync.errors import SyncError
from tests.conftest import PASSPHRASE, TOWNSHIP, VILLAGE
from tests.sync.helpers import make_township

DISTRICT = TOWNSHIP[:6] + "000000"


pytestmark = pytest.mark.usefixtures("english")  # messages read in English


@pytest.fixture
def township(tmp_path: Path) -> Iterator[Register]:
    reg = make_township(tmp_path)
    yield reg
    reg.close()


def _townships(conn: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return conn.execute("SELECT code, state, device_id FROM hub_township").fetchall()


def _hub_keys(conn: psycopg.Connection[Any]) -> int:
    return int(conn.execute("SELECT count(*) FROM hub_private.hub_key").fetchone()[0])


def enroll_at_hub(conn: psycopg.Connection[Any], township: Register, folder: Path) -> str:
    request, answer = folder / "to-district.json", folder / "from-district.json"
    enrollment.write_request(township, request)
    accepted = hub_enrollment.accept(conn, request, answer, DISTRICT)
    finished = enrollment.finish(township, answer)
    assert accepted["fingerprint"] == finished["fingerprint"]
    return str(finished["fingerprint"])


def test_both_sides_show_the_same_fingerprint(
    hub: psycopg.Connection[Any], township: Register, tmp_path: Path
) -> None:
    fingerprint = enroll_at_hub(hub, township, tmp_path)
    assert len(fingerprint.split(" ")) == 6
    [(code, state, device)] = _townships(hub)
    assert (code, state, device) == (TOWNSHIP, "enrolled", township.device_id)
    district = [p for p in keys.peers(township) if p["role"] == "district"]
    assert [(p["area_code"], p["fingerprint"]) for p in district] == [(DISTRICT, fingerprint)]
    # The township still answers its villages as before: the district is no village.
    assert keys.active_peers(township, VILLAGE) == []
    answer = (tmp_path / "from-district.json").read_text(encoding="utf-8")
    assert "AGE-SECRET-KEY" not in answer
    private = dict(hub.execute("SELECT name, value FROM hub_private.hub_key").fetchall())
    assert private[keys.SIGN_KEY] not in answer


def test_the_first_acceptance_needs_the_district_and_writes_nothing_without(
    hub: psycopg.Connection[Any], township: Register, tmp_path: Path
) -> None:
    enrollment.write_request(township, tmp_path / "req")
    with pytest.raises(HubError) as refused:
        hub_enrollment.accept(hub, tmp_path / "req", tmp_path / "ans")
    assert "--district" in refused.value.text.en
    with pytest.raises(HubError):
        hub_enrollment.accept(hub, tmp_path / "req", tmp_path / "ans", VILLAGE)
    assert (_hub_keys(hub), _townships(hub)) == (0, [])
    assert not (tmp_path / "ans").exists()


def test_a_township_of_another_district_or_a_village_is_refused(
    hub: psycopg.Connection[Any], tmp_path: Path
) -> None:
    other = make_township(tmp_path, "450103001000")
    village = create_register(tmp_path / "v.fpdesk", PASSPHRASE, role="village", area_code=VILLAGE)
    enrollment.write_request(other, tmp_path / "other")
    enrollment.write_request(village, tmp_path / "village")
    with pytest.raises(SyncError) as refused:
        hub_enrollment.accept(hub, tmp_path / "other", tmp_path / "a1", DISTRICT)
    assert refused.value.text.en == f"450103001000 is not inside {DISTRICT}; not enrolled."
    with pytest.raises(SyncError):
        hub_enrollment.accept(hub, tmp_path / "village", tmp_path / "a2", DISTRICT)
    assert (_hub_keys(hub), _townships(hub)) == (0, [])
    other.close()
    village.close()


def test_a_tampered_request_or_answer_is_refused(
    hub: psycopg.Connection[Any], township: Register, tmp_path: Path
) -> None:
    enrollment.write_request(township, tmp_path / "req")
    data = json.loads((tmp_path / "req").read_text(encoding="utf-8"))
    data["keys"]["area_code"] = "450102002000"  # another township of the district
    (tmp_path / "forged").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SyncError, match="signature does not match"):
        hub_enrollment.accept(hub, tmp_path / "forged", tmp_path / "a0", DISTRICT)
    hub_enrollment.accept(hub, tmp_path / "req", tmp_path / "ans", DISTRICT)
    answer = json.loads((tmp_path / "ans").read_text(encoding="utf-8"))
    answer["district"]["area_code"] = "450000000000"
    (tmp_path / "forged-ans").write_text(json.dumps(answer), encoding="utf-8")
    with pytest.raises(SyncError, match="signature does not match"):
        enrollment.finish(township, tmp_path / "forged-ans")
    assert [p for p in keys.peers(township) if p["role"] == "district"] == []


def test_a_revoked_register_cannot_enroll_again(
    hub: psycopg.Connection[Any], township: Register, tmp_path: Path
) -> None:
    enroll_at_hub(hub, township, tmp_path)
    revoked = hub_enrollment.revoke(hub, TOWNSHIP)
    assert revoked["code"] == TOWNSHIP and revoked["revoked_at"]
    assert _townships(hub)[0][1] == "revoked"
    with pytest.raises(SyncError, match="was revoked"):
        hub_enrollment.accept(hub, tmp_path / "to-district.json", tmp_path / "again", DISTRICT)
    assert _townships(hub)[0][1] == "revoked" and not (tmp_path / "again").exists()
    with pytest.raises(HubError, match="no township"):
        hub_enrollment.revoke(hub, "450102009000")


def test_a_staff_role_cannot_read_the_hubs_private_keys(
    hub: psycopg.Connection[Any], township: Register, tmp_path: Path
) -> None:
    enroll_at_hub(hub, township, tmp_path)
    hub.commit()
    staff = sql.Identifier(f"fp_staff_{uuid.uuid4().hex[:8]}")  # roles are server-wide
    hub.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(staff))
    hub.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(staff))
    hub.commit()
    try:
        hub.execute(sql.SQL("SET ROLE {}").format(staff))
        # It may read the table, but a role that is no hub staff member (hub.staff)
        # sees none of its rows (row-level security, step 0005_staff_roles).
        assert hub.execute("SELECT count(*) FROM hub_township").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            hub.execute("SELECT value FROM hub_private.hub_key")
    finally:
        hub.rollback()
        hub.execute(sql.SQL("DROP OWNED BY {}").format(staff))
        hub.execute(sql.SQL("DROP ROLE {}").format(staff))
        hub.commit()


def test_the_commands_enroll_a_township(
    hub_url: str, tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    t = str(tmp_path / "T.fpdesk")
    req, ans = tmp_path / "req.json", tmp_path / "ans.json"
    init = ["init", "--db", t, "--role", "township", "--area", TOWNSHIP]
    assert main([*init, "--recovery-key-out", str(tmp_path / "r.txt")]) == 0
    assert main(["hub", "init", "--url", hub_url]) == 0
    assert main(["enroll", "request", "--db", t, "--out", str(req)]) == 0
    capsys.readouterr()
    accept = ["hub", "enroll", "accept", str(req), "--out", str(ans), "--url", hub_url]
    assert main(["--lang", "en", *accept]) == 1
    assert "--district" in capsys.readouterr().err and not ans.exists()
    assert main(["--lang", "zh", *accept, "--district", DISTRICT]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"已登记乡镇 {TOWNSHIP}") and "核对码：" in out
    fingerprint = out.split("核对码：")[1].splitlines()[0]
    assert main(["--lang", "en", "enroll", "finish", "--db", t, str(ans)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Joined the district hub {DISTRICT}.\nFingerprint: {fingerprint}\n")
    revoke = ["hub", "enroll", "revoke", TOWNSHIP, "--url", hub_url, "--json"]
    assert main(["--lang", "en", *revoke]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == TOWNSHIP
