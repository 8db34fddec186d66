"""The officer's data-entry forms, opened by kind.

    dialog = open_form("birth", register, {"person_id": mother_id}, parent)
    dialog.saved.connect(...)          # the operation's result, after a save

On start the main window offers unsaved forms back:

    for draft in pending_drafts(register):
        restore_draft(register, draft, parent)

Context keys: household_id (household forms, new person, move in of a new person),
person_id (everything about one person), marriage_id, pregnancy_id,
contraception_id (to pick one record instead of the person's open one), and for a
visit from the work list visit_type, follows_table, follows_id, due_on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from fpdesk.core.clock import Clock
from fpdesk.gui.forms.base import Field, FormDialog
from fpdesk.gui.forms.family import (
    BirthForm,
    DivorceForm,
    MarriageForm,
    PregnancyForm,
    PregnancyOutcomeForm,
)
from fpdesk.gui.forms.history import HistoryDialog
from fpdesk.gui.forms.people import (
    DeathForm,
    HouseholdForm,
    LeaveForm,
    MoveInForm,
    MoveOutForm,
    PersonForm,
    ReturnForm,
    TransferInForm,
    TransferOutForm,
)
from fpdesk.gui.forms.services import (
    ContraceptionStartForm,
    ContraceptionStopForm,
    FertilityForm,
    PregnancyVisitForm,
    SupplyForm,
    VisitForm,
)
from fpdesk.store import operations
from fpdesk.store.db import Register
from fpdesk.store.operations import Draft

FORMS: dict[str, type[FormDialog]] = {
    form.kind: form
    for form in (
        HouseholdForm,
        PersonForm,
        MarriageForm,
        DivorceForm,
        PregnancyForm,
        PregnancyVisitForm,
        PregnancyOutcomeForm,
        BirthForm,
        ContraceptionStartForm,
        ContraceptionStopForm,
        SupplyForm,
        VisitForm,
        FertilityForm,
        MoveInForm,
        MoveOutForm,
        ReturnForm,
        TransferOutForm,
        TransferInForm,
        LeaveForm,
        DeathForm,
    )
}
FORM_KINDS = tuple(FORMS)

# What each kind needs in its context (any one of the keys in a tuple will do).
NEEDS: dict[str, tuple[str, ...]] = {
    "household": (),
    "person": ("household_id", "person_id"),
    "move_in": ("household_id", "person_id"),
    "divorce": ("marriage_id", "person_id"),
    "pregnancy_outcome": ("pregnancy_id", "person_id"),
    "contraception_stop": ("contraception_id", "person_id"),
}


def build_form(
    kind: str,
    register: Register,
    context: dict[str, Any] | None = None,
    parent: QWidget | None = None,
    *,
    clock: Clock | None = None,
    draft_id: str | None = None,
) -> FormDialog:
    """The form of a kind, not yet shown."""
    if kind not in FORMS:
        raise ValueError(f"no form of kind {kind!r}; known kinds: {', '.join(FORM_KINDS)}")
    context = dict(context or {})
    needs = NEEDS.get(kind, ("person_id",))
    if needs and not any(context.get(key) for key in needs):
        raise ValueError(f"the {kind} form needs one of {needs} in its context")
    return FORMS[kind](register, context, parent, clock=clock, draft_id=draft_id)


def open_form(
    kind: str,
    register: Register,
    context: dict[str, Any] | None = None,
    parent: QWidget | None = None,
    *,
    clock: Clock | None = None,
) -> FormDialog:
    """Build and show a form (window-modal, without blocking the caller)."""
    form = build_form(kind, register, context, parent, clock=clock)
    form.open()
    return form


def pending_drafts(register: Register) -> list[Draft]:
    """Forms left unsaved by a crash or a power cut, oldest first."""
    return [draft for draft in operations.drafts(register) if draft.kind in FORMS]


def restore_draft(
    register: Register,
    draft: Draft,
    parent: QWidget | None = None,
    *,
    clock: Clock | None = None,
) -> FormDialog:
    """Open a draft's form again with what was typed; it keeps saving into the same draft."""
    form = build_form(draft.kind, register, draft.context, parent, clock=clock, draft_id=draft.id)
    form.set_values(draft.values)
    form.open()
    return form


def discard_draft(register: Register, draft: Draft) -> None:
    """The officer chose not to restore it."""
    operations.drop_draft(register, draft.id)


__all__ = [
    "FORMS",
    "FORM_KINDS",
    "Field",
    "FormDialog",
    "HistoryDialog",
    "build_form",
    "discard_draft",
    "open_form",
    "pending_drafts",
    "restore_draft",
]
