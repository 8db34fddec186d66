"""fpdesk enroll and devices: each step's message in both languages, its JSON, and a
refusal from the exchange as a plain message with a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpdesk.cli import main
from tests.conftest import TOWNSHIP, VILLAGE


def run(capsys: pytest.CaptureFixture[str], lang: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_each_step_says_what_it_did(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    t, v = str(tmp_path / "T.fpdesk"), str(tmp_path / "V.fpdesk")
    req, ans, key = tmp_path / "req.json", tmp_path / "ans.json", tmp_path / "recovery.txt"
    assert (
        main(
            [
                "init",
                "--db",
                t,
                "--role",
                "township",
                "--area",
                TOWNSHIP,
                "--recovery-key-out",
                str(tmp_path / "first.txt"),
            ]
        )
        == 0
    )
    assert main(["init", "--db", v, "--role", "village", "--area", VILLAGE]) == 0
    capsys.readouterr()

    status, out, _ = run(capsys, "zh", "enroll", "request", "--db", v, "--out", str(req))
    assert status == 0 and out == f"已写出登记申请 {req}。请把它交给乡镇文员。\n"
    status, out, _ = run(capsys, "en", "enroll", "accept", "--db", t, str(req), "--out", str(ans))
    assert status == 0 and f"; answer file {ans}.\nFingerprint: " in out
    assert out.startswith("Enrolled device ") and out.endswith("by phone.\n")
    status, out, _ = run(capsys, "zh", "enroll", "finish", "--db", v, str(ans), "--json")
    finished = json.loads(out)
    assert status == 0 and finished["area_code"] == TOWNSHIP and finished["fingerprint"]
    status, out, _ = run(capsys, "en", "enroll", "finish", "--db", v, str(ans))
    assert status == 0 and out == (  # read again: the same answer, the same township
        f"Joined township {TOWNSHIP}.\nFingerprint: {finished['fingerprint']}\nCompare it "
        "with the township clerk by phone: if the digits differ, do not send any data.\n"
    )

    status, out, _ = run(capsys, "en", "devices", "list", "--db", t)
    [line] = out.splitlines()
    device_id = line.split()[0]
    assert status == 0 and line.endswith("有效 active") and VILLAGE in line
    status, out, _ = run(capsys, "en", "devices", "revoke", "--db", t, device_id, "--json")
    revoked = json.loads(out)
    assert status == 0 and revoked["device_id"] == device_id and revoked["revoked_at"]
    status, out, _ = run(capsys, "zh", "devices", "list", "--db", t)
    assert out.strip().endswith(f"注销 revoked {revoked['revoked_at']}")

    # init wrote the township's recovery identity; a second is refused, plainly
    status, out, err = run(capsys, "en", "enroll", "recovery-key", "--db", t, "--out", str(key))
    assert (status, out) == (1, "") and err == "fpdesk: This register already has a recovery key.\n"
    assert not key.exists()
    status, out, err = run(capsys, "zh", "enroll", "recovery-key", "--db", v, "--out", str(key))
    assert status == 1 and out == "" and "乡镇" in err


def test_a_refused_step_exits_non_zero_with_the_reason(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    t, v = str(tmp_path / "T.fpdesk"), str(tmp_path / "V.fpdesk")
    assert (
        main(
            [
                "init",
                "--db",
                t,
                "--role",
                "township",
                "--area",
                TOWNSHIP,
                "--recovery-key-out",
                str(tmp_path / "first.txt"),
            ]
        )
        == 0
    )
    assert main(["init", "--db", v, "--role", "village", "--area", VILLAGE]) == 0
    not_a_request = tmp_path / "req.json"
    not_a_request.write_text("{}", encoding="utf-8")
    capsys.readouterr()
    for lang in ("zh", "en"):
        status, out, err = run(
            capsys,
            lang,
            "enroll",
            "accept",
            "--db",
            t,
            str(not_a_request),
            "--out",
            str(tmp_path / "ans.json"),
        )
        assert status == 1 and out == "" and err.startswith("fpdesk: ")
    assert not (tmp_path / "ans.json").exists()
    status, _, err = run(capsys, "en", "devices", "revoke", "--db", t, "no-such-device")
    assert status == 1 and err.startswith("fpdesk: ")
