"""The officer's main window: the pieces put together, its language and its closing.

Each piece is a part in a module of its own (a stranger finds it by name): the
actions and the menus' destinations (actions), the search box (search), the area tree
(area_tree), the household list and pages (households), the other tabs (tabs), the
forms opened over the window (open_forms) and the status bar with its backups
(status_bar)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.gui.icons import icon
from fpdesk.gui.lock import Locker
from fpdesk.gui.mainwindow.actions import WindowActions
from fpdesk.gui.mainwindow.area_tree import WindowAreaTree
from fpdesk.gui.mainwindow.households import WindowHouseholds
from fpdesk.gui.mainwindow.open_forms import WindowForms
from fpdesk.gui.mainwindow.search import ResultsView, SearchModel, WindowSearch
from fpdesk.gui.mainwindow.status_bar import WindowStatusBar
from fpdesk.gui.mainwindow.tabs import WindowTabs
from fpdesk.gui.models import ROW_ROLE, HouseholdModel
from fpdesk.gui.pages import HouseholdPage, PersonPage, make_table
from fpdesk.gui.settings import Settings
from fpdesk.gui.worklist import DueCounts, WorkListPage
from fpdesk.store import areas
from fpdesk.store.db import Register

log = logging.getLogger("fpdesk.gui.main")


class MainWindow(
    WindowActions,
    WindowSearch,
    WindowAreaTree,
    WindowHouseholds,
    WindowTabs,
    WindowForms,
    WindowStatusBar,
    QMainWindow,
):
    language_wanted = Signal(str)
    restore_wanted = Signal(object)  # the register's path: closed, to be restored

    def __init__(
        self,
        register: Register,
        prefs: Settings,
        clock: Clock | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.prefs = prefs
        self.clock = clock or SystemClock()
        self.open_forms: list[QWidget] = []
        self._language_changed = False
        self.setWindowIcon(icon("app"))
        self.resize(1280, 720)
        self._build_actions()
        self._build_search()
        self._build_center()
        self._build_menus()
        self._build_status()
        self.locker = Locker(register.path, prefs.lock_minutes, self)
        self.retranslate()
        self.load_tree()

    # -- building (the parts build their own pieces) ---------------------------------

    def _build_center(self) -> None:
        self.tree = QTreeWidget()
        self.tree.setObjectName("areas")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._area_chosen)
        self.tree.itemExpanded.connect(self._fill_groups)
        self.households = HouseholdModel(self.register, self)
        self.household_view = make_table(self.households, QTableView)
        self.household_view.setObjectName("households")
        self.household_view.setSortingEnabled(True)
        self.household_view.sortByColumn(HouseholdModel.CODE, Qt.SortOrder.AscendingOrder)
        self.households.sort_refused.connect(self._sort_refused)
        self._size_household_columns()
        self.household_view.selectionModel().currentRowChanged.connect(self._household_chosen)
        # A click on the row already current (after a member's page was opened) shows
        # that household again: the pane always shows the row that is selected.
        self.household_view.clicked.connect(lambda index: self._household_chosen(index, index))
        self.household_view.activated.connect(self._household_activated)
        self.results = SearchModel(self)
        self.results_view = make_table(self.results, ResultsView)
        self.results_view.setObjectName("results")
        self.results_view.chosen.connect(self.open_hit)
        self.results_view.selectionModel().currentRowChanged.connect(self._hit_selected)
        self.results_view.doubleClicked.connect(lambda i: self.open_hit(i.data(ROW_ROLE)))
        self.results_view.back_to_search.connect(self._focus_search)
        self._size_columns(
            self.results_view, ["欧阳娜娜娜", "女", "2000-00-00", "0000**********000X", "0" * 18]
        )
        self.no_results = QLabel()
        self.no_results.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_results.setWordWrap(True)
        self.middle = QStackedWidget()
        for middle in (self.household_view, self.results_view, self.no_results):
            self.middle.addWidget(middle)
        self.household_page = HouseholdPage(self.register, self.clock)
        self.household_page.person_chosen.connect(self.show_person)
        self.household_page.form_wanted.connect(self.open_form)
        self.person_page = PersonPage(self.register, self.clock)
        self.person_page.household_chosen.connect(self.show_household)
        self.person_page.form_wanted.connect(self.open_form)
        self.hint = QLabel()
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.detail = QStackedWidget()
        for page in (self.hint, self.household_page, self.person_page):
            self.detail.addWidget(page)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.middle)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 4)
        self.splitter.setSizes([200, 500, 580])
        self.splitter.setChildrenCollapsible(False)
        self.worklist = WorkListPage(self.register, self.clock)
        self.due = DueCounts(self.register, self.clock)
        self.household_page.due_counts = self.due
        self.worklist.record_visit.connect(self.record_visit)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.splitter, icon("household"), "")
        self.tabs.addTab(self.worklist, icon("worklist"), "")
        # The dashboard counts the whole area: built when first asked for.
        self.dashboard: QWidget | None = None
        self.dashboard_tab: QWidget | None = None
        self.dashboard_stale = False
        self.tabs.currentChanged.connect(self._tab_changed)
        # The clerk's month end (gui.clerk), on township registers.  Built when its tab
        # is first opened: its pages read the whole township (duplicates, board), which
        # must not hold up the start of the window.
        self._clerk: QWidget | None = None
        self.clerk_tab: QWidget | None = None  # its place until then
        if self.register.role == "township":
            self.clerk_tab = QWidget()
            self.tabs.addTab(self.clerk_tab, icon("village"), "")
        self.setCentralWidget(self.tabs)
        self.worklist_loaded = False

    def _size_household_columns(self) -> None:
        self._size_columns(
            self.household_view, ["0" * 18, "欧阳娜娜娜", "0000", "00000", "幸福路一二三号五六七"]
        )

    @staticmethod
    def _size_columns(view: QTableView, samples: list[str]) -> None:
        """Widths from the font and a sample of the widest usual text: no column is
        measured by reading every row (fast with 100,000 rows; long text is elided and
        shown whole in the tooltip)."""
        metrics = view.fontMetrics()
        for column, sample in enumerate(samples):
            view.setColumnWidth(column, metrics.horizontalAdvance(sample) + 16)

    # -- language ----------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            if self.isVisible():
                self.retranslate_all()
            else:  # closed or not yet shown: the register may be gone; catch up on show
                self._language_changed = True
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        if self._language_changed:
            self._language_changed = False
            self.retranslate_all()
        super().showEvent(event)

    def retranslate_all(self) -> None:
        """Every visible string again, in the language just chosen."""
        self.retranslate()
        self.household_page.retranslate()
        self.person_page.retranslate()
        self.worklist.retranslate()
        self.results.retranslate()
        self.households.headerDataChanged.emit(
            Qt.Orientation.Horizontal, 0, HouseholdModel.COLUMNS - 1
        )
        self.load_tree()
        self.menus.fill_person_menu()

    def retranslate(self) -> None:
        if self.register.role == "township":
            self.setWindowTitle(self.tr("fpdesk: township family-planning register"))
        else:
            self.setWindowTitle(self.tr("fpdesk: village family-planning register"))
        self.new_household.setText(self.tr("&New household…"))
        self.show_worklist.setText(self.tr("&Work list"))
        self.show_households.setText(self.tr("&Households"))
        self.show_dashboard.setText(self.tr("&Dashboard"))
        self.show_clerk.setText(self.tr("&Township clerk"))
        self.print_now.setText(self.tr("&Print…"))
        self.lock_now.setText(self.tr("&Lock"))
        self.open_settings.setText(self.tr("&Settings…"))
        self.quit.setText(self.tr("&Quit"))
        self.about.setText(self.tr("&About fpdesk"))
        self.menus.retranslate()
        self.search.setPlaceholderText(
            self.tr("Search: name, pinyin (zs), ID number tail, household code")
        )
        self.tabs.setTabText(0, self.tr("Households"))
        self.tabs.setTabText(1, self.tr("Work list"))
        if self.dashboard is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.dashboard_tab), self.tr("Statistics"))
        clerk_tab = self._clerk or self.clerk_tab
        if clerk_tab is not None:
            self.tabs.setTabText(self.tabs.indexOf(clerk_tab), self.tr("Township clerk"))
        self.hint.setText(self.tr("Choose a household on the left, or search above."))
        self.no_results.setText(
            self.tr("Nothing found. Try the pinyin initials or the last digits of the ID number.")
        )
        role = self.tr("village") if self.register.role == "village" else self.tr("township")
        code = self.register.area_code
        name = areas.name(self.register, code)
        self.where.setText(
            self.tr("{0} register {1} · {2}").format(
                role, code if name == code else f"{name} ({code})", self.register.path.name
            )
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._exit_backup is not None and self._exit_backup.finished_ok is None:
            event.ignore()  # closed again while the exit backup is made: it goes on
            return
        if self._backup_on_close and self.backups is not None:
            # The backup on quitting is made first; the window closes when it is done
            # (or has failed: the daily backups are still there).
            event.ignore()
            self._backup_on_close = False
            self._exit_backup = self.backups.before_exit(self, lambda _result: self.close())
            return
        self.locker.stop()
        self.prefs.window_geometry = self.saveGeometry()  # the next start opens here
        super().closeEvent(event)
