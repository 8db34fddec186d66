"""Work lists: reward and assistance families, untracked pregnancies, overdue follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.reports import lists
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.reports import world
from tests.reports.world import TOWNSHIP, VILLAGE_A, World

ON = dt.date(2019, 9, 30)


@pytest.fixture
def town(register: Register) -> World:
    return world.build(register)


def test_reward_and_assistance_families(town: World) -> None:
    w = town
    w.household("R", VILLAGE_A)
    w.person("一孩父", "R", 1, "1955-01-01", registration_type=2)
    w.person("一孩母", "R", 2, "1957-01-01", registration_type=2)
    w.birth("R1", "一孩母", "一孩父", "1985-01-01", 1)
    w.person("双女母", "R", 2, "1956-01-01", registration_type=2)
    w.birth("R2", "双女母", None, "1980-01-01", 2)
    w.birth("R3", "双女母", None, "1983-01-01", 2)
    w.person("儿女母", "R", 2, "1956-01-01", registration_type=2)
    w.birth("R4", "儿女母", None, "1980-01-01", 1)
    w.birth("R5", "儿女母", None, "1983-01-01", 2)
    w.person("城镇母", "R", 2, "1956-01-01", registration_type=1)
    w.birth("R6", "城镇母", None, "1980-01-01", 1)
    w.person("失独母", "R", 2, "1966-01-01", registration_type=1)
    child = w.person("失独子", "R", 1, "1990-01-01", death_date="2015-05-05")
    w.birth("R7", "失独母", None, "1990-01-01", 1, child_id=child)
    rows = lists.reward_families(town.register, ON, TOWNSHIP)
    reward = {r["name"] for r in rows if r["programme"] == "rural_reward"}
    assert reward == {"一孩父", "一孩母", "双女母"}
    special = [r for r in rows if r["programme"] == "special_assistance_child_died"]
    assert [(r["name"], r["children"], r["living_children"]) for r in special] == [("失独母", 1, 0)]
    # Before the programme existed, nobody is listed for it.
    early = lists.reward_families(town.register, dt.date(2003, 1, 1), TOWNSHIP)
    assert all(r["programme"] != "rural_reward" for r in early)


def test_unknown_reward_condition_is_refused() -> None:
    bad = {
        "programmes": [
            {
                "key": "x",
                "label": ["x", "x"],
                "effective_from": "2004-01-01",
                "conditions": {"shoe_size": 40},
            }
        ]
    }
    with pytest.raises(ValueError, match="shoe_size"):
        lists.programmes(bad)


def test_untracked_pregnancies(town: World) -> None:
    reg = town.register
    quiet = records.insert(
        reg, "pregnancy", {"woman_id": town.ids["W12"], "registered_on": "2019-08-01"}
    )
    ended = {"outcome": "live_birth", "outcome_on": "2019-08-08"}
    records.insert(
        reg, "pregnancy", {"woman_id": town.ids["W11"], "registered_on": "2019-01-01", **ended}
    )
    seen = records.insert(
        reg, "pregnancy", {"woman_id": town.ids["W13"], "registered_on": "2019-08-01"}
    )
    town.visit("W13", "pregnancy_tracking", "2019-09-01")
    rows = lists.untracked_pregnancies(reg, ON, TOWNSHIP)
    pregnancies = [r["id"] for r in rows if r["kind"] == "pregnancy"]
    assert pregnancies == [quiet] and seen not in pregnancies
    births = {r["id"] for r in rows if r["kind"] == "birth"}
    # Every birth in the small township was entered without a pregnancy record, except
    # the one after the date.
    assert town.ids["W3c1"] in births and town.ids["W2c1"] not in births
    assert len(births) == 15


def test_overdue_followups_come_from_the_due_list(town: World) -> None:
    rows = lists.overdue_followups(town.register, ON, TOWNSHIP)
    names = {r.name for r in rows}
    assert {"W2", "W3"} <= names
    assert "W6" not in names  # visited on 2019-06-25 for the follow-up of 2019-06-20
    assert all(r.overdue_days > 0 and r.follows_table == "contraception" for r in rows)
