"""A bundle is applied with the search index's triggers paused and its rows indexed in
bulk afterwards (store.search_batch): the index must end exactly as a full rebuild
makes it, and the triggers must be back whatever became of the import."""

from __future__ import annotations

import random
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from fpdesk.core import area
from fpdesk.store import capture, records, search
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles, township
from tests.conftest import PASSPHRASE
from tests.sync.helpers import World, add_household, add_person, send
from tests.sync.test_kill import _import

ZHANG = "450102199001011234"
LI = "450102198502020021"


def index_state(reg: Register) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]]]:
    """Every token of the index with the row holding it, and every card."""
    reg.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab "
        f"USING fts5vocab(main, {search.INDEX}, 'instance')"
    )
    tokens = sorted(reg.conn.execute("SELECT term, doc FROM temp.vocab"))
    cards = reg.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
    return tokens, cards


def assert_as_rebuilt(reg: Register) -> None:
    assert search.installed(reg.conn)
    applied = index_state(reg)
    search.rebuild(reg)
    assert index_state(reg) == applied


def a_code(v: Register, number: int) -> str:
    return area.household_code(v.area_code, 1, number)


def _village(world: World) -> Register:
    return next(iter(world.villages.values()))


def test_index_after_a_bundle_is_the_index_a_rebuild_makes(world: World) -> None:
    v, t = _village(world), world.township
    a = add_household(v, 1)
    b = add_household(v, 2)
    gone = add_household(v, 3)
    zhang = add_person(v, a, "张三", id_number=ZHANG)
    li = add_person(v, a, "李四", id_number=LI)
    wang = add_person(v, b, "王五")
    zhao = add_person(v, b, "赵六", legacy_id15="450102850202002")
    stays = add_person(v, a, "钱七")  # not in the second bundle: its household is renumbered
    left = add_person(v, gone, "孙八")
    [first] = send(v, t, world.root / "one")
    assert first.outcome == "accepted"
    assert_as_rebuilt(t)

    with v.transaction():
        records.update(v, "person", zhang, {"name": "张山", "phone": "13800000000"})
        records.update(v, "person", li, {"id_number": None})
        records.update(v, "person", wang, {"death_date": "2026-01-01"})
        records.update(v, "person", zhao, {"residence_status": "out", "household_id": a})
        records.update(v, "household", a, {"code": a_code(v, 7), "address": "新村路 1 号"})
        records.delete(v, "household", gone)
        records.delete(v, "person", left)
        c = add_household(v, 4)
        add_person(v, c, "周九", id_number=ZHANG[:-4] + "5678")
        records.update(v, "household", b, {"phone": "13700000000"})  # not indexed
    # A township-side edit of a member of the renumbered household.
    records.update(t, "person", stays, {"name": "钱琪"})
    [second] = send(v, t, world.root / "two")
    assert (second.outcome, second.queued) == ("accepted", 0)
    assert_as_rebuilt(t)
    assert [h.person_id for h in search.search(t, "张山")] == [zhang]
    assert search.search(t, "张三") == []
    members = {h.person_id for h in search.search(t, a_code(v, 7), limit=10)}
    assert {zhang, li, zhao, stays} <= members
    assert [h.name for h in search.search(t, "周九")] == ["周九"]
    assert search.search(t, "孙八") == []


def test_a_dry_run_leaves_the_index_and_its_triggers_as_they_were(world: World) -> None:
    v, t = _village(world), world.township
    add_person(v, add_household(v, 1), "张三")
    [made] = bundles.export(v, world.root / "out")
    before = index_state(t)
    [dry] = bundles.import_files(t, [made.path], dry_run=True)
    assert dry.outcome == "accepted"
    assert search.installed(t.conn)
    assert index_state(t) == before


def test_a_refused_bundle_leaves_the_index_and_its_triggers(world: World) -> None:
    v, t = _village(world), world.township
    hh = add_household(v, 1)
    person = add_person(v, hh, "张三")
    send(v, t, world.root / "one")
    before = index_state(t)
    # A village row the township's checks refuse (written past the village's own).
    v.conn.execute("PRAGMA ignore_check_constraints = ON")
    records.update(v, "person", person, {"name": "张山"})
    v.conn.execute("UPDATE person SET residence_status = 'gone' WHERE id = ?", (person,))
    [got] = send(v, t, world.root / "two")
    assert got.outcome == "refused"
    assert search.installed(t.conn)
    assert index_state(t) == before
    assert [h.person_id for h in search.search(t, "张三")] == [person]


def test_a_household_code_passed_on_inside_one_bundle(world: World) -> None:
    v, t = _village(world), world.township
    old = add_household(v, 1)
    send(v, t, world.root / "one")
    code = records.get(v, "household", old)["code"]
    with v.transaction():
        records.update(v, "household", old, {"code": a_code(v, 9)})
        new = records.insert(
            v, "household", {"code": code, "village_code": v.area_code, "group_no": "02"}
        )
    [got] = send(v, t, world.root / "two")
    assert (got.outcome, got.queued) == ("accepted", 0)
    assert records.get(t, "household", new)["code"] == code
    assert records.get(t, "household", old)["code"] == a_code(v, 9)
    assert_as_rebuilt(t)


def test_the_unique_indexes_the_merge_orders_writes_around(world: World) -> None:
    keys = township.unique_keys(world.township)
    assert keys == {"household": [("code",)], "person": [("id_number",)]}


def test_an_id_number_given_up_by_a_person_entered_in_the_same_bundle(world: World) -> None:
    v, t = _village(world), world.township
    hh = add_household(v, 1)
    with v.transaction():
        first = add_person(v, hh, "甲", id_number=ZHANG)
        records.update(v, "person", first, {"id_number": LI, "phone": "13800000000"})
        second = add_person(v, hh, "乙", id_number=ZHANG)
        records.update(v, "person", second, {"phone": "13900000000"})
    [got] = send(v, t, world.root / "out")
    assert (got.outcome, got.queued) == ("accepted", 0)
    assert records.get(t, "person", first)["id_number"] == LI
    assert records.get(t, "person", second)["id_number"] == ZHANG
    assert_as_rebuilt(t)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_killed_import_leaves_the_triggers_and_an_index_as_rebuilt(
    world: World, tmp_path: Path
) -> None:
    v = _village(world)
    with v.transaction():
        for n in range(1, 801):
            add_person(v, add_household(v, n), f"村民{n}")
    [made] = bundles.export(v, tmp_path / "out")
    world.township.close()
    rng = random.Random(20261128)
    for attempt in range(3):
        work = tmp_path / f"work{attempt}.fpdesk"
        shutil.copy2(world.township.path, work)
        proc = _import(work, made.path)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        with open_register(work, PASSPHRASE) as reg:
            assert capture.installed(reg.conn)
            assert_as_rebuilt(reg)
    world.township = open_register(world.township.path, PASSPHRASE)


def test_an_index_an_older_version_made_keeps_its_own_triggers(world: World) -> None:
    v, t = _village(world), world.township
    old_person_insert = (
        "CREATE TRIGGER search_person_insert AFTER INSERT ON person BEGIN "
        f"INSERT INTO {search.INDEX} (rowid, name) VALUES (NEW.rowid, NEW.name); END"
    )
    with t.transaction() as conn:  # as an older development version left it
        search.remove(conn)
        conn.execute(f"DROP TABLE {search.INDEX}")
        conn.execute(f"DROP TABLE {search.CARD}")
        conn.execute(f"CREATE VIRTUAL TABLE {search.INDEX} USING fts5(name, content='')")
        conn.execute(old_person_insert)
        for name in ("person_update", "person_delete", "household_insert"):
            conn.execute(
                f"CREATE TRIGGER search_{name} AFTER INSERT ON area_unit BEGIN SELECT 1; END"
            )
        for name in ("household_update", "household_delete"):
            conn.execute(
                f"CREATE TRIGGER search_{name} AFTER DELETE ON area_unit BEGIN SELECT 1; END"
            )
    assert search.installed(t.conn) and not search.index_is_current(t.conn)
    triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    before = t.conn.execute(triggers).fetchall()
    add_person(v, add_household(v, 1), "张三")
    [got] = send(v, t, world.root / "out")
    assert got.outcome == "accepted"
    assert t.conn.execute(triggers).fetchall() == before
    assert t.conn.execute(f"SELECT count(*) FROM {search.INDEX}").fetchone() == (1,)
