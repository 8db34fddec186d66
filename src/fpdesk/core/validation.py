"""Validation rules for every register record, as plain functions.

Each `check_*` function takes the record's fields (column name -> value, as a form or
a database row holds them), the injected clock, and the related records it needs (the
mother of a birth, the event a visit follows ...), and returns a list of `Problem`s.
A user's mistake is a Problem, never an exception, so a form can show each message
next to its field and `fpdesk check` can list every failure over the whole register.

No SQL here: the one rule that needs the register (a duplicate ID number) takes a
lookup callable that the store supplies.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from fpdesk.core import codes, idnumber
from fpdesk.core.area import AreaCodeError, level_of
from fpdesk.core.clock import Clock
from fpdesk.core.dates import add_years as add_years  # callers import it from here too
from fpdesk.core.dates import age_on as age_on  # callers' old name for it
from fpdesk.core.dates import iso as parse_date  # the rules read stored dates as ISO only
from fpdesk.core.i18n import Text

Fields = Mapping[str, Any]

# The earliest age at which a woman can be recorded as pregnant or giving birth.
MIN_PARENT_AGE = 12
# Catches a mistyped century; the domain's own sample ID number is from 1880.
EARLIEST_DATE = dt.date(1870, 1, 1)
BIRTH_WEIGHT_RANGE_G = (300, 7000)
# Methods only a man can use, and methods a woman uses; the rest may be either's.
MALE_METHODS = frozenset({"male_sterilisation"})
FEMALE_METHODS = frozenset({"female_sterilisation", "iud", "implant", "pill", "injection"})


@dataclass(frozen=True)
class Problem:
    """One failed rule: the field to show it next to, a stable code, the message."""

    field: str
    code: str
    message: Text


@dataclass(frozen=True)
class IdHolder:
    """Who already holds an ID number: enough for the officer to find them."""

    person_id: str
    name: str
    household_code: str | None = None


# (id_number, the person being checked, or None for a new one) -> the other holder
IdLookup = Callable[[str, str | None], IdHolder | None]


FIELD_LABELS: dict[str, Text] = {
    "name": Text("姓名", "name"),
    "sex": Text("性别", "sex"),
    "birth_date": Text("出生日期", "birth date"),
    "id_number": Text("身份证号", "ID number"),
    "legacy_id15": Text("旧身份证号（15位）", "old 15-digit ID number"),
    "ethnicity": Text("民族", "ethnicity"),
    "marital_status": Text("婚姻状况", "marital status"),
    "relationship": Text("与户主关系", "relationship to household head"),
    "registration_type": Text("户口性质", "registration type"),
    "residence_status": Text("居住状态", "residence status"),
    "residence_since": Text("流动起始日期", "date of moving"),
    "death_date": Text("死亡日期", "date of death"),
    "household_id": Text("所属户", "household"),
    "code": Text("户编码", "household code"),
    "village_code": Text("村代码", "village code"),
    "group_no": Text("村民小组", "village group"),
    "wife_id": Text("妻子", "wife"),
    "husband_id": Text("丈夫", "husband"),
    "married_on": Text("结婚日期", "marriage date"),
    "ended_on": Text("终止日期", "end date"),
    "end_reason": Text("终止原因", "reason for the end"),
    "woman_id": Text("妇女", "woman"),
    "registered_on": Text("登记日期", "registration date"),
    "last_period_on": Text("末次月经日期", "last menstrual period"),
    "expected_on": Text("预产期", "expected delivery date"),
    "outcome": Text("妊娠结局", "pregnancy outcome"),
    "outcome_on": Text("结局日期", "outcome date"),
    "mother_id": Text("母亲", "mother"),
    "father_id": Text("父亲", "father"),
    "weight_g": Text("出生体重", "birth weight"),
    "document_kind": Text("生育证件", "birth document"),
    "method": Text("避孕方法", "contraceptive method"),
    "started_on": Text("开始日期", "start date"),
    "user_id": Text("使用者", "user"),
    "person_id": Text("人员", "person"),
    "visit_type": Text("随访类别", "visit type"),
    "visited_on": Text("随访日期", "visit date"),
    "follows_id": Text("随访的事件", "event followed"),
    "handed_on": Text("发放日期", "date handed out"),
    "item": Text("药具", "item"),
    "quantity": Text("数量", "quantity"),
    "moved_on": Text("迁移日期", "date of move"),
    "kind": Text("类别", "kind"),
    "issued_on": Text("发证日期", "date issued"),
}

# Which code table a coded field draws from.
CODE_TABLES: dict[str, str] = {
    "sex": "sex",
    "ethnicity": "ethnicity",
    "marital_status": "marital_status",
    "relationship": "relationship",
    "registration_type": "registration_type",
    "residence_status": "residence_status",
    "end_reason": "marriage_end",
    "outcome": "pregnancy_outcome",
    "document_kind": "birth_document",
    "method": "contraceptive_method",
    "visit_type": "visit_type",
    "item": "supply_item",
}

MESSAGES: dict[str, Text] = {
    "required": Text("请填写{label}。", "{label} is required."),
    "date.format": Text(
        "{label}“{value}”不是有效日期，应写作 年-月-日，例如 2020-03-15。",
        "{label} '{value}' is not a valid date; write it as YYYY-MM-DD, e.g. 2020-03-15.",
    ),
    "date.future": Text(
        "{label}（{value}）晚于今天（{today}），不能登记将来的日期。",
        "{label} ({value}) is after today ({today}); a future date cannot be recorded.",
    ),
    "date.too_early": Text(
        "{label}（{value}）早于 {earliest}，请核对。",
        "{label} ({value}) is before {earliest}; please check it.",
    ),
    "date.order": Text(
        "{label}（{value}）早于{other}（{other_value}）。",
        "{label} ({value}) is before the {other} ({other_value}).",
    ),
    "date.before_born": Text(
        "{label}（{value}）早于{who}的出生日期（{born}）。",
        "{label} ({value}) is before the {who} was born ({born}).",
    ),
    "parent.too_young": Text(
        "{label}（{value}）时{who}还不满 12 周岁（{born} 出生），请核对日期。",
        "On the {label} ({value}) the {who} was not yet 12 (born {born}); check the dates.",
    ),
    "code.unknown": Text(
        "{label}的代码“{value}”不在代码表中。",
        "{label}: code '{value}' is not in the code table.",
    ),
    "id.shape": Text(
        "身份证号应为 18 位：17 位数字加 1 位数字或 X。",
        "An ID number has 18 characters: 17 digits and a final digit or X.",
    ),
    "id.legacy15": Text(
        "这是 15 位的旧身份证号，请填在“旧身份证号”一栏。",
        "This is an old 15-digit number; enter it in the old ID number field.",
    ),
    "id.date": Text(
        "身份证号中的出生日期不存在，请核对是否抄错。",
        "The birth date inside the ID number does not exist; check for a copying mistake.",
    ),
    "id.checksum": Text(
        "身份证号最后一位校验码不对，请核对是否抄错。",
        "The ID number's check character is wrong; check for a copying mistake.",
    ),
    "id.birth_mismatch": Text(
        "身份证号中的出生日期（{id_value}）与登记的出生日期（{value}）不一致，请核对后更正。",
        "The ID number says born {id_value} but the record says {value}; "
        "check and correct one of them.",
    ),
    "id.sex_mismatch": Text(
        "身份证号表示性别为{id_value}，登记的性别为{value}，请核对后更正。",
        "The ID number says {id_value} but the record says {value}; check and correct one of them.",
    ),
    "id.duplicate": Text(
        "这个身份证号已经登记给了{name}（户编码 {household}），同一号码不能登记给两个人。",
        "This ID number is already recorded for {name} (household {household}); "
        "one number cannot belong to two people.",
    ),
    "legacy_id.shape": Text("旧身份证号应为 15 位数字。", "An old ID number has 15 digits."),
    "household.code_shape": Text(
        "户编码应为 18 位数字：12 位村代码、2 位小组号、4 位顺序号。",
        "A household code has 18 digits: 12-digit village code, 2-digit group, 4-digit number.",
    ),
    "household.not_village": Text(
        "“{value}”不是村级区划代码（第 10-12 位不能为 000）。",
        "'{value}' is not a village-level area code (digits 10-12 cannot be 000).",
    ),
    "household.code_mismatch": Text(
        "户编码的{label}部分（{id_value}）与填写的{label}（{value}）不一致。",
        "The household code's {label} part ({id_value}) differs from the {label} ({value}).",
    ),
    "marriage.no_spouse": Text(
        "婚姻记录至少要有一方是本登记册中的人。",
        "A marriage needs at least one spouse who is in this register.",
    ),
    "marriage.end_incomplete": Text(
        "婚姻终止要同时填写终止日期和终止原因。",
        "An ended marriage needs both the end date and the reason.",
    ),
    "sex.expected": Text("{label}应为{value}性。", "The {label} must be {value}."),
    "pregnancy.outcome_incomplete": Text(
        "妊娠结局和结局日期要同时填写。",
        "The pregnancy outcome and its date go together.",
    ),
    "birth.weight": Text(
        "出生体重 {value} 克不合常理（应在 {low} 到 {high} 克之间），请核对。",
        "A birth weight of {value} g is implausible (expected {low} to {high} g); check it.",
    ),
    "visit.follows_incomplete": Text(
        "随访的事件要同时写明记录类别和记录。",
        "The event a visit follows needs both its kind and its record.",
    ),
    "visit.fertility_result": Text(
        "生育能力情况要写明结果：有生育能力、已绝经或原发不孕。",
        "A fertility finding needs its result: able to bear children, menopausal or"
        " primary infertility.",
    ),
    "visit.follows_missing": Text(
        "随访所跟进的记录不存在或已删除。",
        "The record this visit follows does not exist or was deleted.",
    ),
    "quantity.positive": Text("数量应大于 0。", "The quantity must be more than 0."),
    "name.length": Text(
        "姓名应为 {low} 到 {high} 个字（现在是 {count} 个）。",
        "A name has {low} to {high} characters (this one has {count}).",
    ),
    "name.characters": Text(
        "姓名只能用汉字、字母和间隔号“·”（如 阿依古丽·买买提），不能有“{bad}”。",
        "A name may hold Chinese characters, letters and the middle dot '·' "
        "(e.g. 阿依古丽·买买提), not '{bad}'.",
    ),
    "phone.shape": Text(
        "电话“{value}”不对：手机号为 1 开头的 11 位数字（如 13812345678），"
        "座机为区号加号码（如 0771-5551234）。",
        "Phone '{value}' is not a number: a mobile has 11 digits starting 13-19 "
        "(e.g. 13812345678), a landline an area code and number (e.g. 0771-5551234).",
    ),
    "spouse.not_married": Text(
        "{who}的婚姻状况是“{value}”，与配偶身份不符：请选已婚（初婚、再婚或复婚）。",
        "The {who} is recorded as '{value}', which does not fit a spouse: choose married "
        "(first marriage, remarried or remarried to former spouse).",
    ),
}


def message(code: str, **params: object) -> Text:
    """A catalogue message with its parameters; a Text parameter gives each language its own."""
    template = MESSAGES[code]
    zh = {k: v.zh if isinstance(v, Text) else v for k, v in params.items()}
    en = {k: v.en if isinstance(v, Text) else v for k, v in params.items()}
    return Text(template.zh.format(**zh), template.en.format(**en))


def field_label(field: str) -> Text:
    return FIELD_LABELS.get(field, Text(field, field))


WHO = {
    "spouse": Text("配偶", "spouse"),
    "head": Text("户主", "household head"),
    "mother": Text("母亲", "mother"),
    "father": Text("父亲", "father"),
    "woman": Text("妇女", "woman"),
    "person": Text("本人", "person"),
    "wife": Text("妻子", "wife"),
    "husband": Text("丈夫", "husband"),
}
_SEX_WORD = {1: Text("男", "male"), 2: Text("女", "female")}


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Form:
    """The fields under check and the problems found so far."""

    def __init__(self, fields: Fields, clock: Clock) -> None:
        self.fields = fields
        self.today = clock.today()
        self.problems: list[Problem] = []

    def add(self, field: str, code: str, **params: object) -> None:
        self.problems.append(Problem(field, code, message(code, **params)))

    def required(self, *names: str) -> None:
        for name in names:
            if blank(self.fields.get(name)):
                self.add(name, "required", label=field_label(name))

    def date(self, name: str, *, future_ok: bool = False) -> dt.date | None:
        """The field as a date (None if empty or bad, with a problem if bad)."""
        raw = self.fields.get(name)
        if blank(raw):
            return None
        value = parse_date(raw)
        label = field_label(name)
        if value is None:
            self.add(name, "date.format", label=label, value=raw)
        elif value < EARLIEST_DATE:
            self.add(name, "date.too_early", label=label, value=value, earliest=EARLIEST_DATE)
        elif value > self.today and not future_ok:
            self.add(name, "date.future", label=label, value=value, today=self.today)
        else:
            return value
        return None

    def code(self, name: str) -> None:
        value = self.fields.get(name)
        if blank(value):
            return
        if not codes.exists(CODE_TABLES[name], value):
            self.add(name, "code.unknown", label=field_label(name), value=value)

    def not_before(
        self, name: str, value: dt.date | None, other: str, other_value: dt.date | None
    ) -> None:
        if value is not None and other_value is not None and value < other_value:
            self.add(
                name,
                "date.order",
                label=field_label(name),
                value=value,
                other=field_label(other),
                other_value=other_value,
            )

    def after_birth_of(
        self,
        name: str,
        value: dt.date | None,
        who: str,
        person: Fields | None,
        min_age: int = 0,
    ) -> None:
        """The event in `name` cannot precede the birth (or the 12th birthday) of `who`."""
        born = parse_date(person.get("birth_date")) if person else None
        if value is None or born is None:
            return
        if value < born:
            code = "date.before_born"
        elif min_age and value < add_years(born, min_age):
            code = "parent.too_young"
        else:
            return
        self.add(name, code, label=field_label(name), value=value, who=WHO[who], born=born)

    def phone(self, name: str) -> None:
        value = self.fields.get(name)
        if not blank(value) and not phone_ok(value):
            self.add(name, "phone.shape", value=str(value).strip())

    def married(self, name: str, who: str) -> None:
        """A spouse (or a head with a spouse) cannot be unmarried, widowed or divorced."""
        status = _as_int(self.fields.get(name))
        if status in NOT_MARRIED:
            label = codes.text("marital_status", str(status))
            self.add(name, "spouse.not_married", who=WHO[who], value=label)

    def sex_is(self, name: str, person: Fields | None, sex: int) -> None:
        if person is None or person.get("sex") in (None, "", 0, 9):
            return
        if int(person["sex"]) != sex:
            self.add(name, "sex.expected", label=field_label(name), value=_SEX_WORD[sex])


def _as_int(value: object) -> int | None:
    """A whole number typed or stored as int or text; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


# ---- one function per record kind ---------------------------------------------------


def check_household(fields: Fields, clock: Clock) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("code", "village_code", "group_no")
    form.phone("phone")
    form.code("registration_type")
    code = str(fields.get("code") or "")
    village = str(fields.get("village_code") or "")
    group = str(fields.get("group_no") or "")
    if code and not (len(code) == 18 and code.isdigit()):
        form.add("code", "household.code_shape")
        return form.problems
    if village:
        try:
            is_village = level_of(village) == "village"
        except AreaCodeError:
            is_village = False
        if not is_village:
            form.add("village_code", "household.not_village", value=village)
    if code and village and code[:12] != village:
        form.add(
            "code",
            "household.code_mismatch",
            label=field_label("village_code"),
            id_value=code[:12],
            value=village,
        )
    if code and group and code[12:14] != group:
        form.add(
            "code",
            "household.code_mismatch",
            label=field_label("group_no"),
            id_value=code[12:14],
            value=group,
        )
    return form.problems


NAME_LENGTH = (2, 30)
# Dots people write between the parts of a Uyghur, Tibetan or foreign name; the register
# keeps the one the standard uses (U+00B7), whichever the input method typed.
NAME_DOTS = "·・•‧･"
# Marital statuses that cannot be a spouse's (GB/T 2261.2): unmarried, widowed, divorced.
NOT_MARRIED = frozenset({10, 30, 40})
SPOUSE = 1  # relationship to the household head (GB/T 4761): 1 spouse
_MOBILE = re.compile(r"1[3-9]\d{9}")
# 0 + 2-3 digit area code, 7-8 digit number, an optional extension: 0771-5551234-8
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,5})?")


def tidy_name(value: str) -> str:
    """The name as kept: outer spaces off, every kind of middle dot as '·'."""
    name = value.strip()
    for dot in NAME_DOTS[1:]:
        name = name.replace(dot, NAME_DOTS[0])
    return name


def name_problem(value: object) -> tuple[str, dict[str, object]] | None:
    """Why a name cannot be a person's name, or None: 2-30 characters of letters (Chinese
    characters included) and the middle dot; no digits, emoji, control characters."""
    name = tidy_name(str(value))
    for ch in name:
        if ch != NAME_DOTS[0] and not unicodedata.category(ch).startswith("L"):
            shown = ch if ch.isprintable() else f"U+{ord(ch):04X}"
            return "name.characters", {"bad": shown}
    if name.startswith(NAME_DOTS[0]) or name.endswith(NAME_DOTS[0]) or "··" in name:
        return "name.characters", {"bad": NAME_DOTS[0]}
    low, high = NAME_LENGTH
    if not low <= len(name) <= high:
        return "name.length", {"low": low, "high": high, "count": len(name)}
    return None


def tidy_phone(value: str) -> str:
    """Spaces and brackets off, the en dash typed for a hyphen made one: '0771 555 1234'."""
    phone = value.strip().replace("–", "-").replace("—", "-").replace("（", "(")
    phone = phone.replace("）", ")")
    if phone.startswith("+86"):
        phone = phone[3:]
    return re.sub(r"[\s()]", "", phone)


def phone_ok(value: object) -> bool:
    phone = tidy_phone(str(value))
    return bool(_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone))


def check_person(
    fields: Fields, clock: Clock, *, id_holder: IdLookup | None = None
) -> list[Problem]:
    """Name, sex, dates, codes, phone, the ID number and its agreement with the record."""
    form = _Form(fields, clock)
    form.required("household_id", "name", "sex", "birth_date")
    if not blank(fields.get("name")):
        wrong = name_problem(fields["name"])
        if wrong:
            form.add("name", wrong[0], **wrong[1])
    form.phone("phone")
    for name in (
        "sex",
        "ethnicity",
        "marital_status",
        "relationship",
        "registration_type",
        "residence_status",
    ):
        form.code(name)
    born = form.date("birth_date")
    died = form.date("death_date")
    form.not_before("death_date", died, "birth_date", born)
    form.after_birth_of("residence_since", form.date("residence_since"), "person", fields)
    _check_id_number(form, born, id_holder)
    legacy = fields.get("legacy_id15")
    if not blank(legacy) and not (len(str(legacy)) == 15 and str(legacy).isdigit()):
        form.add("legacy_id15", "legacy_id.shape")
    return form.problems


def check_spouse(fields: Fields, clock: Clock, *, married: bool = False) -> list[Problem]:
    """A spouse of the head (relationship 1), or a person with a marriage in force, is
    not unmarried, widowed or divorced.  Checked when a person is added or her status or
    relationship is changed: a widow still listed as the late head's spouse stays as is.
    """
    form = _Form(fields, clock)
    if married or _as_int(fields.get("relationship")) == SPOUSE:
        form.married("marital_status", "spouse")
    return form.problems


def _check_id_number(form: _Form, born: dt.date | None, id_holder: IdLookup | None) -> None:
    raw = form.fields.get("id_number")
    if blank(raw):
        return
    number = idnumber.normalise(str(raw))
    try:
        facts = idnumber.parse(number)
    except idnumber.IdNumberError as exc:
        form.add("id_number", exc.code)
        return
    if born is not None and facts.birth_date != born:
        form.add("id_number", "id.birth_mismatch", id_value=facts.birth_date, value=born)
    sex = form.fields.get("sex")
    if sex in (1, 2, "1", "2") and int(sex) != facts.sex:
        form.add(
            "id_number", "id.sex_mismatch", id_value=_SEX_WORD[facts.sex], value=_SEX_WORD[int(sex)]
        )
    if id_holder is not None:
        holder = id_holder(number, form.fields.get("id"))
        if holder is not None:
            form.add(
                "id_number",
                "id.duplicate",
                name=holder.name,
                household=holder.household_code or "?",
            )


def check_marriage(
    fields: Fields, clock: Clock, *, wife: Fields | None = None, husband: Fields | None = None
) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("married_on")
    if blank(fields.get("wife_id")) and blank(fields.get("husband_id")):
        form.add("wife_id", "marriage.no_spouse")
    form.code("end_reason")
    married = form.date("married_on")
    ended = form.date("ended_on")
    form.not_before("ended_on", ended, "married_on", married)
    if blank(fields.get("ended_on")) != blank(fields.get("end_reason")):
        form.add("ended_on", "marriage.end_incomplete")
    form.sex_is("wife_id", wife, idnumber.FEMALE)
    form.sex_is("husband_id", husband, idnumber.MALE)
    form.after_birth_of("married_on", married, "wife", wife)
    form.after_birth_of("married_on", married, "husband", husband)
    return form.problems


def pregnancy_start(pregnancy: Fields) -> dt.date | None:
    """When a pregnancy began, as far as the record knows: last period, else registration."""
    return parse_date(pregnancy.get("last_period_on")) or parse_date(pregnancy.get("registered_on"))


def check_pregnancy(fields: Fields, clock: Clock, *, woman: Fields | None = None) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("woman_id", "registered_on")
    form.code("outcome")
    registered = form.date("registered_on")
    last_period = form.date("last_period_on")
    expected = form.date("expected_on", future_ok=True)
    outcome_on = form.date("outcome_on")
    form.not_before("expected_on", expected, "last_period_on", last_period)
    # An outcome cannot come before the pregnancy it ends.
    if last_period is not None:
        form.not_before("outcome_on", outcome_on, "last_period_on", last_period)
    else:
        form.not_before("outcome_on", outcome_on, "registered_on", registered)
    if blank(fields.get("outcome")) != blank(fields.get("outcome_on")):
        form.add("outcome_on", "pregnancy.outcome_incomplete")
    form.sex_is("woman_id", woman, idnumber.FEMALE)
    form.after_birth_of("registered_on", last_period or registered, "woman", woman, MIN_PARENT_AGE)
    return form.problems


def check_birth(
    fields: Fields,
    clock: Clock,
    *,
    mother: Fields | None = None,
    father: Fields | None = None,
    pregnancy: Fields | None = None,
) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("mother_id", "birth_date", "sex")
    form.code("sex")
    form.code("document_kind")
    born = form.date("birth_date")
    form.sex_is("mother_id", mother, idnumber.FEMALE)
    form.sex_is("father_id", father, idnumber.MALE)
    form.after_birth_of("birth_date", born, "mother", mother, MIN_PARENT_AGE)
    form.after_birth_of("birth_date", born, "father", father, MIN_PARENT_AGE)
    if pregnancy is not None:
        start = pregnancy_start(pregnancy)
        other = "last_period_on" if pregnancy.get("last_period_on") else "registered_on"
        form.not_before("birth_date", born, other, start)
    weight = fields.get("weight_g")
    low, high = BIRTH_WEIGHT_RANGE_G
    grams = _as_int(weight)
    if not blank(weight) and (grams is None or not low <= grams <= high):
        form.add("weight_g", "birth.weight", value=weight, low=low, high=high)
    return form.problems


def check_contraception(
    fields: Fields, clock: Clock, *, woman: Fields | None = None, user: Fields | None = None
) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("woman_id", "method", "started_on")
    form.code("method")
    started = form.date("started_on")
    ended = form.date("ended_on")
    form.not_before("ended_on", ended, "started_on", started)
    form.sex_is("woman_id", woman, idnumber.FEMALE)
    method = fields.get("method")
    # A husband's sterilisation is counted under his wife: the user is then the man.
    if method in MALE_METHODS:
        form.sex_is("user_id", user, idnumber.MALE)
    elif method in FEMALE_METHODS:
        form.sex_is("user_id", user, idnumber.FEMALE)
    form.after_birth_of("started_on", started, "person", user or woman)
    return form.problems


def event_date(table: str, row: Fields) -> tuple[str, dt.date | None]:
    """The field and date of the event a visit follows."""
    if table == "pregnancy":
        field = "last_period_on" if row.get("last_period_on") else "registered_on"
    else:
        field = {
            "contraception": "started_on",
            "birth": "birth_date",
            "marriage": "married_on",
            "move": "moved_on",
        }.get(table, "")
    return field, parse_date(row.get(field)) if field else None


def check_visit(
    fields: Fields,
    clock: Clock,
    *,
    person: Fields | None = None,
    follows: Fields | None = None,
    follows_found: bool = True,
) -> list[Problem]:
    """follows: the record of the event followed; follows_found=False when the caller
    looked for it and it is not there (or is deleted)."""
    form = _Form(fields, clock)
    form.required("person_id", "visit_type", "visited_on")
    form.code("visit_type")
    visited = form.date("visited_on")
    if blank(fields.get("follows_table")) != blank(fields.get("follows_id")):
        form.add("follows_id", "visit.follows_incomplete")
    elif not blank(fields.get("follows_id")) and not follows_found:
        form.add("follows_id", "visit.follows_missing")
    # A fertility finding is read by the indicators (who is able to bear children), so
    # its result must be one of the codes, not free text.
    if fields.get("visit_type") == "fertility_status" and not codes.exists(
        "fertility_status", fields.get("result")
    ):
        form.add("result", "visit.fertility_result")
    form.after_birth_of("visited_on", visited, "person", person)
    table = fields.get("follows_table")
    if follows is not None and isinstance(table, str):
        field, when = event_date(table, follows)
        if field:
            form.not_before("visited_on", visited, field, when)
    return form.problems


def check_supply(fields: Fields, clock: Clock, *, person: Fields | None = None) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("person_id", "handed_on", "item", "quantity")
    form.code("item")
    handed = form.date("handed_on")
    quantity = fields.get("quantity")
    count = _as_int(quantity)
    if not blank(quantity) and (count is None or count <= 0):
        form.add("quantity", "quantity.positive")
    form.after_birth_of("handed_on", handed, "person", person)
    return form.problems


def check_move(fields: Fields, clock: Clock, *, person: Fields | None = None) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("person_id", "kind", "moved_on")
    moved = form.date("moved_on")
    form.after_birth_of("moved_on", moved, "person", person)
    return form.problems


def check_certificate(
    fields: Fields, clock: Clock, *, woman: Fields | None = None
) -> list[Problem]:
    form = _Form(fields, clock)
    form.required("woman_id", "kind", "issued_on")
    if not blank(fields.get("kind")) and not codes.exists("certificate_kind", fields["kind"]):
        form.add("kind", "code.unknown", label=field_label("kind"), value=fields["kind"])
    issued = form.date("issued_on")
    form.after_birth_of("issued_on", issued, "woman", woman)
    return form.problems
