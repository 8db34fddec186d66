"""Counting rules of definitions 2027.1, by hand on the township of world.py.

(a) The overall contraceptive rate counts married women of childbearing age *able to
bear children*: a fertility finding (a service visit of type fertility_status) of
menopause or primary infertility takes a woman out; the latest finding by the period's
end decides.  (b) A birth entered after its period's report was produced counts in
the period it was entered, so the report still reproduces.

The hand-counted town (world.py) is reused under a definitions book whose 2019
version carries the new settings, so every other count there stays as documented.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from fpdesk.core.indicators import DefinitionBook, book_from_data, load_book
from fpdesk.core.periods import parse_period
from fpdesk.reports import indicators as ind
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.reports import world
from tests.reports.world import TOWNSHIP, VILLAGE_A, World

Y2019 = parse_period("2019")
Y2020 = parse_period("2020")
NEW_RULES = {"not_able_to_bear": ["menopause", "primary_infertility"], "late_births": "when_found"}


def _book(**settings: Any) -> DefinitionBook:
    """The shipped definitions, with the 2019 version's settings changed."""
    text = resources.files("fpdesk.resources").joinpath("indicators.json").read_text("utf-8")
    data = json.loads(text)
    first = copy.deepcopy(data["versions"][0])
    first["settings"].update(settings)
    data["versions"][0] = first
    return book_from_data(data)


def _counts(report: ind.IndicatorReport, key: str) -> tuple[int, int | None]:
    result = report.result(key)
    return result.numerator, result.denominator


@pytest.fixture
def town(register: Register) -> World:
    return world.build(register)


def _finding(w: World, woman: str, on: str, result: str) -> str:
    return records.insert(
        w.register,
        "visit",
        {
            "person_id": w.ids[woman],
            "visit_type": "fertility_status",
            "visited_on": on,
            "result": result,
        },
    )


def test_the_shipped_definitions_take_the_new_rules_from_statistical_year_2027() -> None:
    book = load_book()
    old, new = book.for_period(parse_period("2026")), book.for_period(parse_period("2027"))
    assert (old.version, new.version) == ("2019.1", "2027.1")
    assert old.settings.not_able_to_bear == () and old.settings.late_births == "birth_date"
    assert new.settings.not_able_to_bear == ("menopause", "primary_infertility")
    assert new.settings.late_births == "when_found"


def test_women_unable_to_bear_children_leave_the_contraceptive_rates(town: World) -> None:
    """Married women 15-49 in the town: 9, users 5 (3 long-acting), as world.py counts.

    W1 (no method): menopause 2019-05-01 -> out.
    W8 (condom user): primary infertility 2019-02-01 -> out of both counts.
    W12 (no method): primary infertility 2018-06-01, then able 2019-08-01 -> stays.
    W7 (pill user): menopause 2019-10-15, after the period -> stays.
    W11 (no method): menopause 2019-03-03, the finding deleted -> stays.
    Contraceptive rate: users 5 - W8 = 4; women 9 - W1 - W8 = 7.
    Long-acting (married-women denominator): 3 of 7.  Drugs-and-devices share is of
    all users, which W8 still is: 2 of 5.
    """
    _finding(town, "W1", "2019-05-01", "menopause")
    _finding(town, "W8", "2019-02-01", "primary_infertility")
    _finding(town, "W12", "2018-06-01", "primary_infertility")
    _finding(town, "W12", "2019-08-01", "able")
    _finding(town, "W7", "2019-10-15", "menopause")
    records.delete(town.register, "visit", _finding(town, "W11", "2019-03-03", "menopause"))

    before = ind.compute(town.register, Y2019, [TOWNSHIP])  # 2019.1 as shipped: no rule
    assert _counts(before, "contraceptive_rate") == (5, 9)
    report = ind.compute(town.register, Y2019, [TOWNSHIP], book=_book(**NEW_RULES))
    assert _counts(report, "contraceptive_rate") == (4, 7)
    out = {town.ids["W1"], town.ids["W8"]}
    assert out.isdisjoint(report.result("contraceptive_rate").denominator_ids)
    assert town.ids["W12"] in report.result("contraceptive_rate").denominator_ids
    assert _counts(report, "long_acting_rate") == (3, 7)
    assert _counts(report, "drugs_devices_share") == (2, 5)
    # Village A alone: married women W1 W2 W3 W8 W12 W13 = 6, less W1 and W8; users
    # W2 W3 (W8 out).
    village = ind.compute(town.register, Y2019, [VILLAGE_A], book=_book(**NEW_RULES))
    assert _counts(village, "contraceptive_rate") == (2, 4)


def _entered(register: Register, row_id: str, at: str) -> None:
    """When a row was first entered here, as its change log says (set by hand)."""
    with register.transaction() as conn:
        conn.execute(
            "UPDATE change_log SET at = ? WHERE row_id = ? AND op = 'insert'", (at, row_id)
        )


def _local(day_time: str) -> dt.datetime:
    """A local time of this computer, as report runs are stamped, for a UTC moment."""
    moment = dt.datetime.fromisoformat(day_time).replace(tzinfo=dt.UTC)
    return moment.astimezone().replace(tzinfo=None)


def test_a_birth_found_after_the_report_counts_in_the_year_it_is_found(town: World) -> None:
    """Statistical year 2019 has 6 births (world.py), all entered before the report.

    The 2019 report is produced on 2019-10-08 (after the year ended).
    - W13's daughter, born 2019-09-20, entered 2019-10-03: before the report, so 2019.
    - W12's son, born 2019-09-25, entered 2019-11-20: after the report, a late find:
      it counts in 2020 (entered in November 2019), not in 2019.
    2019: 6 + 1 = 7 births, as reported.  2020: W2's child of 2019-10-01 and the late
    son = 2, the son in November's column of the monthly trend.
    """
    book = _book(**NEW_RULES)
    reg = town.register
    for bid in list(town.ids.values()):
        _entered(reg, bid, "2019-01-01T00:00:00.000Z")
    _entered(reg, town.ids["W2c1"], "2019-10-02T04:00:00.000Z")
    _entered(reg, town.birth("early", "W13", None, "2019-09-20", 2), "2019-10-03T04:00:00.000Z")
    report = ind.compute(reg, Y2019, [TOWNSHIP], book=book)
    assert report.result("births").numerator == 7
    run = ind.record_run(reg, report, kind="annual", when=_local("2019-10-08T02:00:00"))

    late = town.birth("late", "W12", None, "2019-09-25", 1)
    _entered(reg, late, "2019-11-20T04:00:00.000Z")

    again = ind.compute(reg, Y2019, [TOWNSHIP], book=book)
    assert (
        again.result("births").numerator == 7 and late not in again.result("births").numerator_ids
    )
    assert ind.compare_with_run(reg, run, book=book) == []
    facts = ind.collect(reg, Y2020, book=book)
    following = ind.evaluate(facts, [TOWNSHIP])
    assert set(following.result("births").numerator_ids) == {town.ids["W2c1"], late}
    (found,) = [b for b in facts.births if b.id == late]
    assert (found.birth_date, found.counted_on) == ("2019-09-25", "2019-11-20")
    trend = ind.monthly_trend(facts, [TOWNSHIP], "births")
    assert [p.numerator for p in trend[:3]] == [1, 1, 0]  # October, November, December
    # Judged as it always was: W12's third child (2015, 2018, 2019) for the couple.
    assert late in following.result("out_of_policy_multiple_rate").numerator_ids

    # Counting by birth date (the 2019.1 rule as shipped), the same find moves 2019.
    by_date = _book()
    assert ind.compute(reg, Y2019, [TOWNSHIP], book=by_date).result("births").numerator == 8
    changes = {c["key"] for c in ind.compare_with_run(reg, run, book=by_date)}
    assert "births" in changes


def test_a_report_of_another_area_does_not_make_a_birth_late(town: World) -> None:
    """Only a report covering the birth's village closes its period for it."""
    book = _book(**NEW_RULES)
    reg = town.register
    other = ind.compute(reg, Y2019, ["450102002000"], book=book)
    ind.record_run(reg, other, when=_local("2019-10-08T02:00:00"))
    late = town.birth("late", "W12", None, "2019-09-25", 1)
    _entered(reg, late, "2019-11-20T04:00:00.000Z")
    report = ind.compute(reg, Y2019, [TOWNSHIP], book=book)
    assert late in report.result("births").numerator_ids
