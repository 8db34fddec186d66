"""File ▸ Import ledger…: the officer brings a messy village ledger into the register
through the real window's menu, step by step, with the keyboard and the mouse; a second
import of the same file adds nothing; the fields chosen are remembered for the next
sheet of the same shape; what cannot be imported is said plainly, and nothing typed is
lost on Cancel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from fpdesk.gui import file_dialogs, i18n
from fpdesk.gui.ledger_wizard import HEADING_COLOUR, LedgerWizard
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.store.db import Register
from tests.gui.ledger_files import IMPORTED, SECOND_GROUP, messy_ledger
from tests.gui.test_chinese_everywhere import latin_words, visible_texts

NEXT = QWizard.WizardButton.NextButton
COMMIT = QWizard.WizardButton.CommitButton
FINISH = QWizard.WizardButton.FinishButton


@pytest.fixture
def chinese() -> Iterator[None]:
    """The window in Chinese, as officers use it (our .qm and Qt's own)."""
    from fpdesk.core.i18n import set_language

    app = QApplication.instance()
    i18n.install(app, "zh")  # type: ignore[arg-type]
    set_language("zh")
    yield
    i18n.install(app, "en")  # type: ignore[arg-type]
    set_language(None)


@pytest.fixture
def answer_files(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The file dialogs answer with the paths put in this list, first in first out."""
    answers: list[str] = []
    monkeypatch.setattr(file_dialogs, "_run", lambda _dialog: answers.pop(0) if answers else "")
    return answers


def persons(register: Register) -> int:
    return int(register.query("SELECT count(*) AS n FROM person")[0]["n"])


def open_wizard(window: MainWindow) -> LedgerWizard:
    window.menus.import_ledger.trigger()
    wizard = window.menus.ledger_wizard
    assert isinstance(wizard, LedgerWizard) and wizard.isVisible()
    return wizard


def idle(qtbot, wizard: LedgerWizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: wizard.task is None, timeout=60_000)


def choose_file(qtbot, wizard: LedgerWizard, answers: list[str], path: Path) -> None:  # type: ignore[no-untyped-def]
    answers.append(str(path))
    page = wizard.file_page
    qtbot.mouseClick(page.choose, Qt.MouseButton.LeftButton)
    idle(qtbot, wizard)


def press(qtbot, wizard: LedgerWizard, which: QWizard.WizardButton) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    idle(qtbot, wizard)


def no_english(wizard: LedgerWizard) -> None:
    found = {
        (where, text)
        for where, text in visible_texts(wizard)
        if latin_words(text) and "ledger" not in where
    }
    assert not found, found


def test_a_messy_ledger_is_imported_through_the_menu_and_a_second_import_adds_nothing(
    qtbot, chinese, main_window: MainWindow, answer_files: list[str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    register = main_window.register
    before = persons(register)
    ledger = messy_ledger(tmp_path / "东岗村台账.xlsx")

    # 1. the file and the sheet: the sheet with a heading is chosen, not the notes
    wizard = open_wizard(main_window)
    assert wizard.currentId() == LedgerWizard.FILE
    assert not wizard.button(NEXT).isEnabled()  # nothing chosen yet
    choose_file(qtbot, wizard, answer_files, ledger)
    page = wizard.file_page
    assert [page.sheet.itemText(i) for i in range(page.sheet.count())] == ["填表说明", "一组"]
    assert page.sheet.currentText() == "一组"
    assert page.village.currentData() == register.area_code
    no_english(wizard)
    qtbot.keyClick(wizard, Qt.Key.Key_Return)  # Enter = Next
    idle(qtbot, wizard)

    # 2. the heading rows found, highlighted among the sheet's first rows; the fields
    assert wizard.currentId() == LedgerWizard.MAPPING
    mapping = wizard.mapping_page
    view = mapping.sheet_view
    numbers = [view.verticalHeaderItem(r).text() for r in range(view.rowCount())]
    assert numbers[:4] == ["1", "2", "3", "4"]
    for r, number in enumerate(numbers):
        highlighted = view.item(r, 2).background().color() == HEADING_COLOUR
        assert highlighted == (number in ("3", "4")), number
    assert view.item(numbers.index("4"), 8).text() == "男"  # under the merged 现有子女数
    assert "3, 4" in mapping.headings_note.text()
    combos = mapping.combos
    assert combos[6].currentData() == "id_number" and combos[2].currentData() == "name"
    assert combos[0].currentData() is None  # 序号 is not imported
    assert wizard.mapping()[11] == "method_date"
    # the officer leaves the sons' count out, with the keyboard
    combos[8].setFocus()
    qtbot.keyClick(combos[8], Qt.Key.Key_Home)
    assert combos[8].currentData() is None and mapping.edited()
    no_english(wizard)
    press(qtbot, wizard, NEXT)

    # 3. the rows as they will be stored: 覃丽's ID number lost its digits in Excel
    assert wizard.currentId() == LedgerWizard.PREVIEW
    preview = wizard.preview_page
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60_000)
    counts = wizard.plan.counts
    assert counts["new"] == IMPORTED and counts["problem"] == 1 and counts["skipped"] == 5
    text = preview.counts.text()
    assert f"新增 {IMPORTED}" in text and "有问题 1" in text
    commit = wizard.button(COMMIT)
    assert commit.isVisible() and not commit.isEnabled()  # a problem, the box unticked
    assert "1 行有问题" in preview.reason.text() and "跳过有问题的行" in preview.reason.text()
    rows = preview.rows
    statuses = {rows.item(r, 0).text(): rows.item(r, 1).text() for r in range(rows.rowCount())}
    assert statuses["13"] == "有问题" and statuses["5"] == "新增" and statuses["11"] == "跳过"
    problem = next(r for r in range(rows.rowCount()) if rows.item(r, 0).text() == "13")
    assert "身份证号" in rows.item(problem, 2).text()
    shown = [rows.horizontalHeaderItem(c).text() for c in range(rows.columnCount())]
    first = next(r for r in range(rows.rowCount()) if rows.item(r, 0).text() == "5")
    assert rows.item(first, shown.index("性别")).text() == "男"  # a code shown by its label
    assert rows.item(first, shown.index("出生日期")).text() == "1978-03-02"
    no_english(wizard)

    # the report, to fix the sheet by: every row with its status and message
    answer_files.append(str(tmp_path / "report"))
    qtbot.mouseClick(preview.save, Qt.MouseButton.LeftButton)
    book = load_workbook(tmp_path / "report.xlsx")
    sheet = book[book.sheetnames[0]]
    heading = [c.value for c in sheet[1]]
    assert heading[-2:] == ["状态", "说明"]
    lines = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert lines[13][-2] == "有问题" and "身份证号" in lines[13][-1]
    assert "report.xlsx" in preview.saved.text()

    # skip the row with the problem: Import is possible
    preview.skip.setFocus()
    qtbot.keyClick(preview.skip, Qt.Key.Key_Space)
    idle(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.can_import, timeout=60_000)
    assert commit.isEnabled() and not preview.reason.text()
    assert persons(register) == before  # the preview wrote nothing

    # 4. import, on a worker with its own connection, and the summary
    press(qtbot, wizard, COMMIT)
    qtbot.waitUntil(lambda: wizard.currentId() == LedgerWizard.DONE, timeout=60_000)
    assert wizard.outcome.persons_added == IMPORTED
    done = wizard.done_page
    assert "东岗村台账.xlsx" in done.summary.text()
    assert done.figures["persons_added"].text() == str(IMPORTED)
    assert done.figures["households_added"].text() == "3"
    assert done.figures["problem"].text() == "1" and done.figures["skipped"].text() == "5"
    assert persons(register) == before + IMPORTED
    assert register.query("SELECT count(*) AS n FROM person WHERE name = '覃丽'")[0]["n"] == 0
    no_english(wizard)
    press(qtbot, wizard, FINISH)
    assert not wizard.isVisible()

    # the same file again: the fields come back as chosen, and nothing is added
    wizard = open_wizard(main_window)
    choose_file(qtbot, wizard, answer_files, ledger)
    press(qtbot, wizard, NEXT)
    assert wizard.mapping()[8] is None  # remembered: the sons' count left out
    assert "上次" in wizard.mapping_page.headings_note.text()
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60_000)
    counts = wizard.plan.counts
    assert counts["new"] == 0 and counts["same"] + counts["update"] == IMPORTED
    wizard.preview_page.skip.setChecked(True)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.can_import, timeout=60_000)
    press(qtbot, wizard, COMMIT)
    qtbot.waitUntil(lambda: wizard.currentId() == LedgerWizard.DONE, timeout=60_000)
    assert wizard.outcome.persons_added == 0 and wizard.outcome.households_added == 0
    assert persons(register) == before + IMPORTED
    press(qtbot, wizard, FINISH)


def test_a_damaged_file_is_refused_in_plain_words_and_next_stays_off(
    qtbot, chinese, main_window: MainWindow, answer_files: list[str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    damaged = tmp_path / "台账.xlsx"
    damaged.write_bytes(b"PK\x03\x04 this is not a workbook")
    wizard = open_wizard(main_window)
    choose_file(qtbot, wizard, answer_files, damaged)
    message = wizard.file_page.status.text()
    assert "已损坏" in message and "登记册没有任何改动" in message
    assert not wizard.button(NEXT).isEnabled()

    # a sheet without any heading: said on step 1, the other sheet can be chosen
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "汇总"
    book.active["A1"] = "2026年"
    book.active["B3"] = 42
    plain = tmp_path / "无表头.xlsx"
    book.save(plain)
    choose_file(qtbot, wizard, answer_files, plain)
    assert "找不到表头" in wizard.file_page.status.text()
    qtbot.keyClick(wizard, Qt.Key.Key_Return)
    idle(qtbot, wizard)
    assert wizard.currentId() == LedgerWizard.FILE
    assert "找不到表头" in wizard.file_page.status.text()
    wizard.reject()
    assert not wizard.isVisible()  # nothing was edited: closed without a question


def test_cancel_asks_before_throwing_away_the_fields_chosen(
    qtbot, main_window: MainWindow, answer_files: list[str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk import ledgers

    ledger = messy_ledger(tmp_path / "ledger.xlsx")
    wizard = open_wizard(main_window)
    choose_file(qtbot, wizard, answer_files, ledger)
    press(qtbot, wizard, NEXT)
    combo = wizard.mapping_page.combos[7]  # 婚姻状况
    assert combo.currentData() == "marital_status"
    combo.setCurrentIndex(0)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)
    box = wizard.question
    assert isinstance(box, QMessageBox) and box.isVisible() and wizard.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert wizard.isVisible() and combo.currentData() is None  # as it was
    shape = ledgers.shape_of(wizard.table)
    assert ledgers.remembered_mapping(shape) is None
    wizard.reject()
    box = wizard.question
    box.button(QMessageBox.StandardButton.Save).click()
    assert not wizard.isVisible()
    assert ledgers.remembered_mapping(shape)[7] is None  # kept for the next ledger


def test_the_wizard_fits_the_smallest_screen(main_window: MainWindow) -> None:
    wizard = open_wizard(main_window)
    size = wizard.size()
    assert size.width() <= 1366 and size.height() <= 768 - 60  # a title bar and a task bar
    wizard.reject()


def test_a_ledger_with_a_sheet_per_group_is_imported_sheet_after_sheet(
    qtbot, main_window: MainWindow, answer_files: list[str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    register = main_window.register
    before = persons(register)
    ledger = messy_ledger(tmp_path / "ledger.xlsx", second_group=True)
    wizard = open_wizard(main_window)
    choose_file(qtbot, wizard, answer_files, ledger)
    assert wizard.file_page.sheet.currentText() == "一组"
    press(qtbot, wizard, NEXT)
    wizard.mapping_page.combos[8].setCurrentIndex(0)  # the sons' count left out
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60_000)
    # the first problem row is chosen, its whole message under the table
    assert "13" in wizard.preview_page.row_message.text()
    assert wizard.preview_page.row_message.text().count("Excel") == 1
    wizard.preview_page.skip.setChecked(True)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.plan.can_import, timeout=60_000)
    press(qtbot, wizard, COMMIT)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=60_000)
    assert persons(register) == before + IMPORTED

    done = wizard.done_page
    assert done.another.isVisible()
    qtbot.mouseClick(done.another, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == LedgerWizard.FILE
    assert wizard.file_page.sheet.currentText() == "二组"
    press(qtbot, wizard, NEXT)
    mapping = wizard.mapping_page
    assert mapping.mapping()[8] is None  # the same shape: the choice made stays
    view = mapping.sheet_view
    assert "二组" in view.item(0, 0).text()  # the second sheet's own rows are shown
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60_000)
    assert wizard.plan.counts["new"] == SECOND_GROUP and wizard.plan.can_import
    assert not wizard.preview_page.skip.isChecked()  # each sheet is decided on its own
    press(qtbot, wizard, COMMIT)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=60_000)
    assert persons(register) == before + IMPORTED + SECOND_GROUP
    groups = register.query(
        "SELECT DISTINCT h.group_no FROM person p JOIN household h ON h.id = p.household_id "
        "WHERE p.name IN ('莫志明', '蓝海')"
    )
    assert [int(g["group_no"]) for g in groups] == [2]  # the sheet's name says the group
    press(qtbot, wizard, FINISH)


def test_a_person_already_in_the_register_is_completed_and_differences_are_listed(
    qtbot, chinese, main_window: MainWindow, answer_files: list[str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    register = main_window.register
    known = register.query(
        "SELECT id_number, phone, marital_status FROM person WHERE name = '李秀英'"
    )[0]
    assert not known["phone"] and known["marital_status"] == 20
    book = Workbook()
    sheet = book.active
    sheet.title = "育龄妇女"
    sheet.append(["东岗村育龄妇女花名册"])
    sheet.append(["序号", "姓名", "身份证号", "联系电话", "婚姻状况"])
    sheet.append([1, "李秀英", known["id_number"], "13907712345", "离婚"])
    path = tmp_path / "花名册.xlsx"
    book.save(path)
    before = persons(register)

    wizard = open_wizard(main_window)
    choose_file(qtbot, wizard, answer_files, path)
    press(qtbot, wizard, NEXT)
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60_000)
    preview = wizard.preview_page
    rows = preview.rows
    line = next(r for r in range(rows.rowCount()) if rows.item(r, 0).text() == "3")
    assert rows.item(line, 1).text() == "补充"
    differences = preview.differences
    shown = [
        [differences.item(r, c).text() for c in range(4)] for r in range(differences.rowCount())
    ]
    assert len(shown) == len(wizard.plan.differences) >= 1
    assert ["李秀英（第 3 行）", "婚姻状况", "已婚", "离婚"] in shown
    assert preview.tabs.tabText(1).endswith(f"（{len(shown)}）")
    no_english(wizard)
    press(qtbot, wizard, COMMIT)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=60_000)
    after = register.query("SELECT phone, marital_status FROM person WHERE name = '李秀英'")[0]
    assert after["phone"] == "13907712345"  # an empty field filled
    assert after["marital_status"] == 20  # a difference is left for the officer to decide
    assert persons(register) == before
    assert wizard.done_page.figures["persons_updated"].text() == "1"
    press(qtbot, wizard, FINISH)


def test_a_long_preview_lists_the_first_rows_and_every_problem(
    qtbot, main_window: MainWindow, answer_files: list[str], tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui import ledger_wizard

    monkeypatch.setattr(ledger_wizard, "PLANNED_ROWS_SHOWN", 4)
    wizard = open_wizard(main_window)
    choose_file(qtbot, wizard, answer_files, messy_ledger(tmp_path / "ledger.xlsx"))
    press(qtbot, wizard, NEXT)
    press(qtbot, wizard, NEXT)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=60_000)
    rows = wizard.preview_page.rows
    assert [rows.item(r, 0).text() for r in range(rows.rowCount())] == ["1", "2", "5", "6", "13"]
    assert "12" in wizard.preview_page.tabs.tabText(0)  # the whole sheet is counted
    wizard.reject()
