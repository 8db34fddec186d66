"""Accounts, the record of processing and backups in the window; and the recovery
key, shown once when a register is set up with accounts.

Whoever holds the key can give any account a new passphrase, so it goes on paper into
the office safe: shown here in large type and saved as a printable sheet (text and QR
code), never kept by the program.
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core.i18n import current_language
from fpdesk.gui import audit_text, crash, session
from fpdesk.gui.backup_dialog import Backups
from fpdesk.gui.file_dialogs import choose_folder, choose_save_file
from fpdesk.gui.icons import icon
from fpdesk.gui.tasks import Task
from fpdesk.store import access, access_log, accounts, keyring
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError

log = logging.getLogger("fpdesk.gui.accounts")


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key and saves the sheet to print."""

    def __init__(
        self, register_path: Path, area_code: str, key: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.register_path = register_path
        self.area_code = area_code
        self.key = key
        self.sheet: Path | None = None
        self.setWindowIcon(icon("lock"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.key_label = QLabel(key)
        self.key_label.setObjectName("recovery_key")
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(18)
        font.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.choose_sheet)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Recovery key"))
        self.intro.setText(
            self.tr(
                "This is the register's recovery key. If a passphrase is forgotten, it "
                "sets a new one. It is shown only now: save the sheet and print it, or "
                "write the key down, and keep it locked in the office safe."
            )
        )
        self.save_button.setText(self.tr("Save the sheet to print (PDF)…"))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("The key is kept safe"))

    def choose_sheet(self) -> None:
        name = choose_save_file(
            self,
            self.tr("Save the recovery sheet"),
            str(self.register_path.with_name("recovery-key.pdf")),
            "PDF (*.pdf)",
        )
        if name:
            self.save_sheet(Path(name))

    def save_sheet(self, path: Path) -> bool:
        # reportlab loads when a sheet is saved, not with the window
        from fpdesk.reports.pdf.fonts import FontError
        from fpdesk.reports.pdf.recovery import write_recovery_sheet

        try:
            write_recovery_sheet(
                path, self.key, register_name=self.register_path.name, area_code=self.area_code
            )
        except FontError as exc:
            self.status.setText(exc.text.get(current_language()))
            return False
        except OSError as exc:
            log.warning("recovery sheet not written: %s", exc)
            self.status.setText(self.tr("The sheet could not be written: {0}").format(exc))
            return False
        self.sheet = path
        self.status.setText(self.tr("Saved to {0}. Print it, then delete the file.").format(path))
        return True


def passphrase_box(name: str) -> QLineEdit:
    """A box for a passphrase (what is typed shows as dots), found by `name`."""
    box = QLineEdit()
    box.setObjectName(name)
    box.setEchoMode(QLineEdit.EchoMode.Password)
    return box


def _role_names() -> dict[str, str]:
    return {
        "officer": QCoreApplication.translate("Accounts", "Village officer"),
        "clerk": QCoreApplication.translate("Accounts", "Township clerk"),
        "administrator": QCoreApplication.translate("Accounts", "Administrator"),
    }


def _action_names() -> dict[str, str]:
    return {
        "login": QCoreApplication.translate("Accounts", "login"),
        "login_failed": QCoreApplication.translate("Accounts", "failed login"),
        "logout": QCoreApplication.translate("Accounts", "logout"),
        "export": QCoreApplication.translate("Accounts", "export"),
        "import": QCoreApplication.translate("Accounts", "import"),
        "print": QCoreApplication.translate("Accounts", "print"),
        "report": QCoreApplication.translate("Accounts", "report"),
        "backup": QCoreApplication.translate("Accounts", "backup"),
        "restore": QCoreApplication.translate("Accounts", "restore"),
        "accounts": QCoreApplication.translate("Accounts", "accounts"),
        "audit_log": QCoreApplication.translate("Accounts", "record read"),
        "enroll": QCoreApplication.translate("Accounts", "enrollment"),
        "command": QCoreApplication.translate("Accounts", "command"),
        "warning_confirmed": QCoreApplication.translate("Accounts", "warning confirmed"),
    }


class AddAccountDialog(QDialog):
    """Name, role, area and a first passphrase for a new account."""

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.recovery_key: str | None = None
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role, title in _role_names().items():
            self.role.addItem(title, role)
        self.area_code = QLineEdit(register.area_code)
        self.area_code.setObjectName("area_code")
        self.area_code.setMaxLength(12)
        self.passphrase = passphrase_box("passphrase")
        self.again = passphrase_box("again")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.form = QFormLayout()
        self.form.addRow(self.tr("Name"), self.name)
        self.form.addRow(self.tr("Role"), self.role)
        self.form.addRow(self.tr("Area code"), self.area_code)
        self.form.addRow(self.tr("Passphrase"), self.passphrase)
        self.form.addRow(self.tr("Passphrase again"), self.again)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_add)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Add an account"))
        self.setMinimumWidth(420)

    def try_add(self) -> None:
        if self.passphrase.text() != self.again.text():
            self.error.setText(self.tr("The two passphrases differ."))
            return
        try:
            self.recovery_key = accounts.add(
                self.register,
                self.name.text(),
                str(self.role.currentData()),
                self.area_code.text().strip(),
                self.passphrase.text(),
            )
        except RegisterError as exc:
            self.error.setText(crash.register_error_text(exc))
            return
        except ValueError:
            self.error.setText(self.tr("Type the account's name."))
            return
        self.accept()


class AccountsDialog(QDialog):
    """The administrator's list of accounts: add, remove, set a new passphrase."""

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.child: QDialog | None = None
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("accounts")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.open_add)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.passphrase_button = QPushButton()
        self.passphrase_button.clicked.connect(self.new_passphrase)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.passphrase_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self.setMinimumSize(560, 320)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Accounts"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Role"), self.tr("Area code"), self.tr("Waiting until")]
        )
        self.add_button.setText(self.tr("Add…"))
        self.remove_button.setText(self.tr("Remove"))
        self.passphrase_button.setText(self.tr("New passphrase…"))

    def reload(self) -> None:
        rows = accounts.listing(self.register) if keyring.exists(self.register.path) else []
        names = _role_names()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            values = (
                row["name"],
                names.get(row["role"], row["role"]),
                row["area_code"],
                (row["locked_until"] or "").replace("T", " "),
            )
            for j, value in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(value))
        if not rows:
            self.status.setText(
                self.tr(
                    "This register has no accounts yet: everyone uses its one passphrase. "
                    "Add an administrator to give each person their own name and passphrase "
                    "(the register is backed up and re-encrypted once)."
                )
            )

    def selected_name(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item is not None else None

    def open_add(self) -> None:
        dialog = AddAccountDialog(self.register, self)
        if not keyring.exists(self.register.path):
            dialog.role.setCurrentIndex(dialog.role.findData("administrator"))
        dialog.accepted.connect(lambda: self._added(dialog))
        self.child = dialog
        dialog.open()

    def _added(self, dialog: AddAccountDialog) -> None:
        self.status.setText(self.tr("Account {0} added.").format(dialog.name.text().strip()))
        self.reload()
        if dialog.recovery_key:  # the register was just turned over to accounts
            session.user = dialog.name.text().strip()  # the idle lock's account
            shown = RecoveryKeyDialog(
                self.register.path, self.register.area_code, dialog.recovery_key, self
            )
            self.child = shown
            shown.open()

    def remove_selected(self) -> None:
        name = self.selected_name()
        if not name:
            return
        try:
            accounts.remove(self.register, name)
        except RegisterError as exc:
            self.status.setText(crash.register_error_text(exc))
            return
        self.status.setText(self.tr("Account {0} removed.").format(name))
        self.reload()

    def new_passphrase(self) -> None:
        name = self.selected_name()
        if not name:
            return
        text, ok = QInputDialog.getText(
            self,
            self.tr("New passphrase"),
            self.tr("New passphrase for {0}:").format(name),
            QLineEdit.EchoMode.Password,
        )
        if ok:
            self.set_passphrase(name, text)

    def set_passphrase(self, name: str, text: str) -> None:
        try:
            accounts.set_passphrase(self.register, name, text)
        except RegisterError as exc:
            self.status.setText(crash.register_error_text(exc))
            return
        self.status.setText(self.tr("Account {0} has a new passphrase.").format(name))
        self.reload()


class AuditLogDialog(QDialog):
    """The record of processing, newest first, for an administrator; exportable."""

    LIMIT = 2000

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("log")
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.choose_export)
        self.status = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.setMinimumSize(720, 420)
        self.setWindowTitle(self.tr("Record of processing"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Account"), self.tr("Action"), self.tr("Details")]
        )
        self.export_button.setText(self.tr("Export (CSV or JSON)…"))
        self.rows = access_log.read(self.register)
        shown = list(reversed(self.rows))[: self.LIMIT]
        self.table.setRowCount(len(shown))
        names = _action_names()
        for i, row in enumerate(shown):
            detail = audit_text.describe(row["detail"])  # words, not the stored JSON
            action = names.get(row["action"], row["action"])
            values = (row["at"].replace("T", " "), row["account"] or "", action, detail)
            for j, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, row["action"])
                self.table.setItem(i, j, item)
        self.table.resizeColumnsToContents()

    def choose_export(self) -> None:
        name = choose_save_file(
            self, self.tr("Export the record"), "access-log.csv", "CSV (*.csv);;JSON (*.json)"
        )
        if name:
            self.export(Path(name))

    def export(self, path: Path) -> None:
        try:
            access_log.export(self.register, self.rows, path)  # records the export itself
        except (ValueError, OSError) as exc:
            self.status.setText(self.tr("Not exported: {0}").format(exc))
            return
        self.status.setText(self.tr("{0} rows exported to {1}.").format(len(self.rows), path))


class KeysMenu(QMenu):
    """The register's own menu: backups, accounts, the record of processing."""

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.dialog: QDialog | None = None
        self.backup_now = self.addAction("", self.back_up_to_folder)
        self.accounts = self.addAction("", lambda: self._open(AccountsDialog(register, self)))
        self.audit_log = self.addAction("", lambda: self._open(AuditLogDialog(register, self)))
        self.retranslate()

    def refresh(self) -> None:
        self.backup_now.setEnabled(access.allowed(self.register, "backup"))
        self.accounts.setEnabled(access.allowed(self.register, "accounts"))
        self.audit_log.setEnabled(access.allowed(self.register, "audit_log"))

    def retranslate(self) -> None:
        self.setTitle(self.tr("&Register"))
        self.backup_now.setText(self.tr("&Back up to a folder (USB stick)…"))
        self.accounts.setText(self.tr("&Accounts…"))
        self.audit_log.setText(self.tr("Record of &processing…"))
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()

    def back_up_to_folder(self) -> None:
        folder = choose_folder(self, self.tr("Back up to which folder?"))
        if folder:
            self.back_up(Path(folder))

    def back_up(self, folder: Path) -> Task:
        """Into a folder, on a pool thread with a progress window (a large register
        takes a while); says where the copy is when it is made."""
        self.backups = Backups(self.register, self)
        return self.backups.to_folder(folder, self.parentWidget(), self._backed_up)

    def _backed_up(self, made: Path | BaseException) -> None:
        if isinstance(made, BaseException):  # a plain message, or the crash dialog for a bug
            crash.report(made, "".join(traceback.format_exception(made)), self.parentWidget())
        else:
            QMessageBox.information(
                self.parentWidget(),
                self.tr("Backup"),
                self.tr("Backed up to {0}. The copy is encrypted like the register.").format(made),
            )
