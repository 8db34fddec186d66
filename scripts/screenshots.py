"""Render every screen (Chinese UI) into docs/screenshots/*.png: one command.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out docs/screenshots] [--no-clerk]

Uses a demo register (invented people) built in a temporary folder; needs a CJK font
(Debian: fonts-wqy-microhei) and poppler's pdftoppm for the print preview.  Every
picture is 1366x768, the smallest screen officers use: a dialog is drawn over the
window it opens from, as the officer sees it.  Screens are opened through the window's
own menu actions, so a screen no menu reaches cannot be pictured here either.  The
clerk's screens come from tests/gui/clerk/screenshots.py (skip with --no-clerk).
Look at every picture before a release.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMenu, QWidget

from fpdesk.core.clock import FixedClock
from fpdesk.demo import REFERENCE_DATE, build_demo
from fpdesk.gui import app as gui_app
from fpdesk.gui.backup_dialog import RestoreDialog
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.settings import DEMO_PASSPHRASE, Settings
from fpdesk.gui.startup import FirstRunDialog, UnlockDialog
from fpdesk.gui.tasks import Task
from fpdesk.store import backup
from fpdesk.store.db import Register, open_register

ROOT = Path(__file__).resolve().parents[1]

SIZE = (1366, 768)


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str) -> None:
    QApplication.processEvents()
    picture = widget.grab()
    write(picture, out, name)


def write(picture: QPixmap, out: Path, name: str) -> None:
    """Every picture is the whole small screen: a window that grew past it is a bug."""
    size = (picture.width(), picture.height())
    if size != SIZE:
        raise SystemExit(f"{name}: the window is {size[0]}x{size[1]}, not {SIZE[0]}x{SIZE[1]}")
    picture.save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def over(window: QWidget, dialog: QWidget, lower: int = 0) -> QPixmap:
    """The window with the dialog drawn over its middle (offscreen, a top-level dialog
    is a picture of its own)."""
    settle(QApplication.instance())  # type: ignore[arg-type]
    composite = window.grab()
    painter = QPainter(composite)
    image = dialog.grab()
    bar = dialog.fontMetrics().height() + 12  # a title bar, as the window manager draws
    x = max(0, (composite.width() - image.width()) // 2)
    y = max(bar, (composite.height() - image.height() - bar) // 2 + bar + lower)
    painter.fillRect(
        x - 1, y - bar - 1, image.width() + 2, image.height() + bar + 2, QColor("#6b6b6b")
    )
    painter.fillRect(x, y - bar, image.width(), bar, QColor("#dde3ea"))
    painter.setPen(QColor("#202020"))
    painter.drawText(
        x + 10,
        y - bar,
        image.width() - 20,
        bar,
        Qt.AlignmentFlag.AlignVCenter,
        dialog.windowTitle(),
    )
    painter.drawPixmap(x, y, image)
    painter.end()
    return composite


def menu_open(window: QMainWindow, menu: QMenu, submenu: QMenu | None = None) -> QPixmap:
    """The window with a menu of its menu bar drawn open (and one of its submenus)."""
    composite = window.grab()
    bar = window.menuBar()
    title = next(a for a in bar.actions() if a.menu() is menu)
    place = bar.mapTo(window, bar.actionGeometry(title).bottomLeft())
    menu.ensurePolished()
    menu.adjustSize()
    painter = QPainter(composite)
    painter.drawPixmap(place, menu.grab())
    if submenu is not None:
        entry = next(a for a in menu.actions() if a.menu() is submenu)
        submenu.ensurePolished()
        submenu.adjustSize()
        at = menu.actionGeometry(entry).topRight()
        painter.drawPixmap(place.x() + at.x(), place.y() + at.y(), submenu.grab())
    painter.end()
    return composite


def save_over(window: QWidget, dialog: QWidget, out: Path, name: str, lower: int = 0) -> None:
    write(over(window, dialog, lower), out, name)


def newest_dialog() -> QDialog:
    """The dialog a menu action just opened."""
    QApplication.processEvents()
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]
    assert shown, "the action opened no dialog"
    return shown[-1]


def wait_until(done: object, seconds: int = 120) -> None:
    """Let the event loop run (workers report back) until `done()` is true."""
    import time

    end = time.monotonic() + seconds
    while not done() and time.monotonic() < end:  # type: ignore[operator]
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.02)
    if not done():  # type: ignore[operator]
        raise TimeoutError("a screen did not finish loading")


def wait_task(task: Task | None) -> None:
    if task is not None:
        wait_until(lambda: task.finished_ok is not None)


def busy_woman(register: Register) -> str:
    """A woman with a long timeline: the person page at its most telling."""
    rows = register.query(
        "SELECT c.woman_id AS id, count(*) AS n FROM contraception c "
        "JOIN pregnancy g ON g.woman_id = c.woman_id "
        "GROUP BY c.woman_id ORDER BY n DESC, c.woman_id LIMIT 1"
    )
    return str(rows[0]["id"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--no-clerk", action="store_true", help="skip the township clerk's screens")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = tmp  # leave the user's own settings alone
        os.environ["XDG_DATA_HOME"] = tmp
        path = Path(tmp) / "demo.fpdesk"
        build_demo(path, DEMO_PASSPHRASE, persons=args.persons, seed=1)
        app = gui_app.application()
        gui_app.set_language(app, "zh")
        prefs = Settings(Path(tmp) / "fpdesk.ini")
        register = open_register(path, DEMO_PASSPHRASE)
        register.set_actor("韦丽")
        try:
            shoot(app, register, prefs, args.out, Path(tmp))
        finally:
            register.close()
    if not args.no_clerk:
        clerk_screens(args.out)
    return 0


def clerk_screens(out: Path) -> None:
    """The township clerk's month end (clerk-*.png), through the main window's township
    menu, from a township and three village laptops made with the test helpers."""
    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))  # the helpers live beside the tests
    from tests.gui.clerk import screenshots as clerk

    clerk.main(["--out", str(out)])


def shoot(app: QApplication, register: Register, prefs: Settings, out: Path, tmp: Path) -> None:
    window = MainWindow(register, prefs, FixedClock(REFERENCE_DATE))
    window.resize(*SIZE)
    window.show()
    settle(app)
    village = window.tree.topLevelItem(0).child(0)
    village.setExpanded(True)  # its groups are read when it is opened
    window.tree.setCurrentItem(village.child(0) if village.childCount() else village)
    window.household_view.selectRow(2)
    settle(app)
    save(window, out, "households")

    window.show_person(busy_woman(register))
    settle(app)
    save(window, out, "person")

    window.search.setText("zh")
    window.run_search()
    settle(app)
    save(window, out, "search")
    window.search.clear()

    window.tree.setCurrentItem(village)
    window.show_worklist.trigger()
    settle(app)
    save(window, out, "worklist")

    window.tabs.setCurrentIndex(0)
    window.locker.lock()
    settle(app)
    lock = window.locker.dialog
    assert lock is not None
    save_over(window, lock, out, "locked", lower=90)  # below the cover's padlock
    lock.passphrase.setText(DEMO_PASSPHRASE)
    lock.try_unlock()
    settle(app)
    more_screens(app, window, register, out)

    first = FirstRunDialog(tmp / "new.fpdesk", prefs)
    first.show()
    settle(app)
    save_over(first_run_backdrop(), first, out, "first-run")
    first.close()
    unlock = UnlockDialog(register.path)
    unlock.show()
    save_over(first_run_backdrop(), unlock, out, "unlock")
    unlock.close()
    window._backup_on_close = False
    window.close()


def first_run_backdrop() -> QWidget:
    """A plain desktop-coloured sheet: the unlock window opens before any window."""
    sheet = QWidget()
    sheet.setStyleSheet("background: #3b5566;")  # a desktop
    sheet.resize(*SIZE)
    return sheet


def more_screens(app: QApplication, window: MainWindow, register: Register, out: Path) -> None:
    """The screens reached from the menus: forms, print, dashboard, register, help."""
    menus = window.menus
    village = window.tree.topLevelItem(0).child(0)
    window.tree.setCurrentItem(village)
    window.show_households.trigger()

    # forms: a new household, and a birth and a visit for the busy woman
    window.new_household.trigger()
    form = newest_dialog()
    save_over(window, form, out, "form-household")
    form.done(0)
    window.show_person(busy_woman(register))
    menus.enable_record_actions()
    for kind in ("birth", "contraception_start", "visit"):
        action = next(a for a in window.person_page.menu.actions() if a.data() == kind)
        action.trigger()
        form = newest_dialog()
        save_over(window, form, out, f"form-{kind.replace('_', '-')}")
        form.done(0)
    # a correction first, so the history has something to show (the demo is loaded
    # without a change log)
    from fpdesk.store import operations

    woman = window.person_page.person_id
    assert woman is not None
    operations.update_person(register, woman, {"phone": "13907711234"}, clock=window.clock)
    menus.history.trigger()
    history = newest_dialog()
    save_over(window, history, out, "history")
    history.done(0)

    # print: the round sheet of the village in view, made and previewed
    window.tree.setCurrentItem(village)
    menus.print_kinds["rounds"].trigger()
    printing = window.menus.print_dialog
    printing.start()
    wait_task(printing.task)
    wait_until(lambda: printing.printed is not None)
    save_over(window, printing, out, "print")
    printing.close()

    # the dashboard, and the people behind a number
    window.show_dashboard.trigger()
    dashboard = window.dashboard
    assert dashboard is not None
    wait_until(lambda: dashboard.report is not None)
    settle(app)
    save(window, out, "dashboard")
    card = next(c for c in dashboard.cards if c.key == "births")
    card.numerator.click()
    assert dashboard.dialog is not None
    save_over(window, dashboard.dialog, out, "dashboard-members")
    dashboard.dialog.close()

    # the register's own menu: record of processing, recovery key, backups; settings; help
    window.show_households.trigger()
    window.keys_menu.audit_log.trigger()
    log = newest_dialog()
    save_over(window, log, out, "record-of-processing")
    log.done(0)
    window.open_settings.trigger()
    settings = newest_dialog()
    save_over(window, settings, out, "settings")
    settings.done(0)
    # File ▸ Register ▸ Restore closes the register and leads to this, from the unlock window
    backup.create(register, label="daily")
    restore = RestoreDialog(register.path, DEMO_PASSPHRASE)
    restore.show()
    restore.backups.setCurrentRow(0)  # checked and previewed on a worker
    wait_until(lambda: restore.chosen is not None)
    save_over(window, restore, out, "restore")
    restore.close()
    # the Records menu open on a person's forms, and the Print menu
    window.show_person(busy_woman(register))
    menus.enable_record_actions()
    write(menu_open(window, menus.records_menu, menus.person_menu), out, "menu-records")
    write(menu_open(window, menus.print_menu), out, "menu-print")

    menus.keyboard.trigger()
    keys = newest_dialog()
    save_over(window, keys, out, "keyboard")
    keys.done(0)
    ledger_screens(window, out)


def ledger_screens(window: MainWindow, out: Path) -> None:
    """File ▸ Import ledger…: the wizard's four steps (ledger-1-file.png ... 4) on the
    messy ledger the tests build (tests/gui/ledger_files.py), into the village in view."""
    from PySide6.QtWidgets import QWizard

    from fpdesk.gui import file_dialogs

    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))  # the test ledger is made by the tests' helper
    from tests.gui.ledger_files import messy_ledger

    with tempfile.TemporaryDirectory() as folder:
        ledger = messy_ledger(Path(folder) / "东岗村户籍台账.xlsx")
        answers = [str(ledger)]
        real_run = file_dialogs._run
        file_dialogs._run = lambda _dialog: answers.pop(0) if answers else ""
        try:
            window.tree.setCurrentItem(window.tree.topLevelItem(0).child(0))
            window.menus.import_ledger.trigger()
            wizard = window.menus.ledger_wizard
            assert wizard is not None
            steps = wizard.file_page, wizard.mapping_page, wizard.preview_page  # type: ignore[attr-defined]
            steps[0].choose.click()
            wait_until(lambda: wizard.task is None and wizard.ledger is not None)  # type: ignore[attr-defined]
            save_over(window, wizard, out, "ledger-1-file")
            wizard.next()
            wait_until(lambda: wizard.currentPage() is steps[1])
            save_over(window, wizard, out, "ledger-2-columns")
            wizard.next()
            wait_until(lambda: wizard.plan is not None)  # type: ignore[attr-defined]
            settle(QApplication.instance())  # type: ignore[arg-type]
            save_over(window, wizard, out, "ledger-3-preview")
            steps[2].skip.setChecked(True)
            wait_until(lambda: wizard.plan is not None and wizard.plan.can_import)  # type: ignore[attr-defined]
            wizard.button(QWizard.WizardButton.CommitButton).click()
            wait_until(lambda: wizard.outcome is not None)  # type: ignore[attr-defined]
            settle(QApplication.instance())  # type: ignore[arg-type]
            save_over(window, wizard, out, "ledger-4-imported")
            wizard.done(0)
        finally:
            file_dialogs._run = real_run


if __name__ == "__main__":
    sys.exit(main())
