"""Forms about who lives where: household, person, move in and out, death."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QPushButton

from fpdesk.core import population
from fpdesk.gui.forms.base import Field, FormDialog, shown, tr
from fpdesk.store import operations, records

# The person's own fields, shared by the household's member groups, the person form
# and the move-in form: one definition, one order, one Tab sequence.
PERSON_FIELDS = [
    Field("name", QT_TRANSLATE_NOOP("Forms", "Name"), required=True),
    Field("id_number", QT_TRANSLATE_NOOP("Forms", "ID number"), "id_number"),
    Field("sex", QT_TRANSLATE_NOOP("Forms", "Sex"), "code", "sex", required=True),
    Field("birth_date", QT_TRANSLATE_NOOP("Forms", "Birth date"), "date", required=True),
    # Asked every time: preselected only from the household's or the area's usual one.
    Field("ethnicity", QT_TRANSLATE_NOOP("Forms", "Ethnicity"), "code", "ethnicity", required=True),
    Field(
        "relationship",
        QT_TRANSLATE_NOOP("Forms", "Relationship to head"),
        "code",
        "relationship",
        required=True,
    ),
]


def with_ethnicity(fields: list[Field], default: str | None) -> list[Field]:
    """The person fields with the ethnicity a new member most likely has preselected."""
    return [replace(f, default=default) if f.name == "ethnicity" else f for f in fields]


def new_member_ethnicity(form: FormDialog) -> str | None:
    household_id = form.context.get("household_id")
    if household_id:
        return operations.household_ethnicity(form.register, str(household_id))
    return operations.area_ethnicity(form.register)


MORE_PERSON_FIELDS = [
    Field("marital_status", QT_TRANSLATE_NOOP("Forms", "Marital status"), "code", "marital_status"),
    Field(
        "registration_type",
        QT_TRANSLATE_NOOP("Forms", "Registration type"),
        "code",
        "registration_type",
    ),
    Field(
        "residence_status",
        QT_TRANSLATE_NOOP("Forms", "Residence"),
        "code",
        "residence_status",
    ),
    Field("phone", QT_TRANSLATE_NOOP("Forms", "Phone")),
    Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
]


class HouseholdForm(FormDialog):
    """A new household with its members, saved together (the head is relationship 0)."""

    kind = "household"
    title = QT_TRANSLATE_NOOP("Forms", "New household")

    def fields(self) -> list[Field]:
        villages = operations.household_villages(self.register)
        chosen = self.context.get("village_code")
        if not any(code == chosen for code, _ in villages):
            chosen = villages[0][0] if len(villages) == 1 else None
        self.village_choices = villages
        asked_village = [
            Field(
                "village_code",
                QT_TRANSLATE_NOOP("Forms", "Village"),
                "choice",
                required=True,
                default=chosen,
                choices=[(code, name) for code, name in villages],
            )
        ]
        # A village's laptop knows its village; a township's register asks.
        head = asked_village if self.register.role != "village" or len(villages) != 1 else []
        return [
            *head,
            Field(
                "group_no",
                QT_TRANSLATE_NOOP("Forms", "Village group"),
                "number",
                required=True,
                default=self.context.get("group_no"),
            ),
            Field("address", QT_TRANSLATE_NOOP("Forms", "Address")),
            Field("phone", QT_TRANSLATE_NOOP("Forms", "Phone")),
            Field(
                "registration_type",
                QT_TRANSLATE_NOOP("Forms", "Registration type"),
                "code",
                "registration_type",
                default="2",
            ),
            Field(
                "ethnicity",
                QT_TRANSLATE_NOOP("Forms", "Usual ethnicity of the members"),
                "code",
                "ethnicity",
                default=operations.area_ethnicity(self.register, chosen),
            ),
        ]

    def target_missing(self) -> str | None:
        if not self.village_choices:
            return self.tr(
                "This register knows no village yet: import a village's bundle or add the "
                "villages to the area table first."
            )
        return None

    def field_changed(self, name: str) -> None:
        """The household's usual ethnicity fills the members' not yet chosen by hand."""
        if name != "ethnicity":
            return
        usual = self.editors["ethnicity"].value()
        for key, editor in self.editors.items():
            if key.endswith(".ethnicity") and (editor.value() in (None, "") or editor.autofilled):
                self._autofill(key, usual)

    def build_extra(self) -> None:
        self.members = 0
        self.add_member_button = QPushButton(self.tr("Add member (Ctrl+M)"))
        self.add_member_button.setObjectName("add_member")
        self.add_member_button.clicked.connect(self.add_member)
        # A shortcut of the dialog, not a button mnemonic: it must work from any field.
        QShortcut(QKeySequence("Ctrl+M"), self, self.add_member)
        self._layout.addWidget(self.add_member_button)
        self.add_member()

    def add_member(self) -> None:
        index = self.members
        self.members += 1
        self.add_section(self.tr("Member") + f" {index + 1}")
        usual = self.editors["ethnicity"].value() if "ethnicity" in self.editors else None
        made = self.add_fields(PERSON_FIELDS, prefix=f"m{index}.")
        if usual:
            self._autofill(f"m{index}.ethnicity", usual)
        if index == 0:
            self.editors["m0.relationship"].set_value("0")
        if not self._loading:
            self.fix_tab_order()
            made[0].widget.setFocus()

    def fix_tab_order(self) -> None:
        super().fix_tab_order()
        if hasattr(self, "add_member_button"):
            last = list(self.editors.values())[-1].widget
            self.setTabOrder(last, self.add_member_button)
            self.setTabOrder(self.add_member_button, self.save_button)

    def prepare_values(self, values: dict[str, Any]) -> None:
        wanted = 1 + max((int(k[1 : k.index(".")]) for k in values if k.startswith("m")), default=0)
        while self.members < wanted:
            self.add_member()

    def submit(self, values: dict[str, Any]) -> Any:
        # The usual ethnicity is the members' preselection, not a column of the household.
        household = {
            k: v for k, v in values.items() if not k.startswith("m") and k != "ethnicity"
        }
        members = []
        self.member_slots: list[int] = []  # which member group each saved member came from
        for i in range(self.members):
            prefix = f"m{i}."
            member = {k[len(prefix) :]: v for k, v in values.items() if k.startswith(prefix)}
            if any(
                v not in (None, "")
                for k, v in member.items()
                if k not in ("relationship", "ethnicity")
            ):
                members.append(member)
                self.member_slots.append(i)
        return operations.add_household(self.register, household, members, clock=self.clock)

    def field_for(self, problem_key: str) -> str:
        """Member i of the saved list is the form's group member_slots[i]: an empty group
        in between is left out of the save, and its messages must not shift up."""
        if problem_key.startswith("m") and "." in problem_key:
            index, rest = problem_key[1:].split(".", 1)
            slots = getattr(self, "member_slots", [])
            if index.isdigit() and int(index) < len(slots):
                return f"m{slots[int(index)]}.{rest}"
        return problem_key


class PersonForm(FormDialog):
    """A new member of a household (context household_id), or a correction to a person
    (context person_id; the change lands in the history and can be undone)."""

    kind = "person"
    title = QT_TRANSLATE_NOOP("Forms", "Person")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person_id = self.context.get("person_id")
        if person_id:
            self.setWindowTitle(tr(QT_TRANSLATE_NOOP("Forms", "Edit person")))
            current = records.get(self.register, "person", person_id) or {}
            self._loading = True
            for name, editor in self.editors.items():
                editor.set_value(current.get(name))
            self._loading = False
        else:
            self.setWindowTitle(tr(QT_TRANSLATE_NOOP("Forms", "New person")))

    def fields(self) -> list[Field]:
        if self.context.get("person_id"):
            return PERSON_FIELDS + MORE_PERSON_FIELDS
        return with_ethnicity(PERSON_FIELDS, new_member_ethnicity(self)) + MORE_PERSON_FIELDS

    def submit(self, values: dict[str, Any]) -> Any:
        person_id = self.context.get("person_id")
        if person_id:
            operations.update_person(self.register, person_id, values, clock=self.clock)
            return person_id
        return operations.add_person(
            self.register, self.context["household_id"], values, clock=self.clock
        )


MOVE_FIELDS = [
    Field("moved_on", QT_TRANSLATE_NOOP("Forms", "Date of the move"), "date", required=True),
    Field("place", QT_TRANSLATE_NOOP("Forms", "From / to (place)")),
    Field("reason", QT_TRANSLATE_NOOP("Forms", "Reason")),
]
# Leaving, or arriving from elsewhere, the place is part of the record (流动人口登记).
MOVE_FIELDS_WITH_PLACE = [
    replace(field, required=True) if field.name == "place" else field for field in MOVE_FIELDS
]


class PersonMoveForm(FormDialog):
    """A move of a person already on the register (core.population): `move_kind` says
    which.  Registration events (迁入, 迁出) move the hukou; residence events (流出/返回,
    流入/离开) only where she lives.  store.operations checks it against her history."""

    move_kind = ""

    def fields(self) -> list[Field]:
        if population.RULES[self.move_kind].needs_place:
            return MOVE_FIELDS_WITH_PLACE
        return MOVE_FIELDS

    def submit(self, values: dict[str, Any]) -> Any:
        fields = {**values, "kind": self.move_kind}
        person = self.context["person_id"]
        try:
            return operations.record_move(self.register, person, fields, clock=self.clock)
        except operations.CloseHouseholdQuestion as asked:
            # The last registered member's hukou leaves: the officer says whether the
            # household is closed (销户); either way the answer is on record.
            answer = QMessageBox.question(
                self, self.tr("Close the household?"), shown(asked.question)
            )
            close = answer == QMessageBox.StandardButton.Yes
            return operations.record_move(
                self.register, person, fields, clock=self.clock, close_household=close
            )


class MoveOutForm(PersonMoveForm):
    """Registered here, now living elsewhere (流出)."""

    kind = "move_out"
    move_kind = population.FLOAT_OUT
    title = QT_TRANSLATE_NOOP("Forms", "Float out (living elsewhere)")


class ReturnForm(PersonMoveForm):
    """Back from floating out (返回)."""

    kind = "move_return"
    move_kind = population.RETURN
    title = QT_TRANSLATE_NOOP("Forms", "Return (back from elsewhere)")


class TransferOutForm(PersonMoveForm):
    """The hukou moves away (迁出): she leaves the registered population."""

    kind = "move_transfer_out"
    move_kind = population.TRANSFER_OUT
    title = QT_TRANSLATE_NOOP("Forms", "Transfer the hukou out")


class TransferInForm(PersonMoveForm):
    """The hukou of someone on the register comes here (迁入): a floating-in person who
    settles, or someone whose hukou left coming back."""

    kind = "move_transfer_in"
    move_kind = population.TRANSFER_IN
    title = QT_TRANSLATE_NOOP("Forms", "Transfer the hukou in")


class LeaveForm(PersonMoveForm):
    """A floating-in person is gone again (离开)."""

    kind = "move_leave"
    move_kind = population.LEAVE
    title = QT_TRANSLATE_NOOP("Forms", "Left (floating-in person gone)")


# A new person comes to a household: her hukou with her (迁入), or only to live here,
# registered elsewhere (流入).
NEW_PERSON_MOVES = (
    (population.TRANSFER_IN, QT_TRANSLATE_NOOP("Forms", "Transfer in (hukou moves here)")),
    (population.FLOAT_IN, QT_TRANSLATE_NOOP("Forms", "Float in (registered elsewhere)")),
)


class MoveInForm(FormDialog):
    """Someone moves in: back home (context person_id: a 返回) or new to a household
    (context household_id: the person is created with her 迁入 or 流入)."""

    kind = "move_in"
    title = QT_TRANSLATE_NOOP("Forms", "Move in")

    def fields(self) -> list[Field]:
        if self.context.get("person_id"):
            return MOVE_FIELDS
        kind = Field(
            "kind",
            QT_TRANSLATE_NOOP("Forms", "Kind of move"),
            "choice",
            required=True,
            default=population.TRANSFER_IN,
            choices=[(code, tr(label)) for code, label in NEW_PERSON_MOVES],
        )
        person = with_ethnicity(PERSON_FIELDS, new_member_ethnicity(self))
        return [*person, kind, *MOVE_FIELDS_WITH_PLACE]

    def submit(self, values: dict[str, Any]) -> Any:
        if self.context.get("person_id"):
            back = {**values, "kind": population.RETURN}
            return operations.record_move(
                self.register, self.context["person_id"], back, clock=self.clock
            )
        move = {name: values.pop(name) for name in ("kind", "moved_on", "place", "reason")}
        return operations.record_move_in(
            self.register, self.context["household_id"], values, move, clock=self.clock
        )


class DeathForm(FormDialog):
    kind = "death"
    title = QT_TRANSLATE_NOOP("Forms", "Death")

    def fields(self) -> list[Field]:
        return [
            Field("death_date", QT_TRANSLATE_NOOP("Forms", "Date of death"), "date", required=True),
            Field("death_cause", QT_TRANSLATE_NOOP("Forms", "Cause")),
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        operations.record_death(self.register, self.context["person_id"], values, clock=self.clock)
        return self.context["person_id"]
