"""The fertility finding form: a dated finding that a woman cannot bear children."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fpdesk.gui.forms import open_form
from fpdesk.gui.pages import PERSON_FORMS
from fpdesk.store import operations
from fpdesk.store.db import Register
from tests.gui.forms.test_forms import TODAY, focused, show


@pytest.fixture
def woman(register: Register, clock) -> str:  # type: ignore[no-untyped-def]
    new = operations.add_household(
        register,
        {"group_no": 1},
        [{"name": "赵桂兰", "sex": 2, "birth_date": "1977-03-04", "relationship": 0}],
        clock=clock,
    )
    return new.member_ids[0]


def test_a_finding_is_saved_as_a_dated_visit_with_its_code(qtbot, register, woman, clock) -> None:  # type: ignore[no-untyped-def]
    assert "fertility" in PERSON_FORMS  # offered from the person's Record… menu
    form = show(qtbot, open_form("fertility", register, {"person_id": woman}, clock=clock))
    assert form.editors["visited_on"].value() == TODAY.isoformat()
    # Nothing chosen yet: refused, the message next to the field, nothing written.
    form.editors["result"].set_value(None)
    assert not form.save()
    assert register.query("SELECT count(*) AS n FROM visit")[0]["n"] == 0
    form.editors["result"].set_value("menopause")
    form.editors["visited_on"].set_value("2026-03-15")
    qtbot.keyClick(focused(form), Qt.Key.Key_Return)
    assert not form.isVisible()
    rows = register.query("SELECT person_id, visit_type, visited_on, result, follows_id FROM visit")
    assert rows == [
        {
            "person_id": woman,
            "visit_type": "fertility_status",
            "visited_on": "2026-03-15",
            "result": "menopause",
            "follows_id": None,
        }
    ]


def test_a_finding_without_a_known_result_is_refused_by_the_operation(
    register, woman, clock
) -> None:  # type: ignore[no-untyped-def]
    """The command line and imports go through the same rule as the form."""
    with pytest.raises(operations.FormProblems) as refused:
        operations.record_visit(
            register,
            woman,
            {"visit_type": "fertility_status", "visited_on": "2026-03-15", "result": "old"},
            clock=clock,
        )
    assert set(refused.value.problems) == {"result"}
    assert "已绝经" in refused.value.problems["result"].zh
