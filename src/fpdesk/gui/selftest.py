"""The installed program checks itself: the classic failures of a frozen Qt app.

A frozen build can start and still be broken: the Chinese translation left out, the
SVG image plugin missing (every icon blank), the code tables not packed, the platform
plugin absent.  `fpdesk selftest --db PATH` (the installer's smoke test runs it) opens
the window offscreen on a register and reports each of these plainly.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtGui import QGuiApplication, QImageReader
from PySide6.QtWidgets import QApplication

from fpdesk.core.installation import check_resources, package_file
from fpdesk.gui import i18n
from fpdesk.gui.icons import icon
from fpdesk.gui.settings import Settings
from fpdesk.store.db import open_register
from fpdesk.store.reading import households


def check_qt(app: QApplication) -> list[str]:
    problems = []
    if QGuiApplication.platformName() == "":
        problems.append("no Qt platform plugin")
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if "svg" not in formats:
        problems.append("the SVG image plugin is missing: icons would be blank")
    icon_dir = package_file("resources", "icons")
    names = sorted(p.stem for p in icon_dir.glob("*.svg"))
    if not names:
        problems.append("no icons packed")
    blank = [name for name in names if icon(name).pixmap(32, 32).isNull()]
    if blank:
        problems.append(f"icons that do not render: {', '.join(blank)}")
    translator = QTranslator()
    if not translator.load(str(i18n.qm_path())) or translator.isEmpty():
        problems.append(f"Chinese translation missing: {i18n.qm_path().name}")
    elif not i18n.install(app, "zh"):
        problems.append("Chinese translation did not install")
    return problems


def check_window(app: QApplication, db: Path, passphrase: str, settings_path: Path) -> list[str]:
    from fpdesk.gui.mainwindow import MainWindow  # the heaviest import, checked last

    register = open_register(db, passphrase)
    try:
        window = MainWindow(register, Settings(settings_path))
        window.show()
        QCoreApplication.processEvents()
        problems = [] if window.isVisible() else ["the main window did not show"]
        if window.households.rowCount() == 0 and households.any_household(register):
            problems.append("the household list stayed empty")
        window.close()
        window.deleteLater()
        QCoreApplication.processEvents()
        return problems
    finally:
        register.close()


def run(db: Path, passphrase: str, settings_path: Path) -> list[str]:
    """Every problem found (an empty list: the program is whole)."""
    return check_resources() + check_installed_window(db, passphrase, settings_path)


def check_installed_window(db: Path, passphrase: str, settings_path: Path) -> list[str]:
    """The window's part of the self-test (`fpdesk selftest` runs it through fpdesk.cli)."""
    app = QApplication.instance() or QApplication(["fpdesk-selftest"])
    assert isinstance(app, QApplication)
    problems = check_qt(app)
    problems += check_window(app, db, passphrase, settings_path)
    return problems
