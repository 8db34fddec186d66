"""Render the clerk's screens (Chinese UI) into docs/screenshots/clerk-*.png.

    QT_QPA_PLATFORM=offscreen python -m tests.gui.clerk.screenshots [--out docs/screenshots]

A township and three village laptops made in a temporary folder with invented people,
and the month end of tests/gui/clerk/test_month_end.py: a conflict, a duplicate
person, a gap; then a held fork.  Needs a CJK font (Debian: fonts-wqy-microhei).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QWidget

from fpdesk.core import i18n as core_i18n
from fpdesk.core.clock import FixedClock
from fpdesk.gui import i18n
from fpdesk.gui.app import application
from fpdesk.gui.clerk import ClerkWorkspace
from fpdesk.gui.clerk.held_page import HeldDialog
from fpdesk.gui.settings import Settings
from fpdesk.gui.tasks import Task
from fpdesk.store.db import Register, create_register, open_register
from fpdesk.sync import enrollment
from tests.conftest import PASSPHRASE
from tests.gui.clerk.test_month_end import month_of_bundles
from tests.sync.helpers import make_world
from tests.sync.test_held import make_fork

SIZE = (1366, 768)
NAMES = ["那况村", "石埠村", "沙井村", "坛洛村"]


def save(widget: QWidget, out: Path, name: str) -> None:
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(out / f"clerk-{name}.png"))
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
        month_of_bundles(world, folder)
        t = world.township
        codes = sorted(world.villages)
        extra = t.area_code[:9] + "204"
        with t.transaction() as conn:
            for code, name in zip([*codes, extra], NAMES, strict=True):
                conn.execute(
                    "INSERT OR REPLACE INTO area_unit (code, parent_code, level, name)"
                    " VALUES (?, ?, 'village', ?)",
                    (code, t.area_code, name),
                )

        def opener() -> Register:
            reg = open_register(t.path, PASSPHRASE)
            reg.set_actor("文员")
            return reg

        import datetime as dt

        view = ClerkWorkspace(
            t, Settings(), FixedClock(dt.datetime.now().replace(microsecond=0)), opener=opener
        )
        view.resize(*SIZE)
        view.show()
        view.importing.set_folder(folder)
        wait(view.importing.start())
        save(view, args.out, "import")
        view.setCurrentWidget(view.board)
        save(view, args.out, "villages")
        view.setCurrentWidget(view.conflicts)
        view.conflicts.reason.setText("已与村干部电话核实")
        save(view, args.out, "conflicts")
        view.setCurrentWidget(view.duplicates)
        save(view, args.out, "duplicates")
        view.setCurrentWidget(view.devices)
        newcomer = create_register(root / "new.fpdesk", PASSPHRASE, role="village", area_code=extra)
        enrollment.write_request(newcomer, root / "request.json")
        view.devices.enroll(root / "request.json", root / "request-answer.json")
        save(view, args.out, "devices")
        view.setCurrentWidget(view.send)
        view.send.per_village.setChecked(True)
        wait(view.send.export(root / "back"))
        save(view, args.out, "send-back")
        # A laptop restored from an old copy sends a bundle: it is held for the clerk.
        make_fork(world, number=9)
        view.refresh()
        dialog = HeldDialog(view.clerk, view)
        dialog.resize(1100, 640)
        dialog.show()
        save(dialog, args.out, "held")
        dialog.close()
        newcomer.close()
        world.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
