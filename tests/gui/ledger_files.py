"""A messy village ledger for the window's import wizard, built like the real ones: a
title over merged cells, a two-row heading (现有子女数 over 男/女), 序号, the household
head named on the first member's row only, spacer and subtotal rows, ID numbers typed
with spaces or a leading apostrophe, dates in five ways, and one ID number that Excel
turned into a number (its last digits are gone: a row with a problem)."""

# ruff: noqa: E501  (one ledger row a line, as in the sheet)

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from fpdesk.core.idnumber import check_char


def id_number(birth: str, sequence: int) -> str:
    first17 = f"450102{birth}{sequence:03d}"
    return first17 + check_char(first17)


HEADING = [
    "序号", "户主姓名", "姓名", "与户主关系", "性别", "出生日期", "身份证号码", "婚姻状况",
    "现有子女数", None, "避孕措施", "落实时间",
]  # fmt: skip

# (head named on the row, name, relationship, sex, birth date as typed, ID as typed,
#  marital status, sons, daughters, method, method date)
PERSONS: list[tuple[object, ...]] = [
    ("黄国强", "黄国强", "户主", "男", "1978.3.2", id_number("19780302", 11), "已婚", 1, 0, None, None),
    (None, "陆美玲", "妻", "女", "19800715", "'" + id_number("19800715", 22), "已婚", 1, 0, "上环", "2010.05.06"),
    (None, "黄小龙", "子", "男", "2005年3月2日", id_number("20050302", 31), "未婚", None, None, None, None),
    "blank",
    ("韦德福", "韦德福", "户主", "1", "1960-01-05", id_number("19600105", 51), "已婚", 2, 1, "无", None),
    (None, "蒙秀兰", "妻子", "2", "1962.03.02", " ".join(id_number("19620302", 62)[i:i + 6] for i in (0, 6, 12)), "已婚", 2, 1, "结扎", "2001.03.02"),
    "subtotal",
    ("潘文", "潘文", "户主", "女", "1990.11.20", id_number("19901120", 82), "已婚", 0, 1, "皮埋", "2019年6月1日"),
    ("覃丽", "覃丽", "户主", "女", "1988.8.8", 4.50102198808081e17, "未婚", None, None, None, None),
    "total",
]  # fmt: skip


GROUP_TWO: list[tuple[object, ...]] = [
    ("莫志明", "莫志明", "户主", "男", "1983.6.1", id_number("19830601", 13), "已婚", 1, 1, None, None),
    (None, "卢春花", "妻", "女", "1985.2.14", id_number("19850214", 24), "已婚", 1, 1, "上环", "2012.04.01"),
    "blank",
    ("蓝海", "蓝海", "户主", "男", "1970.10.10", id_number("19701010", 35), "已婚", 0, 2, None, None),
]  # fmt: skip


def _write_sheet(sheet: Any, title: str, persons: list[tuple[object, ...] | str]) -> None:
    sheet["A1"] = title
    sheet.merge_cells("A1:L1")
    sheet["A2"] = "填报单位：东岗村村委会    填报日期：2026年11月"
    for col, text in enumerate(HEADING, start=1):
        if text is not None:
            sheet.cell(3, col, text)
    sheet.merge_cells("I3:J3")
    sheet["I4"], sheet["J4"] = "男", "女"
    for col in "ABCDEFGHKL":
        sheet.merge_cells(f"{col}3:{col}4")
    row, number = 5, 0
    for entry in persons:
        if entry == "blank":
            pass
        elif entry == "subtotal":
            sheet.cell(row, 1, "小计")
            sheet.cell(row, 9, 3)
            sheet.cell(row, 10, 1)
        elif entry == "total":
            sheet.cell(row, 1, "合计")
            sheet.cell(row, 9, 3)
            sheet.cell(row, 10, 2)
        else:
            number += 1
            sheet.cell(row, 1, number)
            for col, value in enumerate(entry, start=2):
                if value is not None:
                    sheet.cell(row, col, value)
        row += 1


def messy_ledger(path: Path, *, second_group: bool = False) -> Path:
    """The ledger above as an .xlsx (a sheet of notes comes first, as officers often
    keep one); 6 persons import, 覃丽's row has a problem.  With `second_group`, a
    sheet 二组 of the same shape follows, with 3 more persons."""
    book = Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes["A1"] = "本表由村计生专干填写，每年12月更新。"
    _write_sheet(book.create_sheet("一组"), "东岗村户籍台账 2026年", PERSONS)
    if second_group:
        _write_sheet(book.create_sheet("二组"), "东岗村户籍台账 2026年（二组）", GROUP_TWO)
    book.save(path)
    return path


IMPORTED = 6  # persons that import: everyone but 覃丽
SECOND_GROUP = 3
