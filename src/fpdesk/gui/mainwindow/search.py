"""The search box over the household list: as the officer types, persons and
households found, best first; the arrows and Enter go through them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLineEdit,
    QTableView,
    QToolBar,
)

from fpdesk.core.codes import label_or_code
from fpdesk.core.i18n import current_language
from fpdesk.gui import crash
from fpdesk.gui.icons import icon
from fpdesk.gui.models import ROW_ROLE, Column, RowsModel
from fpdesk.store.errors import RegisterError

SEARCH_DELAY_MS = 150  # search as you type, but not on every key of a fast typist
SEARCH_LIMIT = 50


class SearchModel(RowsModel):
    """What the search box found: persons and households, best first."""

    def columns(self) -> list[Column]:
        lang = current_language()
        return [
            Column(self.tr("Name"), lambda h: h.name),
            Column(
                self.tr("Sex"),
                lambda h: label_or_code("sex", h.sex, lang) if h.sex else "",
            ),
            Column(self.tr("Born"), lambda h: h.birth_date or ""),
            Column(self.tr("ID number"), lambda h: h.id_number_masked),
            Column(
                self.tr("Household code"),
                lambda h: h.household_code,
            ),
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


class WindowSearch:
    """The main window's search box and what it found (a part of MainWindow)."""

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
