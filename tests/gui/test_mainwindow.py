"""The main window driven like an officer: search, household page, person page."""

from __future__ import annotations

from PySide6.QtCore import Qt

from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.models import ID_ROLE, HouseholdModel


def _search(qtbot, window: MainWindow, text: str) -> None:  # type: ignore[no-untyped-def]
    window.search.setFocus()
    qtbot.keyClicks(window.search, text)
    # Results come after the typing pause, not on every key.
    qtbot.waitUntil(lambda: window.results.rowCount() > 0, timeout=3000)


def test_search_by_pinyin_initials_finds_the_person(qtbot, main_window: MainWindow) -> None:
    _search(qtbot, main_window, "zs")
    assert main_window.middle.currentWidget() is main_window.results_view
    names = [main_window.results.row_at(r).name for r in range(main_window.results.rowCount())]
    assert names[0] == "张三"
    qtbot.keyClick(main_window.search, Qt.Key.Key_Return)
    assert main_window.detail.currentWidget() is main_window.person_page
    assert "张三" in main_window.person_page.title.text()


def test_search_then_arrow_keys_then_enter(qtbot, main_window: MainWindow) -> None:
    _search(qtbot, main_window, "oyn")  # 欧阳娜娜: a two-character surname
    qtbot.keyClick(main_window.search, Qt.Key.Key_Down)
    assert main_window.results_view.hasFocus()
    qtbot.keyClick(main_window.results_view, Qt.Key.Key_Return)
    assert "欧阳娜娜" in main_window.person_page.title.text()


def test_search_for_nothing_says_so_and_escape_goes_back(qtbot, main_window: MainWindow) -> None:
    main_window.search.setFocus()
    qtbot.keyClicks(main_window.search, "qqqqqq")
    qtbot.waitUntil(lambda: main_window.middle.currentWidget() is main_window.no_results)
    qtbot.keyClick(main_window.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: main_window.middle.currentWidget() is main_window.household_view)


def test_household_page_shows_members_with_markers(qtbot, main_window: MainWindow) -> None:
    view = main_window.household_view
    view.setFocus()
    view.selectRow(0)  # 张三's household
    page = main_window.household_page
    assert main_window.detail.currentWidget() is page
    assert "张三" in page.title.text()
    rows = {page.model.row_at(r).name: r for r in range(page.model.rowCount())}
    assert set(rows) == {"张三", "李秀英", "张小明"}
    notes = page.model.index(rows["李秀英"], 5).data()
    assert "育龄" in notes or "childbearing" in notes
    assert "宫内节育器" in notes or "IUD" in notes
    assert "待访 1 次" in notes or "1 visit(s) due" in notes  # without opening the work list
    assert page.model.index(rows["李秀英"], 2).data() == "41"  # age on 2026-11-28
    # Enter on a member opens her page and its timeline.
    page.table.setFocus()
    page.table.selectRow(rows["李秀英"])
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    person = main_window.person_page
    assert main_window.detail.currentWidget() is person
    events = [person.model.row_at(r).kind for r in range(person.model.rowCount())]
    assert events == ["born", "method_start"]
    qtbot.keyClick(person, Qt.Key.Key_Backspace)
    assert main_window.detail.currentWidget() is page


def test_the_tree_filters_the_household_list(qtbot, main_window: MainWindow) -> None:
    tree = main_window.tree
    village = tree.topLevelItem(0).child(0)
    group2 = village.child(1)
    tree.setCurrentItem(group2)
    assert main_window.households.rowCount() == 1
    assert main_window.households.index(0, HouseholdModel.HEAD).data() == "欧阳娜娜"
    tree.setCurrentItem(tree.topLevelItem(0))
    assert main_window.households.rowCount() == 3


def test_long_names_and_addresses_do_not_widen_the_window(qtbot, main_window: MainWindow) -> None:
    from fpdesk.store import records

    household_id = main_window.households.household_id(0)
    long_address = "广西壮族自治区南宁市兴宁区朝阳街道办事处民主路社区第三居民小组幸福巷" * 3
    records.update(main_window.register, "household", household_id, {"address": long_address})
    main_window.resize(1366, 768)
    main_window.after_save()
    main_window.show_household(household_id)
    qtbot.wait(10)
    assert main_window.width() <= 1366
    assert main_window.household_page.width() < 1366


def test_after_a_save_the_officer_keeps_her_place(qtbot, main_window: MainWindow) -> None:
    from fpdesk.store import operations

    main_window.household_view.selectRow(2)  # 欧阳娜娜, group 02
    chosen = main_window.households.household_id(2)
    operations.add_household(  # a new household in group 01 now sorts before hers
        main_window.register,
        {"group_no": 1, "address": "新村"},
        [{"name": "黄一", "sex": 1, "birth_date": "1990-01-01", "relationship": 0}],
        clock=main_window.clock,
    )
    main_window.after_save()
    assert main_window.households.rowCount() == 4
    assert main_window.household_view.currentIndex().row() == 3
    assert main_window.household_view.currentIndex().data(ID_ROLE) == chosen
    assert main_window.household_page.household_id == chosen


def test_a_township_tree_opens_groups_when_a_village_is_opened(
    qtbot, main_window: MainWindow
) -> None:
    from fpdesk.core.ids import new_id

    other = "450102001202"
    with main_window.register.transaction() as conn:
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no) VALUES (?, ?, ?, ?)",
            (new_id(), f"{other}050001", other, "05"),
        )
    main_window.load_tree()
    everything = main_window.tree.topLevelItem(0)
    assert everything.childCount() == 2
    second = everything.child(1)
    assert second.childCount() == 0  # not read yet
    second.setExpanded(True)
    assert second.childCount() == 1
    assert "(1)" in second.text(0) or "（1）" in second.text(0)
    main_window.tree.setCurrentItem(second.child(0))
    assert main_window.households.rowCount() == 1


def test_the_clerk_workspace_is_built_when_its_tab_is_opened(qtbot, tmp_path, prefs, clock) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.store.db import create_register
    from tests.conftest import PASSPHRASE, TOWNSHIP

    register = create_register(
        tmp_path / "t.fpdesk", PASSPHRASE, role="township", area_code=TOWNSHIP
    )
    try:
        window = MainWindow(register, prefs, clock)
        qtbot.addWidget(window)
        window.show()
        assert window._clerk is None  # nothing of it read at start
        window.tabs.setCurrentWidget(window.clerk_tab)
        qtbot.waitUntil(lambda: window._clerk is not None)
        assert window.tabs.currentWidget() is window.clerk
        window.locker.stop()
        window.close()
    finally:
        register.close()
