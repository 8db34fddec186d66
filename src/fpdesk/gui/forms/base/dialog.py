"""The form framework: fields, inline errors, keyboard, dirty flag and crash drafts.

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

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QEvent,
    QObject,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from fpdesk.core import codes, idnumber, validation
from fpdesk.core.clock import Clock, SystemClock
from fpdesk.core.i18n import Text, current_language
from fpdesk.store import operations, records
from fpdesk.store.db import Register
from fpdesk.store.errors import RegisterError

CONTEXT = "Forms"  # the translation context of field labels and form titles
DRAFT_DELAY_MS = 600  # after the last keystroke: often enough, without a write per key


def tr(source: str) -> str:
    """A label declared with QT_TRANSLATE_NOOP("Forms", ...), in the window's language."""
    return QCoreApplication.translate(CONTEXT, source)


def shown(text: Text) -> str:
    """A bilingual message from core/store in the officer's language."""
    return text.get(current_language())


@dataclass(frozen=True)
class Field:
    """One input of a form.

    kind: text, multiline, date, number, id_number, code (a code table) or choice (a
    list the form supplies, e.g. the spouses in the household).
    """

    name: str
    label: str
    kind: str = "text"
    table: str | None = None
    required: bool = False
    default: Any = None
    choices: Sequence[tuple[str, str]] = field(default_factory=tuple)


# --- editors ------------------------------------------------------------------------


class Editor:
    """A field's widget and its error label; values are plain JSON-able data."""

    def __init__(self, spec: Field) -> None:
        self.spec = spec
        self.widget: QWidget = self._make()
        self.widget.setObjectName(spec.name)
        self.widget.setAccessibleName(tr(spec.label))
        self.error = QLabel()
        self.error.setObjectName(f"{spec.name}_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.autofilled = False

    def _make(self) -> QWidget:
        return QLineEdit()

    def value(self) -> Any:
        assert isinstance(self.widget, QLineEdit)
        return self.widget.text().strip()

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QLineEdit)
        self.widget.setText("" if value is None else str(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        assert isinstance(self.widget, QLineEdit)
        self.widget.textChanged.connect(slot)

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


class DateEditor(Editor):
    """Typed quickly: 2024-03-05, 20240305, 2024/3/5; shown back as 2024-03-05."""

    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.setPlaceholderText(tr(QT_TRANSLATE_NOOP("Forms", "YYYY-MM-DD")))
        edit.setMaxLength(10)
        edit.editingFinished.connect(self._tidy)
        return edit

    def _tidy(self) -> None:
        assert isinstance(self.widget, QLineEdit)
        text = self.widget.text().strip()
        if not text:
            return
        parsed = operations.parse_date(text)
        if parsed is None:
            self.show_error(shown(operations.BAD_DATE))
        elif parsed.isoformat() != text:
            self.widget.setText(parsed.isoformat())

    def value(self) -> Any:
        text = str(super().value())
        parsed = operations.parse_date(text)
        return parsed.isoformat() if parsed else text


class NumberEditor(Editor):
    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.setMaxLength(9)
        return edit


class IdNumberEditor(Editor):
    def _make(self) -> QWidget:
        edit = QLineEdit()
        edit.setMaxLength(20)  # room for a stray space the normaliser removes
        edit.setPlaceholderText(tr(QT_TRANSLATE_NOOP("Forms", "18 characters")))
        return edit


class MultiLineEditor(Editor):
    def _make(self) -> QWidget:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
        edit.setFixedHeight(60)
        return edit

    def value(self) -> Any:
        assert isinstance(self.widget, QPlainTextEdit)
        return self.widget.toPlainText().strip()

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QPlainTextEdit)
        self.widget.setPlainText("" if value is None else str(value))

    def on_change(self, slot: Callable[[], None]) -> None:
        assert isinstance(self.widget, QPlainTextEdit)
        self.widget.textChanged.connect(slot)


class ComboEditor(Editor):
    """A code table or a list the form supplies.  Numeric codes are shown with their
    number first ("2 女"), so typing the digit picks the item."""

    def _make(self) -> QWidget:
        box = QComboBox()
        if not self.spec.required or self.spec.default is None:
            box.addItem("", None)
        for value, label in self._options():
            box.addItem(label, value)
        return box

    def _options(self) -> list[tuple[str, str]]:
        if self.spec.table is None:
            return list(self.spec.choices)
        options = []
        for code in codes.codes(self.spec.table):
            label = codes.label(self.spec.table, code)
            options.append((code, f"{code} {label}" if code.isdigit() else label))
        return options

    def value(self) -> Any:
        assert isinstance(self.widget, QComboBox)
        return self.widget.currentData()

    def set_value(self, value: Any) -> None:
        assert isinstance(self.widget, QComboBox)
        index = self.widget.findData(None if value is None else str(value))
        self.widget.setCurrentIndex(max(index, 0))

    def on_change(self, slot: Callable[[], None]) -> None:
        assert isinstance(self.widget, QComboBox)
        self.widget.currentIndexChanged.connect(slot)


EDITORS: dict[str, type[Editor]] = {
    "text": Editor,
    "date": DateEditor,
    "number": NumberEditor,
    "id_number": IdNumberEditor,
    "multiline": MultiLineEditor,
    "code": ComboEditor,
    "choice": ComboEditor,
}


# --- the dialog ---------------------------------------------------------------------


class FittingScrollArea(QScrollArea):
    """As tall as the fields need, up to most of the screen; beyond that it scrolls.

    A household of eight members still fits a 1366x768 screen, with Save in view.
    """

    def __init__(self, content: QWidget) -> None:
        super().__init__()
        self.setWidget(content)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def sizeHint(self) -> QSize:
        wanted = self.widget().sizeHint()
        screen = self.screen().availableGeometry().height() if self.screen() else 768
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(wanted.width() + bar, min(wanted.height(), int(screen * 0.7)))


class FormDialog(QDialog):
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

    # -- building --

    def add_fields(self, specs: Sequence[Field], prefix: str = "") -> list[Editor]:
        made = []
        for spec in specs:
            if prefix:
                spec = Field(
                    prefix + spec.name,
                    spec.label,
                    spec.kind,
                    spec.table,
                    spec.required,
                    spec.default,
                    spec.choices,
                )
            editor = EDITORS[spec.kind](spec)
            label = QLabel(tr(spec.label) + (" *" if spec.required else ""))
            label.setBuddy(editor.widget)
            self.grid.addWidget(label, self._rows, 0, Qt.AlignmentFlag.AlignRight)
            self.grid.addWidget(editor.widget, self._rows, 1)
            self.grid.addWidget(editor.error, self._rows + 1, 1)
            if self.isVisible():  # added to an open form: show now, so it can take focus
                label.show()
                editor.widget.show()
                self.scroll.widget().adjustSize()
                self.scroll.updateGeometry()
                self.adjustSize()
                # After the layout has placed the new field, not before.
                QTimer.singleShot(0, lambda w=editor.widget: self.scroll.ensureWidgetVisible(w))
            self._rows += 2
            self._wire(editor)
            self.editors[spec.name] = editor
            made.append(editor)
        return made

    def _wire(self, editor: Editor) -> None:
        spec = editor.spec
        if spec.default is not None:
            editor.set_value(spec.default)
        editor.on_change(lambda *_, name=spec.name: self._edited(name))
        # Leaving a field checks it (eventFilter); Ctrl+Enter saves from a note.
        editor.widget.installEventFilter(self)
        if spec.kind == "id_number":
            editor.on_change(lambda *_, name=spec.name: self._id_typed(name))

    def add_section(self, title: str) -> None:
        heading = QLabel(f"<b>{title}</b>")
        self.grid.addWidget(heading, self._rows, 0, 1, 2)
        self._rows += 1

    def fix_tab_order(self) -> None:
        """Tab goes down the form in the order the fields are shown, then to the buttons."""
        chain = [editor.widget for editor in self.editors.values()]
        chain += [self.save_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def today(self) -> str:
        return self.clock.today().isoformat()

    # -- values and drafts --

    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def set_values(self, values: dict[str, Any]) -> None:
        """Put saved values back (a restored draft); the form counts as changed."""
        self._loading = True
        try:
            self.prepare_values(values)
            for name, value in values.items():
                if name in self.editors:
                    self.editors[name].set_value(value)
        finally:
            self._loading = False
        self.dirty = True

    def prepare_values(self, values: dict[str, Any]) -> None:
        """Make room for restored values (e.g. extra member groups)."""

    def _edited(self, name: str) -> None:
        if self._loading:
            return
        self.dirty = True
        editor = self.editors.get(name)
        if editor is not None:
            # The officer changed it: her value now, and the old message no longer applies.
            editor.show_error(None)
            editor.autofilled = False
        self._draft_timer.start()
        self.field_changed(name)

    def field_changed(self, name: str) -> None:
        """A hook for forms that react as the officer types (the birth verdict)."""

    def keep_draft(self) -> None:
        self._draft_timer.stop()
        if not self.dirty or self.register.closed:
            # A register closed under an open form (the window closed, the test ended)
            # has nowhere to keep the draft; what was kept before stays.
            return
        try:
            self.draft_id = operations.save_draft(
                self.register, self.draft_id, self.kind, self.context, self.values()
            )
        except RegisterError:
            # Locked for a moment, or the disk is full: the next edit tries again, and
            # saving the form reports the problem properly.
            return

    def _drop_draft(self) -> None:
        self._draft_timer.stop()
        if self.draft_id:
            operations.drop_draft(self.register, self.draft_id)
            self.draft_id = None

    # -- the ID number as it is typed --

    def _id_typed(self, name: str) -> None:
        """Fill birth date and sex from the number and check it, as the officer types."""
        if self._loading:
            return
        prefix = name[: -len("id_number")]
        number = idnumber.normalise(str(self.editors[name].value()))
        editor = self.editors[name]
        if len(number) >= 14 and number[:14].isdigit():
            born = operations.parse_date(number[6:14])
            if born is not None:
                self._autofill(prefix + "birth_date", born.isoformat())
        if len(number) >= 17 and number[:17].isdigit():
            self._autofill(prefix + "sex", "1" if int(number[16]) % 2 else "2")
        if len(number) < 18:
            # A letter among the first 17 is wrong however the number ends: say so now.
            wrong = not number[:17].isdigit() and bool(number)
            editor.show_error(shown(validation.message("id.shape")) if wrong else None)
            return
        group = {
            field_name: self.editors[prefix + field_name].value()
            for field_name in ("name", "sex", "birth_date")
            if prefix + field_name in self.editors
        }
        problems = operations.check_person(
            self.register,
            {**group, "id_number": number},
            self.clock,
            person_id=None if prefix else self.context.get("person_id"),
        )
        message = problems.get("id_number")
        editor.show_error(shown(message) if message else None)

    def _autofill(self, name: str, value: str) -> None:
        editor = self.editors.get(name)
        if editor is None:
            return
        current = editor.value()
        # Only fill what is empty or was filled by us: a date the officer typed that
        # disagrees with the number is for her to resolve, not for us to overwrite.
        if current in (None, "") or editor.autofilled:
            loading, self._loading = self._loading, True
            try:
                editor.set_value(value)
            finally:
                self._loading = loading
            editor.autofilled = True

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

    def check_visited(self) -> None:
        """Show, next to each field the officer has left, what a save would say of it.

        The save's own checks run (operations.checks_only: nothing is written), so the
        message while typing and the message on saving are always the same one.
        """
        if self._loading or not self.isVisible() or not self.save_button.isEnabled():
            return  # closing (focus leaves every field then), or nothing to save
        problems: dict[str, Text] = {}
        try:
            with operations.checks_only():
                self.submit(self.values())
            raise RuntimeError(f"the {self.kind} form wrote during a check")  # a bug
        except operations.ChecksPassed:
            pass
        except operations.FormProblems as refused:
            problems = refused.problems
        except RegisterError:
            return  # a save will say it plainly
        for name in self._visited:
            message = next((t for k, t in problems.items() if self.field_for(k) == name), None)
            self.editors[name].show_error(shown(message) if message else None)

    def show_problems(self, problems: dict[str, Text]) -> None:
        """Each message under its field; the first field with a problem, in the order the
        form shows them, is scrolled into view and focused, so Save never seems to do
        nothing on a long form."""
        general = []
        for name, message in problems.items():
            editor = self.editors.get(self.field_for(name))
            if editor is None:
                general.append(shown(message))
                continue
            editor.show_error(shown(message))
        if general:
            self.general_error.setText("\n".join(general))
            self.general_error.show()
        first = next((e for e in self.editors.values() if e.error.text()), None)
        if first is not None:
            first.widget.setFocus(Qt.FocusReason.OtherFocusReason)
            # Its message too, under it: after the layout has made room for the message.
            QTimer.singleShot(0, lambda e=first: self._scroll_to(e))
            self._scroll_to(first)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_width()

    def _fit_width(self) -> None:
        """As wide as the fields need (within the screen), so nothing is cut off at the
        right: wider text (a laptop's 125 % scaling, another font) widens the fields
        after the dialog took its first size, and the form never scrolls sideways."""
        content = self.scroll.widget().minimumSizeHint().width()
        bar = self.scroll.verticalScrollBar().sizeHint().width()
        margins = self._layout.contentsMargins()
        needed = content + bar + margins.left() + margins.right() + 2 * self.scroll.frameWidth()
        room = self.screen().availableGeometry().width() if self.screen() else 1366
        if needed > self.width():
            self.resize(min(needed, room), self.height())

    def make_room(self) -> None:
        """Grow (never shrink) to what the layout now needs, within the screen: a message
        that appeared below the fields must not squeeze them into a smaller scroll."""
        if not self.isVisible():
            return
        needed = self.sizeHint().height()
        screen = self.screen().availableGeometry().height() if self.screen() else 768
        height = min(needed, screen - 48)
        if height > self.height():
            self.resize(self.width(), height)

    def _scroll_to(self, editor: Editor) -> None:
        if not self.isVisible():
            return
        self.scroll.widget().adjustSize()
        self.scroll.ensureWidgetVisible(editor.error, 0, 10)
        self.scroll.ensureWidgetVisible(editor.widget, 0, 10)

    def field_for(self, problem_key: str) -> str:
        """The field that shows a problem; forms rename where operations' names differ."""
        return problem_key

    def error_of(self, name: str) -> str:
        """The message shown next to a field ('' when none): what the officer reads."""
        editor = self.editors[name]
        return editor.error.text() if editor.error.isVisibleTo(self) else ""

    # -- keyboard and closing --

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = self.focusWidget()
            if isinstance(focus, QPushButton) and focus is not self.save_button:
                focus.click()
            else:
                self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Leaving a field checks it; Ctrl+Enter saves from a multi-line field."""
        if (
            event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            # not a list opening, nor a switch to another window: she has not moved on
            and event.reason()
            not in (Qt.FocusReason.PopupFocusReason, Qt.FocusReason.ActiveWindowFocusReason)
            and watched.objectName() in self.editors
        ):
            self._visited.add(watched.objectName())
            self.check_visited()
        if (
            isinstance(watched, QPlainTextEdit)
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(watched, event)

    def reject(self) -> None:
        """Esc, Cancel or the window's close button: ask first if anything was typed."""
        if not self.dirty:
            self._drop_draft()
            super().reject()
            return
        if self.discard_question is not None and self.discard_question.isVisible():
            return
        box = QMessageBox(self)
        box.setObjectName("discard_question")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(tr(self.title))
        box.setText(self.tr("Throw away what you typed in this form?"))
        discard = box.addButton(self.tr("Throw away"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        discard.setObjectName("discard")
        keep.setObjectName("keep")
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        discard.clicked.connect(self.discard)
        self.discard_question = box
        box.open()

    def discard(self) -> None:
        self.dirty = False
        self._drop_draft()
        super().reject()

    def closeEvent(self, event: Any) -> None:
        if self.dirty:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def describe_person(register: Register, person_id: str) -> str:
    """Name, sex, birth date and household code: enough to be sure of the person."""
    person = records.get(register, "person", person_id)
    if person is None:
        return ""
    household = records.get(register, "household", person["household_id"])
    sex = codes.label("sex", person["sex"])
    code = household["code"] if household else ""
    return f"{person['name']}  {sex}  {person['birth_date']}  {code}"
