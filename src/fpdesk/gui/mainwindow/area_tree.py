"""The tree of villages and groups on the left of the main window: the area whose
households are listed and whose work list is shown."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QTreeWidgetItem,
)

from fpdesk.gui.icons import icon
from fpdesk.store.reading import villages as area_villages

AREA_ROLE = Qt.ItemDataRole.UserRole + 10  # (village code, group number) of a tree item
NAME_ROLE = Qt.ItemDataRole.UserRole + 11


class WindowAreaTree:
    """The villages, and their groups when opened (a part of MainWindow)."""

    def load_tree(self) -> None:
        """Villages at once, their groups when opened (a county has thousands)."""
        self.tree.blockSignals(True)
        self.tree.clear()
        everything = QTreeWidgetItem(
            self.tree, [QCoreApplication.translate("MainWindow", "All households")]
        )
        everything.setData(0, AREA_ROLE, (None, None))
        everything.setIcon(0, icon("household"))
        villages = area_villages.villages(self.register)
        for village in villages:
            item = QTreeWidgetItem(everything, [village.name])
            item.setToolTip(0, village.code)
            item.setIcon(0, icon("village"))
            item.setData(0, AREA_ROLE, (village.code, None))
            item.setData(0, NAME_ROLE, village.name)
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        everything.setExpanded(True)
        only = everything.child(0) if len(villages) == 1 else None
        if only is not None:  # a village register: its groups at once
            self._fill_groups(only)
            only.setExpanded(True)
        self.tree.setCurrentItem(everything)
        self.tree.blockSignals(False)
        if villages:
            self.worklist.village_code = self.worklist.village_code or villages[0].code

    def _fill_groups(self, item: QTreeWidgetItem) -> None:
        village_code, group_no = item.data(0, AREA_ROLE)
        if not village_code or group_no or item.childCount():
            return
        found = area_villages.groups(self.register, village_code)
        name = item.data(0, NAME_ROLE)
        item.setText(
            0,
            QCoreApplication.translate("MainWindow", "{0} ({1})").format(
                name, sum(n for _, n in found)
            ),
        )
        for number, count in found:
            child = QTreeWidgetItem(
                item,
                [
                    QCoreApplication.translate("MainWindow", "Group {0} ({1})").format(
                        int(number), count
                    )
                ],
            )
            child.setIcon(0, icon("group"))
            child.setData(0, AREA_ROLE, (village_code, number))
        item.setChildIndicatorPolicy(
            QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
        )

    def _area_chosen(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        village_code, group_no = item.data(0, AREA_ROLE)
        self.households.set_area(village_code, group_no)
        if not self.household_view.currentIndex().isValid():
            self.detail.setCurrentWidget(self.hint)  # not a household of another list
        if village_code or self.register.role != "village":
            # a village, or (All households) the whole township, read by a worker
            self.worklist.village_code = village_code
            self.worklist_loaded = False
        self.middle.setCurrentWidget(self.household_view)

    def chosen_area(self) -> dict[str, Any]:
        """The village and group chosen on the left: a new household's defaults."""
        item = self.tree.currentItem()
        village_code, group_no = item.data(0, AREA_ROLE) if item is not None else (None, None)
        chosen = {"village_code": village_code, "group_no": group_no}
        return {key: value for key, value in chosen.items() if value}
