"""The indicator engine against a hand-counted township (tests/reports/world.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.core.indicators import book_from_data
from fpdesk.core.periods import parse_period
from fpdesk.reports import accuracy_sample
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.store.db import Register
from tests.reports import world
from tests.reports.world import TOWNSHIP, VILLAGE_A, VILLAGE_B, World

Y2019 = parse_period("2019")


@pytest.fixture
def town(register: Register) -> World:
    return world.build(register)


def _counts(report: ind.IndicatorReport, key: str) -> tuple[int, int | None]:
    result = report.result(key)
    return result.numerator, result.denominator


def test_births_and_policy(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    births = report.result("births")
    assert births.numerator == 6
    ids = town.ids
    # Twins are two births; the birth on 30 Sep counts, the one on 1 Oct does not; the
    # woman who moved out counts her birth before she left; the one who moved in does not.
    assert set(births.numerator_ids) == {
        ids["twin1"],
        ids["twin2"],
        ids["W3c1"],
        ids["W5c1"],
        ids["W7c1"],
        ids["W11c2"],
    }
    assert _counts(report, "policy_compliant_rate") == (5, 6)
    compliant = report.result("policy_compliant_rate")
    # The third child across a remarriage (the husband's two earlier children count).
    assert ids["W3c1"] not in compliant.numerator_ids
    assert ids["twin2"] in compliant.numerator_ids  # twins judged as one delivery
    assert compliant.value == pytest.approx(500 / 6)
    assert compliant.passed is False  # 83.3 % is not above 93 %
    out = report.result("out_of_policy_multiple_rate")
    assert out.numerator_ids == (ids["W3c1"],) and out.denominator == 6


def test_second_birth_sex_ratio_and_last_year(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    ratio = report.result("second_birth_sex_ratio")
    assert (ratio.numerator, ratio.denominator) == (1, 1)
    assert ratio.numerator_ids == (town.ids["twin1"],)
    assert ratio.value == pytest.approx(100.0)
    assert ratio.previous == pytest.approx(100.0)
    assert ratio.passed is None  # its target is the district's, not a township's
    county = ind.compute(town.register, Y2019, [world.COUNTY])
    # No fall of 2 points on last year: the district misses this target.
    assert county.result("second_birth_sex_ratio").passed is False


def test_contraception_counts_the_husbands_sterilisation_under_the_wife(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    ids = town.ids
    women = set(report.result("contraceptive_rate").denominator_ids)
    assert women == {ids[k] for k in ("W1", "W2", "W3", "W8", "W12", "W13", "W6", "W7", "W11")}
    assert _counts(report, "contraceptive_rate") == (5, 9)
    long_acting = report.result("long_acting_rate")
    assert set(long_acting.numerator_ids) == {ids["W2"], ids["W3"], ids["W6"]}
    assert ids["M3"] not in long_acting.numerator_ids + long_acting.denominator_ids
    assert _counts(report, "long_acting_rate") == (3, 9)
    assert _counts(report, "drugs_devices_share") == (2, 5)


def test_follow_ups_exams_postnatal(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    assert _counts(report, "followup_rate") == (4, 6)
    followups = report.result("followup_rate")
    w3 = town.ids["W3vas"]
    assert f"{w3}@2019-06-01" in followups.numerator_ids
    assert f"{w3}@2019-08-01" in followups.denominator_ids
    assert f"{w3}@2019-08-01" not in followups.numerator_ids
    assert _counts(report, "gyn_exam_rate") == (1, 9)
    assert _counts(report, "postnatal_rate") == (3, 6)


def test_village_flags(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    assert _counts(report, "quality_pilot_rate") == (1, 2)
    assert _counts(report, "self_governance_rate") == (1, 1)
    assert _counts(report, "urban_self_governance_rate") == (1, 1)
    assert _counts(report, "demonstration_rate") == (1, 2)


def test_village_breakdown_adds_up(town: World) -> None:
    villages = ind.breakdown(town.register, Y2019, "village", within=TOWNSHIP)
    assert [v.areas for v in villages] == [(VILLAGE_A,), (VILLAGE_B,)]
    a, b = villages
    assert a.name == "甲村"
    assert _counts(a, "births") == (4, None) and _counts(b, "births") == (2, None)
    assert _counts(a, "contraceptive_rate") == (3, 6) and _counts(b, "contraceptive_rate") == (2, 3)
    assert _counts(a, "followup_rate") == (2, 4) and _counts(b, "followup_rate") == (2, 2)
    assert f"{town.ids['W6iud']}@2019-01-20" not in b.result("followup_rate").denominator_ids
    both = ind.compute(town.register, Y2019, [VILLAGE_A, VILLAGE_B])
    assert both.level == "set"
    whole = ind.compute(town.register, Y2019, [TOWNSHIP])
    for key in whole.to_data()["results"]:
        assert both.result(key["key"]).numerator == key["numerator"]


def test_woman_moving_out_is_counted_until_she_leaves(town: World) -> None:
    # Moved out on 2019-06-30: gone by the end of June.
    before = ind.compute(town.register, parse_period("2019-05"), [VILLAGE_A])
    after = ind.compute(town.register, parse_period("2019-06"), [VILLAGE_A])
    w5 = town.ids["W5"]
    assert w5 in before.result("contraceptive_rate").denominator_ids
    assert w5 not in after.result("contraceptive_rate").denominator_ids


def test_statistics_accuracy_from_an_audit(town: World) -> None:
    clock = FixedClock(dt.datetime(2019, 9, 25, 10, 0))
    reg = town.register
    households = reg.query("SELECT count(*) AS n FROM household")[0]["n"]
    sample = accuracy_sample.draw_sample(
        reg, households=households, seed=7, period=Y2019, area_code=TOWNSHIP, clock=clock
    )
    codes = {h.household_id: h.code for h in sample.households}
    h1, h3 = codes[town.households["H1"]], codes[town.households["H3"]]
    on = dt.date(2019, 9, 25)
    accuracy_sample.record_finding(
        reg, sample.id, h1, visited_on=on, births_found=3, persons_found=2, clock=clock
    )
    accuracy_sample.record_finding(
        reg, sample.id, h3, visited_on=on, births_found=1, persons_found=2, clock=clock
    )
    report = ind.compute(reg, Y2019, [TOWNSHIP])
    # Found 4 births, the register had 3 (the visit found a third child at H1): 75 %.
    assert _counts(report, "statistics_accuracy") == (3, 4)
    assert report.result("statistics_accuracy").value == pytest.approx(75.0)
    members = who.counted(reg, report, "statistics_accuracy", "denominator")
    assert {m.household for m in members} == {h1, h3} and len(members) == 4


def test_members_open_to_people(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    people = who.counted(town.register, report, "long_acting_rate")
    assert sorted(p.name for p in people) == ["W2", "W3", "W6"]
    births = who.counted(town.register, report, "out_of_policy_multiple_rate")
    assert [(b.name, b.date) for b in births] == [("W3", "2019-03-10")]
    due = who.counted(town.register, report, "followup_rate", "denominator")
    assert len(due) == 6 and all(d.date for d in due)
    villages = who.counted(town.register, report, "quality_pilot_rate")
    assert [v.name for v in villages] == ["甲村"]


def _book_with(change: dict[str, Any]) -> Any:
    text = resources.files("fpdesk.resources").joinpath("indicators.json").read_text("utf-8")
    data = json.loads(text)
    later = copy.deepcopy(data["versions"][0])
    data["versions"][0]["effective_to"] = "2019-09-30"
    later.update(version="2020.1", effective_from="2019-10-01")
    later["settings"].update(change)
    data["versions"].append(later)
    return book_from_data(data)


def test_definitions_version_decides_the_denominator(town: World) -> None:
    book = _book_with({"long_acting_denominator": "all_users"})
    old = ind.compute(town.register, Y2019, [TOWNSHIP], book=book)
    new = ind.compute(town.register, parse_period("2019-01-01..2019-10-31"), [TOWNSHIP], book=book)
    assert old.definitions_version == "2019.1" and new.definitions_version == "2020.1"
    assert _counts(old, "long_acting_rate") == (3, 9)
    # All users on 2019-10-31: W8 turned 50 on 1 October, W13 stopped on 30 September.
    assert _counts(new, "long_acting_rate") == (3, 4)


def test_rule_set_changing_during_the_period(register: Register) -> None:
    """Statistical year 2021: the three-child rule came in on 2021-08-20."""
    w = World(register)
    w.household("H", VILLAGE_A)
    w.household("K", VILLAGE_A)
    for key, born in (("P", "2021-06-01"), ("Q", "2021-09-01")):
        home = "H" if key == "P" else "K"
        w.person(key, home, 2, "1988-01-01", marital_status=20)
        w.marry(key, None, "2010-01-01")
        w.birth(f"{key}1", key, None, "2012-01-01", 1)
        w.birth(f"{key}2", key, None, "2016-05-01", 2)
        w.birth(f"{key}3", key, None, born, 1)
    report = ind.compute(register, parse_period("2021"), [VILLAGE_A])
    compliant = report.result("policy_compliant_rate")
    assert compliant.numerator_ids == (w.ids["Q3"],)  # under the three-child rule
    assert report.result("out_of_policy_multiple_rate").numerator_ids == (w.ids["P3"],)


def test_same_register_same_numbers_and_recorded_runs(town: World) -> None:
    reg = town.register
    first = ind.compute(reg, Y2019, [TOWNSHIP])
    again = ind.compute(reg, Y2019, [TOWNSHIP])
    assert first.content_hash == again.content_hash
    run = ind.record_run(reg, first)
    assert ind.stored_run(reg, run)["results"] == first.to_data()["results"]
    assert ind.compare_with_run(reg, run) == []
    # A birth found late changes today's numbers, not what was reported.
    town.birth("late", "W12", None, "2019-05-05", 2)
    changes = {c["key"] for c in ind.compare_with_run(reg, run)}
    assert {"births", "policy_compliant_rate"} <= changes
    assert ind.stored_run(reg, run)["results"][0]["numerator"] == 6
    with reg.transaction() as conn:
        conn.execute(
            "UPDATE report_run SET content = replace(content, '\"numerator\": 6', "
            "'\"numerator\": 5') WHERE id = ?",
            (run,),
        )
    with pytest.raises(ValueError, match="altered"):
        ind.stored_run(reg, run)


def test_empty_register_gives_no_values_not_errors(register: Register) -> None:
    report = ind.compute(register, Y2019)
    assert report.result("births").value == 0.0
    assert report.result("policy_compliant_rate").value is None
    assert report.result("policy_compliant_rate").passed is None


def test_visit_recorded_against_the_husband_counts_for_his_sterilisation(town: World) -> None:
    town.visit("M3", "postop_followup", "2019-07-30", follows="W3vas")
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    followups = report.result("followup_rate")
    assert f"{town.ids['W3vas']}@2019-08-01" in followups.numerator_ids
    assert (followups.numerator, followups.denominator) == (5, 6)
