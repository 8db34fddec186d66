"""The household list in the middle of the main window and the page beside it:
the household or person chosen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt

from fpdesk.gui.models import ID_ROLE, HouseholdModel


class WindowHouseholds:
    """Choosing a household or a person shows their page (a part of MainWindow)."""

    def _sort_refused(self, _column: int) -> None:
        header = self.household_view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(HouseholdModel.CODE, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.statusBar().showMessage(
            QCoreApplication.translate(
                "MainWindow",
                "This list is long: it is kept in household-code order. "
                "Choose a village on the left to sort by another column.",
            ),
            8000,
        )

    def _household_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        household_id = current.data(ID_ROLE) if current.isValid() else None
        if household_id:
            self.show_household(str(household_id))

    def _household_activated(self, index: QModelIndex) -> None:
        self._household_chosen(index, index)
        self.household_page.table.setFocus()
        if self.household_page.model.rowCount():
            self.household_page.table.selectRow(0)

    def show_household(self, household_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.household_page.show_household(household_id)
        self.detail.setCurrentWidget(self.household_page)

    def show_person(self, person_id: str, *, focus: bool = True) -> None:
        self.tabs.setCurrentIndex(0)
        self.person_page.show_person(person_id)
        self.detail.setCurrentWidget(self.person_page)
        if focus:
            self.person_page.table.setFocus()
