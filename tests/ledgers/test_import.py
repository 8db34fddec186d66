"""Importing messy ledgers into a real register: all or nothing, the same validation
as the forms, nothing added twice, methods and births with their dates, the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from fpdesk import ledgers
from fpdesk.core import idnumber
from fpdesk.ledgers import LedgerError, LedgerPlan
from fpdesk.store import access, accounts, keyring, operations
from fpdesk.store.db import Register, create_register, open_register
from fpdesk.store.search import search
from tests.conftest import PASSPHRASE, TOWNSHIP, VILLAGE
from tests.ledgers import build
from tests.store.test_bulk import assert_written_in_bulk, index_and_cards, rebuilt, triggers_run

FIXTURES = Path(__file__).parent / "fixtures"


def _sources(path: Path, sheet: str | None = None) -> list[tuple[Any, Any]]:
    with ledgers.open_ledger(path) as ledger:
        names = [sheet] if sheet else ledger.sheet_names
        tables = [ledger.read(name) for name in names]
    return [(table, ledgers.propose_mapping(table)) for table in tables]


def _count(register: Register, table: str) -> int:
    return int(register.query(f"SELECT count(*) AS n FROM {table} WHERE deleted = 0")[0]["n"])


def _snapshot(register: Register) -> tuple[int, ...]:
    tables = ("household", "person", "contraception", "birth")
    changes = int(register.query("SELECT count(*) AS n FROM change_log")[0]["n"])
    return (*(_count(register, t) for t in tables), changes)


def _rows(plan: LedgerPlan, status: str) -> list[int]:
    return [r.number for r in plan.rows if r.status == status]


def test_household_ledger_imported_whole(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.household_ledger(tmp_path / "户籍.xlsx"))
    plan = ledgers.plan_import(register, sources)
    assert _snapshot(register) == (0, 0, 0, 0, 0)  # the plan wrote nothing
    assert plan.can_import
    assert plan.counts == {"new": 6, "update": 0, "same": 0, "problem": 0, "skipped": 6}
    result = ledgers.apply_plan(register, plan)
    assert (result.households_added, result.persons_added) == (3, 6)
    heads = register.query(
        "SELECT h.code, h.group_no, p.name FROM household h JOIN person p ON p.id = h.head_id "
        "ORDER BY h.code"
    )
    assert [(h["group_no"], h["name"]) for h in heads] == [
        ("01", "韦建国"), ("01", "蒙德才"), ("02", "覃桂英"),
    ]  # fmt: skip
    wei = register.query(
        "SELECT p.name, p.relationship, p.id_number FROM person p JOIN household h "
        "ON h.id = p.household_id WHERE h.code = ? ORDER BY p.relationship",
        (heads[0]["code"],),
    )
    assert [(p["name"], p["relationship"]) for p in wei] == [
        ("韦建国", 0), ("黄秀兰", 1), ("韦小明", 2),
    ]  # fmt: skip
    assert wei[1]["id_number"] == build.pid("1982-03-02", 22)  # spaces taken out
    assert wei[2]["id_number"] == build.pid("2008-07-09", 31)  # apostrophe taken out
    meng = register.query(
        "SELECT id_number, legacy_id15, birth_date FROM person WHERE name = '蒙德才'"
    )
    assert meng[0]["legacy_id15"] == build.old15("1960-11-20", 15)
    assert meng[0]["id_number"] == build.pid("1960-11-20", 15)
    assert idnumber.is_valid(meng[0]["id_number"])
    # The search index was filled once, at the end of the batch.
    assert [hit.name for hit in search(register, "覃丽")][:1] == ["覃丽"]


def test_same_file_twice_adds_nothing(register: Register, tmp_path: Path) -> None:
    path = build.household_ledger(tmp_path / "户籍.xlsx")
    ledgers.apply_plan(register, ledgers.plan_import(register, _sources(path)))
    before = _snapshot(register)
    again = ledgers.plan_import(register, _sources(path))
    assert again.counts["new"] == again.counts["update"] == 0
    assert again.counts["same"] == 6
    ledgers.apply_plan(register, again)
    assert _snapshot(register)[:4] == before[:4]


def test_a_problem_row_stops_everything_and_says_why(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.women_roster(tmp_path / "花名册.xlsx"))
    plan = ledgers.plan_import(register, sources)
    assert not plan.can_import
    problems = {r.number: r.message.zh for r in plan.rows if r.status == "problem"}
    assert set(problems) == {9, 10}  # on the 二组 sheet
    assert "Excel 存成了数字" in problems[9] and "C列" in problems[9]
    assert "“1983.5”只有年月" in problems[10]
    with pytest.raises(LedgerError):
        ledgers.apply_plan(register, plan)
    assert _snapshot(register) == (0, 0, 0, 0, 0)


def test_skip_problem_rows_imports_the_rest(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.women_roster(tmp_path / "花名册.xlsx"))
    plan = ledgers.plan_import(register, sources, skip_problem_rows=True)
    assert plan.can_import
    result = ledgers.apply_plan(register, plan)
    assert result.persons_added == 8
    assert _count(register, "person") == 8
    names = {r["name"] for r in register.query("SELECT name FROM person")}
    assert "蓝秀芳" not in names and "潘玉梅" not in names


def test_methods_become_episodes_with_their_dates(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.women_roster(tmp_path / "花名册.xlsx", broken=False))
    ledgers.apply_plan(register, ledgers.plan_import(register, sources))
    episodes = register.query(
        "SELECT p.name, c.method, c.started_on FROM contraception c "
        "JOIN person p ON p.id = c.woman_id ORDER BY c.started_on"
    )
    assert [(e["name"], e["method"], e["started_on"]) for e in episodes] == [
        ("黄丽萍", "female_sterilisation", "2008-10-08"),
        ("陆美华", "iud", "2012-04-01"),
        ("李春燕", "iud", "2016-05-20"),
        ("梁艳", "implant", "2019-01-10"),
        ("罗金凤", "pill", "2024-02-01"),
        ("韦丽娟", "condom", "2025-03-03"),
    ]
    # IUD written without a date: kept as a note, no episode invented; 无 adds nothing.
    note = register.query("SELECT note FROM person WHERE name = '周晓红'")[0]["note"]
    assert "宫内节育器（上环）" in note and "台账未写日期" in note
    assert "配偶 王军" in note and "现有子女 男1 女0" in note
    assert register.query("SELECT note FROM person WHERE name = '莫小燕'")[0]["note"] is not None
    # An Excel serial number as a birth date.
    assert (
        register.query("SELECT birth_date FROM person WHERE name = '莫小燕'")[0]["birth_date"]
        == "1995-01-05"
    )


def test_births_with_dates_and_notes_for_the_rest(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.births_ledger(tmp_path / "出生.xlsx"))
    plan = ledgers.plan_import(register, sources)
    assert plan.counts["problem"] == 0, [r.message.zh for r in plan.rows]
    result = ledgers.apply_plan(register, plan)
    assert result.births_added == 1
    births = register.query(
        "SELECT b.birth_date, b.sex, m.name AS mother, c.name AS child FROM birth b "
        "JOIN person m ON m.id = b.mother_id LEFT JOIN person c ON c.id = b.child_id"
    )
    assert births == [{"birth_date": "2015-06-01", "sex": 1, "mother": "杨春花", "child": "杨乐"}]
    notes = {r["name"]: r["note"] for r in register.query("SELECT name, note FROM person")}
    assert "二孩（女）" in notes["杨春花"] and "2019" in notes["杨春花"]
    assert "未写姓名" in notes["吴玉兰"] and "2018-08-08" in notes["吴玉兰"]
    again = ledgers.plan_import(register, sources)
    assert again.counts["same"] == 2


def test_gbk_csv_household_codes_kept(register: Register, tmp_path: Path) -> None:
    ledgers.apply_plan(
        register, ledgers.plan_import(register, _sources(build.gbk_csv(tmp_path / "a.csv")))
    )
    codes = [r["code"] for r in register.query("SELECT code FROM household ORDER BY code")]
    assert codes == [build.household_code(3, 1), build.household_code(3, 2)]
    zhuang = register.query("SELECT ethnicity, phone FROM person WHERE name = '蓝志强'")[0]
    assert zhuang == {"ethnicity": "08", "phone": "13800138000"}


def test_house_numbers_and_serial_dates(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.house_number_ledger(tmp_path / "门牌.xlsx"))
    ledgers.apply_plan(register, ledgers.plan_import(register, sources))
    rows = register.query(
        "SELECT h.address, p.name, p.birth_date, p.id_number FROM person p "
        "JOIN household h ON h.id = p.household_id ORDER BY p.birth_date"
    )
    assert [(r["address"], r["name"]) for r in rows] == [
        ("5号", "覃老三"), ("5号", "覃大妈"), ("8号", "廖成"),
    ]  # fmt: skip
    assert rows[0]["birth_date"] == "1958-08-08"  # serial 21405
    assert rows[0]["id_number"] == build.pid("1958-08-08", 71)  # full-width digits folded


def test_old_excel_file_imports_like_the_new(register: Register) -> None:
    plan = ledgers.plan_import(register, _sources(FIXTURES / "household_ledger.xls"))
    assert plan.counts == {"new": 6, "update": 0, "same": 0, "problem": 0, "skipped": 6}


def test_existing_person_filled_in_empty_fields_differences_listed(
    register: Register, tmp_path: Path
) -> None:
    made = operations.add_household(
        register,
        {"group_no": "1"},
        [{"name": "陆美华", "sex": 2, "birth_date": "1985-03-02", "relationship": 0,
          "marital_status": 10, "phone": "13900000000"}],
    )  # fmt: skip
    sources = _sources(build.women_roster(tmp_path / "花名册.xlsx", broken=False), "一组")
    plan = ledgers.plan_import(register, sources)
    lu = next(r for r in plan.rows if r.number == 4)
    assert lu.status == "update"
    assert "补填：身份证号" in lu.message.zh
    assert "婚姻状况" in lu.message.zh  # 已婚 in the ledger, 未婚 in the register
    assert [(d.name, d.field, d.register_value, d.ledger_value) for d in plan.differences] == [
        ("陆美华", "marital_status", 10, 20)
    ]
    ledgers.apply_plan(register, plan)
    person = register.query("SELECT * FROM person WHERE id = ?", (made.member_ids[0],))[0]
    assert person["id_number"] == build.pid("1985-03-02", 22)
    assert person["marital_status"] == 10  # not changed: the officer decides
    assert _count(register, "person") == 3


def test_same_id_number_twice_in_a_ledger_is_a_problem(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "重复.csv"
    number = build.pid("1985-03-02", 22)
    path.write_text(f"姓名,身份证号\n陆美华,{number}\n陆美花,{number}\n", encoding="utf-8")
    plan = ledgers.plan_import(register, _sources(path))
    # The names differ: which row is the person is unknown, so neither is imported.
    assert _rows(plan, "problem") == [2, 3]
    assert "第 2 行" in plan.rows[1].message.zh
    assert "与第 3 行的相同，但姓名不同" in plan.rows[0].message.zh
    assert "name differ" in plan.rows[0].message.en
    # The same row typed twice: the first is the person, the copy a problem.
    path.write_text(f"姓名,身份证号\n陆美华,{number}\n陆美华,{number}\n", encoding="utf-8")
    plan = ledgers.plan_import(register, _sources(path))
    assert _rows(plan, "problem") == [3] and _rows(plan, "new") == [2]


def test_dry_run_leaves_the_register_as_it_was(register: Register, tmp_path: Path) -> None:
    before = _snapshot(register)
    for path in (
        build.household_ledger(tmp_path / "a.xlsx"),
        build.women_roster(tmp_path / "b.xlsx"),
        build.births_ledger(tmp_path / "c.xlsx"),
    ):
        ledgers.plan_import(register, _sources(path))
    assert _snapshot(register) == before


def test_report_is_the_ledger_with_status_and_message(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.women_roster(tmp_path / "花名册.xlsx"))
    plan = ledgers.plan_import(register, sources)
    out = ledgers.write_report(plan, None, tmp_path / "报告.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["一组", "二组"]
    sheet = book["二组"]
    heading = [c.value for c in sheet[1]]
    assert heading[0] == "原行号" and heading[-2:] == ["状态", "说明"]
    assert "现有子女数/男" in heading
    lines = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert lines[9][-2] == "有问题" and "后几位已经丢失" in lines[9][-1]
    assert lines[9][2] == "蓝秀芳"
    assert lines[4][-2] == "新增"
    assert lines[1][-2] == "跳过" and lines[1][-1] == "标题行"
    assert lines[11][-2] == "跳过" and lines[11][-1] == "合计行"


def test_a_ledger_without_a_name_column_is_refused(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "无姓名.csv"
    path.write_text("身份证号,性别\n450102198503020220,女\n", encoding="utf-8")
    with pytest.raises(LedgerError) as caught:
        ledgers.plan_import(register, _sources(path))
    assert "姓名" in caught.value.text.zh


def test_a_village_outside_the_register_is_refused(register: Register, tmp_path: Path) -> None:
    sources = _sources(build.gbk_csv(tmp_path / "a.csv"))
    with pytest.raises(LedgerError) as caught:
        ledgers.plan_import(register, sources, village="450102001202")
    assert "450102001202" in caught.value.text.zh
    assert _snapshot(register) == (0, 0, 0, 0, 0)


def test_an_officer_imports_into_her_own_village_only(
    register_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)  # cheap keys for the test
    with open_register(register_path, PASSPHRASE) as reg:
        accounts.add(reg, "王管理", "administrator", None, "admin-pass-1")
    with open_register(register_path, "admin-pass-1", user="王管理") as admin:
        accounts.add(admin, "李专干", "officer", VILLAGE, "officer-pass-1")
    sources = _sources(build.gbk_csv(tmp_path / "a.csv"))
    with open_register(register_path, "officer-pass-1", user="李专干") as officer:
        plan = ledgers.plan_import(officer, sources)
        assert plan.village == VILLAGE
        ledgers.apply_plan(officer, plan)
        assert _count(officer, "person") == 4
        with pytest.raises(access.AccessDenied):
            ledgers.plan_import(officer, sources, village=TOWNSHIP[:9] + "202")
        logged = officer.query("SELECT account, detail FROM access_log WHERE action = 'import'")
    assert [row["account"] for row in logged] == ["李专干"]
    assert '"kind": "ledger"' in logged[0]["detail"]


def test_head_named_on_every_row_or_on_the_first_only(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "每行户主.csv"
    wei, huang = build.pid("1980-05-01", 11), build.pid("1982-03-02", 22)
    meng, qin = build.pid("1960-11-20", 15), build.pid("1975-01-15", 42)
    path.write_text(
        "户主姓名,姓名,与户主关系,身份证号\n"
        f"韦建国,韦建国,户主,{wei}\n韦建国,黄秀兰,妻,{huang}\n"
        f"蒙德才,蒙德才,户主,{meng}\n,覃桂英,配偶,{qin}\n",
        encoding="utf-8",
    )
    plan = ledgers.plan_import(register, _sources(path))
    assert plan.counts["new"] == 4, [r.message.zh for r in plan.rows]
    ledgers.apply_plan(register, plan)
    sizes = register.query(
        "SELECT h.code, count(*) AS n FROM person p JOIN household h ON h.id = p.household_id "
        "GROUP BY h.code ORDER BY h.code"
    )
    assert [s["n"] for s in sizes] == [2, 2]


def test_a_township_register_asks_which_village(tmp_path: Path) -> None:
    with create_register(
        tmp_path / "镇.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP
    ) as town:
        sources = _sources(build.gbk_csv(tmp_path / "a.csv"))
        with pytest.raises(LedgerError) as caught:
            ledgers.plan_import(town, sources)
        assert "哪个村" in caught.value.text.zh
        plan = ledgers.plan_import(town, sources, village=VILLAGE)
        assert plan.counts["new"] == 4


def test_husbands_sterilisation_counted_under_his_wife(register: Register, tmp_path: Path) -> None:
    path = tmp_path / "男扎.csv"
    husband, wife = build.pid("1978-04-04", 13), build.pid("1980-06-06", 24)
    path.write_text(
        "姓名,与户主关系,身份证号,婚姻状况,节育措施,落实时间\n"
        f"莫华,户主,{husband},已婚,男扎,2012.9.9\n梁艳,配偶,{wife},已婚,,\n",
        encoding="utf-8",
    )
    plan = ledgers.plan_import(register, _sources(path))
    assert plan.counts["new"] == 2, [r.message.zh for r in plan.rows]
    ledgers.apply_plan(register, plan)
    episode = register.query(
        "SELECT w.name AS woman, u.name AS user, c.method, c.started_on FROM contraception c "
        "JOIN person w ON w.id = c.woman_id JOIN person u ON u.id = c.user_id"
    )
    assert episode == [
        {
            "woman": "梁艳",
            "user": "莫华",
            "method": "male_sterilisation",
            "started_on": "2012-09-09",
        }
    ]


def test_a_child_already_a_member_is_linked_not_added_again(
    register: Register, tmp_path: Path
) -> None:
    path = tmp_path / "母子.csv"
    mother, child = build.pid("1990-01-20", 102), build.pid("2015-06-01", 111)
    path.write_text(
        "姓名,与户主关系,身份证号,婚姻状况,一孩姓名,一孩性别,一孩出生日期\n"
        f"杨春花,户主,{mother},已婚,杨乐,男,2015.6.1\n杨乐,子,{child},未婚,,,\n",
        encoding="utf-8",
    )
    sources = _sources(path)
    ledgers.apply_plan(register, ledgers.plan_import(register, sources))
    assert _count(register, "person") == 2
    birth = register.query(
        "SELECT m.name AS mother, c.name AS child, b.birth_date FROM birth b "
        "JOIN person m ON m.id = b.mother_id JOIN person c ON c.id = b.child_id"
    )
    assert birth == [{"mother": "杨春花", "child": "杨乐", "birth_date": "2015-06-01"}]
    assert ledgers.plan_import(register, sources).counts["same"] == 2


def test_a_roster_after_the_household_ledger_adds_to_the_same_women(
    register: Register, tmp_path: Path
) -> None:
    ledgers.apply_plan(
        register,
        ledgers.plan_import(register, _sources(build.household_ledger(tmp_path / "a.xlsx"))),
    )
    roster = tmp_path / "花名册.csv"
    roster.write_text(
        f"姓名,身份证号,节育措施,落实时间\n黄秀兰,{build.pid('1982-03-02', 22)},上环,2010.3.3\n",
        encoding="utf-8",
    )
    plan = ledgers.plan_import(register, _sources(roster))
    assert [(r.status, r.message.zh) for r in plan.rows] == [
        ("update", "节育措施 宫内节育器（上环）（2010-03-03）")
    ]
    ledgers.apply_plan(register, plan)
    assert _count(register, "person") == 6 and _count(register, "contraception") == 1


def test_spaces_in_a_name_are_no_difference(register: Register, tmp_path: Path) -> None:
    number = build.pid("1985-03-02", 22)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text(f"姓名,身份证号,联系电话\n陆美华,{number},13800138000\n", encoding="utf-8")
    second.write_text(f"姓名,身份证号,联系电话\n陆 美华,{number},138 0013 8000\n", encoding="utf-8")
    ledgers.apply_plan(register, ledgers.plan_import(register, _sources(first)))
    plan = ledgers.plan_import(register, _sources(second))
    assert plan.differences == [] and plan.counts["same"] == 1


def test_a_ledger_is_written_in_bulk_and_indexed_as_a_rebuild_does(
    register: Register, tmp_path: Path
) -> None:
    sources = _sources(build.household_ledger(tmp_path / "户籍.xlsx"))
    with triggers_run(register) as seen:
        ledgers.import_ledger(register, sources)
    assert_written_in_bulk(seen)
    assert _count(register, "person") == 6
    assert index_and_cards(register) == rebuilt(register)
