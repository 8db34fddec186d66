"""Write the register of a release, for the upgrade tests.

    .venv/bin/python tests/store/golden/make_release_register.py

Run once per release, with that release's program, and commit the file it writes
(register-VERSION.fpdesk): tests/store/test_upgrade.py opens every such file with the
current program, which must migrate it (after a backup copy) and find the same people.
A released file is never regenerated.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "src"))

from fpdesk import __version__  # noqa: E402
from fpdesk.core.clock import FixedClock  # noqa: E402
from fpdesk.core.idnumber import make as id_number  # noqa: E402
from fpdesk.store import operations  # noqa: E402
from fpdesk.store.db import create_register  # noqa: E402

PASSPHRASE = "golden-登记册"
VILLAGE = "450102001201"
CLOCK = FixedClock(dt.date(2026, 11, 1))


def main() -> int:
    path = HERE / f"register-{__version__}.fpdesk"
    if path.exists():
        print(f"{path.name} exists: a released register is never regenerated")
        return 1
    register = create_register(path, PASSPHRASE, role="village", area_code=VILLAGE)
    try:
        register.set_actor("王丽")
        home = operations.add_household(
            register,
            {"group_no": "01", "address": "幸福村一组 8 号"},
            [
                {"name": "张伟", "sex": 1, "birth_date": "1990-03-07", "relationship": 0,
                 "id_number": id_number("450102", dt.date(1990, 3, 7), 15), "marital_status": 20},
                {"name": "李娜", "sex": 2, "birth_date": "1992-05-20", "relationship": 1,
                 "id_number": id_number("450102", dt.date(1992, 5, 20), 24), "marital_status": 20},
            ],
            clock=CLOCK,
        )
        husband, wife = home.member_ids
        operations.record_marriage(
            register,
            {"wife_id": wife, "husband_id": husband, "married_on": "2015-10-01"},
            clock=CLOCK,
        )
        operations.record_birth(
            register,
            wife,
            {"name": "张小明", "sex": 1, "birth_date": "2017-04-02", "weight_g": 3300,
             "place": "hospital", "document_kind": "registration"},
            clock=CLOCK,
        )
        operations.start_contraception(
            register, wife, {"method": "iud", "started_on": "2017-08-15", "provider": "乡卫生院"},
            clock=CLOCK,
        )
    finally:
        register.close()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
