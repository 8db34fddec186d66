"""Unlocking a register with accounts and the integrity check on start."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fpdesk.gui import session
from fpdesk.gui.settings import Settings
from fpdesk.gui.startup import Startup, UnlockDialog
from fpdesk.store import accounts, backup, daily_check, errors, keyring, records
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.gui.conftest import type_text
from tests.store.test_backup import corrupt

ADMIN, ADMIN_PW = "王管理", "admin-pass-1"
OFFICER, OFFICER_PW = "李专干", "officer-pass-1"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)
    monkeypatch.setattr(session, "user", None)


@pytest.fixture
def with_accounts(register_path: Path) -> Path:
    with open_register(register_path, PASSPHRASE) as reg:
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    return register_path


def start(qtbot, path: Path, prefs: Settings) -> tuple[UnlockDialog, list[Register]]:  # type: ignore[no-untyped-def]
    startup = Startup(prefs, db=path)
    opened: list[Register] = []
    startup.opened.connect(opened.append)
    startup.begin()
    dialog = startup.dialog
    assert isinstance(dialog, UnlockDialog)
    qtbot.addWidget(dialog)
    dialog._startup = startup  # type: ignore[attr-defined]  # kept alive with the dialog
    return dialog, opened


def test_login_with_name_and_passphrase(qtbot, with_accounts: Path, prefs: Settings) -> None:  # type: ignore[no-untyped-def]
    prefs.officer = "别人的名字"
    dialog, opened = start(qtbot, with_accounts, prefs)
    assert dialog.user.isVisibleTo(dialog)
    type_text(qtbot, dialog.passphrase, OFFICER_PW)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not opened and dialog.error.text() == dialog.tr("Type your user name.")
    type_text(qtbot, dialog.user, OFFICER)
    dialog.passphrase.clear()
    type_text(qtbot, dialog.passphrase, "wrong-wrong")
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    assert not opened and "用户名或口令不对" in dialog.error.text()
    dialog.passphrase.clear()
    type_text(qtbot, dialog.passphrase, OFFICER_PW)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    [register] = opened
    try:
        assert register.account.name == OFFICER
        # nothing is written before the day's check has passed (the window runs it)
        assert not register.writable
        assert register.query("SELECT action FROM access_log WHERE action = 'login'") == []
        checked(register)
        # the account's name, not the name kept in this laptop's settings, is the actor
        actor = register.query("SELECT value FROM local_state WHERE key = 'actor'")
        assert actor == [{"value": OFFICER}]
        # the daily backup is the window's, on a pool thread (tests/gui/test_backups.py)
        assert [b.label for b in backup.list_backups(backup.default_folder(with_accounts))] == [
            "before-accounts",
        ]
    finally:
        register.close()
    assert session.user == OFFICER
    lock = UnlockDialog(with_accounts, check_only=True)  # the idle lock: same account only
    qtbot.addWidget(lock)
    assert lock.user.text() == OFFICER and lock.user.isReadOnly()


def test_register_without_accounts_asks_only_the_passphrase(
    qtbot, register_path: Path, prefs: Settings
) -> None:  # type: ignore[no-untyped-def]
    dialog, opened = start(qtbot, register_path, prefs)
    assert not dialog.user.isVisibleTo(dialog)
    type_text(qtbot, dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    [register] = opened
    try:
        assert register.account is None
        checked(register)
        assert [r["action"] for r in register.query("SELECT action FROM access_log")] == [
            "login",
        ]
    finally:
        register.close()


def checked(register: Register) -> None:
    """The day's check, as the window runs it after it is shown (gui.daily_check)."""
    daily_check.finish(register, daily_check.run(register.reopen))


def test_damaged_register_is_locked_with_how_to_restore(
    qtbot, register_path: Path, prefs: Settings
) -> None:  # type: ignore[no-untyped-def]
    with open_register(register_path, PASSPHRASE) as reg, reg.transaction():
        for n in range(1, 200):
            reg.conn.execute(
                "INSERT INTO household (id, code, village_code, group_no) VALUES (?, ?, ?, ?)",
                (f"h{n}", f"{VILLAGE}01{n:04d}", VILLAGE, "01"),
            )
    corrupt(register_path)
    before = register_path.read_bytes()
    dialog, opened = start(qtbot, register_path, prefs)
    type_text(qtbot, dialog.passphrase, PASSPHRASE)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    # it opens for reading at once; the day's check then finds the damage and every
    # write stays refused, saying how to restore (the window: tests/gui/test_daily_check.py)
    [register] = opened
    try:
        checked(register)
        assert daily_check.failed(register)
        with pytest.raises(errors.RegisterDamaged) as refused:
            register.set_actor("别人")
        assert "已损坏" in str(refused.value.text.zh)
        assert "fpdesk backup restore" in refused.value.text.zh
    finally:
        register.close()
    assert register_path.read_bytes() == before


def test_restore_a_backup_from_the_unlock_dialog(
    qtbot, register_path: Path, prefs: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.backup_dialog import RestoreDialog

    with open_register(register_path, PASSPHRASE) as reg:
        reg.conn.execute(
            "INSERT INTO household (id, code, village_code, group_no) VALUES (?, ?, ?, ?)",
            ("h1", f"{VILLAGE}010001", VILLAGE, "01"),
        )
        backup.create(reg)
        reg.conn.execute("UPDATE household SET address = '改过' WHERE id = 'h1'")
    dialog, opened = start(qtbot, register_path, prefs)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.restore_dialog is None  # no passphrase typed yet
    type_text(qtbot, dialog.passphrase, PASSPHRASE)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    restore = dialog.restore_dialog
    assert isinstance(restore, RestoreDialog)
    assert restore.backups.count() == 1
    restore.backups.setCurrentRow(0)  # checked on a pool thread, then shown
    qtbot.waitUntil(
        lambda: "1 户" in restore.preview.text() or "1 households" in restore.preview.text(),
        timeout=20_000,
    )
    answers = iter([False, True])
    monkeypatch.setattr(restore, "ask_confirmation", lambda: next(answers))
    qtbot.mouseClick(restore.restore_button, Qt.MouseButton.LeftButton)
    assert restore.isVisible()  # said no: nothing happened
    with open_register(register_path, PASSPHRASE) as reg:
        assert reg.query("SELECT address FROM household") == [{"address": "改过"}]
    qtbot.mouseClick(restore.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not restore.isVisible(), timeout=20_000)
    qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)
    [register] = opened
    try:
        assert register.query("SELECT address FROM household") == [{"address": ""}]
    finally:
        register.close()
    safety = list(register_path.parent.glob("*.before-restore-*.bak"))
    assert len(safety) == 1


def test_first_run_shows_the_recovery_key_and_saves_the_sheet(
    qtbot, tmp_path: Path, prefs: Settings
) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.accounts_dialog import RecoveryKeyDialog
    from fpdesk.gui.startup import FirstRunDialog

    path = tmp_path / "new.fpdesk"
    startup = Startup(prefs, db=path)
    opened: list[Register] = []
    startup.opened.connect(opened.append)
    startup.begin()
    first = startup.dialog
    assert isinstance(first, FirstRunDialog)
    qtbot.addWidget(first)
    qtbot.keyClicks(first.area_code, VILLAGE)
    type_text(qtbot, first.officer, "韦丽")
    qtbot.keyClicks(first.passphrase, "village-key")
    qtbot.keyClicks(first.again, "village-key")
    qtbot.keyClick(first.again, Qt.Key.Key_Return)
    shown = startup.dialog
    assert isinstance(shown, RecoveryKeyDialog)
    qtbot.addWidget(shown)
    key = shown.key_label.text()
    sheet = tmp_path / "safe.pdf"
    if shown.save_sheet(sheet):  # needs a Chinese font, as every printout does
        assert sheet.read_bytes().startswith(b"%PDF")
    assert not opened
    shown.accept()
    [register] = opened
    try:
        assert register.account.name == "韦丽" and register.account.role == "administrator"
    finally:
        register.close()
    accounts.recover(path, "韦丽", key, "another-key").close()


class Quiet:
    """A worker's progress with nobody watching."""

    cancelled = False

    def report(self, *_: object) -> None:
        pass

    def check(self) -> None:
        pass


def test_background_work_runs_as_the_same_account_with_its_limits(
    with_accounts: Path, tmp_path: Path
) -> None:
    import queue

    from fpdesk.core.clock import FixedClock
    from fpdesk.gui.clerk.import_page import import_bundles
    from fpdesk.gui.print_dialog import make_pdf
    from fpdesk.reports.pdf import jobs
    from fpdesk.reports.pdf.layout import PrintOptions
    from fpdesk.store.access import AccessDenied

    with accounts.login(with_accounts, OFFICER, OFFICER_PW) as reg:
        records.insert(
            reg,
            "household",
            {"code": f"{VILLAGE}010001", "village_code": VILLAGE, "group_no": "01"},
        )
        opener = accounts.second_connection(reg)
        with opener() as other:  # no passphrase asked again
            assert other.account == reg.account
        with pytest.raises(AccessDenied):  # an officer does not import bundles
            import_bundles(opener, [tmp_path / "x.fpb"], Quiet(), queue.SimpleQueue())  # type: ignore[arg-type]
        request = jobs.PrintRequest(kind="households", village_code=VILLAGE, period="2026-03-01")
        out = tmp_path / "households.pdf"
        try:
            make_pdf(
                opener,
                request,
                out,
                PrintOptions(clock=FixedClock(dt.date(2026, 3, 1))),
                Quiet(),  # type: ignore[arg-type]
            )
        except Exception as exc:  # no Chinese font here: the audit row cannot be checked
            pytest.skip(f"printing unavailable: {exc}")
        rows = reg.query("SELECT account, action, detail FROM access_log WHERE action = 'print'")
    assert rows == [
        {
            "account": OFFICER,
            "action": "print",
            "detail": f'{{"file": "households.pdf", "kind": "households", "village": "{VILLAGE}"}}',
        }
    ]


def test_household_list_shows_the_account_area_with_phones_masked(tmp_path: Path) -> None:
    from fpdesk.gui.models import HouseholdModel
    from fpdesk.store.db import create_register
    from tests.conftest import TOWNSHIP

    other_village = TOWNSHIP[:9] + "202"
    path = tmp_path / "township.fpdesk"
    with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
        for n, village in enumerate((VILLAGE, other_village), start=1):
            records.insert(
                reg,
                "household",
                {
                    "code": f"{village}01000{n}",
                    "village_code": village,
                    "group_no": "01",
                    "phone": "13907710001",
                },
            )
        everyone = HouseholdModel(reg)
        assert everyone.rowCount() == 2  # no accounts: the whole register
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    with accounts.login(path, OFFICER, OFFICER_PW) as reg:
        model = HouseholdModel(reg)
        assert model.rowCount() == 1
        assert model.data(model.index(0, model.CODE)).startswith(VILLAGE)
        assert model.data(model.index(0, model.PHONE)) == "139****0001"
        model.set_area(other_village)
        assert model.rowCount() == 0  # asking for another village shows nothing


def test_administrator_manages_accounts_and_reads_the_record(
    qtbot, with_accounts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from fpdesk.gui.accounts_dialog import AccountsDialog, AuditLogDialog, KeysMenu

    with accounts.login(with_accounts, OFFICER, OFFICER_PW) as reg:
        menu = KeysMenu(reg)
        qtbot.addWidget(menu)
        assert menu.backup_now.isEnabled()
        assert not menu.accounts.isEnabled() and not menu.audit_log.isEnabled()
    with accounts.login(with_accounts, ADMIN, ADMIN_PW) as reg:
        dialog = AccountsDialog(reg)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == 2
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
        add = dialog.child
        type_text(qtbot, add.name, "张文书")
        add.role.setCurrentIndex(add.role.findData("officer"))
        add.area_code.setText(VILLAGE[:9] + "202")  # another village: not this register's
        qtbot.keyClicks(add.passphrase, "clerk-pass-1")
        qtbot.keyClicks(add.again, "clerk-pass-1")
        add.try_add()
        assert VILLAGE in add.error.text() and add.isVisible()
        add.area_code.setText(VILLAGE)
        add.try_add()
        assert dialog.table.rowCount() == 3
        names = [dialog.table.item(i, 0).text() for i in range(3)]
        dialog.table.selectRow(names.index(OFFICER))
        dialog.set_passphrase(OFFICER, "reset-by-admin")
        dialog.table.selectRow(names.index(OFFICER))
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert dialog.table.rowCount() == 2
        monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
        menu = KeysMenu(reg)
        task = menu.back_up(tmp_path / "usb")  # on a pool thread, with a progress window
        qtbot.waitUntil(lambda: task.finished_ok is not None, timeout=20_000)
        [made] = backup.list_backups(tmp_path / "usb")
        assert task.finished_ok and made.label == "manual"
        log = AuditLogDialog(reg)
        qtbot.addWidget(log)
        actions = [
            log.table.item(i, 2).data(Qt.ItemDataRole.UserRole) for i in range(log.table.rowCount())
        ]
        assert actions[0] == "backup" and "accounts" in actions and "login" in actions
        log.export(tmp_path / "log.json")
        assert (tmp_path / "log.json").exists()
    accounts.login(with_accounts, "张文书", "clerk-pass-1").close()
    with pytest.raises(accounts.LoginRefused):
        accounts.login(with_accounts, OFFICER, "reset-by-admin")  # removed


def test_old_register_turned_over_to_accounts_from_the_window(qtbot, register_path: Path) -> None:  # type: ignore[no-untyped-def]
    from fpdesk.gui.accounts_dialog import AccountsDialog, RecoveryKeyDialog
    from fpdesk.gui.dashboard import Dashboard

    with open_register(register_path, PASSPHRASE) as reg:
        dialog = AccountsDialog(reg)
        qtbot.addWidget(dialog)
        assert dialog.table.rowCount() == 0 and dialog.status.text()
        dialog.open_add()
        add = dialog.child
        assert add.role.currentData() == "administrator"  # the first account must be
        type_text(qtbot, add.name, ADMIN)
        qtbot.keyClicks(add.passphrase, ADMIN_PW)
        qtbot.keyClicks(add.again, ADMIN_PW)
        add.try_add()
        assert isinstance(dialog.child, RecoveryKeyDialog)
        key = dialog.child.key_label.text()
        assert session.user == ADMIN
        assert reg.account is not None and reg.account.name == ADMIN
        board = Dashboard(reg)  # the session goes on, now as the administrator
        qtbot.addWidget(board)
        board.export_to(str(register_path.parent / "report.xlsx"), "assessment")
        rows = reg.query("SELECT account, action FROM access_log WHERE action = 'report'")
        assert rows == [{"account": ADMIN, "action": "report"}]
    with pytest.raises(Exception, match="FPDESK_USER"):
        open_register(register_path, PASSPHRASE)
    accounts.recover(register_path, ADMIN, key, "another-pass").close()


def test_scope_for_lists(tmp_path: Path) -> None:
    from fpdesk.gui.worklist import load_due
    from fpdesk.store import access, records
    from fpdesk.store.db import create_register
    from fpdesk.store.reading import villages
    from tests.conftest import TOWNSHIP

    other = TOWNSHIP[:9] + "202"
    path = tmp_path / "township.fpdesk"
    with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
        for code in (VILLAGE, other):
            records.insert(
                reg, "household", {"code": code + "010001", "village_code": code, "group_no": "01"}
            )
        assert access.scope(reg, other) == other  # no accounts: as asked
        assert access.scope(reg) == TOWNSHIP
        accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    with accounts.login(path, OFFICER, OFFICER_PW) as reg:
        assert access.scope(reg) == VILLAGE
        assert access.scope(reg, TOWNSHIP) == VILLAGE  # a wider area: narrowed
        with pytest.raises(access.AccessDenied):
            access.scope(reg, other)
        # The window's village tree offers the officer's own village only, so the work
        # list is never asked for another; asked anyway, it refuses like the CLI.
        assert [v.code for v in villages.villages(reg)] == [VILLAGE]
        with pytest.raises(access.AccessDenied):
            load_due(reg, dt.date(2026, 3, 1), other)
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        assert access.village_scope(reg) is None
        assert access.scope(reg, other) == other
        assert [v.code for v in villages.villages(reg)] == [VILLAGE, other]


def test_the_recovery_key_sets_a_new_passphrase_from_the_unlock_window(
    qtbot,
    register_path: Path,
    prefs: Settings,  # type: ignore[no-untyped-def]
) -> None:
    from PySide6.QtWidgets import QPushButton

    from fpdesk.gui.startup import ForgottenPassphraseDialog

    with open_register(register_path, PASSPHRASE) as reg:
        recovery = accounts.add(reg, ADMIN, "administrator", None, ADMIN_PW)
        accounts.add(reg, OFFICER, "officer", VILLAGE, OFFICER_PW)
    assert recovery is not None
    dialog, opened = start(qtbot, register_path, prefs)
    type_text(qtbot, dialog.user, OFFICER)
    forgot = dialog.findChild(QPushButton, "forgot")
    assert forgot is not None and forgot.isVisibleTo(dialog)
    qtbot.mouseClick(forgot, Qt.MouseButton.LeftButton)
    recover = dialog.recovery_dialog
    assert isinstance(recover, ForgottenPassphraseDialog)
    qtbot.waitExposed(recover)
    assert recover.user.text() == OFFICER and recover.focusWidget() is recover.key
    # A short passphrase is named at its field, not at the bottom.
    qtbot.keyClicks(recover.key, recovery)
    qtbot.keyClick(recover.key, Qt.Key.Key_Tab)
    qtbot.keyClicks(recover.passphrase, "short")
    qtbot.keyClick(recover.passphrase, Qt.Key.Key_Return)
    assert recover.fields.error_of(recover.passphrase)
    assert recover.focusWidget() is recover.passphrase and not opened
    recover.passphrase.clear()
    qtbot.keyClicks(recover.passphrase, "new-officer-pass")
    qtbot.keyClick(recover.passphrase, Qt.Key.Key_Tab)
    qtbot.keyClicks(recover.again, "new-officer-pass")
    qtbot.keyClick(recover.again, Qt.Key.Key_Return)
    assert len(opened) == 1 and opened[0].account is not None
    assert opened[0].account.name == OFFICER
    opened[0].close()
    accounts.login(register_path, OFFICER, "new-officer-pass").close()
    accounts.login(register_path, ADMIN, ADMIN_PW).close()  # the others keep theirs


def test_a_wrong_recovery_key_is_said_and_nothing_changes(
    qtbot,
    with_accounts: Path,
    prefs: Settings,  # type: ignore[no-untyped-def]
) -> None:
    from fpdesk.gui.startup import ForgottenPassphraseDialog

    recover = ForgottenPassphraseDialog(with_accounts, OFFICER)
    qtbot.addWidget(recover)
    recover.show()
    recover.key.setText(keyring.new_recovery_key())
    recover.passphrase.setText("new-officer-pass")
    recover.again.setText("new-officer-pass")
    recover.try_recover()
    assert recover.isVisible() and recover.error.text()
    accounts.login(with_accounts, OFFICER, OFFICER_PW).close()


def test_the_lock_dialog_keeps_its_layout_after_wrong_passphrases(
    qtbot,
    with_accounts: Path,  # type: ignore[no-untyped-def]
) -> None:
    session.user = OFFICER
    dialog = UnlockDialog(with_accounts, check_only=True)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for _ in range(accounts.FREE_TRIES + 1):
        dialog.passphrase.setText("wrong-wrong")
        dialog.try_unlock()
    assert "30" in dialog.error.text() and dialog.error.isVisible()
    # Nothing squeezed over anything else: each row below the one before, all inside.
    rows = [
        dialog.intro,
        dialog.file_label,
        dialog.user,
        dialog.passphrase,
        dialog.error,
        dialog.buttons,
    ]
    for above, below in itertools.pairwise(rows):
        assert above.geometry().bottom() < below.geometry().top(), (above, below)
        assert below.height() >= below.minimumSizeHint().height() or below is dialog.error
    assert dialog.buttons.geometry().bottom() <= dialog.height()
    assert dialog.error.height() >= dialog.error.heightForWidth(dialog.error.width())
