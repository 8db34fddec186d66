"""Woman of childbearing age cards read back: who gets one, what it shows."""

from __future__ import annotations

from pathlib import Path

from fpdesk.reports.pdf.cards import print_cards
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.store.db import Register
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import LONG_NAME, Village, flat, pdf_text


def test_one_card_per_woman_15_to_49(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    # The registered women's cards: 李秀英.  The woman floating in from Xinjiang
    # (registered there) has her card in the floating-in set, not in this count.
    result = print_cards(register, VILLAGE, tmp_path / "cards.pdf", options=options)
    pages = [flat(p) for p in pdf_text(result.path).split("\f")[:-1]]
    assert result.items == 1
    assert "李秀英" in pages[0]
    text = "".join(pages)
    assert "张妹" not in text and LONG_NAME not in text  # 14 years old; floating in
    assert "黄建国" in text  # as the husband on her card
    assert "本次共打印1张卡" in text
    floating = print_cards(
        register, VILLAGE, tmp_path / "floating.pdf", options=options, basis="floating_in"
    )
    assert floating.items == 1 and LONG_NAME in flat(pdf_text(floating.path))


def test_the_card_carries_the_whole_id_numbers(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_cards(register, VILLAGE, tmp_path / "cards.pdf", woman_ids=[village.wife],
                         options=options)
    text = flat(pdf_text(result.path))
    assert result.items == 1
    assert village.wife_id_number in text
    assert village.husband_id_number in text


def test_children_with_birth_order_contraception_pregnancy_and_checks(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_cards(register, VILLAGE, tmp_path / "cards.pdf", woman_ids=[village.wife],
                         options=options)
    text = flat(pdf_text(result.path))
    assert "1男2020-02-02是亲生3400g" in text  # the son, first child
    assert "2黄小花女2026-11-03是亲生3200g" in text  # the daughter born this month
    assert "宫内节育器（上环）2021-01-05乡镇卫生院2026-02-20" in text
    assert "2026-03-10" in text and "活产" in text
    assert "妇科检查正常王干部" in text
    assert "初婚日期2018-05-01" in text
    assert "2009-06-15年满15周岁" in text and "2044-06-15年满50周岁" in text


def test_a_woman_who_floated_in_says_so(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    result = print_cards(
        register, VILLAGE, tmp_path / "cards.pdf", options=options, basis="floating_in"
    )
    page = flat(pdf_text(result.path).split("\f")[0])
    assert "2026-11-10流入" in page
    assert "艾力" in page  # a husband from outside the register
    assert "皮下埋植2026-11-12县妇幼保健院" in page


def test_birth_order_counts_the_husbands_earlier_children(
    register: Register, village: Village, tmp_path: Path, options: PrintOptions
) -> None:
    """孩次 is the couple's: his child from an earlier marriage comes first."""
    from fpdesk.store import records

    household = register.query("SELECT household_id FROM person WHERE id = ?",
                               (village.husband,))[0]["household_id"]
    first_wife = records.insert(register, "person", {
        "household_id": household, "name": "前妻", "sex": 2, "birth_date": "1991-01-01",
        "residence_status": "out"})
    records.insert(register, "birth", {
        "mother_id": first_wife, "father_id": village.husband, "birth_date": "2015-04-04",
        "sex": 1})
    result = print_cards(register, VILLAGE, tmp_path / "cards.pdf", woman_ids=[village.wife],
                         options=options)
    text = flat(pdf_text(result.path))
    assert "2男2020-02-02" in text
    assert "3黄小花女2026-11-03" in text
