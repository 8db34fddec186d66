"""A village laptop writes only its own village: checked at the township for every change.

A village bundle is signed by an enrolled laptop of one village, and that laptop holds
only its village's households, their persons and their events.  So every change it
sends must stay there: a household of its village, a person of one of those
households, an event of one of those persons.  A change that edits, inserts or
deletes a record of another village, or moves a person into another village's
household, is not something the laptop's own screens can make; the township refuses
the whole bundle and names the record (see township.import_changes).

What still passes, because the village made it honestly:
- a link the township already holds: a marriage whose other spouse lives in another
  village, a birth whose father or child does (a village names a spouse from elsewhere
  in `outside_spouse_*`; the township may keep the link after a merge or a move);
- work on a person the village had when it made the change but the township has since
  taken away: a person the clerk moved into another village's household, and the
  person a duplicate of the village's was merged into (the merge code routes that
  work to her; see township._Merger).

The check reads the township's rows as they were before the bundle: a village cannot
make a record its own by first rewriting it in the same bundle.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from fpdesk.core.i18n import Text
from fpdesk.store.db import Register
from fpdesk.sync import duplicates, rows
from fpdesk.sync.errors import shown

OUTSIDE_VILLAGE = Text(
    "第 {seq} 号修改改动了不属于发送电脑所在村（{sender}）的记录：{table} {row_id}"
    "（{owner}）。整个包已拒收，没有导入任何内容。请核实这台电脑是否被他人使用。",
    "Change {seq} touches a record outside the sending laptop's village ({sender}): "
    "{table} {row_id} ({owner}). The whole bundle was refused; nothing was imported. "
    "Check who has been using that laptop.",
)
_OF_VILLAGE = Text("属于 {village}", "of {village}")
_NO_VILLAGE = Text("不属于本村", "not of this village")


class _Change(Protocol):
    @property
    def seq(self) -> int: ...
    @property
    def tbl(self) -> str: ...
    @property
    def row_id(self) -> str: ...
    @property
    def old(self) -> dict[str, Any] | None: ...
    @property
    def new(self) -> dict[str, Any] | None: ...


@dataclass(frozen=True)
class _Written:
    """A change as the township would write it: `new` is the row image it takes (for
    the deletion of a row it never had, the village's old image, kept as a tombstone)."""

    seq: int
    tbl: str
    row_id: str
    new: dict[str, Any] | None


def _written(change: _Change, current: dict[tuple[str, str], dict[str, Any]]) -> _Written:
    image = change.new
    if image is None and (change.tbl, change.row_id) not in current and change.old:
        image = {**change.old, "deleted": 1}
    return _Written(change.seq, change.tbl, change.row_id, image)


@dataclass(frozen=True)
class Outside:
    """The first change of a bundle that reaches outside the sender's village."""

    seq: int
    table: str
    row_id: str
    village: str | None  # the village it belongs to, when known

    def reason(self, sender_village: str) -> Text:
        owner = _OF_VILLAGE.format(village=self.village) if self.village else _NO_VILLAGE
        return OUTSIDE_VILLAGE.format(
            seq=self.seq,
            sender=sender_village,
            table=self.table,
            row_id=shown(self.row_id, 80),  # taken from the file
            owner=owner,
        )


def first_outside(
    register: Register,
    village: str,
    changes: list[_Change],
    current: dict[tuple[str, str], dict[str, Any]],
    kept: dict[str, tuple[str, str]],
) -> Outside | None:
    """The first change that touches a record outside `village`, or None.

    `current`: the township's rows the changes touch, as before the bundle;
    `kept`: merged-away person -> (the person kept for it, the merge)."""
    written = [_written(c, current) for c in changes]
    scope = _Scope(register, village, written, current, kept)
    for change in written:
        found = scope.check(change)
        if found is not None:
            return found
    return None


class _Scope:
    def __init__(
        self,
        register: Register,
        village: str,
        changes: list[_Written],
        current: dict[tuple[str, str], dict[str, Any]],
        kept: dict[str, tuple[str, str]],
    ) -> None:
        self.register = register
        self.village = village
        self.current = current
        self.kept_for: dict[str, list[str]] = {}
        for other, (survivor, _) in kept.items():
            self.kept_for.setdefault(survivor, []).append(other)
        # Households and persons the bundle brings in, taken as the village's only when
        # their own rows say so (checked with the change that inserts them).
        self.new_households = {
            c.row_id: (c.new or {}).get("village_code")
            for c in changes
            if c.tbl == "household" and ("household", c.row_id) not in current
        }
        self.new_persons = {
            c.row_id: (c.new or {}).get("household_id")
            for c in changes
            if c.tbl == "person" and ("person", c.row_id) not in current
        }
        self.households = self._household_villages(changes)
        self.persons = self._person_villages(changes)
        self._history: dict[str, bool] = {}

    # --------------------------------------------------------------- what is whose

    def _household_villages(self, changes: list[_Written]) -> dict[str, str]:
        wanted = {c.row_id for c in changes if c.tbl == "household"}
        for change in changes:
            if change.tbl == "person":
                for image in (change.new, self.current.get(("person", change.row_id))):
                    if image and image.get("household_id"):
                        wanted.add(str(image["household_id"]))
        found = _lookup(
            self.register, "SELECT id, village_code FROM household WHERE id IN ", wanted
        )
        for household, code in self.new_households.items():
            found.setdefault(household, str(code))
        return found

    def _person_villages(self, changes: list[_Written]) -> dict[str, str]:
        wanted: set[str] = set()
        for change in changes:
            columns = duplicates.PERSON_REFERENCES.get(change.tbl, ())
            if change.tbl == "person":
                wanted.add(change.row_id)
            for image in (change.new, self.current.get((change.tbl, change.row_id))):
                wanted.update(str(image[c]) for c in columns if image and image.get(c))
        return _lookup(
            self.register,
            "SELECT p.id, h.village_code FROM person p JOIN household h"
            " ON h.id = p.household_id WHERE p.id IN ",
            wanted,
        )

    def village_of_person(self, person: str) -> str | None:
        if person in self.persons:
            return self.persons[person]
        household = self.new_persons.get(person)
        return self.households.get(str(household)) if household else None

    def ours(self, person: str) -> bool:
        """The sender's person: in its village here, brought in by the bundle into one
        of its households, or taken from it here (moved away, or merged into)."""
        if self.village_of_person(person) == self.village:
            return True
        if person not in self._history:
            self._history[person] = self._was_ours(person)
        return self._history[person]

    def _was_ours(self, person: str) -> bool:
        merged_away = self.kept_for.get(person, [])
        if any(self.village_of_person(p) == self.village for p in merged_away):
            return True
        # A person the clerk moved out of one of the village's households.
        homes = [
            str(r[0])
            for r in self.register.conn.execute(
                "SELECT old ->> 'household_id' FROM change_log WHERE row_id = ?"
                " AND tbl = 'person' AND op = 'update'"
                " AND old ->> 'household_id' IS NOT new ->> 'household_id'",
                (person,),
            )
            if r[0]
        ]
        found = _lookup(self.register, "SELECT id, village_code FROM household WHERE id IN ", homes)
        return self.village in found.values()

    # --------------------------------------------------------------------- checks

    def check(self, change: _Written) -> Outside | None:
        before = self.current.get((change.tbl, change.row_id))
        if change.tbl == "household":
            return self._household(change, before)
        if change.tbl == "person":
            return self._person(change, before)
        return self._event(change, before)

    def _outside(self, change: _Written, village: str | None) -> Outside:
        return Outside(change.seq, change.tbl, change.row_id, village)

    def _household(self, change: _Written, before: dict[str, Any] | None) -> Outside | None:
        for image in (before, change.new):
            if image is not None and image.get("village_code") != self.village:
                return self._outside(change, str(image.get("village_code")))
        return self._links(change, before)

    def _person(self, change: _Written, before: dict[str, Any] | None) -> Outside | None:
        if before is not None and not self.ours(change.row_id):
            return self._outside(change, self.persons.get(change.row_id))
        if change.new is not None:
            home = self.households.get(str(change.new.get("household_id")))
            if home is not None and home != self.village:
                # A person moved (or brought) into another village's household.
                return self._outside(change, home)
        return None

    def _event(self, change: _Written, before: dict[str, Any] | None) -> Outside | None:
        owners = rows.PERSON_COLUMNS[change.tbl]
        for image in (before, change.new):
            if image is None:
                continue
            named = [str(image[c]) for c in owners if image.get(c)]
            if named and not any(self.ours(p) for p in named):
                return self._outside(change, self.village_of_person(named[0]))
        return self._links(change, before)

    def _links(self, change: _Written, before: dict[str, Any] | None) -> Outside | None:
        """A person of another village named where the township did not name her:
        a village laptop does not hold such a person, so it cannot link her."""
        if change.new is None:
            return None
        for column in duplicates.PERSON_REFERENCES.get(change.tbl, ()):
            person = change.new.get(column)
            if not person or (before is not None and before.get(column) == person):
                continue
            if not self.ours(str(person)) and self.village_of_person(str(person)) is not None:
                return self._outside(change, self.village_of_person(str(person)))
        return None


def _lookup(register: Register, select: str, ids: Iterable[str]) -> dict[str, str]:
    """id -> village code, for the ids found (in one statement, the ids as JSON)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return {
        str(r[0]): str(r[1])
        for r in register.conn.execute(
            select + "(SELECT value FROM json_each(?))", (json.dumps(wanted),)
        )
    }
