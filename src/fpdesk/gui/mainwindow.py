"""The officer's main window: area tree, household list, search, pages and work list."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QToolBar,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import current_language
from fpdesk.gui import crash, queries
from fpdesk.gui.accounts_dialog import KeysMenu
from fpdesk.gui.backup_dialog import Backups
from fpdesk.gui.icons import icon
from fpdesk.gui.lock import Locker
from fpdesk.gui.models import ID_ROLE, ROW_ROLE, Column, HouseholdModel, RowsModel
from fpdesk.gui.pages import HouseholdPage, PersonPage, make_table
from fpdesk.gui.settings import Settings
from fpdesk.gui.tasks import Task
from fpdesk.gui.worklist import DueCounts, WorkItem, WorkListPage
from fpdesk.store import areas, daily_check
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError

if TYPE_CHECKING:
    from fpdesk.gui.clerk import ClerkWorkspace

log = logging.getLogger("fpdesk.gui.main")
SEARCH_DELAY_MS = 150  # search as you type, but not on every key of a fast typist
SEARCH_LIMIT = 50
AREA_ROLE = Qt.ItemDataRole.UserRole + 10  # (village code, group number) of a tree item
NAME_ROLE = Qt.ItemDataRole.UserRole + 11


class SearchModel(RowsModel):
    """What the search box found: persons and households, best first."""

    def columns(self) -> list[Column]:
        lang = current_language()
        return [
            Column(self.tr("Name"), lambda h: h.name),
            Column(
                self.tr("Sex"), lambda h: queries.code_label("sex", h.sex, lang) if h.sex else ""
            ),
            Column(self.tr("Born"), lambda h: h.birth_date or ""),
            Column(self.tr("ID number"), lambda h: h.id_number_masked),
            Column(self.tr("Household code"), lambda h: h.household_code),
            Column(self.tr("Address"), lambda h: h.address),
        ]

    def row_id(self, row: Any) -> str | None:
        found = row.person_id or row.household_id
        return str(found) if found else None


class ResultsView(QTableView):
    """Enter opens the chosen line; Up from the first line goes back to the search box."""

    chosen = Signal(object)
    back_to_search = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.chosen.emit(self.currentIndex().data(ROW_ROLE))
            return
        if event.key() == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.back_to_search.emit()
            return
        super().keyPressEvent(event)


class SearchBox(QLineEdit):
    """Down moves into the results; Esc clears."""

    down = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.clear()
            return
        super().keyPressEvent(event)


class MainWindow(QMainWindow):
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

    # -- building ----------------------------------------------------------------------

    def _action(self, name: str, slot: Any, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(icon(name), "", self)
        action.triggered.connect(slot)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _build_actions(self) -> None:
        self.new_household = self._action(
            "add",
            lambda: self.open_form("household", self.chosen_area()),
            QKeySequence(QKeySequence.StandardKey.New),
        )
        self.show_worklist = self._action("worklist", lambda: self.tabs.setCurrentIndex(1), "F4")
        self.show_households = self._action("household", lambda: self.tabs.setCurrentIndex(0), "F3")
        self.show_dashboard = self._action("statistics", self.open_dashboard, "F6")
        self.show_clerk = self._action("village", lambda: self.show_clerk_page(None), "F7")
        self.print_now = self._action(
            "print",
            lambda: self.menus.open_print(None),
            QKeySequence(QKeySequence.StandardKey.Print),
        )
        self.lock_now = self._action("lock", lambda: self.locker.lock(), "Ctrl+L")
        self.open_settings = self._action("settings", self.edit_settings)
        self.quit = QAction("", self)
        self.quit.setShortcut(QKeySequence("Ctrl+Q"))  # StandardKey.Quit is empty on some platforms
        self.quit.triggered.connect(self.close)
        self.about = QAction("", self)
        self.about.triggered.connect(self.show_about)
        self.keys_menu = KeysMenu(self.register, self)  # backups, accounts, record of processing

    def _build_menus(self) -> None:
        """The menu bar (gui.menus): every feature by menu, the frequent ones by key."""
        from fpdesk.gui.menus import WindowMenus

        self.menus = WindowMenus(self)
        self.file_menu = self.menus.file_menu
        self.records_menu = self.menus.records_menu
        self.help_menu = self.menus.help_menu
        self.clerk_menu = self.menus.township_menu  # the clerk's month end, step by step

    def _build_search(self) -> None:
        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("main")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.search = SearchBox()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setMinimumWidth(260)
        self.search.setMaximumWidth(420)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _: self.search_timer.start())
        self.search.returnPressed.connect(self._search_enter)
        self.search.down.connect(self._into_results)
        self.toolbar.addWidget(self.search)
        self.toolbar.addSeparator()
        self.toolbar.addActions(
            [
                self.new_household,
                self.show_worklist,
                self.print_now,
                self.show_dashboard,
                self.lock_now,
            ]
        )
        self.addToolBar(self.toolbar)

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

    def _build_status(self) -> None:
        self.where = QLabel()
        self.statusBar().addPermanentWidget(self.where)
        # While a backup is being made on a pool thread: what, and a busy bar.
        self.backup_note = QLabel()
        self.backup_note.setObjectName("backup_note")
        self.backup_busy = QProgressBar()
        self.backup_busy.setRange(0, 0)
        self.backup_busy.setMaximumWidth(120)
        self.backup_busy.setTextVisible(False)
        self.statusBar().addWidget(self.backup_note)
        self.statusBar().addWidget(self.backup_busy)
        self.backup_note.hide()
        self.backup_busy.hide()
        self.backups: Backups | None = None
        self._backup_on_close = False
        self._exit_backup: Task | None = None

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

    # -- the area tree and the household list ------------------------------------------

    def load_tree(self) -> None:
        """Villages at once, their groups when opened (a county has thousands)."""
        self.tree.blockSignals(True)
        self.tree.clear()
        everything = QTreeWidgetItem(self.tree, [self.tr("All households")])
        everything.setData(0, AREA_ROLE, (None, None))
        everything.setIcon(0, icon("household"))
        villages = queries.villages(self.register)
        for village in villages:
            item = QTreeWidgetItem(everything, [village.name])
            item.setToolTip(0, village.code)
            item.setIcon(0, icon("village"))
            item.setData(0, AREA_ROLE, (village.code, None))
            item.setData(0, NAME_ROLE, village.name)
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
        everything.setExpanded(True)
        only = everything.child(0) if len(villages) == 1 else None
        if only is not None:  # a village register: its groups at once
            self._fill_groups(only)
            only.setExpanded(True)
        self.tree.setCurrentItem(everything)
        self.tree.blockSignals(False)
        if villages:
            self.worklist.village_code = self.worklist.village_code or villages[0].code

    def _fill_groups(self, item: QTreeWidgetItem) -> None:
        village_code, group_no = item.data(0, AREA_ROLE)
        if not village_code or group_no or item.childCount():
            return
        found = queries.groups(self.register, village_code)
        name = item.data(0, NAME_ROLE)
        item.setText(0, self.tr("{0} ({1})").format(name, sum(n for _, n in found)))
        for number, count in found:
            child = QTreeWidgetItem(item, [self.tr("Group {0} ({1})").format(int(number), count)])
            child.setIcon(0, icon("group"))
            child.setData(0, AREA_ROLE, (village_code, number))
        item.setChildIndicatorPolicy(
            QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
        )

    def _area_chosen(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        village_code, group_no = item.data(0, AREA_ROLE)
        self.households.set_area(village_code, group_no)
        if not self.household_view.currentIndex().isValid():
            self.detail.setCurrentWidget(self.hint)  # not a household of another list
        if village_code or self.register.role != "village":
            # a village, or (All households) the whole township, read by a worker
            self.worklist.village_code = village_code
            self.worklist_loaded = False
        self.middle.setCurrentWidget(self.household_view)

    def chosen_area(self) -> dict[str, Any]:
        """The village and group chosen on the left: a new household's defaults."""
        item = self.tree.currentItem()
        village_code, group_no = item.data(0, AREA_ROLE) if item is not None else (None, None)
        chosen = {"village_code": village_code, "group_no": group_no}
        return {key: value for key, value in chosen.items() if value}

    def _sort_refused(self, _column: int) -> None:
        header = self.household_view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(HouseholdModel.CODE, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.statusBar().showMessage(
            self.tr(
                "This list is long: it is kept in household-code order. "
                "Choose a village on the left to sort by another column."
            ),
            8000,
        )

    def _household_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        household_id = current.data(ID_ROLE) if current.isValid() else None
        if household_id:
            self.show_household(str(household_id))

    def _household_activated(self, index: QModelIndex) -> None:
        self._household_chosen(index, index)
        self.household_page.table.setFocus()
        if self.household_page.model.rowCount():
            self.household_page.table.selectRow(0)

    def show_household(self, household_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.household_page.show_household(household_id)
        self.detail.setCurrentWidget(self.household_page)

    def show_person(self, person_id: str, *, focus: bool = True) -> None:
        self.tabs.setCurrentIndex(0)
        self.person_page.show_person(person_id)
        self.detail.setCurrentWidget(self.person_page)
        if focus:
            self.person_page.table.setFocus()

    def _hit_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Going down the search results with the arrows shows each one at once; the
        keyboard stays in the results (Enter opens the one selected)."""
        hit = self.results.row_at(current.row()) if current.isValid() else None
        if hit is None:
            return
        if hit.person_id:
            self.show_person(hit.person_id, focus=False)
        elif hit.household_id:
            self.show_household(hit.household_id)

    # -- search ------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        from fpdesk.store.search import search

        text = self.search.text().strip()
        if not text:
            self.results.set_rows([])
            self.middle.setCurrentWidget(self.household_view)
            return
        try:
            hits = search(self.register, text, limit=SEARCH_LIMIT)  # an officer: their village
        except RegisterError as exc:
            crash.show_register_error(self, exc)
            return
        self.results.set_rows(hits)
        if hits:
            self.middle.setCurrentWidget(self.results_view)
            self.results_view.selectRow(0)
        else:
            self.middle.setCurrentWidget(self.no_results)

    def _search_enter(self) -> None:
        if self.search_timer.isActive():  # Enter before the pause: search now
            self.search_timer.stop()
            self.run_search()
        if self.results.rowCount():
            self.open_hit(self.results.row_at(max(self.results_view.currentIndex().row(), 0)))

    def _into_results(self) -> None:
        if self.results.rowCount() and self.middle.currentWidget() is self.results_view:
            self.results_view.setFocus()
            self.results_view.selectRow(max(self.results_view.currentIndex().row(), 0))

    def open_hit(self, hit: Any) -> None:
        if hit is None:
            return
        if hit.person_id:
            self.show_person(hit.person_id)
        elif hit.household_id:
            self.show_household(hit.household_id)

    # -- the work list -----------------------------------------------------------------

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.worklist and not self.worklist_loaded:
            self.load_worklist()
        if self.clerk_tab is not None and self.tabs.widget(index) is self.clerk_tab:
            QTimer.singleShot(0, lambda: self.clerk)  # build it, out of this signal
        if self.dashboard_stale and self.tabs.widget(index) is self.dashboard_tab:
            self.dashboard_stale = False
            getattr(self.dashboard, "refresh", lambda: None)()

    @property
    def clerk(self) -> QWidget | None:
        """The clerk's workspace (township registers), built on first use in its tab."""
        if self._clerk is None and self.clerk_tab is not None:
            from fpdesk.gui.clerk import ClerkWorkspace

            self._clerk = ClerkWorkspace(self.register, self.prefs, self.clock)
            self._clerk.importing.receipt_asked.connect(self.menus.print_receipt_of)
            place = self.tabs.indexOf(self.clerk_tab)
            showing = self.tabs.currentIndex() == place
            self.tabs.blockSignals(True)
            self.tabs.removeTab(place)
            self.tabs.insertTab(place, self._clerk, icon("village"), self.tr("Township clerk"))
            if showing:
                self.tabs.setCurrentIndex(place)
            self.tabs.blockSignals(False)
            self.clerk_tab.deleteLater()
            self.clerk_tab = None
        return self._clerk

    def clerk_workspace(self) -> ClerkWorkspace | None:
        """The clerk's workspace, built if need be, in front."""
        workspace = self.clerk
        if workspace is None:
            return None
        self.tabs.setCurrentWidget(workspace)
        from fpdesk.gui.clerk import ClerkWorkspace as Workspace  # built on first use

        return workspace if isinstance(workspace, Workspace) else None

    def load_worklist(self) -> None:
        try:
            self.worklist.refresh()
        except RegisterError as exc:
            crash.show_register_error(self, exc)
            return
        self.worklist_loaded = True
        self.due.remember(self.worklist.village_code, self.worklist.items)
        self.worklist.table.setFocus()

    def record_visit(self, item: WorkItem) -> None:
        self.open_form(
            "visit",
            {
                "person_id": item.person_id,
                "household_id": item.household_id,
                "visit_type": item.visit_type,
                "follows_table": item.follows_table,
                "follows_id": item.follows_id,
                "due_on": item.due_on.isoformat(),
            },
        )

    # -- forms (part B's framework) ----------------------------------------------------

    def open_form(self, kind: str, context: dict[str, Any]) -> QWidget | None:
        """Open one of part B's forms (or a record's history) over this window."""
        from fpdesk.gui import forms
        from fpdesk.gui.forms.history import HistoryDialog

        try:
            form: QDialog
            daily_check.require_sound(self.register)  # a damaged register: no editing
            if kind == "history":
                history = HistoryDialog(self.register, str(context["row_id"]), self)
                history.undone.connect(lambda *_: self.after_save())
                history.open()
                form = history
            else:
                form = forms.open_form(kind, self.register, dict(context), self, clock=self.clock)
                form.saved.connect(lambda *_: self.after_save())
        except RegisterError as exc:
            crash.show_register_error(self, exc)
            return None
        self.open_forms.append(form)
        form.finished.connect(lambda *_: self._form_closed(form))
        return form

    def restore_drafts(self) -> None:
        """Forms left unsaved by a crash or a power cut come back as they were."""
        from fpdesk.gui import forms

        for draft in forms.pending_drafts(self.register):
            form = forms.restore_draft(self.register, draft, self, clock=self.clock)
            form.saved.connect(lambda *_: self.after_save())
            self.open_forms.append(form)
            form.finished.connect(lambda *_, f=form: self._form_closed(f))

    def _form_closed(self, form: QWidget) -> None:
        if form in self.open_forms:
            self.open_forms.remove(form)

    def after_save(self) -> None:
        """A form saved: read again what the officer sees, and keep her place in it."""
        self.due.forget()
        # The dashboard counts again when it is next looked at, not on every save.
        self.dashboard_stale = self.dashboard is not None
        current = self.household_view.currentIndex()
        chosen = current.data(ID_ROLE) if current.isValid() else None
        self.households.refresh()
        if chosen:
            row = self.households.row_of(str(chosen))
            if row is not None:
                self.household_view.blockSignals(True)
                self.household_view.selectRow(row)
                self.household_view.blockSignals(False)
        if self.search.text().strip():
            self.run_search()
        if self.worklist_loaded:
            self.worklist.refresh()
            self.due.remember(self.worklist.village_code, self.worklist.items)
        if self.detail.currentWidget() is self.household_page and self.household_page.household_id:
            self.show_household(self.household_page.household_id)
        elif self.detail.currentWidget() is self.person_page and self.person_page.person_id:
            self.person_page.show_person(self.person_page.person_id)

    # -- the menus' destinations (gui.menus) ------------------------------------------

    def current_village(self) -> str:
        """The village the officer is looking at: chosen in the tree, else the one of the
        person or household shown, else the work list's, else the register's area."""
        item = self.tree.currentItem()
        village = item.data(0, AREA_ROLE)[0] if item is not None else None
        if village:
            return str(village)
        if self.detail.currentWidget() in (self.person_page, self.household_page):
            household_id = (
                self.person_page.household_id
                if self.detail.currentWidget() is self.person_page
                else self.household_page.household_id
            )
            row = queries.household(self.register, household_id) if household_id else None
            if row is not None:
                return str(row["village_code"])
        return self.worklist.village_code or self.register.area_code

    def open_dashboard(self) -> QWidget:
        """The indicators of the register's area (gui.dashboard), in a tab of its own;
        counted by a worker with its own connection."""
        if self.dashboard is None:
            from fpdesk.gui.dashboard import Dashboard

            self.dashboard = Dashboard(self.register, clock=self.clock, opener=self.register.reopen)
            self.dashboard.setObjectName("dashboard")
            # Scrolled, not squeezed: its cards must not make the window taller than
            # a 1366x768 screen.
            self.dashboard_tab = QScrollArea()
            self.dashboard_tab.setWidgetResizable(True)
            self.dashboard_tab.setFrameShape(QScrollArea.Shape.NoFrame)
            self.dashboard_tab.setWidget(self.dashboard)
            self.tabs.insertTab(2, self.dashboard_tab, icon("statistics"), self.tr("Statistics"))
        self.tabs.setCurrentWidget(self.dashboard_tab)
        return self.dashboard

    def show_clerk_page(self, page: int | None) -> None:
        """The clerk's workspace (township registers), on one of its pages."""
        clerk = self.clerk_workspace()
        if clerk is not None and page is not None:
            clerk.setCurrentIndex(page)

    def close_for_restore(self) -> None:
        """A register cannot be replaced while it is open: close it (no backup on the
        way out: restoring keeps the replaced register as a copy) and let the app show
        the unlock window, whose Restore from a backup… does the rest."""
        self._backup_on_close = False
        path = self.register.path
        self.restore_wanted.emit(path)
        self.close()

    # -- settings, about, closing ------------------------------------------------------

    def edit_settings(self) -> None:
        from fpdesk.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.prefs, self, register=self.register)
        dialog.accepted.connect(lambda: self._settings_saved(dialog))
        dialog.open()

    def _settings_saved(self, dialog: Any) -> None:
        self.locker.set_minutes(self.prefs.lock_minutes)
        self.language_wanted.emit(self.prefs.language)

    def show_about(self) -> None:
        from fpdesk import __version__

        QMessageBox.about(
            self,
            self.tr("About fpdesk"),
            self.tr(
                "fpdesk {0}: an offline register for village family-planning and "
                "reproductive-health work. It records voluntary, informed-choice "
                "services."
            ).format(__version__),
        )

    # -- backups -----------------------------------------------------------------------

    def keep_backups(self) -> None:
        """Today's backup now, on a pool thread (if there is none yet), and one more
        when the window closes.  Called by the program, not by tests or the self-test."""
        self.backups = Backups(self.register, self)
        self.backups.busy.connect(self._backup_busy)
        self.backups.daily()
        self._backup_on_close = True

    def _backup_busy(self, text: str) -> None:
        error = self.backups.last_error if self.backups is not None else None
        if not text and error is not None:
            text = self.tr("The backup could not be made: {0}").format(
                crash.register_error_text(error) if isinstance(error, RegisterError) else str(error)
            )
        self.backup_note.setText(text)
        self.backup_note.setVisible(bool(text))
        self.backup_busy.setVisible(self.backups is not None and self.backups.task is not None)

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
