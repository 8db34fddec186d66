"""The due lists of a large register as JSON, to check that a faster due list gives the same.

Writes (or, with --compare, compares line for line against a saved file) the due lists
of several villages, of one village group, of a whole township and of the district,
each on four dates (the demo's reference date, a week later, 100 days before and 120
days after), the same four read together (due_lists, compared with the lists read one
by one), and the officer's work list (today and the week ahead) for the same areas.

    .venv/bin/python benchmarks/due_snapshot.py --db COPY.fpdesk --out before.json
    .venv/bin/python benchmarks/due_snapshot.py --db COPY.fpdesk --compare before.json

Run it on a copy of a demo register (the demo stays as built).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

PASSPHRASE = "bench-口令"


def _areas(register: Any) -> list[tuple[str, str | None]]:
    """The largest and smallest village, two in between, one group, the largest township
    and the whole district."""
    villages = register.query(
        "SELECT h.village_code AS code, count(*) AS persons FROM household h "
        "JOIN person p ON p.household_id = h.id WHERE p.deleted = 0 "
        "GROUP BY h.village_code ORDER BY persons, code"
    )
    codes = [villages[0]["code"], villages[len(villages) // 3]["code"]]
    codes += [villages[2 * len(villages) // 3]["code"], villages[-1]["code"]]
    township = max(
        {v["code"][:9] for v in villages},
        key=lambda t: sum(v["persons"] for v in villages if v["code"].startswith(t)),
    )
    areas: list[tuple[str, str | None]] = [(c, None) for c in codes]
    areas.append((villages[-1]["code"], "02"))
    areas.append((township + "000", None))
    areas.append((villages[0]["code"][:6] + "000000", None))  # the whole district
    return areas


def snapshot(path: str) -> dict[str, Any]:
    from fpdesk.demo import REFERENCE_DATE
    from fpdesk.store.db import open_register
    from fpdesk.store.due import due_list

    register = open_register(path, PASSPHRASE)
    out: dict[str, Any] = {}
    try:
        dates = [REFERENCE_DATE + dt.timedelta(days=d) for d in (0, 7, -100, 120)]
        for code, group in _areas(register):
            for on in dates:
                started = time.perf_counter()
                items = due_list(register, on, code, group)
                key = f"due {code} group {group} on {on}"
                out[key] = [i.as_dict() for i in items]
                took = time.perf_counter() - started
                print(f"{key}: {len(items)} lines, {took:.2f} s", file=sys.stderr)
            try:  # all four dates from one reading, where due.py can
                from fpdesk.store.due import due_lists
            except ImportError:
                pass
            else:
                for on, items in zip(dates, due_lists(register, dates, code, group), strict=True):
                    out[f"due_lists {code} group {group} on {on}"] = [i.as_dict() for i in items]
            if group is None:
                out[f"worklist {code}"] = _worklist(register, REFERENCE_DATE, code)
    finally:
        register.close()
    return out


def _worklist(register: Any, today: dt.date, code: str) -> list[dict[str, Any]]:
    """What load_due (gui.worklist) gives, without importing Qt: the same reading."""
    try:  # the work list's own function when Qt is installed (it is in the test venv)
        from fpdesk.gui.worklist import load_due
    except ImportError:
        return []
    return [_item(i) for i in load_due(register, today, code)]


def _item(item: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(item)
    data["due_on"] = item.due_on.isoformat()
    return data


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a copy of a demo register")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", help="write the snapshot here")
    group.add_argument("--compare", help="compare with this snapshot")
    args = parser.parse_args()
    data = snapshot(args.db)
    if args.out:
        Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=0), "utf-8")
        print(f"{sum(len(v) for v in data.values())} lines in {len(data)} lists")
        return 0
    saved = json.loads(Path(args.compare).read_text("utf-8"))
    for key in data:  # the lists read together must be the lists read one by one
        if key.startswith("due_lists ") and key not in saved:
            saved[key] = saved.get("due " + key.removeprefix("due_lists "))
    bad = 0
    for key in sorted(set(saved) | set(data)):
        if saved.get(key) != data.get(key):
            bad += 1
            old, new = saved.get(key) or [], data.get(key) or []
            print(f"DIFFERS: {key}: {len(old)} lines saved, {len(new)} now")
            for n, (a, b) in enumerate(zip(old, new, strict=False)):
                if a != b:
                    print(f"  first difference at line {n}:\n    {a}\n    {b}")
                    break
    lines = sum(len(v) for v in data.values())
    print(f"{len(data)} lists, {lines} lines: {'all the same' if not bad else f'{bad} differ'}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
