"""The household list model, without widgets: lazy pages, SQL sort and filter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from fpdesk.core.ids import new_id
from fpdesk.gui.models import ID_ROLE, SORT_ROLE, HouseholdModel
from fpdesk.store.db import Register


def _many_households(register: Register, count: int, first: int = 1) -> None:
    """Households straight into the table: what is tested here is reading them back."""
    with register.transaction() as conn:
        for n in range(count):
            group = 1 + n % 3
            conn.execute(
                "INSERT INTO household (id, code, village_code, group_no, address) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    new_id(),
                    f"{register.area_code}{group:02d}{n + first:04d}",
                    register.area_code,
                    f"{group:02d}",
                    f"村东{n}号",
                ),
            )


def test_model_passes_the_qt_model_tester(filled_register: Register) -> None:
    model = HouseholdModel(filled_register)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 3
    assert model.columnCount() == HouseholdModel.COLUMNS
    heads = [model.index(r, HouseholdModel.HEAD).data() for r in range(3)]
    assert heads == ["张三", "王建国", "欧阳娜娜"]
    assert model.index(0, HouseholdModel.MEMBERS).data(SORT_ROLE) == 3


def test_rows_are_read_by_page_and_the_cache_is_bounded(register: Register) -> None:
    _many_households(register, 1000)
    model = HouseholdModel(register)
    model.PAGE_SIZE = 100
    model.MAX_PAGES = 3
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    assert model.rowCount() == 1000
    model.index(0, HouseholdModel.CODE).data()
    reads = model.page_reads
    model.index(99, HouseholdModel.CODE).data()
    assert model.page_reads == reads  # same page, already held
    last = model.index(999, HouseholdModel.CODE).data()
    assert model.page_reads == reads + 1  # one page read, not the 900 rows between
    assert last == f"{register.area_code}030999"  # n = 998: group 03, number 999
    for row in range(0, 1000, 100):
        model.index(row, HouseholdModel.CODE).data()
    assert len(model._pages) <= 3


def test_sort_and_filter_are_sql(filled_register: Register) -> None:
    model = HouseholdModel(filled_register)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.sort(HouseholdModel.MEMBERS, Qt.SortOrder.DescendingOrder)
    members = [model.index(r, HouseholdModel.MEMBERS).data(SORT_ROLE) for r in range(3)]
    assert members == [3, 2, 1]
    model.set_area(filled_register.area_code, "02")
    assert model.rowCount() == 1
    assert model.index(0, HouseholdModel.HEAD).data() == "欧阳娜娜"
    household_id = model.index(0, 0).data(ID_ROLE)
    assert model.household_id(0) == household_id
    assert model.row_of(household_id) == 0
    model.set_area(None, None)
    assert model.rowCount() == 3


def test_refresh_sees_a_new_household(filled_register: Register) -> None:
    model = HouseholdModel(filled_register)
    _many_households(filled_register, 1, first=500)
    assert model.rowCount() == 3
    model.refresh()
    assert model.rowCount() == 4


def test_keys_are_read_in_chunks_as_the_officer_scrolls(register: Register) -> None:
    _many_households(register, 1000)
    model = HouseholdModel(register)
    model.PAGE_SIZE, model.KEY_CHUNK = 50, 200
    model.refresh()
    assert model.key_reads == 0  # code order: nothing read until a row is shown
    model.index(0, 0).data()
    assert model.key_reads == 1
    model.index(999, 0).data()
    assert model.key_reads == 2  # the last chunk only, not the three between
    household_id = model.index(999, 0).data(ID_ROLE)
    assert model.row_of(household_id) == 999
    middle = register.query("SELECT id FROM household ORDER BY code LIMIT 1 OFFSET 500")[0]["id"]
    assert model.row_of(middle) == 500  # found by the index, its page never read


def test_a_long_list_is_not_sorted_by_a_column_without_an_index(register: Register) -> None:
    _many_households(register, 1000)
    model = HouseholdModel(register)
    model.SORT_LIMIT = 500
    refused: list[int] = []
    model.sort_refused.connect(refused.append)
    first = model.index(0, HouseholdModel.CODE).data()
    model.sort(HouseholdModel.ADDRESS)
    assert refused == [HouseholdModel.ADDRESS]
    assert model.index(0, HouseholdModel.CODE).data() == first
    model.set_area(register.area_code, "02")  # 333 households: short enough
    model.sort(HouseholdModel.ADDRESS, Qt.SortOrder.DescendingOrder)
    addresses = [model.index(r, HouseholdModel.ADDRESS).data() for r in range(model.rowCount())]
    assert addresses == sorted(addresses, reverse=True)
    model.set_area(None, None)  # back to the long list: back to code order, and said so
    assert refused[-1] == HouseholdModel.HEAD
    assert model.index(0, HouseholdModel.CODE).data() == first


def test_a_household_deleted_meanwhile_is_an_empty_line_until_refresh(
    filled_register: Register,
) -> None:
    from fpdesk.store import records

    model = HouseholdModel(filled_register)
    model.PAGE_SIZE = 1
    gone = model.household_id(1)
    assert gone
    with filled_register.transaction() as conn:  # another window removed it for good
        conn.execute("DELETE FROM person WHERE household_id = ?", (gone,))
        conn.execute("DELETE FROM household WHERE id = ?", (gone,))
    model._pages.clear()
    assert model.index(1, HouseholdModel.HEAD).data() == ""
    assert model.rowCount() == 3
    model.refresh()
    assert model.rowCount() == 2
    assert records.get(filled_register, "household", gone) is None
