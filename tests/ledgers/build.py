"""Messy ledgers as villages keep them, built for the tests (issue 18).

Each builder writes a real file (openpyxl for .xlsx, GBK bytes for .csv) shaped like
the ledgers officers have: title rows, two-row headings with merged cells, 序号, blank
spacer rows, 小计 and 合计 rows, the head named on the first member's row only, ID
numbers with spaces, apostrophes, 15 digits or turned into numbers by Excel, dates in
every way they are written, full-width digits, methods in many words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from fpdesk.core.idnumber import make

AREA = "450102"  # the first six digits of the test village's ID numbers


def pid(born: str, seq: int) -> str:
    return make(AREA, dt.date.fromisoformat(born), seq)


def old15(born: str, seq: int) -> str:
    """An old 15-digit number: the 18-digit one without the century and check digit."""
    full = pid(born, seq)
    return full[:6] + full[8:17]


def _rows(sheet: Worksheet, rows: Sequence[Sequence[Any]]) -> None:
    for row in rows:
        sheet.append(list(row))


# --- 1. 户籍台账: households by head, merged two-row heading, subtotals per group ---------

HOUSEHOLD_HEADING_TOP = [
    "序号",
    "户主姓名",
    "家庭成员",
    None,
    None,
    None,
    "出生日期",
    "组别",
    "备注",
]
HOUSEHOLD_HEADING_LOW = [None, None, "姓名", "与户主关系", "性别", "身份证号", None, None, None]


def household_ledger(path: Path) -> Path:
    """东岗村户籍台账: three households in two groups, the head named only on the first
    member's row; 小计 after each group and 合计 at the end; blank spacers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "户籍台账"
    sheet.append(["东岗村户籍人口台账（2026年）"])
    sheet.merge_cells("A1:I1")
    sheet.append(["填表单位：东岗村委会", None, None, None, None, None, "填表日期：2026.1.5"])
    sheet.append(HOUSEHOLD_HEADING_TOP)
    sheet.append(HOUSEHOLD_HEADING_LOW)
    sheet.merge_cells("C3:F3")  # 家庭成员 over 姓名/关系/性别/身份证号
    for col in "ABGHI":
        sheet.merge_cells(f"{col}3:{col}4")
    _rows(
        sheet,
        [
            [
                1,
                "韦建国",
                "韦建国",
                "户主",
                "男",
                pid("1980-05-01", 11),
                "1980.05.01",
                "一组",
                None,
            ],
            [
                2,
                None,
                "黄秀兰",
                "配偶",
                "女",
                " " + pid("1982-03-02", 22)[:6] + " " + pid("1982-03-02", 22)[6:],
                "1982年3月2日",
                "一组",
                None,
            ],
            [3, None, "韦小明", "子", "男", "'" + pid("2008-07-09", 31), "20080709", "一组", None],
            [None, None, None, None, None, None, None, None, None],
            [
                4,
                "蒙德才",
                "蒙德才",
                "户主",
                "男",
                old15("1960-11-20", 15),
                "60-11-20",
                "一组",
                "老证",
            ],
            [None, "小计", None, None, None, None, None, None, "4人"],
            [
                5,
                "覃桂英",
                "覃桂英",
                "户主",
                "女",
                pid("1975-01-15", 42),
                dt.datetime(1975, 1, 15),
                "二组",
                None,
            ],
            [
                6,
                None,
                "覃丽",
                "女",
                "女",
                pid("2001-02-03", 44),
                "２００１．０２．０３",
                "二组",
                None,
            ],
            [None, "小计", None, None, None, None, None, None, "2人"],
            [None, "合计", None, None, None, None, None, None, "6人"],
        ],
    )
    book.save(path)
    return path


# --- 2. 育龄妇女花名册: one sheet per group, counts and methods under merged headings -----

WOMEN_TOP = [
    "序号",
    "姓名",
    "身份证号",
    "出生日期",
    "婚姻状况",
    "丈夫姓名",
    "现有子女数",
    None,
    "节育措施",
    None,
    "住址",
]
WOMEN_LOW = [None, None, None, None, None, None, "男", "女", "种类", "落实时间", None]


def women_roster(path: Path, *, broken: bool = True) -> Path:
    """东岗村育龄妇女花名册: a sheet per group.  With `broken`, two rows have what Excel
    and hurried typing do to a ledger: an ID number stored as a number, a date with no day."""
    book = Workbook()
    first = book.active
    first.title = "一组"
    groups = {
        "一组": [
            [
                1,
                "陆美华",
                pid("1985-03-02", 22),
                "1985.03.02",
                "已婚",
                "李强",
                1,
                1,
                "上环",
                "2012.4.1",
                "东岗村一组12号",
            ],
            [
                2,
                "李春燕",
                pid("1990-08-18", 24),
                "19900818",
                "已婚",
                "周勇",
                0,
                1,
                "放环",
                "2016-05-20",
                "东岗村一组15号",
            ],
            [
                3,
                "周晓红",
                pid("1992-12-01", 26),
                "1992年12月1日",
                "已婚",
                "王军",
                1,
                0,
                "IUD",
                None,
                "东岗村一组18号",
            ],
        ],
        "二组": [
            [
                1,
                "黄丽萍",
                pid("1979-06-30", 28),
                dt.datetime(1979, 6, 30),
                "已婚",
                "覃明",
                2,
                0,
                "结扎",
                "2008.10.08",
                "东岗村二组3号",
            ],
            [
                2,
                "梁艳",
                pid("1988-09-09", 62),
                "88-9-9",
                "已婚",
                "莫华",
                0,
                2,
                "皮埋",
                "2019.1.10",
                "东岗村二组7号",
            ],
            [
                3,
                "莫小燕",
                pid("1995-01-05", 64),
                34704,
                "未婚",
                None,
                0,
                0,
                "无",
                None,
                "东岗村二组9号",
            ],
            [
                4,
                "罗金凤",
                pid("1986-04-04", 66),
                "1986.04.04",
                "已婚",
                "罗明",
                1,
                1,
                "口服药",
                "2024.2.1",
                "东岗村二组11号",
            ],
            [
                5,
                "韦丽娟",
                pid("1991-07-07", 68),
                "1991.07.07",
                "已婚",
                "韦东",
                1,
                0,
                "避孕套",
                "2025.3.3",
                "东岗村二组20号",
            ],
        ],
    }
    if broken:
        groups["二组"].append(
            [
                6,
                "蓝秀芳",
                float(pid("1987-02-02", 82)),
                "1987.2.2",
                "已婚",
                None,
                0,
                0,
                "上环",
                "2015.3",
                "东岗村二组25号",
            ]
        )
        groups["二组"].append(
            [
                7,
                "潘玉梅",
                pid("1983-05-05", 84),
                "1983.5",
                "已婚",
                None,
                0,
                0,
                "女扎",
                "2010.6.6",
                "东岗村二组30号",
            ]
        )
    for name, rows in groups.items():
        sheet = first if name == "一组" else book.create_sheet(name)
        sheet.append([f"东岗村{name}育龄妇女花名册 2026年"])
        sheet.merge_cells("A1:K1")
        sheet.append(WOMEN_TOP)
        sheet.append(WOMEN_LOW)
        sheet.merge_cells("G2:H2")
        sheet.merge_cells("I2:J2")
        for col in "ABCDEFK":
            sheet.merge_cells(f"{col}2:{col}3")
        _rows(sheet, rows)
        sheet.append([None, "合计", None, None, None, None, "=SUM(G4:G9)", None])
    book.save(path)
    return path


# --- 3. GBK csv with household codes, sex as 1/2 ------------------------------------------

VILLAGE = "450102001201"


def household_code(group: int, seq: int) -> str:
    return f"{VILLAGE}{group:02d}{seq:04d}"


def gbk_csv(path: Path) -> Path:
    """A WPS export: household code column, sex 1/2, dates 19850302, written in GBK."""
    lines = [
        "户编码,姓名,性别,出生日期,身份证号,与户主关系,民族,联系电话",
        f"{household_code(3, 1)},蓝志强,1,19700101,{pid('1970-01-01', 91)},户主,壮族,13800138000",
        f"{household_code(3, 1)},韦桂芳,2,19720202,{pid('1972-02-02', 92)},配偶,壮,",
        f"{household_code(3, 1)},蓝天,1,19950303,{pid('1995-03-03', 93)},子,汉族,",
        ",,,,,,,",
        f"{household_code(3, 2)},黄福,1,19650505,{pid('1965-05-05', 95)},户主,汉族,",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


# --- 4. 门牌 column, Excel serial dates, no relationship column repeated ----------------


def house_number_ledger(path: Path) -> Path:
    """Households by 门牌号; dates as Excel serial numbers and as date cells; a heading
    repeated halfway down (printed pages); full-width digits in the ID number."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    heading = ["序号", "门牌号", "姓名", "性别", "出生日期", "身份证号", "与户主关系"]
    sheet.append(heading)
    wide = pid("1958-08-08", 71).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    _rows(
        sheet,
        [
            [1, "5", "覃老三", "男", 21405, wide, "户主"],
            [2, "5", "覃大妈", "女", 22000, pid("1960-03-25", 72), "配偶"],
            heading,
            [3, "8", "廖成", "男", dt.date(1990, 10, 10), pid("1990-10-10", 73), "户主"],
        ],
    )
    book.save(path)
    return path


# --- 5. 出生登记: births with children named and dated --------------------------------------


def births_ledger(path: Path) -> Path:
    """A women's ledger with her children: named and dated children become births; a
    child with no date, or no name, is kept as a note."""
    book = Workbook()
    sheet = book.active
    sheet.title = "出生登记"
    sheet.append(["东岗村出生登记台账"])
    sheet.append(
        [
            "序号",
            "姓名",
            "身份证号",
            "与户主关系",
            "婚姻状况",
            "一孩",
            None,
            None,
            "二孩",
            None,
            None,
        ]
    )
    sheet.append(
        [None, None, None, None, None, "姓名", "性别", "出生日期", "姓名", "性别", "出生日期"]
    )
    for col in "ABCDE":
        sheet.merge_cells(f"{col}2:{col}3")
    sheet.merge_cells("F2:H2")
    sheet.merge_cells("I2:K2")
    _rows(
        sheet,
        [
            [
                1,
                "杨春花",
                pid("1990-01-20", 102),
                "户主",
                "已婚",
                "杨乐",
                "男",
                "2015.6.1",
                None,
                "女",
                "2019",
            ],
            [
                2,
                "吴玉兰",
                pid("1993-03-13", 104),
                "户主",
                "已婚",
                None,
                "女",
                "2018.8.8",
                None,
                None,
                None,
            ],
        ],
    )
    book.save(path)
    return path


# --- bad input ----------------------------------------------------------------------------


def empty_sheet(path: Path) -> Path:
    book = Workbook()
    book.active.title = "空表"
    book.save(path)
    return path


def no_heading(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    _rows(sheet, [["东岗村会议记录"], ["2026年1月5日", "到会 12 人"], ["议题", "春耕"]])
    book.save(path)
    return path


def formulas_only(path: Path) -> Path:
    """Written by a program and never saved in Excel: formulas with no results kept."""
    book = Workbook()
    sheet = book.active
    for r in range(1, 8):
        sheet.append([f"=Sheet2!A{r}", f"=Sheet2!B{r}", f"=Sheet2!C{r}"])
    book.save(path)
    return path


def huge(path: Path, rows: int) -> Path:
    """An .xlsx of `rows` person rows, its XML written directly (openpyxl takes a minute
    for 200,000 rows); with its <dimension>, as Excel writes it."""
    cells = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>张三</t></is></c>'
        f'<c r="B{r}" t="inlineStr"><is><t>男</t></is></c></row>'
        for r in range(2, rows + 2)
    )
    heading = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>性别</t></is></c></row>'
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
            '="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName'
            '="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="全县" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}">'
            f'<dimension ref="A1:B{rows + 1}"/><sheetData>{heading}{cells}</sheetData></worksheet>'
        ),
    }
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def huge_csv(path: Path, rows: int) -> Path:
    """The same as a .csv: no size stated anywhere, so the rows are counted as read."""
    body = "姓名,性别\n" + "张三,男\n" * rows
    path.write_text(body, encoding="utf-8")
    return path
