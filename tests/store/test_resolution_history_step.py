"""Step 0010_resolution_history: decisions made before it keep their who, when and why."""

from __future__ import annotations

import json
from pathlib import Path

from fpdesk.store import schema
from fpdesk.store.db import create_register, open_register
from tests.conftest import PASSPHRASE, TOWNSHIP


def test_earlier_decisions_move_into_the_history(tmp_path: Path) -> None:
    path = tmp_path / "t.fpdesk"
    with create_register(path, PASSPHRASE, role="township", area_code=TOWNSHIP) as reg:
        conn = reg.conn
        # The register as the step before this one left it, with a month end done.
        conn.execute("DROP TABLE sync_decision")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0010_resolution_history'")
        conn.execute(f"PRAGMA user_version = {schema.schema_version() - 1}")
        for cid, resolution in (("c1", "village"), ("c2", "merged"), ("c3", None)):
            conn.execute(
                "INSERT INTO sync_conflict (id, kind, device_id, seq, tbl, row_id, field,"
                " created_at, resolved_at, resolution, resolved_value, resolved_by)"
                " VALUES (?, 'field', 'dev', 1, 'household', 'h1', 'address', '2026-11-01',"
                " ?, ?, '\"村里的\"', '文员')",
                (cid, "2026-11-02T08:00:00+00:00" if resolution else None, resolution),
            )
        conn.execute(
            "INSERT INTO local_state (key, value) VALUES ('conflict_reason:c1', '电话核实')"
        )
        merge = {
            "id": "m1",
            "at": "2026-11-03T08:00:00+00:00",
            "actor": "文员",
            "reason": "同一人",
            "survivor": "p1",
            "other": "p2",
            "undone_at": "2026-11-04T08:00:00+00:00",
            "undone_by": "文员",
        }
        conn.execute(
            "INSERT INTO local_state (key, value) VALUES ('person_merge:m1', ?)",
            (json.dumps(merge, ensure_ascii=False),),
        )
    with open_register(path, PASSPHRASE) as reg:
        found = reg.query(
            "SELECT kind, subject, actor, at, resolution, value, reason, row_id, other_row_id"
            " FROM sync_decision ORDER BY at"
        )
    assert found == [
        {
            "kind": "conflict",
            "subject": "c1",
            "actor": "文员",
            "at": "2026-11-02T08:00:00+00:00",
            "resolution": "village",
            "value": '"村里的"',
            "reason": "电话核实",
            "row_id": "h1",
            "other_row_id": None,
        },
        {
            "kind": "merge",
            "subject": "m1",
            "actor": "文员",
            "at": "2026-11-03T08:00:00+00:00",
            "resolution": None,
            "value": None,
            "reason": "同一人",
            "row_id": "p1",
            "other_row_id": "p2",
        },
        {
            "kind": "unmerge",
            "subject": "m1",
            "actor": "文员",
            "at": "2026-11-04T08:00:00+00:00",
            "resolution": None,
            "value": None,
            "reason": "",
            "row_id": "p1",
            "other_row_id": "p2",
        },
    ]
