"""The township clerk's workspace: month-end import, villages board, conflicts,
duplicates, devices and the update bundles back.

Shown by the main window for a township register.  The pages call fpdesk.sync (and
sync.board, sync.duplicates, sync.clerk); long work runs through gui.tasks with a
register connection of its own.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.gui.clerk.board_page import BoardPage
from fpdesk.gui.clerk.common import Clerk, Opener, Retranslating
from fpdesk.gui.clerk.conflicts_page import ConflictsPage
from fpdesk.gui.clerk.devices_page import DevicesPage
from fpdesk.gui.clerk.duplicates_page import DuplicatesPage
from fpdesk.gui.clerk.import_page import ImportPage
from fpdesk.gui.clerk.send_page import SendPage
from fpdesk.gui.settings import Settings
from fpdesk.store.db import Register

__all__ = ["ClerkWorkspace"]


class ClerkWorkspace(Retranslating, QTabWidget):
    """One tab per step of the clerk's month end, in the order they are done."""

    def __init__(
        self,
        register: Register,
        prefs: Settings,
        clock: Clock | None = None,
        opener: Opener | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clerk")
        self.clerk = Clerk(register, prefs, clock or SystemClock(), opener)
        self.importing = ImportPage(self.clerk)
        self.board = BoardPage(self.clerk)
        self.conflicts = ConflictsPage(self.clerk)
        self.duplicates = DuplicatesPage(self.clerk)
        self.devices = DevicesPage(self.clerk)
        self.send = SendPage(self.clerk)
        for page in self.pages():
            self.addTab(page, "")
        self.importing.imported.connect(self.refresh)
        self.board.changed.connect(self.refresh)
        self.conflicts.changed.connect(self.refresh)  # the tabs' counts and the board
        self.duplicates.changed.connect(self.refresh)
        self.currentChanged.connect(lambda _i: self.refresh_current())
        self.retranslate()
        self.refresh()

    def pages(self) -> list[QWidget]:
        return [
            self.importing,
            self.board,
            self.conflicts,
            self.duplicates,
            self.devices,
            self.send,
        ]

    def refresh(self) -> None:
        """Read the board and the queues again (after an import or a decision)."""
        self.board.refresh()
        self.conflicts.refresh()
        self.duplicates.refresh()
        self.devices.refresh()
        self.retranslate()

    def refresh_current(self) -> None:
        page = self.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()
        self.retranslate()

    def retranslate(self) -> None:
        conflicts = self.conflicts.model.rowCount()
        pairs = self.duplicates.model.rowCount()
        titles = [
            self.tr("Import"),
            self.tr("Villages"),
            self.tr("Conflicts ({0})").format(conflicts) if conflicts else self.tr("Conflicts"),
            self.tr("Duplicates ({0})").format(pairs) if pairs else self.tr("Duplicates"),
            self.tr("Devices"),
            self.tr("Send back"),
        ]
        for index, title in enumerate(titles):
            self.setTabText(index, title)
