"""Three villages and the township editing and exchanging at random.

Bundles are duplicated, reordered, delayed and dropped on the way.  Checked throughout:
- nothing is refused, and no change is silently lost: every change in an accepted
  bundle is counted as applied, unchanged or queued, and every field a village
  changed ends up with the village's value at the township or in the conflict queue;
- importing a file twice leaves the register as importing it once;
- after the clerk resolves every conflict and a full round trip, each village and the
  township hold the same data for that village.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.sync import bundles, conflicts
from tests.sync.conftest import open_world
from tests.sync.helpers import World, add_household, add_person, area_state
from tests.sync.test_hostile import fingerprint_of

PHONES = ["130", "131", "132"]
NOTES = ["甲", "乙", None]


class Exchange(RuleBasedStateMachine):
    template: Path

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="fpdesk-sm-"))
        self.world: World = open_world(self.template, self.tmp / "world")
        self.codes = sorted(self.world.villages)
        self.bag: list[dict[str, Any]] = []
        self.households = {code: 0 for code in self.codes}
        self.counter = 0

    # ------------------------------------------------------------------ edits

    def _village(self, n: int) -> Register:
        return self.world.villages[self.codes[n % len(self.codes)]]

    def _rows(self, reg: Register, code: str, table: str) -> list[dict[str, Any]]:
        return area_state(reg, code).get(table, [])

    @rule(n=st.integers(0, 2))
    def village_adds_household(self, n: int) -> None:
        v = self._village(n)
        self.households[v.area_code] += 1
        hh = add_household(v, self.households[v.area_code])
        add_person(v, hh, f"村民{self.households[v.area_code]}")

    @rule(
        n=st.integers(0, 2),
        pick=st.integers(0, 99),
        phone=st.sampled_from(PHONES),
        note=st.sampled_from(NOTES),
    )
    def village_edits_person(self, n: int, pick: int, phone: str, note: str | None) -> None:
        v = self._village(n)
        people = self._rows(v, v.area_code, "person")
        if people:
            records.update(
                v, "person", people[pick % len(people)]["id"], {"phone": phone, "note": note}
            )

    @rule(n=st.integers(0, 2), pick=st.integers(0, 99))
    def village_deletes_person(self, n: int, pick: int) -> None:
        v = self._village(n)
        people = self._rows(v, v.area_code, "person")
        if people:
            records.delete(v, "person", people[pick % len(people)]["id"])

    @rule(
        n=st.integers(0, 2),
        pick=st.integers(0, 99),
        phone=st.sampled_from(PHONES),
        address=st.sampled_from(["东", "西"]),
    )
    def township_corrects(self, n: int, pick: int, phone: str, address: str) -> None:
        code = self._village(n).area_code
        people = self._rows(self.world.township, code, "person")
        if people:
            records.update(
                self.world.township, "person", people[pick % len(people)]["id"], {"phone": phone}
            )
        homes = self._rows(self.world.township, code, "household")
        if homes:
            records.update(
                self.world.township,
                "household",
                homes[pick % len(homes)]["id"],
                {"address": address},
            )

    @rule(n=st.integers(0, 2), pick=st.integers(0, 99))
    def township_deletes_person(self, n: int, pick: int) -> None:
        code = self._village(n).area_code
        people = self._rows(self.world.township, code, "person")
        if people:
            records.delete(self.world.township, "person", people[pick % len(people)]["id"])

    # --------------------------------------------------------------- exchange

    def _out(self) -> Path:
        self.counter += 1
        return self.tmp / f"out{self.counter}"

    @rule(n=st.integers(0, 2))
    def village_exports(self, n: int) -> None:
        v = self._village(n)
        [made] = bundles.export(v, self._out())
        changes = v.query(
            "SELECT seq, tbl, row_id, op, old, new FROM change_log"
            " WHERE seq > ? AND seq <= ? AND origin IS NULL ORDER BY seq",
            (made.after, made.upto),
        )
        self.bag.append(
            {
                "path": made.path,
                "to": "township",
                "from": v.device_id,
                "count": made.count,
                "changes": changes,
            }
        )

    @rule(n=st.integers(0, 2))
    def township_exports(self, n: int) -> None:
        code = self._village(n).area_code
        for made in bundles.export(self.world.township, self._out(), village_code=code):
            self.bag.append({"path": made.path, "to": code})

    @precondition(lambda self: self.bag)
    @rule(pick=st.integers(0, 99), keep=st.booleans(), twice=st.booleans())
    def deliver(self, pick: int, keep: bool, twice: bool) -> None:
        """Any bundle in the bag, in any order; kept for a later duplicate or not."""
        item = self.bag[pick % len(self.bag)]
        if not keep:
            self.bag.remove(item)
        target = (
            self.world.township if item["to"] == "township" else self.world.villages[item["to"]]
        )
        received = None
        if item["to"] == "township":
            received = self._received(item["from"])
        [result] = bundles.import_files(target, [item["path"]])
        assert result.outcome in ("accepted", "duplicate"), result.reason
        if result.outcome == "accepted" and item["to"] == "township":
            assert result.applied + result.unchanged + result.queued == item["count"]
            assert received is not None
            self._nothing_lost(item, received)
        if twice:
            before = fingerprint_of(target)
            [again] = bundles.import_files(target, [item["path"]])
            assert again.outcome == "duplicate"
            assert fingerprint_of(target) == before

    @precondition(lambda self: self.bag)
    @rule(pick=st.integers(0, 99))
    def drop(self, pick: int) -> None:
        """A lost USB stick."""
        self.bag.pop(pick % len(self.bag))

    def _received(self, device: str) -> int:
        row = self.world.township.conn.execute(
            "SELECT received_upto FROM sync_device WHERE device_id = ?", (device,)
        ).fetchone()
        return int(row[0])

    def _nothing_lost(self, item: dict[str, Any], received: int) -> None:
        """Each field's last change in the bundle is at the township or in the queue."""
        last: dict[tuple[str, str, str], tuple[int, Any]] = {}
        for change in item["changes"]:
            if change["seq"] <= received:
                continue
            old = json.loads(change["old"]) if change["old"] else {}
            new = json.loads(change["new"]) if change["new"] else {}
            for name, value in new.items():
                if change["op"] == "insert" or old.get(name) != value:
                    last[(change["tbl"], change["row_id"], name)] = (change["seq"], value)
        queued = {
            (c["tbl"], c["row_id"], c["field"], c["seq"])
            for c in self.world.township.query("SELECT * FROM sync_conflict")
        }
        for (table, row_id, name), (seq, value) in last.items():
            row = records.get(self.world.township, table, row_id)
            assert row is not None
            assert row[name] == value or (table, row_id, name, seq) in queued, (
                table,
                name,
                value,
                row[name],
            )

    # -------------------------------------------------------------- round trip

    @rule(seed=st.integers(0, 2**16))
    def full_round_trip(self, seed: int) -> None:
        self._round_trip_and_compare(seed)

    def _round_trip_and_compare(self, seed: int) -> None:
        """Send everything, resolve every conflict, send back; all copies must agree."""
        chooser = random.Random(seed)
        for code in self.codes:
            v = self.world.villages[code]
            for r in bundles.import_files(
                self.world.township, [e.path for e in bundles.export(v, self._out())]
            ):
                assert r.outcome in ("accepted", "duplicate"), r.reason
        for conflict in conflicts.open_conflicts(self.world.township):
            take = chooser.choice(["village", "township", "value"])
            value = chooser.choice(PHONES) if conflict["field"] == "phone" else conflict["theirs"]
            conflicts.resolve(self.world.township, conflict["id"], take, value, has_value=True)
        for code in self.codes:
            v = self.world.villages[code]
            made = bundles.export(self.world.township, self._out(), village_code=code)
            for r in bundles.import_files(v, [e.path for e in made]):
                assert r.outcome in ("accepted", "duplicate"), r.reason
            assert area_state(v, code) == area_state(self.world.township, code)
        assert conflicts.open_conflicts(self.world.township) == []

    def teardown(self) -> None:
        try:
            self._round_trip_and_compare(0)
        finally:
            self.world.close()
            shutil.rmtree(self.tmp, ignore_errors=True)


@pytest.mark.slow
def test_villages_and_township_exchanging_at_random(_template_world3: Path) -> None:
    Exchange.template = _template_world3
    run_state_machine_as_test(
        Exchange,
        settings=settings(
            max_examples=8,
            stateful_step_count=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
