"""core.dates: the one place dates are read, ages counted and days moved."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core import dates

D = dt.date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-03-05", D(2024, 3, 5)),
        ("20240305", D(2024, 3, 5)),
        ("2024/3/5", D(2024, 3, 5)),
        ("2024.3.5", D(2024, 3, 5)),
        (" 2024-3-05 ", D(2024, 3, 5)),
        ("2024-02-29", D(2024, 2, 29)),
        ("20000229", D(2000, 2, 29)),
        ("２０２４-０３-０５", D(2024, 3, 5)),  # full-width digits, as a Chinese IME types them
        (D(2019, 1, 2), D(2019, 1, 2)),
    ],
)
def test_typed_takes_what_officers_type(text: object, day: dt.date) -> None:
    assert dates.typed(text) == day


@pytest.mark.parametrize(
    "text",
    ["", None, "   ", "2024-02-30", "2023-02-29", "1900-02-29", "20230229", "5.3.2024",
     "24-3-5", "2024-13-01", "2024-03", "2024-03-05-01", "二〇二四年三月五日", "abc", "2024030"],
)
def test_typed_refuses_what_is_not_a_day(text: object) -> None:
    assert dates.typed(text) is None


def test_iso_takes_only_the_iso_form() -> None:
    assert dates.iso("2024-02-29") == D(2024, 2, 29)
    assert dates.iso(D(2024, 2, 29)) == D(2024, 2, 29)
    # date.fromisoformat (3.11) would take 20240305 and the week date 2024-W10-2; a
    # stored date never looks like them.
    for text in (
        "20240305", "2024-W10-2", "2024-3-5", "２０２４-０３-０５",
        "2024-02-30", "2023-02-29", "", None,
    ):
        assert dates.iso(text) is None
    assert dates.iso(dt.datetime(2024, 3, 5, 10, 0)) is None
    assert dates.iso(20240305) is None


def test_stored_reads_the_register_and_refuses_damage() -> None:
    assert dates.stored("2024-02-29") == D(2024, 2, 29)
    assert dates.stored(None) is None
    assert dates.stored("") is None
    with pytest.raises(ValueError):
        dates.stored("2023-02-29")
    with pytest.raises(ValueError):
        dates.stored("not a day")


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(1990, 6, 15), D(2020, 6, 14), 29),
        (D(1990, 6, 15), D(2020, 6, 15), 30),  # the birthday itself counts
        (D(2000, 2, 29), D(2018, 2, 28), 17),  # no 29 February in 2018: not yet 18
        (D(2000, 2, 29), D(2018, 3, 1), 18),
        (D(2000, 2, 29), D(2020, 2, 28), 19),
        (D(2000, 2, 29), D(2020, 2, 29), 20),
        ("2000-02-29", D(2004, 2, 29), 4),
        ("1976-02-29", D(2026, 2, 28), 49),
        (D(2024, 3, 5), D(2024, 3, 5), 0),
    ],
)
def test_age_on(born: dt.date | str, on: dt.date, age: int) -> None:
    assert dates.age_on(born, on) == age


def test_age_on_refuses_a_bad_birth_date() -> None:
    with pytest.raises(ValueError):
        dates.age_on("2023-02-29", D(2024, 1, 1))


def test_add_years_moves_29_february_to_the_28th() -> None:
    assert dates.add_years(D(2000, 2, 29), 12) == D(2012, 2, 29)
    assert dates.add_years(D(2000, 2, 29), 1) == D(2001, 2, 28)
    assert dates.add_years(D(2000, 2, 29), -1) == D(1999, 2, 28)
    assert dates.add_years(D(2024, 3, 5), -50) == D(1974, 3, 5)
    # The one day the two counts disagree (see the module's note).
    born = D(2000, 2, 29)
    assert dates.add_years(born, 18) == D(2018, 2, 28)
    assert dates.age_on(born, dates.add_years(born, 18)) == 17


@pytest.mark.parametrize(
    ("day", "months", "then"),
    [
        (D(2019, 1, 31), 1, D(2019, 2, 28)),
        (D(2020, 1, 31), 1, D(2020, 2, 29)),
        (D(2020, 2, 29), 12, D(2021, 2, 28)),
        (D(2020, 2, 29), 48, D(2024, 2, 29)),
        (D(2019, 11, 30), 3, D(2020, 2, 29)),
        (D(2019, 5, 31), -1, D(2019, 4, 30)),
        (D(2019, 3, 15), -15, D(2017, 12, 15)),
        (D(2019, 3, 15), 0, D(2019, 3, 15)),
    ],
)
def test_add_months_clamps_to_the_months_last_day(
    day: dt.date, months: int, then: dt.date
) -> None:
    assert dates.add_months(day, months) == then


def test_month_end_and_months_from() -> None:
    assert dates.month_end(2020, 2) == D(2020, 2, 29)
    assert dates.month_end(2019, 2) == D(2019, 2, 28)
    assert dates.month_end(1900, 2) == D(1900, 2, 28)  # not a leap year
    assert dates.month_end(2019, 14) == D(2020, 2, 29)  # a quarter running into next year
    assert dates.month_end(2019, 12) == D(2019, 12, 31)
    assert dates.months_from(D(2018, 10, 31), D(2019, 1, 1)) == 3
    assert dates.months_from(D(2019, 1, 1), D(2018, 10, 31)) == -3
    assert dates.months_from(D(2019, 1, 31), D(2019, 1, 1)) == 0


def test_days_after() -> None:
    assert dates.days_after("2024-02-28", 1) == "2024-02-29"
    assert dates.days_after("2023-02-28", 1) == "2023-03-01"
    assert dates.days_after("2024-03-01", -1) == "2024-02-29"
    assert dates.days_after("2024-05-01", 280) == "2025-02-05"
    with pytest.raises(ValueError):
        dates.days_after("2024-02-30", 1)
