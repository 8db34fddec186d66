"""A ledger cell as the register keeps it, or the reason it cannot be.

Each function takes the cell as read (text, a number, a date) and returns the stored
value, None for an empty cell, or raises Unreadable with a message for the row.  Nothing
is guessed: a date without its day is not given one, an ID number Excel turned into a
number is refused (its last digits are gone), a method not in the code table is named.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from fpdesk.core import codes, dates, idnumber
from fpdesk.core.i18n import Text


class Unreadable(ValueError):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／：　ｘＸ（）", "0123456789.-/: xX()")
_EXCEL_EPOCH = dt.date(1899, 12, 30)

ID_AS_NUMBER = Text(
    "身份证号被 Excel 存成了数字（{shown}），后几位已经丢失，无法导入。"
    "请把这一列设为“文本”格式，照身份证重新输入号码。",
    "Excel stored the ID number as a number ({shown}): its last digits are lost. Format "
    "the column as text and type the number again from the ID card.",
)
ID_BAD = Text("身份证号“{value}”不对：{why}。", "The ID number “{value}” is wrong: {why}.")
ID_WHY = {
    "shape": Text(
        "应为 18 位（最后一位可以是 X）或旧的 15 位", "it must have 18 characters (or the old 15)"
    ),
    "date": Text("其中的出生日期不存在", "the birth date in it does not exist"),
    "checksum": Text(
        "校验位不对，可能抄错了某一位", "the check digit is wrong: a digit was miscopied"
    ),
}
BAD_DATE = Text(
    "“{value}”不是一个完整的日期（年、月、日）。",
    "“{value}” is not a whole date (year, month, day).",
)
PART_DATE = Text(
    "“{value}”只有年月，没有日，不能当作日期保存。",
    "“{value}” has a year and month but no day: it cannot be stored as a date.",
)
UNKNOWN_VALUE = Text("“{value}”不是{what}能用的写法。", "“{value}” is not a known {what}.")


def text_of(value: Any) -> str:
    """A cell as text: full-width digits folded, spaces trimmed, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).translate(_FULL_WIDTH).strip()
    return text.lstrip("'").strip()


_CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")


def name(value: Any) -> str | None:
    """A name as written, without the spaces ledgers put inside two-character names to
    line them up with three-character ones (王  芳)."""
    return _CJK_SPACE.sub("", text_of(value)) or None


# --- ID numbers --------------------------------------------------------------------


def id_number(value: Any) -> tuple[str | None, str | None]:
    """(18-character number, the 15-digit number it came from) or Unreadable.

    A number typed into Excel without the text format is kept to 15 significant digits
    (4.50102E+17 on screen): the rest are zeros, so the number is refused."""
    if value is None or value == "":
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, int) and 10**14 <= value < 10**15:
            return _upgrade(str(value))
        raise Unreadable(ID_AS_NUMBER.format(shown=_as_excel_shows(float(value))))
    text = idnumber.normalise(text_of(value))
    if re.fullmatch(r"\d(\.\d+)?E\+?\d+", text):
        raise Unreadable(ID_AS_NUMBER.format(shown=text))
    if re.fullmatch(r"\d{15}", text):
        return _upgrade(text)
    try:
        idnumber.parse(text)
    except idnumber.IdNumberError as exc:
        why = ID_WHY.get(exc.code.split(".")[-1], ID_WHY["shape"])
        raise Unreadable(ID_BAD.format(value=text, why=why)) from None
    return text, None


def _as_excel_shows(value: float) -> str:
    return f"{value:.5E}".replace("E+", "E+").rstrip("0")


def upgrade_15(old: str) -> str:
    """An old 15-digit number as 18: the century 19 put in, the check digit added."""
    first17 = old[:6] + "19" + old[6:]
    return first17 + idnumber.check_char(first17)


def _upgrade(old: str) -> tuple[str, str]:
    new = upgrade_15(old)
    try:
        idnumber.parse(new)
    except idnumber.IdNumberError:
        raise Unreadable(ID_BAD.format(value=old, why=ID_WHY["date"])) from None
    return new, old


CODE_AS_NUMBER = Text(
    "户编码被 Excel 存成了数字（{shown}），后几位可能已经丢失，无法使用。"
    "请把这一列设为“文本”格式，重新输入户编码。",
    "Excel stored the household code as a number ({shown}): its last digits may be lost. "
    "Format the column as text and type the codes again.",
)


def household_code(value: Any) -> str | None:
    """A household code as written; one Excel made a number is refused like an ID."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 10**15:
        raise Unreadable(CODE_AS_NUMBER.format(shown=_as_excel_shows(float(value))))
    return text_of(value) or None


# --- dates --------------------------------------------------------------------------


def date(value: Any) -> str | None:
    """An ISO date from what officers write: 1985.03.02, 19850302, 1985年3月2日, 85-3-2,
    1985/3/2, an Excel date or serial number.  1985.3 (no day) is refused, not guessed."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10000 <= value < 80000 and float(value).is_integer():  # an Excel serial 1927-2119
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
        if isinstance(value, float) and not value.is_integer():
            raise Unreadable(PART_DATE.format(value=text_of(value)))
    text = text_of(value)
    found = _parse_date_text(text)
    if found is None:
        if re.fullmatch(r"\d{2,4}\s*[.\-/年]\s*\d{1,2}\s*月?", text) or re.fullmatch(
            r"\d{6}", text
        ):
            raise Unreadable(PART_DATE.format(value=text))
        raise Unreadable(BAD_DATE.format(value=text))
    return found.isoformat()


def _parse_date_text(text: str) -> dt.date | None:
    """The forms the forms read (core.dates.typed), after the ledgers' own are brought
    to one of them: 1985年3月2日, a two-digit year (85-3-2), a time after the date."""
    text = text.split(" ")[0] if re.match(r"\d{4}-\d{2}-\d{2} ", text) else text
    text = re.sub(r"\s*[年月]\s*", "-", text.strip()).rstrip("日号").strip()
    short = re.fullmatch(r"(\d{2})([-./])(\d{1,2})\2(\d{1,2})", text)
    if short:
        # 85-3-2: a two-digit year is of the last century unless that is more than a
        # hundred years ago; the person's age check catches a wrong century.
        year = int(short.group(1))
        year += 1900 if year > dt.date.today().year % 100 else 2000
        text = f"{year}-{short.group(3)}-{short.group(4)}"
    return dates.typed(text)


# --- code tables --------------------------------------------------------------------

SEX = {"男": 1, "女": 2, "1": 1, "2": 2, "男性": 1, "女性": 2, "m": 1, "f": 2}
RELATIONSHIP = {
    "户主": 0,
    "本人": 0,
    "0": 0,
    "00": 0,
    "02": 0,
    "配偶": 1,
    "妻": 1,
    "妻子": 1,
    "丈夫": 1,
    "夫": 1,
    "1": 1,
    "10": 0,
    "11": 0,
    "12": 1,
    "子": 2,
    "儿子": 2,
    "长子": 2,
    "次子": 2,
    "女": 3,
    "女儿": 3,
    "长女": 3,
    "次女": 3,
    "孙子": 4,
    "孙女": 4,
    "外孙": 4,
    "外孙女": 4,
    "孙": 4,
    "父亲": 5,
    "母亲": 5,
    "父": 5,
    "母": 5,
    "父母": 5,
    "祖父": 6,
    "祖母": 6,
    "兄": 7,
    "弟": 7,
    "姐": 7,
    "妹": 7,
    "兄弟": 7,
    "姐妹": 7,
    "儿媳": 8,
    "女婿": 8,
    "其他": 8,
    "2": 2,
    "3": 3,
    "4": 4,
    "5": 5,
    "6": 6,
    "7": 7,
    "8": 8,
}
MARITAL = {
    "未婚": 10,
    "已婚": 20,
    "有配偶": 20,
    "初婚": 21,
    "再婚": 22,
    "复婚": 23,
    "丧偶": 30,
    "离婚": 40,
    "离异": 40,
    "10": 10,
    "20": 20,
    "21": 21,
    "22": 22,
    "23": 23,
    "30": 30,
    "40": 40,
}
METHODS = {
    "上环": "iud",
    "放环": "iud",
    "带环": "iud",
    "iud": "iud",
    "节育环": "iud",
    "宫内节育器": "iud",
    "结扎": "female_sterilisation",
    "女扎": "female_sterilisation",
    "女结扎": "female_sterilisation",
    "输卵管结扎": "female_sterilisation",
    "男扎": "male_sterilisation",
    "男结扎": "male_sterilisation",
    "输精管结扎": "male_sterilisation",
    "皮埋": "implant",
    "皮下埋植": "implant",
    "口服药": "pill",
    "口服避孕药": "pill",
    "避孕药": "pill",
    "服药": "pill",
    "口服": "pill",
    "针剂": "injection",
    "避孕针": "injection",
    "注射": "injection",
    "避孕套": "condom",
    "套": "condom",
    "安全套": "condom",
    "外用药": "topical",
    "其它": "other",
    "其他": "other",
    "无": "none",
    "未避孕": "none",
    "未采取": "none",
    "/": "none",
}
REGISTRATION = {
    "农业": 2,
    "农业户口": 2,
    "农村": 2,
    "非农": 1,
    "非农业": 1,
    "非农业户口": 1,
    "城镇": 1,
    "居民": 9,
    "其他": 9,
    "1": 1,
    "2": 2,
    "9": 9,
}
WHAT = {
    "sex": Text("性别", "sex"),
    "relationship": Text("与户主关系", "relationship to the head"),
    "marital_status": Text("婚姻状况", "marital status"),
    "method": Text("节育措施", "contraceptive method"),
    "registration_type": Text("户口性质", "registration type"),
    "ethnicity": Text("民族", "ethnicity"),
}


def coded(kind: str, table: dict[str, Any], value: Any) -> Any:
    text = text_of(value)
    if not text:
        return None
    key = text.lower() if kind == "method" else text
    if key in table:
        return table[key]
    if kind == "method":
        for word, code in sorted(table.items(), key=lambda p: -len(p[0])):
            if len(word) >= 2 and word in key:
                return code
    what = WHAT[kind]
    raise Unreadable(
        Text(
            UNKNOWN_VALUE.zh.format(value=text, what=what.zh),
            UNKNOWN_VALUE.en.format(value=text, what=what.en),
        )
    )


def ethnicity(value: Any) -> str | None:
    text = text_of(value)
    if not text:
        return None
    for code in codes.codes("ethnicity"):
        label = codes.text("ethnicity", code).zh
        if text in (code, label, label.removesuffix("族")):
            return code
    raise Unreadable(
        Text(
            UNKNOWN_VALUE.zh.format(value=text, what="民族"),
            UNKNOWN_VALUE.en.format(value=text, what="ethnicity"),
        )
    )


_CHINESE_NUMBERS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}


def group_number(value: Any) -> int | None:
    """3, 03, 三组, 第三村民小组, 十二组 -> the group's number; None if none is said."""
    text = text_of(value)
    if not text:
        return None
    digits = re.search(r"\d+", text)
    if digits:
        return int(digits.group())
    chinese = re.search(r"[一二三四五六七八九十]+", text)
    if not chinese:
        return None
    word = chinese.group()
    if word.startswith("十"):
        return 10 + _CHINESE_NUMBERS.get(word[1:], 0) if len(word) > 1 else 10
    if "十" in word:
        tens, _, ones = word.partition("十")
        return _CHINESE_NUMBERS[tens] * 10 + _CHINESE_NUMBERS.get(ones, 0)
    return _CHINESE_NUMBERS.get(word[0])
