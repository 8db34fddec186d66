"""Render the clerk's screens (Chinese UI) into docs/screenshots/clerk-*.png.

    QT_QPA_PLATFORM=offscreen python -m tests.gui.clerk.screenshots [--out docs/screenshots]
    (scripts/screenshots.py runs it after the officer's screens)

A township and three village laptops made in a temporary folder with invented people,
and the month end of tests/gui/clerk/test_month_end_window.py, driven through the
main window's township menu at 1366x768: a conflict, a duplicate person, a gap and a
damaged copy on the stick; then a held fork.  The folder dialogs are answered by
replacing gui.file_dialogs._run.  Needs a CJK font (fonts-wqy-microhei) and
pdftoppm for the receipt.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from fpdesk.core import i18n as core_i18n
from fpdesk.core.clock import FixedClock
from fpdesk.gui import file_dialogs, i18n
from fpdesk.gui.app import application
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.gui.clerk.held_page import HeldDialog
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.settings import Settings
from fpdesk.gui.tasks import Task
from fpdesk.store import areas
from fpdesk.store.db import create_register
from fpdesk.sync import enrollment
from tests.conftest import PASSPHRASE
from tests.gui.clerk.test_month_end import month_of_bundles
from tests.gui.clerk.test_month_end_window import damaged_copy, name_the_areas
from tests.sync.helpers import make_world
from tests.sync.test_held import make_fork

SIZE = (1366, 768)
NEWCOMER = "坛洛村"


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def save(widget: QWidget, out: Path, name: str) -> None:
    settle()
    widget.grab().save(str(out / f"clerk-{name}.png"))
    print(out / f"clerk-{name}.png")


def save_over(window: QWidget, dialog: QWidget, out: Path, name: str) -> None:
    """The window with a dialog drawn in its middle (offscreen: no window manager)."""
    settle()
    picture = window.grab()
    painter = QPainter(picture)
    image = dialog.grab()
    painter.drawPixmap(
        (picture.width() - image.width()) // 2, (picture.height() - image.height()) // 2, image
    )
    painter.end()
    picture.save(str(out / f"clerk-{name}.png"))
    print(out / f"clerk-{name}.png")


def wait(task: Task | None) -> None:
    """Run the event loop until the task reports back (no busy loop)."""
    if task is None or task.finished_ok is not None:
        return
    loop = QEventLoop()
    task.done.connect(lambda _outcome: loop.quit())
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = application()
    core_i18n.set_language("zh")
    i18n.install(app, "zh")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(root / "config")
        world = make_world(root / "world", village_count=3)
        folder = root / "usb"
        made = month_of_bundles(world, folder)
        t = world.township
        t.set_actor("文员")
        name_the_areas(t)
        damaged_copy(folder, sorted(world.villages)[0])
        extra = t.area_code[:9] + "204"
        areas.set_name(t, extra, NEWCOMER)
        answers = [folder, root / "back", folder]
        # Every dialog of the window runs through gui.file_dialogs._run: answered here.
        file_dialogs._run = lambda dialog: str(  # type: ignore[assignment]
            answers.pop(0)
            if dialog.fileMode() == QFileDialog.FileMode.Directory
            else root / "receipt.pdf"
        )
        QDesktopServices.openUrl = staticmethod(lambda url: True)  # type: ignore[method-assign]

        window = MainWindow(t, Settings(), FixedClock(dt.datetime.now().replace(microsecond=0)))
        window.resize(*SIZE)
        window.show()
        menu = window.clerk_menu
        assert menu is not None
        menu.import_bundles.trigger()
        view = window.clerk
        assert isinstance(view, ClerkWorkspace)
        wait(view.importing.task)
        save(window, args.out, "import")
        menu.show_board.trigger()
        save(window, args.out, "villages")

        menu.show_conflicts.trigger()
        page = view.conflicts
        page.resolve_current()  # no reason yet: asked for in red
        save(window, args.out, "conflicts-reason")
        page.take_value.setChecked(True)
        page.value.setText("一组 7 号之一")
        page.reason.setText("已与村干部电话核实")
        save(window, args.out, "conflicts")
        page.resolve_current()
        save(window, args.out, "conflicts-decided")

        menu.show_duplicates.trigger()
        save(window, args.out, "duplicates")
        dupes = view.duplicates
        dupes.reason.setText("身份证号相同，两村专干都已核实")
        dupes.merge_current()
        dupes.merges_view.selectRow(0)
        dialog = dupes.unmerge_current()
        assert dialog is not None
        dialog.reason.setText("母亲姓名不同，需再核实")
        save_over(window, dialog, args.out, "unmerge")
        dialog.ok.click()
        dupes.reason.setText("再次核实，是同一人")
        dupes.merge_current()
        save(window, args.out, "duplicates-history")

        menu.show_devices.trigger()
        newcomer = create_register(root / "new.fpdesk", PASSPHRASE, role="village", area_code=extra)
        enrollment.write_request(newcomer, root / "request.json")
        view.devices.enroll(root / "request.json", root / "request-answer.json")
        save(window, args.out, "devices")

        view.send.per_village.setChecked(True)
        menu.send_back.trigger()
        wait(view.send.task)
        save(window, args.out, "send-back")

        shutil.copy(made["lost"].path, folder)
        menu.import_bundles.trigger()  # a second pass: the lost file turned up
        wait(view.importing.task)
        view.importing.runs.setCurrentIndex(1)
        view.importing.runs.activated.emit(1)
        save(window, args.out, "import-runs")
        menu.print_receipt.trigger()  # the print dialog on the run chosen, previewed
        printing = window.menus.print_dialog
        assert printing is not None
        printing.preview_button.click()
        deadline = time.monotonic() + 60
        while printing.printed is None and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.05)
        save_over(window, printing, args.out, "receipt-preview")
        printing.save_to(root / "receipt.pdf")
        printing.reject()
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                str(root / "receipt.pdf"),
                str(args.out / "clerk-receipt"),
            ],
            check=True,
        )
        print(args.out / "clerk-receipt.png")

        # A laptop restored from an old copy sends a bundle: it is held for the clerk.
        make_fork(world, number=9)
        view.refresh()
        held = HeldDialog(view.clerk, view)
        held.resize(1100, 640)
        held.show()
        save(held, args.out, "held")
        held.close()
        window.locker.stop()
        window.close()
        newcomer.close()
        world.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
