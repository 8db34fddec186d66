"""What the officer typed: the form's values, the dirty flag, and the draft kept a
moment after each edit in the encrypted register, so a crash or a power cut loses
nothing (the next start offers the draft back)."""

from __future__ import annotations

from typing import Any

from fpdesk.store import operations
from fpdesk.store.errors import RegisterError

DRAFT_DELAY_MS = 600  # after the last keystroke: often enough, without a write per key


class FormDrafts:
    """Values, edits and the crash draft (a part of FormDialog)."""

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
