"""The detail pane always shows the row that is selected, whatever was shown before."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fpdesk.gui.mainwindow import MainWindow
from tests.gui.test_mainwindow import _search


def click_row(qtbot, window: MainWindow, row: int) -> None:  # type: ignore[no-untyped-def]
    view = window.household_view
    rect = view.visualRect(view.model().index(row, 1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_clicking_the_selected_household_again_shows_it_not_the_person(
    qtbot, main_window: MainWindow
) -> None:
    click_row(qtbot, main_window, 0)
    page = main_window.household_page
    assert main_window.detail.currentWidget() is page
    page.table.setFocus()
    page.table.selectRow(1)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)  # a member's page
    assert main_window.detail.currentWidget() is main_window.person_page
    click_row(qtbot, main_window, 0)  # the same row, still the current one
    assert main_window.detail.currentWidget() is page
    assert page.household_id == main_window.households.household_id(0)


def test_arrowing_through_search_results_shows_each(qtbot, main_window: MainWindow) -> None:
    _search(qtbot, main_window, "z")
    names = [main_window.results.row_at(r).name for r in range(main_window.results.rowCount())]
    assert len(names) >= 2
    qtbot.keyClick(main_window.search, Qt.Key.Key_Down)  # into the results
    view = main_window.results_view
    for row in range(1, len(names)):
        assert view.currentIndex().row() == row - 1
        qtbot.keyClick(view, Qt.Key.Key_Down)
        hit = main_window.results.row_at(view.currentIndex().row())
        assert view.hasFocus()  # still browsing: the keyboard stays in the results
        if hit.person_id:
            assert main_window.detail.currentWidget() is main_window.person_page
            assert main_window.person_page.person_id == hit.person_id
        else:
            assert main_window.household_page.household_id == hit.household_id


def test_another_area_does_not_keep_a_household_of_the_old_list(
    qtbot, main_window: MainWindow
) -> None:
    click_row(qtbot, main_window, 0)  # group 01
    assert main_window.detail.currentWidget() is main_window.household_page
    village = main_window.tree.topLevelItem(0).child(0)
    main_window.tree.setCurrentItem(village.child(1))  # group 02: another list
    assert main_window.households.rowCount() == 1
    assert main_window.detail.currentWidget() is not main_window.household_page or (
        main_window.household_page.household_id == main_window.households.household_id(0)
    )
    click_row(qtbot, main_window, 0)
    assert main_window.household_page.household_id == main_window.households.household_id(0)
