"""Workbooks read back with openpyxl and compared cell by cell with the engine."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from fpdesk.core.periods import parse_period
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.store.db import Register, create_register
from tests.conftest import PASSPHRASE
from tests.reports import world
from tests.reports.indicators.test_source import Elsewhere
from tests.reports.world import TOWNSHIP, VILLAGE_A, VILLAGE_B, World

Y2019 = parse_period("2019")


@pytest.fixture
def town(tmp_path: Path) -> Iterator[World]:
    reg = create_register(
        tmp_path / "township.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP
    )
    try:
        yield world.build(reg)
    finally:
        reg.close()


def _saved(town: World, kind: str, tmp_path: Path, period: str = "2019") -> tuple[Path, str]:
    path = tmp_path / f"{kind}.xlsx"
    digest = excel.save(excel.build(town.register, parse_period(period), kind), path)
    return path, digest


def _rows(ws: Worksheet) -> dict[str, dict[str, Any]]:
    """Data rows keyed by the row's name cell, cells keyed by their column heading
    (group/heading, as printed)."""
    group_row = [c.value for c in ws[excel.HEAD_ROWS - 1]]
    head_row = [c.value for c in ws[excel.HEAD_ROWS]]
    keys, group = [], None
    for top, head in zip(group_row, head_row, strict=True):
        if top is not None:
            group = top if head is not None else None
        keys.append(f"{group}/{head}" if group and head else (top or head))
    return {str(row[1]): dict(zip(keys, row, strict=True)) for row in _data_rows(ws)}


def _data_rows(ws: Worksheet) -> list[tuple[Any, ...]]:
    """The rows of the form itself: from under the headings to the blank row above the
    signature block."""
    out = []
    for row in ws.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True):
        if row[0] is None:
            break
        out.append(row)
    return out


def _engine(reg: Register, code: str) -> ind.IndicatorReport:
    return ind.compute(reg, Y2019, [code])


def test_annual_forms_match_the_engine(town: World, tmp_path: Path) -> None:
    path, _ = _saved(town, "annual", tmp_path)
    wb = load_workbook(path)
    assert wb.sheetnames == [
        "人口和出生",
        "节育措施",
        "人口和出生（流入人口）",
        "节育措施（流入人口）",
    ]
    births = _rows(wb["人口和出生"])
    assert list(births) == ["甲村", "乙社区", "长塘镇 合计"]
    for name, code in (("甲村", VILLAGE_A), ("乙社区", VILLAGE_B), ("长塘镇 合计", TOWNSHIP)):
        engine = _engine(town.register, code)
        row = births[name]
        assert row["区划代码"] == code
        assert row["出生/合计"] == engine.result("births").numerator
        compliant = engine.result("policy_compliant_rate")
        assert row["出生孩次/一孩"] + row["出生孩次/二孩"] + row["出生孩次/三孩及以上"] == (
            compliant.denominator
        )
        assert row["期末人口/已婚育龄妇女"] == engine.result("contraceptive_rate").denominator
        assert row["比率/符合政策生育率"] == pytest.approx(compliant.value / 100)
    total = births["长塘镇 合计"]
    assert (total["出生/男"], total["出生/女"]) == (3, 3)
    # By order, with the in-policy subtotal beside each (read by position: the three
    # subtotal columns share one heading): 1st W5, W7; 2nd twin, W11; 3rd+ twin, W3.
    sheet = wb["人口和出生"]
    keys = [c.key for c in excel.POPULATION]
    last = list(_data_rows(sheet)[-1])
    by_key = dict(zip(keys, last, strict=True))
    orders = [
        by_key[k] for k in ("order1", "order1_in", "order2", "order2_in", "order3", "order3_in")
    ]
    assert orders == [2, 2, 2, 2, 2, 1]
    # 17 persons (children are birth rows here), less W5 (hukou moved out) and W14
    # (floating in: counted where registered, and on the floating-in sheet here).
    assert by_key["population"] == 17 - 2
    floating = _rows(wb["人口和出生（流入人口）"])
    assert floating["乙社区"]["期末人口/总人口"] == 1 and floating["甲村"]["期末人口/总人口"] == 0
    assert floating["乙社区"]["期末人口/已婚育龄妇女"] == 1  # W14
    assert floating["长塘镇 合计"]["出生/合计"] == 0
    # Women 15-49 on 2019-09-30 (W9 is 50, W5 left, W14 floats in): A W1 W2 W3 X W8
    # W10 W12 W13; B W6 W7 W11.
    assert births["长塘镇 合计"]["期末人口/育龄妇女"] == 11
    contraception = _rows(wb["节育措施"])
    for name, code in (("甲村", VILLAGE_A), ("乙社区", VILLAGE_B), ("长塘镇 合计", TOWNSHIP)):
        engine = _engine(town.register, code)
        row = contraception[name]
        assert row["期末节育措施/合计"] == engine.result("contraceptive_rate").numerator
        long_acting = sum(row[f"期末节育措施/{m}"] for m in ("男扎", "女扎", "上环", "皮埋"))
        assert long_acting == engine.result("long_acting_rate").numerator
        rate = engine.result("long_acting_rate").value
        assert row["比率/长效节育率"] == pytest.approx(rate / 100, abs=1e-6)
    # The husband's sterilisation sits in the wife's village, in the 男扎 column.
    assert contraception["甲村"]["期末节育措施/男扎"] == 1
    assert contraception["甲村"]["本期节育手术/男扎"] == 1


def test_births_entered_late_are_counted_as_late(town: World, tmp_path: Path) -> None:
    """补报出生: the world's births were all entered today (the change log's time), so
    in this month's form those born before the month count as entered late, and in
    2019's (entered years after it) none does."""
    reg = town.register
    month = dt.datetime.now(dt.UTC).strftime("%Y-%m")
    late = {p: excel.late_registered_births(reg, parse_period(p)) for p in (month, "2019")}
    assert sum(late[month].values()) > 0 and not late["2019"]
    path, _ = _saved(town, "annual", tmp_path, month)
    rows = _rows(load_workbook(path)["人口和出生"])
    total = next(row for name, row in rows.items() if name.endswith("合计"))
    assert total["补报出生"] == sum(late[month].values())
    per_village = {row["区划代码"]: row["补报出生"] for row in rows.values()}
    for village, count in late[month].items():
        assert per_village[village] == count


@pytest.mark.parametrize("kind", excel.KINDS)
def test_workbooks_read_only_through_the_source(town: World, kind: str) -> None:
    """One workbook code for a register and the district hub: built from a source that
    answers only IndicatorSource's reads, each workbook is the register's, byte for byte."""
    period = parse_period("2019")
    source = Elsewhere(ind.RegisterSource(town.register))
    through = excel.workbook_bytes(excel.build(source, period, kind))  # type: ignore[arg-type]
    assert through == excel.workbook_bytes(excel.build(town.register, period, kind))
    wanted = {"monthly": {"events"}, "annual": {"events", "members_on"}, "assessment": set()}
    assert {"area_names", "scope", "require_report", *wanted[kind]} <= set(source.asked)


def test_monthly_change_report(town: World, tmp_path: Path) -> None:
    path, _ = _saved(town, "monthly", tmp_path, "2019-06")
    rows = _rows(load_workbook(path)["月报告单"])
    # June 2019: W5 moved out (village A); W6's IUD follow-ups are visits, not events.
    assert rows["甲村"]["户籍迁移/迁出"] == 1 and rows["乙社区"]["户籍迁移/迁出"] == 0
    assert rows["长塘镇 合计"]["出生/合计"] == 0
    march = _rows(load_workbook(_saved(town, "monthly", tmp_path, "2019-03")[0])["月报告单"])
    assert march["甲村"]["出生/男"] == 1  # W3's son, 2019-03-10
    assert march["乙社区"]["户籍迁移/迁入"] == 1  # W6's hukou moved in 2019-03-01
    september = _rows(load_workbook(_saved(town, "monthly", tmp_path, "2019-09")[0])["月报告单"])
    assert september["甲村"]["出生/合计"] == 2  # the twins of 30 September
    october = _rows(load_workbook(_saved(town, "monthly", tmp_path, "2019-10")[0])["月报告单"])
    assert october["甲村"]["出生/合计"] == 1  # W2's child of 1 October


def test_assessment_sheet_pass_and_fail(town: World, tmp_path: Path) -> None:
    path, _ = _saved(town, "assessment", tmp_path)
    wb = load_workbook(path)
    ws = wb["指标考核"]
    group_row = [c.value for c in ws[excel.HEAD_ROWS - 1]]
    data = {row[1]: row for row in ws.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True)}
    for name, code in (("甲村", VILLAGE_A), ("乙社区", VILLAGE_B), ("长塘镇 合计", TOWNSHIP)):
        engine = _engine(town.register, code)
        for result in engine.results:
            col = group_row.index(result.label.zh)
            value, mark = data[name][col], data[name][col + 1]
            if result.value is None:
                assert value is None
            elif result.unit == "percent":
                assert value == pytest.approx(result.value / 100, abs=1e-6)
            else:
                assert value == pytest.approx(result.value)
            expected = {None: "—", True: "达标", False: "未达标"}[result.passed]
            assert mark == expected, (name, result.key)
    # Township level: 5 of 6 births compliant (83 %) is below the 93 % target.
    col = group_row.index("符合政策生育率")
    assert data["长塘镇 合计"][col + 1] == "未达标"
    # Self-governance is 1 of 1 rural village: the township meets 100 %.
    col = group_row.index("村民自治村比例")
    assert data["长塘镇 合计"][col + 1] == "达标"
    detail = wb["分子分母"]
    lines = [
        r
        for r in detail.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True)
        if r[1] == "长塘镇 合计" and r[2] == "术后随访率"
    ]
    assert [(r[3], r[4]) for r in lines] == [(4, 6)]


def test_layout_is_a_real_report(town: World, tmp_path: Path) -> None:
    path, _ = _saved(town, "annual", tmp_path)
    ws = load_workbook(path)["人口和出生"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A1:P1" in merged and "A2:P2" in merged  # title and subtitle
    assert "F3:H3" in merged  # 出生 over 合计/男/女
    assert "A3:A4" in merged  # an ungrouped heading spans both heading rows
    assert ws["A1"].value == "人口和出生情况统计表" and ws["A1"].font.bold
    assert ws.freeze_panes == "C5"
    assert ws.print_title_rows == "$1:$4"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.page_setup.orientation == "landscape"
    assert ws["E5"].border.left.style == "thin"
    assert ws["E5"].number_format == "#,##0"
    assert ws["O5"].number_format == "0.00%"
    assert "2018-10-01" in ws["A2"].value and "2019.1" in ws["A2"].value


def test_same_register_same_workbook(town: World, tmp_path: Path) -> None:
    for kind in excel.KINDS:
        first = excel.workbook_bytes(excel.build(town.register, Y2019, kind))
        second = excel.workbook_bytes(excel.build(town.register, Y2019, kind))
        assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest(), kind
    path, digest = _saved(town, "assessment", tmp_path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    props = load_workbook(path).properties
    assert props.created.date() == Y2019.end and props.creator == "fpdesk"
    # openpyxl stamps "modified" with the clock when saving; the file must not carry it.
    assert props.modified == props.created


def test_unknown_kind_is_refused(town: World) -> None:
    with pytest.raises(ValueError, match="monthly"):
        excel.build(town.register, Y2019, "weekly")


@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")),
    reason="LibreOffice is not installed",
)
def test_libreoffice_opens_the_workbook(town: World, tmp_path: Path) -> None:
    path, _ = _saved(town, "assessment", tmp_path)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    pdf = tmp_path / "assessment.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
