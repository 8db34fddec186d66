from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from fpdesk.core.indicators import DefinitionsError, Target, book_from_data, load_book
from fpdesk.core.periods import parse_period


def _shipped() -> dict[str, Any]:
    text = resources.files("fpdesk.resources").joinpath("indicators.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def test_shipped_definitions_cover_every_domain_indicator() -> None:
    book = load_book()
    defs = book.for_period(parse_period("2019"))
    assert defs.version == "2019.1"
    assert set(defs.keys) >= {
        "births",
        "policy_compliant_rate",
        "out_of_policy_multiple_rate",
        "second_birth_sex_ratio",
        "statistics_accuracy",
        "long_acting_rate",
        "drugs_devices_share",
        "contraceptive_rate",
        "followup_rate",
        "gyn_exam_rate",
        "postnatal_rate",
        "quality_pilot_rate",
        "self_governance_rate",
        "urban_self_governance_rate",
        "demonstration_rate",
    }
    births = defs.indicator("births")
    assert births.target == Target("<", 2200.0, ("county",))
    assert defs.indicator("policy_compliant_rate").target == Target(
        ">", 93.0, ("village", "township", "county")
    )
    assert all(item.label.zh and item.label.en for item in defs.indicators)


def test_versions_are_picked_by_the_period_end_and_hash_their_content() -> None:
    data = _shipped()
    old = copy.deepcopy(data["versions"][0])
    old.update(version="2016.1", effective_from="2015-10-01", effective_to="2018-09-30")
    old["settings"]["long_acting_denominator"] = "all_users"
    data["versions"][0]["effective_from"] = "2018-10-01"
    data["versions"].insert(0, old)
    book = book_from_data(data)
    assert book.for_period(parse_period("2018")).version == "2016.1"
    assert book.for_period(parse_period("2018")).settings.long_acting_denominator == "all_users"
    assert book.for_period(parse_period("2019Q1")).version == "2019.1"
    assert book.for_period(parse_period("2018-09")).version == "2016.1"
    assert book.version("2016.1").content_hash != book.version("2019.1").content_hash
    # The same content hashes the same however it is spelled.
    again = book_from_data(json.loads(json.dumps(data, indent=4)))
    assert again.version("2019.1").content_hash == book.version("2019.1").content_hash
    with pytest.raises(DefinitionsError):
        book.for_period(parse_period("2010"))


def test_overlapping_or_broken_versions_are_refused() -> None:
    data = _shipped()
    twin = copy.deepcopy(data["versions"][0])
    twin["version"] = "2019.2"
    data["versions"].append(twin)
    with pytest.raises(DefinitionsError, match="overlap"):
        book_from_data(data)
    broken = _shipped()
    broken["versions"][0]["settings"]["long_acting_denominator"] = "everyone"
    with pytest.raises(DefinitionsError, match="long_acting_denominator"):
        book_from_data(broken)
    broken = _shipped()
    broken["versions"][0]["indicators"][0]["unit"] = "dozens"
    with pytest.raises(DefinitionsError, match="unit"):
        book_from_data(broken)


@pytest.mark.parametrize(
    ("target", "value", "previous", "expected"),
    [
        (Target(">", 93.0, ("village",)), 93.0, None, False),
        (Target(">", 93.0, ("village",)), 93.1, None, True),
        (Target("<", 1.0, ("village",)), 0.0, None, True),
        (Target(">=", 95.0, ("village",)), 95.0, None, True),
        (Target("change<=", -2.0, ("county",)), 110.0, 112.0, True),
        (Target("change<=", -2.0, ("county",)), 111.0, 112.0, False),
        (Target("change<=", -2.0, ("county",)), 111.0, None, None),
        (Target(">", 93.0, ("village",)), None, None, None),
    ],
)
def test_targets(
    target: Target, value: float | None, previous: float | None, expected: bool | None
) -> None:
    assert target.passes(value, previous) is expected


def test_values() -> None:
    defs = load_book().for_period(parse_period("2019"))
    assert defs.indicator("births").value(7, None) == 7.0
    assert defs.indicator("policy_compliant_rate").value(3, 4) == 75.0
    assert defs.indicator("policy_compliant_rate").value(0, 0) is None
    assert defs.indicator("second_birth_sex_ratio").value(11, 10) == pytest.approx(110.0)
    # 2019.1 is closed the day before 2027.1 begins; the latest version stays open.
    assert defs.covers(dt.date(2026, 9, 30)) and not defs.covers(dt.date(2026, 10, 1))
    assert load_book().for_period(parse_period("2030")).covers(dt.date(2030, 1, 1))
