"""Forms fit for filing: every workbook's print setup and signature block, read back
from the saved .xlsx, and the 名单 sheets of `report --with-lists`."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fpdesk.cli import main
from fpdesk.core.periods import parse_period
from fpdesk.reports import excel
from fpdesk.store.db import create_register
from tests.conftest import PASSPHRASE
from tests.reports import world
from tests.reports.world import TOWNSHIP

SIGNATURES = ("单位负责人", "统计负责人", "填表人", "报出日期")
# Landscape paper width less 0.4" margins each side, in pixels at 96 dpi.
ROOM = {"9": (11.69 - 0.8) * 96, "8": (16.54 - 0.8) * 96}  # A4, A3
FORMS = {
    "monthly": ["月报告单"],
    "annual": ["人口和出生", "节育措施"],
    "assessment": ["指标考核", "分子分母"],
}


@pytest.fixture
def db(tmp_path: Path, passphrase_env: str) -> Iterator[str]:
    path = tmp_path / "township.fpdesk"
    reg = create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP)
    world.build(reg)
    reg.close()
    yield str(path)


def _report(db: str, kind: str, out: Path, *extra: str) -> Any:
    argv = ["report", "--db", db, "--period", "2019", "--kind", kind, "--out", str(out)]
    assert main([*argv, *extra]) == 0
    return load_workbook(out)


def _printed_width(ws: Worksheet, first: int, last: int) -> float:
    """Pixels columns first..last take at 100 %: Excel's 7 px a character plus padding."""
    return sum(
        int((ws.column_dimensions[get_column_letter(c)].width or 8.43) * 7 + 5)
        for c in range(first, last + 1)
    )


def _smallest_font(ws: Worksheet) -> float:
    return min(
        float(cell.font.sz)
        for row in ws.iter_rows()
        for cell in row
        if cell.value is not None and cell.font is not None and cell.font.sz
    )


def _printed_scale(ws: Worksheet) -> float:
    """How much the printout shrinks the sheet, worked out from what the file says."""
    room = ROOM[str(ws.page_setup.paperSize)]
    if ws.sheet_properties.pageSetUpPr.fitToPage:
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        return min(1.0, room / _printed_width(ws, 1, ws.max_column))
    # Split across pages at full size: each page's columns, with the repeated area
    # columns, must fit on it.
    assert ws.print_title_cols == "$A:$B"
    repeated = _printed_width(ws, 1, 2)
    edges = [2, *(b.id for b in ws.col_breaks.brk), ws.max_column]
    for start, end in itertools.pairwise(edges):
        assert repeated + _printed_width(ws, start + 1, end) <= room
    return (ws.page_setup.scale or 100) / 100


@pytest.mark.parametrize("kind", excel.KINDS)
def test_every_form_prints_for_filing(db: str, tmp_path: Path, kind: str) -> None:
    wb = _report(db, kind, tmp_path / f"{kind}.xlsx")
    for name in FORMS[kind]:
        ws = wb[name]
        setup = ws.page_setup
        assert setup.orientation == "landscape", name
        assert str(setup.paperSize) in ROOM, name
        # Nothing under 8 pt on paper.
        assert _smallest_font(ws) * _printed_scale(ws) >= 8, name
        # The column headings repeat on every page.
        assert ws.print_title_rows is not None and f"${excel.HEAD_ROWS}" in ws.print_title_rows
        # Unit, period and page in the header and footer.
        header = " ".join(
            str(part.text or "")
            for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right)
        )
        assert "长塘镇（450102001000）" in header and "2018-10-01 至 2019-09-30" in header
        assert "&P" in str(ws.oddFooter.center.text) and "&N" in str(ws.oddFooter.center.text)
        # The signature block, under the form (below its last data row).
        found = {
            label: cell.row
            for row in ws.iter_rows()
            for cell in row
            for label in SIGNATURES
            if isinstance(cell.value, str) and cell.value.startswith(label)
        }
        assert set(found) == set(SIGNATURES), name
        assert len(set(found.values())) == 1, name
        last_data = max(
            r
            for r in range(excel.HEAD_ROWS + 1, ws.max_row + 1)
            if ws.cell(r, 3).value is not None
            and not str(ws.cell(r, 3).value).startswith(SIGNATURES)
        )
        assert next(iter(found.values())) > last_data, name


def test_the_assessment_sheet_is_split_not_squeezed(db: str, tmp_path: Path) -> None:
    ws = _report(db, "assessment", tmp_path / "a.xlsx")["指标考核"]
    assert ws.max_column == 32
    assert str(ws.page_setup.paperSize) == "8"  # A3
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 100
    breaks = [b.id for b in ws.col_breaks.brk]
    assert breaks
    for after in breaks:
        # An indicator's value and its pass mark stay on one page.
        assert ws.cell(row=excel.HEAD_ROWS, column=after).value == "达标"
        assert str(ws.cell(row=1, column=after + 1).value).endswith("（续）")


def test_report_with_lists_adds_a_list_per_indicator(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = _report(db, "annual", tmp_path / "annual.xlsx", "--with-lists")
    capsys.readouterr()
    assert main(["indicators", "--db", db, "--period", "2019", "--json"]) == 0
    (report,) = json.loads(capsys.readouterr().out)["reports"]
    lists = [name for name in wb.sheetnames if name.startswith("名单-")]
    assert len(lists) == len(report["results"])
    parts: dict[str, Counter[str]] = {}
    for result in report["results"]:
        ws = wb[f"名单-{result['label']}"]
        heads = [c.value for c in ws[excel.HEAD_ROWS - 1]]
        rows = [
            dict(zip(heads, row, strict=True))
            for row in ws.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True)
            if row[0] is not None
        ]
        parts[result["key"]] = Counter(row["计入"] for row in rows)
        assert parts[result["key"]]["分子"] == result["numerator"], result["key"]
        assert parts[result["key"]]["分母"] == (result["denominator"] or 0), result["key"]
        assert ws.page_setup.orientation == "landscape"
    # Counted a second, plain way: the annual form's married women (facts, not lists),
    # and the births of world.py counted by hand, mother by mother.
    form = wb["人口和出生"]
    total = next(
        row
        for row in form.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True)
        if row[1] == "长塘镇 合计"
    )
    married = total[[c.key for c in excel.POPULATION].index("married_women")]
    assert parts["contraceptive_rate"]["分母"] == married
    births = wb["名单-出生人数"]
    mothers = Counter(
        row[2] for row in births.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True) if row[0]
    )
    assert mothers == Counter({"W1": 2, "W3": 1, "W5": 1, "W7": 1, "W11": 1})


def test_without_lists_the_workbook_is_unchanged(db: str, tmp_path: Path) -> None:
    wb = _report(db, "assessment", tmp_path / "plain.xlsx")
    assert wb.sheetnames == ["指标考核", "分子分母"]
    assert parse_period("2019").label == "2019"
