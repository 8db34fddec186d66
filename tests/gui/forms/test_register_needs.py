"""Data the register needs, asked for: the village of a township's new household, and
ethnicity preselected only from the area's or the household's usual one."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from fpdesk.gui.forms import FormDialog, open_form
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.store import operations, records
from fpdesk.store.db import create_register
from tests.conftest import PASSPHRASE, TOWNSHIP
from tests.gui.conftest import type_text

VILLAGE_A = TOWNSHIP[:9] + "201"
VILLAGE_B = TOWNSHIP[:9] + "202"


@pytest.fixture
def township(qtbot, tmp_path, prefs, clock):  # type: ignore[no-untyped-def]
    register = create_register(tmp_path / "t.fpdesk", PASSPHRASE, role="township",
                               area_code=TOWNSHIP)
    with register.transaction() as conn:
        conn.execute("INSERT INTO area_unit (code, parent_code, level, name) VALUES "
                     "(?, ?, 'village', '那况村'), (?, ?, 'village', '坛洛村')",
                     (VILLAGE_A, TOWNSHIP, VILLAGE_B, TOWNSHIP))
    for village in (VILLAGE_A, VILLAGE_B):
        records.insert(register, "household", {"code": f"{village}010001",
                                               "village_code": village, "group_no": "01"})
    window = MainWindow(register, prefs, clock)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.locker.stop()
    for form in list(window.open_forms):
        if isinstance(form, FormDialog):
            form.discard()
    window.close()
    register.close()


def choose_village(window: MainWindow, code: str | None) -> None:
    root = window.tree.topLevelItem(0)
    assert root is not None
    if code is None:
        window.tree.setCurrentItem(root)
        return
    for i in range(root.childCount()):
        if root.child(i).toolTip(0) == code:
            window.tree.setCurrentItem(root.child(i))
            return
    raise AssertionError(code)


def new_household_form(qtbot, window: MainWindow) -> FormDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    form = window.open_forms[-1]
    assert isinstance(form, FormDialog) and form.kind == "household"
    qtbot.waitExposed(form)
    return form


def test_a_township_household_asks_for_the_village_chosen_on_the_left(
    qtbot, township: MainWindow
) -> None:
    choose_village(township, VILLAGE_B)
    form = new_household_form(qtbot, township)
    village = form.editors["village_code"]
    assert village.value() == VILLAGE_B
    assert "坛洛村" in village.widget.currentText()  # type: ignore[attr-defined]
    assert form.focusWidget() is village.widget
    qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    type_text(qtbot, form.focusWidget(), "3")  # group
    form.editors["m0.name"].widget.setFocus()
    for value in ("黄大山", None, "1", "1970-05-04", "01"):
        if value:
            type_text(qtbot, form.focusWidget(), value)
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Return)
    assert not form.isVisible(), {n: form.error_of(n) for n in form.editors}
    codes = [r["code"] for r in township.register.query("SELECT code FROM household")]
    assert f"{VILLAGE_B}030001" in codes


def test_all_households_on_a_township_asks_which_village_instead_of_crashing(
    qtbot, township: MainWindow
) -> None:
    choose_village(township, None)
    form = new_household_form(qtbot, township)
    assert form.editors["village_code"].value() is None
    form.editors["group_no"].set_value("3")
    form.editors["m0.name"].set_value("黄大山")
    form.editors["m0.sex"].set_value("1")
    form.editors["m0.birth_date"].set_value("1970-05-04")
    form.editors["m0.ethnicity"].set_value("01")
    assert not form.save()
    assert form.error_of("village_code") == "请填写所属村。"
    assert form.focusWidget() is form.editors["village_code"].widget
    assert township.register.query("SELECT count(*) AS n FROM household")[0]["n"] == 2


def test_a_village_not_of_this_township_is_refused(township: MainWindow) -> None:
    with pytest.raises(operations.FormProblems) as caught:
        operations.add_household(township.register, {"group_no": 1,
                                                     "village_code": "450103001201"})
    assert set(caught.value.problems) == {"village_code"}


def test_ethnicity_is_asked_and_only_the_area_or_household_preselects(
    qtbot, register, clock  # type: ignore[no-untyped-def]
) -> None:
    form = open_form("household", register, {}, clock=clock)
    qtbot.addWidget(form)
    assert form.editors["ethnicity"].value() is None  # 汉族 is not assumed
    assert form.editors["m0.ethnicity"].value() is None
    for name, value in (("group_no", "1"), ("m0.name", "韦秀英"), ("m0.sex", "2"),
                        ("m0.birth_date", "1990-01-01")):
        form.editors[name].set_value(value)
    assert not form.save()
    assert form.error_of("m0.ethnicity") == "请填写民族。"
    form.discard()

    operations.set_area_ethnicity(register, "08")  # 壮族, set for the village's area
    form = open_form("household", register, {}, clock=clock)
    qtbot.addWidget(form)
    assert form.editors["ethnicity"].value() == "08"
    assert form.editors["m0.ethnicity"].value() == "08"
    form.editors["ethnicity"].set_value("12")  # this household: 瑶族... the members follow
    form._edited("ethnicity")
    assert form.editors["m0.ethnicity"].value() == "12"
    for name, value in (("group_no", "1"), ("m0.name", "韦秀英"), ("m0.sex", "2"),
                        ("m0.birth_date", "1990-01-01")):
        form.editors[name].set_value(value)
    assert form.save()
    household_id = form.result_value.household_id
    person = open_form("person", register, {"household_id": household_id}, clock=clock)
    qtbot.addWidget(person)
    assert person.editors["ethnicity"].value() == "12"  # the household's, not the area's
    person.discard()


def test_the_areas_usual_ethnicity_is_a_setting(qtbot, main_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.settings_dialog import SettingsDialog

    main_window.open_settings.trigger()
    dialog = main_window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert dialog.ethnicity.currentData() is None
    dialog.ethnicity.setCurrentIndex(dialog.ethnicity.findData("08"))
    qtbot.keyClick(dialog.ethnicity, Qt.Key.Key_Return)  # OK
    assert operations.area_ethnicity(main_window.register) == "08"


def test_a_childs_ethnicity_is_asked_with_the_mothers_preselected(
    qtbot, filled_register, clock  # type: ignore[no-untyped-def]
) -> None:
    register = filled_register
    mother = register.query("SELECT id FROM person WHERE name = '欧阳娜娜'")[0]["id"]
    records.update(register, "person", mother, {"ethnicity": "08"})
    form = open_form("birth", register, {"person_id": mother}, clock=clock)
    qtbot.addWidget(form)
    assert form.editors["ethnicity"].value() == "08"
    for name, value in (("name", "欧阳小雨"), ("sex", "2"), ("birth_date", "2026-10-01"),
                        ("ethnicity", "12")):
        form.editors[name].set_value(value)
    assert form.save(), {n: form.error_of(n) for n in form.editors}
    child = register.query("SELECT ethnicity FROM person WHERE name = '欧阳小雨'")
    assert child == [{"ethnicity": "12"}]
