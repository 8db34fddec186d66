"""The area tree: villages with households, and their groups."""

from __future__ import annotations

from fpdesk.store.db import Register
from fpdesk.store.reading import villages
from tests.conftest import VILLAGE
from tests.reports.pdf.conftest import Village


def test_a_village_register_lists_its_village_even_empty(register: Register) -> None:
    assert [v.code for v in villages.villages(register)] == [VILLAGE]
    assert villages.groups(register, VILLAGE) == []


def test_villages_by_name_and_groups_counted(register: Register, village: Village) -> None:
    assert [(v.code, v.name) for v in villages.villages(register)] == [(VILLAGE, "那况村")]
    assert villages.groups(register, VILLAGE) == [("01", 1), ("02", 1)]
