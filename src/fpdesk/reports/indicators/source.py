"""The one interface between the indicator engine and a store of records.

`collect` and the computation ask an `IndicatorSource` for rows and never see SQL or
a register: `RegisterSource` (indicators.sqlite) answers from a township or village
register, and the district hub (issue 17) answers the same questions from PostgreSQL.
So both count with the same code and give the same numbers, ids included.

Every read returns plain rows in a stated order; days are ISO strings ("2019-09-30").
Rows of deleted records are never returned.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from fpdesk.store.population import Member

__all__ = ["IndicatorSource", "Member"]

# (id, household id, residence status) of a woman.
WomanRow = tuple[str, str, str]
# (woman id, user id, contraception id, method, started on, ended on): the user is the
# husband when the method is his (a vasectomy counts under his wife).
ContraceptionRow = tuple[str, str | None, str, str, str, str | None]
# (person id, visit type, visited on, id of the contraception it follows up or None).
VisitRow = tuple[str, str, str, str | None]
# (id, mother id, father id, birth date, sex).
BirthRow = tuple[str, str, str | None, str, int]
# A BirthRow followed by the mother's village and the UTC time it was first entered.
EnteredBirthRow = tuple[str, str, str | None, str, int, str | None, str]
# (id, mother id, father id, birth date, document kind) of a parent's own birth.
ParentBirthRow = tuple[str, str, str | None, str, str | None]
# (finding id, village, births found, errors: how far the births registered are off).
AuditRow = tuple[str, str, int, int]
# (code, urban, quality pilot, self-governance, demonstration) of a village.
VillageRow = tuple[str, bool, bool, bool, bool]
# (period label, area codes joined by commas, produced at) of a recorded report.
RunRow = tuple[str, str, str]
# (event key, village, person id, the person's residence status, day) of a dated event
# of the change report (indicators.sqlite.EVENTS).
EventRow = tuple[str, str, str, str, str]


class IndicatorSource(Protocol):
    """The reads the indicator engine needs, and the permissions it checks."""

    def reading(self) -> AbstractContextManager[None]:
        """Around one collection: a source may prepare for many reads (a larger cache)."""
        ...

    def require_report(self) -> None:
        """Refuse, with a plain message, a session that may not produce reports."""
        ...

    def scope(self, asked: str | None = None) -> str:
        """The area a report covers: what was asked if this session may see it all,
        else narrowed to the session's own, refused when it lies elsewhere."""
        ...

    def area_units(self, level: str) -> set[str]:
        """The codes of the known area units of a level."""
        ...

    def area_names(self, codes: Sequence[str]) -> dict[str, str]:
        """Code -> name of the area units among `codes` that are known."""
        ...

    def villages(self, start: str, end: str) -> list[VillageRow]:
        """The villages in force at some time between the two days, with their flags."""
        ...

    def household_villages(self) -> dict[str, str]:
        """Household id -> village code."""
        ...

    def moves(self) -> dict[str, list[tuple[str, str]]]:
        """Each person's moves as (day, kind), in the order they happened."""
        ...

    def women_born(self, after: str, until: str, alive_after: str) -> list[WomanRow]:
        """Women born after `after` and on or before `until`, not dead by `alive_after`."""
        ...

    def women(self, ids: Sequence[str]) -> list[WomanRow]:
        """The women among these person ids (men and unknown ids are left out)."""
        ...

    def wives(self, day: str) -> set[str]:
        """Women in a marriage begun on or before the day and not ended by it."""
        ...

    def contraception(self, start: str, end: str) -> list[ContraceptionRow]:
        """Methods started by `end` and not ended before `start`."""
        ...

    def visits(self, types: Iterable[str], first: str, last: str) -> list[VisitRow]:
        """Visits of these types made between the two days (both included)."""
        ...

    def examined(self, start: str, end: str) -> set[str]:
        """Persons with a gynaecological exam between the two days."""
        ...

    def fertility_findings(self, day: str) -> list[tuple[str, str]]:
        """(person id, result) of each fertility finding made by the day, oldest first."""
        ...

    def births(self, start: str, end: str) -> list[BirthRow]:
        """Own births (not step or adopted children) born between the two days."""
        ...

    def births_entered(self, start: str, end: str) -> list[EnteredBirthRow]:
        """Own births born between the two days, with when each was first entered on
        this store (births loaded in bulk have no such time and are left out)."""
        ...

    def births_of(self, parents: Iterable[str]) -> list[ParentBirthRow]:
        """Every own birth of any of these parents, by id."""
        ...

    def reported_runs(self) -> list[RunRow]:
        """The reports recorded as reported (indicators.runs)."""
        ...

    def audit_findings(self, start: str, end: str) -> list[AuditRow]:
        """The accuracy audit's household findings visited between the two days."""
        ...

    def events(self, start: str, end: str) -> list[EventRow]:
        """The change report's dated events (indicators.sqlite.EVENTS) between the two
        days, each with the village of the person's household, in no particular order."""
        ...

    def members_on(self, day: str) -> list[Member]:
        """Everyone alive on the day and not gone (store.population.members_on)."""
        ...

    def lookup(
        self, name: str, ids: Sequence[str], params: Sequence[str] = ()
    ) -> list[dict[str, Any]]:
        """What the name lists show of the records counted (indicators.sqlite.LOOKUPS:
        one text each, run by every store): the rows of the read `name` for these ids,
        `params` its values in order, each row by column name, in no particular order."""
        ...
