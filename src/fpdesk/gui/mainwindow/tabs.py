"""The main window's tabs beyond the households: the work list, the statistics and
(on township registers) the clerk's month end, each built when first opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import (
    QScrollArea,
    QWidget,
)

from fpdesk.gui import crash
from fpdesk.gui.icons import icon
from fpdesk.gui.worklist import WorkItem
from fpdesk.store.errors import RegisterError

if TYPE_CHECKING:
    from fpdesk.gui.clerk import ClerkWorkspace


class WindowTabs:
    """The work list, dashboard and clerk tabs (a part of MainWindow)."""

    # -- the work list -----------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.worklist and not self.worklist_loaded:
            self.load_worklist()
        if self.clerk_tab is not None and self.tabs.widget(index) is self.clerk_tab:
            QTimer.singleShot(0, lambda: self.clerk)  # build it, out of this signal
        if self.dashboard_stale and self.tabs.widget(index) is self.dashboard_tab:
            self.dashboard_stale = False
            getattr(self.dashboard, "refresh", lambda: None)()

    @property
    def clerk(self) -> QWidget | None:
        """The clerk's workspace (township registers), built on first use in its tab."""
        if self._clerk is None and self.clerk_tab is not None:
            from fpdesk.gui.clerk import ClerkWorkspace

            self._clerk = ClerkWorkspace(self.register, self.prefs, self.clock)
            self._clerk.importing.receipt_asked.connect(self.menus.print_receipt_of)
            place = self.tabs.indexOf(self.clerk_tab)
            showing = self.tabs.currentIndex() == place
            self.tabs.blockSignals(True)
            self.tabs.removeTab(place)
            self.tabs.insertTab(
                place,
                self._clerk,
                icon("village"),
                QCoreApplication.translate("MainWindow", "Township clerk"),
            )
            if showing:
                self.tabs.setCurrentIndex(place)
            self.tabs.blockSignals(False)
            self.clerk_tab.deleteLater()
            self.clerk_tab = None
        return self._clerk

    def clerk_workspace(self) -> ClerkWorkspace | None:
        """The clerk's workspace, built if need be, in front."""
        workspace = self.clerk
        if workspace is None:
            return None
        self.tabs.setCurrentWidget(workspace)
        from fpdesk.gui.clerk import ClerkWorkspace as Workspace  # built on first use

        return workspace if isinstance(workspace, Workspace) else None

    def load_worklist(self) -> None:
        try:
            self.worklist.refresh()
        except RegisterError as exc:
            crash.show_register_error(self, exc)
            return
        self.worklist_loaded = True
        self.due.remember(self.worklist.village_code, self.worklist.items)
        self.worklist.table.setFocus()

    def record_visit(self, item: WorkItem) -> None:
        self.open_form(
            "visit",
            {
                "person_id": item.person_id,
                "household_id": item.household_id,
                "visit_type": item.visit_type,
                "follows_table": item.follows_table,
                "follows_id": item.follows_id,
                "due_on": item.due_on.isoformat(),
            },
        )

    def open_dashboard(self) -> QWidget:
        """The indicators of the register's area (gui.dashboard), in a tab of its own;
        counted by a worker with its own connection."""
        if self.dashboard is None:
            from fpdesk.gui.dashboard import Dashboard

            self.dashboard = Dashboard(self.register, clock=self.clock, opener=self.register.reopen)
            self.dashboard.setObjectName("dashboard")
            # Scrolled, not squeezed: its cards must not make the window taller than
            # a 1366x768 screen.
            self.dashboard_tab = QScrollArea()
            self.dashboard_tab.setWidgetResizable(True)
            self.dashboard_tab.setFrameShape(QScrollArea.Shape.NoFrame)
            self.dashboard_tab.setWidget(self.dashboard)
            self.tabs.insertTab(
                2,
                self.dashboard_tab,
                icon("statistics"),
                QCoreApplication.translate("MainWindow", "Statistics"),
            )
        self.tabs.setCurrentWidget(self.dashboard_tab)
        return self.dashboard

    def show_clerk_page(self, page: int | None) -> None:
        """The clerk's workspace (township registers), on one of its pages."""
        clerk = self.clerk_workspace()
        if clerk is not None and page is not None:
            clerk.setCurrentIndex(page)
