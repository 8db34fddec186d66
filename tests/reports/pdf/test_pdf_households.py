"""The household register read back and compared with the register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdesk.core.idnumber import mask_id_number
from fpdesk.reports.pdf.households import print_households
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import LONG_ADDRESS, LONG_NAME, Village, flat, pdf_text


def test_every_household_and_member_is_printed_with_ids_masked(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_households(register, VILLAGE, tmp_path / "h.pdf", options=options)
    text = flat(pdf_text(result.path))
    assert result.items == village.households
    for household in register.query("SELECT code FROM household"):
        assert household["code"] in text
    for person in register.query("SELECT name, id_number FROM person"):
        assert person["name"] in text
        assert mask_id_number(person["id_number"]) in text
        assert person["id_number"] not in text  # lists never show the whole number


def test_long_names_and_addresses_are_printed_whole(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_households(register, VILLAGE, tmp_path / "h.pdf", options=options)
    text = flat(pdf_text(result.path))
    assert LONG_ADDRESS in text
    assert LONG_NAME in text


def test_one_household_per_page_and_the_totals_at_the_end(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_households(register, VILLAGE, tmp_path / "h.pdf", options=options)
    pages = [flat(p) for p in pdf_text(result.path).split("\f")[:-1]]
    assert result.pages == len(pages)
    assert f"{VILLAGE}010001" in pages[0] and f"{VILLAGE}020001" not in pages[0]
    assert f"{VILLAGE}020001" in pages[1]
    last = pages[-1]
    assert "合计" in last
    # 6 persons: 张老汉 died on 5 November, the long-named woman floats in from
    # Xinjiang (registered there), so the registered population is 4 (黄建国, 李秀英,
    # 黄小花, 张妹); resident 5 (those 4 and her).  Women 15-49 registered: 李秀英,
    # married too; born this statistical year: 黄小花.
    assert "户数2" in last and "户籍人口4" in last and "男1女3" in last
    assert "育龄妇女（15-49岁）1" in last and "已婚育龄妇女（15-49岁）1" in last
    assert "出生（2026-10-01至2026-11-28）1" in last
    assert "流入人口1" in last and "常住人口5" in last and "已死亡（仍在册）1" in last


def test_recent_events_are_those_of_the_household_in_the_last_year(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_households(register, VILLAGE, tmp_path / "h.pdf", options=options)
    pages = [flat(p) for p in pdf_text(result.path).split("\f")[:-1]]
    assert "出生（女，黄小花）" in pages[0]
    assert "流入（新疆喀什）" not in pages[0]
    assert "流入（新疆喀什）" in pages[1]
    assert "死亡" in pages[1]
    # The 2021 IUD insertion is older than a year: not among the recent events.
    assert "2021-01-05" not in pages[0]


def test_as_of_an_earlier_day_leaves_out_later_events(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_households(register, VILLAGE, tmp_path / "h.pdf", on=dt.date(2026, 10, 31),
                              options=options)
    text = flat(pdf_text(result.path))
    assert "截至2026-10-31" in text
    assert "出生（女，黄小花）" not in text


def test_compact_form_and_deleted_households_left_out(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    records.delete(register, "household", village.long_household)
    result = print_households(register, VILLAGE, tmp_path / "c.pdf", per_page=False,
                              options=options)
    text = flat(pdf_text(result.path))
    assert result.items == 1 and result.pages == 1
    assert f"{VILLAGE}020001" not in text
    assert "户数1" in text


def test_english_printout(
    register: Register, village: Village, tmp_path: Path
) -> None:
    options = PrintOptions(language="en")
    result = print_households(register, VILLAGE, tmp_path / "en.pdf", options=options)
    text = pdf_text(result.path)
    assert "Household register" in text and "Totals" in text and "Page 1 of" in text
