"""`fpdesk hub report` (issue 17 items 2 and 3): the register's workbook code over the
hub's records.  A demo register loaded into a real PostgreSQL hub gives, for its
township, an annual workbook whose every cell equals the register's own annual
workbook; the assessment lists every township of the district, each judged as the
indicator engine judges it; bad input is a plain message and writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from openpyxl import load_workbook

from fpdesk.cli import main
from fpdesk.core.periods import parse_period
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.store.db import Register
from tests.hub import test_indicators_equal as equal

# The equality test's demo register (30,000 persons, seed 11: its villages lie in three
# townships of the county), loaded into a fresh hub for each test.
demo_path, township, loaded = equal.demo_path, equal.township, equal.loaded
PERIOD = "2025"


@pytest.fixture
def hub(loaded: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    """The loaded hub, committed: the command reads it over a connection of its own."""
    loaded.commit()
    return loaded


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", "en", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, row by row, as read back from the file."""
    book = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def both(
    capsys: pytest.CaptureFixture[str],
    township: Register,
    hub_url: str,
    folder: Path,
    kind: str,
    label: str,
    *,
    lists: bool = False,
) -> tuple[dict[str, list[tuple[Any, ...]]], dict[str, list[tuple[Any, ...]]], str]:
    """(the register's workbook, the hub's for the township, what the command said):
    the register's as `report` makes it (excel.export: the workbook, then with lists the
    名单 of the area's numbers), the hub's by `hub report --township`."""
    period = parse_period(label)
    mine, theirs = folder / "register.xlsx", folder / "hub.xlsx"
    workbook = excel.build(township, period, kind)
    if lists:
        excel.add_member_lists(workbook, township, ind.compute(township, period))
    excel.save(workbook, mine)
    status, out, err = run(
        capsys, "hub", "report", "--kind", kind, "--period", label,
        *(["--with-lists"] if lists else []),
        "--township", township.area_code, "--out", str(theirs), "--url", hub_url,
    )  # fmt: skip
    assert status == 0, err
    return cells(mine), cells(theirs), out


def test_the_hubs_annual_workbook_is_the_registers(
    hub: psycopg.Connection[Any],
    township: Register,
    hub_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected, got, out = both(capsys, township, hub_url, tmp_path, "annual", PERIOD)
    assert "Wrote" in out
    assert list(got) == ["人口和出生", "节育措施", "人口和出生（流入人口）", "节育措施（流入人口）"]
    assert got == expected
    # Numbers, not an empty form equal to an empty form: the total row counts people.
    first = expected["人口和出生"]
    total = next(row for row in first if row[1] and str(row[1]).endswith("合计"))
    assert total[2] > 1000 and total[5] > 0  # population, births
    operations = [n for n, c in enumerate(excel.CONTRACEPTION) if c.key.startswith("op_")]
    done = next(row for row in expected["节育措施"] if row[1] and str(row[1]).endswith("合计"))
    assert sum(done[n] for n in operations) > 0  # the period's operations (the events read)


def test_the_hubs_name_lists_are_the_registers(
    hub: psycopg.Connection[Any],
    township: Register,
    hub_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`hub report --with-lists`: a 名单 sheet per indicator, the persons' names read
    at the hub (the person table is replicated), as the register's `report --with-lists`
    writes them."""
    period = parse_period(PERIOD)
    expected, got, _ = both(capsys, township, hub_url, tmp_path, "annual", PERIOD, lists=True)
    lists = [name for name in expected if name.startswith("名单-")]
    assert len(lists) == len(ind.compute(township, period).results)
    assert got == expected
    # Names, not empty sheets equal to empty sheets: the births' list has a line per
    # birth counted, each with the mother's name and her household.
    births = ind.compute(township, period).result("births")
    sheet = expected[f"名单-{births.label.zh}"[:31]]
    heading = next(n for n, row in enumerate(sheet) if row[0] == "序号")
    lines = [row for row in sheet[heading + 1 :] if row[0]]
    assert births.numerator > 50 and len(lines) == births.numerator
    assert all(row[2] and row[5] for row in lines)  # a name, a household code


@pytest.mark.parametrize("month", ["2025-10", "2026-03"])
def test_the_hubs_monthly_change_report_is_the_registers(
    hub: psycopg.Connection[Any],
    township: Register,
    hub_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    month: str,
) -> None:
    expected, got, _ = both(capsys, township, hub_url, tmp_path, "monthly", month)
    assert list(got) == ["月报告单", "月报告单（流入人口）"]
    assert got == expected
    # The month's events were counted: births, and events of the change report's
    # kinds read through the source (deaths, moves, marriages, operations...).
    sheet = expected["月报告单"]
    total = next(row for row in sheet if row[1] and str(row[1]).endswith("合计"))
    columns = [c.key for c in excel.MONTHLY]
    assert total[columns.index("births")] > 0
    events = [n for n, key in enumerate(columns) if key not in ("code", "name")][3:]
    assert sum(total[n] or 0 for n in events) > 0


def test_the_assessment_judges_every_township(
    hub: psycopg.Connection[Any],
    hub_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "assessment.xlsx"
    status, _, err = run(
        capsys, "hub", "report", "--kind", "assessment", "--period", PERIOD,
        "--out", str(out), "--url", hub_url,
    )  # fmt: skip
    assert status == 0, err
    district = HubSource(hub)
    period = parse_period(PERIOD)
    townships = ind.breakdown(district, period, "township")
    assert len(townships) == 3
    expected = [(r.areas[0], ind.compute(district, period, list(r.areas))) for r in townships] + [
        (district.scope(), ind.compute(district, period))
    ]
    hub.rollback()
    sheet = load_workbook(out)["指标考核"]
    headings = [c.value for c in sheet[excel.HEAD_ROWS - 1]]
    rows = list(sheet.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True))
    rows = [row for row in rows if row[0]]  # the signature line has no code
    assert [row[0] for row in rows] == [code for code, _ in expected]
    assert str(rows[-1][1]).endswith("合计")
    assert sheet.cell(row=excel.HEAD_ROWS - 1, column=2).value == "乡镇名称"
    marks = set()
    for row, (code, report) in zip(rows, expected, strict=True):
        for result in report.results:
            at = headings.index(result.label.zh)  # the value, then its mark
            mark = row[at + 1]
            assert mark == excel._mark(result.passed), (code, result.key)
            if result.unit == "count" and result.value is not None:
                assert row[at] == int(result.value), (code, result.key)
            marks.add(mark)
    assert {excel.PASS, excel.FAIL} <= marks  # some pass, some fail: a real judgement


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_period_that_does_not_parse(
    hub_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str
) -> None:
    out = tmp_path / "x.xlsx"
    status = main(
        ["--lang", lang, "hub", "report", "--kind", "annual", "--period", "2025-13",
         "--out", str(out), "--url", hub_url]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert status == 2
    assert "Traceback" not in err and "2025-13" in err
    assert not out.exists()


def test_an_output_that_cannot_be_written(
    hub: psycopg.Connection[Any],
    hub_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    missing = tmp_path / "no-such-folder" / "x.xlsx"
    status, _, err = run(
        capsys, "hub", "report", "--kind", "annual", "--period", PERIOD,
        "--out", str(missing), "--url", hub_url,
    )  # fmt: skip
    assert status == 1
    assert "does not exist" in err and "Traceback" not in err
    taken = tmp_path / "taken.xlsx"
    taken.mkdir()  # a folder where the file should go
    status, _, err = run(
        capsys, "hub", "report", "--kind", "assessment", "--period", PERIOD,
        "--out", str(taken), "--url", hub_url,
    )  # fmt: skip
    assert status == 1
    assert "Cannot write" in err and "nothing changed at the hub" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.xlsx"]  # no partial file
    status, _, err = run(
        capsys, "hub", "report", "--kind", "annual", "--period", PERIOD,
        "--out", str(tmp_path / "x.pdf"), "--url", hub_url,
    )  # fmt: skip
    assert status == 2 and ".xlsx" in err
