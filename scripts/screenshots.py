"""Render the main screens (Chinese UI) into docs/screenshots/*.png.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py [--out docs/screenshots]

Uses a demo register (invented people) built in a temporary folder; needs a CJK font
(Debian: fonts-wqy-microhei).  The window is 1366x768, the smallest screen officers use.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from fpdesk.core.clock import FixedClock
from fpdesk.gui import app as gui_app
from fpdesk.gui.mainwindow import MainWindow
from fpdesk.gui.settings import DEMO_PASSPHRASE, Settings
from fpdesk.gui.startup import FirstRunDialog
from fpdesk.store.db import Register, open_register
from fpdesk.store.demo import REFERENCE_DATE, build_demo

SIZE = (1366, 768)


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def save(widget: QWidget, out: Path, name: str) -> None:
    QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


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
    composite = window.grab()
    from PySide6.QtGui import QPainter

    painter = QPainter(composite)
    dialog_image = lock.grab()
    x = (composite.width() - dialog_image.width()) // 2
    y = (composite.height() - dialog_image.height()) // 2
    painter.drawPixmap(x, y, dialog_image)
    painter.end()
    composite.save(str(out / "locked.png"))
    print(out / "locked.png")
    lock.passphrase.setText(DEMO_PASSPHRASE)
    lock.try_unlock()

    first = FirstRunDialog(tmp / "new.fpdesk", prefs)
    first.show()
    settle(app)
    save(first, out, "first-run")
    first.close()
    window.close()


if __name__ == "__main__":
    sys.exit(main())
