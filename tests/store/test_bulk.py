"""store.bulk.writing: many rows in one transaction, the search index kept once.

After any mix of writes the index and the cards must be what a full rebuild makes
(and so what the per-row triggers would have left), the triggers must be back, and
an error must leave the register, index included, as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3

from fpdesk.core.idnumber import make
from fpdesk.store import bulk, records, search
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE
from tests.store.test_search import CODE, ZHANG_ID, add_household, add_person, vocabulary


@contextlib.contextmanager
def triggers_run(register: Register) -> Iterator[set[str]]:
    """The names of the triggers SQLite built into the statements run meanwhile: the
    authorizer is told, for each access a statement makes, the trigger it comes from.
    (Pausing the index drops triggers, so every statement is built again.)"""
    seen: set[str] = set()

    def note(_action: int, _a: Any, _b: Any, _db: Any, trigger: str | None) -> int:
        if trigger:
            seen.add(trigger)
        return int(sqlcipher3.SQLITE_OK)

    register.conn.set_authorizer(note)
    try:
        yield seen
    finally:
        register.conn.set_authorizer(None)


def assert_written_in_bulk(seen: set[str]) -> None:
    """Persons or households were written, in a batch (store.search_batch noted them),
    and never indexed row by row (no per-row search trigger ran)."""
    assert any(name.startswith("search_touched_") for name in seen), seen
    per_row = {n for n in seen if n.startswith(("search_person_", "search_household_"))}
    assert per_row == set()


def index_and_cards(register: Register) -> tuple[object, object]:
    cards = register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
    return vocabulary(register), cards


def rebuilt(register: Register) -> tuple[object, object]:
    search.rebuild(register)
    return index_and_cards(register)


def temp_triggers(register: Register) -> list[str]:
    return [
        r[0]
        for r in register.conn.execute("SELECT name FROM temp.sqlite_master WHERE type = 'trigger'")
    ]


def test_every_kind_of_write_indexes_as_a_rebuild_does(register: Register) -> None:
    household = add_household(register)
    other = add_household(register, VILLAGE + "030013")
    zhang = add_person(register, household, "张三", id_number=ZHANG_ID)
    stays = add_person(register, household, "李四")
    add_person(register, household, "陈一")  # not written in the batch: only its code moves
    leaves = add_person(register, other, "王五")
    gone = add_person(register, other, "赵六")
    born = dt.date(1980, 5, 6)
    with triggers_run(register) as seen, bulk.writing(register) as conn:
        for sequence in range(1, 200, 2):
            add_person(
                register, household, f"孙{sequence}", id_number=make("450102", born, sequence)
            )
        records.update(register, "person", zhang, {"name": "张三丰", "death_date": "2020-01-01"})
        records.update(register, "person", zhang, {"residence_status": "out"})  # twice
        records.update(register, "household", household, {"code": VILLAGE + "039999"})
        records.update(register, "person", leaves, {"household_id": household})
        records.delete(register, "person", gone)
        records.update(register, "household", other, {"deleted": 1})
        # Members before their household, as a new household's form writes them.
        late = "01" + "0" * 30
        conn.execute("PRAGMA defer_foreign_keys = ON")
        add_person(register, late, "周七")
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no, address, deleted) "
            "VALUES (?, ?, ?, '03', '', 0)",
            (late, VILLAGE + "035555", VILLAGE),
        )
        conn.execute("UPDATE person SET name = '李肆' WHERE id = ?", (stays,))  # raw SQL
    assert_written_in_bulk(seen)
    assert search.installed(register.conn)
    assert temp_triggers(register) == []
    written = index_and_cards(register)
    assert written == rebuilt(register)
    assert [h.name for h in search.search(register, "zsf")] == ["张三丰"]
    assert {h.name for h in search.search(register, VILLAGE + "039999")} >= {"李肆", "王五", "陈一"}
    assert [h.name for h in search.search(register, "周七")] == ["周七"]
    assert search.search(register, CODE) == []  # the old code is nobody's now


def test_an_error_leaves_everything_as_it_was(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "张三", id_number=ZHANG_ID)
    before = index_and_cards(register)
    with pytest.raises(RuntimeError), bulk.writing(register):
        for number in range(50):
            add_person(register, household, f"钱{number}")
        raise RuntimeError("stop")
    assert search.installed(register.conn)
    assert temp_triggers(register) == []
    assert register.query("SELECT count(*) AS n FROM person")[0]["n"] == 1
    assert index_and_cards(register) == before
    add_person(register, household, "吴八")  # the triggers work again
    assert [h.name for h in search.search(register, "吴八")] == ["吴八"]


def test_nested_batches_index_once_at_the_end(register: Register) -> None:
    household = add_household(register)
    with bulk.writing(register):
        add_person(register, household, "郑九")
        with bulk.writing(register):
            add_person(register, household, "冯十")
            assert not search.installed(register.conn)
        assert not search.installed(register.conn)
    assert search.installed(register.conn)
    assert {h.name for h in search.search(register, "zj")} == {"郑九"}
    assert index_and_cards(register) == rebuilt(register)


def test_names_are_spelled_from_the_registers_table_as_from_pinyin(register: Register) -> None:
    # A surname reading (单), ü (吕), Latin letters, separators, a character without a
    # reading, a name longer than the triggers read, a rare character.
    names = ["单田芳", "吕女", "Anna Li", "买买提·艾力", "王2", "阿" * (search.MAX_NAME + 3), "龘"]
    spelled = search.names_by_table(register.conn, names + names[:2])
    assert spelled == {name: search.name_keys(name) for name in names}


def test_a_write_outside_a_batch_is_indexed_by_the_triggers(register: Register) -> None:
    # What assert_written_in_bulk tells apart: the per-row triggers, seen at work.
    household = add_household(register)
    with triggers_run(register) as seen:
        add_person(register, household, "褚九")
    assert "search_person_insert" in seen
    with pytest.raises(AssertionError):
        assert_written_in_bulk(seen)


def test_a_household_whose_tokens_stay_is_not_indexed_again(register: Register) -> None:
    household = add_household(register)
    for name in ("张三", "李四", "王五"):
        add_person(register, household, name)
    blocks = register.conn.execute(f"SELECT * FROM {search.INDEX}_data ORDER BY id").fetchall()
    with bulk.writing(register):
        records.update(
            register, "household", household, {"address": "新村路 1 号", "group_no": "04"}
        )
    # Not a block of the index written: neither the household's entry nor its members'.
    after = register.conn.execute(f"SELECT * FROM {search.INDEX}_data ORDER BY id").fetchall()
    assert after == blocks
    assert index_and_cards(register) == rebuilt(register)
    with bulk.writing(register):
        records.update(register, "household", household, {"code": VILLAGE + "037777"})
    assert {h.name for h in search.search(register, VILLAGE + "037777")} >= {"张三", "李四", "王五"}
    assert index_and_cards(register) == rebuilt(register)


def test_a_batch_has_a_large_cache_and_gives_it_back(register: Register) -> None:
    def cache() -> int:
        return int(register.conn.execute("PRAGMA cache_size").fetchone()[0])

    register.conn.execute("PRAGMA cache_size = -2000")
    with bulk.writing(register):
        assert cache() == -256 * 1024
        with search.cache_of_at_least(register.conn, 64 * 1024):
            assert cache() == -256 * 1024  # never made smaller inside
    assert cache() == -2000
    register.conn.execute("PRAGMA cache_size = 100")  # pages, not KiB
    with search.cache_of_at_least(register.conn, 1024):
        assert cache() == -1024
    assert cache() == 100


def test_a_batch_logs_every_change_as_the_per_row_triggers_do(
    register: Register, _template_register: Path, tmp_path: Path
) -> None:
    """The change log of a bulk batch: the same records, in the same order, with the
    same sequence numbers as the same writes made in a plain transaction (`at`, the
    clock's time, aside)."""
    twin_path = tmp_path / "twin.fpdesk"
    shutil.copy2(_template_register, twin_path)
    twin = open_register(twin_path, PASSPHRASE)
    twin.set_actor("测试员")
    try:
        with register.transaction() as conn:
            _writes(conn)
        with bulk.writing(twin) as conn:
            _writes(conn)
        plain, batch = (
            reg.query(
                "SELECT seq, tbl, row_id, op, old, new, actor, device_id, origin "
                "FROM change_log ORDER BY seq"
            )
            for reg in (register, twin)
        )
    finally:
        twin.close()
    assert len(plain) > 8
    assert batch == plain


def _writes(conn: Any) -> None:
    """Inserts, a row updated twice, an update that changes nothing, a household
    renumbered (its members re-indexed), a person deleted and a household tombstoned."""
    home, other = "01" + "0" * 30, "02" + "0" * 30
    for household, code in ((home, "010001"), (other, "020002")):
        conn.execute(
            "INSERT INTO household (id, code, village_code, group_no, address) "
            "VALUES (?, ?, ?, ?, '三组 12 号')",
            (household, VILLAGE + code, VILLAGE, code[:2]),
        )
    people = [f"{n:02d}" + "1" * 30 for n in range(1, 6)]
    conn.executemany(
        "INSERT INTO person (id, household_id, name, sex, birth_date) "
        "VALUES (?, ?, ?, 2, '1980-05-06')",
        [(pid, home if n % 2 else other, f"孙{n}") for n, pid in enumerate(people)],
    )
    conn.execute("UPDATE person SET name = '张三丰' WHERE id = ?", (people[0],))
    conn.execute("UPDATE person SET residence_status = 'out' WHERE id = ?", (people[0],))
    conn.execute("UPDATE person SET name = name WHERE id = ?", (people[1],))
    conn.execute("UPDATE household SET code = ? WHERE id = ?", (VILLAGE + "039999", home))
    conn.execute("UPDATE person SET deleted = 1 WHERE id = ?", (people[2],))
    conn.execute("DELETE FROM person WHERE id = ?", (people[3],))
    conn.execute("UPDATE household SET deleted = 1 WHERE id = ?", (other,))
