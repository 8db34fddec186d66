from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.core.periods import PeriodError, parse_period, statistical_year_of

D = dt.date


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("2019", D(2018, 10, 1), D(2019, 9, 30), "statistical_year"),
        ("2019CY", D(2019, 1, 1), D(2019, 12, 31), "calendar_year"),
        ("2019H1", D(2018, 10, 1), D(2019, 3, 31), "half_year"),
        ("2019h2", D(2019, 4, 1), D(2019, 9, 30), "half_year"),
        ("2019Q1", D(2018, 10, 1), D(2018, 12, 31), "quarter"),
        ("2019Q2", D(2019, 1, 1), D(2019, 3, 31), "quarter"),
        ("2019Q4", D(2019, 7, 1), D(2019, 9, 30), "quarter"),
        ("2019-03", D(2019, 3, 1), D(2019, 3, 31), "month"),
        ("2020-02", D(2020, 2, 1), D(2020, 2, 29), "month"),
        ("2019-12", D(2019, 12, 1), D(2019, 12, 31), "month"),
        ("2019-01-01..2019-12-31", D(2019, 1, 1), D(2019, 12, 31), "range"),
    ],
)
def test_parse(text: str, start: dt.date, end: dt.date, kind: str) -> None:
    period = parse_period(text)
    assert (period.start, period.end, period.kind) == (start, end, kind)
    assert parse_period(period.label) == period


def test_statistical_year_edges() -> None:
    year = parse_period("2019")
    assert D(2019, 9, 30) in year
    assert D(2019, 10, 1) not in year
    assert D(2018, 10, 1) in year
    assert statistical_year_of(D(2019, 10, 1)) == 2020
    assert statistical_year_of(D(2019, 9, 30)) == 2019
    assert parse_period("2019-11").statistical_year == 2020


def test_months_cover_the_period_exactly() -> None:
    months = parse_period("2019").months()
    assert [m.label for m in months][:3] == ["2018-10", "2018-11", "2018-12"]
    assert len(months) == 12
    assert months[0].start == D(2018, 10, 1) and months[-1].end == D(2019, 9, 30)
    clipped = parse_period("2019-01-15..2019-02-10").months()
    assert [(m.start, m.end) for m in clipped] == [
        (D(2019, 1, 15), D(2019, 1, 31)),
        (D(2019, 2, 1), D(2019, 2, 10)),
    ]


def test_previous_year() -> None:
    assert parse_period("2019").previous_year() == parse_period("2018")
    assert parse_period("2019Q3").previous_year() == parse_period("2018Q3")
    assert parse_period("2020-02-29..2020-03-01").previous_year().start == D(2019, 2, 28)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "19",
        "2019-13",
        "2019Q5",
        "2019H3",
        "2019-02-30..2019-03-01",
        "2019-03-01..2019-02-01",
        "abc",
    ],
)
def test_bad_periods_say_so_in_both_languages(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert info.value.text.zh and info.value.text.en
    assert "时段" in info.value.text.zh
