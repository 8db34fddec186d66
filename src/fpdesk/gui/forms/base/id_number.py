"""The ID number as it is typed: birth date and sex filled from it, and it is checked
once it is whole (or at once, when a letter is among the first 17 characters)."""

from __future__ import annotations

from fpdesk.core import idnumber, validation
from fpdesk.gui.forms.base.fields import shown
from fpdesk.store import operations


class IdNumberTyping:
    """Filling and checking from the ID number (a part of FormDialog)."""

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
