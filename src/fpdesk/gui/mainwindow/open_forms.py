"""The forms opened over the main window, and what the window reads again when
one of them saves."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QWidget,
)

from fpdesk.gui import crash
from fpdesk.gui.models import ID_ROLE
from fpdesk.store import daily_check
from fpdesk.store.errors import RegisterError


class WindowForms:
    """Opening forms and drafts, and refreshing after a save (a part of MainWindow)."""

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
        self.hold_form(form)
        return form

    def restore_drafts(self) -> None:
        """Forms left unsaved by a crash or a power cut come back as they were."""
        from fpdesk.gui import forms

        for draft in forms.pending_drafts(self.register):
            form = forms.restore_draft(self.register, draft, self, clock=self.clock)
            form.saved.connect(lambda *_: self.after_save())
            self.hold_form(form)

    def hold_form(self, form: QDialog) -> None:
        """A form (or dialog, or wizard) open over the window: held in open_forms until
        it closes, so the window knows what is still open over it."""
        self.open_forms.append(form)
        form.finished.connect(lambda *_: self._form_closed(form))

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
