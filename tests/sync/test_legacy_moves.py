"""Moves in fpdesk 0.1's kinds (`in`, `out`) still import, read as 0.1 wrote them: a
change logged before the laptop's own upgrade and sent after it, or an update from a
township not yet upgraded (see sync.legacy and docs/bundle-format.md)."""

from __future__ import annotations

import json

from fpdesk.store import records
from fpdesk.store.db import Register
from fpdesk.sync import legacy
from tests.sync.helpers import World, add_household, add_person, send


def _as_0_1_logged_it(village: Register, kinds: dict[str, str]) -> None:
    """Put 0.1's kind into the logged image of each move (what 0.1 wrote to its log)."""
    for move_id, old_kind in kinds.items():
        ((seq, new),) = village.conn.execute(
            "SELECT seq, new FROM change_log WHERE tbl = 'move' AND row_id = ?", (move_id,)
        ).fetchall()
        image = json.loads(new)
        image["kind"] = old_kind
        village.conn.execute(
            "UPDATE change_log SET new = ? WHERE seq = ?", (json.dumps(image), seq)
        )


def test_a_village_bundle_with_0_1_move_kinds_imports_as_0_1_meant_them(world: World) -> None:
    village = next(iter(world.villages.values()))
    home = add_household(village, 1)
    away = add_person(village, home, "外出", residence_status="here")
    newcomer = add_person(village, home, "迁来")
    guest = add_person(village, home, "暂住", residence_status="in")
    moves = {
        records.insert(
            village,
            "move",
            {"person_id": away, "kind": "float_out", "moved_on": "2024-01-01", "place": "东莞"},
        ): "out",
        records.insert(
            village, "move", {"person_id": away, "kind": "return", "moved_on": "2025-01-01"}
        ): "in",
        records.insert(
            village,
            "move",
            {
                "person_id": newcomer,
                "kind": "transfer_in",
                "moved_on": "2023-01-01",
                "place": "外县",
            },
        ): "in",
        records.insert(
            village,
            "move",
            {"person_id": guest, "kind": "float_in", "moved_on": "2022-01-01", "place": "湖南"},
        ): "in",
    }
    _as_0_1_logged_it(village, moves)
    [result] = send(village, world.township, world.root / "out")
    assert result.outcome == "accepted"
    got = dict(world.township.conn.execute("SELECT id, kind FROM move"))
    assert got == {
        move_id: kind
        for move_id, kind in zip(
            moves, ["float_out", "return", "transfer_in", "float_in"], strict=True
        )
    }


def test_an_update_row_of_0_1_kinds_is_read_with_the_moves_already_held(world: World) -> None:
    """A township not yet upgraded sends her `in` after the `out` this village holds as a
    流出: it is her 返回."""
    village = next(iter(world.villages.values()))
    home = add_household(village, 1)
    woman = add_person(village, home, "外出")
    records.insert(
        village,
        "move",
        {"person_id": woman, "kind": "float_out", "moved_on": "2024-01-01", "place": "东莞"},
    )
    rows = [
        {"id": "m-back", "person_id": woman, "kind": "in", "moved_on": "2025-02-01"},
        {"id": "m-new", "person_id": "someone", "kind": "out", "moved_on": "2025-03-01"},
    ]
    assert legacy.upgrade_moves(village, rows) == 2
    assert [r["kind"] for r in rows] == ["return", "float_out"]
    assert legacy.upgrade_moves(village, rows) == 0  # new kinds are left as they are
