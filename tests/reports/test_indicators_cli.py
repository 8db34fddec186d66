"""The statistics commands, run as a user would run them."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fpdesk.cli import main
from fpdesk.core.periods import parse_period
from fpdesk.reports import indicators as ind
from fpdesk.store.db import create_register, open_register
from tests.conftest import PASSPHRASE
from tests.reports import world
from tests.reports.world import TOWNSHIP, VILLAGE_A

# The CLI draws samples on the real date; a visit is recorded the same day.
TODAY = dt.date.today().isoformat()


@pytest.fixture
def db(tmp_path: Path, passphrase_env: str) -> Iterator[str]:
    path = tmp_path / "township.fpdesk"
    reg = create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP)
    world.build(reg)
    reg.close()
    yield str(path)


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_indicators_json_and_levels(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "indicators", "--db", db, "--period", "2019")
    (report,) = data["reports"]
    results = {r["key"]: r for r in report["results"]}
    assert (results["births"]["numerator"], results["contraceptive_rate"]["denominator"]) == (6, 9)
    assert "numerator_ids" not in results["births"]
    assert report["definitions_version"] == "2019.1" and len(report["content_hash"]) == 64
    villages = _json(capsys, "indicators", "--db", db, "--period", "2019", "--level", "village")
    assert [r["areas"] for r in villages["reports"]] == [[VILLAGE_A], ["450102001202"]]
    one = _json(
        capsys, "indicators", "--db", db, "--period", "2019", "--area", VILLAGE_A, "--members"
    )
    births = {r["key"]: r for r in one["reports"][0]["results"]}["births"]
    assert len(births["numerator_members"]) == 4


def test_indicators_text_and_record(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "zh", "indicators", "--db", db, "--period", "2019Q4", "--record"]) == 0
    out = capsys.readouterr().out
    assert "符合政策生育率" in out and "2019-07-01" in out
    reg = open_register(db, PASSPHRASE)
    try:
        (run,) = ind.runs(reg)
        assert run["period"] == "2019Q4" and run["kind"] == "indicators"
    finally:
        reg.close()


def test_report_writes_the_workbook_and_records_it(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "考核.xlsx"
    data = _json(
        capsys, "report", "--db", db, "--period", "2019", "--kind", "assessment", "--out", str(out)
    )
    assert load_workbook(out).sheetnames == ["指标考核", "分子分母"]
    again = tmp_path / "again.xlsx"
    second = _json(
        capsys,
        "report",
        "--db",
        db,
        "--period",
        "2019",
        "--kind",
        "assessment",
        "--out",
        str(again),
    )
    assert data["sha256"] == second["sha256"]
    reg = open_register(db, PASSPHRASE)
    try:
        recorded = ind.runs(reg, "2019")
        assert [r["file_hash"] for r in recorded] == [data["sha256"]] * 2
        summary = ind.compute(reg, parse_period("2019"))
        assert recorded[0]["content_hash"] == summary.content_hash
    finally:
        reg.close()


def test_audit_from_the_command_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = _json(
        capsys,
        "audit",
        "sample",
        "--db",
        db,
        "--households",
        "3",
        "--seed",
        "42",
        "--period",
        "2019",
    )
    second = _json(
        capsys,
        "audit",
        "sample",
        "--db",
        db,
        "--households",
        "3",
        "--seed",
        "42",
        "--period",
        "2019",
    )
    codes = [h["code"] for h in first["households"]]
    assert codes == [h["code"] for h in second["households"]] and len(codes) == 3
    score = _json(capsys, "audit", "accuracy", "--db", db, "--sample", first["id"])
    assert score["visited"] == 0 and score["rate"] is None
    _json(
        capsys,
        "audit",
        "record",
        "--db",
        db,
        "--sample",
        first["id"],
        "--household",
        codes[0],
        "--visited-on",
        TODAY,
        "--births",
        "0",
        "--persons",
        "1",
    )
    score = _json(capsys, "audit", "accuracy", "--db", db, "--sample", first["id"])
    assert score["visited"] == 1
    assert (
        main(
            [
                "audit",
                "record",
                "--db",
                db,
                "--sample",
                first["id"],
                "--household",
                codes[0],
                "--visited-on",
                TODAY,
                "--births",
                "0",
                "--persons",
                "1",
            ]
        )
        == 2
    )
    assert "已记录" in capsys.readouterr().err


def test_work_lists_from_the_command_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    overdue = _json(capsys, "lists", "--db", db, "--kind", "overdue", "--on", "2019-09-30")
    assert {"W2", "W3"} <= {row["name"] for row in overdue}
    untracked = _json(capsys, "lists", "--db", db, "--kind", "untracked", "--on", "2019-09-30")
    assert len(untracked) == 15
    assert main(["lists", "--db", db, "--kind", "rewards", "--on", "2019-13-01"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["indicators", "--period", "2019Q5"], "时段"),
        (["indicators", "--period", "2019", "--area", "12345"], "区划代码"),
        (["audit", "sample", "--households", "99", "--seed", "1"], "99"),
        (["report", "--period", "2019", "--kind", "annual", "--out", "x.csv"], ".xlsx"),
    ],
)
def test_bad_input_fails_with_a_message(
    db: str, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    assert (
        main(
            [
                "--lang",
                "zh",
                argv[0],
                *(argv[1:2] if argv[0] == "audit" else []),
                "--db",
                db,
                *argv[2 if argv[0] == "audit" else 1 :],
            ]
        )
        == 2
    )
    assert words in capsys.readouterr().err
