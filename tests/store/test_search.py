"""The search box over a real encrypted register: keys, ranking, and an index that follows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fpdesk.core import pinyin
from fpdesk.core.idnumber import make
from fpdesk.core.ids import new_id
from fpdesk.store import records, schema, search
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE, VILLAGE

ZHANG_ID = "11010519491231002X"  # domain.md; female, born 1949-12-31
OTHER_ID = "440524188001010014"  # domain.md; male, born 1880-01-01
CODE = VILLAGE + "03" + "0012"


def add_household(register: Register, code: str = CODE, village: str = VILLAGE) -> str:
    return records.insert(
        register,
        "household",
        {"code": code, "village_code": village, "group_no": code[12:14], "address": "三组 12 号"},
    )


def add_person(register: Register, household_id: str, name: str, **more: object) -> str:
    fields: dict[str, object] = {
        "household_id": household_id,
        "name": name,
        "sex": 2,
        "birth_date": "1949-12-31",
    }
    fields.update(more)
    return records.insert(register, "person", fields)


def names(register: Register, text: str, **options: object) -> list[str]:
    return [hit.name for hit in search.search(register, text, **options)]  # type: ignore[arg-type]


@pytest.fixture
def zhang(register: Register) -> str:
    household = add_household(register)
    return add_person(register, household, "张三", id_number=ZHANG_ID)


@pytest.mark.parametrize(
    "typed", ["张三", "张", "zhangsan", "zhangs", "zhang", "zs", "ZS", " z s "]
)
def test_name_pinyin_and_initials_find_zhang_san(
    register: Register, zhang: str, typed: str
) -> None:
    hits = search.search(register, typed)
    assert [h.person_id for h in hits] == [zhang]


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("张三", "name"),
        ("张", "name_start"),
        ("三", "name_part"),
        ("zhangsan", "pinyin"),
        ("zhangs", "pinyin_start"),
        ("zs", "initials"),
        ("san", "given_pinyin"),
        ("002X", "id_tail"),
        ("002x", "id_tail"),
        ("31002X", "id_tail"),
        (ZHANG_ID, "id_number"),
        (ZHANG_ID.lower(), "id_number"),
        ("110105", "id_start"),
        (CODE, "household_code"),
        ("030012", "household_tail"),
    ],
)
def test_each_kind_of_key_says_why(register: Register, zhang: str, typed: str, why: str) -> None:
    hits = [h for h in search.search(register, typed) if h.person_id == zhang]
    assert len(hits) == 1
    assert hits[0].why == why
    assert str(hits[0].why_text)


def test_hit_carries_what_the_list_shows_with_a_masked_id(register: Register, zhang: str) -> None:
    (hit,) = search.search(register, "张三")
    assert hit.id_number_masked == "1101**********002X"
    assert ZHANG_ID not in repr(hit)
    assert (hit.household_code, hit.group, hit.address) == (CODE, "03", "三组 12 号")
    assert (hit.sex, hit.birth_date, hit.status, hit.village_code) == (
        2,
        "1949-12-31",
        "here",
        VILLAGE,
    )


def test_household_code_finds_the_household_first_then_its_members(
    register: Register, zhang: str
) -> None:
    household_id = records.get(register, "person", zhang)["household_id"]  # type: ignore[index]
    records.update(register, "household", household_id, {"head_id": zhang})
    other = add_person(register, household_id, "李四", sex=1, birth_date="1950-01-01")
    hits = search.search(register, CODE)
    assert [h.person_id for h in hits] == [None, zhang, other]
    assert hits[0].household_id == household_id
    assert hits[0].name == "张三"  # the household is shown by its head
    assert [h.person_id for h in search.search(register, "0012")][:1] == [None]


def test_ranking_exact_name_then_start_then_part(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "王张三")
    add_person(register, household, "张三丰")
    add_person(register, household, "张三")
    assert names(register, "张三") == ["张三", "张三丰", "王张三"]
    scores = [h.score for h in search.search(register, "张三")]
    assert scores == sorted(scores, reverse=True)


def test_part_of_a_name_is_a_run_of_its_characters(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "张三丰")
    add_person(register, household, "买买提·艾力")
    add_person(register, household, "Anna张")
    assert names(register, "三丰") == ["张三丰"]
    assert names(register, "丰三") == []
    assert names(register, "张丰") == []
    assert names(register, "买提") == ["买买提·艾力"]
    assert names(register, "提艾") == []  # the separator stands between them
    assert names(register, "na张") == ["Anna张"]
    assert names(register, "NA张") == ["Anna张"]
    assert [h.why for h in search.search(register, "买提")] == ["name_part"]


def test_ranking_full_pinyin_before_initials(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "周松")  # initials zs
    add_person(register, household, "张山")  # zhangshan: pinyin starts with "zhangs"
    add_person(register, household, "张三")  # zhangsan
    assert names(register, "zhangsan") == ["张三"]
    assert names(register, "zs") == ["周松", "张山", "张三"]
    assert names(register, "zhangs") == ["张山", "张三"]


def test_living_residents_before_those_away_and_the_dead(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "张三", death_date="2020-01-01")
    add_person(register, household, "张三", residence_status="out")
    add_person(register, household, "张三", residence_status="in")
    statuses = [h.status for h in search.search(register, "张三")]
    assert statuses == ["in", "out", "dead"]


def test_rename_is_found_under_the_new_name_only(register: Register, zhang: str) -> None:
    records.update(register, "person", zhang, {"name": "李四"})
    assert names(register, "张三") == []
    assert names(register, "zs") == []
    assert names(register, "李四") == ["李四"]
    assert names(register, "ls") == ["李四"]


def test_new_id_number_replaces_the_old_one(register: Register, zhang: str) -> None:
    records.update(register, "person", zhang, {"id_number": OTHER_ID})
    assert names(register, "002X") == []
    assert names(register, "0014") == ["张三"]


def test_tombstoned_person_is_not_found_and_comes_back_when_restored(
    register: Register, zhang: str
) -> None:
    records.delete(register, "person", zhang)
    assert search.search(register, "张三") == []
    assert search.search(register, "002X") == []
    records.update(register, "person", zhang, {"deleted": 0})
    assert names(register, "张三") == ["张三"]


def test_death_moves_a_person_behind_the_living(register: Register, zhang: str) -> None:
    household = records.get(register, "person", zhang)["household_id"]  # type: ignore[index]
    later = add_person(register, household, "张三")
    records.update(register, "person", zhang, {"death_date": "2026-01-01"})
    hits = search.search(register, "张三")
    assert [h.person_id for h in hits] == [later, zhang]
    assert [h.status for h in hits] == ["here", "dead"]


def test_tombstoned_household_is_not_found_but_its_members_are(
    register: Register, zhang: str
) -> None:
    household = records.get(register, "person", zhang)["household_id"]  # type: ignore[index]
    records.delete(register, "household", household)
    assert [h.person_id for h in search.search(register, CODE)] == [zhang]


def test_new_household_code_reaches_its_members(register: Register, zhang: str) -> None:
    household = records.get(register, "person", zhang)["household_id"]  # type: ignore[index]
    new_code = VILLAGE + "05" + "0099"
    records.update(register, "household", household, {"code": new_code})
    assert search.search(register, CODE) == []
    assert [h.person_id for h in search.search(register, new_code)] == [None, zhang]


def test_members_entered_before_their_household_carry_its_code(register: Register) -> None:
    household = new_id()
    with register.transaction():
        person = add_person(register, household, "张三")
        records.insert(
            register,
            "household",
            {"id": household, "code": CODE, "village_code": VILLAGE, "group_no": "03"},
        )
    assert [h.person_id for h in search.search(register, CODE)] == [None, person]


def test_raw_sql_writes_keep_the_index(register: Register) -> None:
    household = add_household(register)
    with register.transaction() as conn:
        conn.execute(
            "INSERT INTO person (id, household_id, name, sex, birth_date, id_number) "
            "VALUES (?, ?, '单丽', 2, '1949-12-31', ?)",
            (new_id(), household, ZHANG_ID),
        )
    assert names(register, "shanli") == ["单丽"]
    with register.transaction() as conn:
        conn.execute("UPDATE person SET name = '曾丽' WHERE name = '单丽'")
    assert names(register, "zengli") == ["曾丽"]
    assert names(register, "shanli") == []
    with register.transaction() as conn:
        conn.execute("DELETE FROM person")
    assert names(register, "zl") == []


@pytest.mark.parametrize(
    "name", ["张三丰", "单丽", "吕女士", "欧阳娜娜", "买买提·艾力", "李𬌗明", "长孙无忌"]
)
def test_sql_keys_agree_with_core_pinyin(register: Register, name: str) -> None:
    household = add_household(register)
    person = add_person(register, household, name)
    keys = pinyin.name_keys(name)
    for typed, why in ((keys.full, "pinyin"), (keys.initials, "initials"), (name, "name")):
        hits = search.search(register, typed)
        assert [(h.person_id, h.why) for h in hits][:1] == [(person, why)], typed


def test_names_in_latin_letters_are_found_by_their_letters(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "Anna")
    assert names(register, "anna") == ["Anna"]
    assert names(register, "An") == ["Anna"]


def test_a_name_written_with_combining_marks_is_found_by_a_run_inside_it(
    register: Register,
) -> None:
    household = add_household(register)
    decomposed = "王Re\u0301ne"  # é written as e and a combining acute accent
    add_person(register, household, decomposed)
    add_person(register, household, "王三丰")
    by_triggers = vocabulary(register)
    assert ("x", 1) in {(term, doc >> 40) for term, doc, _ in by_triggers}
    assert names(register, "éne") == [decomposed]
    assert names(register, "Rene") == [decomposed]
    assert names(register, "三丰") == ["王三丰"]
    search.rebuild(register)
    assert vocabulary(register) == by_triggers


def test_a_character_without_pinyin_is_still_found_by_name(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "王𠮷")  # 𠮷 has no reading in pypinyin
    assert names(register, "王𠮷") == ["王𠮷"]
    assert names(register, "wang") == ["王𠮷"]


def test_long_names_are_found_by_their_whole_name(register: Register) -> None:
    household = add_household(register)
    long_name = "阿卜杜热合曼·买买提艾力·阿不都拉"
    add_person(register, household, long_name)
    assert names(register, long_name) == [long_name]
    assert names(register, "阿卜杜") == [long_name]


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        "*",
        ":",
        "-",
        '张"三',
        'zs"*',
        "NEAR(",
        "a OR b",
        "^张",
        "(",
        "'",
        "\\",
        "%_",
        "张 AND 三",
        "{name}: 张",
        "\x00",
        "😀",
        "１２３４",
        "--",
        "00 2X",
        "x",
        "X",
    ],
)
def test_anything_typed_is_safe(register: Register, zhang: str, typed: str) -> None:
    hits = search.search(register, typed)
    assert all(h.person_id == zhang for h in hits)


def test_full_width_and_spaced_digits_are_read_as_digits(register: Register, zhang: str) -> None:
    assert [h.why for h in search.search(register, "００２Ｘ")] == ["id_tail"]
    assert [h.why for h in search.search(register, "3100 2X")] == ["id_tail"]


@pytest.mark.parametrize("typed", ["", "   ", "\t\n", "·"])
def test_blank_finds_nothing(register: Register, zhang: str, typed: str) -> None:
    assert search.search(register, typed) == []


def test_limit_is_kept_and_fills_from_later_kinds(register: Register) -> None:
    household = add_household(register)
    for _ in range(3):
        add_person(register, household, "张三")
    for _ in range(5):
        add_person(register, household, "张三丰")
    hits = search.search(register, "张三", limit=4)
    assert [h.why for h in hits] == ["name", "name", "name", "name_start"]
    assert len(search.search(register, "张三", limit=100)) == 8
    assert search.search(register, "张三", limit=0) == []


def test_village_filter(register: Register) -> None:
    other_village = VILLAGE[:9] + "202"
    here = add_person(register, add_household(register), "张三")
    add_person(register, add_household(register, other_village + "010001", other_village), "张三")
    assert len(search.search(register, "张三")) == 2
    hits = search.search(register, "张三", village_code=VILLAGE)
    assert [h.person_id for h in hits] == [here]


def test_bulk_load_without_triggers_then_rebuild(register: Register) -> None:
    search.remove(register.conn)
    assert not search.installed(register.conn)
    household = add_household(register)
    born = dt.date(1980, 5, 6)
    for sequence in range(1, 40, 2):
        add_person(register, household, f"张{sequence}", id_number=make("450102", born, sequence))
    assert search.search(register, "张") == []
    search.install(register.conn)
    search.rebuild(register)
    assert search.installed(register.conn)
    assert len(search.search(register, "张", limit=50)) == 20
    assert [h.person_id is None for h in search.search(register, CODE)][:1] == [True]
    tail = make("450102", born, 39)[-4:]
    assert [h.name for h in search.search(register, tail)][:1] == ["张39"]


def test_migration_indexes_a_register_that_already_holds_persons(
    register: Register, register_path: Path, zhang: str
) -> None:
    # Take the register back to before step 0002, with a person in it.
    with register.transaction() as conn:
        search.remove(conn)
        conn.execute(f"DROP TABLE {search.INDEX}")
        conn.execute(f"DROP TABLE {search.HANZI}")
        conn.execute(f"DELETE FROM {schema.MIGRATIONS.migrations_table} WHERE name = '0002_search'")
    register.close()
    with open_register(register_path, PASSPHRASE) as reopened:
        assert search.installed(reopened.conn)
        assert [h.person_id for h in search.search(reopened, "zs")] == [zhang]


def test_step_0014_indexes_the_pairs_of_names_in_an_older_register(
    register: Register, register_path: Path
) -> None:
    household = add_household(register)
    li = add_person(register, household, "李三丰", id_number=ZHANG_ID)
    # Take the register back to before step 0014: its persons indexed without pairs.
    with register.transaction() as conn:
        search.remove(conn)
        persons = conn.execute(
            f"SELECT {search.person_rowid_sql('p')}, p.name, p.id_number FROM person p"
        ).fetchall()
        for rowid, name, number in persons:
            keys = search.person_keys(name, number, None, (CODE, VILLAGE))
            conn.execute(f"DELETE FROM {search.INDEX} WHERE rowid = ?", (rowid,))
            conn.execute(
                f"INSERT INTO {search.INDEX} (rowid, keys) VALUES (?, ?)",
                (rowid, " ".join(k for k in keys.split() if not k.startswith("b"))),
            )
        search.install(conn)
        steps = schema.MIGRATIONS.migrations_table
        conn.execute(f"DELETE FROM {steps} WHERE name = '0014_name_pairs'")
    assert search.search(register, "三丰") == []
    register.close()
    with open_register(register_path, PASSPHRASE) as reopened:
        assert [h.person_id for h in search.search(reopened, "三丰")] == [li]
        migrated = vocabulary(reopened)
        search.rebuild(reopened)
        assert vocabulary(reopened) == migrated


def vocabulary(register: Register) -> list[tuple[str, int, int]]:
    """Every token in the index with its row and position (fts5vocab)."""
    register.conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab "
        f"USING fts5vocab(main, {search.INDEX}, 'instance')"
    )
    rows = register.conn.execute("SELECT term, doc, offset FROM temp.search_vocab")
    return sorted(rows)


def test_triggers_and_rebuild_index_the_same_tokens(register: Register) -> None:
    household = add_household(register)
    add_person(register, household, "张三", id_number=ZHANG_ID)
    add_person(register, household, "单丽", legacy_id15="110105491231002", death_date="2000-01-01")
    add_person(register, household, "阿卜杜热合曼·买买提艾力·阿不都拉", residence_status="out")
    add_person(register, household, "王𠮷")
    add_person(register, household, "李", id_number="")
    moved = add_person(register, household, "曾国藩", id_number=OTHER_ID)
    records.update(register, "person", moved, {"name": "曾国荃", "residence_status": "out"})
    records.delete(register, "person", add_person(register, household, "赵六"))
    by_triggers = vocabulary(register)
    cards = register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid")
    search.rebuild(register)
    assert vocabulary(register) == by_triggers
    assert register.query(f"SELECT * FROM {search.CARD} ORDER BY rowid") == cards
    assert len(cards) == 6
    assert len({doc for _, doc, _ in by_triggers}) == 7  # 6 persons and the household


def test_person_keys_spell_every_kind_of_token() -> None:
    keys = search.person_keys("张三", ZHANG_ID, None, (CODE, VILLAGE))
    assert keys.split() == [
        "n张三",
        "c张",
        "c三",
        "b张三",
        "pzhangsan",
        "gsan",
        "izs",
        "d11010519491231002x",
        "rx20013219491501011",
        f"h{CODE}",
        f"e{CODE[::-1]}",
        f"v{VILLAGE}",
    ]


def test_rebuild_leaves_the_index_settings_as_it_found_them(register: Register, zhang: str) -> None:
    cache = register.conn.execute("PRAGMA cache_size").fetchone()[0]
    search.rebuild(register)
    settings = dict(register.conn.execute(f"SELECT k, v FROM {search.INDEX}_config"))
    assert settings["automerge"] == 4
    assert settings["hashsize"] == 1024 * 1024
    assert register.conn.execute("PRAGMA cache_size").fetchone()[0] == cache
    assert names(register, "zs") == ["张三"]


def test_the_result_list_follows_edits_to_person_and_household(
    register: Register, zhang: str
) -> None:
    household = records.get(register, "person", zhang)["household_id"]  # type: ignore[index]
    records.update(register, "person", zhang, {"birth_date": "1950-01-02", "sex": 1})
    records.update(register, "household", household, {"address": "五组 3 号", "group_no": "05"})
    (hit,) = search.search(register, "张三")
    assert (hit.birth_date, hit.sex, hit.address, hit.group) == ("1950-01-02", 1, "五组 3 号", "05")


def test_an_index_from_an_older_version_is_remade(register: Register, zhang: str) -> None:
    assert search.index_is_current(register.conn)
    assert not search.make_current(register)
    with register.transaction() as conn:
        search.remove(conn)
        conn.execute(f"DROP TABLE {search.INDEX}")
        conn.execute(f"CREATE VIRTUAL TABLE {search.INDEX} USING fts5(name, content='')")
    assert not search.index_is_current(register.conn)
    assert search.make_current(register)
    assert search.index_is_current(register.conn) and search.installed(register.conn)
    assert names(register, "zs") == ["张三"]


# ---- every kind reads at most `limit` rows ---------------------------------------------

# What is typed, each finding more than the limit in one kind (see crowd()): a name,
# its start, a run inside it, pinyin, initials, the given name's pinyin, an ID number's
# start (6 digits: the index; 10: B-trees) and tail, a township's household codes.
# (A village's or a group's codes, 12 digits or more, are read and sorted, a few
# hundred: store.search._code_shape.)
CROWDED = {
    "张三": "name",
    "张": "name_start",
    "三丰": "name_part",
    "zhangsan": "pinyin",
    "zhangs": "pinyin_start",
    "lsf": "initials",
    "ls": "initials_start",
    "sanf": "given_pinyin",
    "7": "id_tail",
    "110105": "id_start",
    "1101051980": "id_start",
    VILLAGE[:9]: "household_start",
}


def crowd(register: Register, start: int, count: int) -> None:
    """count persons, each in a household of their own in group 03: 张三 and 李三丰 in
    turn, ID numbers born on one day ending in 7."""
    born = dt.date(1980, 5, 6)
    for n in range(start, start + count):
        household = add_household(register, f"{VILLAGE}03{n:04d}")
        number = make("110105", born, n)
        add_person(register, household, "李三丰" if n % 2 else "张三", id_number=number)


def vm_steps(register: Register, text: str, found: list[str] | None = None) -> int:
    """How much work SQLite does for a search: its virtual machine's steps, in tens.
    found: why each hit was found (default: five of the kind CROWDED names)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    register.conn.set_progress_handler(count, 10)
    try:
        hits = search.search(register, text, limit=5)
    finally:
        register.conn.set_progress_handler(None, 10)
    assert [h.why for h in hits] == (found or [CROWDED[text]] * 5), text
    return steps


def test_every_kind_stops_at_the_limit(register: Register) -> None:
    """A kind that read all its matches would do four times the work with four times
    the persons; each reads its first `limit` rows only (the full-text index's own
    reading of a term's list is not SQLite's steps, and is not counted here)."""
    # Each ID number's last digit is its check digit: enough persons end in 7 either way.
    crowd(register, 0, 120)
    before = {text: vm_steps(register, text) for text in CROWDED}
    crowd(register, 120, 360)
    after = {text: vm_steps(register, text) for text in CROWDED}
    grew = {
        text: (before[text], after[text]) for text in CROWDED if after[text] > before[text] * 1.2
    }
    assert not grew


# A whole name typed that few persons have, whose characters many others hold apart
# (张小丰) or once (李坤): after the name and its start, the list has room for names
# holding the run inside them, which must not read every row holding its characters.
APART = {"张丰": "张小丰", "坤坤": "李坤"}


def crowd_apart(register: Register, start: int, count: int) -> None:
    for n in range(start, start + count):
        household = add_household(register, f"{VILLAGE}04{n:04d}")
        add_person(register, household, list(APART.values())[n % 2])


def test_a_whole_name_held_by_few_reads_no_more_with_more_persons(register: Register) -> None:
    household = add_household(register)
    for name in APART:
        add_person(register, household, name)
    crowd_apart(register, 0, 120)
    before = {text: vm_steps(register, text, ["name"]) for text in APART}
    crowd_apart(register, 120, 360)
    after = {text: vm_steps(register, text, ["name"]) for text in APART}
    grew = {text: (before[text], after[text]) for text in APART if after[text] > before[text] * 1.2}
    assert not grew


def test_an_id_number_not_as_stored_is_masked_as_everywhere(register: Register) -> None:
    household = add_household(register)
    # Written past the forms (a script, the sqlite shell): lower case, full-width digits.
    add_person(register, household, "王五", id_number="11010519491231003x")
    add_person(register, household, "赵六", id_number="１１０１０５１９４９１２３１００４Ｘ")
    add_person(register, household, "钱七", id_number="12345")
    masked = {hit.name: hit.id_number_masked for hit in search.search(register, "wang")}
    masked.update({hit.name: hit.id_number_masked for hit in search.search(register, "zhao")})
    masked.update({hit.name: hit.id_number_masked for hit in search.search(register, "qian")})
    assert masked == {
        "王五": "1101**********003X",
        "赵六": "1101**********004X",
        "钱七": "*****",
    }
