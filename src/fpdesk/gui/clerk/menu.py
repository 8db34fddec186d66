"""The township menu of the main window: each step of the clerk's month end as an
action (with a shortcut where the clerk uses it every month), leading to its page of
the clerk's workspace and starting what the page's own button starts."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from fpdesk.gui.clerk.common import Retranslating

if TYPE_CHECKING:
    from fpdesk.gui.clerk import ClerkWorkspace


class ClerkMenu(Retranslating, QMenu):
    """乡镇: import, the villages board, conflicts, duplicates, laptops, send back and
    the import receipt.  `workspace` builds the clerk's workspace on first use."""

    def __init__(
        self, workspace: Callable[[], ClerkWorkspace | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clerk_menu")
        self._workspace = workspace
        self.import_bundles = self._action("import_bundles", self._import, "Ctrl+Shift+I")
        self.show_board = self._action("show_board", lambda w: w.setCurrentWidget(w.board))
        self.show_conflicts = self._action(
            "show_conflicts", lambda w: w.setCurrentWidget(w.conflicts)
        )
        self.show_duplicates = self._action(
            "show_duplicates", lambda w: w.setCurrentWidget(w.duplicates)
        )
        self.show_devices = self._action("show_devices", lambda w: w.setCurrentWidget(w.devices))
        self.send_back = self._action("send_back", self._send_back, "Ctrl+Shift+E")
        self.print_receipt = self._action("print_receipt", self._receipt)
        self.addActions([self.import_bundles, self.show_board, self.show_conflicts])
        self.addActions([self.show_duplicates, self.show_devices])
        self.addSeparator()
        self.addActions([self.send_back, self.print_receipt])
        self.retranslate()

    def steps(self) -> list[QAction]:
        """The pages in the workspace's order: import, board, conflicts, duplicates,
        laptops, send back."""
        return [
            self.import_bundles,
            self.show_board,
            self.show_conflicts,
            self.show_duplicates,
            self.show_devices,
            self.send_back,
        ]

    def _action(
        self, name: str, step: Callable[[ClerkWorkspace], object], keys: str | None = None
    ) -> QAction:
        action = QAction(self)
        action.setObjectName(name)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: self._run(step))
        return action

    def _run(self, step: Callable[[ClerkWorkspace], object]) -> None:
        workspace = self._workspace()
        if workspace is not None:
            step(workspace)

    @staticmethod
    def _import(w: ClerkWorkspace) -> None:
        """Choose the folder (or the stick), then import it: the page shows each file."""
        w.setCurrentWidget(w.importing)
        if w.importing.task is None and w.importing.choose_folder():
            w.importing.start()

    @staticmethod
    def _send_back(w: ClerkWorkspace) -> None:
        w.setCurrentWidget(w.send)
        w.send.choose_and_export()

    @staticmethod
    def _receipt(w: ClerkWorkspace) -> None:
        """The receipt of the run chosen on the import page (the latest by default), in
        the main window's print dialog."""
        w.setCurrentWidget(w.importing)
        w.importing.receipt_asked.emit(w.importing.runs.currentData())

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Township"))
        self.import_bundles.setText(self.tr("&Import bundles…"))
        self.show_board.setText(self.tr("&Villages board"))
        self.show_conflicts.setText(self.tr("&Conflicts"))
        self.show_duplicates.setText(self.tr("&Duplicates"))
        self.show_devices.setText(self.tr("Village &laptops"))
        self.send_back.setText(self.tr("&Send update bundles back…"))
        self.print_receipt.setText(self.tr("Print an import &receipt…"))
