"""Cells as the register keeps them, or refused with the reason; nothing guessed."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core import idnumber
from fpdesk.ledgers import normalise
from fpdesk.ledgers.normalise import Unreadable
from tests.ledgers.build import old15, pid


@pytest.mark.parametrize(
    "written",
    ["1985.03.02", "1985.3.2", "19850302", "1985年3月2日", "85-3-2", "1985/3/2", "1985-03-02",
     "１９８５．０３．０２", 31108, 31108.0, dt.datetime(1985, 3, 2), dt.date(1985, 3, 2)],
)  # fmt: skip
def test_dates_as_officers_write_them(written: object) -> None:
    assert normalise.date(written) == "1985-03-02"


@pytest.mark.parametrize("written", ["1985.3", "1985年3月", "198503", 1985.3])
def test_a_date_without_its_day_is_refused_not_guessed(written: object) -> None:
    with pytest.raises(Unreadable) as caught:
        normalise.date(written)
    assert "没有日" in caught.value.text.zh


def test_not_a_date() -> None:
    with pytest.raises(Unreadable):
        normalise.date("不详")


def test_id_number_with_spaces_and_apostrophe() -> None:
    number = pid("1982-03-02", 22)
    assert normalise.id_number(f" '{number[:6]} {number[6:]} ") == (number, None)
    assert normalise.id_number(number.lower()) == (number, None)


def test_fifteen_digit_number_upgraded_with_check_digit() -> None:
    old = old15("1960-11-20", 15)
    new, kept = normalise.id_number(old)
    assert kept == old and new == pid("1960-11-20", 15)
    assert idnumber.is_valid(new)
    assert normalise.id_number(int(old)) == (new, old)  # typed as a number: 15 digits survive


@pytest.mark.parametrize("written", [4.50102198503022e17, 450102198503022000.0, "4.50102E+17"])
def test_id_number_excel_turned_into_a_number_is_refused(written: object) -> None:
    with pytest.raises(Unreadable) as caught:
        normalise.id_number(written)
    assert "后几位已经丢失" in caught.value.text.zh
    assert "4.50102E+17" in caught.value.text.zh


def test_id_number_miscopied() -> None:
    number = pid("1982-03-02", 22)
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(Unreadable) as caught:
        normalise.id_number(wrong)
    assert "校验位" in caught.value.text.zh


@pytest.mark.parametrize(
    ("written", "code"),
    [("上环", "iud"), ("放环", "iud"), ("IUD", "iud"), ("结扎", "female_sterilisation"),
     ("女扎", "female_sterilisation"), ("男扎", "male_sterilisation"), ("皮埋", "implant"),
     ("口服药", "pill"), ("避孕套", "condom"), ("无", "none"), ("已上环", "iud")],
)  # fmt: skip
def test_methods(written: str, code: str) -> None:
    assert normalise.coded("method", normalise.METHODS, written) == code


def test_unknown_method_is_named() -> None:
    with pytest.raises(Unreadable) as caught:
        normalise.coded("method", normalise.METHODS, "土办法")
    assert "土办法" in caught.value.text.zh and "节育措施" in caught.value.text.zh


@pytest.mark.parametrize(("written", "code"), [("男", 1), ("女", 2), (1, 1), ("2", 2), (2.0, 2)])
def test_sex(written: object, code: int) -> None:
    assert normalise.coded("sex", normalise.SEX, written) == code


@pytest.mark.parametrize(
    ("written", "number"),
    [("一组", 1), ("03", 3), ("第三村民小组", 3), ("十二组", 12), ("二十组", 20)],
)
def test_group_numbers(written: str, number: int) -> None:
    assert normalise.group_number(written) == number


def test_ethnicity_by_name_with_or_without_zu() -> None:
    assert normalise.ethnicity("壮族") == normalise.ethnicity("壮") == "08"


def test_household_code_excel_turned_into_a_number_is_refused() -> None:
    assert normalise.household_code("450102001201030001") == "450102001201030001"
    assert normalise.household_code(12) == "12"
    with pytest.raises(Unreadable) as caught:
        normalise.household_code(4.50102001201030e17)
    assert "户编码" in caught.value.text.zh


def test_names_lined_up_with_spaces() -> None:
    assert normalise.name("王  芳") == "王芳"
    assert normalise.name(" 陆 美华 ") == "陆美华"
    assert normalise.name("Maria José") == "Maria José"
    assert normalise.name(None) is None
