"""The problems a save would refuse, shown each under its field: as the officer leaves
a field, and all at once when Save is refused (the first one scrolled into view)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer

from fpdesk.core.i18n import Text
from fpdesk.gui.forms.base.fields import shown
from fpdesk.store import operations
from fpdesk.store.errors import RegisterError


class ProblemsShown:
    """Messages by their fields (a part of FormDialog)."""

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

    def field_for(self, problem_key: str) -> str:
        """The field that shows a problem; forms rename where operations' names differ."""
        return problem_key

    def error_of(self, name: str) -> str:
        """The message shown next to a field ('' when none): what the officer reads."""
        editor = self.editors[name]
        return editor.error.text() if editor.error.isVisibleTo(self) else ""
