"""The visit round sheet: due and overdue visits in walking order, boxes to tick."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.core.idnumber import mask_id_number
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.reports.pdf.rounds import print_rounds, round_lines
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import LONG_NAME, TODAY, Village, due_visits, flat, pdf_text


def test_lines_come_in_walking_order_group_by_group(
    register: Register, village: Village
) -> None:
    lines = round_lines(register, due_visits(register), TODAY)
    assert [line.group_no for line in lines] == sorted(line.group_no for line in lines)
    assert [line.name for line in lines] == ["李秀英", "李秀英", LONG_NAME]
    assert lines[0].visit_type == "gyn_exam" and lines[0].overdue_days == 20


def test_the_sheet_shows_who_what_when_and_counts_the_overdue(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_rounds(register, VILLAGE, tmp_path / "r.pdf", due=due_visits(register),
                          options=options)
    text = flat(pdf_text(result.path))
    assert result.items == 3
    assert text.index("第01组（2项）") < text.index("第02组（1项）")
    assert "李秀英32妇科检查2026-11-0820" in text
    assert "产后访视2026-11-28" in text
    assert "应访合计3" in text and "其中逾期2" in text
    assert "随访人" in text
    # Carried around the village: no ID number at all, whole or masked.
    for person in register.query("SELECT id_number FROM person"):
        assert mask_id_number(person["id_number"]) not in text
        assert person["id_number"] not in text


def test_nothing_due(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_rounds(register, VILLAGE, tmp_path / "r.pdf", due=[], options=options)
    assert result.items == 0
    assert "今天没有应访的服务" in flat(pdf_text(result.path))


def test_from_the_registers_own_due_list(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    due = pytest.importorskip("fpdesk.store.due")
    on = dt.date(2026, 12, 20)
    expected = due.due_list(register, on=on, village_code=VILLAGE)
    result = print_rounds(register, VILLAGE, tmp_path / "r.pdf", on=on, options=options)
    assert result.items == len(expected)
    assert "2026-12-20应访及逾期" in flat(pdf_text(result.path))
