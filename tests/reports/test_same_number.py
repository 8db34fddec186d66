"""The same number everywhere: for every village, the registered population, women 15-49,
married women 15-49 and births of statistical year 2026 read the same in
`indicators --json`, each workbook (read back with openpyxl), the household register
(read back with pdftotext), the number of woman cards and the dashboard's numbers, and
each is counted a second, plain way here in SQL.

Two kinds of register: a demo, and a hand-made one with every kind of move, whose
numbers are also counted by hand below.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from fpdesk import demo
from fpdesk.cli import main
from fpdesk.core.clock import FixedClock
from fpdesk.core.periods import statistical_year
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.reports.pdf.cards import print_cards
from fpdesk.reports.pdf.households import print_households
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register, create_register, open_register
from tests.conftest import PASSPHRASE
from tests.reports.pdf.conftest import flat, pdf_text

PERIOD = statistical_year(2026)  # 2025-10-01 .. 2026-09-30
DAY = PERIOD.end
END = PERIOD.end_iso
TOWNSHIP = "450102001000"
VILLAGE_A, VILLAGE_B = "450102001201", "450102001202"
CLOCK = FixedClock(dt.date(2026, 10, 15))
FIGURES = ("population", "women_15_49", "married_women_15_49", "births")


# --- the second, plain count ---------------------------------------------------------

# A person's state on a day, written out in SQL from the dated moves alone: the last move
# on or before the day says where she is; before her first move she was where that move
# starts from; a person without moves is as her record says.
_LAST = (
    "(SELECT m.kind FROM move m WHERE m.person_id = p.id AND m.deleted = 0 "
    "AND m.moved_on <= :day ORDER BY m.moved_on DESC, m.rowid DESC LIMIT 1)"
)
_FIRST = (
    "(SELECT m.kind FROM move m WHERE m.person_id = p.id AND m.deleted = 0 "
    "ORDER BY m.moved_on, m.rowid LIMIT 1)"
)
REGISTERED_ON = f"""(CASE
    WHEN {_LAST} IS NOT NULL THEN {_LAST} IN ('transfer_in', 'return', 'float_out')
    WHEN {_FIRST} IS NOT NULL THEN {_FIRST} IN ('transfer_out', 'float_out', 'return')
    ELSE p.residence_status IN ('here', 'out') END)"""
ALIVE_ON = "p.birth_date <= :day AND (p.death_date IS NULL OR p.death_date > :day)"


def plain_counts(register: Register, village: str) -> dict[str, int]:
    """The four numbers of one village, straight from the tables."""

    def one(sql: str, **params: str) -> int:
        found = register.conn.execute(sql, {"village": village, **params}).fetchone()
        return int(found[0])

    people = (
        "FROM person p JOIN household h ON h.id = p.household_id "
        "WHERE p.deleted = 0 AND h.deleted = 0 AND h.village_code = :village "
        f"AND {ALIVE_ON} AND {REGISTERED_ON}"
    )
    women = (
        f"{people} AND p.sex = 2 AND p.birth_date > date(:day, '-50 years') "
        "AND p.birth_date <= date(:day, '-15 years')"
    )
    married = (
        f"{women} AND EXISTS (SELECT 1 FROM marriage x WHERE x.wife_id = p.id "
        "AND x.deleted = 0 AND x.married_on <= :day AND (x.ended_on IS NULL OR x.ended_on > :day))"
    )
    births = (
        "SELECT count(*) FROM birth b JOIN person p ON p.id = b.mother_id "
        "JOIN household h ON h.id = p.household_id "
        "WHERE b.deleted = 0 AND b.child_relation = 'own' AND p.deleted = 0 AND h.deleted = 0 "
        "AND h.village_code = :village AND b.birth_date BETWEEN :start AND :end "
        # the mother registered here on the birth date (the state expression at that day)
        f"AND {REGISTERED_ON.replace(':day', 'b.birth_date')}"
    )
    return {
        "population": one(f"SELECT count(*) {people}", day=END),
        "women_15_49": one(f"SELECT count(*) {women}", day=END),
        "married_women_15_49": one(f"SELECT count(*) {married}", day=END),
        "births": one(births, start=PERIOD.start_iso, end=END),
    }


# --- what each output says -------------------------------------------------------------


def from_indicators_json(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    argv = ["indicators", "--db", str(path), "--period", "2026", "--level", "village", "--json"]
    assert main(argv) == 0
    out = {}
    for report in json.loads(capsys.readouterr().out)["reports"]:
        results = {r["key"]: r for r in report["results"]}
        heads = report["population"]["registered"]
        out[report["areas"][0]] = {
            "population": heads["population"],
            "women_15_49": heads["women_15_49"],
            "married_women_15_49": results["contraceptive_rate"]["denominator"],
            "births": results["births"]["numerator"],
            "heads": heads,
        }
    return out


def _sheet_rows(path: Path, sheet: str) -> dict[str, dict[str, Any]]:
    ws = load_workbook(path)[sheet]
    group_row = [c.value for c in ws[excel.HEAD_ROWS - 1]]
    head_row = [c.value for c in ws[excel.HEAD_ROWS]]
    keys, group = [], None
    for top, head in zip(group_row, head_row, strict=True):
        if top is not None:
            group = top if head is not None else None
        keys.append(f"{group}/{head}" if group and head else (top or head))
    return {
        str(row[0]): dict(zip(keys, row, strict=True))
        for row in ws.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True)
        if _area_row(row)
    }


def _area_row(row: tuple[Any, ...]) -> bool:
    """A data row (its first cell an area code), not the signature block under the form."""
    return isinstance(row[0], str) and len(row[0]) == 12 and row[0].isdigit()


def from_workbooks(register: Register, tmp: Path) -> dict[str, dict[str, dict[str, int]]]:
    """Each workbook's numbers by village code: annual, monthly (over the whole year)
    and assessment."""
    paths = {}
    for kind in excel.KINDS:
        paths[kind] = tmp / f"{kind}.xlsx"
        excel.save(excel.build(register, PERIOD, kind), paths[kind])
    annual = _sheet_rows(paths["annual"], "人口和出生")
    monthly = _sheet_rows(paths["monthly"], "月报告单")
    assessment = load_workbook(paths["assessment"])["分子分母"]
    details: dict[tuple[str, str], tuple[int, int]] = {}
    for row in assessment.iter_rows(min_row=excel.HEAD_ROWS + 1, values_only=True):
        if _area_row(row):
            details[(str(row[0]), str(row[2]))] = (row[3], row[4])
    out: dict[str, dict[str, dict[str, int]]] = {}
    for code, row in annual.items():
        out[code] = {
            "annual": {
                "population": row["期末人口/总人口"],
                "women_15_49": row["期末人口/育龄妇女"],
                "married_women_15_49": row["期末人口/已婚育龄妇女"],
                "births": row["出生/合计"],
            },
            "monthly": {"births": monthly[code]["出生/合计"]},
            "assessment": {
                "births": details[(code, "出生人数")][0],
                "married_women_15_49": details[(code, "综合节育率")][1],
            },
        }
    return out


_TOTAL = {
    "population": r"户籍人口(\d+)",
    "women_15_49": r"[^已]育龄妇女（15-49岁）(\d+)",
    "married_women_15_49": r"已婚育龄妇女（15-49岁）(\d+)",
    "births": r"出生（2025-10-01至2026-09-30）(\d+)",
}


def from_household_register(register: Register, village: str, tmp: Path) -> dict[str, int]:
    out = tmp / f"households-{village}.pdf"
    print_households(
        register, village, out, on=DAY, per_page=False, options=PrintOptions(clock=CLOCK)
    )
    totals = flat(pdf_text(out)).split("合计户数")[-1]
    found = {}
    for key, pattern in _TOTAL.items():
        match = re.search(pattern, totals)
        assert match, (key, totals)
        found[key] = int(match.group(1))
    return found


def woman_cards(register: Register, village: str, tmp: Path) -> int:
    out = tmp / f"cards-{village}.pdf"
    result = print_cards(register, village, out, on=DAY, options=PrintOptions(clock=CLOCK))
    assert f"本次共打印{result.items}张卡" in flat(pdf_text(out))
    return result.items


def from_dashboard(register: Register) -> dict[str, dict[str, int]]:
    """As the dashboard counts (gui.dashboard: collect once, a report per village)."""
    facts = ind.collect(register, PERIOD)
    return {
        report.areas[0]: {
            "births": report.result("births").numerator,
            "married_women_15_49": report.result("contraceptive_rate").denominator or 0,
        }
        for report in ind.breakdown(register, PERIOD, "village", facts=facts)
    }


def same_everywhere(
    path: Path, tmp: Path, capsys: pytest.CaptureFixture[str]
) -> dict[str, dict[str, int]]:
    """Every output agrees with the plain count, village by village; returns the counts."""
    cli = from_indicators_json(path, capsys)
    with open_register(path, PASSPHRASE) as register:
        villages = sorted(
            r[0] for r in register.conn.execute("SELECT DISTINCT village_code FROM household")
        )
        books = from_workbooks(register, tmp)
        dashboard = from_dashboard(register)
        counted: dict[str, dict[str, int]] = {}
        for village in villages:
            plain = plain_counts(register, village)
            counted[village] = plain
            shown = {key: cli[village][key] for key in FIGURES}
            assert shown == plain, ("indicators --json", village)
            assert books[village]["annual"] == plain, ("annual workbook", village)
            assert books[village]["monthly"]["births"] == plain["births"], village
            for key, value in books[village]["assessment"].items():
                assert value == plain[key], ("assessment workbook", village, key)
            assert from_household_register(register, village, tmp) == plain, village
            assert woman_cards(register, village, tmp) == plain["women_15_49"], village
            for key, value in dashboard[village].items():
                assert value == plain[key], ("dashboard", village, key)
    return counted


# --- the registers -----------------------------------------------------------------------


def test_same_numbers_in_every_output_of_a_demo_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], passphrase_env: str
) -> None:
    path = tmp_path / "demo.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=2000, seed=7)
    counted = same_everywhere(path, tmp_path, capsys)
    assert len(counted) >= 2
    assert sum(c["births"] for c in counted.values()) > 0
    assert all(c["married_women_15_49"] > 0 for c in counted.values())


@pytest.fixture
def moves_register(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "township.fpdesk"
    register = create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP)
    register.set_actor("测试员")
    _SEQUENCE.clear()
    build_moves(register)
    register.close()
    yield path


_SEQUENCE: dict[str, int] = {}


def _household(register: Register, village: str, *members: dict[str, Any]) -> list[str]:
    """A household of the village (written as a township clerk's register holds it) and
    its members entered through the officer's operation."""
    _SEQUENCE[village] = _SEQUENCE.get(village, 0) + 1
    home = records.insert(
        register,
        "household",
        {
            "code": f"{village}01{_SEQUENCE[village]:04d}",
            "village_code": village,
            "group_no": "01",
        },
    )
    return [ops.add_person(register, home, member, clock=CLOCK) for member in members]


def _member(label: str, sex: int, born: str, relationship: int, **more: Any) -> dict[str, Any]:
    # The docstring's labels (甲, 乙...) stand for names; a name has two characters at least.
    name = label if len(label) > 1 else "李" + label
    return {"name": name, "sex": sex, "birth_date": born, "relationship": relationship, **more}


def _move(register: Register, person: str, kind: str, day: str, place: str = "") -> None:
    fields = {"kind": kind, "moved_on": day, "place": place}
    ops.record_move(register, person, fields, clock=CLOCK, close_household=True)


def _wife(register: Register, woman: str, day: str) -> None:
    fields = {"wife_id": woman, "married_on": day, "outside_spouse_name": "外县某"}
    ops.record_marriage(register, fields, clock=CLOCK)


def _baby(register: Register, mother: str, day: str, name: str) -> None:
    ops.record_birth(register, mother, {"name": name, "sex": 2, "birth_date": day}, clock=CLOCK)


def build_moves(register: Register) -> None:
    """Every kind of move in statistical year 2026 (2025-10-01 .. 2026-09-30).

    Village A:
      H1 甲 (F 1990, married 2012) floats out 2025-12-01 to 东莞 and has 甲女 there on
         2026-03-25; her husband 乙 (M 1988) stays.  Registered here: both, and the baby.
      H2 丙 (F 1995, married 2018) has 丙女 on 2026-02-01, then her hukou moves away
         (迁出) on 2026-05-01.  丙女 stays registered here (her own hukou has not
         moved); 丙 is not.  The birth counts here: 丙 was registered on the birth date.
      H3 丁 (F 1992, married 2015) floated out 2024-01-01 and returned 2026-01-15.
      H5 庚 (M 1950) died 2022-05-05; his widow 辛 (F 1952).  Lodging with her:
         戊 (F 1985, married 2010) floats in 2025-11-01 from 湖南 and has 戊女 on
         2026-04-04: their own line (流入人口), not registered here; 己 (F 1980)
         floated in 2024-01-01 and left 2026-06-01.
    Village B:
      H6 癸 (M 1990); 壬 (F 1993, married 2025-12-01) transfers her hukou in (迁入)
         2026-02-01 and has 壬女 on 2026-08-08.
      H7 子 (F born 2011-09-30: 15 on the last day) and 丑 (F born 2011-10-01: 14).

    Hand counts on 2026-09-30 (registered = here + floating out):
      A: population 乙 甲 甲女 丙女 丁 辛 = 6; women 15-49 甲 丁 = 2 (辛 is 74);
         married women 15-49 甲 丁 = 2; births 甲女 丙女 = 2.
         Floating in: 戊 and 戊女 = 2 persons, 1 woman 15-49, married 1, births 1.
      B: population 癸 壬 壬女 子 丑 = 5; women 15-49 壬 子 = 2; married 壬 = 1;
         births 壬女 = 1.
    """
    jia, yi = _household(
        register,
        VILLAGE_A,
        _member("甲", 2, "1990-01-01", 0, marital_status=20),
        _member("乙", 1, "1988-01-01", 1, marital_status=20),
    )
    marriage = {"married_on": "2012-01-01", "wife_id": jia, "husband_id": yi}
    ops.record_marriage(register, marriage, clock=CLOCK)
    _move(register, jia, "float_out", "2025-12-01", "广东东莞")
    _baby(register, jia, "2026-03-25", "甲女")
    (bing,) = _household(register, VILLAGE_A, _member("丙", 2, "1995-01-01", 0))
    _wife(register, bing, "2018-01-01")
    _baby(register, bing, "2026-02-01", "丙女")
    _move(register, bing, "transfer_out", "2026-05-01", "南宁市")
    (ding,) = _household(register, VILLAGE_A, _member("丁", 2, "1992-01-01", 0))
    _wife(register, ding, "2015-01-01")
    _move(register, ding, "float_out", "2024-01-01", "广州")
    _move(register, ding, "return", "2026-01-15")
    (geng, xin) = _household(
        register,
        VILLAGE_A,
        _member("庚", 1, "1950-01-01", 0, marital_status=20),
        _member("辛", 2, "1952-01-01", 1, marital_status=20),
    )
    ops.record_death(register, geng, {"death_date": "2022-05-05"}, clock=CLOCK)
    home = register.query("SELECT household_id FROM person WHERE id = ?", (xin,))[0]
    wu = ops.record_move_in(
        register,
        home["household_id"],
        _member("戊", 2, "1985-01-01", 8),
        {"kind": "float_in", "moved_on": "2025-11-01", "place": "湖南隆回"},
        clock=CLOCK,
    )
    _wife(register, wu, "2010-01-01")
    _baby(register, wu, "2026-04-04", "戊女")
    ji = ops.record_move_in(
        register,
        home["household_id"],
        _member("己", 2, "1980-01-01", 8),
        {"kind": "float_in", "moved_on": "2024-01-01", "place": "贵州大方"},
        clock=CLOCK,
    )
    _move(register, ji, "leave", "2026-06-01")
    (gui,) = _household(register, VILLAGE_B, _member("癸", 1, "1990-01-01", 0))
    b_home = register.query("SELECT household_id FROM person WHERE id = ?", (gui,))[0]
    ren = ops.record_move_in(
        register,
        b_home["household_id"],
        _member("壬", 2, "1993-01-01", 1),
        {"kind": "transfer_in", "moved_on": "2026-02-01", "place": "外县"},
        clock=CLOCK,
    )
    _wife(register, ren, "2025-12-01")
    _baby(register, ren, "2026-08-08", "壬女")
    _household(
        register,
        VILLAGE_B,
        _member("子", 2, "2011-09-30", 0),
        _member("丑", 2, "2011-10-01", 3),
    )


def test_same_numbers_with_every_kind_of_move(
    moves_register: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    passphrase_env: str,
) -> None:
    counted = same_everywhere(moves_register, tmp_path, capsys)
    # The hand counts of build_moves.
    assert counted[VILLAGE_A] == {
        "population": 6,
        "women_15_49": 2,
        "married_women_15_49": 2,
        "births": 2,
    }
    assert counted[VILLAGE_B] == {
        "population": 5,
        "women_15_49": 2,
        "married_women_15_49": 1,
        "births": 1,
    }
    # The floating-in on their own line, in indicators --json and the workbooks.
    cli = from_indicators_json(moves_register, capsys)
    assert cli[VILLAGE_A]["heads"] == counted[VILLAGE_A]
    with open_register(moves_register, PASSPHRASE) as register:
        facts = ind.collect(register, PERIOD)
        floating = ind.headcounts(register, facts, [VILLAGE_A])["floating_in"]
        resident = ind.headcounts(register, facts, [VILLAGE_A])["resident"]
    assert floating == {"population": 2, "women_15_49": 1, "married_women_15_49": 1, "births": 1}
    # Resident: 乙 丙女 丁 辛 here, and 戊 戊女 floating in (甲 and 甲女 live away).
    assert resident["population"] == 6
    path = tmp_path / "annual.xlsx"
    with open_register(moves_register, PASSPHRASE) as register:
        excel.save(excel.build(register, PERIOD, "annual"), path)
    row = _sheet_rows(path, "人口和出生（流入人口）")[VILLAGE_A]
    assert (row["期末人口/总人口"], row["期末人口/已婚育龄妇女"], row["出生/合计"]) == (2, 1, 1)
