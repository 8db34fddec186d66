"""fpdesk search: the search box on the command line, over a real encrypted register."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.store import records
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE

ZHANG_ID = "11010519491231002X"
CODE = VILLAGE + "03" + "0012"


@pytest.fixture
def filled(register_path: Path, passphrase_env: str) -> Path:
    with open_register(register_path, PASSPHRASE) as register:
        household = records.insert(
            register,
            "household",
            {"code": CODE, "village_code": VILLAGE, "group_no": "03", "address": "三组 12 号"},
        )
        for name, id_number in (("张三", ZHANG_ID), ("张三丰", None), ("李四", None)):
            records.insert(
                register,
                "person",
                {
                    "household_id": household,
                    "name": name,
                    "sex": 2,
                    "birth_date": "1949-12-31",
                    "id_number": id_number,
                },
            )
    return register_path


def test_search_prints_hits_with_masked_id(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "zh", "search", "--db", str(filled), "zs"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in out] == ["张三", "张三丰"]
    assert "1101**********002X" in out[0]
    assert ZHANG_ID not in "\n".join(out)
    assert "拼音首字母" in out[0]


def test_search_json(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--db", str(filled), "002x", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [(h["name"], h["why"], h["id_number_masked"]) for h in hits] == [
        ("张三", "id_tail", "1101**********002X")
    ]
    assert hits[0]["why_text"] == {"zh": "身份证号末几位", "en": "last digits of the ID number"}
    assert hits[0]["household_code"] == CODE


def test_search_limit(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "--db", str(filled), CODE, "--limit", "2", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert [h["person_id"] is None for h in hits] == [True, False]


def test_nothing_found_is_not_a_failure(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "search", "--db", str(filled), "王五"]) == 0
    assert capsys.readouterr().out.strip() == "Nothing found."
    assert main(["search", "--db", str(filled), "王五", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("limit", ["0", "-1", "100000"])
def test_bad_limit_is_refused(filled: Path, capsys: pytest.CaptureFixture[str], limit: str) -> None:
    assert main(["--lang", "en", "search", "--db", str(filled), "zs", "--limit", limit]) == 2
    assert "--limit must be between" in capsys.readouterr().err


def test_missing_register_fails_with_reason(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["search", "--db", str(tmp_path / "none.fpdesk"), "zs"])
    assert status != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("fpdesk: ")


def test_wrong_passphrase_fails_with_reason(
    filled: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FPDESK_PASSPHRASE", "not the passphrase")
    assert main(["search", "--db", str(filled), "zs"]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("fpdesk: ")
