"""The main window's menus: every feature has a menu path with a mnemonic, and the
often-used ones a key (listed by Help ▸ Keyboard, which reads them from the menus
themselves, so the list cannot fall behind).

The menus only call what the window and its pages already do; an operation refuses
by itself (role, area) and its message is shown through `crash.show_register_error`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui import crash
from fpdesk.gui.clerk.menu import ClerkMenu
from fpdesk.gui.icons import icon
from fpdesk.store import access
from fpdesk.store.errors import RegisterError

if TYPE_CHECKING:
    from fpdesk.gui.mainwindow import MainWindow

# The printouts of the Print menu, in the order of the print dialog's list.
PRINT_KINDS = ("households", "cards", "changes", "rounds")


def menu_paths(bar: QMenuBar) -> Iterator[tuple[list[str], QAction]]:
    """Every action reachable from the menu bar with its path of titles, mnemonic
    markers removed ("&File" -> "File")."""

    def walk(menu: QMenu, path: list[str]) -> Iterator[tuple[list[str], QAction]]:
        for action in menu.actions():
            if action.isSeparator():
                continue
            sub = action.menu()
            title = plain(action.text())
            if isinstance(sub, QMenu):
                yield from walk(sub, [*path, title])
            else:
                yield [*path, title], action

    for action in bar.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from walk(sub, [plain(action.text())])


def find_action(bar: QMenuBar, *path: str) -> QAction | None:
    """The action at a menu path, titles as read ("Print", "Visit round sheet…")."""
    return next((a for p, a in menu_paths(bar) if tuple(p) == path), None)


def plain(text: str) -> str:
    """A menu title as read: without the mnemonic marker, "(&F)" or "&"."""
    for marker in ("(&", "（&"):
        at = text.find(marker)
        if at >= 0:
            end = text.find(")", at)
            end = end if end >= 0 else text.find("）", at)
            text = text[:at] + text[end + 1 :]
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


class WindowMenus(QObject):
    """Builds the menu bar of a `MainWindow` from its actions and pages."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        w = window
        bar = w.menuBar()

        # File
        self.file_menu = bar.addMenu("")
        self.import_ledger = self._add(self.file_menu, "open", self.open_ledger_wizard)
        self.file_menu.addSeparator()
        self.file_menu.addActions([w.open_settings, w.lock_now])
        self.file_menu.addMenu(w.keys_menu)
        self.restore = self._add(w.keys_menu, "backup", w.close_for_restore)
        self.recovery_key = self._add(w.keys_menu, "lock", self.new_recovery_key)
        w.keys_menu.aboutToShow.connect(self.enable_register_actions)
        self.file_menu.addSeparator()
        self.file_menu.addAction(w.quit)

        # Records: the officer's work; a person's and a household's forms
        self.records_menu = bar.addMenu("")
        self.find = self._action("search", w._focus_search, QKeySequence.StandardKey.Find)
        self.find.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("Ctrl+K")]
        )
        self.history = self._action("history", self.open_history, "Ctrl+H")
        self.records_menu.addActions(
            [w.new_household, self.find, w.show_households, w.show_worklist]
        )
        self.records_menu.addSeparator()
        self.person_menu = self.records_menu.addMenu(w.person_page.menu.title())
        self.household_menu = self.records_menu.addMenu("")
        self.add_person = self._add(
            self.household_menu, "add", lambda: w.household_page.add_person.click()
        )
        self.move_in = self._add(
            self.household_menu, "person", lambda: w.household_page.move_in.click()
        )
        self.records_menu.addAction(self.history)
        self.records_menu.aboutToShow.connect(self.enable_record_actions)
        self.person_menu.aboutToShow.connect(self.fill_person_menu)

        # Print
        self.print_menu = bar.addMenu("")
        self.print_menu.addAction(w.print_now)
        self.print_menu.addSeparator()
        self.print_kinds: dict[str, QAction] = {}
        for kind in PRINT_KINDS:
            self.print_kinds[kind] = self._add(
                self.print_menu, "print", lambda _=False, k=kind: self.open_print(k)
            )
        self.print_receipt: QAction | None = None
        if w.register.role == "township":
            self.print_receipt = self._add(self.print_menu, "print", self.receipt)

        # Statistics
        self.statistics_menu = bar.addMenu("")
        self.statistics_menu.addAction(w.show_dashboard)
        self.export_workbook = self._add(self.statistics_menu, "statistics", self.export_workbook)

        # Township: the clerk's month end, one step each (gui.clerk.menu)
        self.township_menu: ClerkMenu | None = None
        self.clerk_pages: list[QAction] = []
        if w.register.role == "township":
            self.township_menu = ClerkMenu(w.clerk_workspace, w)
            bar.addMenu(self.township_menu)
            first = self.township_menu.actions()[0]
            self.township_menu.insertAction(first, w.show_clerk)
            self.township_menu.insertSeparator(first)
            self.clerk_pages = self.township_menu.steps()
            self.held = self._add(self.township_menu, "village", self.open_held_bundles)

        # Help
        self.help_menu = bar.addMenu("")
        self.keyboard = self._add(
            self.help_menu, "help", self.show_keyboard, QKeySequence.StandardKey.HelpContents
        )
        self.help_menu.addAction(w.about)
        self.keyboard_dialog: KeyboardDialog | None = None
        self.print_dialog: QDialog | None = None
        self.question: QMessageBox | None = None
        self.recovery_dialog: QDialog | None = None
        self.ledger_wizard: QDialog | None = None

    def _action(
        self,
        name: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(icon(name), "", self.window)
        action.triggered.connect(lambda _=False: slot())
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.window.addAction(action)  # the key works with the menu closed
        return action

    def _add(
        self,
        menu: QMenu,
        name: str,
        slot: Callable[[], Any],
        shortcut: QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = self._action(name, slot, shortcut)
        menu.addAction(action)
        return action

    # -- what can be done now ----------------------------------------------------------

    def enable_record_actions(self) -> None:
        """A person's forms need a person shown; a household's, a household."""
        w = self.window
        person = w.detail.currentWidget() is w.person_page and bool(w.person_page.person_id)
        household = w.detail.currentWidget() is w.household_page and bool(
            w.household_page.household_id
        )
        self.fill_person_menu()
        self.person_menu.setEnabled(person)
        self.household_menu.setEnabled(household)
        self.history.setEnabled(person or household)

    def enable_register_actions(self) -> None:
        """Restoring and a new recovery key belong to an administrator (the operations
        refuse anyone else anyway); a recovery key only exists with accounts."""
        register = self.window.register
        self.window.keys_menu.refresh()
        self.restore.setEnabled(access.allowed(register, "restore"))
        self.recovery_key.setEnabled(
            access.allowed(register, "accounts") and register.key is not None
        )

    def fill_person_menu(self) -> None:
        """The person page's own Record… actions (the same QActions, one set of forms)."""
        self.person_menu.clear()
        self.person_menu.addActions(self.window.person_page.menu.actions())

    # -- texts -------------------------------------------------------------------------

    def retranslate(self) -> None:
        w = self.window
        w.keys_menu.retranslate()
        self.file_menu.setTitle(self.tr("&File"))
        self.import_ledger.setText(self.tr("&Import ledger…"))
        self.import_ledger.setStatusTip(
            self.tr("Bring a village's Excel ledger (households, women, contraception, births) in")
        )
        self.restore.setText(self.tr("&Restore from a backup…"))
        self.restore.setStatusTip(
            self.tr("Closes the register; the unlock window then restores a backup.")
        )
        self.recovery_key.setText(self.tr("New recovery &key…"))
        self.enable_register_actions()
        self.records_menu.setTitle(self.tr("&Records"))
        self.find.setText(self.tr("&Find…"))
        self.person_menu.setTitle(self.tr("For this &person"))
        self.household_menu.setTitle(self.tr("For this h&ousehold"))
        self.add_person.setText(self.tr("&Add a person…"))
        self.move_in.setText(self.tr("&Move in…"))
        self.history.setText(self.tr("Histor&y of the record shown…"))
        self.fill_person_menu()
        self.print_menu.setTitle(self.tr("&Print"))
        titles = {
            "households": self.tr("&Household register…"),
            "cards": self.tr("&Woman of childbearing age cards…"),
            "changes": self.tr("Monthly &change list…"),
            "rounds": self.tr("Visit &round sheet…"),
        }
        for kind, action in self.print_kinds.items():
            action.setText(titles[kind])
        if self.print_receipt is not None:
            self.print_receipt.setText(self.tr("Import r&eceipt…"))
        self.statistics_menu.setTitle(self.tr("&Statistics"))
        self.export_workbook.setText(self.tr("&Export to Excel…"))
        if self.township_menu is not None:
            self.township_menu.retranslate()
            self.held.setText(self.tr("&Held bundles…"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.keyboard.setText(self.tr("&Keyboard…"))
        for action in w.toolbar.actions():  # a button's label, without "(&N)" or "…"
            if action.text():
                action.setIconText(plain(action.text()).rstrip("…"))

    # -- what the menus open ------------------------------------------------------------

    def open_history(self) -> None:
        """The history of the person or household shown on the right."""
        w = self.window
        shown = w.detail.currentWidget()
        if shown is w.person_page and w.person_page.person_id:
            w.open_form("history", {"row_id": w.person_page.person_id})
        elif shown is w.household_page and w.household_page.household_id:
            w.open_form("history", {"row_id": w.household_page.household_id})

    def open_print(self, kind: str | None, run_id: int | None = None) -> QDialog:
        """The print dialog for the village in view, on `kind` when one was chosen; the
        PDF is made on a worker with its own connection and previewed before saving.
        On a township register it offers the import receipts too (`run_id`: the run
        shown first, else the latest)."""
        from fpdesk.gui.print_dialog import PrintDialog
        from fpdesk.sync import ledger

        w = self.window
        runs = ledger.runs(w.register) if w.register.role == "township" else None
        dialog = PrintDialog(
            w.register.reopen, w.current_village(), clock=w.clock, parent=w, runs=runs
        )
        if kind is not None:
            dialog.kind.setCurrentIndex(max(dialog.kind.findData(kind), 0))
        if run_id is not None:
            dialog.choose_run(run_id)
        w.hold_form(dialog)
        self.print_dialog = dialog
        dialog.open()
        return dialog

    def open_ledger_wizard(self) -> QDialog:
        """File ▸ Import ledger…: the wizard over the window; what it imports is shown
        at once (the lists are read again, as after a form is saved)."""
        from fpdesk.gui.ledger_wizard import LedgerWizard

        w = self.window
        if self.ledger_wizard is not None and self.ledger_wizard.isVisible():
            self.ledger_wizard.raise_()  # one import at a time: the one under way
            self.ledger_wizard.activateWindow()
            return self.ledger_wizard
        if self.ledger_wizard is not None:
            self.ledger_wizard.deleteLater()  # the last import's, closed: its file let go
        wizard = LedgerWizard(w.register, w, village=w.current_village(), clock=w.clock)
        wizard.imported.connect(lambda _result: w.after_save())
        w.hold_form(wizard)
        self.ledger_wizard = wizard
        wizard.open()
        return wizard

    def receipt(self) -> None:
        """The import receipt of the run chosen on the clerk's import page (the latest
        when none was chosen), in the print dialog."""
        page = getattr(self.window.clerk, "importing", None)
        self.print_receipt_of(None if page is None else page.runs.currentData())

    def print_receipt_of(self, run_id: object) -> QDialog:
        """The print dialog on the import receipt of one run (None: the latest)."""
        from fpdesk.reports.pdf import RECEIPT

        return self.open_print(RECEIPT, run_id if isinstance(run_id, int) else None)

    def export_workbook(self) -> None:
        """The dashboard's Export to Excel, for the period it shows."""
        w = self.window
        dashboard = w.open_dashboard()
        export = getattr(dashboard, "_export_clicked", None)
        if callable(export):
            export()

    def open_held_bundles(self) -> None:
        """Bundles held for the clerk (a laptop's fork), from the villages board."""
        w = self.window
        w.show_clerk_page(1)
        board = getattr(w.clerk, "board", None)
        if board is not None:
            board.open_held()

    def new_recovery_key(self) -> None:
        """A new recovery key (the old sheet stops working), shown once like at setup."""
        w = self.window
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("New recovery key"),
            self.tr(
                "Make a new recovery key? The old key and its printed sheet stop working; "
                "the new one is shown once, to print and keep in the office safe."
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            w,
        )
        box.setObjectName("confirm_recovery_key")
        box.accepted.connect(self._make_recovery_key)
        self.question = box
        box.open()

    def _make_recovery_key(self) -> None:
        from fpdesk.gui.accounts_dialog import RecoveryKeyDialog
        from fpdesk.store import accounts

        w = self.window
        try:
            key = accounts.new_recovery_key(w.register)
        except RegisterError as exc:
            crash.show_register_error(w, exc)
            return
        shown = RecoveryKeyDialog(w.register.path, w.register.area_code, key, w)
        self.recovery_dialog = shown
        shown.open()

    # -- Help ▸ Keyboard ---------------------------------------------------------------

    def show_keyboard(self) -> KeyboardDialog:
        self.keyboard_dialog = KeyboardDialog(self.window.menuBar(), self.window)
        self.keyboard_dialog.open()
        return self.keyboard_dialog


class KeyboardDialog(QDialog):
    """Every menu path and its key, read from the menus; then the keys of the lists
    and forms, which have no menu."""

    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard"))
        rows = [
            (" ▸ ".join(path), action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            for path, action in menu_paths(bar)
        ]
        rows += [
            (self.tr("Search box: go down into the results"), self.tr("Down")),
            (self.tr("Search box, a list: open the chosen line"), self.tr("Enter")),
            (self.tr("Search box: clear"), self.tr("Esc")),
            (self.tr("Work list: record the chosen visit"), self.tr("Enter")),
            (self.tr("Person page: back to the household"), self.tr("Backspace")),
            (self.tr("Form: next field"), self.tr("Tab")),
            (self.tr("Form: save (Ctrl+Enter inside a note)"), self.tr("Enter")),
            (self.tr("Form: throw away what was typed (asks first)"), self.tr("Esc")),
            (self.tr("New household form: add a member"), "Ctrl+M"),
            (self.tr("History: undo the last change"), "Ctrl+Z"),
        ]
        self.table = QTableWidget(len(rows), 2)
        self.table.setObjectName("keys")
        self.table.setHorizontalHeaderLabels([self.tr("What"), self.tr("Key")])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        for row, (what, key) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(what))
            self.table.setItem(row, 1, QTableWidgetItem(key))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 600)
