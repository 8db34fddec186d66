"""The demo city at the hub (issue 17 item 5): `fpdesk hub demo-city` fills a hub with
ten districts (here two, small) from the register demo's own generator, township by
township.  What lands at the hub is what the generator made, counted plainly; the
first district is the register demo of the same seed, so its numbers at the hub equal
that register's, for a township and for the district; and a city's hub counts one of
its districts alone (`--district`)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import psycopg
import pytest
from openpyxl import load_workbook

from fpdesk import demo
from fpdesk.cli import main
from fpdesk.commands.hub_city import load_city
from fpdesk.core.periods import parse_period
from fpdesk.demo import city as demo_city
from fpdesk.demo import names
from fpdesk.hub import schema
from fpdesk.hub.indicators import DistrictNotInHub, HubSource
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.store.db import open_register
from tests.conftest import PASSPHRASE

SEED = 11
PERSONS = 12_000  # two districts of 6,000
DISTRICTS = 2
FIRST, SECOND = (code for code, _ in names.CITY_DISTRICTS[:2])


@pytest.fixture
def city_hub(hub_conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
    schema.migrate(hub_conn)
    hub_conn.commit()
    load_city(hub_conn, PERSONS, seed=SEED, districts=DISTRICTS)
    return hub_conn


def test_the_hub_holds_exactly_what_the_generator_made(city_hub: psycopg.Connection[Any]) -> None:
    made: Counter[tuple[str, str]] = Counter()  # (table, township) -> rows
    ids: dict[str, set[str]] = {}
    units: set[str] = set()
    made_names: dict[str, str] = {}
    for township in demo_city.city(PERSONS, seed=SEED, districts=DISTRICTS):
        made_names[township.code] = township.name
        units.update(u[0] for u in township.area_units)
        for table, rows in township.rows.items():
            made[(table, township.code)] += len(rows)
            ids.setdefault(table, set()).update(r[0] for r in rows)
    at_hub: Counter[tuple[str, str]] = Counter()
    for table in demo_city.TABLES:
        for code, count in city_hub.execute(
            f"SELECT township_code, count(*) FROM {table} GROUP BY 1"
        ):
            at_hub[(table, code)] = count
        hub_ids = {r[0] for r in city_hub.execute(f"SELECT id FROM {table}")}
        assert hub_ids == ids[table], table
    assert at_hub == made
    assert sum(n for (t, _), n in made.items() if t == "person") == PERSONS
    townships = dict(city_hub.execute("SELECT code, name FROM hub_township").fetchall())
    assert townships == made_names
    counties = {r[0] for r in city_hub.execute("SELECT DISTINCT county_code FROM person")}
    assert counties == {FIRST[:6], SECOND[:6]}
    assert {r[0] for r in city_hub.execute("SELECT code FROM hub_area_unit")} == units
    # Nothing left out of what the indicators read: tombstones and the register's defaults.
    assert city_hub.execute("SELECT count(*) FROM person WHERE deleted <> 0").fetchone() == (0,)
    assert city_hub.execute(
        "SELECT count(*) FROM birth WHERE child_relation IS NULL OR deleted IS NULL"
    ).fetchone() == (0,)
    # The second district is not the first one again.
    first, second = (
        {r[0] for r in city_hub.execute("SELECT name FROM person WHERE county_code = %s", (c[:6],))}
        for c in (FIRST, SECOND)
    )
    assert first != second


def test_the_first_district_is_the_register_demo_of_the_seed(
    city_hub: psycopg.Connection[Any], tmp_path: Path
) -> None:
    path = tmp_path / "district.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=PERSONS // DISTRICTS, seed=SEED)
    city = HubSource(city_hub)
    assert city.scope() == demo_city.CITY[0]
    district = HubSource(city_hub, district=FIRST)
    with open_register(path, PASSPHRASE) as register:
        plain = register.conn.execute("SELECT count(*) FROM person").fetchone()[0]
        assert plain == PERSONS // DISTRICTS
        township = register.area_code
        mine = HubSource(city_hub, township)
        for label in ("2025", "2026Q3"):
            period = parse_period(label)
            on_register = ind.collect(register, period)
            for area in (township, FIRST):
                expected = ind.compute(register, period, [area], facts=on_register).to_data()
                assert any(r["numerator"] for r in expected["results"])
                for source in (city, district):
                    assert ind.compute(source, period, [area]).to_data() == expected, area
            # The township's own source, as its register counts itself.
            assert ind.compute(mine, period).to_data() == (
                ind.compute(register, period, facts=on_register).to_data()
            )


def test_a_district_of_a_city_is_counted_alone(
    city_hub: psycopg.Connection[Any], capsys: pytest.CaptureFixture[str], hub_url: str
) -> None:
    period = parse_period("2025")
    city = HubSource(city_hub)
    whole = ind.compute(city, period, [SECOND], facts=ind.collect(city, period)).to_data()
    alone = HubSource(city_hub, district=SECOND)
    assert alone.scope() == SECOND
    assert ind.compute(alone, period).to_data() == whole
    with pytest.raises(DistrictNotInHub):
        HubSource(city_hub, district="450126000000")
    base = ("hub", "indicators", "--url", hub_url, "--period", "2025", "--json")
    assert main(["--lang", "en", *base, "--district", SECOND]) == 0
    (shown,) = json.loads(capsys.readouterr().out)["reports"]
    assert shown["areas"] == [SECOND]
    assert [r["numerator"] for r in shown["results"]] == [r["numerator"] for r in whole["results"]]
    # The persons behind the numbers, read from the district's rows only.
    assert main(["--lang", "en", *base, "--district", SECOND, "--members"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["reports"]
    births = next(r for r in whole["results"] if r["key"] == "births")
    assert births["numerator_ids"]
    assert json.dumps(listed).count(births["numerator_ids"][0]) >= 1
    assert main(["--lang", "en", *base, "--district", "450126000000"]) == 1
    assert "no township of the district 450126000000" in capsys.readouterr().err


def test_the_command_loads_an_empty_hub_only(
    hub_conn: psycopg.Connection[Any], hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--lang", "en", "hub", "demo-city", "--url", hub_url, "--json"]
    assert main([*argv, "--persons", "400", "--districts", "2", "--seed", "3"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["persons"] == 400 and done["districts"] == 2
    persons = hub_conn.execute("SELECT count(*) FROM person").fetchone()
    assert persons == (400,) and done["rows"]["person"] == 400
    # Again into the same hub: refused, nothing written.
    assert main([*argv, "--persons", "400", "--districts", "2"]) == 1
    assert "empty hub only" in capsys.readouterr().err
    assert hub_conn.execute("SELECT count(*) FROM person").fetchone() == (400,)
    # A size the demo does not make.
    assert main([*argv, "--persons", "50", "--districts", "1"]) == 2
    assert "1 to 10 districts" in capsys.readouterr().err


def test_the_annual_workbook_of_a_district_of_the_city(
    city_hub: psycopg.Connection[Any],
    hub_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`hub report --district`: the first district's forms are the register demo's."""
    period = "2025"
    path = tmp_path / "district.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=PERSONS // DISTRICTS, seed=SEED)
    mine = tmp_path / "register.xlsx"
    with open_register(path, PASSPHRASE) as register:
        # At this size the district is one township: the register's whole area.
        (held,) = city_hub.execute(
            "SELECT count(*) FROM hub_township WHERE county_code = %s", (FIRST[:6],)
        ).fetchone()
        assert held == 1
        excel.save(excel.build(register, parse_period(period), "annual"), mine)
    theirs = tmp_path / "hub.xlsx"
    argv = ["--lang", "en", "hub", "report", "--kind", "annual", "--period", period]
    assert main([*argv, "--district", FIRST, "--out", str(theirs), "--url", hub_url]) == 0
    capsys.readouterr()
    for sheet in ("人口和出生", "节育措施"):
        expected = _total(load_workbook(mine)[sheet])
        assert expected[0] > 0
        assert _total(load_workbook(theirs)[sheet]) == expected, sheet


def _total(sheet: Any) -> tuple[Any, ...]:
    """The numbers of a form's total row (合计)."""
    rows = list(sheet.iter_rows(values_only=True))
    total = next(row for row in rows if row[1] and str(row[1]).endswith("合计"))
    return tuple(total[2:])
