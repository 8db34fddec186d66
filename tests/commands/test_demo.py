"""fpdesk demo: builds a register from the command line, and refuses what it must."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE


def test_builds_a_register_and_reports_its_rows(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.fpdesk"
    status = main(["demo", "--db", str(path), "--persons", "300", "--seed", "4", "--json"])
    assert status == 0
    report = json.loads(capsys.readouterr().out)
    assert report["rows"]["person"] == 300 and report["seed"] == 4
    with open_register(path, PASSPHRASE) as register:
        assert register.role == "township"
        persons = register.conn.execute("SELECT count(*) FROM person").fetchone()[0]
        assert persons == report["rows"]["person"]


def test_text_summary_in_chinese(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.fpdesk"
    assert main(["--lang", "zh", "demo", "--db", str(path), "--persons", "100"]) == 0
    out = capsys.readouterr().out
    assert "已生成演示登记册" in out and "人员 / person: 100" in out


def test_refuses_to_overwrite(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "existing.fpdesk"
    path.write_bytes(b"an officer's register")
    status = main(["--lang", "en", "demo", "--db", str(path), "--persons", "100"])
    assert status == 1
    assert "not overwritten" in capsys.readouterr().err
    assert path.read_bytes() == b"an officer's register"


@pytest.mark.parametrize("persons", ["99", "3000001"])
def test_refuses_a_size_out_of_range(
    tmp_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str], persons: str
) -> None:
    path = tmp_path / "x.fpdesk"
    assert main(["--lang", "zh", "demo", "--db", str(path), "--persons", persons]) == 2
    err = capsys.readouterr().err
    assert "100" in err and "3,000,000" in err and persons in err
    assert not path.exists()


def test_runs_as_a_program(tmp_path: Path) -> None:
    """The console entry point, a separate process, passphrase from the environment."""
    path = tmp_path / "demo.fpdesk"
    env = {**os.environ, "FPDESK_PASSPHRASE": PASSPHRASE, "FPDESK_LANG": "en"}
    done = subprocess.run(
        [sys.executable, "-m", "fpdesk", "demo", "--db", str(path), "--persons", "150"],
        env=env,
        capture_output=True,
        encoding="utf-8",  # the CLI writes UTF-8 to a pipe, whatever the code page
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Built demo register" in done.stdout
    with open_register(path, PASSPHRASE) as register:
        assert register.conn.execute("SELECT count(*) FROM person").fetchone()[0] == 150
