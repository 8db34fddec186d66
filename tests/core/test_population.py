"""core.population: the four states, the bases, checking a new move, 0.1's kinds."""

from __future__ import annotations

import json

import pytest

from fpdesk.core import population as pop
from fpdesk.core.indicators import DefinitionsError, book_from_data, load_book


def test_state_on_reads_the_last_move_and_before_the_first() -> None:
    history = [
        ("2020-01-01", "float_out"),
        ("2022-06-01", "return"),
        ("2024-01-01", "transfer_out"),
    ]
    assert pop.state_on(history, "2019-12-31") == pop.HERE  # a 流出 starts from here
    assert pop.state_on(history, "2020-01-01") == pop.FLOAT_OUT  # effective on its day
    assert pop.state_on(history, "2023-01-01") == pop.HERE
    assert pop.state_on(history, "2024-01-01") == pop.GONE
    assert pop.state_on([("2021-01-01", "float_in")], "2020-01-01") == pop.GONE
    assert pop.state_on([], "2020-01-01", "out") == pop.FLOAT_OUT  # no move: her record


def test_the_bases_and_alive() -> None:
    assert [s for s in pop.STATES if pop.counts("registered", s)] == [pop.HERE, pop.FLOAT_OUT]
    assert [s for s in pop.STATES if pop.counts("resident", s)] == [pop.HERE, pop.FLOAT_IN]
    assert not pop.alive_on("2000-01-01", "2020-05-05", "2020-05-05")  # died that day
    assert pop.alive_on("2020-05-05", None, "2020-05-05")  # born that day
    assert pop.in_age_band("2011-09-30", "2026-09-30")  # 15 on the day
    assert not pop.in_age_band("1976-09-30", "2026-09-30")  # 50 on the day


@pytest.mark.parametrize(
    ("history", "status", "kind", "day", "wrong"),
    [
        ([], "here", "return", "2020-01-01", True),  # never left
        ([("2020-01-01", "float_out")], "here", "return", "2019-06-01", True),  # before
        ([("2020-01-01", "float_out")], "here", "return", "2020-06-01", False),
        ([], "here", "transfer_in", "2020-01-01", True),  # registered here already
        ([("2020-01-01", "float_out")], "here", "transfer_in", "2021-01-01", True),
        ([("2020-01-01", "transfer_out")], "here", "transfer_in", "2021-01-01", False),
        ([], "in", "leave", "2020-01-01", False),
        ([], "here", "leave", "2020-01-01", True),
        # slipped before a later 返回 it contradicts: float out twice
        (
            [("2020-01-01", "float_out"), ("2021-01-01", "return")],
            "here",
            "float_out",
            "2019-01-01",
            True,
        ),
    ],
)
def test_check_new_move(
    history: list[tuple[str, str]], status: str, kind: str, day: str, wrong: bool
) -> None:
    assert (pop.check_new_move(history, status, kind, day) is not None) == wrong


def test_a_newcomer_starts_outside() -> None:
    assert pop.check_new_move([], "here", "transfer_in", "2020-01-01", newcomer=True) is None
    assert pop.check_new_move([], "here", "float_in", "2020-01-01", newcomer=True) is None


def test_0_1_kinds_read_as_0_1_wrote_them() -> None:
    history = [("2019-01-01", "out"), ("2020-01-01", "in"), ("2021-01-01", "out")]
    assert pop.upgrade_legacy(history, "out") == ["float_out", "return", "float_out"]
    assert pop.upgrade_legacy([("2019-01-01", "in")], "here") == ["transfer_in"]
    assert pop.upgrade_legacy([("2019-01-01", "in")], "in") == ["float_in"]
    assert pop.broken_step([("2019-01-01", "float_out"), ("2020-01-01", "transfer_in")]) == 1


def test_every_plan_indicator_names_the_registered_population() -> None:
    for version in load_book().versions:
        assert {item.basis for item in version.indicators} == {"registered"}


def test_an_unknown_basis_is_refused() -> None:
    from importlib import resources

    text = resources.files("fpdesk.resources").joinpath("indicators.json").read_text("utf-8")
    raw = json.loads(text)
    raw["versions"][0]["indicators"][0]["basis"] = "everyone"
    with pytest.raises(DefinitionsError):
        book_from_data(raw)
