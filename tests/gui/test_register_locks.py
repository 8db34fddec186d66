"""Nothing in the window's process ever drops SQLite's locks on the open register.

On Linux closing ANY descriptor of a file drops every POSIX lock the process holds on
it.  Qt's file dialog used to read the first bytes of every file in the folder it showed
(to find each file's type) and close them: shown in the register's folder, the window
lost its read lock on the register and its lock on byte 128 of -shm; the next program
that opened and closed the register deleted -wal and -shm under the window, whose
later writes were lost and whose file failed the integrity checks.

Here a real main window on a township register (with and without accounts) opens each
file dialog of the window through its own buttons and actions, shown in the register's
folder (also the working folder), runs the workers they start (backup, import, export),
and after each one another process opens, writes, reads and closes the register.  The
window's process must still hold its locks (/proc/locks), -wal and -shm must still be
there, each process must see the other's writes, and the file must pass SQLite's and
SQLCipher's checks at the end.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFileSystemModel,
    QInputDialog,
    QLineEdit,
    QMessageBox,
)

from fpdesk.core.clock import FixedClock
from fpdesk.store import accounts
from fpdesk.store.db import Register, create_register, file_damage, open_register
from fpdesk.sync import keys
from tests.conftest import PASSPHRASE, TOWNSHIP
from tests.gui.conftest import TODAY
from tests.reports.pdf.conftest import pdf_text

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads the kernel's lock table, /proc/locks"
)

CLERK = "文员"
# Another program (the command line, a second window) opening the register: it writes
# a row, reads the window's last row and closes, as the last user if it believes so.
OTHER_PROCESS = r"""
import sys, sqlcipher3
path, key, mine, theirs = sys.argv[1:5]
conn = sqlcipher3.connect(path, isolation_level=None)
conn.execute("PRAGMA key = " + key)
conn.execute("PRAGMA busy_timeout = 10000")
conn.execute("INSERT INTO local_state (key, value) VALUES (?, 'other')", (mine,))
row = conn.execute("SELECT value FROM local_state WHERE key = ?", (theirs,)).fetchone()
conn.close()
print(row[0] if row else "MISSING")
"""


@dataclass
class Office:
    """The clerk's register, how another program opens it, and the folders around it."""

    path: Path
    user: str | None
    key_sql: str  # what PRAGMA key gets in the other process
    stick: Path
    writes: list[str] = field(default_factory=list)
    their_writes: list[str] = field(default_factory=list)


@pytest.fixture(params=["passphrase", "accounts"])
def office(request: pytest.FixtureRequest, tmp_path: Path) -> Office:
    folder = tmp_path / "office"
    folder.mkdir()
    path = folder / "township.fpdesk"
    if request.param == "accounts":
        register, _recovery = accounts.create_with_account(
            path, role="township", area_code=TOWNSHIP, name=CLERK, passphrase=PASSPHRASE
        )
        assert register.key is not None
        key_sql, user = f"\"x'{register.key}'\"", CLERK
    else:
        register = create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP)
        key_sql, user = "'" + PASSPHRASE.replace("'", "''") + "'", None
    keys.create_recovery_identity(register, folder / "recovery.txt")
    register.close()
    stick = tmp_path / "stick"
    stick.mkdir()
    # A village's file, damaged on the way: the import refuses it (a row for the receipt).
    damaged = f"{TOWNSHIP[:9]}201-changes-{TOWNSHIP}-0a1b2c3d-0000000000-0000000004-abcdef12.fpb"
    (stick / damaged).write_bytes(b"age-encryption.org/v1\n" + os.urandom(600))
    (folder / "subfolder").mkdir()
    return Office(path, user, key_sql, stick)


def held_locks(path: Path) -> set[str]:
    """Which of the register's files ("db", "shm") this process holds a POSIX lock on."""
    names = {}
    for suffix, name in (("", "db"), ("-shm", "shm")):
        with contextlib.suppress(FileNotFoundError):
            names[os.stat(str(path) + suffix).st_ino] = name
    held = set()
    for line in Path("/proc/locks").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if "->" in fields:  # a waiter, not a holder
            continue
        pid, where = fields[4], fields[5]
        inode = int(where.split(":")[2])
        if pid == str(os.getpid()) and inode in names:
            held.add(names[inode])
    return held


class Answerer:
    """Plays the clerk at each modal window: a file dialog is first shown the register's
    folder (where Qt would read every file to find its type) until it has listed it,
    then answered; a message box is acknowledged; an old passphrase prompt answered."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.answers: list[Callable[[QFileDialog], None]] = []
        self.dialogs: list[str] = []
        self.messages: list[str] = []
        self._current: QFileDialog | None = None
        self._settle = 0
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(self._tick)
        self.timer.start()

    def expect(self, answer: Callable[[QFileDialog], None]) -> None:
        self.answers.append(answer)

    def _tick(self) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QFileDialog):
            self._file_dialog(widget)
        elif isinstance(widget, QMessageBox):
            self.messages.append(widget.text())
            widget.accept()
        elif isinstance(widget, QInputDialog):  # the passphrase asked again (old code)
            widget.setTextValue(PASSPHRASE)
            widget.accept()

    def _file_dialog(self, dialog: QFileDialog) -> None:
        folder = self.office.path.parent
        if dialog is not self._current:
            self._current, self._settle = dialog, 0
            dialog.setDirectory(str(folder))
            return
        model = dialog.findChild(QFileSystemModel)
        assert model is not None
        root = model.index(str(folder))
        rows = [model.index(i, 0, root) for i in range(model.rowCount(root))]
        if not rows or any(not model.type(i) for i in rows):
            return  # still listing the folder and finding each entry's type
        self._settle += 1
        if self._settle < 15:  # the rest of the folder's files, in the same pass
            return
        self.dialogs.append(dialog.windowTitle())
        answer = self.answers.pop(0) if self.answers else (lambda d: d.reject())
        self._current = None
        answer(dialog)

    def stop(self) -> None:
        self.timer.stop()


def choose(path: Path) -> Callable[[QFileDialog], None]:
    def answer(dialog: QFileDialog) -> None:
        if path.is_dir():  # a folder dialog answers with the folder it shows
            dialog.setDirectory(str(path))
        else:
            dialog.setDirectory(str(path.parent))
            # Typed as the clerk would (selectFile leaves a focused name box alone).
            name_box = dialog.findChild(QLineEdit, "fileNameEdit")
            assert name_box is not None
            name_box.setText(path.name)
        dialog.accept()

    return answer


def cancel(dialog: QFileDialog) -> None:
    dialog.reject()


def other_process(office: Office, n: int) -> str:
    mine = f"other-{n}"
    theirs = office.writes[-1]
    out = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, str(office.path), office.key_sql, mine, theirs],
        capture_output=True,
        encoding="utf-8",
        check=True,
        timeout=60,
    )
    office.their_writes.append(mine)
    return out.stdout.strip()


def window_writes(register: Register, office: Office) -> None:
    name = f"window-{len(office.writes)}"
    with register.transaction():
        register.conn.execute("INSERT INTO local_state (key, value) VALUES (?, 'window')", (name,))
    office.writes.append(name)


def still_sound(register: Register, office: Office, step: str) -> None:
    """The window keeps its locks; another program comes and goes; nothing is lost."""
    assert held_locks(office.path) == {"db", "shm"}, f"locks lost after {step}"
    window_writes(register, office)
    seen = other_process(office, len(office.their_writes))
    assert seen == "window", f"the other process missed the window's write after {step}"
    for suffix in ("-wal", "-shm"):
        assert Path(str(office.path) + suffix).exists(), f"{suffix} deleted after {step}"
    assert held_locks(office.path) == {"db", "shm"}, f"locks lost after {step}"
    window_writes(register, office)
    last = office.their_writes[-1]
    row = register.conn.execute("SELECT value FROM local_state WHERE key = ?", (last,)).fetchone()
    assert row == ("other",), f"the window missed the other process's write after {step}"


@pytest.fixture
def window(
    qtbot: Any, office: Office, prefs: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    from fpdesk.gui.mainwindow import MainWindow

    # As after `fpdesk gui --db township.fpdesk`: the working folder is the register's.
    monkeypatch.chdir(office.path.parent)
    register = open_register(office.path, PASSPHRASE, user=office.user)
    if office.user is None:
        register.set_actor(CLERK)
    main = MainWindow(register, prefs, FixedClock(TODAY))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    yield main
    main.locker.stop()
    if not register.closed:
        register.close()


def test_file_dialogs_and_workers_keep_the_registers_locks(
    qtbot: Any, window: Any, office: Office, tmp_path: Path
) -> None:
    register = window.register
    answerer = Answerer(office)
    try:
        assert held_locks(office.path) == {"db", "shm"}
        window_writes(register, office)
        still_sound(register, office, "opening the window")

        # Register > Back up to a folder: the folder dialog, then the backup's worker.
        backups = tmp_path / "backups"
        backups.mkdir()
        answerer.expect(choose(backups))
        window.keys_menu.backup_now.trigger()
        qtbot.waitUntil(
            lambda: bool(list(backups.glob("*.fpdesk")) and answerer.messages), timeout=60000
        )
        still_sound(register, office, "the backup to a folder")

        # Register > Record of processing > Export: a save dialog, cancelled.
        window.keys_menu.audit_log.trigger()
        log_dialog = window.keys_menu.dialog
        answerer.expect(cancel)
        log_dialog.export_button.click()
        log_dialog.reject()
        still_sound(register, office, "the record's export dialog")

        clerk = window.clerk
        assert clerk is not None
        # Import: the folder with the bundles, then the import's worker.
        answerer.expect(choose(office.stick))
        clerk.importing.choose.click()
        assert clerk.importing.folder == office.stick
        clerk.importing.start_button.click()
        qtbot.waitUntil(lambda: clerk.importing.task is None, timeout=60000)
        assert clerk.importing.model.rowCount() == 1, clerk.importing.status.text()
        # The damaged file names its village, unverified, and what to do.
        model = clerk.importing.model
        village = model.index(0, 1).data()
        assert village.startswith(f"{TOWNSHIP[:9]}201") and "未核实" in village
        assert "重新导出" in model.index(0, model.columnCount() - 1).data()
        still_sound(register, office, "the import")

        # The duplicates scan of the whole register, on its worker.
        clerk.duplicates.scan_button.click()
        qtbot.waitUntil(lambda: clerk.duplicates.scan_task is None, timeout=60000)
        still_sound(register, office, "the duplicates scan")

        # The import's receipt: the print dialog on the run (made on its worker, with
        # its preview), then the save dialog; the PDF names the village of the damaged
        # file as unverified.
        receipt = tmp_path / "receipt.pdf"
        clerk.importing.receipt_button.click()
        printing = window.menus.print_dialog
        assert printing is not None and printing.kind.currentData() == "receipt"
        printing.preview_button.click()
        qtbot.waitUntil(lambda: printing.printed is not None, timeout=60000)
        answerer.expect(choose(receipt))
        printing.save_button.click()
        printing.reject()
        text = pdf_text(receipt, "-layout")
        assert f"{TOWNSHIP[:9]}201" in text and "未核实" in text
        still_sound(register, office, "the receipt's save dialog")

        # Send back: the folder for the update bundles, then the export's worker.
        out = tmp_path / "out"
        out.mkdir()
        answerer.expect(choose(out))
        clerk.send.export_button.click()
        qtbot.waitUntil(lambda: clerk.send.task is None, timeout=60000)
        still_sound(register, office, "sending back")

        # Devices: the enrollment request to open, cancelled.
        answerer.expect(cancel)
        clerk.devices.enroll_button.click()
        still_sound(register, office, "the devices' open dialog")

        assert len(answerer.dialogs) == 6, answerer.dialogs
    finally:
        answerer.stop()

    window.register.close()
    # Every write of both processes is in the file, which passes both checks.
    secret = PASSPHRASE
    if office.user is not None:
        secret = accounts.unwrap_key(office.path, office.user, PASSPHRASE)
    with open_register(office.path, secret) as again:
        for name in office.writes + office.their_writes:
            row = again.conn.execute(
                "SELECT value FROM local_state WHERE key = ?", (name,)
            ).fetchone()
            assert row is not None, name
        assert file_damage(again.conn, quick=False) == []
