"""The main window's actions (toolbar and keys) and the places the menus lead to:
settings, about, closing for a restore."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QMessageBox,
)

from fpdesk.gui.accounts_dialog import KeysMenu
from fpdesk.gui.icons import icon
from fpdesk.gui.mainwindow.area_tree import AREA_ROLE
from fpdesk.store.reading import households


class WindowActions:
    """The actions and the menus' destinations (a part of MainWindow)."""

    def _action(self, name: str, slot: Any, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(icon(name), "", self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_actions(self) -> None:
        self.new_household = self._action(
            "add",
            lambda: self.open_form("household", self.chosen_area()),
            QKeySequence(QKeySequence.StandardKey.New),
        )
        self.show_worklist = self._action("worklist", lambda: self.tabs.setCurrentIndex(1), "F4")
        self.show_households = self._action("household", lambda: self.tabs.setCurrentIndex(0), "F3")
        self.show_dashboard = self._action("statistics", self.open_dashboard, "F6")
        self.show_clerk = self._action("village", lambda: self.show_clerk_page(None), "F7")
        self.print_now = self._action(
            "print",
            lambda: self.menus.open_print(None),
            QKeySequence(QKeySequence.StandardKey.Print),
        )
        self.lock_now = self._action("lock", lambda: self.locker.lock(), "Ctrl+L")
        self.open_settings = self._action("settings", self.edit_settings)
        self.quit = QAction("", self)
        self.quit.setShortcut(QKeySequence("Ctrl+Q"))  # StandardKey.Quit is empty on some platforms
        self.quit.triggered.connect(self.close)
        self.about = QAction("", self)
        self.about.triggered.connect(self.show_about)
        self.keys_menu = KeysMenu(self.register, self)  # backups, accounts, record of processing

    def _build_menus(self) -> None:
        """The menu bar (gui.menus): every feature by menu, the frequent ones by key."""
        from fpdesk.gui.menus import WindowMenus

        self.menus = WindowMenus(self)
        self.file_menu = self.menus.file_menu
        self.records_menu = self.menus.records_menu
        self.help_menu = self.menus.help_menu
        self.clerk_menu = self.menus.township_menu  # the clerk's month end, step by step

    # -- the menus' destinations (gui.menus) ------------------------------------------

    def current_village(self) -> str:
        """The village the officer is looking at: chosen in the tree, else the one of the
        person or household shown, else the work list's, else the register's area."""
        item = self.tree.currentItem()
        village = item.data(0, AREA_ROLE)[0] if item is not None else None
        if village:
            return str(village)
        if self.detail.currentWidget() in (self.person_page, self.household_page):
            household_id = (
                self.person_page.household_id
                if self.detail.currentWidget() is self.person_page
                else self.household_page.household_id
            )
            row = households.household(self.register, household_id) if household_id else None
            if row is not None:
                return str(row["village_code"])
        return self.worklist.village_code or self.register.area_code

    def close_for_restore(self) -> None:
        """A register cannot be replaced while it is open: close it (no backup on the
        way out: restoring keeps the replaced register as a copy) and let the app show
        the unlock window, whose Restore from a backup… does the rest."""
        self._backup_on_close = False
        path = self.register.path
        self.restore_wanted.emit(path)
        self.close()

    # -- settings, about, closing ------------------------------------------------------

    def edit_settings(self) -> None:
        from fpdesk.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs, self, register=self.register)
        dialog.accepted.connect(lambda: self._settings_saved(dialog))
        dialog.open()

    def _settings_saved(self, dialog: Any) -> None:
        self.locker.set_minutes(self.prefs.lock_minutes)
        self.language_wanted.emit(self.prefs.language)

    def show_about(self) -> None:
        from fpdesk import __version__

        QMessageBox.about(
            self,
            QCoreApplication.translate("MainWindow", "About fpdesk"),
            QCoreApplication.translate(
                "MainWindow",
                "fpdesk {0}: an offline register for village family-planning and "
                "reproductive-health work. It records voluntary, informed-choice "
                "services.",
            ).format(__version__),
        )
