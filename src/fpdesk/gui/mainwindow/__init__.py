"""The officer's main window (window.MainWindow), in parts found by name; see window.py.

The names other code uses stay importable from here (`from fpdesk.gui.mainwindow import
MainWindow, AREA_ROLE`), as before the window became a package.

The parts are plain classes mixed into MainWindow, so at run time `tr()` asks for the
"MainWindow" context: a part's strings say that context themselves
(`QCoreApplication.translate("MainWindow", ...)`), which lupdate reads as such.
"""

from fpdesk.gui.mainwindow.area_tree import AREA_ROLE, NAME_ROLE
from fpdesk.gui.mainwindow.search import (
    SEARCH_DELAY_MS,
    SEARCH_LIMIT,
    ResultsView,
    SearchBox,
    SearchModel,
)
from fpdesk.gui.mainwindow.window import MainWindow

__all__ = [
    "AREA_ROLE",
    "NAME_ROLE",
    "SEARCH_DELAY_MS",
    "SEARCH_LIMIT",
    "MainWindow",
    "ResultsView",
    "SearchBox",
    "SearchModel",
]
