"""A small world for sync tests: one township, enrolled village laptops, real files."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fpdesk.core import area
from fpdesk.store import backup, records
from fpdesk.store.capture import REPLICATED
from fpdesk.store.db import Register, create_register, open_register
from fpdesk.sync import bundles, enrollment, keys, rows
from tests.conftest import PASSPHRASE, TOWNSHIP

_counter = itertools.count(1)


@dataclass
class World:
    root: Path
    township: Register
    villages: dict[str, Register] = field(default_factory=dict)

    def close(self) -> None:
        for reg in [self.township, *self.villages.values()]:
            reg.close()


def make_township(root: Path, code: str = TOWNSHIP) -> Register:
    reg = create_register(
        root / f"township-{code}.fpdesk", PASSPHRASE, role="township", area_code=code
    )
    keys.create_recovery_identity(reg, root / f"recovery-{code}.txt")
    reg.set_actor("文员")
    return reg


def enroll(township: Register, village: Register, root: Path) -> str:
    n = next(_counter)
    request, answer = root / f"request-{n}.json", root / f"answer-{n}.json"
    enrollment.write_request(village, request)
    accepted = enrollment.accept(township, request, answer)
    finished = enrollment.finish(village, answer)
    assert accepted["fingerprint"] == finished["fingerprint"]
    return str(finished["fingerprint"])


def make_world(root: Path, village_count: int = 2) -> World:
    township = make_township(root)
    world = World(root, township)
    for i in range(1, village_count + 1):
        code = TOWNSHIP[:9] + f"{200 + i:03d}"
        reg = create_register(
            root / f"village-{code}.fpdesk", PASSPHRASE, role="village", area_code=code
        )
        reg.set_actor(f"村干部{i}")
        enroll(township, reg, root)
        world.villages[code] = reg
    return world


def add_household(reg: Register, number: int, **extra: Any) -> str:
    code = area.household_code(reg.area_code, 1, number)
    return records.insert(
        reg, "household", {"code": code, "village_code": reg.area_code, "group_no": "01", **extra}
    )


def add_person(reg: Register, household_id: str, name: str, **extra: Any) -> str:
    fields = {
        "household_id": household_id,
        "name": name,
        "sex": 2,
        "birth_date": "1990-01-01",
        **extra,
    }
    return records.insert(reg, "person", fields)


def send(source: Register, target: Register, folder: Path, **kwargs: Any) -> list[Any]:
    """Export from source (for target's area when source is the township) and import."""
    if source.role == "township" and "village_code" not in kwargs:
        kwargs["village_code"] = target.area_code
    made = bundles.export(source, folder, **kwargs)
    return bundles.import_files(target, [e.path for e in made])


def area_state(reg: Register, village: str) -> dict[str, list[dict[str, Any]]]:
    """Every row of one village's area, for comparing copies."""
    return rows.village_rows(reg, village, None)


def all_rows(reg: Register) -> dict[str, list[dict[str, Any]]]:
    return {t: reg.query(f"SELECT * FROM {t} ORDER BY id") for t in REPLICATED}


def count_rows(reg: Register) -> dict[str, int]:
    tables = [
        *REPLICATED,
        "sync_device",
        "sync_received",
        "sync_conflict",
        "sync_held",
        "change_log",
    ]
    return {t: reg.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def restore_township(world: World, made: Path) -> Register:
    """Put the township back as it was in the backup `made` (closed, restored, reopened)."""
    path = world.township.path
    world.township.close()
    backup.restore(made, path, PASSPHRASE, confirmed=True)
    world.township = open_register(path, PASSPHRASE)
    world.township.set_actor("文员")
    return world.township
