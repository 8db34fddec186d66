"""Follow-up visits."""

from __future__ import annotations

import pytest

from fpdesk.store import operations as ops
from fpdesk.store import records
from fpdesk.store.db import Register
from tests.store.operations.conftest import CLOCK


def test_visit_cannot_precede_what_it_follows(family: tuple[Register, ops.NewHousehold]) -> None:
    register, new = family
    wife = new.member_ids[1]
    iud = ops.start_contraception(
        register, wife, {"method": "iud", "started_on": "2026-10-01"}, clock=CLOCK
    )
    fields = {"visit_type": "iud_followup", "follows_table": "contraception", "follows_id": iud}
    with pytest.raises(ops.FormProblems) as caught:
        ops.record_visit(register, wife, {**fields, "visited_on": "2026-09-01"}, clock=CLOCK)
    assert "2026-10-01" in caught.value.problems["visited_on"].zh
    with pytest.raises(ops.FormProblems) as future:
        ops.record_visit(register, wife, {**fields, "visited_on": "2026-12-01"}, clock=CLOCK)
    assert "2026-11-28" in future.value.problems["visited_on"].zh
    visit = ops.record_visit(register, wife, {**fields, "visited_on": "20261101"}, clock=CLOCK)
    assert records.get(register, "visit", visit)["visited_on"] == "2026-11-01"  # type: ignore[index]
