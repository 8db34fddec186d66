"""reports.pdf.jobs: the 'as of' day a print request names."""

from __future__ import annotations

import datetime as dt

import pytest

from fpdesk.reports.pdf import jobs


def test_the_as_of_day_is_a_day_or_the_last_day_of_a_period() -> None:
    assert jobs.day_of(None) is None
    assert jobs.day_of("") is None
    assert jobs.day_of(" 2024-02-29 ") == dt.date(2024, 2, 29)
    assert jobs.day_of("2026-11") == dt.date(2026, 11, 30)
    assert jobs.day_of("2019") == dt.date(2019, 9, 30)  # the statistical year


def test_a_day_that_does_not_exist_is_refused_as_a_period() -> None:
    with pytest.raises(jobs.PrintRequestError) as caught:
        jobs.day_of("2023-02-29")
    assert "2023-02-29" in str(caught.value)
