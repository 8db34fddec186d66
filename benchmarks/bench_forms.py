"""Form work on a large register: what an officer waits for while typing and saving.

Builds (once) a demo register into benchmarks/out/, copies it to a scratch folder (the
built one is shared and stays untouched), and times, each over --runs tries:

- the live ID-number check as the 18th character is typed (checksum, agreement,
  duplicate lookup): operations.check_person;
- the birth form's live verdict as the date is typed: operations.preview_birth;
- saving a birth (child + birth row + pregnancy outcome, one transaction, with the
  order and verdict computed): operations.record_birth;
- saving a new person: operations.add_person;
- keeping a draft (the debounced autosave): operations.save_draft;
- opening a birth form (offscreen Qt, widgets built, header and verdict read).

Prints median and p95 in milliseconds.

    .venv/bin/python benchmarks/bench_forms.py [--persons 300000] [--runs 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

PASSPHRASE = "bench-口令"
OUT = Path(__file__).resolve().parent / "out"


def built(persons: int, seed: int) -> Path:
    from fpdesk import demo

    path = OUT / f"demo-{persons}-s{seed}.fpdesk"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        demo.build_demo(path, PASSPHRASE, persons=persons, seed=seed)
        print(f"built {path.name} in {time.perf_counter() - started:.1f} s")
    return path


def timed(label: str, runs: list[Any], action: Callable[[Any], object]) -> None:
    laps = []
    for item in runs:
        started = time.perf_counter()
        action(item)
        laps.append((time.perf_counter() - started) * 1000)
    laps.sort()
    p95 = laps[min(len(laps) - 1, int(len(laps) * 0.95))]
    print(
        f"{label:<42} median {statistics.median(laps):7.2f} ms   p95 {p95:7.2f} ms   n={len(laps)}"
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from fpdesk.core.clock import FixedClock
    from fpdesk.core.idnumber import make
    from fpdesk.store import operations
    from fpdesk.store.db import open_register

    source = built(args.persons, args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="bench-forms-"))
    try:
        copy = scratch / "register.fpdesk"
        shutil.copy2(source, copy)
        wal = Path(f"{source}-wal")
        if wal.exists():  # not yet checkpointed: the newest pages live there
            shutil.copy2(wal, Path(f"{copy}-wal"))
        register = open_register(copy, PASSPHRASE)
        register.set_actor("bench")
        clock = FixedClock(dt.date(2026, 11, 28))
        persons = register.query("SELECT count(*) AS n FROM person")[0]["n"]
        print(f"register: {persons} persons ({source.name}, a scratch copy)")

        wives = [
            r["wife_id"]
            for r in register.query(
                "SELECT m.wife_id FROM marriage m JOIN person p ON p.id = m.wife_id "
                "WHERE m.ended_on IS NULL AND m.husband_id IS NOT NULL AND m.deleted = 0 "
                "AND p.death_date IS NULL AND p.birth_date BETWEEN '1980-01-01' AND '2000-01-01' "
                "ORDER BY m.id LIMIT ?",
                (args.runs,),
            )
        ]
        households = [
            r["id"]
            for r in register.query(
                "SELECT id FROM household WHERE deleted = 0 ORDER BY id LIMIT ?", (args.runs,)
            )
        ]
        # ID numbers no demo person has: the demo's people live in real area codes.
        numbers = [
            make("990000", dt.date(1999, 1, 1) + dt.timedelta(days=i), 2 * i % 1000)
            for i in range(args.runs)
        ]
        # A mother with an IUD on record is asked first; here the answer is given.
        child = {"name": "测试", "sex": 1, "birth_date": "2026-11-01", "method_in_place": "as_is"}

        timed(
            "ID number check while typing",
            numbers,
            lambda n: operations.check_person(register, {"name": "某", "id_number": n}, clock),
        )
        timed(
            "birth verdict while typing the date",
            wives,
            lambda w: operations.preview_birth(register, w, child, clock=clock),
        )
        timed(
            "save a birth (child, birth row, verdict)",
            wives,
            lambda w: operations.record_birth(register, w, child, clock=clock),
        )
        timed(
            "save a new person",
            list(zip(households, numbers, strict=False)),
            lambda hn: operations.add_person(
                register,
                hn[0],
                {
                    "name": "新人",
                    "id_number": hn[1],
                    "sex": 2 if int(hn[1][16]) % 2 == 0 else 1,
                    "birth_date": f"{hn[1][6:10]}-{hn[1][10:12]}-{hn[1][12:14]}",
                    "relationship": 8,
                },
                clock=clock,
            ),
        )
        timed(
            "keep a draft (autosave)",
            list(range(args.runs)),
            lambda i: operations.save_draft(
                register, "bench-draft", "person", {"household_id": "h"}, {"name": f"张{i}"}
            ),
        )

        from PySide6.QtWidgets import QApplication

        from fpdesk.gui.forms import build_form

        app = QApplication.instance() or QApplication([])

        def open_birth_form(woman: str) -> None:
            form = build_form("birth", register, {"person_id": woman}, clock=clock)
            form.show()
            app.processEvents()
            form.discard()
            form.deleteLater()

        timed("open a birth form", wives[: max(20, args.runs // 5)], open_birth_form)
        register.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
