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
