"""fpdesk import-ledger attacked as its users and a dishonest user would: a ledger of
another village, a clerk who does not say which village, a person registered in another
village, one person twice, the dead and the moved away, a file too big, a mapping file
that keeps the wrong column, odd encodings.  Each: a plain message in both languages, by
row or for the file, and nothing written where it must not be."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.store import accounts, keyring
from fpdesk.store.db import create_register, open_register
from tests.conftest import PASSPHRASE, TOWNSHIP, VILLAGE
from tests.ledgers import build

OTHER_VILLAGE = TOWNSHIP[:9] + "202"  # village B of the same township
OFFICER, CLERK = ("李专干", "officer-pass-1"), ("周文书", "clerk-pass-1")


def _count(path: Path, password: str = PASSPHRASE, user: str | None = None) -> int:
    with open_register(path, password, user=user) as register:
        return int(register.query("SELECT count(*) AS n FROM person")[0]["n"])


def _changes(path: Path, password: str, user: str) -> int:
    with open_register(path, password, user=user) as register:
        return int(register.query("SELECT count(*) AS n FROM change_log")[0]["n"])


@pytest.fixture
def township(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A township register with an officer of village A and the township's clerk."""
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)  # cheap keys for the test
    path = tmp_path / "镇.fpdesk"
    create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP).close()
    with open_register(path, PASSPHRASE) as register:
        accounts.add(register, "王管理", "administrator", None, "admin-pass-1")
    with open_register(path, "admin-pass-1", user="王管理") as admin:
        accounts.add(admin, OFFICER[0], "officer", VILLAGE, OFFICER[1])
        accounts.add(admin, CLERK[0], "clerk", TOWNSHIP, CLERK[1])
    return path


def _as(monkeypatch: pytest.MonkeyPatch, who: tuple[str, str], path: Path, *args: str) -> int:
    monkeypatch.setenv("FPDESK_PASSPHRASE", who[1])
    return main(["--lang", "zh", "import-ledger", "--db", str(path), "--user", who[0], *args])


def _codes_csv(path: Path, village: str) -> Path:
    """Household codes of `village` (the 户编码 column a WPS export has)."""
    code = f"{village}030001"
    path.write_text(
        "户编码,姓名,性别,出生日期,身份证号,与户主关系\n"
        f"{code},蓝志强,男,1970.1.1,{build.pid('1970-01-01', 91)},户主\n"
        f"{code},韦桂芳,女,1972.2.2,{build.pid('1972-02-02', 92)},配偶\n",
        encoding="utf-8",
    )
    return path


def test_an_officer_importing_village_bs_households_is_refused_by_row(
    township: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = str(_codes_csv(tmp_path / "别村.csv", OTHER_VILLAGE))
    changes = _changes(township, *reversed(OFFICER))
    assert _as(monkeypatch, OFFICER, township, ledger) == 1
    out = capsys.readouterr().out
    assert out.count(f"户编码 {OTHER_VILLAGE}030001 不是本村（{VILLAGE}）的") == 2
    # even with the good rows only: no row of village B is written into village A
    assert _as(monkeypatch, OFFICER, township, ledger, "--skip-problem-rows") == 0
    assert _count(township, OFFICER[1], OFFICER[0]) == 0
    # and naming village B herself is refused for the file, in plain words
    assert _as(monkeypatch, OFFICER, township, ledger, "--village", OTHER_VILLAGE) == 1
    err = capsys.readouterr().err
    assert f"账户“{OFFICER[0]}”只能" in err and OTHER_VILLAGE in err and "Traceback" not in err
    assert _changes(township, *reversed(OFFICER)) == changes


def test_a_clerk_must_say_which_village(
    township: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = str(_codes_csv(tmp_path / "二村.csv", OTHER_VILLAGE))
    assert _as(monkeypatch, CLERK, township, ledger) == 1
    assert "请指定要导入到哪个村" in capsys.readouterr().err
    assert _count(township, CLERK[1], CLERK[0]) == 0
    assert _as(monkeypatch, CLERK, township, ledger, "--village", OTHER_VILLAGE) == 0
    assert _count(township, CLERK[1], CLERK[0]) == 2


def test_an_id_number_of_another_village_is_not_taken_over(
    township: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger_b = str(_codes_csv(tmp_path / "二村.csv", OTHER_VILLAGE))
    assert _as(monkeypatch, CLERK, township, ledger_b, "--village", OTHER_VILLAGE) == 0
    capsys.readouterr()
    # village A's officer lists 韦桂芳 (her ID number) as one of her own
    mine = tmp_path / "一村.csv"
    mine.write_text(
        "姓名,性别,出生日期,身份证号,与户主关系\n"
        f"黄国强,男,1970.5.5,{build.pid('1970-05-05', 11)},户主\n"
        f"韦桂芳,女,1972.2.2,{build.pid('1972-02-02', 92)},配偶\n",
        encoding="utf-8",
    )
    assert _as(monkeypatch, OFFICER, township, str(mine)) == 1
    out = capsys.readouterr().out
    assert f"身份证号 {build.pid('1972-02-02', 92)} 已登记在别的村（{OTHER_VILLAGE}" in out
    with open_register(township, CLERK[1], user=CLERK[0]) as register:
        rows = register.query(
            "SELECT p.name, h.village_code FROM person p JOIN household h ON h.id = p.household_id"
        )
    assert sorted((r["name"], r["village_code"]) for r in rows) == [
        ("蓝志强", OTHER_VILLAGE),
        ("韦桂芳", OTHER_VILLAGE),
    ]


def test_one_person_twice_with_different_data(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    number, other = build.pid("1985-03-02", 22), build.pid("1986-01-01", 22)
    ledger = tmp_path / "重复.csv"
    ledger.write_text(
        f"姓名,性别,身份证号\n陆美华,女,{number}\n陆美花,女,{number}\n黄丽,女,{other}\n",
        encoding="utf-8",
    )
    args = ["--lang", "en", "import-ledger", "--db", str(register_path), str(ledger)]
    assert main([*args, "--skip-problem-rows"]) == 0
    out = capsys.readouterr().out
    assert "row 2: The ID number is the same as on row 3 but the name differ" in out
    assert "row 3: The ID number is the same as on row 2" in out
    assert _count(register_path) == 1  # 黄丽 only: neither 陆美华 nor 陆美花 is guessed


def test_the_dead_and_the_moved_away_are_not_imported(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "花名册.csv"
    ledger.write_text(
        "姓名,性别,出生日期,死亡日期,迁出日期,现状,备注\n"
        "黄丽,女,1985.3.2,2020.1.1,,,\n"
        "韦芳,女,1986.4.5,,2021.5.5,,\n"
        "陆燕,女,1987.1.1,,,,已故\n"
        "覃兰,女,1988.1.1,,,外迁广东,\n"
        "蒙秀,女,1989.1.1,无,,正常,会计\n"
        "潘玉,女,1990.1.1,,,,丈夫已故；2019年外出务工\n",
        encoding="utf-8",
    )
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path), str(ledger)]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "第 2 行：台账写着此人已死亡（死亡日期（D列）：2020.1.1）" in out
    assert "第 3 行：台账写着此人已迁出（迁出日期（E列）：2021.5.5）" in out
    assert "第 4 行：台账写着此人已死亡（备注（G列）：已故）" in out
    assert "第 5 行：台账写着此人已迁出（现状（F列）：外迁广东）" in out
    assert "第 6 行" not in out and "第 7 行" not in out  # a widow is not dead
    assert _count(register_path) == 0
    # leaving the death column out of the mapping does not bring the dead in
    mapping = tmp_path / "对照.json"
    mapping.write_text(json.dumps({"死亡日期": None, "D": None}), encoding="utf-8")
    assert main([*args, "--mapping", str(mapping), "--skip-problem-rows"]) == 0
    with open_register(register_path, PASSPHRASE) as register:
        names = [r["name"] for r in register.query("SELECT name FROM person")]
    assert sorted(names) == sorted(["蒙秀", "潘玉"])


def test_a_ledger_of_100001_rows_is_refused_for_the_file(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = build.huge_csv(tmp_path / "全县.csv", 100_001)
    status = main(["--lang", "en", "import-ledger", "--db", str(register_path), str(big)])
    err = capsys.readouterr().err
    assert status == 1 and "100,000" in err and "Traceback" not in err
    assert _count(register_path) == 0


def test_a_csv_with_a_bom_and_crlf_and_a_gbk_one_with_a_broken_byte(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bom = tmp_path / "导出.csv"
    bom.write_bytes("\ufeff姓名,性别,出生日期\r\n黄丽,女,1985.3.2\r\n韦芳,女,1986.4.5\r\n".encode())
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path)]
    assert main([*args, str(bom)]) == 0
    assert "新增 2 人" in capsys.readouterr().out
    gbk = tmp_path / "三组.csv"
    gbk.write_bytes(
        "姓名,性别,出生日期\r\n陆燕,女,1987.1.1\r\n".encode("gbk")
        + "蓝".encode("gbk") + b"\xff" + "兰,女,1988.2.2\r\n".encode("gbk")
        + "覃丽,女,1989.3.3\r\n蒙秀,女,1990.4.4\r\n".encode("gbk")
    )  # fmt: skip
    assert main([*args, str(gbk)]) == 1
    out = capsys.readouterr().out
    assert "第 3 行：这一行有读不出的字" in out and "已损坏" not in out
    assert _count(register_path) == 2
    assert main([*args, str(gbk), "--skip-problem-rows"]) == 0
    with open_register(register_path, PASSPHRASE) as register:
        names = sorted(r["name"] for r in register.query("SELECT name FROM person"))
    assert names == sorted(["黄丽", "韦芳", "陆燕", "覃丽", "蒙秀"])


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"姓名": "name", "丈夫姓名": "name"}, "“姓名”对应了 2 列（B、F）"),
        ({"姓名": None}, "没有哪一列对应“姓名”"),
        ({"姓名": "nmae"}, "“nmae”不是可以导入的字段"),
        ({"姓 名": "name"}, "“姓 名”不是这张表的表头或列字母"),
    ],
    ids=["one-field-two-columns", "no-name", "unknown-field", "unknown-column"],
)
def test_a_mapping_file_that_would_drop_a_column_is_refused(
    register_path: Path,
    passphrase_env: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    given: dict[str, str | None],
    says: str,
) -> None:
    roster = str(build.women_roster(tmp_path / "花名册.xlsx"))
    mapping = tmp_path / "对照.json"
    mapping.write_text(json.dumps(given, ensure_ascii=False), encoding="utf-8")
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path), roster]
    assert main([*args, "--sheet", "一组", "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert _count(register_path) == 0


def test_a_mapping_file_moving_a_field_takes_it_from_the_proposed_column(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "两个姓名.csv"
    ledger.write_text("姓名,曾用名,性别,出生日期\n黄丽,黄小丽,女,1985.3.2\n", encoding="utf-8")
    mapping = tmp_path / "对照.json"
    mapping.write_text(json.dumps({"B": "name"}), encoding="utf-8")
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path), str(ledger)]
    assert main([*args, "--mapping", str(mapping)]) == 0
    with open_register(register_path, PASSPHRASE) as register:
        assert [r["name"] for r in register.query("SELECT name FROM person")] == ["黄小丽"]


def test_rows_whose_area_code_is_village_bs_are_refused(
    township: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = tmp_path / "区划.csv"
    ledger.write_text(
        "行政区划代码,姓名,性别,出生日期,与户主关系\n"
        f"{OTHER_VILLAGE},蓝志强,男,1970.1.1,户主\n"
        f"{VILLAGE},黄国强,男,1970.5.5,户主\n"
        f"{TOWNSHIP[:9]},韦桂芳,女,1972.2.2,户主\n",
        encoding="utf-8",
    )
    # the officer leaves the column out of the mapping: the rows are refused all the same
    mapping = tmp_path / "对照.json"
    mapping.write_text(json.dumps({"行政区划代码": None}, ensure_ascii=False), encoding="utf-8")
    args = [str(ledger), "--mapping", str(mapping)]
    assert _as(monkeypatch, OFFICER, township, *args) == 1
    out = capsys.readouterr().out
    assert f"第 2 行：区划代码 {OTHER_VILLAGE} 不是本村（{VILLAGE}）的，这一行没有导入。" in out
    assert "第 3 行" not in out and "第 4 行" not in out
    assert _as(monkeypatch, OFFICER, township, *args, "--skip-problem-rows") == 0
    with open_register(township, OFFICER[1], user=OFFICER[0]) as register:
        names = sorted(r["name"] for r in register.query("SELECT name FROM person"))
    assert names == sorted(["黄国强", "韦桂芳"])


def test_the_report_holds_no_formula_a_ledger_slipped_in(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    ledger = tmp_path / "公式.csv"
    ledger.write_text(
        '姓名,性别,出生日期,"=HYPERLINK(""http://x"",""点我"")",备注\n'
        '黄丽,女,1985.3.2,=1+2,"=HYPERLINK(""http://x"",""点我"")"\n'
        "韦芳,女,1986.13.5,,\n",
        encoding="utf-8",
    )
    report = tmp_path / "报告.xlsx"
    args = ["import-ledger", "--db", str(register_path), str(ledger), "--report", str(report)]
    assert main([*args, "--dry-run"]) == 1
    capsys.readouterr()
    sheet = openpyxl.load_workbook(report).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(str(c.value).endswith("=1+2") for c in cells)  # kept, as text


def test_one_mapping_file_for_files_of_different_shapes(
    register_path: Path, passphrase_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A column named in the mapping file needs to be in one of the files, not in each."""
    first, second = tmp_path / "一组.csv", tmp_path / "二组.csv"
    first.write_text("姓名,性别,出生日期,住址\n黄丽,女,1985.3.2,一组1号\n", encoding="utf-8")
    second.write_text("姓名,性别,出生日期\n韦芳,女,1986.4.5\n", encoding="utf-8")
    mapping = tmp_path / "对照.json"
    mapping.write_text(json.dumps({"住址": None}, ensure_ascii=False), encoding="utf-8")
    args = ["--lang", "zh", "import-ledger", "--db", str(register_path), str(first), str(second)]
    assert main([*args, "--mapping", str(mapping)]) == 0
    assert _count(register_path) == 2
