"""fpdesk import-ledger: a village's Excel ledgers into a real register from the command
line: all or nothing, --dry-run, --skip-problem-rows, --report, bilingual messages."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from fpdesk.cli import main
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE
from tests.ledgers import build

FIXTURES = Path(__file__).parents[1] / "ledgers" / "fixtures"


def _persons(path: Path) -> int:
    with open_register(path, PASSPHRASE) as register:
        return int(register.query("SELECT count(*) AS n FROM person")[0]["n"])


def test_imports_several_files(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [
        str(build.household_ledger(tmp_path / "户籍.xlsx")),
        str(build.gbk_csv(tmp_path / "三组.csv")),
        str(FIXTURES / "household_ledger.xls"),
    ]
    assert main(["--lang", "zh", "import-ledger", "--db", str(register_path), *files]) == 0
    out = capsys.readouterr().out
    # The .xls holds the same persons as the .xlsx: found, not added twice.
    assert "3 个文件 3 张表：新增 10 人，补充 0 人，已有 6 人，有问题 0 行" in out
    assert "已导入：新增 5 户 10 人" in out
    assert _persons(register_path) == 10


def test_problems_stop_the_import_and_are_listed(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = str(build.women_roster(tmp_path / "花名册.xlsx"))
    report = tmp_path / "报告.xlsx"
    status = main(
        ["--lang", "zh", "import-ledger", "--db", str(register_path), roster,
         "--report", str(report)]
    )  # fmt: skip
    captured = capsys.readouterr()
    assert status == 1
    assert "花名册.xlsx 二组 第 9 行：身份证号（C列）：身份证号被 Excel 存成了数字" in captured.out
    assert "没有导入任何内容" in captured.err and "--skip-problem-rows" in captured.err
    assert _persons(register_path) == 0
    sheet = openpyxl.load_workbook(report)["二组"]
    statuses = [row[-2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert statuses.count("有问题") == 2


def test_skip_problem_rows(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = str(build.women_roster(tmp_path / "花名册.xlsx"))
    args = ["--lang", "en", "import-ledger", "--db", str(register_path), roster]
    assert main([*args, "--skip-problem-rows"]) == 0
    out = capsys.readouterr().out
    assert "2 rows with problems" in out and "were not imported" in out
    assert _persons(register_path) == 8
    # Again: nothing new, the two problem rows still reported.
    assert main([*args, "--skip-problem-rows", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["same"] == 8 and data["counts"]["new"] == 0
    assert data["counts"]["problem"] == 2


def test_dry_run_writes_nothing(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = str(build.household_ledger(tmp_path / "户籍.xlsx"))
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path), ledger, "--dry-run"]
    assert main(args) == 0
    assert "试导入：登记册没有任何改动" in capsys.readouterr().out
    assert _persons(register_path) == 0


def test_bad_file_is_a_plain_message(
    register_path: Path, passphrase_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    encrypted = str(FIXTURES / "encrypted.xlsx")
    status = main(["--lang", "en", "import-ledger", "--db", str(register_path), encrypted])
    assert status == 1
    assert "protected by a password" in capsys.readouterr().err
    assert _persons(register_path) == 0


def test_one_sheet_and_a_mapping_file(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    roster = str(build.women_roster(tmp_path / "花名册.xlsx"))
    mapping = tmp_path / "对照.json"
    mapping.write_text(json.dumps({"F": None, "住址": None}), encoding="utf-8")
    args = ["import-ledger", "--db", str(register_path), roster, "--sheet", "一组"]
    assert main([*args, "--mapping", str(mapping), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["new"] == 3
    with open_register(register_path, PASSPHRASE) as register:
        notes = [r["note"] or "" for r in register.query("SELECT note FROM person")]
        addresses = [r["address"] for r in register.query("SELECT address FROM household")]
    assert not any("配偶" in n for n in notes)  # the husband's column was left out
    assert addresses == ["", "", ""]


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda d: FIXTURES / "encrypted.xlsx", "密码"),
        (lambda d: _damaged(d), "已损坏"),
        (lambda d: build.empty_sheet(d / "空.xlsx"), "是空的"),
        (lambda d: build.no_heading(d / "会议.xlsx"), "找不到表头"),
        (lambda d: build.formulas_only(d / "公式.xlsx"), "只有公式"),
        (lambda d: build.huge(d / "全县.xlsx", 200_000), "100,000"),
    ],
    ids=["password", "damaged", "empty", "no-heading", "formulas", "200000-rows"],
)
def test_bad_input_each_a_plain_message_nothing_written(
    register_path: Path,
    passphrase_env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Any,
    says: str,
) -> None:
    with open_register(register_path, PASSPHRASE) as register:
        changes = register.query("SELECT count(*) AS n FROM change_log")[0]["n"]
    path = make(tmp_path)
    status = main(["--lang", "zh", "import-ledger", "--db", str(register_path), str(path)])
    err = capsys.readouterr().err
    assert status == 1
    assert says in err and "Traceback" not in err
    with open_register(register_path, PASSPHRASE) as register:
        assert register.query("SELECT count(*) AS n FROM change_log")[0]["n"] == changes
        assert register.query("SELECT count(*) AS n FROM person")[0]["n"] == 0


def _damaged(folder: Path) -> Path:
    good = build.household_ledger(folder / "好.xlsx").read_bytes()
    path = folder / "坏.xlsx"
    path.write_bytes(good[: len(good) // 3])
    return path


def test_report_that_cannot_be_written(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = str(build.household_ledger(tmp_path / "户籍.xlsx"))
    report = tmp_path / "没有这个文件夹" / "报告.xlsx"
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path), ledger]
    assert main([*args, "--dry-run", "--report", str(report)]) == 1
    assert "报告没有写成" in capsys.readouterr().err
