"""What a file's name tells when the file itself cannot be opened: a damaged bundle
names its village (marked unverified) and says to ask for a new export; a village
leaves another village's update file on the same stick alone, and says so, exit 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fpdesk.cli import main
from fpdesk.store.db import Register
from fpdesk.sync import bundles
from tests.sync.helpers import World, add_household, add_person


def _ledger(reg: Register) -> int:
    return int(reg.conn.execute("SELECT count(*) FROM sync_ledger").fetchone()[0])


def test_a_damaged_bundle_names_its_village_unverified_and_what_to_do(world: World) -> None:
    v = next(iter(world.villages.values()))
    add_person(v, add_household(v, 1), "王芳")
    [made] = bundles.export(v, world.root / "out")
    damaged = bytearray(made.path.read_bytes())
    damaged[200] ^= 0x04  # a USB stick's bad sector
    made.path.write_bytes(bytes(damaged))
    [result] = bundles.import_files(world.township, [made.path])
    assert result.outcome == "refused"
    assert result.named_area == v.area_code
    assert result.reason is not None
    assert v.area_code in result.reason.zh and "未核实" in result.reason.zh
    assert "重新导出" in result.reason.zh
    assert "not verified" in result.reason.en and "export again" in result.reason.en
    assert result.as_dict()["named_area"] == v.area_code


def test_a_file_with_a_foreign_name_is_refused_as_before(world: World) -> None:
    path = world.root / "from-a-friend.fpb"
    path.write_bytes(b"age-encryption.org/v1\n" + bytes(300))
    [result] = bundles.import_files(world.township, [path])
    assert result.outcome == "refused" and result.named_area is None
    assert result.reason is not None and "未核实" not in result.reason.zh


@pytest.fixture
def stick(world: World) -> tuple[Register, Register, Path]:
    """The township's update files for two villages, on one stick."""
    a, b = list(world.villages.values())[:2]
    for village in (a, b):
        add_person(village, add_household(village, 1), f"{village.area_code[-3:]}号")
        bundles.import_files(world.township, [e.path for e in bundles.export(village, world.root)])
    folder = world.root / "stick"
    for village in (a, b):
        bundles.export(world.township, folder, village_code=village.area_code)
    return a, b, folder


def test_another_villages_update_file_is_left_alone(
    world: World, stick: tuple[Register, Register, Path]
) -> None:
    a, b, folder = stick
    before = _ledger(a)
    results = bundles.import_files(a, [folder])
    outcomes = sorted(r.outcome for r in results)
    assert outcomes == ["accepted", "not_here"]
    [other] = [r for r in results if r.outcome == "not_here"]
    assert other.reason is not None
    assert b.area_code in other.reason.zh and "没有动" in other.reason.zh
    assert "left alone" in other.reason.en
    assert _ledger(a) == before + 1  # only the file it took is in its ledger


def test_bundle_import_exits_0_for_another_villages_file(
    world: World,
    stick: tuple[Register, Register, Path],
    passphrase_env: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    a, _b, folder = stick
    a.close()  # the command line opens it itself
    status = main(["--lang", "en", "bundle", "import", "--db", str(a.path), str(folder), "--json"])
    out, err = capsys.readouterr()
    assert status == 0, err
    assert sorted(r["outcome"] for r in json.loads(out)) == ["accepted", "not_here"]
    assert err == ""
