"""Reading ledgers as villages keep them: headings found, merged headings joined,
spacer and subtotal rows skipped and counted; bad files refused in plain words."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from fpdesk import ledgers
from fpdesk.ledgers import LedgerError, propose_mapping, shape_of
from fpdesk.ledgers.errors import MAX_ROWS
from tests.ledgers import build

FIXTURES = Path(__file__).parent / "fixtures"


def _headings(table: ledgers.SheetTable) -> list[str]:
    return [c.heading for c in table.columns]


def test_household_ledger_title_rows_merged_heading_and_subtotals(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.household_ledger(tmp_path / "台账.xlsx")) as ledger:
        table = ledger.read()
    assert table.heading_rows == (3, 4)
    assert _headings(table) == [
        "序号", "户主姓名", "家庭成员/姓名", "家庭成员/与户主关系", "家庭成员/性别",
        "家庭成员/身份证号", "出生日期", "组别", "备注",
    ]  # fmt: skip
    assert [row.number for row in table.rows] == [5, 6, 7, 9, 11, 12]
    assert table.skipped == {"title": 2, "blank": 1, "subtotal": 2, "total": 1}
    assert "东岗村户籍人口台账" in table.title
    mapping = propose_mapping(table)
    assert [mapping[i] for i in range(9)] == [
        None, "head_name", "name", "relationship", "sex", "id_number", "birth_date",
        "group_no", "note",
    ]  # fmt: skip


def test_women_roster_joins_merged_group_headings(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.women_roster(tmp_path / "花名册.xlsx")) as ledger:
        assert ledger.sheet_names == ["一组", "二组"]
        table = ledger.read("二组")
    assert table.heading_rows == (2, 3)
    assert "现有子女数/男" in _headings(table)
    mapping = {table.columns[i].heading: key for i, key in propose_mapping(table).items()}
    assert mapping["现有子女数/男"] == "sons"
    assert mapping["现有子女数/女"] == "daughters"
    assert mapping["节育措施/种类"] == "method"
    assert mapping["节育措施/落实时间"] == "method_date"
    assert mapping["丈夫姓名"] == "spouse_name"
    assert table.skipped == {"title": 1, "total": 1}
    # The ID number Excel turned into a number is read as the number it now is.
    assert isinstance(table.rows[5].cells[2], float)


def test_gbk_csv(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.gbk_csv(tmp_path / "户.csv")) as ledger:
        table = ledger.read()
    assert _headings(table)[:3] == ["户编码", "姓名", "性别"]
    assert [row.cells[1] for row in table.rows] == ["蓝志强", "韦桂芳", "蓝天", "黄福"]
    assert table.skipped == {"blank": 1}


def test_utf8_csv_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "名单.csv"
    path.write_bytes("姓名,性别,出生日期\r\n陆美华,女,1985-03-02\r\n".encode("utf-8-sig"))
    with ledgers.open_ledger(path) as ledger:
        table = ledger.read()
    assert _headings(table) == ["姓名", "性别", "出生日期"]
    assert table.rows[0].cells == ("陆美华", "女", "1985-03-02")


def test_old_excel_xls_with_merged_heading() -> None:
    """A real .xls (saved by LibreOffice; tests/ledgers/fixtures/make_fixtures.py)."""
    with ledgers.open_ledger(FIXTURES / "household_ledger.xls") as ledger:
        table = ledger.read()
    assert table.heading_rows == (3, 4)
    assert "家庭成员/身份证号" in _headings(table)
    assert table.skipped == {"title": 2, "blank": 1, "subtotal": 2, "total": 1}
    assert [row.cells[2] for row in table.rows] == [
        "韦建国", "黄秀兰", "韦小明", "蒙德才", "覃桂英", "覃丽",
    ]  # fmt: skip
    assert table.rows[4].cells[6] in (dt.date(1975, 1, 15), dt.datetime(1975, 1, 15))


def test_heading_repeated_on_printed_pages_is_skipped(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.house_number_ledger(tmp_path / "门牌.xlsx")) as ledger:
        table = ledger.read()
    assert table.skipped == {"heading": 1}
    assert len(table.rows) == 3


def test_same_form_same_shape(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.women_roster(tmp_path / "a.xlsx")) as ledger:
        one, two = ledger.read("一组"), ledger.read("二组")
    with ledgers.open_ledger(build.household_ledger(tmp_path / "b.xlsx")) as ledger:
        other = ledger.read()
    assert shape_of(one) == shape_of(two) != shape_of(other)


def test_mapping_remembered_per_shape(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.gbk_csv(tmp_path / "户.csv")) as ledger:
        table = ledger.read()
    shape = shape_of(table)
    assert ledgers.remembered_mapping(shape) is None
    mapping = propose_mapping(table)
    mapping[7] = None  # the officer leaves the phone column out
    ledgers.remember_mapping(shape, mapping)
    assert ledgers.remembered_mapping(shape) == mapping


# --- bad input: each a plain message ----------------------------------------------------


def _refused(path: Path, sheet: str | None = None) -> str:
    with pytest.raises(LedgerError) as caught, ledgers.open_ledger(path) as ledger:
        ledger.read(sheet)
    return caught.value.text.zh


def test_password_protected_xlsx() -> None:
    assert "密码" in _refused(FIXTURES / "encrypted.xlsx")


def test_damaged_xlsx(tmp_path: Path) -> None:
    good = build.household_ledger(tmp_path / "good.xlsx")
    damaged = tmp_path / "坏.xlsx"
    damaged.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    assert "已损坏" in _refused(damaged)


def test_damaged_zip_member(tmp_path: Path) -> None:
    path = tmp_path / "坏2.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
    assert "已损坏" in _refused(path)


def test_text_named_xls(tmp_path: Path) -> None:
    path = tmp_path / "假的.xls"
    path.write_text("姓名,性别\n", encoding="utf-8")
    assert "已损坏" in _refused(path)


def test_web_page_named_xls(tmp_path: Path) -> None:
    path = tmp_path / "导出.xls"
    path.write_text("<html><table><tr><td>姓名</td></tr></table></html>", encoding="utf-8")
    assert "网页格式" in _refused(path)


def test_unknown_kind(tmp_path: Path) -> None:
    path = tmp_path / "台账.docx"
    path.write_bytes(b"PK\x03\x04")
    assert ".xlsx" in _refused(path)


def test_empty_sheet(tmp_path: Path) -> None:
    assert "空的" in _refused(build.empty_sheet(tmp_path / "空.xlsx"))


def test_heading_without_rows_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "只有表头.csv"
    path.write_text("姓名,性别,出生日期\n", encoding="utf-8")
    assert "空的" in _refused(path)


def test_no_recognisable_heading(tmp_path: Path) -> None:
    message = _refused(build.no_heading(tmp_path / "会议.xlsx"))
    assert "找不到表头" in message and "姓名" in message


def test_formula_only_sheet(tmp_path: Path) -> None:
    assert "只有公式" in _refused(build.formulas_only(tmp_path / "公式.xlsx"))


def test_too_many_rows(tmp_path: Path) -> None:
    message = _refused(build.huge(tmp_path / "全县.xlsx", 200_000))
    assert f"{MAX_ROWS:,}" in message and "按村或按组分开" in message


def test_too_many_rows_counted_when_no_size_is_stated(tmp_path: Path) -> None:
    message = _refused(build.huge_csv(tmp_path / "全县.csv", 200_000))
    assert f"{MAX_ROWS:,}" in message


def test_as_many_rows_as_allowed_are_read(tmp_path: Path) -> None:
    with ledgers.open_ledger(build.huge_csv(tmp_path / "大村.csv", MAX_ROWS)) as ledger:
        assert len(ledger.read().rows) == MAX_ROWS


def test_unknown_sheet_names_the_sheets(tmp_path: Path) -> None:
    message = _refused(build.women_roster(tmp_path / "花名册.xlsx"), "三组")
    assert "三组" in message and "一组、二组" in message


def test_stored_values_shown_by_their_labels() -> None:
    assert ledgers.value_text("sex", 2).zh == "女"
    assert ledgers.value_text("method", "iud").zh == "宫内节育器（上环）"
    assert ledgers.value_text("relationship", 1).en == "spouse"
    assert ledgers.value_text("birth_date", "1985-03-02").zh == "1985-03-02"


def test_head_and_house_number_merged_down_over_the_members(tmp_path: Path) -> None:
    """户主姓名 and 门牌 written once, their cells merged down over the household's rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东岗村花名册"])
    sheet.merge_cells("A1:D1")
    sheet.append(["门牌号", "户主姓名", "姓名", "与户主关系"])
    sheet.append(["12", "韦建国", "韦建国", "户主"])
    sheet.append([None, None, "黄秀兰", "配偶"])
    sheet.append([None, None, "韦小明", "子"])
    sheet.append(["15", "蒙德才", "蒙德才", "户主"])
    sheet.merge_cells("A3:A5")
    sheet.merge_cells("B3:B5")
    path = tmp_path / "合并.xlsx"
    book.save(path)
    with ledgers.open_ledger(path) as ledger:
        table = ledger.read()
    assert table.title == "东岗村花名册"
    assert [row.cells[:2] for row in table.rows] == [
        ("12", "韦建国"), ("12", "韦建国"), ("12", "韦建国"), ("15", "蒙德才"),
    ]  # fmt: skip


def test_the_heads_and_the_husbands_id_numbers_do_not_take_the_persons_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "多个身份证.csv"
    path.write_text("户主身份证号,姓名,丈夫身份证号,身份证号\n1,陆美华,2,3\n", encoding="utf-8")
    with ledgers.open_ledger(path) as ledger:
        table = ledger.read()
    assert list(propose_mapping(table).values()) == [
        None, "name", "spouse_id_number", "id_number",
    ]  # fmt: skip
