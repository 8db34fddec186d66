"""The move forms from the person's Record menu in the real main window: each kind of
move, bad input shown at its field, and the question whether to close a household."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fpdesk.gui.forms.base import FormDialog
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.store import records
from fpdesk.store.reading import households
from tests.gui.conftest import type_text


def _person(qtbot, window: MainWindow, initials: str) -> None:  # type: ignore[no-untyped-def]
    window.search.setFocus()
    type_text(qtbot, window.search, initials)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.detail.currentWidget() is window.person_page


def _record(qtbot, window: MainWindow, kind: str) -> FormDialog:  # type: ignore[no-untyped-def]
    """Trigger the person's Record menu entry for `kind`; the form it opened."""
    [action] = [a for a in window.person_page.menu.actions() if a.data() == kind]
    before = len(window.open_forms)
    action.trigger()
    qtbot.waitUntil(lambda: len(window.open_forms) > before)
    form = window.open_forms[-1]
    assert isinstance(form, FormDialog)
    qtbot.waitExposed(form)
    return form


def _type(qtbot, form: FormDialog, name: str, text: str) -> None:  # type: ignore[no-untyped-def]
    widget = form.editors[name].widget
    widget.setFocus()
    type_text(qtbot, widget, text)


def _save(qtbot, form: FormDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(
        form.editors["moved_on"].widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )


def test_float_out_needs_a_place_and_return_needs_a_leaving(
    qtbot, main_window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    register = main_window.register
    _person(qtbot, main_window, "zs")  # 张三
    person = main_window.person_page.person_id
    assert person is not None
    back = _record(qtbot, main_window, "move_return")
    _type(qtbot, back, "moved_on", "2026-03-01")
    _save(qtbot, back)
    assert back.isVisible() and "没有流出记录" in back.error_of("moved_on")
    back.discard()
    away = _record(qtbot, main_window, "move_out")
    _type(qtbot, away, "moved_on", "2026-04-01")
    _save(qtbot, away)
    assert away.isVisible() and away.error_of("place")
    _type(qtbot, away, "place", "广东省东莞市")
    away.grab().save(str(tmp_path / "float_out.png"))
    _save(qtbot, away)
    assert not away.isVisible()
    row = records.get(register, "person", person) or {}
    assert (row["residence_status"], row["residence_place"]) == ("out", "广东省东莞市")
    # A return dated before the leaving is refused at the date; after it, accepted.
    back = _record(qtbot, main_window, "move_return")
    _type(qtbot, back, "moved_on", "2026-03-15")
    _save(qtbot, back)
    assert back.isVisible() and back.error_of("moved_on")
    back.editors["moved_on"].set_value("2026-09-01")
    _save(qtbot, back)
    assert not back.isVisible()
    kinds = [
        r["kind"]
        for r in register.query(
            "SELECT kind FROM move WHERE person_id = ? ORDER BY moved_on", (person,)
        )
    ]
    assert kinds == ["float_out", "return"]


def test_transfer_out_of_the_last_member_asks_to_close_the_household(
    qtbot, main_window: MainWindow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    register = main_window.register
    _person(qtbot, main_window, "oyn")  # 欧阳娜娜, alone in her household
    person = main_window.person_page.person_id
    assert person is not None
    household = (records.get(register, "person", person) or {})["household_id"]
    form = _record(qtbot, main_window, "move_transfer_out")
    _type(qtbot, form, "moved_on", "2026-05-01")
    _type(qtbot, form, "place", "南宁市青秀区")
    asked: list[str] = []

    def answer_yes() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_yes)
            return
        asked.append(box.text())
        box.grab().save(str(tmp_path / "close_question.png"))
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer_yes)
    _save(qtbot, form)
    qtbot.waitUntil(lambda: not form.isVisible())
    assert asked and "销户" in asked[0] and "欧阳娜娜" in asked[0]
    closed = records.get(register, "household", household) or {}
    assert closed["closed_on"] == "2026-05-01"
    kinds = [
        r["kind"] for r in register.query("SELECT kind FROM move WHERE person_id = ?", (person,))
    ]
    assert kinds == ["transfer_out"]
    # On the household page she is marked as moved away, not as living there.
    [member] = households.members_at_a_glance(register, household, main_window.clock.today())
    assert member.state == "gone"
    assert main_window.household_page.model.markers(member) in ("moved away", "已迁出或离开")
