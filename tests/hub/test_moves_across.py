"""A person who moves from one township to another, at the hub (docs/hub.md, "Moves
across townships"): a township never writes into another township's households, so a
bundle putting one of its persons into another township's household is refused whole;
the move is what the domain says it is, a 迁出 on the old township's record and a 迁入
of a new record at the new one, and both townships' bundles go in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk.core.clock import FixedClock
from fpdesk.hub import exchange
from fpdesk.store import operations
from fpdesk.sync.ledger import ACCEPTED, REFUSED
from tests.conftest import TOWNSHIP
from tests.hub.test_exchange import (
    OTHER_TOWNSHIP,
    clerks_household,
    join,
    to_district,
    villages_work,
)
from tests.hub.test_held import sealed, up
from tests.sync.helpers import World, make_township, make_world

CLOCK = FixedClock(dt.date(2026, 11, 28))


pytestmark = pytest.mark.usefixtures("english")  # messages read in English


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hub-moves-world")
    make_world(root, village_count=1).close()
    return root


def test_a_person_moves_to_another_township_as_a_move_out_and_a_move_in(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    ours = world.township
    villages_work(world)
    theirs = make_township(tmp_path, OTHER_TOWNSHIP)
    their_home = clerks_household(theirs, OTHER_TOWNSHIP[:9] + "201", 1)
    join(hub, ours, tmp_path)
    join(hub, theirs, tmp_path)
    assert up(hub, ours, tmp_path / "a").outcome == ACCEPTED
    assert up(hub, theirs, tmp_path / "b").outcome == ACCEPTED
    [woman] = ours.query("SELECT * FROM person ORDER BY id LIMIT 1")
    received = hub.execute(
        "SELECT received_upto FROM hub_township WHERE code = %s", (TOWNSHIP,)
    ).fetchone()[0]
    hub.commit()

    # A township signing a change that puts its person into the other's household.
    moved = {**woman, "household_id": their_home}
    change = [received + 1, "person", woman["id"], "update", woman, moved, "2026-11-01", "x"]
    bundle = sealed(ours, [change], tmp_path / "rehouse.fpb", after=received)
    [result] = exchange.import_files(hub, [bundle], tmp_path / "k").results
    assert result.outcome == REFUSED and f"outside township {TOWNSHIP}" in result.reason.en
    assert result.reason.zh
    assert hub.execute(
        "SELECT household_id, township_code FROM person WHERE id = %s", (woman["id"],)
    ).fetchone() == (woman["household_id"], TOWNSHIP)
    assert hub.execute(
        "SELECT count(*) FROM person WHERE township_code = %s", (OTHER_TOWNSHIP,)
    ).fetchone() == (0,)

    # The move as it is recorded: 迁出 at ours, 迁入 of a new record at theirs.
    operations.record_move(
        ours,
        woman["id"],
        {"kind": "transfer_out", "moved_on": "2026-11-01", "place": "邻镇"},
        clock=CLOCK,
        close_household=True,
    )
    newcomer = operations.record_move_in(
        theirs,
        their_home,
        {"name": "村民甲", "sex": 2, "birth_date": woman["birth_date"], "relationship": 1},
        {"moved_on": "2026-11-02", "place": "本县另一个乡镇"},
        clock=CLOCK,
    )
    made = [to_district(ours, tmp_path / "c"), to_district(theirs, tmp_path / "d")]
    done = exchange.import_files(hub, [m.path for m in made], tmp_path / "k2")
    assert [r.outcome for r in done.results] == [ACCEPTED, ACCEPTED]
    rows = dict(
        hub.execute(
            "SELECT p.id, p.township_code || ' ' || m.kind FROM person p"
            " JOIN move m ON m.person_id = p.id WHERE p.id IN (%s, %s)",
            (woman["id"], newcomer),
        ).fetchall()
    )
    assert rows == {
        woman["id"]: f"{TOWNSHIP} transfer_out",
        newcomer: f"{OTHER_TOWNSHIP} transfer_in",
    }
    theirs.close()
