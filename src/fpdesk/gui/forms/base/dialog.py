"""The form framework's dialog: FormDialog, put together from its parts (see the
package: fields, editors, layout, drafts, id_number, problems, keyboard), and saving.

A form is a list of `Field`s and a `submit` that calls one store.operations function.
Everything a form does the same way as every other form lives here:

- each field has its error label right under it; a refused save puts every message
  (from core/store, in the officer's language) next to its field and focuses the first;
- Tab follows the visual order, Enter saves (Ctrl+Enter inside a multi-line field),
  Esc asks before throwing away changes;
- every edit is kept, a moment later, as a draft in the encrypted register, so a
  crash or a power cut loses nothing: the next start offers the draft back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import codes
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.gui.forms.base.drafts import DRAFT_DELAY_MS, FormDrafts
from fpdesk.gui.forms.base.editors import Editor
from fpdesk.gui.forms.base.fields import Field, tr
from fpdesk.gui.forms.base.id_number import IdNumberTyping
from fpdesk.gui.forms.base.keyboard import FormKeyboard
from fpdesk.gui.forms.base.layout import FittingScrollArea, FormLayout
from fpdesk.gui.forms.base.problems import ProblemsShown
from fpdesk.store import operations, records
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError


class FormDialog(FormLayout, FormDrafts, IdNumberTyping, ProblemsShown, FormKeyboard, QDialog):
    """The base of every data-entry form.

    Subclasses set `kind` and `title`, return their fields from `fields()` and save
    through one store.operations call in `submit()`.
    """

    kind: ClassVar[str] = ""
    title: ClassVar[str] = ""
    saved = Signal(object)  # the operation's result, after a successful save

    def __init__(
        self,
        register: Register,
        context: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        draft_id: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.context: dict[str, Any] = dict(context or {})
        self.clock: Clock = clock or SystemClock()
        self.draft_id = draft_id
        self.result_value: Any = None
        self.editors: dict[str, Editor] = {}
        self.dirty = False
        self._loading = True
        self.discard_question: QMessageBox | None = None
        self._visited: set[str] = set()  # fields the officer has left: checked as she goes
        self.setObjectName(f"form_{self.kind}")
        self.setWindowTitle(tr(self.title))
        self.setMinimumWidth(480)
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.keep_draft)
        self._layout = QVBoxLayout(self)
        self.header = self._message_label("header", self.describe())
        self.general_error = self._message_label("general_error", "", error=True)
        fields_box = QWidget()
        self.grid = QGridLayout(fields_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        self.scroll = FittingScrollArea(fields_box)
        self._layout.addWidget(self.scroll, 1)
        self._rows = 0
        self.add_fields(self.fields())
        self.build_extra()
        self._add_buttons()
        self.fix_tab_order()
        if self.editors:
            next(iter(self.editors.values())).widget.setFocus()
        missing = self.target_missing()
        if missing:
            # Say so at once, rather than after the officer has typed everything.
            self.general_error.setText(missing)
            self.general_error.show()
            self.save_button.setEnabled(False)
        self._loading = False

    def _message_label(self, name: str, text: str, *, error: bool = False) -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(True)
        if error:
            label.setStyleSheet("color: #b00020;")
        label.setVisible(bool(text))
        self._layout.addWidget(label)
        return label

    def _add_buttons(self) -> None:
        self.buttons = QDialogButtonBox()
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("cancel")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        self._layout.addWidget(self.buttons)

    # -- what subclasses provide --

    def fields(self) -> list[Field]:
        return []

    def target_missing(self) -> str | None:
        """Why this form cannot be saved at all (no marriage to end...), or None."""
        return None

    def build_extra(self) -> None:
        """Widgets beyond the plain fields (member groups, a verdict preview)."""

    def describe(self) -> str:
        """The line at the top saying whom the form is about."""
        person_id = self.context.get("person_id")
        return describe_person(self.register, person_id) if person_id else ""

    def submit(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def today(self) -> str:
        return self.clock.today().isoformat()

    # -- saving --

    def save(self) -> bool:
        """Check and save in one transaction; on refusal show each message by its field."""
        if not self.save_button.isEnabled():
            return False
        for editor in self.editors.values():
            editor.show_error(None)
        self.general_error.hide()
        try:
            self.result_value = self.submit(self.values())
        except operations.FormProblems as refused:
            self.show_problems(refused.problems)
            return False
        except RegisterError as failed:
            # Disk full, file locked: say so plainly; what was typed stays, in the form
            # and in its draft, for another try.
            self.show_problems({"": failed.text})
            return False
        self._drop_draft()
        self.dirty = False
        self.saved.emit(self.result_value)
        self.accept()
        return True


def describe_person(register: Register, person_id: str) -> str:
    """Name, sex, birth date and household code: enough to be sure of the person."""
    person = records.get(register, "person", person_id)
    if person is None:
        return ""
    household = records.get(register, "household", person["household_id"])
    sex = codes.label("sex", person["sex"])
    code = household["code"] if household else ""
    return f"{person['name']}  {sex}  {person['birth_date']}  {code}"
