"""fpdesk due and fpdesk check, run as the command line runs them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.core import idnumber
from fpdesk.store import records
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE


def fill(path: Path, *, broken: bool = False) -> None:
    """A village with one woman due for her IUD follow-up (and, if broken, a bad ID)."""
    with open_register(path, PASSPHRASE) as reg:
        home = records.insert(
            reg,
            "household",
            {
                "code": f"{VILLAGE}020003",
                "village_code": VILLAGE,
                "group_no": "02",
                "address": "二组3号",
            },
        )
        born = "1990-05-01" if not broken else "1990-05-02"
        woman = records.insert(
            reg,
            "person",
            {
                "household_id": home,
                "name": "李秀英",
                "sex": 2,
                "birth_date": born,
                "id_number": idnumber.make("450102", dt.date(1990, 5, 1), 22),
            },
        )
        records.insert(
            reg, "contraception", {"woman_id": woman, "method": "iud", "started_on": "2026-01-10"}
        )


def test_due_as_json(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(register_path)
    assert main(["due", "--db", str(register_path), "--on", "2026-02-20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["on"] == "2026-02-20"
    [item] = data["items"]
    assert (item["name"], item["visit_type"], item["due_on"], item["overdue_days"]) == (
        "李秀英",
        "iud_followup",
        "2026-02-10",
        10,
    )
    assert item["household_code"] == f"{VILLAGE}020003"
    assert item["visit_label"] == {"zh": "上环术后随访", "en": "IUD follow-up"}


def test_due_as_text_in_both_languages(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(register_path)
    args = ["due", "--db", str(register_path), "--on", "2026-02-20"]
    assert main(["--lang", "zh", *args]) == 0
    out = capsys.readouterr().out
    assert "1 项随访到期，其中 1 项逾期" in out and "逾期 10 天" in out and "李秀英" in out
    assert main(["--lang", "en", *args]) == 0
    assert "10 days overdue" in capsys.readouterr().out
    assert main(["--lang", "en", "due", "--db", str(register_path), "--on", "2025-01-01"]) == 0
    assert "nobody is due" in capsys.readouterr().out
    assert main(["due", "--db", str(register_path), "--on", "2026-02-20", "--group", "3"]) == 0
    assert "没有到期" in capsys.readouterr().out


def test_due_refuses_a_bad_date(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["due", "--db", str(register_path), "--on", "2026-13-01"]) == 2
    assert "2026-13-01" in capsys.readouterr().err
    assert main(["--lang", "zh", "due", "--db", str(register_path), "--village", "4501"]) == 2
    assert "区划代码" in capsys.readouterr().err
    assert main(["--lang", "en", "due", "--db", str(register_path), "--group", "x1"]) == 2
    assert "1 to 99" in capsys.readouterr().err


def test_due_without_a_passphrase_fails_on_stderr(
    register_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("FPDESK_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["due", "--db", str(register_path)]) != 0
    assert "FPDESK_PASSPHRASE" in capsys.readouterr().err


def test_check_passes_a_sound_register(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(register_path)
    assert main(["--lang", "en", "check", "--db", str(register_path)]) == 0
    out = capsys.readouterr().out
    assert "passed its check" in out
    # each part on its own line: the file, the links, the rules over every record
    assert "file (integrity_check, cipher_integrity_check): 0 problems" in out
    assert "links (foreign_key_check): 0 problems" in out
    assert "records (the rules over" in out
    assert main(["check", "--db", str(register_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rows_checked"]["person"] == 1
    assert list(data["parts"]) == ["file", "links", "records"]
    # --quick: the file alone, as SQLite and SQLCipher check it
    assert main(["--lang", "en", "check", "--db", str(register_path), "--quick"]) == 0
    assert "The full check, without --quick" in capsys.readouterr().out
    assert main(["check", "--db", str(register_path), "--json", "--quick"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["integrity"] == "quick_check"
    assert data["rows_checked"] == {} and list(data["parts"]) == ["file"]


def test_check_lists_failures_and_exits_non_zero(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(register_path, broken=True)
    assert main(["--lang", "zh", "check", "--db", str(register_path)]) == 1
    captured = capsys.readouterr()
    assert "1 个问题" in captured.err
    assert "李秀英" in captured.out and "身份证号中的出生日期" in captured.out
    assert main(["check", "--db", str(register_path), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    [failure] = data["failures"]
    assert (failure["table"], failure["code"]) == ("person", "id.birth_mismatch")


def test_check_refuses_a_wrong_passphrase(
    register_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FPDESK_PASSPHRASE", "wrong")
    assert main(["check", "--db", str(register_path)]) != 0
    assert capsys.readouterr().err.startswith("fpdesk:")
