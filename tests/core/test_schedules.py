"""Due-visit schedules: IUD and other operations, pregnancy, postnatal, exams, resupply."""

from __future__ import annotations

import datetime as dt

from fpdesk.core import schedules as s
from fpdesk.core.schedules import Birth, Episode, PersonEvents, Pregnancy, Supply, Visit

D = dt.date.fromisoformat


def woman(**kw: object) -> PersonEvents:
    base: dict[str, object] = {"person_id": "w", "sex": 2, "birth_date": D("1990-01-01")}
    base.update(kw)
    return PersonEvents(**base)  # type: ignore[arg-type]


def due(person: PersonEvents, on: str) -> list[tuple[str, str, int]]:
    return [(d.visit_type, d.due_on.isoformat(), d.overdue_days)
            for d in s.due_visits(person, D(on))]


IUD = Episode("c1", "iud", D("2026-01-10"))


def test_iud_follow_ups_at_months_1_3_6_12_then_yearly_checks() -> None:
    person = woman(contraception=[IUD])
    assert due(person, "2026-01-25") == []  # window opens 15 days before 2026-02-10
    assert due(person, "2026-01-26") == [("iud_followup", "2026-02-10", 0)]
    assert due(person, "2026-02-20") == [("iud_followup", "2026-02-10", 10)]
    assert due(person, "2026-04-01") == [("iud_followup", "2026-04-10", 0)]
    assert due(person, "2026-07-20") == [("iud_followup", "2026-07-10", 10)]
    assert due(person, "2027-01-10") == [("iud_followup", "2027-01-10", 0)]
    assert due(person, "2028-01-20") == [("iud_check", "2028-01-10", 10)]
    assert due(person, "2030-02-09") == [("iud_check", "2030-01-10", 30)]


def test_a_visit_in_the_window_satisfies_the_occurrence() -> None:
    visited = woman(contraception=[IUD], visits=[Visit("iud_followup", D("2026-01-28"))])
    assert due(visited, "2026-02-20") == []
    # the month-3 visit is due again once its own window opens
    assert due(visited, "2026-03-26") == [("iud_followup", "2026-04-10", 0)]
    # too early, wrong type, linked to another insertion, or after the date: none count
    for visit in (Visit("iud_followup", D("2026-01-20")), Visit("gyn_exam", D("2026-02-10")),
                  Visit("iud_followup", D("2026-02-10"), follows_id="other"),
                  Visit("iud_followup", D("2026-02-21"))):
        assert due(woman(contraception=[IUD], visits=[visit]), "2026-02-20") == [
            ("iud_followup", "2026-02-10", 10)], visit
    linked = woman(contraception=[IUD], visits=[Visit("iud_check", D("2026-02-10"), "c1")])
    assert due(linked, "2026-02-20") == []


def test_a_missed_occurrence_is_superseded_by_the_next() -> None:
    person = woman(contraception=[IUD])
    assert due(person, "2026-06-30") == [("iud_followup", "2026-07-10", 0)]


def test_no_follow_ups_after_the_method_ends_or_the_person_dies() -> None:
    removed = Episode("c1", "iud", D("2026-01-10"), ended_on=D("2026-03-01"))
    assert due(woman(contraception=[removed]), "2026-02-20") == [
        ("iud_followup", "2026-02-10", 10)]
    assert due(woman(contraception=[removed]), "2026-04-01") == []
    assert due(woman(contraception=[IUD], death_date=D("2026-02-01")), "2026-02-20") == []
    assert due(woman(contraception=[IUD]), "2025-12-01") == []  # not inserted yet


def test_other_operations_follow_their_configured_months() -> None:
    ligation = Episode("c2", "female_sterilisation", D("2025-01-15"))
    assert due(woman(contraception=[ligation]), "2026-01-20") == [
        ("postop_followup", "2026-01-15", 5)]
    assert due(woman(contraception=[ligation]), "2027-06-01") == [
        ("postop_followup", "2026-01-15", 502)]
    vasectomy = Episode("c3", "male_sterilisation", D("2026-01-15"))
    assert due(woman(contraception=[vasectomy]), "2026-04-20") == [
        ("postop_followup", "2026-04-15", 5)]


def test_pregnancy_tracking_monthly_until_the_outcome() -> None:
    open_pregnancy = Pregnancy("g1", D("2026-05-01"))
    assert due(woman(pregnancies=[open_pregnancy]), "2026-05-10") == []
    assert due(woman(pregnancies=[open_pregnancy]), "2026-05-20") == [
        ("pregnancy_tracking", "2026-05-31", 0)]
    tracked = woman(pregnancies=[open_pregnancy],
                    visits=[Visit("pregnancy_check", D("2026-06-01"), "g1")])
    assert due(tracked, "2026-06-10") == []
    assert due(tracked, "2026-07-02") == [("pregnancy_tracking", "2026-06-30", 2)]
    ended = Pregnancy("g1", D("2026-05-01"), outcome_on=D("2026-06-20"))
    assert due(woman(pregnancies=[ended]), "2026-07-02") == []
    # run for a date before the outcome: the outcome is not known yet
    assert due(woman(pregnancies=[ended]), "2026-06-05") == [
        ("pregnancy_tracking", "2026-05-31", 5)]


def test_postnatal_visits_on_days_7_and_28_once_per_delivery() -> None:
    twins = [Birth("b1", D("2026-10-01")), Birth("b2", D("2026-10-02"))]
    assert due(woman(births=twins), "2026-10-04") == []
    assert due(woman(births=twins), "2026-10-05") == [("postnatal", "2026-10-08", 0)]
    visited = woman(births=twins, visits=[Visit("postnatal", D("2026-10-08"), "b1")])
    assert due(visited, "2026-10-20") == []
    assert due(visited, "2026-10-30") == [("postnatal", "2026-10-29", 1)]
    assert due(woman(births=twins), "2026-11-20") == []  # past the postnatal period


def test_yearly_exam_for_married_women_15_to_49() -> None:
    married = woman(marriage_id="m1", married_on=D("2015-06-01"))
    items = s.due_visits(married, D("2026-01-01"))
    assert [(i.visit_type, i.due_on, i.follows_table) for i in items] == [
        ("gyn_exam", D("2025-06-01"), "marriage")]  # this cycle's exam, not 2015's
    long_ago = woman(marriage_id="m1", married_on=D("2015-06-01"),
                     visits=[Visit("gyn_exam", D("2018-03-10"))])
    assert due(long_ago, "2026-01-01") == [("gyn_exam", "2025-03-10", 297)]
    examined = woman(marriage_id="m1", married_on=D("2015-06-01"),
                     visits=[Visit("gyn_exam", D("2025-09-01"))])
    assert due(examined, "2026-08-17") == [("gyn_exam", "2026-09-01", 0)]
    assert due(examined, "2026-08-16") == []
    assert due(woman(), "2026-01-01") == []  # not married
    aged_out = woman(birth_date=D("1975-01-01"), marriage_id="m1", married_on=D("1995-01-01"))
    assert due(aged_out, "2026-01-01") == []
    man = woman(sex=1, marriage_id="m1", married_on=D("2015-06-01"))
    assert due(man, "2026-01-01") == []


def test_resupply_when_the_last_supply_runs_out() -> None:
    pill = Episode("c4", "pill", D("2026-01-01"))
    assert due(woman(contraception=[pill]), "2026-01-03") == [("resupply", "2026-01-01", 2)]
    three_packs = woman(contraception=[pill], supplies=[Supply("pill", D("2026-01-01"), 3)])
    assert due(three_packs, "2026-03-10") == []
    assert due(three_packs, "2026-03-20") == [("resupply", "2026-03-26", 0)]
    condoms = Episode("c5", "condom", D("2026-01-01"))
    many = woman(contraception=[condoms], supplies=[Supply("condom", D("2026-02-01"), 20)])
    assert due(many, "2026-03-05") == [("resupply", "2026-03-03", 2)]
    other_item = woman(contraception=[pill], supplies=[Supply("condom", D("2026-03-01"), 1)])
    assert due(other_item, "2026-03-02") == [("resupply", "2026-01-01", 60)]


def test_schedules_are_data() -> None:
    data = {
        "window_days_before": 0,
        "operations": {"implant": {"visit_type": "postop_followup", "months": [2]}},
        "pregnancy": {"visit_type": "pregnancy_tracking", "every_days": 10},
        "postnatal": {"visit_type": "postnatal", "days": [3]},
        "exam": {"visit_type": "gyn_exam", "every_months": 6, "age_from": 20, "age_to": 30},
        "resupply": {"visit_type": "resupply"},
    }
    plan = s.parse_schedules(data)
    implant = woman(contraception=[Episode("c6", "implant", D("2026-01-31"))])
    assert [(i.due_on, i.overdue_days) for i in s.due_visits(implant, D("2026-03-31"), plan)] == [
        (D("2026-03-31"), 0)]
    assert s.due_visits(implant, D("2026-03-30"), plan) == []


def test_add_months_clamps_to_the_month_end() -> None:
    assert s.add_months(D("2026-01-31"), 1) == D("2026-02-28")
    assert s.add_months(D("2027-12-15"), 14) == D("2029-02-15")
    assert s.add_months(D("2024-01-31"), 1) == D("2024-02-29")


def test_every_day_for_years_the_latest_opened_date_is_due() -> None:
    start = D("2019-01-31")
    scheduled = [s.add_months(start, m) for m in (1, 3, 6, 12, *range(24, 12 * 12, 12))]
    person = woman(contraception=[Episode("c1", "iud", start)])
    day = start
    while day < D("2027-06-01"):
        opened = [d for d in scheduled if d - dt.timedelta(days=15) <= day]
        items = s.due_visits(person, day)
        if opened:
            assert [i.due_on for i in items] == [opened[-1]], day
            assert items[0].overdue_days == max(0, (day - opened[-1]).days)
        else:
            assert items == [], day
        day += dt.timedelta(days=3)


def test_long_open_pregnancy_stays_monthly() -> None:
    stale = woman(pregnancies=[Pregnancy("g1", D("2020-01-01"))])
    items = s.due_visits(stale, D("2026-11-28"))
    assert len(items) == 1
    assert (items[0].due_on - D("2020-01-01")).days % 30 == 0
    assert 0 <= (D("2026-11-28") - items[0].due_on).days < 30


def test_only_women_of_the_covered_ages_are_listed() -> None:
    older = woman(birth_date=D("1970-01-01"), contraception=[IUD])
    assert due(older, "2026-02-20") == []


def test_every_day_the_latest_opened_fixed_date_is_due() -> None:
    start = D("2023-08-31")
    scheduled = [s.add_months(start, m) for m in (1, 3, 12)]
    person = woman(contraception=[Episode("c2", "female_sterilisation", start)])
    day = start
    while day < D("2026-01-01"):
        opened = [d for d in scheduled if d - dt.timedelta(days=15) <= day]
        assert [i.due_on for i in s.due_visits(person, day)] == opened[-1:], day
        day += dt.timedelta(days=1)
