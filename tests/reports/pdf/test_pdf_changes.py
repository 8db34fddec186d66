"""The monthly change list read back against the register's events."""

from __future__ import annotations

from pathlib import Path

from fpdesk.core.idnumber import mask_id_number
from fpdesk.core.periods import month_period, parse_period
from fpdesk.reports.pdf.changes import print_changes
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import Village, flat, pdf_text


def test_the_month_lists_each_change_under_its_kind(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_changes(register, VILLAGE, tmp_path / "c.pdf", period=month_period(2026, 11),
                           options=options)
    text = flat(pdf_text(result.path))
    # Birth, death, floating in, pregnancy outcome, implant: five changes in November.
    assert result.items == 5
    assert "2026-11-01至2026-11-30" in text
    for heading in ("出生（1）", "死亡（1）", "流入（1）", "妊娠结局（1）", "节育手术（1）"):
        assert heading in text
    assert "结婚（" not in text  # married in 2018, not this month
    assert "出生（女，黄小花）" in text
    assert "节育手术（皮下埋植，县妇幼保健院）" in text
    assert "变动合计5" in text and "出生1" in text and "迁出0" in text


def test_lists_mask_the_id_numbers(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_changes(register, VILLAGE, tmp_path / "c.pdf", period=month_period(2026, 11),
                           options=options)
    text = flat(pdf_text(result.path))
    assert mask_id_number(village.wife_id_number) in text
    assert village.wife_id_number not in text


def test_a_longer_period_and_an_empty_one(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    year = print_changes(register, VILLAGE, tmp_path / "y.pdf",
                         period=parse_period("2026-01-01..2026-11-30"), options=options)
    text = flat(pdf_text(year.path))
    # Also the IUD removal (February), the pregnancy (March) and the certificate.
    assert year.items == 8
    assert "取环（计划怀孕）" in text
    assert "发证（生育服务登记，GX2026-0001）" in text
    empty = print_changes(register, VILLAGE, tmp_path / "e.pdf", period=month_period(2025, 1),
                          options=options)
    assert empty.items == 0
    assert "本期没有变动" in flat(pdf_text(empty.path))
