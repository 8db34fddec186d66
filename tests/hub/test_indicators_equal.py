"""One engine, two stores (issue 17 item 3): a demo register loaded into a real
PostgreSQL hub gives, through HubSource, every indicator's number and counted ids that
`reports.indicators.compute` gives on the register itself, for a year, a quarter and a
month, at the district, township and village levels.

The demo register is one township register whose villages lie in several townships of
the county (store.demo): the hub holds it as its township's, and its breakdown by
township covers those townships."""

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
from fpdesk.core.periods import parse_period
from fpdesk.hub import load, schema
from fpdesk.hub.indicators import HubSource, NotInDistrict, TownshipNotInHub
from fpdesk.reports import indicators as ind
from fpdesk.reports import members as who
from fpdesk.store import population as store_population
from fpdesk.store.db import Register, open_register
from tests.conftest import PASSPHRASE

PERSONS = 30_000  # three townships of the county (about 10,000 persons each)
PERIODS = ("2025", "2026Q3", "2026-10")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hubdemo") / "district.fpdesk"
    demo.build_demo(path, PASSPHRASE, persons=PERSONS, seed=11)
    return path


@pytest.fixture
def township(demo_path: Path) -> Iterator[Register]:
    register = open_register(demo_path, PASSPHRASE)
    yield register
    register.close()


@pytest.fixture
def loaded(hub_conn: psycopg.Connection[Any], township: Register) -> psycopg.Connection[Any]:
    schema.migrate(hub_conn)
    done = load.load_register(hub_conn, township)
    assert done.rows["person"] == township.conn.execute("SELECT count(*) FROM person").fetchone()[0]
    return hub_conn


def _data(reports: list[ind.IndicatorReport]) -> list[dict[str, Any]]:
    return [r.to_data() for r in reports]


@pytest.mark.parametrize("label", PERIODS)
def test_every_number_and_id_equals_the_registers(
    loaded: psycopg.Connection[Any], township: Register, label: str
) -> None:
    period = parse_period(label)
    district = HubSource(loaded)
    mine = HubSource(loaded, township.area_code)
    register_facts = ind.collect(township, period)
    hub_facts = ind.collect(district, period)
    own_facts = ind.collect(mine, period)
    # The register's own area, asked as the register does (nothing asked) and as named.
    expected = ind.compute(township, period, facts=register_facts).to_data()
    assert ind.compute(mine, period, facts=own_facts).to_data() == expected
    assert ind.compute(district, period, [township.area_code], facts=hub_facts).to_data() == (
        expected
    )
    # Something was counted, with its ids (not an empty hub equal to an empty register).
    counted = [r for r in expected["results"] if r["numerator"]]
    assert counted and any(r["numerator_ids"] for r in counted)
    # Every township and every village of the county, one by one.
    county = district.scope()
    for level in ("township", "village"):
        on_register = ind.breakdown(township, period, level, within=county, facts=register_facts)
        at_hub = ind.breakdown(district, period, level, within=county, facts=hub_facts)
        assert len(on_register) >= (3 if level == "township" else 20)
        assert _data(at_hub) == _data(on_register), level
    # The district as a whole, and who each basis counts.
    assert ind.compute(district, period, [county], facts=hub_facts).to_data() == (
        ind.compute(township, period, [county], facts=register_facts).to_data()
    )
    members = store_population.members_on(township, period.end_iso)
    assert district.members_on(period.end_iso) == members
    assert ind.headcounts(district, hub_facts, [county]) == ind.headcounts(
        township, register_facts, [county], members
    )


def test_deleted_rows_are_loaded_but_never_counted(
    hub_conn: psycopg.Connection[Any], township: Register
) -> None:
    """A birth deleted on the register is copied (the hub mirrors it) and left out."""
    period = parse_period("2025")
    birth = township.conn.execute(
        "SELECT id FROM birth WHERE deleted = 0 AND child_relation = 'own'"
        " AND birth_date BETWEEN ? AND ? LIMIT 1",
        (period.start_iso, period.end_iso),
    ).fetchone()[0]
    township.conn.execute("BEGIN")  # undone below: the module's demo stays as built
    township.conn.execute("UPDATE birth SET deleted = 1 WHERE id = ?", (birth,))
    try:
        schema.migrate(hub_conn)
        load.load_register(hub_conn, township)
        copied = hub_conn.execute("SELECT deleted FROM birth WHERE id = %s", (birth,)).fetchone()
        assert copied == (1,)
        at_hub = ind.compute(HubSource(hub_conn), period, [township.area_code])
        assert birth not in at_hub.result("births").numerator_ids
        assert at_hub.to_data() == ind.compute(township, period).to_data()
    finally:
        township.conn.rollback()


def test_loading_again_replaces_the_townships_rows(
    loaded: psycopg.Connection[Any], township: Register
) -> None:
    again = load.load_register(loaded, township)
    count = loaded.execute("SELECT count(*) FROM person").fetchone()
    assert count == (again.rows["person"],)


def test_a_failed_load_writes_nothing(
    hub_conn: psycopg.Connection[Any], township: Register
) -> None:
    schema.migrate(hub_conn)
    # The visits (copied after the households and persons) fail: a column the hub lacks.
    hub_conn.execute("ALTER TABLE visit DROP COLUMN follows_id")
    hub_conn.commit()
    with pytest.raises(psycopg.Error):
        load.load_register(hub_conn, township)
    hub_conn.rollback()
    for table in ("hub_township", "hub_area_unit", "household", "person"):
        assert hub_conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table


def test_a_township_not_in_the_hub_is_refused(loaded: psycopg.Connection[Any]) -> None:
    with pytest.raises(TownshipNotInHub) as caught:
        HubSource(loaded, "450102999000")
    assert "450102999000" in caught.value.text.zh and "hub status" in caught.value.text.en


def test_an_area_outside_the_hub_is_refused(loaded: psycopg.Connection[Any]) -> None:
    with pytest.raises(NotInDistrict):
        ind.compute(HubSource(loaded), parse_period("2025"), ["110101000000"])


# ------------------------------------------------------------ fpdesk hub indicators


def run(capsys: pytest.CaptureFixture[str], lang: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--lang", lang, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_command_gives_the_registers_numbers(
    loaded: psycopg.Connection[Any],
    hub_url: str,
    township: Register,
    capsys: pytest.CaptureFixture[str],
) -> None:
    loaded.commit()
    period = parse_period("2026Q3")
    args = ("hub", "indicators", "--url", hub_url, "--period", "2026Q3", "--json")
    status, out, err = run(capsys, "en", *args, "--level", "village", "--members")
    assert (status, err) == (0, "")
    shown = json.loads(out)["reports"]
    expected = ind.breakdown(township, period, "village", within=township.area_code[:6] + "0" * 6)
    # The register's `indicators --members --json`: each number with its persons' names.
    assert [r["results"] for r in shown] == [
        report_data(r, listed_members(township, r))["results"] for r in expected
    ]
    assert any(r["numerator_members"] for r in shown[0]["results"])
    # The district as one; without --members no ids.
    status, out, _ = run(capsys, "en", *args)
    (district,) = json.loads(out)["reports"]
    assert district["areas"] == ["450102000000"] and "numerator_ids" not in district["results"][0]
    # One township's records, as the people read them.
    status, out, _ = run(capsys, "zh", *args[:-1], "--township", township.area_code, "--members")
    assert status == 0 and "定义版本" in out
    births = who.counted(township, ind.compute(township, period), "births")
    assert births and all(line.name in out and line.household in out for line in births)
    # Read only: nothing was written.
    assert loaded.execute("SELECT count(*) FROM hub_ledger").fetchone() == (0,)


def test_the_command_refuses_bad_input_plainly(
    loaded: psycopg.Connection[Any], hub_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded.commit()
    base = ("hub", "indicators", "--url", hub_url)
    status, out, err = run(capsys, "zh", *base, "--period", "2025Q5")
    assert status == 2 and out == "" and "2025Q5" in err
    status, out, err = run(capsys, "en", *base, "--period", "2025", "--township", "450102999000")
    assert status == 1 and out == "" and "no township 450102999000" in err
    status, out, err = run(capsys, "zh", *base, "--period", "2025", "--township", "450102999000")
    assert status == 1 and "没有乡镇 450102999000" in err


def test_a_collection_reads_one_snapshot_and_writes_nothing(
    loaded: psycopg.Connection[Any],
) -> None:
    loaded.commit()
    source = HubSource(loaded)
    with source.reading():
        shown = loaded.execute("SHOW transaction_isolation").fetchone()
        assert shown == ("repeatable read",)
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            loaded.execute("DELETE FROM person")
