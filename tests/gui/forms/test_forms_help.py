"""Forms that help: a refused save brings the first problem into view, with its message."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget

from fpdesk.gui.forms import FormDialog, open_form


def in_view(form: FormDialog, widget: QWidget) -> bool:
    viewport = form.scroll.viewport()
    top = widget.mapTo(viewport, QPoint(0, 0)).y()
    return 0 <= top and top + widget.height() <= viewport.height()


def test_save_scrolls_to_the_first_problem_below_or_above(qtbot, register, clock) -> None:  # type: ignore[no-untyped-def]
    form = open_form("household", register, {}, clock=clock)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form)
    for _ in range(7):
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert form.scroll.verticalScrollBar().maximum() > 0  # the form is longer than the view
    for i in range(8):
        for name, value in (("name", f"黄{'一二三四五六七八'[i]}山"), ("sex", "1"),
                            ("birth_date", f"19{70 + i}-05-04"), ("ethnicity", "08"),
                            ("relationship", "0" if i == 0 else "2")):
            form.editors[f"m{i}.{name}"].set_value(value)
    form.editors["group_no"].set_value("3")
    # A problem far down: the last member's birth date is in the future.
    form.editors["m7.birth_date"].set_value("2099-01-01")
    form.scroll.verticalScrollBar().setValue(0)
    qtbot.keyClick(form.editors["group_no"].widget, Qt.Key.Key_Return)
    target = form.editors["m7.birth_date"]
    assert form.isVisible() and form.error_of("m7.birth_date")
    assert form.focusWidget() is target.widget
    qtbot.waitUntil(lambda: in_view(form, target.widget) and in_view(form, target.error))
    # And a problem far up, while she is at the bottom.
    form.editors["m7.birth_date"].set_value("1977-05-04")
    form.editors["group_no"].set_value("")
    form.scroll.verticalScrollBar().setValue(form.scroll.verticalScrollBar().maximum())
    form.save()
    first = form.editors["group_no"]
    assert form.focusWidget() is first.widget
    qtbot.waitUntil(lambda: in_view(form, first.widget))
    form.discard()


def test_a_message_stays_with_its_member_when_a_group_between_is_empty(
    qtbot, register, clock  # type: ignore[no-untyped-def]
) -> None:
    form = open_form("household", register, {}, clock=clock)
    qtbot.addWidget(form)
    form.show()
    form.add_member()
    form.add_member()  # groups 1, 2, 3; the second left empty
    form.editors["group_no"].set_value("3")
    for name, value in (("name", "黄大山"), ("sex", "1"), ("birth_date", "1970-05-04"),
                        ("ethnicity", "01")):
        form.editors[f"m0.{name}"].set_value(value)
    form.editors["m2.name"].set_value("李😀")
    assert not form.save()
    assert form.error_of("m2.name") and not form.error_of("m1.name")
    assert form.focusWidget() is form.editors["m2.name"].widget
    form.discard()


def test_every_form_fits_a_1366x768_screen_without_scrolling_sideways(
    qtbot, filled_register, clock  # type: ignore[no-untyped-def]
) -> None:
    from fpdesk.gui.forms import FORM_KINDS, build_form

    register = filled_register
    wife = register.query("SELECT id, household_id FROM person WHERE name = '李秀英'")[0]
    husband = register.query("SELECT id FROM person WHERE name = '张三'")[0]["id"]
    for kind in FORM_KINDS:
        if kind == "household":
            context = {}
        elif kind in ("person", "move_in"):
            context = {"household_id": wife["household_id"]}
        else:
            context = {"person_id": husband if kind in ("death", "move_out") else wife["id"]}
        form = build_form(kind, register, context, clock=clock)
        qtbot.addWidget(form)
        form.show()
        qtbot.waitExposed(form)
        hint = form.sizeHint()
        assert hint.width() <= 1366 and hint.height() <= 768 - 48, (kind, hint)
        content = form.scroll.widget()
        # Every field as wide as it needs to be inside the view: nothing cut off at the right.
        assert content.minimumSizeHint().width() <= form.scroll.viewport().width(), kind
        form.discard()


def test_the_birth_verdict_makes_room_instead_of_squeezing_the_fields(
    qtbot, filled_register, clock  # type: ignore[no-untyped-def]
) -> None:
    register = filled_register
    mother = register.query("SELECT id FROM person WHERE name = '欧阳娜娜'")[0]["id"]
    form = open_form("birth", register, {"person_id": mother}, clock=clock)
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    before = form.scroll.viewport().height()
    form.editors["birth_date"].widget.setFocus()
    qtbot.keyClicks(form.editors["birth_date"].widget, "2026-10-01")
    qtbot.waitUntil(lambda: "\n" in form.verdict_label.text())  # three lines now
    QApplication.processEvents()  # the layout settles
    assert form.scroll.viewport().height() >= before
    form.discard()
