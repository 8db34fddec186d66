"""The villages board: reported, due, late, gaps, forks and open questions per village."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fpdesk.sync import board, bundles, keys
from tests.sync.helpers import World, add_household, add_person, send


def _codes(world: World) -> list[str]:
    return sorted(world.villages)


def _row(world: World, code: str, today: dt.date) -> board.VillageRow:
    return next(r for r in board.villages(world.township, today) if r.code == code)


def test_every_village_is_listed_with_its_device(world: World) -> None:
    rows = board.villages(world.township, dt.date(2026, 12, 3))
    assert [r.code for r in rows] == _codes(world)
    for row in rows:
        assert [d.device_id for d in row.devices] == [world.villages[row.code].device_id]
        assert row.status == board.DUE  # nothing yet, the 5th has not come
        assert row.last_file is None and row.sequence_ok


def test_after_the_deadline_a_silent_village_is_late_and_a_reporting_one_is_not(
    world: World,
) -> None:
    first, second = (world.villages[c] for c in _codes(world))
    add_household(first, 1)
    [got] = send(first, world.township, world.root / "out")
    seen = world.township.query("SELECT seen_at FROM sync_ledger")[0]["seen_at"]
    today = dt.date.fromisoformat(seen[:10])
    after_deadline = today.replace(day=28)
    rows = {r.code: r for r in board.villages(world.township, after_deadline, deadline_day=5)}
    if today.day <= 28:
        assert rows[first.area_code].status == board.REPORTED
    assert rows[first.area_code].last_file == got.file_name
    assert rows[first.area_code].last_outcome == "accepted"
    assert rows[second.area_code].status == board.LATE
    assert [r.code for r in board.late(list(rows.values()))] == [second.area_code]
    # A month later the same bundle no longer counts: both are late after the 5th.
    next_month = (today.replace(day=1) + dt.timedelta(days=40)).replace(day=6)
    later = board.villages(world.township, next_month)
    assert all(r.status == board.LATE for r in later)
    # The deadline day is a setting.
    lenient = board.villages(world.township, next_month, deadline_day=10)
    assert all(r.status == board.DUE for r in lenient)


def test_a_gap_names_the_missing_range_until_it_is_filled(world: World, tmp_path: Path) -> None:
    v = world.villages[_codes(world)[0]]
    hh = add_household(v, 1)
    [lost] = bundles.export(v, tmp_path / "lost")
    add_person(v, hh, "李梅")
    # The village got no acknowledgement, so its next bundle overlaps: pretend the
    # township acknowledged it (an update from a second register would do the same).
    v.conn.execute("UPDATE sync_device SET acked_by_peer = ? WHERE role = 'township'", (lost.upto,))
    [late_one] = bundles.export(v, tmp_path / "late")
    [got] = bundles.import_files(world.township, [late_one.path])
    assert got.outcome == "gap"
    row = next(
        r for r in board.villages(world.township, dt.date(2026, 12, 1)) if r.code == v.area_code
    )
    assert row.missing == [(1, lost.upto)]
    assert not row.sequence_ok and row.last_outcome == "gap"
    bundles.import_files(world.township, [lost.path, late_one.path])
    row = next(
        r for r in board.villages(world.township, dt.date(2026, 12, 1)) if r.code == v.area_code
    )
    assert row.missing == [] and row.sequence_ok


def test_open_conflicts_per_village_and_a_duplicate_on_both_villages(world: World) -> None:
    first, second = (world.villages[c] for c in _codes(world))
    add_person(first, add_household(first, 1), "陈静", birth_date="1991-02-03")
    add_person(second, add_household(second, 1), "陈静", birth_date="1991-02-03")
    hh = add_household(first, 2, address="旧址")
    send(first, world.township, world.root / "a")
    send(second, world.township, world.root / "b")
    from fpdesk.store import records

    records.update(world.township, "household", hh, {"address": "乡里改的"})
    records.update(first, "household", hh, {"address": "村里改的"})
    send(first, world.township, world.root / "c")
    rows = {r.code: r for r in board.villages(world.township, dt.date(2026, 12, 1))}
    # The pair is one village's person and the other's: both villages have it to check.
    assert (rows[first.area_code].open_conflicts, rows[first.area_code].open_duplicates) == (1, 1)
    assert (rows[second.area_code].open_conflicts, rows[second.area_code].open_duplicates) == (0, 1)


def test_a_revoked_laptop_leaves_the_village_without_a_device(world: World) -> None:
    v = world.villages[_codes(world)[0]]
    keys.revoke(world.township, v.device_id)
    row = next(
        r for r in board.villages(world.township, dt.date(2026, 12, 9)) if r.code == v.area_code
    )
    assert row.status == board.NO_DEVICE
    assert row.devices[0].revoked_at is not None


def test_deadline_day_is_clamped_into_the_month() -> None:
    assert board.deadline(dt.date(2026, 2, 10), 31) == dt.date(2026, 2, 28)
    assert board.deadline(dt.date(2026, 2, 10), 0) == dt.date(2026, 2, 1)


def _today(world: World) -> dt.date:
    seen = world.township.query("SELECT max(seen_at) AS at FROM sync_ledger")[0]["at"]
    return dt.date.fromisoformat(seen[:10])


def test_a_refused_file_is_shown_on_its_village_in_red_with_its_reason(world: World) -> None:
    first, second = (world.villages[c] for c in _codes(world))
    add_household(first, 1)
    [made] = bundles.export(first, world.root / "out")
    [took] = bundles.import_files(world.township, [made.path])
    assert took.outcome == "accepted"
    # The next file from the same laptop is damaged on the stick: refused, unread.
    add_household(first, 2)
    [second_file] = bundles.export(first, world.root / "out2")
    data = bytearray(second_file.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    second_file.path.write_bytes(bytes(data))
    [refused] = bundles.import_files(world.township, [second_file.path])
    assert refused.outcome == "refused" and refused.device_id is None
    # And the accepted file carried again: a repeat, not a delivery.
    [again] = bundles.import_files(world.township, [made.path])
    assert again.outcome == "duplicate"
    row = _row(world, first.area_code, _today(world))
    # Reported (a file was taken this month), but the refused one is on the board.
    assert row.status == board.REPORTED and not row.sequence_ok
    [problem] = row.problems
    assert problem.file_name == second_file.path.name and problem.outcome == "refused"
    assert problem.reason.zh and problem.village == first.area_code
    assert row.last_file == made.path.name  # the file that delivered, not the repeat
    assert _row(world, second.area_code, _today(world)).problems == []
    # Next month the refused file is history: the board shows this month's only.
    next_month = (_today(world).replace(day=28) + dt.timedelta(days=5)).replace(day=2)
    assert _row(world, first.area_code, next_month).problems == []


def test_a_held_fork_is_listed_until_the_clerk_applies_or_discards_it(world: World) -> None:
    from fpdesk.sync import held
    from tests.sync.test_held import make_fork

    code, _ids = make_fork(world)
    today = _today(world)
    [problem] = _row(world, code, today).problems
    assert problem.outcome == "fork" and problem.village == code and problem.reason.en
    [waiting] = held.held_bundles(world.township)
    held.discard(world.township, waiting.held_id, reason="已重新录入")
    assert _row(world, code, today).problems == []
