"""12-digit area codes and 18-digit household codes."""

from __future__ import annotations

import pytest

from fpdesk.core import area


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [("450000000000", "province", None), ("450100000000", "prefecture", "450000000000"),
     ("450102000000", "county", "450100000000"), ("450102001000", "township", "450102000000"),
     ("450102001201", "village", "450102001000")],
)
def test_levels_and_parents(code: str, level: str, parent: str | None) -> None:
    assert area.level_of(code) == level
    assert area.parent_of(code) == parent


def test_contains() -> None:
    assert area.contains("450102001000", "450102001201")
    assert not area.contains("450102001000", "450102002201")
    assert area.contains("450000000000", "450102002201")


@pytest.mark.parametrize("bad", ["4501020012", "45010200120A", ""])
def test_bad_codes_are_refused(bad: str) -> None:
    with pytest.raises(area.AreaCodeError):
        area.level_of(bad)


def test_household_codes_round_trip() -> None:
    code = area.household_code("450102001201", 3, 17)
    assert code == "450102001201030017"
    assert area.split_household_code(code) == ("450102001201", "03", "0017")
    with pytest.raises(area.AreaCodeError):
        area.household_code("450102001000", 1, 1)
    with pytest.raises(area.AreaCodeError):
        area.split_household_code("450102001000010001")
