"""A form's fields as declared (name, label, kind) and the words around them: labels
in the "Forms" translation context, bilingual messages in the officer's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from fpdesk.core.i18n import Text, current_language

CONTEXT = "Forms"  # the translation context of field labels and form titles


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
