"""The clerk's queue on a township laptop with accounts: each account sees the conflicts
of its own area, only the roles that import decide them, and deciding one is kept in
the record of processing."""

from __future__ import annotations

import pytest

from fpdesk.store import access, accounts, keyring, records
from fpdesk.sync import bundles, conflicts, held
from tests.sync.helpers import World, add_household, send

ADMIN, ADMIN_PW = "王管理", "admin-pass-1"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyring, "SCRYPT_N", 2**10)


def _conflict_from(world: World, code: str) -> None:
    """The township and the village laptop change one household's phone differently."""
    v = world.villages[code]
    hh = add_household(v, 1, phone="111")
    send(v, world.township, world.root / f"out-{code}")
    records.update(world.township, "household", hh, {"phone": "222"})
    records.update(v, "household", hh, {"phone": "333"})
    [made] = bundles.export(v, world.root / f"again-{code}")
    [got] = bundles.import_files(world.township, [made.path])
    assert got.queued == 1


def test_each_account_sees_and_decides_the_conflicts_of_its_own_area(world: World) -> None:
    first, second = sorted(world.villages)
    for code in (first, second):
        _conflict_from(world, code)
    path = world.township.path
    accounts.add(world.township, ADMIN, "administrator", None, ADMIN_PW)
    with accounts.login(path, ADMIN, ADMIN_PW) as reg:
        accounts.add(reg, "甲专干", "officer", first, "officer-pass-1")
        accounts.add(reg, "文书", "clerk", reg.area_code, "clerk-pass-1")
    with accounts.login(path, "甲专干", "officer-pass-1") as reg:
        [mine] = conflicts.open_conflicts(reg)
        assert mine["theirs"] == "333"
        assert (
            access.village_of(reg, "household", records.get(reg, "household", mine["row_id"]) or {})
            == first
        )
        with pytest.raises(access.AccessDenied):  # the clerk's to decide
            conflicts.resolve(reg, mine["id"], "village")
        with pytest.raises(access.AccessDenied):
            held.preview(reg, "no-such-held-bundle")
    with accounts.login(path, "文书", "clerk-pass-1") as reg:
        found = conflicts.open_conflicts(reg)
        assert len(found) == 2
        before = len(reg.query("SELECT 1 FROM access_log WHERE action = 'import'"))
        conflicts.resolve(reg, found[0]["id"], "village")
        rows = reg.query("SELECT account, detail FROM access_log WHERE action = 'import'")
        assert len(rows) == before + 1 and rows[-1]["account"] == "文书"
        assert found[0]["id"] in rows[-1]["detail"]
