"""Names behind every number: reports.members, its command line and its printout."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.core.clock import FixedClock
from fpdesk.core.periods import parse_period
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.reports.pdf.layout import PrintOptions
from fpdesk.reports.pdf.members import print_members
from fpdesk.store import access, accounts, records
from fpdesk.store.db import Register, create_register
from tests.conftest import PASSPHRASE
from tests.reports import world
from tests.reports.pdf.conftest import pdf_text
from tests.reports.world import TOWNSHIP, VILLAGE_A, VILLAGE_B, World

Y2019 = parse_period("2019")
W7_ID = "450102199505050027"


@pytest.fixture
def town(register: Register) -> World:
    w = world.build(register)
    records.update(register, "person", w.ids["W7"], {"id_number": W7_ID})
    return w


def test_every_list_is_as_long_as_its_number(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    for result in report.results:
        numerator = who.counted(town.register, report, result.key, "numerator")
        assert len(numerator) == result.numerator, result.key
        denominator = who.counted(town.register, report, result.key, "denominator")
        assert len(denominator) == (result.denominator or 0), result.key


def test_births_are_listed_under_their_mothers_as_counted_by_hand(town: World) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    births = who.counted(town.register, report, "births")
    # world.py, counted by hand: the twins of W1, and W3, W5, W7, W11 (6 births).
    assert Counter(b.name for b in births) == Counter(["W1", "W1", "W3", "W5", "W7", "W11"])
    w7 = next(b for b in births if b.name == "W7")
    assert (w7.village, w7.village_code, w7.date) == ("乙社区", VILLAGE_B, "2019-04-04")
    assert w7.household == records.get(town.register, "household", town.households["H7"])["code"]
    assert w7.event.zh == "生育（女）"
    # Listed ID numbers are masked the project's way: first and last four kept.
    assert w7.id_number == "4501**********0027"
    visited = who.counted(town.register, report, "postnatal_rate")
    assert sorted((v.name, v.date, v.event.zh) for v in visited) == [
        ("W1", "2019-10-05", "产后访视"),
        ("W1", "2019-10-05", "产后访视"),
        ("W7", "2019-04-10", "产后访视"),
    ]


def test_women_are_listed_with_the_event_that_counts_them(town: World) -> None:
    report = ind.compute(town.register, Y2019, [VILLAGE_A])
    users = {c.name: c for c in who.counted(town.register, report, "long_acting_rate")}
    assert (users["W2"].event.zh, users["W2"].date) == ("采取节育措施：皮下埋植", "2010-06-15")
    assert users["W3"].date == "2019-05-01"  # her husband's sterilisation counts for her
    married = {
        c.name: c for c in who.counted(town.register, report, "contraceptive_rate", "denominator")
    }
    assert (married["W12"].event.zh, married["W12"].date) == ("已婚育龄妇女（结婚）", "2012-01-01")
    # Follow-ups, counted by hand in world.py: in village A, W2 0/1, W3 1/2, W5 1/1.
    due = who.counted(town.register, report, "followup_rate", "denominator")
    done = who.counted(town.register, report, "followup_rate", "numerator")
    assert (len(due), len(done)) == (4, 2)
    assert sorted((d.name, d.date) for d in done) == [("W3", "2019-06-01"), ("W5", "2019-01-10")]


def test_a_list_stays_inside_the_sessions_area(tmp_path: Path) -> None:
    reg, _ = accounts.create_with_account(
        tmp_path / "t.fpdesk",
        role="township",
        area_code=TOWNSHIP,
        name="管理员",
        passphrase="admin-pass-1",
    )
    try:
        world.build(reg)
        accounts.add(reg, "甲村专干", "officer", VILLAGE_A, "officer-pass-1")
    finally:
        reg.close()
    with accounts.login(tmp_path / "t.fpdesk", "甲村专干", "officer-pass-1") as officer:
        mine = ind.compute(officer, Y2019, [VILLAGE_A])
        assert len(who.counted(officer, mine, "births")) == 4
        narrowed = ind.compute(officer, Y2019, [TOWNSHIP])  # the officer's part of it
        assert narrowed.areas == (VILLAGE_A,)
        assert len(who.counted(officer, narrowed, "births")) == 4
        with pytest.raises(access.AccessDenied):
            ind.compute(officer, Y2019, [VILLAGE_B])
        # A township report made some other way still lists nobody for the officer.
        whole = ind.evaluate(ind.collect(officer, Y2019), [TOWNSHIP])
        with pytest.raises(access.AccessDenied):
            who.counted(officer, whole, "births")


@pytest.fixture
def db(tmp_path: Path, passphrase_env: str) -> Iterator[str]:
    path = tmp_path / "township.fpdesk"
    reg = create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP)
    w = world.build(reg)
    records.update(reg, "person", w.ids["W7"], {"id_number": W7_ID})
    reg.close()
    yield str(path)


def test_indicators_members_lists_persons(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["indicators", "--db", db, "--period", "2019", "--members", "--json"]
    assert main(argv) == 0
    (report,) = json.loads(capsys.readouterr().out)["reports"]
    for result in report["results"]:
        assert "numerator_ids" not in result
        assert len(result["numerator_members"]) == result["numerator"]
        assert len(result["denominator_members"]) == (result["denominator"] or 0)
    births = {r["key"]: r for r in report["results"]}["births"]["numerator_members"]
    w7 = next(m for m in births if m["name"] == "W7")
    assert w7["id_number"] == "4501**********0027" and w7["village"] == "乙社区"
    assert (w7["event"], w7["date"]) == ("生育（女）", "2019-04-04")
    assert W7_ID not in json.dumps(report, ensure_ascii=False)
    assert main(["--lang", "zh", "indicators", "--db", db, "--period", "2019", "--members"]) == 0
    text = capsys.readouterr().out
    assert "出生人数 · 分子 (6)" in text and "4501**********0027" in text and W7_ID not in text


def test_the_list_prints(town: World, tmp_path: Path) -> None:
    report = ind.compute(town.register, Y2019, [TOWNSHIP])
    out = tmp_path / "名单.pdf"
    options = PrintOptions(language="zh", clock=FixedClock(dt.date(2019, 10, 8)))
    done = print_members(town.register, report, "births", "numerator", out, options=options)
    assert done.items == 6 and done.pages == 1
    text = pdf_text(out, "-layout")
    assert "出生人数 · 分子" in text and "4501**********0027" in text
    listed = [line for line in text.splitlines() if "生育（" in line]
    assert len(listed) == report.result("births").numerator
