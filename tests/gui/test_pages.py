"""The household page and the person page on their own: what they show, what their
buttons ask for, and what they show for a record that is not there."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from fpdesk.core.clock import FixedClock
from fpdesk.gui.pages import HouseholdPage, PersonPage
from fpdesk.store.db import Register


def _asked(page: HouseholdPage | PersonPage) -> list[tuple[str, dict[str, Any]]]:
    wanted: list[tuple[str, dict[str, Any]]] = []
    page.form_wanted.connect(lambda kind, values: wanted.append((kind, values)))
    return wanted


def _ids(register: Register, name: str) -> tuple[str, str]:
    row = register.query("SELECT id, household_id FROM person WHERE name = ?", (name,))[0]
    return row["id"], row["household_id"]


def test_household_page_shows_the_household_and_its_history_button_asks_for_it(
    qtbot, filled_register: Register, clock: FixedClock
) -> None:
    page = HouseholdPage(filled_register, clock)
    qtbot.addWidget(page)
    _, household = _ids(filled_register, "王建国")
    page.show_household(household)
    assert "王建国" in page.title.text()
    assert "幸福路" in page.facts.text()
    names = {page.model.row_at(r).name for r in range(page.model.rowCount())}
    assert names == {"王建国", "赵桂兰"}
    wanted = _asked(page)
    qtbot.mouseClick(page.history, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_person, Qt.MouseButton.LeftButton)
    assert wanted == [
        ("history", {"row_id": household}),
        ("person", {"household_id": household}),
    ]


def test_person_page_shows_the_person_and_its_history_button_asks_for_her(
    qtbot, filled_register: Register, clock: FixedClock
) -> None:
    page = PersonPage(filled_register, clock)
    qtbot.addWidget(page)
    person, household = _ids(filled_register, "李秀英")
    page.show_person(person)
    assert "李秀英" in page.title.text() and "41" in page.title.text()
    assert "1985-07-02" in page.facts.text()
    assert page.model.rowCount() > 0  # her IUD at least
    wanted = _asked(page)
    qtbot.mouseClick(page.history, Qt.MouseButton.LeftButton)
    assert wanted == [("history", {"row_id": person})]
    chosen: list[str] = []
    page.household_chosen.connect(chosen.append)
    qtbot.mouseClick(page.back, Qt.MouseButton.LeftButton)
    assert chosen == [household]


def test_a_record_that_is_not_there_empties_the_page(
    qtbot, filled_register: Register, clock: FixedClock
) -> None:
    person, household = _ids(filled_register, "李秀英")
    for page, show, real in (
        (HouseholdPage(filled_register, clock), "show_household", household),
        (PersonPage(filled_register, clock), "show_person", person),
    ):
        qtbot.addWidget(page)
        getattr(page, show)(real)
        assert page.facts.text() and page.model.rowCount() > 0
        getattr(page, show)("no-such-id")
        assert page.title.text() in {
            "This household was not found.",
            "找不到这一户。",
            "This person was not found.",
            "找不到此人。",
        }
        assert page.facts.text() == ""
        assert page.model.rowCount() == 0
