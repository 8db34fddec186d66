"""Pinyin keys of a person's name, for the search box.

Officers type names the way they type on a phone: the characters (张三), the full
pinyin (zhangsan) or only the initials (zs).  This module says, for one character
and for one name, which pinyin we index.  It is pure Python: the register keeps the
same table (store.search) so that the index can be kept by SQL triggers alone.

One reading per character, no tones, ü written as v (as on every Chinese keyboard).
Where a character has several readings we take pypinyin's first (most common) one,
except for the first character of a name, where a short list of surname readings
wins (单 is shan as a surname, dan elsewhere).  Given names with a rare reading are
then found by characters or initials but not by full pinyin: a known limit.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

# Surnames whose reading differs from the character's most common reading.
SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "盖": "ge",
    "乐": "yue",
    "覃": "qin",
    "繁": "po",
    "员": "yun",
    "秘": "bi",
    "尉": "yu",
    "召": "shao",
    "缪": "miao",
    "翟": "zhai",
    "种": "chong",
    "折": "she",
    "阚": "kan",
    "隗": "wei",
    "柏": "bai",
    "薄": "bo",
    "祭": "zhai",
    "句": "gou",
    "长": "chang",
    "藏": "zang",
}

_U_UMLAUT = str.maketrans({c: "v" for c in "üǖǘǚǜ"})


@lru_cache(maxsize=4096)
def plain(syllable: str) -> str:
    """A toned syllable as typed on a keyboard: lǚ -> lv, zhāng -> zhang."""
    folded = syllable.lower().translate(_U_UMLAUT)
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha())


@cache
def _pinyin_dict() -> dict[int, str]:
    # pypinyin's table takes about 0.3 s to import: loaded on the first name to read, not
    # when the window starts (the search box and forms need it only once the officer types).
    from pypinyin.pinyin_dict import pinyin_dict

    return pinyin_dict


@cache
def reading(char: str) -> str:
    """The pinyin of one character, or '' if it has none (punctuation, digits)."""
    if char.isascii():
        # Names written in Latin letters are found by those letters.
        return char.lower() if char.isalpha() else ""
    entry = _pinyin_dict().get(ord(char))
    return plain(entry.split(",")[0]) if entry else ""


@cache
def surname_reading(char: str) -> str:
    """The pinyin of a character at the start of a name."""
    return SURNAME_READINGS.get(char) or reading(char)


def reading_table() -> Iterator[tuple[str, str, str]]:
    """(character, reading, reading as a surname) for every character with a reading.

    The register stores this table so that SQL can compute the same keys as name_keys().
    """
    for code in sorted(_pinyin_dict()):
        char = chr(code)
        general = reading(char)
        if general:
            yield char, general, surname_reading(char)
    for code in range(ord("a"), ord("z") + 1):
        for char in (chr(code), chr(code).upper()):
            yield char, chr(code), chr(code)


@dataclass(frozen=True)
class NameKeys:
    """The pinyin keys indexed for one name (张三丰 -> zhangsanfeng, sanfeng, zsf)."""

    full: str
    given: str
    initials: str


@lru_cache(maxsize=65536)
def name_keys(name: str) -> NameKeys:
    """Pinyin keys of a name; cached because a district repeats its names a lot."""
    return keys_of([surname_reading(c) if i == 0 else reading(c) for i, c in enumerate(name)])


def keys_of(syllables: list[str]) -> NameKeys:
    """The keys of a name read syllable by syllable ('' for a character without one):
    name_keys, or the register's own table of readings (store.search_batch)."""
    return NameKeys(
        full="".join(syllables),
        given="".join(syllables[1:]),
        initials="".join(s[0] for s in syllables if s),
    )


def typed_pinyin(text: str) -> str:
    """What the user typed, as a pinyin key: lower case, no spaces or apostrophes (xi'an)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_U_UMLAUT)
    return "".join(c for c in folded if c.isascii() and c.isalpha())


def is_pinyin_query(text: str) -> bool:
    """Latin letters only (spaces and apostrophes allowed between syllables)."""
    folded = unicodedata.normalize("NFKC", text).lower().translate(_U_UMLAUT)
    letters = [c for c in folded if not c.isspace() and c != "'"]
    return bool(letters) and all(c.isascii() and c.isalpha() for c in letters)
