"""The base of every page of the clerk's workspace: what each page used to set up by
hand, once.

A page is a paragraph saying what the step does (`intro_text`), its controls and its
tables, a line that tells the clerk how the last action went (`tell`), and at most one
long piece of work on a worker thread at a time (`start_work`), with its own register
connection.  Every text is set again when the language changes (`retranslate`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fpdesk.gui.clerk.common import (
    Clerk,
    ListModel,
    Retranslating,
    explain,
    fit_columns,
    problem_text,
    say,
    table,
)
from fpdesk.gui.models import ROW_ROLE, Column
from fpdesk.gui.tasks import Progress, Task, run_task
from fpdesk.sync.errors import SyncError

# A part of a page's layout: a widget or a layout, or one with its stretch factor;
# None in a row is the stretch that pushes what follows to the right.
Part = QWidget | QLayout | tuple[QWidget | QLayout, int] | None

ERROR_STYLE = "color: #b3261e;"
Done = TypeVar("Done")


class ClerkPage(Retranslating, QWidget):
    """A page of the clerk's workspace.

    A page gives `intro_text()` and sets its other texts in `retranslate_controls()`;
    its tables' column titles (`models()`, by default `self.model`) follow.
    """

    changed = Signal()  # a decision changed the register: the board and the queues too

    model: ListModel
    message: QLabel  # where `tell` writes: made by the page with `note("message")`

    def __init__(self, clerk: Clerk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clerk = clerk
        self.intro = explain()
        self.task: Task | None = None  # the work running on a worker thread, if any
        self._tasks: list[Task] = []  # kept alive while their threads may hold them

    def refresh(self) -> None:
        """Read the page's rows from the register again."""

    # -- texts -------------------------------------------------------------------------

    def intro_text(self) -> str:
        return ""

    def retranslate_controls(self) -> None:
        """Set the page's buttons, labels and titles in the current language."""

    def models(self) -> list[ListModel]:
        return [self.model]

    def retranslate(self) -> None:
        self.intro.setText(self.intro_text())
        self.retranslate_controls()
        for model in self.models():
            model.retranslate()

    # -- building ----------------------------------------------------------------------

    def list_view(
        self,
        name: str,
        columns: Callable[[], list[Column]],
        color: Callable[[Any], Any] | None = None,
        *,
        on_current: Callable[[], None] | None = None,
    ) -> tuple[ListModel, QTableView]:
        """A table of rows named `name` (tests and screenshots find it so); `on_current`
        is called when the chosen row changes."""
        model = ListModel(columns, color, self)
        view = table(model)
        view.setObjectName(name)
        if on_current is not None:
            view.selectionModel().currentRowChanged.connect(lambda *_: on_current())
        return model, view

    def button(self, name: str, slot: Callable[[], Any]) -> QPushButton:
        """A push button named `name` that calls `slot` (its text: retranslate_controls)."""
        button = QPushButton()
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    @staticmethod
    def note(name: str) -> QLabel:
        """A word-wrapped line of text named `name`: a message, a status, a summary."""
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        return label

    def lay_out(self, *parts: Part) -> QVBoxLayout:
        """The page, top to bottom: its paragraph, then `parts`."""
        layout = QVBoxLayout(self)
        _add(layout, (self.intro, *parts))
        return layout

    @staticmethod
    def row(*parts: Part) -> QHBoxLayout:
        """Parts side by side, left to right."""
        layout = QHBoxLayout()
        _add(layout, parts)
        return layout

    # -- reading the tables ------------------------------------------------------------

    @staticmethod
    def chosen(view: QTableView, kind: type[Any] | tuple[type[Any], ...]) -> Any | None:
        """The row chosen in a table, if it is of the kind wanted."""
        index = view.currentIndex()
        found = index.data(ROW_ROLE) if index.isValid() else None
        return found if isinstance(found, kind) else None

    @staticmethod
    def fill(view: QTableView, model: ListModel, rows: list[Any], *, select: bool = False) -> None:
        """Show these rows, columns fitted; `select`: the first one chosen."""
        model.set_rows(rows)
        fit_columns(view)
        if select and rows:
            view.selectRow(0)

    # -- telling the clerk ------------------------------------------------------------

    def tell(self, text: str, *, error: bool = False) -> None:
        """How the last action went, on the page's message line (red when it failed)."""
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def tell_problem(self, exc: BaseException) -> None:
        """Why an action stopped, in the clerk's words (common.problem_text)."""
        self.tell(problem_text(exc, self), error=True)

    def forget_error(self, typed: str) -> None:
        """A request (for a reason, say) goes as soon as the clerk types an answer."""
        if typed.strip() and self.message.styleSheet():
            self.tell("")

    def act(
        self,
        action: Callable[[], Done],
        said: Callable[[Done], str],
        *,
        refused: tuple[type[Exception], ...] = (SyncError,),
    ) -> bool:
        """Do what the clerk decided.  Refused (its plain message said in red), nothing
        changed; done, the page is read again, `said(result)` tells what was done, and
        the workspace hears that the register changed."""
        try:
            result = action()
        except refused as exc:
            self.tell(say(getattr(exc, "text", None) or str(exc)), error=True)
            return False
        self.refresh()
        self.tell(said(result))
        self.changed.emit()
        return True

    # -- work on a worker thread --------------------------------------------------------

    def start_work(
        self,
        work: Callable[[Progress], Any],
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        on_over: Callable[[object], None] | None = None,
        label: str = "",
        cancellable: bool = True,
        show_progress: bool = True,
    ) -> Task | None:
        """Run `work` on a worker thread unless the page's work is already running.

        `self.task` is the running work until it is over; `on_over` is then called
        with its outcome (a result, an error, or None when cancelled)."""
        if self.task is not None:
            return None
        task = run_task(
            self,
            work,
            on_done=on_done,
            on_error=on_error,
            label=label,
            cancellable=cancellable,
            show_progress=show_progress,
        )
        task.done.connect(lambda outcome: self._work_over(outcome, on_over))
        self.task = task
        self._tasks.append(task)
        return task

    def _work_over(self, outcome: object, then: Callable[[object], None] | None) -> None:
        self.task = None
        if then is not None:
            then(outcome)


def _add(layout: QBoxLayout, parts: tuple[Part, ...]) -> None:
    for part in parts:
        item, stretch = part if isinstance(part, tuple) else (part, 0)
        if item is None:
            layout.addStretch(1)
        elif isinstance(item, QLayout):
            layout.addLayout(item, stretch)
        else:
            layout.addWidget(item, stretch)
