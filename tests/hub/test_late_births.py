"""The late-birth rule at the hub (issue 17 item 3): under late_births = "when_found" a
birth entered on the township's register after a report of its period was produced
counts in the period it was found, and the workbooks count it as entered late (补报).
Both read what the township sends up with its changes: the time each birth was first
entered (its insert's `at`) and the reports the township recorded (`report_runs`).  A
township register enrolled at a real hub reports a month, then enters a birth of that
month late; after `bundle export --to-district` and `hub import`, the hub's numbers,
ids and workbook cells equal the register's."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import psycopg
from openpyxl import load_workbook

from fpdesk.core.indicators import DefinitionBook, book_from_data
from fpdesk.core.periods import Period, parse_period
from fpdesk.hub import exchange, schema, staff
from fpdesk.hub.indicators import HubSource
from fpdesk.reports import excel
from fpdesk.reports import indicators as ind
from fpdesk.reports.indicators.sqlite import Readable
from fpdesk.store import operations
from fpdesk.store.db import Register
from fpdesk.sync import envelope
from fpdesk.sync.ledger import ACCEPTED, REFUSED
from tests.conftest import TOWNSHIP
from tests.hub import test_exchange as exchanged
from tests.hub.test_exchange import _template
from tests.hub.test_exchange_equal import demos, join, send_up, townships
from tests.hub.test_staff import as_user, member
from tests.sync.helpers import World

__all__ = ["_template", "demos", "townships"]  # fixtures, used by name

# The month before last: reported after it ended, then a birth of it is found.
_BEFORE = dt.date.today().replace(day=1) - dt.timedelta(days=40)
REPORTED = parse_period(_BEFORE.strftime("%Y-%m"))


def when_found() -> DefinitionBook:
    """The shipped definitions with every version counting late births when found."""
    text = resources.files("fpdesk.resources").joinpath("indicators.json").read_text("utf-8")
    data = json.loads(text)
    data["versions"] = [copy.deepcopy(v) for v in data["versions"]]
    for version in data["versions"]:
        version["settings"]["late_births"] = "when_found"
    return book_from_data(data)


def a_mother(township: Register) -> str:
    found = township.conn.execute(
        """SELECT m.wife_id FROM marriage m JOIN person p ON p.id = m.wife_id
           WHERE m.deleted = 0 AND m.ended_on IS NULL AND p.death_date IS NULL
             AND p.residence_status = 'here' AND p.birth_date > '1992-01-01'
             AND NOT EXISTS (SELECT 1 FROM birth b WHERE b.mother_id = m.wife_id
                             AND b.birth_date > '2024-01-01')
           ORDER BY m.wife_id LIMIT 1"""
    ).fetchone()
    return str(found[0])


def numbers(where: Readable, period: Period, book: DefinitionBook) -> dict[str, Any]:
    return ind.compute(where, period, book=book).to_data()


def cells(where: Readable, period: Period, path: Path) -> dict[str, list[tuple[Any, ...]]]:
    excel.save(excel.build(where, period, "annual"), path)
    book = load_workbook(path)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_a_birth_found_late_counts_at_the_hub_as_on_the_register(
    hub_conn: psycopg.Connection[Any], hub_url: str, townships: list[Register], tmp_path: Path
) -> None:
    schema.migrate(hub_conn)
    township = townships[0]
    join(hub_conn, township, tmp_path)
    book = when_found()
    # The township reports the month after it ended (a minute ago: report times are to
    # the second), then finds a birth of that month.
    a_minute_ago = dt.datetime.now() - dt.timedelta(minutes=1)
    ind.record_run(township, ind.compute(township, REPORTED, book=book), when=a_minute_ago)
    child = {"name": "补报", "sex": 1, "birth_date": REPORTED.start_iso[:8] + "15"}
    born = operations.record_birth(township, a_mother(township), child).birth_id
    assert [r.outcome for r in send_up(hub_conn, [township], tmp_path / "up")] == [ACCEPTED]
    hub_conn.commit()

    found = parse_period(dt.date.today().strftime("%Y-%m"))  # the month it was entered
    mine = HubSource(hub_conn, township.area_code)
    for period in (REPORTED, found, parse_period(REPORTED.label[:4])):
        expected = numbers(township, period, book)
        assert numbers(mine, period, book) == expected, period.label
    # The rule took effect: the month's report stands, the birth counts when found.
    reported = numbers(township, REPORTED, book)["results"]
    now = numbers(township, found, book)["results"]
    assert born not in next(r for r in reported if r["key"] == "births")["numerator_ids"]
    assert born in next(r for r in now if r["key"] == "births")["numerator_ids"]
    # Births of earlier periods entered this month count as entered late (补报出生), at
    # the hub too: the found one, and every older birth the township register was filled
    # with row by row today (each insert's time came up with it).
    late = excel.late_registered_births(township, found)
    assert excel.late_registered_births(mine, found) == late and sum(late.values()) > 100
    assert cells(mine, found, tmp_path / "hub.xlsx") == cells(township, found, tmp_path / "r.xlsx")

    # A township staff login reads its township's entry times and reports (and may).
    name = member(hub_url, "late")
    staff.add(hub_conn, name, township.area_code)
    hub_conn.commit()
    with psycopg.connect(as_user(hub_url, name)) as conn:
        seen = HubSource(conn)
        assert numbers(seen, found, book) == numbers(HubSource(hub_conn), found, book)
        assert excel.late_registered_births(seen, found) == excel.late_registered_births(
            township, found
        )


RUN = {"id": "r1", "period": "2026-10", "produced_at": "2026-11-02T09:00:00"}


def hub_runs(hub: psycopg.Connection[Any]) -> list[tuple[str, str]]:
    rows = hub.execute("SELECT id, areas FROM hub_report_run ORDER BY id").fetchall()
    return [(str(i), str(a)) for i, a in rows]


def test_a_townships_reports_close_only_its_own_births(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    """The runs sent replace the township's earlier ones; an area outside the township
    is dropped (it cannot close another township's births); a malformed run refuses the
    whole bundle; a bundle without the list leaves them."""
    exchanged.join(hub, world.township, tmp_path)
    village = sorted(world.villages)[0]
    other = TOWNSHIP[:6] + "199000"  # another township of the county
    party = envelope.RegisterParty(world.township)

    def send(n: int, runs: Any) -> exchange.HubResult:
        change = exchanged._household_change(n, f"h-{n}", village)
        beside = {} if runs is None else {"report_runs": runs}
        sent = exchanged.sealed(
            party, world.township, [change], tmp_path / f"{n}.fpb", None, beside
        )
        [result] = exchange.import_files(hub, [sent], tmp_path / "acks").results
        return result

    runs = [
        {**RUN, "areas": TOWNSHIP},
        {**RUN, "id": "r2", "areas": f"{village},{other}"},
        {**RUN, "id": "r3", "areas": other},
        {**RUN, "id": "r4", "areas": "not a code"},
    ]
    assert send(1, runs).outcome == ACCEPTED
    assert hub_runs(hub) == [("r1", TOWNSHIP), ("r2", village)]
    for bad in ({**RUN, "areas": 7}, {"id": "r5"}, "r6"):
        result = send(2, [bad])
        assert result.outcome == REFUSED and "report run" in result.reason.en
    assert send(2, None).outcome == ACCEPTED
    assert hub_runs(hub) == [("r1", TOWNSHIP), ("r2", village)]
    assert send(3, [{**RUN, "id": "r7", "areas": TOWNSHIP}]).outcome == ACCEPTED
    assert hub_runs(hub) == [("r7", TOWNSHIP)]
