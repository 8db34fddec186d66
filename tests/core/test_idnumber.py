"""GB 11643 ID numbers: the two valid examples of domain.md and altered copies."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core import idnumber

VALID = ("11010519491231002X", "440524188001010014")


@pytest.mark.parametrize("number", VALID)
def test_the_domain_examples_are_valid(number: str) -> None:
    assert idnumber.is_valid(number)


def test_facts_read_from_the_numbers() -> None:
    woman = idnumber.parse("11010519491231002X")
    assert (woman.address_code, woman.birth_date, woman.sex) == (
        "110105", dt.date(1949, 12, 31), idnumber.FEMALE)
    man = idnumber.parse("440524188001010014")
    assert (man.birth_date, man.sex) == (dt.date(1880, 1, 1), idnumber.MALE)


@pytest.mark.parametrize("number", VALID)
def test_every_single_digit_change_is_caught(number: str) -> None:
    for position in range(17):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            altered = number[:position] + digit + number[position + 1:]
            with pytest.raises(idnumber.IdNumberError) as caught:
                idnumber.parse(altered)
            assert caught.value.code in ("id.checksum", "id.date")


def test_a_wrong_check_character_is_a_checksum_error() -> None:
    with pytest.raises(idnumber.IdNumberError, match=r"id\.checksum"):
        idnumber.parse("110105194912310021")


@pytest.mark.parametrize("number", VALID)
def test_swapped_neighbours_are_caught(number: str) -> None:
    swaps = 0
    for i in range(16):
        if number[i] == number[i + 1]:
            continue
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
        assert not idnumber.is_valid(swapped), swapped
        swaps += 1
    assert swaps >= 8


@pytest.mark.parametrize(
    ("text", "code"),
    [("12345", "id.shape"), ("11010519491231002Y", "id.shape"),
     ("110105491231002", "id.legacy15"), ("110105194902300028", "id.date")],
)
def test_malformed_numbers_name_their_problem(text: str, code: str) -> None:
    with pytest.raises(idnumber.IdNumberError) as caught:
        idnumber.parse(text)
    assert caught.value.code == code


def test_typed_forms_are_normalised() -> None:
    assert idnumber.normalise(" 110105 19491231 002x ") == VALID[0]
    assert idnumber.is_valid("１１０１０５１９４９１２３１００２ｘ")


def test_made_numbers_are_valid_and_carry_their_facts() -> None:
    number = idnumber.make("450102", dt.date(1990, 2, 28), 123)
    facts = idnumber.parse(number)
    assert facts.birth_date == dt.date(1990, 2, 28)
    assert facts.sex == idnumber.MALE
    assert idnumber.parse(idnumber.make("450102", dt.date(1990, 2, 28), 124)).sex == 2
