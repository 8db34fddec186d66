"""Forms about couples and children: marriage, divorce, pregnancy, outcome, birth."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import QLabel, QMessageBox

from fpdesk.core.i18n import Text
from fpdesk.gui.forms.base import Field, FormDialog, describe_person, shown
from fpdesk.store import operations, records
from fpdesk.store.reading import persons


def _open_marriage_id(form: FormDialog) -> str | None:
    if form.context.get("marriage_id"):
        return str(form.context["marriage_id"])
    marriage = operations.current_marriage(form.register, form.context["person_id"])
    return str(marriage["id"]) if marriage else None


class MarriageForm(FormDialog):
    """A marriage of the person in context: the spouse from the household, or from outside."""

    kind = "marriage"
    title = QT_TRANSLATE_NOOP("Forms", "Marriage")

    def _spouses(self) -> list[tuple[str, str]]:
        person = records.get(self.register, "person", self.context["person_id"]) or {}
        rows = persons.spouses_in_household(self.register, person)
        return [(r["id"], f"{r['name']}  {r['birth_date']}") for r in rows]

    def fields(self) -> list[Field]:
        return [
            Field(
                "married_on", QT_TRANSLATE_NOOP("Forms", "Date of marriage"), "date", required=True
            ),
            Field(
                "spouse_id",
                QT_TRANSLATE_NOOP("Forms", "Spouse in this household"),
                "choice",
                choices=self._spouses(),
            ),
            Field(
                "outside_spouse_name", QT_TRANSLATE_NOOP("Forms", "Or: spouse from elsewhere, name")
            ),
            Field(
                "outside_spouse_id_number",
                QT_TRANSLATE_NOOP("Forms", "Spouse's ID number"),
            ),
            Field("outside_spouse_address", QT_TRANSLATE_NOOP("Forms", "Spouse's address")),
        ]

    def _sides(self) -> tuple[str, str]:
        """(this person's column, the spouse's column)."""
        person = records.get(self.register, "person", self.context["person_id"]) or {}
        return ("husband_id", "wife_id") if person.get("sex") == 1 else ("wife_id", "husband_id")

    def submit(self, values: dict[str, Any]) -> Any:
        mine, theirs = self._sides()
        fields = {k: v for k, v in values.items() if k != "spouse_id"}
        fields[mine] = self.context["person_id"]
        fields[theirs] = values.get("spouse_id")
        return operations.record_marriage(self.register, fields, clock=self.clock)

    def field_for(self, problem_key: str) -> str:
        mine, theirs = self._sides()
        if problem_key == theirs:
            return "spouse_id"
        return "" if problem_key == mine else problem_key


class DivorceForm(FormDialog):
    kind = "divorce"
    title = QT_TRANSLATE_NOOP("Forms", "Divorce")

    def describe(self) -> str:
        marriage_id = _open_marriage_id(self)
        marriage = records.get(self.register, "marriage", marriage_id) if marriage_id else None
        if marriage is None:
            return super().describe()
        names = [
            describe_person(self.register, marriage[side])
            for side in ("wife_id", "husband_id")
            if marriage[side]
        ]
        if marriage["outside_spouse_name"]:
            names.append(marriage["outside_spouse_name"])
        married = self.tr("Married on")
        return "\n".join([*names, f"{married} {marriage['married_on']}"])

    def target_missing(self) -> str | None:
        if _open_marriage_id(self) is None:
            return self.tr("There is no marriage in force to end.")
        return None

    def fields(self) -> list[Field]:
        return [
            Field("ended_on", QT_TRANSLATE_NOOP("Forms", "Date of divorce"), "date", required=True)
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        marriage_id = _open_marriage_id(self)
        if marriage_id is None:
            raise operations.FormProblems({"id": operations.NOT_FOUND})
        operations.record_divorce(self.register, marriage_id, values, clock=self.clock)
        return marriage_id


class PregnancyForm(FormDialog):
    kind = "pregnancy"
    title = QT_TRANSLATE_NOOP("Forms", "Pregnancy registration")

    def fields(self) -> list[Field]:
        return [
            Field(
                "registered_on",
                QT_TRANSLATE_NOOP("Forms", "Registered on"),
                "date",
                required=True,
                default=self.today(),
            ),
            Field("last_period_on", QT_TRANSLATE_NOOP("Forms", "Last menstrual period"), "date"),
            Field(
                "expected_on",
                QT_TRANSLATE_NOOP("Forms", "Expected delivery (empty: LMP + 280 days)"),
                "date",
            ),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        return operations.register_pregnancy(
            self.register, self.context["person_id"], values, clock=self.clock
        )


def _pregnancy_id(form: FormDialog) -> str | None:
    if form.context.get("pregnancy_id"):
        return str(form.context["pregnancy_id"])
    pregnancy = operations.open_pregnancy(form.register, form.context["person_id"])
    return str(pregnancy["id"]) if pregnancy else None


class PregnancyOutcomeForm(FormDialog):
    kind = "pregnancy_outcome"
    title = QT_TRANSLATE_NOOP("Forms", "Pregnancy outcome")

    def target_missing(self) -> str | None:
        if _pregnancy_id(self) is None:
            return self.tr("There is no open pregnancy to close.")
        return None

    def fields(self) -> list[Field]:
        return [
            Field(
                "outcome", QT_TRANSLATE_NOOP("Forms", "Outcome"), "code", "pregnancy_outcome", True
            ),
            Field("outcome_on", QT_TRANSLATE_NOOP("Forms", "Date"), "date", required=True),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        pregnancy_id = _pregnancy_id(self)
        if pregnancy_id is None:
            raise operations.FormProblems({"id": operations.NOT_FOUND})
        operations.record_pregnancy_outcome(self.register, pregnancy_id, values, clock=self.clock)
        return pregnancy_id


class BirthForm(FormDialog):
    """A birth to the woman in context.  As soon as the date is typed the form shows the
    child's birth order for the couple and the verdict of the rule set in force, with
    the rule's name: the officer sees what the register will say before she saves."""

    kind = "birth"
    title = QT_TRANSLATE_NOOP("Forms", "Birth")

    def fields(self) -> list[Field]:
        return [
            Field("name", QT_TRANSLATE_NOOP("Forms", "Child's name"), required=True),
            Field("sex", QT_TRANSLATE_NOOP("Forms", "Sex"), "code", "sex", required=True),
            Field("birth_date", QT_TRANSLATE_NOOP("Forms", "Birth date"), "date", required=True),
            Field(
                "ethnicity",
                QT_TRANSLATE_NOOP("Forms", "Ethnicity"),
                "code",
                "ethnicity",
                required=True,
                default=self._mothers_ethnicity(),  # a child of parents of two may differ
            ),
            Field("id_number", QT_TRANSLATE_NOOP("Forms", "Child's ID number"), "id_number"),
            Field("weight_g", QT_TRANSLATE_NOOP("Forms", "Weight (g)"), "number"),
            Field("place", QT_TRANSLATE_NOOP("Forms", "Place of birth"), "code", "birth_place"),
            Field(
                "document_kind",
                QT_TRANSLATE_NOOP("Forms", "Birth document"),
                "code",
                "birth_document",
            ),
            Field("document_no", QT_TRANSLATE_NOOP("Forms", "Document number")),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def _mothers_ethnicity(self) -> str | None:
        mother = records.get(self.register, "person", self.context["person_id"])
        return str(mother["ethnicity"]) if mother and mother.get("ethnicity") else None

    def build_extra(self) -> None:
        self.verdict_label = QLabel()
        self.verdict_label.setObjectName("verdict")
        self.verdict_label.setWordWrap(True)
        self._layout.addWidget(self.verdict_label)
        self.refresh_verdict()

    def field_changed(self, name: str) -> None:
        if name in ("birth_date", "document_kind"):
            self.refresh_verdict()

    def refresh_verdict(self) -> None:
        judged = operations.preview_birth(
            self.register, self.context["person_id"], self.values(), clock=self.clock
        )
        self.verdict_label.setText(self.verdict_text(judged))
        self.make_room()

    def verdict_text(self, judged: operations.BirthVerdict | None) -> str:
        if judged is None:
            return self.tr("Type the birth date to see the birth order and the policy verdict.")
        order = self.tr("Birth order for the couple: %1").replace("%1", str(judged.order.order))
        verdict = (
            self.tr("Within policy") if judged.verdict.compliant else self.tr("Outside policy")
        )
        said = self.tr("%1: %2").replace("%1", verdict).replace("%2", shown(judged.verdict.reason))
        lines = [order, said]
        if judged.rule_name is not None:
            lines.append(self.tr("Rule: %1").replace("%1", shown(judged.rule_name)))
        return "\n".join(lines)

    def show_problems(self, problems: dict[str, Text]) -> None:
        """An IUD still in place with no pregnancy: ask what happened (only once the rest
        of the form is right, so the question is the last thing between her and Save)."""
        warning = problems.get("method_in_place")
        if warning is None or len(problems) > 1:
            super().show_problems(problems)
            return
        self.ask_method_in_place(shown(warning))

    def ask_method_in_place(self, text: str) -> None:
        box = QMessageBox(self)
        box.setObjectName("method_in_place_question")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Birth with a method in place"))
        box.setText(text)
        choices = (
            ("end", self.tr("End the method and save")),
            ("pregnancy", self.tr("Record the pregnancy and save")),
            ("as_is", self.tr("Checked: save as it is")),
        )
        for choice, label in choices:
            button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
            button.setObjectName(choice)
            button.clicked.connect(lambda *_, c=choice: self._method_answered(c))
        back = box.addButton(self.tr("Back to the form"), QMessageBox.ButtonRole.RejectRole)
        back.setObjectName("back")
        box.setEscapeButton(back)
        box.setDefaultButton(back)
        self.method_question = box
        box.open()

    def _method_answered(self, choice: str) -> None:
        self.method_choice = choice
        try:
            self.save()
        finally:
            self.method_choice = None

    method_choice: str | None = None
    method_question: QMessageBox | None = None

    def submit(self, values: dict[str, Any]) -> Any:
        if self.method_choice:
            values = {**values, "method_in_place": self.method_choice}
        if self.context.get("pregnancy_id"):
            values = {**values, "pregnancy_id": self.context["pregnancy_id"]}
        result = operations.record_birth(
            self.register, self.context["person_id"], values, clock=self.clock
        )
        self.verdict_label.setText(self.verdict_text(result.judged))
        return result
