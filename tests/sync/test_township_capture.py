"""The township logs a bundle's writes by statement (store.capture.BulkLog): its change
log must hold, row by row, the images the village's triggers logged for the same
changes, with the township's actor and device and the village as origin."""

from __future__ import annotations

from typing import Any

from fpdesk.store import capture, records
from fpdesk.store.db import Register
from tests.sync.helpers import World, add_household, add_person, send


def _by_row(reg: Register, where: str) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    rows = reg.conn.execute(
        f"SELECT row_id, op, old, new FROM change_log WHERE {where} ORDER BY seq"
    )
    for row_id, *rest in rows:
        out.setdefault(row_id, []).append(tuple(rest))
    return out


def test_the_township_logs_what_the_village_logged(world: World) -> None:
    v = next(iter(world.villages.values()))
    t = world.township
    hh = add_household(v, 1)
    first = add_person(v, hh, "张三")
    send(v, t, world.root / "one")
    mark = t.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    village_mark = v.conn.execute("SELECT max(seq) FROM change_log").fetchone()[0]
    with v.transaction():
        records.update(v, "person", first, {"phone": "13800000000"})
        records.update(v, "person", first, {"phone": "13900000000", "note": "两次"})
        second = add_household(v, 2)
        other = add_person(v, second, "李四")
        records.update(v, "person", other, {"name": "李思"})
        records.update(v, "household", hh, {"address": "新村路 1 号"})
        records.delete(v, "person", first)
    [got] = send(v, t, world.root / "two")
    assert (got.outcome, got.queued) == ("accepted", 0)
    expected = _by_row(v, f"seq > {village_mark}")
    assert _by_row(t, f"seq > {mark}") == expected
    assert len(expected[first]) == 3
    who = set(t.conn.execute(f"SELECT actor, device_id, origin FROM change_log WHERE seq > {mark}"))
    assert who == {("文员", t.device_id, f"village:{v.device_id}")}
    assert capture.installed(t.conn)
