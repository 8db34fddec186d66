"""From launch to an open register: first-run setup, unlock, and the demo register.

Dialogs are shown with open(), not exec(), so a test (or the lock screen) can drive them
like a person; `Startup.opened` carries the open register to the main window.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import area
from fpdesk.core.i18n import current_language
from fpdesk.gui import crash, session, settings
from fpdesk.gui.accounts_dialog import RecoveryKeyDialog, passphrase_box
from fpdesk.gui.icons import icon
from fpdesk.gui.tasks import Cancelled, Progress, run_task
from fpdesk.store import access_log, accounts
from fpdesk.store.db import DAILY, LATER, Register, open_register
from fpdesk.store.errors import RegisterError

log = logging.getLogger("fpdesk.gui.startup")
MIN_PASSPHRASE = 6


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    label.setVisible(False)
    return label


def _show_error(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
    grow_to_fit(label.window())


def grow_to_fit(dialog: QWidget) -> None:
    """Make room for a message that just appeared (or went): the fields keep their
    height instead of being squeezed over each other, as they were after a wrong
    passphrase."""
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else -1
    height = max(needed, layout.totalMinimumSize().height())
    if height > dialog.height() or not dialog.isVisible():
        dialog.resize(width, height)


class UnlockDialog(QDialog):
    """Asks for the passphrase and opens the register (or, when locked, checks it).

    A register with accounts asks for the user name too; the idle lock only lets the
    account whose session it is back in (`gui.session.user`, set at the last unlock)."""

    unlocked = Signal(object)  # the open Register, or None when only checking

    def __init__(self, path: Path, parent: QWidget | None = None, *, check_only: bool = False):
        super().__init__(parent)
        self.path = path
        self.check_only = check_only
        self.register: Register | None = None
        self.uses_accounts = accounts.uses_accounts(path)
        self.user = QLineEdit()
        self.user.setObjectName("user")
        if check_only and self.uses_accounts and session.user:
            self.user.setText(session.user)
            self.user.setReadOnly(True)
        self.setWindowIcon(icon("lock"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.file_label = QLabel(str(path.name))
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.passphrase = passphrase_box("passphrase")
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("restore")
        self.restore_button.clicked.connect(self.open_restore)
        self.restore_dialog: QDialog | None = None
        self.forgot_button = QPushButton()
        self.forgot_button.setObjectName("forgot")
        self.forgot_button.clicked.connect(self.open_recovery)
        self.recovery_dialog: ForgottenPassphraseDialog | None = None
        if self.uses_accounts:  # the recovery key resets an account's passphrase
            self.buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.HelpRole)
        if check_only:  # a locked register stays locked: no way around it
            cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
            cancel.setVisible(False)
        else:
            self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.form = QFormLayout()
        self.form.addRow(QLabel(), self.file_label)
        if self.uses_accounts:
            self.form.addRow(QLabel(), self.user)
        else:
            self.user.setVisible(False)
        self.form.addRow(QLabel(), self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()
        if self.uses_accounts and not self.user.text():
            self.user.setFocus()

    def _label(self, field: QWidget) -> QLabel:
        label = self.form.labelForField(field)
        assert isinstance(label, QLabel)
        return label

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Unlock the register"))
        if self.check_only:
            self.intro.setText(
                self.tr(
                    "The register was locked because nobody used it for a while. "
                    "Type the passphrase to go on; nothing you typed was lost."
                )
            )
        elif self.uses_accounts:
            self.intro.setText(self.tr("Type your user name and your own passphrase."))
        else:
            self.intro.setText(self.tr("Type the passphrase of the register."))
        self._label(self.file_label).setText(self.tr("Register file"))
        if self.uses_accounts:
            self._label(self.user).setText(self.tr("User name"))
        self._label(self.passphrase).setText(self.tr("Passphrase"))
        self.restore_button.setText(self.tr("Restore from a backup…"))
        self.forgot_button.setText(self.tr("Forgot the passphrase…"))

    def open_recovery(self) -> None:
        """A forgotten passphrase: the recovery key sets a new one, here, not only on the
        command line."""
        dialog = ForgottenPassphraseDialog(self.path, self.user.text().strip(), self)
        dialog.recovered.connect(self._recovered)
        self.recovery_dialog = dialog
        dialog.open()

    def _recovered(self, register: Register) -> None:
        self.passphrase.clear()
        _show_error(self.error, "")
        if self.check_only:
            register.close()
            self.register = None
        else:
            session.user = register.account.name if register.account else None
            self.register = register
        self.accept()
        self.unlocked.emit(self.register)

    def open_restore(self) -> None:
        """The backups open with the same passphrase (and account) as the register."""
        from fpdesk.gui.backup_dialog import RestoreDialog

        user = self.user.text().strip() if self.uses_accounts else None
        if not self.passphrase.text() or (self.uses_accounts and not user):
            _show_error(self.error, self.tr("Type the passphrase first: backups open with it."))
            return
        dialog = RestoreDialog(self.path, self.passphrase.text(), user, self)
        dialog.restored.connect(self._restored)
        self.restore_dialog = dialog
        dialog.open()

    def _restored(self, _safety: object) -> None:
        _show_error(self.error, "")
        self.intro.setText(self.tr("The backup is in place. Press OK to open it."))

    def try_unlock(self) -> None:
        text = self.passphrase.text()
        user = self.user.text().strip() if self.uses_accounts else None
        if self.uses_accounts and not user:
            _show_error(self.error, self.tr("Type your user name."))
            self.user.setFocus()
            return
        if not text:
            _show_error(self.error, self.tr("Type the passphrase."))
            return
        try:
            # On start, a quick integrity check before anything is written: every time
            # for a village's register, once a day for a large one (it reads every
            # page, tens of seconds on a district's).  It runs after the window is
            # shown (gui.daily_check), the register read-only until it has passed.
            verify = False if self.check_only else LATER
            register = open_register(self.path, text, user=user, verify=verify)
        except RegisterError as exc:
            log.info("unlock refused: %s", type(exc).__name__)
            _show_error(self.error, crash.register_error_text(exc))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        if self.check_only:
            register.close()
            self.register = None
        else:
            if register.account is None:  # an account's login is logged by accounts.login
                register.when_writable(lambda opened: access_log.record(opened, "login"))
            session.user = user
            self.register = register
        self.passphrase.clear()
        _show_error(self.error, "")
        self.accept()
        self.unlocked.emit(self.register)

    def reject(self) -> None:
        if self.check_only:  # a locked register stays locked: there is no way around
            return
        super().reject()


class ForgottenPassphraseDialog(QDialog):
    """User name, the recovery key from the sheet in the office safe, and a new
    passphrase twice: the account gets the new passphrase and the register opens."""

    recovered = Signal(object)  # the open Register, logged in as the account

    def __init__(self, path: Path, user: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self.setWindowIcon(icon("lock"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.user = QLineEdit(user)
        self.user.setObjectName("user")
        self.key = QLineEdit()
        self.key.setObjectName("recovery_key")
        self.passphrase = passphrase_box("new_passphrase")
        self.again = passphrase_box("again")
        self.fields = FieldErrors(self.user, self.key, self.passphrase, self.again)
        self.error = _error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_recover)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.fields.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.setWindowTitle(self.tr("Set a new passphrase with the recovery key"))
        self.intro.setText(
            self.tr(
                "The recovery key is on the sheet printed when the register was set up "
                "(kept in the office safe). It sets a new passphrase for one account; the "
                "other accounts keep theirs."
            )
        )
        labels = (
            self.tr("User name"),
            self.tr("Recovery key"),
            self.tr("New passphrase"),
            self.tr("New passphrase again"),
        )
        for widget, label in zip(self.fields.widgets, labels, strict=True):
            self.fields.label(widget).setText(label)
        (self.key if user else self.user).setFocus()

    def problems(self) -> dict[QWidget, str]:
        found: dict[QWidget, str] = {}
        if not self.user.text().strip():
            found[self.user] = self.tr("Type the account's user name.")
        if not self.key.text().strip():
            found[self.key] = self.tr("Type the recovery key from the sheet.")
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            found[self.passphrase] = self.tr("The passphrase needs at least 6 characters.")
        elif self.passphrase.text() != self.again.text():
            found[self.again] = self.tr("The two passphrases differ.")
        return found

    def try_recover(self) -> None:
        _show_error(self.error, "")
        if self.fields.show(self.problems()):
            return
        try:
            register = accounts.recover(
                self.path,
                self.user.text().strip(),
                self.key.text().strip(),
                self.passphrase.text(),
                verify=DAILY,
            )
        except RegisterError as exc:
            log.info("recovery refused: %s", type(exc).__name__)
            _show_error(self.error, crash.register_error_text(exc))
            return
        self.passphrase.clear()
        self.again.clear()
        self.accept()
        self.recovered.emit(register)


class FieldErrors:
    """A form of labelled fields, each with its own message row under it: a problem is
    shown at its field (and the first one focused), not in one line at the bottom."""

    def __init__(self, *widgets: QWidget) -> None:
        self.widgets = widgets
        self.form = QFormLayout()
        self.errors: dict[QWidget, QLabel] = {}
        for widget in widgets:
            self.form.addRow(QLabel(), widget)
            error = _error_label()
            error.setObjectName(f"{widget.objectName()}_error")
            self.form.addRow("", error)
            self.form.setRowVisible(error, False)
            self.errors[widget] = error

    def label(self, widget: QWidget) -> QLabel:
        label = self.form.labelForField(widget)
        assert isinstance(label, QLabel)
        return label

    def show(self, problems: dict[QWidget, str]) -> bool:
        """Each message under its field, the others cleared; True if there was any."""
        for widget, error in self.errors.items():
            text = problems.get(widget, "")
            error.setText(text)
            self.form.setRowVisible(error, bool(text))
        first = next((w for w in self.widgets if w in problems), None)
        if first is not None:
            first.setFocus()
        grow_to_fit(self.widgets[0].window())
        return first is not None

    def error_of(self, widget: QWidget) -> str:
        error = self.errors[widget]
        return error.text() if error.isVisibleTo(widget.window()) else ""


class FirstRunDialog(QDialog):
    """The first start on this laptop: set up a register, or open the demo."""

    created = Signal(object)  # the new Register
    demo_wanted = Signal()

    def __init__(self, path: Path, prefs: settings.Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.prefs = prefs
        self.recovery_key: str | None = None
        self.setWindowIcon(icon("app"))
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.role = QComboBox()
        self.role.setObjectName("role")
        self.area_code = QLineEdit()
        self.area_code.setObjectName("area_code")
        self.area_code.setMaxLength(12)
        self.officer = QLineEdit()
        self.officer.setObjectName("officer")
        self.passphrase = passphrase_box("passphrase")
        self.again = passphrase_box("again")
        self.error = _error_label()  # what the register said (disk full...): not a field's
        self.fields = FieldErrors(
            self.role, self.area_code, self.officer, self.passphrase, self.again
        )
        self.form = self.fields.form
        self.create_button = QPushButton(icon("add"), "")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.try_create)
        self.demo_button = QPushButton(icon("demo"), "")
        self.demo_button.clicked.connect(self._demo)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.retranslate()

    def _label(self, field: QWidget) -> QLabel:
        label = self.form.labelForField(field)
        assert isinstance(label, QLabel)
        return label

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to fpdesk"))
        self.intro.setText(
            self.tr(
                "Set up the register for your village or township. The passphrase "
                "protects the register: without it nobody, not even you, can open it. "
                "Or open the demo register to look around."
            )
        )
        role = self.role.currentIndex()
        self.role.clear()
        self.role.addItem(self.tr("Village officer"), "village")
        self.role.addItem(self.tr("Township clerk"), "township")
        self.role.setCurrentIndex(max(role, 0))
        self.area_code.setPlaceholderText(self.tr("12 digits, e.g. 450102001201"))
        labels = (
            self.tr("Role"),
            self.tr("Area code"),
            self.tr("Your name"),
            self.tr("Passphrase"),
            self.tr("Passphrase again"),
        )
        widgets = (self.role, self.area_code, self.officer, self.passphrase, self.again)
        for widget, label in zip(widgets, labels, strict=True):
            self._label(widget).setText(label)
        self.create_button.setText(self.tr("Create the register"))
        self.demo_button.setText(self.tr("Open the demo register"))

    def problems(self) -> dict[QWidget, str]:
        """What is wrong with what was typed, by field (empty when all is well)."""
        found: dict[QWidget, str] = {}
        role = str(self.role.currentData())
        code = self.area_code.text().strip()
        try:
            level = area.level_of(code)
        except area.AreaCodeError:
            level = ""
            found[self.area_code] = self.tr("The area code has 12 digits.")
        if role == "village" and level not in ("village", ""):
            found[self.area_code] = self.tr(
                "A village register needs a village code (last three digits not 000)."
            )
        if role == "township" and level not in ("township", ""):
            found[self.area_code] = self.tr(
                "A township register needs a township code (ending in 000)."
            )
        if not self.officer.text().strip():
            found[self.officer] = self.tr(
                "Type your name: it is written into the history of every change."
            )
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            found[self.passphrase] = self.tr("The passphrase needs at least 6 characters.")
        elif self.passphrase.text() != self.again.text():
            found[self.again] = self.tr("The two passphrases differ.")
        return found

    def try_create(self) -> None:
        _show_error(self.error, "")
        if self.fields.show(self.problems()):
            return
        officer = self.officer.text().strip()
        try:
            # The person setting up is the register's first account, its administrator;
            # the recovery key is shown next (Startup), once.
            register, self.recovery_key = accounts.create_with_account(
                self.path,
                role=str(self.role.currentData()),
                area_code=self.area_code.text().strip(),
                name=officer,
                passphrase=self.passphrase.text(),
            )
        except RegisterError as exc:
            _show_error(self.error, crash.register_error_text(exc))
            return
        session.user = officer
        self.prefs.officer = officer
        self.passphrase.clear()
        self.again.clear()
        self.accept()
        self.created.emit(register)

    def _demo(self) -> None:
        self.accept()
        self.demo_wanted.emit()


def build_demo_file(path: Path, progress: Progress) -> Path:
    """Build the demo register (on a worker thread): into a temporary name, then rename,
    so a cancelled or failed build never leaves half a register behind."""
    from fpdesk.demo import build_demo

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(partial) + suffix).unlink()
    extra: dict[str, Any] = {}
    if "progress" in inspect.signature(build_demo).parameters:

        def report(done: int, total: int, *rest: Any) -> None:
            progress.check()
            progress.report(done, total)

        extra["progress"] = report
    progress.report(0, 0)
    try:
        result = build_demo(
            partial,
            settings.DEMO_PASSPHRASE,
            persons=settings.DEMO_PERSONS,
            seed=settings.DEMO_SEED,
            **extra,
        )
        if hasattr(result, "close"):  # some builders hand back the open register
            result.close()
        progress.check()
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                Path(str(partial) + suffix).unlink()
        raise
    os.replace(partial, path)
    return path


class Startup(QObject):
    """Decides what the officer sees first and ends with `opened(register)`."""

    opened = Signal(object)
    gave_up = Signal()

    def __init__(
        self,
        prefs: settings.Settings,
        *,
        db: Path | None = None,
        demo: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.prefs = prefs
        self.path = db or settings.default_register_path()
        self.demo = demo
        self.dialog: QDialog | None = None
        self.task: Any = None

    def begin(self) -> None:
        if self.demo:
            self.open_demo()
        elif self.path.exists():
            self.ask_passphrase(self.path)
        else:
            self.first_run()

    def first_run(self) -> None:
        dialog = FirstRunDialog(self.path, self.prefs)
        dialog.created.connect(self._created)
        dialog.demo_wanted.connect(self.open_demo)
        dialog.rejected.connect(self.gave_up)
        self._show(dialog)

    def ask_passphrase(self, path: Path) -> None:
        dialog = UnlockDialog(path)
        dialog.unlocked.connect(self._unlocked)
        dialog.rejected.connect(self.gave_up)
        self._show(dialog)

    def _unlocked(self, register: Register) -> None:
        officer = self.prefs.officer
        if officer and register.account is None:
            register.when_writable(lambda opened: opened.set_actor(officer))
        self.opened.emit(register)

    def _created(self, register: Register) -> None:
        first = self.dialog
        key = getattr(first, "recovery_key", None)
        if not key:
            self.opened.emit(register)
            return
        shown = RecoveryKeyDialog(register.path, register.area_code, key)
        shown.finished.connect(lambda _result: self.opened.emit(register))
        self._show(shown)

    def open_demo(self) -> None:
        path = settings.demo_register_path()
        if path.exists():
            self._open_demo(path)
            return
        self.task = run_task(
            None,
            lambda progress: build_demo_file(path, progress),
            on_done=self._open_demo,
            on_error=self._demo_failed,
            label=self.tr("Building the demo register (invented people only)…"),
        )
        self.task.done.connect(self._demo_ended)

    def _demo_ended(self, result: object) -> None:
        if result is None:  # cancelled
            self.gave_up.emit()

    def _open_demo(self, path: Path) -> None:
        try:
            register = open_register(path, settings.DEMO_PASSPHRASE)
        except RegisterError as exc:
            self._demo_failed(exc)
            return
        register.set_actor(self.prefs.officer or settings.DEMO_OFFICER)
        self.opened.emit(register)

    def _demo_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.gave_up.emit()
            return
        if isinstance(exc, RegisterError):
            text = exc.text.get(current_language())
        else:
            log.exception("demo build failed", exc_info=exc)
            text = self.tr("The demo register could not be built: {0}").format(exc)
        QMessageBox.warning(None, "fpdesk", text)
        self.gave_up.emit()

    def _show(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.open()
