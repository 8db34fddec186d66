"""Golden bundles of fpdesk 0.1 carrying moves in its kinds (`in`, `out`): v1-moves.

Made once with the 0.1 sources (PYTHONPATH=<0.1 checkout>/src:<0.1 checkout>
python make_moves_golden.py tests/sync/golden/v1-moves) and never regenerated: it only
runs against 0.1's code, whose record_move wrote `out` for a 流出 and `in` for the way
back, and whose record_move_in wrote `in` for a 迁入.  The expected-*.json files were
then edited to the kinds later versions read those moves as (schema step
0008_residence_moves, sync.legacy): out -> float_out, in after it -> return, a new
person's in -> transfer_in.  tests/sync/test_golden.py imports them like every golden set.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from fpdesk.core.clock import FixedClock
from fpdesk.store import operations, records
from fpdesk.store.db import create_register
from fpdesk.sync import bundles, keys
from tests.sync.helpers import all_rows, enroll

out = Path(sys.argv[1])
out.mkdir(exist_ok=False)
PASSPHRASE = "golden"
TOWNSHIP_CODE, VILLAGE_CODE = "450102001000", "450102001201"
TOWNSHIP_ID = "01900000-0000-7000-8000-00000000a002"
VILLAGE_ID = "01900000-0000-7000-8000-00000000b002"
HOUSEHOLD = "01900000-0000-7000-8000-000000000011"
WOMAN = "01900000-0000-7000-8000-000000000012"
HUSBAND = "01900000-0000-7000-8000-000000000013"
CLOCK = FixedClock(dt.date(2026, 11, 1))


def secret(reg):
    stored = dict(reg.conn.execute("SELECT name, value FROM sync_key"))
    return {"sign_private": stored[keys.SIGN_KEY], "age_identity": stored[keys.AGE_KEY]}


with tempfile.TemporaryDirectory() as tmp:
    root = Path(tmp)
    township = create_register(
        root / "t.fpdesk",
        PASSPHRASE,
        role="township",
        area_code=TOWNSHIP_CODE,
        device_id=TOWNSHIP_ID,
    )
    keys.create_recovery_identity(township, out / "recovery-identity.txt")
    village = create_register(
        root / "v.fpdesk", PASSPHRASE, role="village", area_code=VILLAGE_CODE, device_id=VILLAGE_ID
    )
    village.set_actor("村干部")
    enroll(township, village, root)
    records.insert(
        village,
        "household",
        {
            "id": HOUSEHOLD,
            "code": VILLAGE_CODE + "010001",
            "village_code": VILLAGE_CODE,
            "group_no": "01",
            "address": "一组 1 号",
        },
    )
    records.insert(
        village,
        "person",
        {
            "id": WOMAN,
            "household_id": HOUSEHOLD,
            "name": "王芳",
            "sex": 2,
            "birth_date": "1992-03-04",
            "relationship": 1,
        },
    )
    records.insert(
        village,
        "person",
        {
            "id": HUSBAND,
            "household_id": HOUSEHOLD,
            "name": "李强",
            "sex": 1,
            "birth_date": "1990-07-08",
            "relationship": 0,
        },
    )
    # 0.1's record_move: "out" was a 流出 (the residence status became out), "in" the way back.
    operations.record_move(
        village, WOMAN, {"kind": "out", "moved_on": "2024-03-01", "place": "广东东莞"}, clock=CLOCK
    )
    operations.record_move(village, WOMAN, {"kind": "in", "moved_on": "2025-02-01"}, clock=CLOCK)
    operations.record_move(
        village,
        HUSBAND,
        {"kind": "out", "moved_on": "2025-06-01", "place": "浙江温州"},
        clock=CLOCK,
    )
    # 0.1's record_move_in: a new person with an "in": her hukou came (迁入).
    operations.record_move_in(
        village,
        HOUSEHOLD,
        {"name": "李小妹", "sex": 2, "birth_date": "2000-05-05", "relationship": 7},
        {"moved_on": "2023-09-09", "place": "宾阳县"},
        clock=CLOCK,
    )
    [changes] = bundles.export(village, root / "out")
    (out / "changes.fpb").write_bytes(changes.path.read_bytes())
    bundles.import_files(township, [changes.path])
    (out / "expected-township.json").write_text(
        json.dumps(all_rows(township), ensure_ascii=False, indent=1, sort_keys=True), "utf-8"
    )
    township.set_actor("文员")
    # The township records his return: it reaches the village as a row of 0.1's kinds.
    operations.record_move(township, HUSBAND, {"kind": "in", "moved_on": "2026-01-10"}, clock=CLOCK)
    [update] = bundles.export(township, root / "back", village_code=VILLAGE_CODE)
    (out / "update.fpb").write_bytes(update.path.read_bytes())
    bundles.import_files(village, [update.path])
    (out / "expected-village.json").write_text(
        json.dumps(all_rows(village), ensure_ascii=False, indent=1, sort_keys=True), "utf-8"
    )
    secrets = {
        "township": {
            "device_id": TOWNSHIP_ID,
            "area_code": TOWNSHIP_CODE,
            **secret(township),
            "recovery_recipient": keys.recovery_recipient(township),
        },
        "village": {"device_id": VILLAGE_ID, "area_code": VILLAGE_CODE, **secret(village)},
        "note": "test keys only: published on purpose, never used for real data",
    }
    (out / "keys.json").write_text(json.dumps(secrets, indent=1, sort_keys=True), "utf-8")
    township.close()
    village.close()
