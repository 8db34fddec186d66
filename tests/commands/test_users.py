"""fpdesk users, fpdesk audit log, and role limits on the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.core.i18n import Text
from fpdesk.store import access, accounts, keyring
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.reports.pdf.conftest import pdf_text

ADMIN, ADMIN_PW = "王管理", "admin-pass-1"
OFFICER, OFFICER_PW = "李专干", "officer-pass-1"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)


def as_user(monkeypatch: pytest.MonkeyPatch, name: str | None, pw: str) -> None:
    if name is None:
        monkeypatch.delenv("FPDESK_USER", raising=False)
    else:
        monkeypatch.setenv("FPDESK_USER", name)
    monkeypatch.setenv("FPDESK_PASSPHRASE", pw)


@pytest.fixture
def with_accounts(
    register_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[Path, str]:
    db = str(register_path)
    as_user(monkeypatch, None, PASSPHRASE)
    monkeypatch.setenv("FPDESK_NEW_PASSPHRASE", ADMIN_PW)
    args = ["users", "add", "--db", db, "--name", ADMIN, "--role", "administrator", "--json"]
    assert main(args) == 0
    recovery = json.loads(capsys.readouterr().out)["recovery_key"]
    as_user(monkeypatch, ADMIN, ADMIN_PW)
    monkeypatch.setenv("FPDESK_NEW_PASSPHRASE", OFFICER_PW)
    assert main(["users", "add", "--db", db, "--name", OFFICER, "--role", "officer"]) == 0
    capsys.readouterr()
    return register_path, recovery


def test_first_add_converts_and_shows_the_recovery_key_once(
    register_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    as_user(monkeypatch, None, PASSPHRASE)
    monkeypatch.setenv("FPDESK_NEW_PASSPHRASE", ADMIN_PW)
    sheet = tmp_path / "safe.pdf"
    args = ["users", "add", "--db", str(register_path), "--name", ADMIN]
    assert main([*args, "--role", "administrator", "--sheet", str(sheet)]) == 0
    out = capsys.readouterr().out
    assert "恢复密钥" in out and "重新加密" in out
    key = next(line.strip() for line in out.splitlines() if line.count("-") == 4)
    if shutil.which("pdftotext"):
        text = pdf_text(sheet)
        assert key in text and "保险柜" in text
    accounts.recover(register_path, ADMIN, key, "after-recovery").close()


def test_wrong_passphrase_on_the_command_line(
    with_accounts: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, _ = with_accounts
    as_user(monkeypatch, OFFICER, "wrong-wrong")
    assert main(["users", "list", "--db", str(path)]) == 1
    assert "用户名或口令不对" in capsys.readouterr().err
    as_user(monkeypatch, None, OFFICER_PW)  # forgot --user
    assert main(["users", "list", "--db", str(path)]) == 1
    assert "FPDESK_USER" in capsys.readouterr().err


def test_officer_refused_like_the_store_refuses(
    with_accounts: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, _ = with_accounts
    db = str(path)
    as_user(monkeypatch, OFFICER, OFFICER_PW)
    expected = access.NOT_YOUR_ROLE.format(
        name=OFFICER, role=access.ROLE_NAMES["officer"], action=access.ACTION_NAMES["audit_log"]
    )
    assert main(["audit", "log", "--db", db]) == 1
    assert capsys.readouterr().err.strip() == f"fpdesk: {expected}"
    monkeypatch.setenv("FPDESK_NEW_PASSPHRASE", "pass-pass-1")
    assert main(["users", "add", "--db", db, "--name", "x", "--role", "officer"]) == 1
    assert "不能管理账户和密钥" in capsys.readouterr().err
    # --user on the command line wins over the environment.
    as_user(monkeypatch, ADMIN, OFFICER_PW)
    assert main(["users", "list", "--db", db, "--user", OFFICER, "--json"]) == 0
    names = [row["name"] for row in json.loads(capsys.readouterr().out)]
    assert sorted(names) == sorted([ADMIN, OFFICER])


def test_passwd_own_and_by_recovery_key(
    with_accounts: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, recovery = with_accounts
    db = str(path)
    as_user(monkeypatch, OFFICER, OFFICER_PW)
    monkeypatch.setenv("FPDESK_NEW_PASSPHRASE", "officer-new-1")
    assert main(["users", "passwd", "--db", db]) == 0
    accounts.login(path, OFFICER, "officer-new-1").close()
    monkeypatch.setenv("FPDESK_RECOVERY_KEY", "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE")
    monkeypatch.setenv("FPDESK_NEW_PASSPHRASE", "admin-new-11")
    assert main(["users", "passwd", "--db", db, "--name", ADMIN, "--recovery-key"]) == 1
    assert "恢复密钥不对" in capsys.readouterr().err
    monkeypatch.setenv("FPDESK_RECOVERY_KEY", recovery)
    assert main(["users", "passwd", "--db", db, "--name", ADMIN, "--recovery-key"]) == 0
    accounts.login(path, ADMIN, "admin-new-11").close()


def test_audit_log_has_a_row_for_each_action(
    with_accounts: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    path, _ = with_accounts
    db = str(path)
    as_user(monkeypatch, OFFICER, "wrong-wrong")
    main(["users", "list", "--db", db])
    as_user(monkeypatch, OFFICER, OFFICER_PW)
    assert main(["lists", "--db", db, "--kind", "overdue", "--on", "2026-03-01"]) == 0
    assert main(["indicators", "--db", db, "--period", "2025"]) == 0
    assert main(["backup", "create", "--db", db, "--to", str(tmp_path / "usb")]) == 0
    as_user(monkeypatch, ADMIN, ADMIN_PW)
    assert main(["users", "remove", "--db", db, "--name", OFFICER]) == 0
    out = tmp_path / "log.csv"
    assert main(["audit", "log", "--db", db, "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["audit", "log", "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    seen = [(r["account"], r["action"]) for r in rows]
    for expected in [
        (ADMIN, "accounts"),  # conversion
        (OFFICER, "login_failed"),
        (OFFICER, "login"),
        (OFFICER, "report"),  # lists
        (OFFICER, "backup"),
        (ADMIN, "accounts"),  # removal
        (ADMIN, "audit_log"),  # the export just before
    ]:
        assert expected in seen, expected
    assert seen.count((OFFICER, "report")) == 2
    assert "login_failed" in out.read_text(encoding="utf-8-sig")


def test_register_without_accounts_keeps_working_with_a_user_name(
    register_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user(monkeypatch, "老李", PASSPHRASE)  # a user name, but no accounts: just the actor
    assert main(["lists", "--db", str(register_path), "--kind", "overdue"]) == 0
    with open_register(register_path, PASSPHRASE) as reg:
        assert reg.query("SELECT account, action FROM access_log") == [
            {"account": "老李", "action": "report"}
        ]
    assert isinstance(access.ACTION_NAMES["report"], Text) and VILLAGE


def test_init_with_a_user_starts_with_accounts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.fpdesk"
    as_user(monkeypatch, ADMIN, ADMIN_PW)
    args = ["init", "--db", str(path), "--role", "village", "--area", VILLAGE, "--json"]
    assert main(args) == 0
    key = json.loads(capsys.readouterr().out)["account_recovery_key"]
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        assert reg.account is not None and reg.account.role == "administrator"
    accounts.recover(path, ADMIN, key, "another-pass").close()


def test_officer_searches_only_their_own_village(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from fpdesk.store import records
    from fpdesk.store.db import create_register
    from tests.conftest import TOWNSHIP

    other = TOWNSHIP[:9] + "202"
    path = tmp_path / "township.fpdesk"
    with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
        for n, village in enumerate((VILLAGE, other), start=1):
            home = records.insert(
                reg,
                "household",
                {"code": f"{village}01000{n}", "village_code": village, "group_no": "01"},
            )
            records.insert(
                reg,
                "person",
                {"household_id": home, "name": f"黄秀英{n}", "sex": 2, "birth_date": "1990-01-01"},
            )
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    db = str(path)
    as_user(monkeypatch, ADMIN, ADMIN_PW)
    assert main(["search", "--db", db, "黄秀英", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2
    as_user(monkeypatch, OFFICER, OFFICER_PW)
    assert main(["search", "--db", db, "黄秀英", "--json"]) == 0
    assert [h["name"] for h in json.loads(capsys.readouterr().out)] == ["黄秀英1"]
    assert main(["search", "--db", db, "黄秀英", "--village", other]) == 1
    assert other in capsys.readouterr().err
    assert main(["due", "--db", db, "--village", other]) == 1
    assert other in capsys.readouterr().err
