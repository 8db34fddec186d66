"""Statistical workbooks (openpyxl): the village monthly change report, the annual
"population and births" and "contraception" forms, and the indicator assessment sheet.

Every number comes from the indicator engine's facts (reports.indicators) or from
counts of dated events here, so the workbook and the dashboard never disagree.  The
layout is the paper form's: a merged title and subtitle, grouped and merged column
headings, thin borders, number and percentage formats, frozen headings, and a print
setup fit for filing (see `print_setup`): landscape, no text under 8 pt on paper, the
heading rows repeated on every page, unit, period and page in the header and footer,
and the signature block under each form.

The same register and period give the same file, byte for byte: the workbook's
created/modified properties are the period's last day, and the zip members carry a
fixed timestamp, so a produced workbook can be recorded by its hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import tostring

from fpdesk.core import area as areas
from fpdesk.core import population
from fpdesk.core.indicators import DefinitionBook
from fpdesk.core.periods import Period
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.reports.indicators.sqlite import Readable
from fpdesk.store import access_log
from fpdesk.store import population as store_population
from fpdesk.store.db import Register

KINDS = ("monthly", "annual", "assessment")
FONT = "宋体"
HEAD_ROWS = 4  # title, subtitle, group headings, column headings
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FORMATS = {"count": "#,##0", "percent": "0.00%", "ratio": "0.00", "text": "@"}
PASS, FAIL, NOT_ASSESSED = "达标", "未达标", "—"


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    group: str | None = None
    fmt: str = "count"
    width: float = 8.0
    align: str = ""  # default: area code and name to the left, the rest to the right


@dataclass
class Row:
    code: str
    name: str
    values: dict[str, Any]
    total: bool = False


# ------------------------------------------------------------------ the areas


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    total: bool  # a township subtotal or the grand total


def report_units(
    where: Readable, facts: ind.Facts, within: str, level: str = "village"
) -> list[Unit]:
    """Villages in code order, a subtotal after each township when there are several,
    and the total for the whole area last.  By township (a district assessing its
    townships): a row per township, then the total."""
    source = ind.as_source(where)
    if level == "township":
        townships = ind.units_at_level(where, facts, "township", within)
        names = source.area_names([*townships, within])
        out = [Unit(t, names.get(t, t), False) for t in townships]
    else:
        villages = ind.units_at_level(where, facts, "village", within)
        townships = sorted({v[:9] + "000" for v in villages})
        names = source.area_names([*villages, *townships, within])
        out = []
        for township in townships:
            out += [Unit(v, names.get(v, v), False) for v in villages if v.startswith(township[:9])]
            if len(townships) > 1:
                out.append(Unit(township, names.get(township, township) + " 小计", True))
    if out == [Unit(within, names.get(within, within), False)]:
        return out  # a village register (one township assessed): its one row is its total
    out.append(Unit(within, names.get(within, within) + " 合计", True))
    return out


# ---------------------------------------------------------------- event counts


def change_counts(
    where: Readable, period: Period, basis: str = population.REGISTERED
) -> dict[str, dict[str, int]]:
    """Events of the monthly change report dated in the period, by village, of the
    persons in the population `basis` on the event's date (core.population): the
    registered population's events by default, the floating-in's on their own lines.

    A move counts in a basis when the person is in it before or after the move: a
    迁入 or 返回 ends in the registered population, a 迁出 or 流出 starts in it, a 流入
    and a 离开 belong to the floating-in.  A death counts by her state on the day.
    """
    source = ind.as_source(where)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    moves = source.moves()
    wanted = population.BASES[basis]
    for key, village, person_id, status, day in source.events(period.start_iso, period.end_iso):
        if key.startswith("move_"):
            rule = population.RULES[key[len("move_") :]]
            counted = rule.after in wanted or bool(rule.before & wanted)
        else:
            counted = population.state_on(moves.get(person_id, ()), day, status) in wanted
        if counted:
            counts[village][key] += 1
    for village, items in counts.items():
        items["pregnancy_outcomes"] = sum(v for k, v in items.items() if k.startswith("outcome_"))
        counts[village] = items
    return counts


def late_registered_births(
    where: Readable, period: Period, basis: str = population.REGISTERED
) -> dict[str, int]:
    """Births of earlier periods first entered during this one (补报), by village, of
    mothers in the population `basis` on the birth date.  A birth with no time of entry
    (loaded in bulk) is none."""
    source = ind.as_source(where)
    before = (period.start - dt.timedelta(days=1)).isoformat()
    found = [
        row
        for row in source.births_entered("", before)
        if row[5] is not None and period.start_iso <= row[6][:10] <= period.end_iso
    ]
    out: dict[str, int] = defaultdict(int)
    if not found:
        return out
    statuses = {woman[0]: woman[2] for woman in source.women([row[1] for row in found])}
    moves = source.moves()
    for _id, mother, _father, born, _sex, village, _entered in found:
        status = statuses.get(mother)
        if status is None or village is None:
            continue
        if population.counts(basis, population.state_on(moves.get(mother, ()), born, status)):
            out[village] += 1
    return out


def year_end_population(
    where: Readable, period: Period, facts: ind.Facts, basis: str | None = None
) -> dict[str, int]:
    """Persons of the population `basis` (default: the definitions' basis) on the
    period's last day, by village (store.population: the one definition)."""
    wanted = basis or facts.definitions.settings.population_basis
    return store_population.count_members(ind.as_source(where).members_on(period.end_iso), wanted)


# ------------------------------------------------------------------- columns

_AREA = [
    Column("code", "区划代码", None, "text", 16),
    Column("name", "村（居）名称", None, "text", 16),
]


def _operations(group: str) -> list[Column]:
    """The period's contraceptive operations (and abortions), under a group heading."""
    return [
        Column("op_male_sterilisation", "男扎", group),
        Column("op_female_sterilisation", "女扎", group),
        Column("op_iud", "上环", group),
        Column("op_iud_removal", "取环", group),
        Column("op_implant", "皮埋", group),
        Column("outcome_induced_abortion", "人流", group),
        Column("outcome_late_induced_abortion", "引产", group),
    ]


MONTHLY = [
    *_AREA,
    Column("birth_male", "男", "出生"),
    Column("birth_female", "女", "出生"),
    Column("births", "合计", "出生"),
    Column("deaths", "死亡"),
    Column("move_transfer_in", "迁入", "户籍迁移"),
    Column("move_transfer_out", "迁出", "户籍迁移"),
    Column("move_float_out", "流出", "人口流动"),
    Column("move_return", "返回", "人口流动"),
    Column("move_float_in", "流入", "人口流动"),
    Column("move_leave", "离开", "人口流动"),
    Column("marriages", "结婚", "婚姻"),
    Column("divorces", "离婚", "婚姻"),
    Column("pregnancies", "怀孕登记", "孕情", width=9),
    Column("pregnancy_outcomes", "妊娠结局", "孕情", width=9),
    *_operations("节育手术"),
    Column("cert_birth_service_registration", "生育服务登记", "发证", width=12),
    Column("cert_birth_certificate", "生育证", "发证"),
    Column("cert_one_child_certificate", "独生子女父母光荣证", "发证", width=16),
]

POPULATION = [
    *_AREA,
    Column("population", "总人口", "期末人口", width=10),
    Column("women", "育龄妇女", "期末人口", width=10),
    Column("married_women", "已婚育龄妇女", "期末人口", width=12),
    Column("births", "合计", "出生"),
    Column("birth_male", "男", "出生"),
    Column("birth_female", "女", "出生"),
    Column("order1", "一孩", "出生孩次"),
    Column("order1_in", "其中政策内", "出生孩次", width=10),
    Column("order2", "二孩", "出生孩次"),
    Column("order2_in", "其中政策内", "出生孩次", width=10),
    Column("order3", "三孩及以上", "出生孩次", width=10),
    Column("order3_in", "其中政策内", "出生孩次", width=10),
    Column("compliant_rate", "符合政策生育率", "比率", "percent", 14),
    Column("late", "补报出生", width=10),
]

CONTRACEPTION = [
    *_AREA,
    Column("married_women", "已婚育龄妇女", None, width=12),
    Column("users", "合计", "期末节育措施"),
    Column("m_male_sterilisation", "男扎", "期末节育措施"),
    Column("m_female_sterilisation", "女扎", "期末节育措施"),
    Column("m_iud", "上环", "期末节育措施"),
    Column("m_implant", "皮埋", "期末节育措施"),
    Column("m_pill_injection", "口服及注射", "期末节育措施", width=10),
    Column("m_condom", "避孕套", "期末节育措施"),
    Column("m_topical", "外用药", "期末节育措施"),
    Column("m_other", "其它", "期末节育措施"),
    Column("contraceptive_rate", "综合节育率", "比率", "percent", 11),
    Column("long_acting_rate", "长效节育率", "比率", "percent", 11),
    *_operations("本期节育手术"),
]

_METHOD_COLUMN = {"pill": "m_pill_injection", "injection": "m_pill_injection"}


# ------------------------------------------------------------------ rows


def _birth_values(facts_for_unit: dict[str, list[Any]]) -> dict[str, Any]:
    births: list[ind.BirthFact] = facts_for_unit["births"]
    values: dict[str, Any] = {
        "births": len(births),
        "birth_male": sum(1 for b in births if b.sex == 1),
        "birth_female": sum(1 for b in births if b.sex == 2),
    }
    for n in (1, 2, 3):
        these = [b for b in births if (b.order >= 3 if n == 3 else b.order == n)]
        values[f"order{n}"] = len(these)
        values[f"order{n}_in"] = sum(1 for b in these if b.compliant)
    return values


def _method_values(women: list[ind.WomanFact]) -> dict[str, Any]:
    values: dict[str, Any] = defaultdict(int)
    for woman in women:
        if woman.method is not None:
            values["users"] += 1
            values[_METHOD_COLUMN.get(woman.method, f"m_{woman.method}")] += 1
    values["married_women"] = len(women)
    return values


def _summed(counts: dict[str, Any], villages: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for village in villages:
        for key, value in counts.get(village, {}).items():
            out[key] += int(value)
    return out


def _matcher(unit: Unit) -> Callable[[str], bool]:
    return lambda village: areas.contains(unit.code, village)


# --------------------------------------------------------------- workbooks


def _read(
    where: Readable,
    period: Period,
    book: DefinitionBook | None,
    area_code: str | None,
    *,
    with_previous: bool = False,
    level: str = "village",
) -> tuple[ind.Facts, list[Unit], str]:
    """What every workbook reads first: the period's facts (one pass over the
    store), the units it has a line for, and the subtitle under its title."""
    facts = ind.collect(where, period, book=book, with_previous=with_previous)
    area_code = area_code or ind.as_source(where).scope()
    units = report_units(where, facts, area_code, level)
    return facts, units, _subtitle(where, period, facts, area_code)


def monthly_workbook(
    register: Readable,
    period: Period,
    *,
    book: DefinitionBook | None = None,
    area_code: str | None = None,
) -> Workbook:
    facts, units, subtitle = _read(register, period, book, area_code)
    wb, ws = _new_workbook("月报告单")
    floating = wb.create_sheet(_floating_sheet("月报告单"))
    for sheet, basis in ((ws, None), (floating, population.FLOATING_IN)):
        wanted = basis or facts.definitions.settings.population_basis
        counts = change_counts(register, period, wanted)
        villages = set(counts) | facts.villages_seen()
        rows = []
        for unit in units:
            chosen = facts.select(_matcher(unit), wanted)
            values: dict[str, Any] = dict(
                _summed(counts, [v for v in villages if areas.contains(unit.code, v)])
            )
            values.update(_birth_values(chosen))
            rows.append(Row(unit.code, unit.name, values, unit.total))
        _write_sheet(sheet, "村级计划生育月报告单" + _basis_title(basis), subtitle, MONTHLY, rows)
    return _finish(wb, period)


def _floating_sheet(name: str) -> str:
    """The floating-in's events and services are the residence place's work: on a sheet
    of their own beside each form's, never mixed into the registered figures."""
    return f"{name}（{population.BASIS_LABELS[population.FLOATING_IN].zh}）"


def _basis_title(basis: str | None) -> str:
    return "" if basis is None else f"（{population.BASIS_LABELS[basis].zh}）"


def annual_workbook(
    register: Readable,
    period: Period,
    *,
    book: DefinitionBook | None = None,
    area_code: str | None = None,
) -> Workbook:
    facts, units, subtitle = _read(register, period, book, area_code)
    wb, first = _new_workbook("人口和出生")
    second = wb.create_sheet("节育措施")
    members = ind.as_source(register).members_on(period.end_iso)  # read once, both bases
    for basis in (None, population.FLOATING_IN):
        pop_rows, con_rows = _annual_rows(register, period, facts, units, basis, members)
        if basis is not None:
            first = wb.create_sheet(_floating_sheet("人口和出生"))
            second = wb.create_sheet(_floating_sheet("节育措施"))
        title = _basis_title(basis)
        _write_sheet(first, "人口和出生情况统计表" + title, subtitle, POPULATION, pop_rows)
        _write_sheet(second, "节育措施情况统计表" + title, subtitle, CONTRACEPTION, con_rows)
    return _finish(wb, period)


def _annual_rows(
    register: Readable,
    period: Period,
    facts: ind.Facts,
    units: list[Unit],
    basis: str | None,
    members: list[store_population.Member],
) -> tuple[list[Row], list[Row]]:
    """The annual form's two tables on one population basis (None: the definitions'),
    from the `members` on the period's last day."""
    wanted = basis or facts.definitions.settings.population_basis
    headcount = store_population.count_members(members, wanted)
    settings = facts.definitions.settings
    ages = (settings.married_women_min_age, settings.married_women_max_age)
    women = store_population.count_women(members, period.end_iso, wanted, ages=ages)
    late = late_registered_births(register, period, wanted)
    counts = change_counts(register, period, wanted)
    villages = set(headcount) | set(late) | set(counts) | set(women) | facts.villages_seen()
    pop_rows, con_rows = [], []
    for unit in units:
        inside = _matcher(unit)
        chosen = facts.select(inside, wanted)
        report = ind.evaluate(facts, (unit.code,), basis=basis)
        mine = [v for v in villages if inside(v)]
        values = {
            "population": sum(headcount.get(v, 0) for v in mine),
            "women": sum(women.get(v, 0) for v in mine),
            "married_women": len(chosen["women"]),
            "compliant_rate": _fraction(report.result("policy_compliant_rate").value),
            "late": sum(late.get(v, 0) for v in mine),
            **_birth_values(chosen),
        }
        pop_rows.append(Row(unit.code, unit.name, values, unit.total))
        methods = _method_values(chosen["women"])
        methods.update(_summed(counts, mine))
        methods["contraceptive_rate"] = _fraction(report.result("contraceptive_rate").value)
        methods["long_acting_rate"] = _fraction(report.result("long_acting_rate").value)
        con_rows.append(Row(unit.code, unit.name, dict(methods), unit.total))
    return pop_rows, con_rows


def assessment_workbook(
    register: Readable,
    period: Period,
    *,
    book: DefinitionBook | None = None,
    area_code: str | None = None,
    level: str = "village",
) -> Workbook:
    """Indicators against targets, pass or fail, for every village and township (by
    `level` "township": for every township, as a district assesses them)."""
    # Last year's facts too: a target can be a change on last year.
    facts, units, subtitle = _read(
        register, period, book, area_code, with_previous=True, level=level
    )
    reports = [ind.evaluate(facts, (u.code,), name=u.name) for u in units]
    defs = facts.definitions
    columns = (
        [*_AREA] if level == "village" else [_AREA[0], Column("name", "乡镇名称", None, "text", 16)]
    )
    for item in defs.indicators:
        fmt = (
            "percent" if item.unit == "percent" else ("count" if item.unit == "count" else "ratio")
        )
        columns.append(Column(f"{item.key}.value", "数值", item.label.zh, fmt, 10))
        columns.append(Column(f"{item.key}.passed", "达标", item.label.zh, "text", 7))
    rows = []
    for unit, report in zip(units, reports, strict=True):
        values: dict[str, Any] = {}
        for result in report.results:
            value = result.value
            if result.unit == "percent":
                value = _fraction(value)
            elif result.unit == "count" and value is not None:
                value = int(value)
            values[f"{result.key}.value"] = value
            values[f"{result.key}.passed"] = _mark(result.passed)
        rows.append(Row(unit.code, unit.name, values, unit.total))
    wb, ws = _new_workbook("指标考核")
    _write_sheet(ws, "人口和计划生育目标管理责任制考核表", subtitle, columns, rows)
    _targets_row(ws, defs, columns)
    _detail_sheet(wb.create_sheet("分子分母"), subtitle, units, reports)
    return _finish(wb, period)


def _targets_row(ws: Worksheet, defs: Any, columns: list[Column]) -> None:
    """Under the title: each indicator's target, in its group heading's comment row."""
    for i, column in enumerate(columns, start=1):
        if column.key.endswith(".value"):
            item = defs.indicator(column.key[: -len(".value")])
            target = f"目标 {item.target.describe()}" if item.target else "不考核"
            ws.cell(row=HEAD_ROWS, column=i).value = f"数值（{target}）"
    ws.row_dimensions[HEAD_ROWS].height = 42  # three lines of 10 pt: the target wraps


DETAIL = [
    *_AREA,
    Column("indicator", "指标", None, "text", 22),
    Column("numerator", "分子"),
    Column("denominator", "分母"),
    Column("value", "数值", None, "ratio", 10),
    Column("target", "目标", None, "text", 12),
    Column("passed", "达标", None, "text", 8),
]


def _detail_sheet(
    ws: Worksheet, subtitle: str, units: list[Unit], reports: list[ind.IndicatorReport]
) -> None:
    rows = []
    for unit, report in zip(units, reports, strict=True):
        for result in report.results:
            rows.append(
                Row(
                    unit.code,
                    unit.name,
                    {
                        "indicator": result.label.zh,
                        "numerator": result.numerator,
                        "denominator": result.denominator,
                        "value": None if result.value is None else round(result.value, 2),
                        "target": result.target.describe() if result.target else "",
                        "passed": _mark(result.passed),
                    },
                    unit.total,
                )
            )
    _write_sheet(ws, "考核指标分子分母明细", subtitle, DETAIL, rows)


def _mark(passed: bool | None) -> str:
    return NOT_ASSESSED if passed is None else (PASS if passed else FAIL)


def _fraction(value: float | None) -> float | None:
    return None if value is None else round(value / 100.0, 6)


def _subtitle(where: Readable, period: Period, facts: ind.Facts, code: str) -> str:
    area = ind.as_source(where).area_names([code]).get(code, code)
    return _SEP.join(
        (
            f"填报单位：{area}（{code}）",
            f"统计时段：{period.start_iso} 至 {period.end_iso}",
            f"指标定义版本：{facts.definitions.version}",
        )
    )


_SEP = "    "  # between the subtitle's parts: unit, period, definitions version


# ------------------------------------------------------------- who is counted

LIST_COLUMNS = [
    Column("n", "序号", None, "count", 6),
    Column("part", "计入", None, "text", 6, "left"),
    Column("name", "姓名", None, "text", 10),
    Column("id_number", "身份证号", None, "text", 21, "left"),
    Column("village", "村（居）", None, "text", 12, "left"),
    Column("household", "户编码", None, "text", 21, "left"),
    Column("event", "计入事项", None, "text", 28, "left"),
    Column("date", "日期", None, "text", 11, "left"),
]


def add_member_lists(wb: Workbook, where: Readable, report: ind.IndicatorReport) -> None:
    """A 名单 sheet per indicator: the persons behind its numerator, then its
    denominator (reports.members, the same lists as the dashboard's and the command
    line's), one row per counted record, so each part has as many rows as its number."""
    area = report.name or "、".join(report.areas)
    for result in report.results:
        rows = []
        for which in who.WHICH:
            if which == "denominator" and result.denominator is None:
                continue
            part = who.PART_NAMES[which].zh
            for n, line in enumerate(who.counted(where, report, result.key, which), 1):
                rows.append(Row("", line.name, {"n": n, "part": part, **line.row("zh")}))
        counts = f"分子 {result.numerator}" + (
            "" if result.denominator is None else f"，分母 {result.denominator}"
        )
        subtitle = _SEP.join(
            (
                f"填报单位：{area}",
                f"统计时段：{report.period.start_iso} 至 {report.period.end_iso}",
                counts,
            )
        )
        ws = wb.create_sheet(_sheet_name(f"名单-{result.label.zh}"))
        # No signature block: a list supports a form, it is not filed on its own.
        _write_sheet(ws, f"{result.label.zh}名单", subtitle, LIST_COLUMNS, rows, signed=False)


def _sheet_name(text: str) -> str:
    """Excel refuses sheet names over 31 characters or with []:*?/ or a backslash in them."""
    for bad in "[]:*?/\\":
        text = text.replace(bad, "")
    return text[:31]


# ----------------------------------------------------------------- layout


def _new_workbook(first_sheet: str) -> tuple[Workbook, Worksheet]:
    """A workbook and its first sheet, named."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = first_sheet
    return wb, ws


def _write_sheet(
    ws: Worksheet,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Sequence[Row],
    *,
    signed: bool = True,
) -> None:
    width = len(columns)
    last = get_column_letter(width)
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    ws["A1"] = title
    ws["A1"].font = Font(name=FONT, size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws["A2"] = subtitle
    ws["A2"].font = Font(name=FONT, size=10)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    _headings(ws, columns)
    for r, row in enumerate(rows, start=HEAD_ROWS + 1):
        for c, column in enumerate(columns, start=1):
            value = (
                row.code
                if column.key == "code"
                else (row.name if column.key == "name" else row.values.get(column.key, 0))
            )
            cell = ws.cell(row=r, column=c, value=value)
            cell.style = _style(ws, column, row.total)
    for c, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(c)].width = column.width
    ws.freeze_panes = ws.cell(row=HEAD_ROWS + 1, column=3)
    first_page = print_setup(ws, title, subtitle, columns)
    if signed:
        # On a split sheet the area columns repeat on every page: sign beside them, once.
        first = 3 if ws.print_title_cols else 1
        signature_block(ws, HEAD_ROWS + len(rows) + 2, first, first_page)


# ------------------------------------------------------------------- printing
#
# Forms go to the township in print, signed, so each sheet carries its print setup.
# Text is 10 pt and must not print under 8 pt: a sheet is fitted to the width of A4
# (landscape) if that scales it no smaller than 80 %, else to A3; a sheet too wide even
# for A3 (the assessment sheet's 32 columns) prints at full size on A3, split between
# indicators, with the area columns and heading rows repeated on every page.

MIN_SCALE = 0.8  # 10 pt text printed no smaller than 8 pt
MARGIN_INCHES = 0.4
PAPER_INCHES = {9: 11.69, 8: 16.54}  # landscape width: A4 (9), A3 (8), as openpyxl codes
SIGNATURES = ("单位负责人：", "统计负责人：", "填表人：", "报出日期：    年  月  日")


def column_pixels(width: float) -> int:
    """A column's printed width in pixels at 96 dpi, as Excel sizes it (7 px per
    character of the default font, plus 5 px of padding)."""
    return int(width * 7 + 5)


def print_setup(ws: Worksheet, title: str, subtitle: str, columns: Sequence[Column]) -> int:
    """Paper, orientation, scale, repeated headings, header and footer.  Returns the
    number of columns on the first printed page (where the signature block goes)."""
    setup = ws.page_setup
    setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_margins.left = ws.page_margins.right = MARGIN_INCHES
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_title_rows = f"1:{HEAD_ROWS}"
    ws.print_options.horizontalCentered = True
    widths = [column_pixels(c.width) for c in columns]
    first_page = len(columns)
    for paper in (ws.PAPERSIZE_A4, ws.PAPERSIZE_A3):
        room = (PAPER_INCHES[int(paper)] - 2 * MARGIN_INCHES) * 96
        if sum(widths) * MIN_SCALE <= room:
            setup.paperSize = paper
            setup.fitToWidth = 1
            setup.fitToHeight = 0
            ws.sheet_properties.pageSetUpPr.fitToPage = True
            break
    else:
        setup.paperSize = ws.PAPERSIZE_A3
        setup.scale = 100
        ws.sheet_properties.pageSetUpPr.fitToPage = False
        ws.print_title_cols = "A:B"
        room = (PAPER_INCHES[int(ws.PAPERSIZE_A3)] - 2 * MARGIN_INCHES) * 96
        breaks = _column_breaks(columns, widths, room * 0.95)  # LibreOffice sizes a bit wider
        for after in breaks:
            ws.col_breaks.append(Break(id=after))
        first_page = breaks[0] if breaks else len(columns)
        _title_on_each_page(ws, [3, *(after + 1 for after in breaks)])
        # Only the column headings repeat: the page header carries title, unit and period.
        ws.print_title_rows = f"{HEAD_ROWS - 1}:{HEAD_ROWS}"
    unit, period, *rest = subtitle.split(_SEP)
    ws.oddHeader.left.text = _header_text(unit)
    ws.oddHeader.center.text = _header_text(title)
    ws.oddHeader.right.text = _header_text(period)
    ws.oddFooter.left.text = _header_text(" ".join(rest))
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    for part in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right):
        part.font, part.size = FONT, 10
    for part in (ws.oddFooter.left, ws.oddFooter.center):
        part.font, part.size = FONT, 9
    return first_page


def _title_on_each_page(ws: Worksheet, starts: Sequence[int]) -> None:
    """A split sheet's title and subtitle open each page: merged across all its columns
    they would be centred on the break between pages, and in the repeated area columns
    they would be cut off, so they start at each page's first own column."""
    for merged in [m for m in ws.merged_cells.ranges if m.min_row <= 2]:
        ws.unmerge_cells(str(merged))
    title, subtitle = ws["A1"].value, ws["A2"].value
    fonts = (copy(ws["A1"].font), copy(ws["A2"].font))
    ws["A1"], ws["A2"] = None, None
    for n, column in enumerate(starts):
        for row, text, font in ((1, title, fonts[0]), (2, subtitle, fonts[1])):
            cell = ws.cell(
                row=row, column=column, value=text if n == 0 or row == 2 else f"{text}（续）"
            )
            cell.font = font
            cell.alignment = Alignment(horizontal="left", vertical="center")


def _header_text(text: str) -> str:
    return text.replace("&", "&&")  # '&' starts a code in a header (&P is the page)


def _column_breaks(columns: Sequence[Column], widths: list[int], room: float) -> list[int]:
    """Where to split a wide sheet: after the last whole group (an indicator's value and
    mark) that fits on the page beside the repeated area columns."""
    repeated = sum(widths[:2])
    breaks: list[int] = []
    used = repeated
    c = 2
    while c < len(columns):
        end = c
        while end + 1 < len(columns) and columns[end + 1].group == columns[c].group:
            end += 1
        group = sum(widths[c : end + 1])
        if used + group > room and used > repeated:
            breaks.append(c)  # a break after column c (1-based c = the last one kept)
            used = repeated
        used += group
        c = end + 1
    return breaks


def signature_block(ws: Worksheet, row: int, first: int, last: int) -> None:
    """The signature line under a form (单位负责人、统计负责人、填表人、报出日期), spread
    over columns `first`..`last` (those of the first printed page)."""
    step = max((last - first + 1) // len(SIGNATURES), 1)
    for n, label in enumerate(SIGNATURES):
        cell = ws.cell(row=row, column=first + n * step, value=label)
        cell.font = Font(name=FONT, size=10)
        cell.alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[row].height = 24


def _style(ws: Worksheet, column: Column, total: bool) -> str:
    """A named cell style per kind of cell, registered once per workbook: openpyxl
    hashes every style object it is given, which per cell costs seconds on a district."""
    align = column.align or ("left" if column.key in ("code", "name") else "right")
    name = f"fp-{column.fmt}-{align}{'-total' if total else ''}"
    book = ws.parent
    if name not in book.named_styles:
        style = NamedStyle(name=name)
        style.font = Font(name=FONT, size=10, bold=total)
        style.border = _BORDER
        style.number_format = FORMATS[column.fmt]
        style.alignment = Alignment(horizontal=align)
        if total:
            style.fill = _TOTAL_FILL
        book.add_named_style(style)
    return name


def _headings(ws: Worksheet, columns: Sequence[Column]) -> None:
    """Group headings merged across their columns; ungrouped headings span both rows."""
    group_row, head_row = HEAD_ROWS - 1, HEAD_ROWS
    c = 1
    while c <= len(columns):
        column = columns[c - 1]
        if column.group is None:
            ws.merge_cells(start_row=group_row, start_column=c, end_row=head_row, end_column=c)
            ws.cell(row=group_row, column=c, value=column.heading)
            c += 1
            continue
        end = c
        while end < len(columns) and columns[end].group == column.group:
            end += 1
        if end > c:
            ws.merge_cells(start_row=group_row, start_column=c, end_row=group_row, end_column=end)
        ws.cell(row=group_row, column=c, value=column.group)
        for k in range(c, end + 1):
            ws.cell(row=head_row, column=k, value=columns[k - 1].heading)
        c = end + 1
    for row in (group_row, head_row):
        ws.row_dimensions[row].height = 30
        for k in range(1, len(columns) + 1):
            cell = ws.cell(row=row, column=k)
            cell.font = Font(name=FONT, size=10, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
            cell.fill = _HEAD_FILL


def _finish(wb: Workbook, period: Period) -> Workbook:
    stamp = dt.datetime.combine(period.end, dt.time(0, 0))
    wb.properties.creator = "fpdesk"
    wb.properties.lastModifiedBy = "fpdesk"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.title = wb.active.title if wb.active is not None else ""
    return wb


BUILDERS: dict[str, Callable[..., Workbook]] = {
    "monthly": monthly_workbook,
    "annual": annual_workbook,
    "assessment": assessment_workbook,
}


def build(
    where: Readable,
    period: Period,
    kind: str,
    *,
    book: DefinitionBook | None = None,
    area_code: str | None = None,
    by_township: bool = False,
) -> Workbook:
    """A workbook for the session's area (or another area it may see: a district), from
    a register or any other store of records (the district hub's HubSource);
    `by_township`: the assessment a row per township, not per village.
    An account asking for an area outside its own is refused, a wider one narrowed."""
    if kind not in BUILDERS:
        raise ValueError(f"report kind must be one of {KINDS}, not {kind!r}")
    source = ind.as_source(where)
    source.require_report()
    area_code = source.scope(area_code)
    if by_township and kind == "assessment":
        return assessment_workbook(where, period, book=book, area_code=area_code, level="township")
    return BUILDERS[kind](where, period, book=book, area_code=area_code)


@dataclass(frozen=True)
class Reported:
    path: Path
    sha256: str
    run: str
    summary: ind.IndicatorReport


def export(
    register: Register,
    period: Period,
    kind: str,
    path: str | Path,
    *,
    area_code: str | None = None,
    book: DefinitionBook | None = None,
    summary: ind.IndicatorReport | None = None,
    with_lists: bool = False,
) -> Reported:
    """Build the workbook (`with_lists`: and a 名单 sheet per indicator), save it, keep
    the numbers as reported (`summary`, else the indicators over the same area) and
    record who reported what: the command line's `report` and the dashboard's export
    are this one operation."""
    workbook = build(register, period, kind, book=book, area_code=area_code)
    if summary is None:
        summary = ind.compute(register, period, [area_code] if area_code else None, book=book)
    if with_lists:
        add_member_lists(workbook, register, summary)
    digest = save(workbook, path)
    run = ind.record_run(register, summary, kind=f"workbook:{kind}", file_hash=digest)
    detail = {"kind": kind, "period": period.label, "areas": list(summary.areas)}
    access_log.record(register, "report", {**detail, "file": Path(path).name})
    return Reported(Path(path), digest, run, summary)


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx file, with fixed zip timestamps so equal content gives equal bytes."""
    stamp = wb.properties.created
    raw = io.BytesIO()
    wb.save(raw)  # openpyxl stamps "modified" with the clock here: put ours back
    wb.properties.modified = stamp
    core = tostring(wb.properties.to_tree())
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            data = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            dest.writestr(fixed, data)
    return out.getvalue()


def save(wb: Workbook, path: str | Path) -> str:
    """Write the workbook (through a temporary file, so a failed write loses nothing);
    returns the file's SHA-256."""
    data = workbook_bytes(wb)
    target = Path(path)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    except OSError:
        partial.unlink(missing_ok=True)  # a failed write leaves nothing behind
        raise
    return hashlib.sha256(data).hexdigest()
