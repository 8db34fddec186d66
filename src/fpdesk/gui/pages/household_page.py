"""The household page: the household's facts and its people, each with what the
officer must see at a glance (pregnant, method, visits due, moved away)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTableView, QWidget

from fpdesk.core.clock import Clock
from fpdesk.core.codes import label_or_code
from fpdesk.core.i18n import current_language
from fpdesk.core.idnumber import mask_id_number
from fpdesk.gui.icons import icon
from fpdesk.gui.models import ID_ROLE, Column, RowsModel
from fpdesk.gui.pages.record_page import RecordPage, make_table
from fpdesk.store.db import Register
from fpdesk.store.reading import households
from fpdesk.store.reading.households import Member


class MembersModel(RowsModel):
    """The people of one household with their markers."""

    def columns(self) -> list[Column]:
        lang = current_language()
        return [
            Column(self.tr("Name"), lambda m: m.name),
            Column(self.tr("Sex"), lambda m: label_or_code("sex", m.sex, lang)),
            Column(self.tr("Age"), lambda m: "" if m.age is None else m.age),
            Column(
                self.tr("Relationship"),
                lambda m: label_or_code("relationship", m.relationship, lang),
            ),
            Column(self.tr("ID number"), lambda m: mask_id_number(m.id_number)),
            Column(self.tr("Notes"), self.markers),
        ]

    def markers(self, m: Member) -> str:
        """What the officer must notice about a member, in a few words."""
        lang = current_language()
        words = []
        if m.dead:
            words.append(self.tr("died"))
        if m.state == "gone" and not m.dead:
            words.append(self.tr("moved away"))
        elif m.state == "float_out":
            words.append(self.tr("living elsewhere"))
        elif m.state == "float_in":
            words.append(self.tr("floating in"))
        if m.childbearing_age:
            words.append(self.tr("childbearing age"))
        if m.pregnant:
            words.append(self.tr("pregnant"))
        if m.method:
            words.append(label_or_code("contraceptive_method", m.method, lang))
        if m.visits_due:
            words.append(self.tr("%n visit(s) due", "", m.visits_due))
        return " · ".join(words)

    def foreground(self, row: Any) -> QColor | None:
        if row.dead:
            return QColor("#777777")
        if row.visits_due:
            return QColor("#b3261e")
        return None


class HouseholdPage(RecordPage):
    """One household: who lives there, and what is due."""

    person_chosen = Signal(str)

    def __init__(
        self, register: Register, clock: Clock | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(register, clock, parent)
        self.household_id: str | None = None
        # Visits due per person of a village; the main window shares one cache.
        self.due_counts: Callable[[str], dict[str, int]] = lambda village_code: {}
        self.model = MembersModel(self)
        self.table = make_table(self.model, QTableView)
        self.table.setObjectName("members")
        self.table.doubleClicked.connect(self._open_member)
        self.table.activated.connect(self._open_member)
        self.add_person = QPushButton(icon("add"), "")
        self.add_person.clicked.connect(
            lambda: self.form_wanted.emit("person", {"household_id": self.household_id})
        )
        self.move_in = QPushButton(icon("person"), "")
        self.move_in.clicked.connect(
            lambda: self.form_wanted.emit("move_in", {"household_id": self.household_id})
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_person)
        buttons.addWidget(self.move_in)
        buttons.addWidget(self.history)
        buttons.addStretch(1)
        self.lay_out(buttons)
        self.retranslate()

    def record_id(self) -> str | None:
        return self.household_id

    def retranslate(self) -> None:
        self.add_person.setText(self.tr("Add a person"))
        self.move_in.setText(self.tr("Move in"))
        self.history.setText(self.tr("History"))
        self.model.retranslate()
        if self.household_id:
            self.show_household(self.household_id)

    def show_household(self, household_id: str) -> None:
        self.household_id = household_id
        row = households.household(self.register, household_id)
        if row is None:
            self.show_not_found(self.tr("This household was not found."))
            return
        head = row["head_name"] or self.tr("(no head recorded)")
        lang = current_language()
        lines = [
            self.tr("Group {0}").format(row["group_no"]),
            self.tr("Address: {0}").format(row["address"] or "—"),
            self.tr("Phone: {0}").format(row["phone"] or "—"),
            label_or_code("registration_type", row["registration_type"], lang),
        ]
        due = self.due_counts(row["village_code"])
        self.show_record(
            self.tr("Household {0}: {1}").format(row["code"], head),
            "    ".join(lines),
            households.members_at_a_glance(self.register, household_id, self.clock.today(), due),
        )

    def _open_member(self, index: QModelIndex) -> None:
        person_id = index.data(ID_ROLE)
        if person_id:
            self.person_chosen.emit(str(person_id))
