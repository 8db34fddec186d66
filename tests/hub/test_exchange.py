"""Township -> district hub on a real PostgreSQL, with real signed and encrypted bundles
made by a real township register: its villages' work and its own reach the hub's
tables, the hub's acknowledgement moves the township's next export on, and gaps,
forks, replays, forged and hostile files and revoked townships are handled as the
township handles its villages' files."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from fpdesk.cli import main
from fpdesk.core import area
from fpdesk.hub import enrollment as hub_enrollment
from fpdesk.hub import exchange
from fpdesk.hub import status as hub_status
from fpdesk.hub.errors import HubError
from fpdesk.store import areas, records
from fpdesk.store.db import Register
from fpdesk.sync import bundles, container, enrollment, envelope, keys
from fpdesk.sync.errors import SyncError
from fpdesk.sync.ledger import ACCEPTED, DUPLICATE, FORK, GAP, REFUSED
from tests.conftest import TOWNSHIP
from tests.hub.test_enrollment import DISTRICT
from tests.sync.helpers import World, add_household, add_person, make_township, make_world, send

OTHER_TOWNSHIP = TOWNSHIP[:6] + "002000"


pytestmark = pytest.mark.usefixtures("english")  # messages read in English


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hub-world")
    make_world(root, village_count=2).close()
    return root


def join(hub: psycopg.Connection[Any], township: Register, folder: Path) -> None:
    request, answer = folder / f"req-{township.device_id}", folder / f"ans-{township.device_id}"
    enrollment.write_request(township, request)
    hub_enrollment.accept(hub, request, answer, DISTRICT)
    enrollment.finish(township, answer)


def villages_work(world: World) -> None:
    """A household and a person in each village, sent to the township; and the clerk's
    own household at the township."""
    for n, village in enumerate(world.villages.values(), start=1):
        home = add_household(village, n)
        add_person(village, home, f"村民{n}")
        send(village, world.township, world.root / "to-township")
    clerks_household(world.township, sorted(world.villages)[0], 9)


def clerks_household(township: Register, village: str, number: int) -> str:
    code = area.household_code(village, 1, number)
    fields = {"code": code, "village_code": village, "group_no": "01"}
    return records.insert(township, "household", fields)


def to_district(township: Register, folder: Path) -> bundles.Exported:
    [made] = bundles.export(township, folder, to_district=True)
    return made


def hub_rows(hub: psycopg.Connection[Any], table: str) -> list[tuple[Any, ...]]:
    return hub.execute(f"SELECT id, township_code FROM {table} ORDER BY id").fetchall()


def ledger(hub: psycopg.Connection[Any]) -> list[tuple[Any, ...]]:
    return hub.execute("SELECT outcome, applied FROM hub_ledger ORDER BY id").fetchall()


def test_the_townships_changes_reach_the_hub_and_the_ack_moves_it_on(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    villages_work(world)
    join(hub, world.township, tmp_path)
    made = to_district(world.township, tmp_path / "up")
    assert made.path.name.startswith(f"{TOWNSHIP}-changes-{DISTRICT}-")
    log = world.township.conn.execute("SELECT count(*), max(seq) FROM change_log").fetchone()
    assert (made.count, made.after, made.upto) == (log[0], 0, log[1])

    done = exchange.import_files(hub, [made.path], tmp_path / "acks")
    [result] = done.results
    assert (result.outcome, result.applied, result.township) == (ACCEPTED, log[0], TOWNSHIP)
    for table in ("household", "person"):
        township_rows = world.township.query(f"SELECT id FROM {table} ORDER BY id")
        assert hub_rows(hub, table) == [(r["id"], TOWNSHIP) for r in township_rows]
    assert len(hub_rows(hub, "household")) == 3  # two villages' and the clerk's own

    [ack] = done.acks
    [taken] = bundles.import_files(world.township, [ack])
    assert taken.outcome == ACCEPTED
    assert keys.district_peer(world.township)["acked_by_peer"] == log[1]
    assert to_district(world.township, tmp_path / "up2").count == 0  # nothing new

    # The same file again: a replay, nothing applied twice.
    again = exchange.import_files(hub, [made.path], tmp_path / "acks2")
    assert [r.outcome for r in again.results] == [DUPLICATE]
    assert ledger(hub) == [(ACCEPTED, log[0]), (DUPLICATE, 0)]
    [old_ack] = bundles.import_files(world.township, [again.acks[0]])
    assert old_ack.outcome == DUPLICATE


def test_a_bundle_after_a_missing_one_is_a_gap_and_a_changed_change_a_fork(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    villages_work(world)
    join(hub, world.township, tmp_path)
    first = to_district(world.township, tmp_path / "a")
    # The township believes the hub has its first changes: its next bundle starts later.
    world.township.conn.execute(
        "UPDATE sync_device SET acked_by_peer = ? WHERE role = 'district'", (first.upto,)
    )
    clerks_household(world.township, sorted(world.villages)[0], 77)
    later = to_district(world.township, tmp_path / "b")
    done = exchange.import_files(hub, [later.path], tmp_path / "acks")
    assert [r.outcome for r in done.results] == [GAP]
    assert f"changes 1 to {first.upto} are missing" in str(done.results[0].reason.en)
    assert hub_rows(hub, "household") == []
    [row] = hub_status.status(hub, dt.date.today()).townships
    assert (row.code, row.last_outcome, row.hole) == (TOWNSHIP, GAP, (1, first.upto))
    # The first bundle fills the hole; the later one then goes in.
    done = exchange.import_files(hub, [first.path, later.path], tmp_path / "acks2")
    assert [r.outcome for r in done.results] == [ACCEPTED, ACCEPTED]
    assert len(hub_rows(hub, "household")) == 4

    # A change received before that is not the same any more: a fork, nothing applied.
    hub.execute("UPDATE hub_received SET change_hash = 'other' WHERE seq = 1")
    world.township.conn.execute("UPDATE sync_device SET acked_by_peer = 0 WHERE role = 'district'")
    clerks_household(world.township, sorted(world.villages)[0], 78)
    overlapping = to_district(world.township, tmp_path / "c")
    done = exchange.import_files(hub, [overlapping.path], tmp_path / "acks3")
    assert [r.outcome for r in done.results] == [FORK]
    assert "change 1 differs" in done.results[0].reason.en
    assert len(hub_rows(hub, "household")) == 4


@dataclass(frozen=True)
class Impostor(envelope.RegisterParty):
    """A register that signs with its own key but calls itself another device."""

    claimed: str = ""

    @property
    def device_id(self) -> str:
        return self.claimed


def sealed(
    sender: Any,
    township: Register,
    changes: list[Any],
    out: Path,
    area_units: list[Any] | None = None,
    beside: dict[str, Any] | None = None,
) -> Path:
    """A real bundle from `sender` for the hub `township` has joined, of `changes` (and
    `area_units` beside them, when given: without them, as an older fpdesk wrote it;
    and whatever else `beside` holds)."""
    hub_peer = keys.district_peer(township)
    content: dict[str, Any] = {"changes": changes, **(beside or {})}
    if area_units is not None:
        content["area_units"] = area_units
    payload = container.canonical(content)
    upto = max((c[0] for c in changes), default=0)
    data = envelope.seal(
        sender,
        kind="changes",
        recipient=hub_peer,
        after=0,
        upto=upto,
        ack=0,
        previous=None,
        payloads={"changes.json": payload},
        recipients=[hub_peer["age_recipient"]],
        created_at=keys.now_text(),
    )
    out.write_bytes(data)
    return out


def _household_change(seq: int, row_id: str, village: str) -> list[Any]:
    code = area.household_code(village, 1, 1)
    image = {"id": row_id, "code": code, "village_code": village, "group_no": "01"}
    return [seq, "household", row_id, "insert", None, image, "2026-01-01T00:00:00", "x"]


def test_forged_tampered_unenrolled_and_revoked_files_write_nothing(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    villages_work(world)
    join(hub, world.township, tmp_path)
    made = to_district(world.township, tmp_path / "up")
    other = make_township(tmp_path, OTHER_TOWNSHIP)  # never enrolled at the hub
    forged = sealed(
        Impostor(other, world.township.device_id),
        world.township,
        [_household_change(1, "h-forged", sorted(world.villages)[0])],
        tmp_path / "forged.fpb",
    )
    unenrolled = sealed(
        envelope.RegisterParty(other),
        world.township,
        [_household_change(1, "h-unenrolled", OTHER_TOWNSHIP[:9] + "201")],
        tmp_path / "unenrolled.fpb",
    )
    tampered = tmp_path / "tampered.fpb"
    data = bytearray(made.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered.write_bytes(bytes(data))
    done = exchange.import_files(hub, [forged, unenrolled, tampered], tmp_path / "acks")
    assert [r.outcome for r in done.results] == [REFUSED] * 3
    reasons = [r.reason for r in done.results]
    assert "signature" in reasons[0].en.lower()
    assert "not enrolled" in reasons[1].en.lower() or "unknown" in reasons[1].en.lower()
    assert all(r.zh and r.en for r in reasons)
    assert (ledger(hub), hub_rows(hub, "household"), done.acks) == ([], [], [])

    hub_enrollment.revoke(hub, TOWNSHIP)
    done = exchange.import_files(hub, [made.path], tmp_path / "acks")
    assert [r.outcome for r in done.results] == [REFUSED]
    assert "revoked" in done.results[0].reason.en
    assert (ledger(hub), hub_rows(hub, "household"), done.acks) == ([], [], [])
    other.close()


def test_another_townships_records_inside_refuse_the_whole_bundle(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    villages_work(world)
    other = make_township(tmp_path, OTHER_TOWNSHIP)
    join(hub, world.township, tmp_path)
    join(hub, other, tmp_path)
    other_village = OTHER_TOWNSHIP[:9] + "201"
    clerks_household(other, other_village, 1)
    theirs = to_district(other, tmp_path / "other")
    assert [
        r.outcome for r in exchange.import_files(hub, [theirs.path], tmp_path / "a").results
    ] == [ACCEPTED]
    [(their_household, _)] = hub_rows(hub, "household")
    ours = sorted(world.villages)[0]
    mine = envelope.RegisterParty(world.township)
    into_their_village = sealed(
        mine,
        world.township,
        [_household_change(1, "h-mine", ours), _household_change(2, "h-theirs", other_village)],
        tmp_path / "into-their-village.fpb",
    )
    over_their_record = sealed(
        mine,
        world.township,
        [_household_change(1, their_household, ours)],
        tmp_path / "over-their-record.fpb",
    )
    person = {"id": "p-in-their-home", "household_id": their_household, "name": "某", "sex": 2}
    into_their_household = sealed(
        mine,
        world.township,
        [[1, "person", person["id"], "insert", None, person, "2026-01-01T00:00:00", "x"]],
        tmp_path / "into-their-household.fpb",
    )
    files = [into_their_village, over_their_record, into_their_household]
    done = exchange.import_files(hub, files, tmp_path / "b")
    assert [r.outcome for r in done.results] == [REFUSED, REFUSED, REFUSED]
    assert all(f"outside township {TOWNSHIP}" in r.reason.en for r in done.results)
    assert "h-theirs" in done.results[0].reason.en and their_household in done.results[1].reason.en
    assert "person p-in-their-home" in done.results[2].reason.en
    assert hub_rows(hub, "person") == []
    # Nothing of either went in, not even the first bundle's own household; each
    # refusal is in the ledger with its reason, and the township is told where it is.
    assert hub_rows(hub, "household") == [(their_household, OTHER_TOWNSHIP)]
    assert ledger(hub)[-3:] == [(REFUSED, 0)] * 3
    assert hub.execute(
        "SELECT received_upto FROM hub_township WHERE code = %s", (TOWNSHIP,)
    ).fetchone() == (0,)
    assert len(done.acks) == 1
    other.close()


def test_a_hub_without_townships_imports_nothing(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    (tmp_path / "stick").mkdir()
    with pytest.raises(HubError) as refused:
        exchange.import_files(hub, [tmp_path / "stick"], tmp_path / "acks")
    assert "No township has enrolled" in refused.value.text.en and refused.value.text.zh
    assert (ledger(hub), (tmp_path / "acks").exists()) == ([], False)


def test_export_to_district_needs_a_joined_township(world: World, tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="has not joined a district hub"):
        bundles.export(world.township, tmp_path, to_district=True)
    village = next(iter(world.villages.values()))
    with pytest.raises(SyncError, match="--to-district is for a township"):
        bundles.export(village, tmp_path, to_district=True)


def test_the_commands_carry_a_township_up_and_back(
    hub: psycopg.Connection[Any],
    hub_url: str,
    world: World,
    tmp_path: Path,
    passphrase_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    villages_work(world)
    join(hub, world.township, tmp_path)
    hub.commit()
    path = str(world.township.path)
    world.township.close()
    up, acks = tmp_path / "up", tmp_path / "acks"
    export = ["bundle", "export", "--db", path, "--out", str(up), "--to-district", "--json"]
    assert main(["--lang", "en", *export]) == 0
    [made] = json.loads(capsys.readouterr().out)
    status = main(
        ["--lang", "zh", "hub", "import", made["path"], "--out", str(acks), "--url", hub_url]
    )
    out = capsys.readouterr().out
    assert status == 0 and "已导入" in out and "回执" in out
    [ack] = acks.iterdir()
    assert main(["--lang", "en", "bundle", "import", "--db", path, str(ack)]) == 0
    assert "accepted" in capsys.readouterr().out
    assert main(["--lang", "en", *export]) == 0
    assert json.loads(capsys.readouterr().out)[0]["count"] == 0


# ------------------------------------------------------------ area units


def hub_units(hub: psycopg.Connection[Any]) -> dict[str, tuple[Any, ...]]:
    rows = hub.execute(
        "SELECT code, name, urban, quality_pilot, township_code FROM hub_area_unit"
    ).fetchall()
    return {
        code.strip(): (name, urban, pilot, town.strip()) for code, name, urban, pilot, town in rows
    }


def test_the_townships_area_units_travel_with_its_changes(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path
) -> None:
    """Its villages' names and flags (which the indicators read) reach the hub in its
    bundle; a later bundle replaces them; one without them (an older fpdesk's) leaves
    them; another township's units in the list are passed over."""
    villages_work(world)
    village = sorted(world.villages)[0]
    areas.set_name(world.township, TOWNSHIP, "城关镇")
    areas.set_name(world.township, village, "东村")
    world.township.conn.execute(  # the county, as the demo's area list holds it
        "INSERT INTO area_unit (code, parent_code, level, name) VALUES (?, ?, 'county', ?)",
        (TOWNSHIP[:6] + "000000", TOWNSHIP[:4] + "00000000", "兴宁区"),
    )
    world.township.conn.execute("UPDATE area_unit SET urban = 1 WHERE code = ?", (village,))
    join(hub, world.township, tmp_path)
    made = to_district(world.township, tmp_path / "a")
    assert [r.outcome for r in exchange.import_files(hub, [made.path], tmp_path / "k").results] == [
        ACCEPTED
    ]
    assert hub_units(hub) == {
        TOWNSHIP: ("城关镇", 0, 0, TOWNSHIP),
        village: ("东村", 1, 0, TOWNSHIP),
        TOWNSHIP[:6] + "000000": ("兴宁区", 0, 0, TOWNSHIP),
    }
    # Renamed and flagged again: the next bundle (with a change) replaces them.
    areas.set_name(world.township, village, "东风村")
    world.township.conn.execute("UPDATE area_unit SET quality_pilot = 1 WHERE code = ?", (village,))
    clerks_household(world.township, village, 31)
    world.township.conn.execute(
        "UPDATE sync_device SET acked_by_peer = ? WHERE role = 'district'", (made.upto,)
    )
    later = to_district(world.township, tmp_path / "b")
    exchange.import_files(hub, [later.path], tmp_path / "k2")
    assert hub_units(hub)[village] == ("东风村", 1, 1, TOWNSHIP)

    # Without a list (an older fpdesk): imported, the units stay as they were.
    mine = envelope.RegisterParty(world.township)
    older = sealed(
        mine,
        world.township,
        [_household_change(later.upto + 1, "h-old", village)],
        tmp_path / "older.fpb",
    )
    assert [r.outcome for r in exchange.import_files(hub, [older], tmp_path / "k3").results] == [
        ACCEPTED
    ]
    assert hub_units(hub)[village] == ("东风村", 1, 1, TOWNSHIP)

    # Another township's village is not this one's to give: passed over.
    theirs = OTHER_TOWNSHIP[:9] + "201"
    unit = {
        "code": theirs,
        "parent_code": OTHER_TOWNSHIP,
        "level": "village",
        "name": "别村",
        "valid_from": "1900-01-01",
        "valid_to": None,
        "urban": 1,
        "quality_pilot": 0,
        "self_governance": 0,
        "demonstration": 0,
    }
    own = {**unit, "code": village, "parent_code": TOWNSHIP, "name": "东风村"}
    sent = sealed(
        mine,
        world.township,
        [_household_change(later.upto + 2, "h-new", village)],
        tmp_path / "other-units.fpb",
        [unit, own],
    )
    assert [r.outcome for r in exchange.import_files(hub, [sent], tmp_path / "k4").results] == [
        ACCEPTED
    ]
    assert theirs not in hub_units(hub) and hub_units(hub)[village] == ("东风村", 1, 0, TOWNSHIP)


@pytest.mark.parametrize(
    "unit",
    [
        "not a unit",
        {"code": "450102001201"},
        {"level": "township"},
        {"code": "4501020012"},
        {"urban": 2},
        {"name": None},
        {"valid_from": 19000101},
    ],
)
def test_a_malformed_area_unit_refuses_the_whole_bundle(
    hub: psycopg.Connection[Any], world: World, tmp_path: Path, unit: Any
) -> None:
    join(hub, world.township, tmp_path)
    village = sorted(world.villages)[0]
    whole = {
        "code": village,
        "parent_code": TOWNSHIP,
        "level": "village",
        "name": "东村",
        "valid_from": "1900-01-01",
        "valid_to": None,
        "urban": 0,
        "quality_pilot": 0,
        "self_governance": 0,
        "demonstration": 0,
    }
    if isinstance(unit, dict) and set(unit) == {"code"} and unit["code"] == village:
        unit = {"code": village}  # columns missing
    elif isinstance(unit, dict):
        unit = {**whole, **unit}
    sent = sealed(
        envelope.RegisterParty(world.township),
        world.township,
        [_household_change(1, "h-1", village)],
        tmp_path / "bad.fpb",
        [unit],
    )
    [result] = exchange.import_files(hub, [sent], tmp_path / "k").results
    assert result.outcome == REFUSED and "area unit" in result.reason.en
    assert (hub_units(hub), hub_rows(hub, "household")) == ({}, [])
