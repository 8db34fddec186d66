"""One engine, two stores, through the real exchange (issue 17 item 3): three township
registers enroll at a real PostgreSQL hub, write their changes with `bundle export
--to-district` and the hub takes them in with `hub import`; then for a year, a quarter
and a month, at the district, township and village levels, every indicator's number
and counted ids at the hub (HubSource, one township) equal `fpdesk indicators` on that
township's register.  A second round of work (births, a move, a death) sent up the same
way keeps them equal.

The three registers' records are made by the demo (one small demo each, seeds 11, 12
and 13, all of one township), moved to three townships of the county and written into
new township registers with their change capture on, so every row travels as a change
in the bundles; each register knows its own township, villages and the units above it,
with the demo's village flags (urban, quality pilot...), which reach the hub only in
its bundles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk import demo
from fpdesk.cli import main
from fpdesk.commands.reports import listed_members, report_data
from fpdesk.core import area
from fpdesk.core.periods import parse_period
from fpdesk.hub import enrollment as hub_enrollment
from fpdesk.hub import exchange, schema
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import indicators as ind
from fpdesk.store import areas, operations
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register, open_register
from fpdesk.sync import bundles, enrollment
from fpdesk.sync.ledger import ACCEPTED
from tests.conftest import PASSPHRASE
from tests.hub.test_enrollment import DISTRICT
from tests.sync.helpers import make_township

PERSONS = 1_500  # each township's; a demo this small lies in one township
SEEDS = (11, 12, 13)
PERIODS = ("2025", "2026Q3", "2026-10")
COUNTY = DISTRICT[:6]


@pytest.fixture(scope="module")
def demos(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("demos")
    paths = [root / f"demo-{seed}.fpdesk" for seed in SEEDS]
    for path, seed in zip(paths, SEEDS, strict=True):
        demo.build_demo(path, PASSPHRASE, persons=PERSONS, seed=seed)
    return paths


def township_from_demo(demo_path: Path, root: Path, code: str) -> Register:
    """A new township register `code` holding the demo's records, moved to it: written
    row by row with the change capture on (each one a change to send up), and its area
    units: the township, its villages (flags and all) and the units above it."""
    source = open_register(demo_path, PASSPHRASE)
    own = source.area_code
    register = make_township(root, code)

    def moved(value: Any) -> Any:  # an area code, or a household's, in the demo's township
        if isinstance(value, str) and value.startswith(own[:9]):
            return code[:9] + value[9:]
        return value

    with register.transaction() as conn:
        for unit in areas.area_list(source):
            if area.contains(own, unit["code"]) or area.contains(unit["code"], own):
                unit = {k: moved(v) for k, v in unit.items()}
                if unit["code"] == code:
                    unit["name"] = f"{unit['name']}{code[6:9]}"
                _insert(conn, "area_unit", unit)
        for table in REPLICATED:
            for row in source.query(f"SELECT * FROM {table} ORDER BY rowid"):
                if table == "household":
                    row = {**row, "village_code": moved(row["village_code"])}
                    row["code"] = moved(row["code"])
                _insert(conn, table, row)
    source.close()
    return register


def _insert(conn: Any, table: str, row: dict[str, Any]) -> None:
    names = ", ".join(f'"{n}"' for n in row)
    conn.execute(
        f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )


@pytest.fixture
def townships(demos: list[Path], tmp_path: Path) -> Iterator[list[Register]]:
    codes = [f"{COUNTY}{100 + n:03d}000" for n in range(len(demos))]
    made = [township_from_demo(p, tmp_path, c) for p, c in zip(demos, codes, strict=True)]
    yield made
    for register in made:
        register.close()


def join(hub: psycopg.Connection[Any], township: Register, folder: Path) -> None:
    """The township enrolls at the hub (request, accept, finish)."""
    request, answer = folder / f"req-{township.area_code}", folder / f"ans-{township.area_code}"
    enrollment.write_request(township, request)
    hub_enrollment.accept(hub, request, answer, DISTRICT)
    enrollment.finish(township, answer)


def send_up(
    hub: psycopg.Connection[Any], townships: list[Register], folder: Path
) -> list[exchange.HubResult]:
    """Each township's changes to the hub, and the hub's acknowledgements back."""
    files = [bundles.export(t, folder / "up", to_district=True)[0].path for t in townships]
    done = exchange.import_files(hub, files, folder / "acks")
    for township in townships:
        [ack] = [a for a in done.acks if f"-ack-{township.area_code}-" in a.name]
        assert [r.outcome for r in bundles.import_files(township, [ack])] == [ACCEPTED]
    return done.results


def assert_equal_at_hub(hub: psycopg.Connection[Any], township: Register) -> int:
    """Every indicator's number and ids, for every period and level; how many counted."""
    code = township.area_code
    counted = 0
    for label in PERIODS:
        period = parse_period(label)
        source = HubSource(hub, code)
        on_register, at_hub = ind.collect(township, period), ind.collect(source, period)
        expected = ind.compute(township, period, facts=on_register).to_data()
        assert ind.compute(source, period, facts=at_hub).to_data() == expected
        counted += sum(1 for r in expected["results"] if r["numerator_ids"])
        # The district asked: a register without accounts names the district, a source
        # of one township (as a township's account on its register) narrows to it, and
        # judges the targets as a township's; what is counted, with its ids, is the same.
        wide = ind.compute(township, period, [DISTRICT], facts=on_register).to_data()
        narrowed = ind.compute(source, period, [DISTRICT], facts=at_hub).to_data()
        assert (wide["level"], narrowed["areas"]) == ("county", [code])
        assert _counted(narrowed) == _counted(wide)
        for level in ("township", "village"):
            wanted = ind.breakdown(township, period, level, within=DISTRICT, facts=on_register)
            got = ind.breakdown(source, period, level, within=DISTRICT, facts=at_hub)
            assert len(wanted) >= (1 if level == "township" else 2), (code, label, level)
            assert [r.to_data() for r in got] == [r.to_data() for r in wanted], (label, level)
    return counted


def assert_district_is_the_townships(
    hub: psycopg.Connection[Any], townships: list[Register]
) -> None:
    """The whole district at the hub counts what the three registers count, together."""
    for label in PERIODS:
        period = parse_period(label)
        at_hub = ind.compute(HubSource(hub), period, [DISTRICT]).to_data()["results"]
        on_registers = [ind.compute(t, period, [DISTRICT]).to_data()["results"] for t in townships]
        for n, result in enumerate(at_hub):
            for ids in ("numerator_ids", "denominator_ids"):
                together = set().union(*(results[n][ids] for results in on_registers))
                assert set(result[ids]) == together, (label, result["key"], ids)


def _counted(report: dict[str, Any]) -> dict[str, Any]:
    """A report without its area's labels and its targets' verdicts (a level's own)."""
    results = [{k: v for k, v in r.items() if k != "passed"} for r in report["results"]]
    kept = {k: v for k, v in report.items() if k not in ("areas", "level", "name", "results")}
    return {**kept, "results": results}


def test_three_townships_through_bundles_give_their_registers_numbers(
    hub_conn: psycopg.Connection[Any], townships: list[Register], tmp_path: Path
) -> None:
    schema.migrate(hub_conn)
    for township in townships:
        join(hub_conn, township, tmp_path)

    results = send_up(hub_conn, townships, tmp_path / "first")
    assert [(r.outcome, r.township) for r in results] == [
        (ACCEPTED, t.area_code) for t in townships
    ]
    for township in townships:
        persons = township.conn.execute("SELECT count(*) FROM person").fetchone()[0]
        at_hub = hub_conn.execute(
            "SELECT count(*) FROM person WHERE township_code = %s", (township.area_code,)
        ).fetchone()
        assert at_hub == (persons,) and persons > 1000
        # The villages' flags came in the bundle (nothing else brings them).
        flags = "SELECT code, urban, quality_pilot, self_governance, demonstration FROM {}"
        mine = sorted(
            tuple(r)
            for r in township.conn.execute(flags.format("area_unit") + " WHERE level = 'village'")
        )
        got = hub_conn.execute(
            flags.format("hub_area_unit") + " WHERE level = 'village' AND township_code = %s"
            " ORDER BY code",
            (township.area_code,),
        ).fetchall()
        assert [(c.strip(), *f) for c, *f in got] == mine and any(any(m[1:]) for m in mine)
        assert assert_equal_at_hub(hub_conn, township) > 10

    # The second round: a birth in each township, a move and a death in one.
    for n, township in enumerate(townships):
        mother = township.conn.execute(
            """SELECT m.wife_id FROM marriage m JOIN person p ON p.id = m.wife_id
               WHERE m.deleted = 0 AND m.ended_on IS NULL AND p.death_date IS NULL
                 AND p.residence_status = 'here' AND p.birth_date > '1992-01-01'
                 AND NOT EXISTS (SELECT 1 FROM birth b WHERE b.mother_id = m.wife_id
                                 AND b.birth_date > '2024-01-01')
                 AND NOT EXISTS (SELECT 1 FROM pregnancy g WHERE g.woman_id = m.wife_id
                                 AND g.outcome IS NULL)
               ORDER BY m.wife_id LIMIT 1"""
        ).fetchone()[0]
        child = {"name": "新生" + "一二三"[n], "sex": 2, "birth_date": "2026-10-0" + str(n + 3)}
        operations.record_birth(township, mother, child)
    first = townships[0]
    movers = first.conn.execute(
        """SELECT id FROM person WHERE deleted = 0 AND death_date IS NULL
           AND residence_status = 'here' AND birth_date < '1990-01-01'
           ORDER BY id LIMIT 2"""
    ).fetchall()
    operations.record_move(
        first,
        movers[0][0],
        {"kind": "float_out", "moved_on": "2026-10-12", "place": "广东省深圳市"},
    )
    operations.record_death(first, movers[1][0], {"death_date": "2026-10-20"})

    results = send_up(hub_conn, townships, tmp_path / "second")
    assert [r.outcome for r in results] == [ACCEPTED] * 3
    assert all(r.applied >= 2 for r in results)
    for township in townships:
        assert assert_equal_at_hub(hub_conn, township) > 10
    assert_district_is_the_townships(hub_conn, townships)
    births = ind.compute(HubSource(hub_conn, first.area_code), parse_period("2026-10"))
    assert births.result("births").numerator >= 1


def test_the_command_shows_the_townships_numbers(
    hub_conn: psycopg.Connection[Any],
    hub_url: str,
    townships: list[Register],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`fpdesk hub indicators --township` after `hub import` of a real bundle."""
    schema.migrate(hub_conn)
    township = townships[1]
    join(hub_conn, township, tmp_path)
    hub_conn.commit()
    [made] = bundles.export(township, tmp_path / "up", to_district=True)
    url = ["--url", hub_url]
    assert (
        main(["--lang", "en", "hub", "import", str(made.path), "--out", str(tmp_path), *url]) == 0
    )
    capsys.readouterr()
    code = township.area_code
    argv = ["hub", "indicators", "--period", "2025", "--township", code, "--members", "--json"]
    assert main(["--lang", "en", *argv, "--level", "village", *url]) == 0
    shown = json.loads(capsys.readouterr().out)["reports"]
    expected = ind.breakdown(township, parse_period("2025"), "village", within=DISTRICT)
    # As the register's `indicators --members --json`: the persons' names with each number.
    assert [r["results"] for r in shown] == [
        report_data(r, listed_members(township, r))["results"] for r in expected
    ]
