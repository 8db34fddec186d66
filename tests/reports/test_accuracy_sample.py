from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.core.periods import parse_period
from fpdesk.reports import accuracy_sample
from fpdesk.store.db import Register
from tests.reports import world
from tests.reports.world import TOWNSHIP, World

CLOCK = FixedClock(dt.datetime(2019, 9, 20, 9, 0))
Y2019 = parse_period("2019")


@pytest.fixture
def town(register: Register) -> World:
    return world.build(register)


def _draw(town: World, size: int, seed: int) -> accuracy_sample.Sample:
    return accuracy_sample.draw_sample(
        town.register, households=size, seed=seed, period=Y2019, area_code=TOWNSHIP, clock=CLOCK
    )


def test_same_seed_same_households(town: World) -> None:
    first = _draw(town, 4, 2019)
    second = _draw(town, 4, 2019)
    assert [h.code for h in first.households] == [h.code for h in second.households]
    assert first.id != second.id and first.population == 12
    others = {tuple(h.code for h in _draw(town, 4, seed).households) for seed in range(1, 6)}
    assert len(others) > 1  # the seed matters
    # The rank is a hash of seed and code: a new household does not reshuffle the rest.
    every = [r["code"] for r in town.register.query("SELECT code FROM household")]
    new = "450102001201019999"
    chosen_before = accuracy_sample.choose(every, 4, 2019)
    assert set(accuracy_sample.choose([*every, new], 4, 2019)) <= {*chosen_before, new}


def test_bad_draws_are_refused(town: World) -> None:
    with pytest.raises(accuracy_sample.AuditError) as info:
        _draw(town, 13, 1)
    assert "12" in info.value.text.zh and "12" in info.value.text.en
    with pytest.raises(accuracy_sample.AuditError):
        _draw(town, 0, 1)
    assert accuracy_sample.samples(town.register) == []


def test_accuracy_keeps_what_the_register_said_that_day(town: World) -> None:
    reg = town.register
    sample = _draw(town, 12, 5)
    codes = {h.household_id: h.code for h in sample.households}
    h1, h2 = codes[town.households["H1"]], codes[town.households["H2"]]
    on = dt.date(2019, 9, 20)
    # H1: the register has the twins; the visit finds them.  H2: no birth in 2019 on the
    # register, but the visit finds a child born in August that was never entered.
    accuracy_sample.record_finding(
        reg, sample.id, h1, visited_on=on, births_found=2, persons_found=2, clock=CLOCK
    )
    accuracy_sample.record_finding(
        reg,
        sample.id,
        h2,
        visited_on=on,
        births_found=1,
        persons_found=3,
        visited_by="核查员",
        clock=CLOCK,
    )
    result = accuracy_sample.accuracy(reg, sample.id)
    assert (result.visited, result.births_found, result.births_registered, result.errors) == (
        2,
        3,
        2,
        1,
    )
    assert result.rate == pytest.approx(100 * (1 - 1 / 3))
    assert result.passed is False and result.pass_rate == 95.0
    # The officer now enters the missing child: the audit's finding does not change.
    town.birth("found", "W2", "M2", "2019-08-15", 1)
    assert accuracy_sample.accuracy(reg, sample.id).rate == pytest.approx(result.rate)


def test_bad_findings_are_refused_and_nothing_is_saved(town: World) -> None:
    reg = town.register
    sample = _draw(town, 2, 9)
    inside = sample.households[0].code
    outside = next(
        code
        for code in reg.query("SELECT code FROM household")
        if code["code"] not in {h.code for h in sample.households}
    )["code"]
    on = dt.date(2019, 9, 20)
    cases = [
        dict(household=outside, visited_on=on, births_found=1, persons_found=1),
        dict(household=inside, visited_on=on, births_found=-1, persons_found=1),
        dict(household=inside, visited_on=dt.date(2019, 9, 1), births_found=1, persons_found=1),
        dict(household=inside, visited_on=dt.date(2019, 9, 21), births_found=1, persons_found=1),
    ]
    for case in cases:
        household = case.pop("household")
        with pytest.raises(accuracy_sample.AuditError) as info:
            accuracy_sample.record_finding(reg, sample.id, str(household), clock=CLOCK, **case)  # type: ignore[arg-type]
        assert info.value.text.zh and info.value.text.en
    assert reg.query("SELECT count(*) AS n FROM audit_finding")[0]["n"] == 0
    accuracy_sample.record_finding(
        reg, sample.id, inside, visited_on=on, births_found=0, persons_found=1, clock=CLOCK
    )
    with pytest.raises(accuracy_sample.AuditError, match=r"已记录|already"):
        accuracy_sample.record_finding(
            reg, sample.id, inside, visited_on=on, births_found=1, persons_found=1, clock=CLOCK
        )
    assert accuracy_sample.accuracy(reg, sample.id).rate is None  # no birth found yet: no rate
    with pytest.raises(accuracy_sample.AuditError):
        accuracy_sample.accuracy(reg, "no-such-sample")
