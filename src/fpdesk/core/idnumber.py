"""Resident ID numbers (GB 11643-1999): 18 characters, ISO 7064 MOD 11-2 check.

6-digit address code, 8-digit birth date, 3-digit sequence (odd male, even female),
1 check character.  Old 15-digit numbers are accepted only as a legacy field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")
_LEGACY_SHAPE = re.compile(r"^\d{15}$")

MALE = 1
FEMALE = 2


# Made once: a list of 50 search hits masks 50 numbers on every keystroke.
_FULL_WIDTH = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """What an officer types, as stored: no spaces, upper-case X, full-width digits folded."""
    return _SPACES.sub("", text.translate(_FULL_WIDTH)).upper()


def check_char(first17: str) -> str:
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("need the first 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class IdFacts:
    """What an 18-digit number says about its holder."""

    address_code: str
    birth_date: dt.date
    sex: int  # GB/T 2261.1: 1 male, 2 female


class IdNumberError(ValueError):
    """The number is malformed; `code` names the problem for the message catalogue."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def parse(number: str) -> IdFacts:
    """Check an 18-character number and read its facts, or raise IdNumberError."""
    value = normalise(number)
    if _LEGACY_SHAPE.match(value):
        raise IdNumberError("id.legacy15")
    if not _SHAPE.match(value):
        raise IdNumberError("id.shape")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError("id.date") from None
    if check_char(value[:17]) != value[17]:
        raise IdNumberError("id.checksum")
    sex = MALE if int(value[16]) % 2 == 1 else FEMALE
    return IdFacts(address_code=value[:6], birth_date=born, sex=sex)


def is_valid(number: str) -> bool:
    try:
        parse(number)
    except IdNumberError:
        return False
    return True


def make(address_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number (the synthetic district uses this); sequence parity gives sex."""
    if len(address_code) != 6 or not address_code.isdigit():
        raise ValueError("address code must be 6 digits")
    if not 0 <= sequence <= 999:
        raise ValueError("sequence must be 0..999")
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)


def mask_id_number(number: str | None) -> str:
    """An ID number as lists show it: first 4 and last 4 kept (4501**********002X).

    Lists are seen over shoulders; the last four are what an officer reads back to
    confirm a person (and what the search box finds), the first four say the region.
    Numbers too short to mask meaningfully are starred out entirely.
    """
    if not number:
        return ""
    value = normalise(number)
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]

