"""fpdesk backup create|list|restore, as the command line runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.store import records
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE, VILLAGE


def households(path: Path) -> int:
    with open_register(path, PASSPHRASE) as reg:
        return len(reg.query("SELECT 1 FROM household"))


def add_household(path: Path, n: int) -> None:
    with open_register(path, PASSPHRASE) as reg:
        records.insert(
            reg,
            "household",
            {"code": f"{VILLAGE}01{n:04d}", "village_code": VILLAGE, "group_no": "01"},
        )


def test_create_list_restore_round_trip(
    register_path: Path,
    passphrase_env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = str(register_path)
    stick = tmp_path / "usb"
    add_household(register_path, 1)
    assert main(["backup", "create", "--db", db, "--to", str(stick), "--json"]) == 0
    made = Path(json.loads(capsys.readouterr().out)["path"])
    assert made.parent == stick
    assert main(["backup", "list", "--db", db, "--dir", str(stick), "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["path"] == str(made) and listed["label"] == "manual"
    add_household(register_path, 2)

    # Without --yes: the preview, and nothing replaced.
    assert main(["backup", "restore", "--db", db, "--from", str(made)]) == 1
    out = capsys.readouterr().out
    assert "户 1" in out and "--yes" in out
    assert households(register_path) == 2

    assert main(["backup", "restore", "--db", db, "--from", str(made), "--yes", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["restored"] and result["preview"]["counts"]["household"] == 1
    assert households(register_path) == 1
    assert households(Path(result["safety_copy"])) == 2


def test_restore_refuses_a_wrong_passphrase_and_changes_nothing(
    register_path: Path,
    passphrase_env: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = str(register_path)
    assert main(["backup", "create", "--db", db]) == 0
    assert main(["backup", "list", "--db", db]) == 0
    line = capsys.readouterr().out.strip().splitlines()[-1]
    made = line.split("\t")[-1]
    before = register_path.read_bytes()
    monkeypatch.setenv("FPDESK_PASSPHRASE", "not-the-passphrase")
    assert main(["backup", "restore", "--db", db, "--from", made, "--yes"]) == 1
    assert "口令不对" in capsys.readouterr().err
    assert register_path.read_bytes() == before
