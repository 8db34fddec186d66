"""Forms about services: contraception start and stop, supplies handed out, visits."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from fpdesk.core import codes
from fpdesk.gui.forms.base import Field, FormDialog, shown
from fpdesk.store import access_log, operations, records


def officer(form: FormDialog) -> str | None:
    """Who is working: the default for "visited by" and "handed out by"."""
    return access_log.actor(form.register)


class ContraceptionStartForm(FormDialog):
    kind = "contraception_start"
    title = QT_TRANSLATE_NOOP("Forms", "Contraception: start")

    def fields(self) -> list[Field]:
        return [
            Field(
                "method",
                QT_TRANSLATE_NOOP("Forms", "Method"),
                "code",
                "contraceptive_method",
                required=True,
                default=self.context.get("method"),
            ),
            Field(
                "started_on",
                QT_TRANSLATE_NOOP("Forms", "Start date"),
                "date",
                required=True,
                default=self.today(),
            ),
            Field("provider", QT_TRANSLATE_NOOP("Forms", "Provider")),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        return operations.start_contraception(
            self.register, self.context["person_id"], values, clock=self.clock
        )


class ContraceptionStopForm(FormDialog):
    kind = "contraception_stop"
    title = QT_TRANSLATE_NOOP("Forms", "Contraception: stop")

    def episode_id(self) -> str | None:
        if self.context.get("contraception_id"):
            return str(self.context["contraception_id"])
        episode = operations.open_contraception(self.register, self.context["person_id"])
        return str(episode["id"]) if episode else None

    def target_missing(self) -> str | None:
        if self.episode_id() is None:
            return self.tr("There is no method in use to stop.")
        return None

    def describe(self) -> str:
        head = super().describe()
        episode_id = self.episode_id()
        episode = records.get(self.register, "contraception", episode_id) if episode_id else None
        if episode is None:
            return head
        method = shown(codes.text("contraceptive_method", episode["method"]))
        return f"{head}\n{method}  {episode['started_on']}".strip()

    def fields(self) -> list[Field]:
        return [
            Field(
                "ended_on",
                QT_TRANSLATE_NOOP("Forms", "Stop date"),
                "date",
                required=True,
                default=self.today(),
            ),
            Field(
                "end_reason",
                QT_TRANSLATE_NOOP("Forms", "Reason"),
                "code",
                operations.CONTRACEPTION_END,
                required=True,
            ),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        episode_id = self.episode_id()
        if episode_id is None:
            raise operations.FormProblems({"id": operations.NOT_FOUND})
        operations.stop_contraception(self.register, episode_id, values, clock=self.clock)
        return episode_id


class SupplyForm(FormDialog):
    kind = "supply"
    title = QT_TRANSLATE_NOOP("Forms", "Supplies handed out")

    def fields(self) -> list[Field]:
        return [
            Field(
                "item",
                QT_TRANSLATE_NOOP("Forms", "Item"),
                "code",
                "supply_item",
                required=True,
                default=self.context.get("item"),
            ),
            Field("quantity", QT_TRANSLATE_NOOP("Forms", "Quantity"), "number", required=True),
            Field(
                "handed_on",
                QT_TRANSLATE_NOOP("Forms", "Date"),
                "date",
                required=True,
                default=self.today(),
            ),
            Field("handed_by", QT_TRANSLATE_NOOP("Forms", "Handed out by"), default=officer(self)),
        ]

    def submit(self, values: dict[str, Any]) -> Any:
        return operations.record_supply(
            self.register, self.context["person_id"], values, clock=self.clock
        )


class VisitForm(FormDialog):
    """A service or follow-up visit.  Opened from the work list, the context carries the
    visit type and the event it follows, so the officer only confirms the date."""

    kind = "visit"
    title = QT_TRANSLATE_NOOP("Forms", "Visit")
    fixed_type: str | None = None

    def fields(self) -> list[Field]:
        visit_type = self.fixed_type or self.context.get("visit_type")
        return [
            Field(
                "visit_type",
                QT_TRANSLATE_NOOP("Forms", "Visit type"),
                "code",
                "visit_type",
                required=True,
                default=visit_type,
            ),
            Field(
                "visited_on",
                QT_TRANSLATE_NOOP("Forms", "Visit date"),
                "date",
                required=True,
                default=self.today(),
            ),
            Field("visited_by", QT_TRANSLATE_NOOP("Forms", "Visited by"), default=officer(self)),
            Field("result", QT_TRANSLATE_NOOP("Forms", "Result")),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def describe(self) -> str:
        head = super().describe()
        due_on = self.context.get("due_on")
        if not due_on:
            return head
        due = self.tr("Due on")
        return f"{head}\n{due} {due_on}"

    def follows(self) -> dict[str, Any]:
        return {
            "follows_table": self.context.get("follows_table"),
            "follows_id": self.context.get("follows_id"),
        }

    def submit(self, values: dict[str, Any]) -> Any:
        return operations.record_visit(
            self.register,
            self.context["person_id"],
            {**values, **self.follows()},
            clock=self.clock,
        )


class FertilityForm(VisitForm):
    """A finding that a woman cannot bear children (menopause, primary infertility), or
    that she can after all.  Kept as a dated service visit, so it has a history and
    travels in bundles; the overall contraceptive rate leaves such women out of its
    denominator from the day of the finding."""

    kind = "fertility"
    title = QT_TRANSLATE_NOOP("Forms", "Fertility finding")
    fixed_type = "fertility_status"

    def fields(self) -> list[Field]:
        return [
            Field(
                "visited_on",
                QT_TRANSLATE_NOOP("Forms", "Date of the finding"),
                "date",
                required=True,
                default=self.today(),
            ),
            Field(
                "result",
                QT_TRANSLATE_NOOP("Forms", "Finding"),
                "code",
                "fertility_status",
                required=True,
            ),
            Field("visited_by", QT_TRANSLATE_NOOP("Forms", "Recorded by"), default=officer(self)),
            Field("note", QT_TRANSLATE_NOOP("Forms", "Note"), "multiline"),
        ]

    def follows(self) -> dict[str, Any]:
        return {"visit_type": "fertility_status", "follows_table": None, "follows_id": None}


class PregnancyVisitForm(VisitForm):
    """A pregnancy tracking visit (孕情跟踪), tied to the open pregnancy."""

    kind = "pregnancy_visit"
    title = QT_TRANSLATE_NOOP("Forms", "Pregnancy visit")
    fixed_type = "pregnancy_tracking"

    def follows(self) -> dict[str, Any]:
        pregnancy_id = self.context.get("pregnancy_id")
        if not pregnancy_id:
            pregnancy = operations.open_pregnancy(self.register, self.context["person_id"])
            pregnancy_id = pregnancy["id"] if pregnancy else None
        return {"follows_table": "pregnancy" if pregnancy_id else None, "follows_id": pregnancy_id}
