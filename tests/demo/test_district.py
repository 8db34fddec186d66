"""The synthetic district: deterministic, valid by every rule, plausible in its numbers."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fpdesk import demo
from fpdesk.core import area, idnumber, population
from fpdesk.core.clock import FixedClock
from fpdesk.core.ids import new_id
from fpdesk.core.periods import statistical_year
from fpdesk.demo import processes as second
from fpdesk.reports.indicators import compute
from fpdesk.store import capture, search
from fpdesk.store import population as store_population
from fpdesk.store.checks import check_register
from fpdesk.store.db import Register, open_register
from fpdesk.store.due import due_list
from fpdesk.store.errors import RegisterExists
from tests.conftest import PASSPHRASE

PERSONS = 4000
TABLES = ("area_unit", *capture.REPLICATED)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "district.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=PERSONS, seed=7)
    return path


@pytest.fixture
def district(demo_path: Path) -> Iterator[Register]:
    register = open_register(demo_path, PASSPHRASE)
    yield register
    register.close()


def _contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    with open_register(path, PASSPHRASE) as register:
        order = {"area_unit": "code"}
        return {
            table: register.conn.execute(
                f"SELECT * FROM {table} ORDER BY {order.get(table, 'id')}"
            ).fetchall()
            for table in TABLES
        }


def test_same_seed_same_register_other_seed_other_register(tmp_path: Path) -> None:
    paths = [tmp_path / f"{name}.fpdesk" for name in ("a", "b", "c")]
    for path, seed in zip(paths, (5, 5, 6), strict=True):
        demo.build_demo(path, PASSPHRASE, persons=300, seed=seed)
    first, again, other = (_contents(path) for path in paths)
    assert first == again
    assert first["person"] != other["person"]
    assert first["household"] != other["household"]


def test_keys_agree_with_core_ids() -> None:
    """The demo's fast key formatting is core.ids.new_id, bit for bit."""
    for ms, bits in ((0, 0), (1_790_000_000_000, (1 << 80) - 1), (1_700_000_123_456, 12345)):
        assert demo.uuid7(ms, bits) == new_id(unix_ms=ms, rand=bits.to_bytes(10, "big"))


def test_exactly_the_persons_asked_for_in_plausible_households(district: Register) -> None:
    counts = {t: district.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    assert counts["person"] == PERSONS
    assert 2.5 <= PERSONS / counts["household"] <= 4.5
    assert all(counts[t] > 0 for t in TABLES), counts
    heads = district.query(
        "SELECT count(*) AS n FROM household h JOIN person p ON p.id = h.head_id "
        "WHERE p.household_id = h.id AND p.relationship = 0"
    )[0]["n"]
    assert heads == counts["household"]


def test_a_township_register_over_one_county(district: Register) -> None:
    assert district.role == "township"
    units = district.query("SELECT code, parent_code, level, name FROM area_unit")
    by_level = Counter(u["level"] for u in units)
    assert by_level["county"] == 1 and by_level["township"] >= 1 and by_level["village"] >= 2
    assert district.area_code in {u["code"] for u in units if u["level"] == "township"}
    for unit in units:
        assert area.level_of(unit["code"]) == unit["level"]
        assert unit["parent_code"] == area.parent_of(unit["code"])
        assert unit["name"]
        if unit["level"] == "township":
            assert 100 <= int(unit["code"][6:9]) <= 399
    sizes = district.query(
        "SELECT h.village_code, count(*) AS n FROM person p "
        "JOIN household h ON h.id = p.household_id GROUP BY h.village_code"
    )
    assert all(150 <= row["n"] <= 3000 for row in sizes), sizes
    for row in district.query("SELECT code, village_code, group_no FROM household"):
        village, group, _ = area.split_household_code(row["code"])
        assert (village, group) == (row["village_code"], row["group_no"])


def test_id_numbers_valid_unique_and_agreeing(district: Register) -> None:
    rows = district.query("SELECT id_number, birth_date, sex FROM person")
    for row in rows:
        facts = idnumber.parse(row["id_number"])
        assert facts.birth_date.isoformat() == row["birth_date"]
        assert facts.sex == row["sex"]
    assert len({row["id_number"] for row in rows}) == len(rows)
    outside = district.query(
        "SELECT outside_spouse_id_number AS n FROM marriage "
        "WHERE outside_spouse_id_number IS NOT NULL"
    )
    assert outside and all(idnumber.is_valid(row["n"]) for row in outside)


def test_passes_fpdesk_check(district: Register) -> None:
    """Every validation rule over every record, the file and its links (store.checks)."""
    report = check_register(district, FixedClock(demo.REFERENCE_DATE))
    assert report.rows_checked["person"] == PERSONS
    assert [(f.table, f.code, str(f.message)) for f in report.failures] == []


def test_every_visit_follows_an_event_that_exists(district: Register) -> None:
    dangling = district.query(
        "SELECT v.follows_table, count(*) AS n FROM visit v WHERE v.follows_table IS NOT NULL "
        "AND NOT EXISTS (SELECT 1 FROM contraception c WHERE c.id = v.follows_id) "
        "AND NOT EXISTS (SELECT 1 FROM pregnancy p WHERE p.id = v.follows_id) "
        "AND NOT EXISTS (SELECT 1 FROM birth b WHERE b.id = v.follows_id) GROUP BY 1"
    )
    assert dangling == []


def test_foreign_keys_and_file_integrity(district: Register) -> None:
    assert district.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert district.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_births_sex_ratio_and_orders_are_plausible(district: Register) -> None:
    sexes = Counter(row["sex"] for row in district.query("SELECT sex FROM birth"))
    ratio = 100 * sexes[idnumber.MALE] / sexes[idnumber.FEMALE]
    assert 100 <= ratio <= 120, sexes
    # Birth order for the couple: the position among the mother's births.
    rows = district.query(
        "SELECT birth_date, (SELECT count(*) FROM birth b2 WHERE b2.mother_id = b.mother_id "
        "AND b2.birth_date < b.birth_date) + 1 AS birth_order FROM birth b "
        "WHERE birth_date >= '2015-01-01'"
    )
    orders = Counter(min(row["birth_order"], 3) for row in rows)
    assert orders[1] > orders[3] and orders[2] > orders[3]
    assert orders[3] / len(rows) < 0.1, orders
    mothers_too_young = district.query(
        "SELECT count(*) AS n FROM birth b JOIN person m ON m.id = b.mother_id "
        "WHERE date(m.birth_date, '+12 years') > b.birth_date"
    )[0]["n"]
    assert mothers_too_young == 0


def test_the_work_of_a_real_village_is_there(district: Register) -> None:
    def count(sql: str) -> int:
        return int(district.conn.execute(sql).fetchone()[0])

    today = demo.REFERENCE_DATE.isoformat()
    assert count("SELECT count(*) FROM pregnancy WHERE outcome IS NULL") > 0
    assert count(f"SELECT count(*) FROM pregnancy WHERE expected_on > '{today}'") > 0
    assert count("SELECT count(*) FROM person WHERE death_date IS NOT NULL") > 0
    assert count("SELECT count(*) FROM person WHERE residence_status = 'out'") > 0
    assert count("SELECT count(*) FROM person WHERE residence_status = 'in'") > 0
    # Every kind of move, in plausible shares: working-age adults floating out the most,
    # some of them back; daughters' and students' hukou moving away; floating-in families,
    # a few gone again; and every person's moves a chain core.population allows.
    kinds = Counter(r[0] for r in district.conn.execute("SELECT kind FROM move"))
    assert set(kinds) == set(population.KINDS)
    assert kinds["float_out"] > kinds["return"] > 0
    assert kinds["float_out"] > kinds["transfer_out"] > 0
    assert kinds["float_in"] > kinds["leave"] > 0
    histories = store_population.histories(district)
    assert all(population.broken_step(h) is None for h in histories.values())
    assert count("SELECT count(*) FROM marriage WHERE wife_id IS NULL OR husband_id IS NULL") > 0
    assert count("SELECT count(*) FROM marriage WHERE end_reason = 'divorce'") > 0
    assert count("SELECT count(*) FROM visit WHERE visit_type = 'iud_followup'") > 0
    assert count("SELECT count(*) FROM visit WHERE visit_type = 'postnatal'") > 0
    assert count("SELECT count(*) FROM supply") > 0
    methods = Counter(
        row["method"]
        for row in district.query("SELECT method FROM contraception WHERE ended_on IS NULL")
    )
    assert methods.most_common(1)[0][0] == "iud"
    assert methods["female_sterilisation"] > 0 and methods["condom"] > 0
    husbands = district.query(
        "SELECT p.sex FROM contraception c JOIN person p ON p.id = c.user_id "
        "WHERE c.method = 'male_sterilisation'"
    )
    assert all(row["sex"] == idnumber.MALE for row in husbands)
    flags = district.query(
        "SELECT sum(quality_pilot) AS pilot, sum(self_governance) AS self, count(*) AS n "
        "FROM area_unit WHERE level = 'village'"
    )[0]
    assert 0 < flags["pilot"] <= flags["n"] and 0 < flags["self"] <= flags["n"]


def test_most_visits_are_done_some_are_overdue(district: Register) -> None:
    """The due list (store.due, core.schedules) over the demo: work to do, not chaos.

    An officer working from her list makes most visits around their dates: the list
    on the reference date is mostly visits coming due, with a minority overdue (the
    issue asked for 10-25 %; a 4,000-person district has some 60 lines, so a wider
    band here), and nothing overdue for years.
    """
    items = due_list(district, demo.REFERENCE_DATE, district.area_code[:6] + "000000")
    overdue = Counter(item.visit_type for item in items if item.overdue_days > 0)
    assert overdue["gyn_exam"] > 0
    assert overdue["iud_followup"] + overdue["iud_check"] + overdue["postop_followup"] > 0
    share = sum(overdue.values()) / len(items)
    assert 0.05 <= share <= 0.3, (share, overdue, len(items))
    assert max(item.overdue_days for item in items) < 2 * 365


def test_the_work_plan_indicators_come_out_plausible(district: Register) -> None:
    """Near the targets, not all of them met: something for the dashboard to show."""
    report = compute(district, statistical_year(2026), [district.area_code[:6] + "000000"])
    value = {result.key: result.value for result in report.results}
    assert value["births"] and value["births"] > 0
    assert value["policy_compliant_rate"] is not None and value["policy_compliant_rate"] > 90
    assert 70 <= (value["contraceptive_rate"] or 0) <= 97
    assert 50 <= (value["long_acting_rate"] or 0) <= 95
    assert 5 <= (value["drugs_devices_share"] or 0) <= 35
    assert 80 <= (value["followup_rate"] or 0) < 100
    assert 60 <= (value["gyn_exam_rate"] or 0) < 100


def test_no_history_yet_but_capture_and_search_are_back(district: Register) -> None:
    assert district.conn.execute("SELECT count(*) FROM change_log").fetchone()[0] == 0
    assert capture.installed(district.conn)
    assert search.installed(district.conn)
    someone = district.query("SELECT id, name FROM person LIMIT 1 OFFSET 100")[0]
    hits = search.search(district, someone["name"], limit=50)
    assert someone["id"] in {hit.person_id for hit in hits}


def test_no_date_after_the_reference_date(district: Register) -> None:
    today = demo.REFERENCE_DATE.isoformat()
    columns = {
        "person": ("birth_date", "death_date", "residence_since"),
        "marriage": ("married_on", "ended_on"),
        "pregnancy": ("registered_on", "last_period_on", "outcome_on"),
        "birth": ("birth_date",),
        "contraception": ("started_on", "ended_on"),
        "supply": ("handed_on",),
        "visit": ("visited_on",),
        "move": ("moved_on",),
        "certificate": ("issued_on",),
    }
    for table, names in columns.items():
        for name in names:
            late = district.conn.execute(
                f"SELECT count(*) FROM {table} WHERE {name} > ?", (today,)
            ).fetchone()[0]
            assert late == 0, (table, name)


def test_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.fpdesk"
    path.write_bytes(b"somebody's work")
    with pytest.raises(RegisterExists):
        demo.build_demo(path, PASSPHRASE, persons=100)
    assert path.read_bytes() == b"somebody's work"


@pytest.mark.parametrize("persons", [0, 99, 3_000_001])
def test_refuses_sizes_outside_the_range(tmp_path: Path, persons: int) -> None:
    path = tmp_path / "x.fpdesk"
    with pytest.raises(demo.DemoSizeError) as caught:
        demo.build_demo(path, PASSPHRASE, persons=persons)
    assert "100" in caught.value.text.zh and "3,000,000" in caught.value.text.en
    assert not path.exists()


def test_a_failed_build_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "cancelled.fpdesk"

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.build_demo(path, PASSPHRASE, persons=300, progress=cancel)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_making_rows_reaches_the_caller_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "broken.fpdesk"
    made = []

    def household(self: object, village: object, left: int) -> int:
        made.append(left)
        if len(made) > 50:
            raise ValueError("no more households")
        return original(self, village, left)

    original = demo.District.household
    monkeypatch.setattr(demo.District, "household", household)
    with pytest.raises(ValueError, match="no more households"):
        demo.build_demo(path, PASSPHRASE, persons=300)
    assert list(tmp_path.iterdir()) == []


def _index_entries(path: Path) -> set[tuple[str, int]]:
    """Every (token, index rowid) of the search index."""
    with open_register(path, PASSPHRASE) as register:
        conn = register.conn
        conn.execute(
            "CREATE VIRTUAL TABLE temp.entries USING fts5vocab(main, search_index, instance)"
        )
        return {(term, doc) for term, doc in conn.execute("SELECT term, doc FROM temp.entries")}


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """The second processes the demo starts (real ones, only watched)."""
    started: list[subprocess.Popen[bytes]] = []

    class Watched(subprocess.Popen[bytes]):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            started.append(self)

    monkeypatch.setattr(second.subprocess, "Popen", Watched)
    return started


def test_a_second_process_makes_the_same_register(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    here, there = tmp_path / "here.fpdesk", tmp_path / "there.fpdesk"
    demo.build_demo(here, PASSPHRASE, persons=400, seed=9, second_process=False)
    assert processes == []
    demo.build_demo(there, PASSPHRASE, persons=400, seed=9, second_process=True)
    assert len(processes) == 1 and processes[0].returncode == 0
    assert _contents(here) == _contents(there)
    assert _index_entries(here) == _index_entries(there)


def test_the_index_built_apart_is_the_one_a_rebuild_makes(tmp_path: Path) -> None:
    """The demo's search index (made from the rows as they are made, in another
    database) holds exactly what store.search.rebuild makes from the register."""
    path = tmp_path / "index.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=500, seed=4)
    built = _index_entries(path)
    with open_register(path, PASSPHRASE) as register:
        cards = register.conn.execute("SELECT * FROM search_card ORDER BY rowid").fetchall()
        register.conn.execute("INSERT INTO search_index (search_index) VALUES ('integrity-check')")
        search.rebuild(register)
        assert register.conn.execute("SELECT * FROM search_card ORDER BY rowid").fetchall() == cards
    assert len(built) > 500 * 10
    assert _index_entries(path) == built


def test_the_second_process_failing_reaches_the_caller(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    # No village for no persons: the second process fails on its first step.
    with (
        pytest.raises(IndexError),
        second.from_second_process(1, demo.REFERENCE_DATE, 0, tmp_path / "index") as messages,
    ):
        list(messages)
    assert len(processes) == 1 and processes[0].returncode is not None


def test_a_second_process_killed_is_a_plain_error(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    with second.from_second_process(1, demo.REFERENCE_DATE, 3000, tmp_path / "index") as messages:
        assert next(messages)[0] == "layout"
        processes[0].kill()  # its rows (a megabyte) cannot all be in the pipe yet
        with pytest.raises(demo.DemoProcessError) as caught:
            list(messages)
    assert "exit code" in caught.value.text.en and "进程" in caught.value.text.zh


def test_a_cancel_ends_the_second_process_and_leaves_no_file(
    tmp_path: Path, processes: list[subprocess.Popen[bytes]]
) -> None:
    path = tmp_path / "cancelled.fpdesk"

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.build_demo(path, PASSPHRASE, persons=3000, progress=cancel, second_process=True)
    assert list(tmp_path.iterdir()) == []
    assert len(processes) == 1 and processes[0].returncode is not None


def test_progress_reaches_the_total(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    demo.build_demo(
        tmp_path / "p.fpdesk",
        PASSPHRASE,
        persons=700,
        seed=3,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (700, 700)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_different_reference_date_moves_the_whole_district(tmp_path: Path) -> None:
    path = tmp_path / "old.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=300, reference_date=dt.date(2020, 6, 30))
    with open_register(path, PASSPHRASE) as register:
        latest = register.conn.execute("SELECT max(birth_date) FROM person").fetchone()[0]
        assert latest <= "2020-06-30"


def test_a_city_sized_district_has_one_code_per_area() -> None:
    """Three million persons lay out more than a hundred towns' worth of townships:
    every township and village still has a code of its own, in the ranges the
    12-digit structure gives towns (100-199) and townships (200-399)."""
    district = demo.District(1, demo.REFERENCE_DATE)
    try:
        townships = district.layout(demo.MAX_PERSONS)
        rows = district.area_rows(townships)
    finally:
        district.index_keys.close()
    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes))
    numbers = [int(township[0][6:9]) for township, _, _ in townships]
    assert len(numbers) > 100
    assert all(100 <= n < 200 or 200 <= n < 400 for n in numbers)
    assert sum(1 for n in numbers if n < 200) == 100


@pytest.mark.parametrize("second_process", [False, True])
def test_the_index_is_built_in_a_scratch_folder_that_goes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, second_process: bool
) -> None:
    """The search index is built apart, in a file of a temporary folder (not in
    memory): the folder is gone afterwards, and so it is when the build fails."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    during: list[str] = []

    def look(done: int, total: int) -> None:
        during.extend(path.name for path in scratch.iterdir())

    demo.build_demo(
        tmp_path / "ok.fpdesk",
        PASSPHRASE,
        persons=300,
        progress=look,
        second_process=second_process,
    )
    assert during and all(name.startswith("fpdesk-demo-") for name in during)
    assert list(scratch.iterdir()) == []

    def cancel(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo.build_demo(
            tmp_path / "cancelled.fpdesk",
            PASSPHRASE,
            persons=300,
            progress=cancel,
            second_process=second_process,
        )
    assert list(scratch.iterdir()) == []
    assert not (tmp_path / "cancelled.fpdesk").exists()
