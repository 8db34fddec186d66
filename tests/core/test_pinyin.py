"""Pinyin keys of names, and masked ID numbers, as the search box uses them."""

from __future__ import annotations

import pytest

from fpdesk.core import pinyin
from fpdesk.core.idnumber import mask_id_number


def test_name_keys_of_a_common_name() -> None:
    keys = pinyin.name_keys("张三丰")
    assert keys == pinyin.NameKeys(full="zhangsanfeng", given="sanfeng", initials="zsf")


def test_tones_dropped_and_u_umlaut_typed_as_v() -> None:
    assert pinyin.name_keys("吕女").full == "lvnv"
    assert pinyin.plain("lǚ") == "lv"
    assert pinyin.plain("zhāng") == "zhang"


@pytest.mark.parametrize(
    ("name", "full"),
    [("单丽", "shanli"), ("曾国藩", "zengguofan"), ("解放", "xiefang"), ("仇英", "qiuying")],
)
def test_surname_reading_wins_at_the_start_of_a_name(name: str, full: str) -> None:
    assert pinyin.name_keys(name).full == full


def test_surname_reading_only_at_the_start() -> None:
    # 单 inside a given name keeps its common reading.
    assert pinyin.name_keys("王单").full == "wangdan"


def test_separators_and_digits_have_no_reading() -> None:
    keys = pinyin.name_keys("买买提·艾力")
    assert keys.full == "maimaitiaili"
    assert keys.initials == "mmtal"


def test_latin_letters_read_as_themselves() -> None:
    assert pinyin.name_keys("Anna").full == "anna"


def test_reading_table_agrees_with_reading() -> None:
    table = {char: (general, surname) for char, general, surname in pinyin.reading_table()}
    assert table["张"] == ("zhang", "zhang")
    assert table["单"] == ("dan", "shan")
    assert table["A"] == ("a", "a")
    assert "·" not in table
    assert all(general and general.isascii() for general, _ in table.values())


@pytest.mark.parametrize(
    ("typed", "key", "is_pinyin"),
    [
        ("ZhangSan", "zhangsan", True),
        ("zhang san", "zhangsan", True),
        ("xi'an", "xian", True),
        ("ｚｓ", "zs", True),
        ("lü", "lv", True),
        ("张三", "", False),
        ("zs1", "zs", False),
        ("   ", "", False),
    ],
)
def test_typed_pinyin(typed: str, key: str, is_pinyin: bool) -> None:
    assert pinyin.typed_pinyin(typed) == key
    assert pinyin.is_pinyin_query(typed) is is_pinyin


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("11010519491231002X", "1101**********002X"),
        ("11010519491231002x", "1101**********002X"),
        ("440524188001010014", "4405**********0014"),
        ("110105491231002", "1101*******1002"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(number: str | None, masked: str) -> None:
    assert mask_id_number(number) == masked
