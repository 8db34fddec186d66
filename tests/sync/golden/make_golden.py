"""Make the golden keys and bundles of one released bundle format.

Run once per new format version (`python -m tests.sync.golden.make_golden 1`) and
commit the output; never regenerate the files of a released version: every later
fpdesk must still read them (tests/sync/test_golden.py).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from fpdesk.store import records
from fpdesk.store.db import create_register
from fpdesk.sync import bundles, keys
from tests.sync.helpers import all_rows, enroll

HERE = Path(__file__).parent
PASSPHRASE = "golden"
TOWNSHIP_CODE = "450102001000"
VILLAGE_CODE = "450102001201"
TOWNSHIP_ID = "01900000-0000-7000-8000-00000000a001"
VILLAGE_ID = "01900000-0000-7000-8000-00000000b001"
HOUSEHOLD = "01900000-0000-7000-8000-000000000001"
WOMAN = "01900000-0000-7000-8000-000000000002"
HUSBAND = "01900000-0000-7000-8000-000000000003"
MARRIAGE = "01900000-0000-7000-8000-000000000004"
METHOD = "01900000-0000-7000-8000-000000000005"


def _secret(reg: object) -> dict[str, str]:
    stored = dict(reg.conn.execute("SELECT name, value FROM sync_key"))  # type: ignore[attr-defined]
    return {"sign_private": stored[keys.SIGN_KEY], "age_identity": stored[keys.AGE_KEY]}


def main(version: str) -> None:
    out = HERE / f"v{version}"
    out.mkdir(exist_ok=False)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        township = create_register(
            root / "t.fpdesk",
            PASSPHRASE,
            role="township",
            area_code=TOWNSHIP_CODE,
            device_id=TOWNSHIP_ID,
        )
        recovery_file = out / "recovery-identity.txt"
        keys.create_recovery_identity(township, recovery_file)
        village = create_register(
            root / "v.fpdesk",
            PASSPHRASE,
            role="village",
            area_code=VILLAGE_CODE,
            device_id=VILLAGE_ID,
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
                "id_number": "450102199203041220",
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
            },
        )
        records.update(village, "household", HOUSEHOLD, {"head_id": HUSBAND})
        records.insert(
            village,
            "marriage",
            {"id": MARRIAGE, "wife_id": WOMAN, "husband_id": HUSBAND, "married_on": "2015-10-01"},
        )
        records.insert(
            village,
            "contraception",
            {"id": METHOD, "woman_id": WOMAN, "method": "iud", "started_on": "2019-01-10"},
        )
        records.update(village, "person", WOMAN, {"phone": "13800000000"})
        records.delete(village, "contraception", METHOD)
        [changes] = bundles.export(village, root / "out")
        (out / "changes.fpb").write_bytes(changes.path.read_bytes())
        bundles.import_files(township, [changes.path])
        (out / "expected-township.json").write_text(
            json.dumps(all_rows(township), ensure_ascii=False, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        township.set_actor("文员")
        records.update(township, "household", HOUSEHOLD, {"address": "一组 1 号（新）"})
        [update] = bundles.export(township, root / "back", village_code=VILLAGE_CODE)
        (out / "update.fpb").write_bytes(update.path.read_bytes())
        bundles.import_files(village, [update.path])
        (out / "expected-village.json").write_text(
            json.dumps(all_rows(village), ensure_ascii=False, indent=1, sort_keys=True),
            encoding="utf-8",
        )
        secrets = {
            "township": {
                "device_id": TOWNSHIP_ID,
                "area_code": TOWNSHIP_CODE,
                **_secret(township),
                "recovery_recipient": keys.recovery_recipient(township),
            },
            "village": {"device_id": VILLAGE_ID, "area_code": VILLAGE_CODE, **_secret(village)},
            "note": "test keys only: published on purpose, never used for real data",
        }
        (out / "keys.json").write_text(
            json.dumps(secrets, indent=1, sort_keys=True), encoding="utf-8"
        )
        township.close()
        village.close()


if __name__ == "__main__":
    main(sys.argv[1])
