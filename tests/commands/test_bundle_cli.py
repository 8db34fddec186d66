"""The exchange from the command line, as a script or batch file would drive it."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from fpdesk.cli import main
from fpdesk.store import daily_check, records
from fpdesk.store.db import open_register
from fpdesk.sync import bundles
from tests.conftest import PASSPHRASE, TOWNSHIP, VILLAGE
from tests.store.test_backup import corrupt, many_households


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    status = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    data = json.loads(out) if "--json" in argv and out.strip() else out
    return status, data, err


@pytest.fixture
def pair(tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    t, v = tmp_path / "T.fpdesk", tmp_path / "V.fpdesk"
    recovery = tmp_path / "recovery.txt"
    status, info, _ = run(
        capsys,
        "init",
        "--db",
        str(t),
        "--role",
        "township",
        "--area",
        TOWNSHIP,
        "--recovery-key-out",
        str(recovery),
        "--json",
    )
    assert status == 0 and info["recovery_key_file"] == str(recovery)
    assert "AGE-SECRET-KEY-" in recovery.read_text(encoding="utf-8")
    assert run(capsys, "init", "--db", str(v), "--role", "village", "--area", VILLAGE)[0] == 0
    req, ans = tmp_path / "req.json", tmp_path / "ans.json"
    assert run(capsys, "enroll", "request", "--db", str(v), "--out", str(req))[0] == 0
    _, accepted, _ = run(
        capsys, "enroll", "accept", "--db", str(t), str(req), "--out", str(ans), "--json"
    )
    _, finished, _ = run(capsys, "enroll", "finish", "--db", str(v), str(ans), "--json")
    assert accepted["fingerprint"] == finished["fingerprint"]
    return t, v


def _add_household(path: Path, phone: str) -> str:
    reg = open_register(path, PASSPHRASE)
    try:
        return records.insert(
            reg,
            "household",
            {"code": VILLAGE + "010001", "village_code": VILLAGE, "group_no": "01", "phone": phone},
        )
    finally:
        reg.close()


def _set(path: Path, row_id: str, phone: str) -> None:
    reg = open_register(path, PASSPHRASE)
    try:
        records.update(reg, "household", row_id, {"phone": phone})
    finally:
        reg.close()


def test_export_verify_import_and_back(
    pair,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    t, v = pair
    _add_household(v, "1")
    status, made, _ = run(
        capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"), "--json"
    )
    assert status == 0 and made[0]["kind"] == "changes" and made[0]["count"] == 1
    status, manifest, _ = run(capsys, "bundle", "verify", "--db", str(t), made[0]["path"], "--json")
    assert status == 0 and manifest["device"] and manifest["upto"] >= 1
    status, dry, _ = run(
        capsys, "bundle", "import", "--db", str(t), "--dry-run", str(tmp_path / "out"), "--json"
    )
    assert status == 0 and dry[0]["outcome"] == "accepted"
    status, results, _ = run(
        capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"), "--json"
    )
    assert status == 0 and [r["applied"] for r in results] == [1]
    status, again, _ = run(capsys, "bundle", "import", "--db", str(t), made[0]["path"], "--json")
    assert status == 0 and again[0]["outcome"] == "duplicate"
    status, back, _ = run(
        capsys,
        "bundle",
        "export",
        "--db",
        str(t),
        "--out",
        str(tmp_path / "back"),
        "--all-villages",
        "--json",
    )
    assert status == 0 and back[0]["kind"] == "update"
    assert run(capsys, "bundle", "import", "--db", str(v), back[0]["path"])[0] == 0
    status, book, _ = run(capsys, "ledger", "--db", str(t), "--json")
    assert [r["outcome"] for r in book] == ["accepted", "duplicate"]


def test_import_reports_refused_files_and_still_takes_the_good_ones(
    pair,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    t, v = pair
    _add_household(v, "1")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"))
    (tmp_path / "out" / "0-junk.fpb").write_bytes(b"not a bundle")
    status, results, err = run(
        capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"), "--json"
    )
    assert status == 1
    assert [r["outcome"] for r in results] == ["refused", "accepted"]
    assert "0-junk.fpb" in err and "damaged" in err
    status, _, err = run(
        capsys, "bundle", "verify", "--db", str(t), str(tmp_path / "out" / "0-junk.fpb")
    )
    assert status == 1 and "damaged" in err


def _one_conflict(t: Path, v: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A household's phone changed on both sides since they last agreed."""
    row = _add_household(v, "1")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "a"))
    run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "a"))
    _set(t, row, "2")
    _set(v, row, "3")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "b"))
    run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "b"))


def test_conflicts_list_and_resolve(
    pair,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    t, v = pair
    _one_conflict(t, v, tmp_path, capsys)
    status, queue, _ = run(capsys, "conflicts", "list", "--db", str(t), "--json")
    assert status == 0 and [(c["theirs"], c["ours"]) for c in queue] == [("3", "2")]
    status, _, err = run(
        capsys, "conflicts", "resolve", "--db", str(t), queue[0]["id"], "--take", "value"
    )
    assert status == 1 and "--value" in err
    status, done, _ = run(
        capsys,
        "conflicts",
        "resolve",
        "--db",
        str(t),
        queue[0]["id"],
        "--take",
        "value",
        "--value",
        "4",
        "--json",
    )
    assert status == 0 and done["resolution"] == "value"
    assert run(capsys, "conflicts", "list", "--db", str(t), "--json")[1] == []
    status, _, err = run(
        capsys, "conflicts", "resolve", "--db", str(t), "nope", "--take", "village"
    )
    assert status == 1 and "No such conflict" in err


def test_devices_list_and_revoke(
    pair,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    t, v = pair
    _, devices, _ = run(capsys, "devices", "list", "--db", str(t), "--json")
    [device] = devices
    assert device["area_code"] == VILLAGE and device["revoked_at"] is None
    assert "sign_private" not in json.dumps(devices)
    status, revoked, _ = run(
        capsys, "enroll", "revoke", "--db", str(t), device["device_id"], "--json"
    )
    assert status == 0 and revoked["revoked_at"]
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"))
    status, _, err = run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"))
    assert status == 1 and "revoked" in err


def test_township_export_without_a_target_fails_plainly(
    pair,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    t, _ = pair
    status, _, err = run(capsys, "bundle", "export", "--db", str(t), "--out", str(tmp_path))
    assert status == 1 and "--for" in err


def test_each_import_run_has_its_receipt_with_the_townships_name(
    pair,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    from fpdesk.store import areas
    from tests.reports.pdf.conftest import flat, pdf_text

    t, v = pair
    reg = open_register(t, PASSPHRASE)
    areas.set_name(reg, TOWNSHIP, "三塘镇")
    areas.set_name(reg, VILLAGE, "那况村")
    reg.close()
    _add_household(v, "1")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"))
    (tmp_path / "out" / "0-junk.fpb").write_bytes(b"not a bundle")
    run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"))  # the month's data
    run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"))  # a second pass
    status, runs, _ = run(capsys, "ledger", "--db", str(t), "--runs", "--json")
    assert status == 0 and [r["files"] for r in runs] == [2, 2]
    first = runs[-1]  # the latest first
    assert first["outcomes"] == {"accepted": 1, "refused": 1}
    status, text, _ = run(capsys, "ledger", "--db", str(t))
    assert status == 0 and "None" not in text  # a refused file has no change range
    out = tmp_path / "receipt.pdf"
    status, _, _ = run(
        capsys, "print", "receipt", "--db", str(t), "--run", str(first["id"]), "--out", str(out)
    )
    assert status == 0
    text = flat(pdf_text(out))
    assert text.startswith("三塘镇Importreceipt")  # the township by its name (--lang en)
    assert "那况村" in text and "0-junk.fpb" in text
    assert "accepted" in text and "refused" in text
    status, _, err = run(
        capsys, "print", "receipt", "--db", str(t), "--run", "999", "--out", str(out)
    )
    assert status == 1 and "999" in err


def test_conflicts_and_duplicates_list_all_show_who_when_and_why(
    pair,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    t, v = pair
    _one_conflict(t, v, tmp_path, capsys)
    [c] = run(capsys, "conflicts", "list", "--db", str(t), "--json")[1]
    status, _, _ = run(
        capsys,
        "conflicts",
        "resolve",
        "--db",
        str(t),
        c["id"],
        "--take",
        "village",
        "--reason",
        "checked by phone",
    )
    assert status == 0
    status, text, _ = run(capsys, "conflicts", "list", "--db", str(t), "--all")
    assert status == 0 and c["id"] in text and "checked by phone" in text
    [done] = run(capsys, "conflicts", "list", "--db", str(t), "--all", "--json")[1]
    assert done["reason"] == "checked by phone" and done["resolution"] == "village"
    status, listing, _ = run(capsys, "duplicates", "list", "--db", str(t), "--all", "--json")
    assert status == 0 and listing == {"pairs": [], "history": []}
    # The village hears the decision and its reason with the update.
    status, back, _ = run(
        capsys,
        "bundle",
        "export",
        "--db",
        str(t),
        "--out",
        str(tmp_path / "back"),
        "--all-villages",
        "--json",
    )
    assert run(capsys, "bundle", "import", "--db", str(v), back[0]["path"])[0] == 0
    status, text, _ = run(capsys, "conflicts", "list", "--db", str(v), "--all")
    assert status == 0 and "checked by phone" in text and "conflict resolved" in text


def test_areas_are_named_once_and_listed(
    pair,
    capsys: pytest.CaptureFixture[str],  # type: ignore[no-untyped-def]
) -> None:
    t, _v = pair
    status, listed, _ = run(capsys, "areas", "list", "--db", str(t), "--json")
    assert status == 0 and {a["code"] for a in listed} == {TOWNSHIP, VILLAGE}
    assert run(capsys, "areas", "name", "--db", str(t), VILLAGE, "那况村")[0] == 0
    status, text, _ = run(capsys, "areas", "list", "--db", str(t))
    assert f"{VILLAGE}  那况村" in text and f"{TOWNSHIP}  —" in text
    status, _, err = run(capsys, "areas", "name", "--db", str(t), "12345", "x")
    assert status == 2 and "12 digits" in err


def test_resend_from_sends_the_villages_changes_again(
    pair,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    capsys: pytest.CaptureFixture[str],
) -> None:
    t, v = pair
    _add_household(v, "1")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"))
    run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"))
    run(capsys, "bundle", "export", "--db", str(t), "--out", str(tmp_path / "b"), "--all-villages")
    run(capsys, "bundle", "import", "--db", str(v), str(tmp_path / "b"))
    status, plain, _ = run(
        capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "p"), "--json"
    )
    assert status == 0 and plain[0]["count"] == 0  # acknowledged: nothing to send
    status, again, _ = run(
        capsys,
        "bundle",
        "export",
        "--db",
        str(v),
        "--out",
        str(tmp_path / "again"),
        "--resend-from",
        "0",
        "--json",
    )
    assert status == 0 and again[0]["after"] == 0 and again[0]["count"] == 1
    status, results, _ = run(capsys, "bundle", "import", "--db", str(t), again[0]["path"], "--json")
    assert status == 0 and results[0]["outcome"] == "duplicate"  # the same change: no fork
    status, _, err = run(
        capsys,
        "bundle",
        "export",
        "--db",
        str(t),
        "--out",
        str(tmp_path / "t"),
        "--all-villages",
        "--resend-from",
        "0",
    )
    assert status != 0 and "village laptop" in err


def test_the_first_import_of_the_day_reads_while_the_check_runs_and_writes_after(
    pair, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundle is opened (decrypted, its signature checked) while the register's
    daily check runs on a thread of its own; nothing is written until it has passed."""
    t, v = pair
    _add_household(v, "1")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"))
    opened = threading.Event()
    seen: dict[str, Any] = {}
    real_prepare, real_check = bundles.prepare, daily_check.file_damage

    def prepare(register: Any, paths: list[Path]) -> Any:
        found = real_prepare(register, paths)
        seen["prepared"] = len(found)
        opened.set()  # the check below is still waiting for this
        return found

    def check(conn: Any, **kwargs: Any) -> list[str]:
        seen["opened before the check ended"] = opened.wait(30)
        seen["ledger while checking"] = conn.execute("SELECT count(*) FROM sync_ledger").fetchone()[
            0
        ]
        return real_check(conn, **kwargs)

    monkeypatch.setattr(bundles, "prepare", prepare)
    monkeypatch.setattr(daily_check, "file_damage", check)
    status, results, _ = run(
        capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"), "--json"
    )
    assert status == 0 and [r["applied"] for r in results] == [1]
    assert seen == {
        "prepared": 1,
        "opened before the check ended": True,
        "ledger while checking": 0,
    }
    reg = open_register(t, PASSPHRASE)
    try:
        assert reg.conn.execute("SELECT count(*) FROM sync_ledger").fetchone()[0] == 1
    finally:
        reg.close()


def test_an_import_into_a_damaged_register_writes_nothing(
    pair, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    t, v = pair
    _add_household(v, "1")
    run(capsys, "bundle", "export", "--db", str(v), "--out", str(tmp_path / "out"))
    with open_register(t, PASSPHRASE) as reg:
        many_households(reg, group="02")
    corrupt(t)
    before = t.read_bytes()
    status, _, err = run(capsys, "bundle", "import", "--db", str(t), str(tmp_path / "out"))
    assert status != 0 and "damaged" in err and "fpdesk backup restore" in err
    assert t.read_bytes() == before
