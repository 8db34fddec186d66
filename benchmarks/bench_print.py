"""Benchmark: the household register of a village of 250, 500 and 1,000 households.

Prints, for each size, the seconds to make the PDF (wall clock, and the CPU time of the
printing process, which other work on the machine does not inflate), its pages and size,
and the peak resident memory of the printing process (each size in a fresh process, so
one run's peak does not hide the next).  Goal: 1,000 households under 15 s, memory flat.

    python benchmarks/bench_print.py [--sizes 250,500,1000] [--kind households]

The village is built here (fpdesk.demo spreads people over many villages and
cannot be asked for one village of an exact size): 4 people a household, a marriage,
two children with their births, contraception, a visit and a recent move in some.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VILLAGE = "450102001201"
PASSPHRASE = "bench-口令"
ON = dt.date(2026, 11, 28)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = "秀英桂兰建国志强丽娟小明海燕春梅国庆玉兰红霞德华淑珍文杰"


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def build(path: Path, households: int, seed: int = 7) -> None:
    """A village register of `households` households (bulk load into a new register)."""
    from fpdesk.core.idnumber import make
    from fpdesk.core.ids import new_id
    from fpdesk.store import capture
    from fpdesk.store.db import create_register

    rng = random.Random(seed)
    register = create_register(path, PASSPHRASE, role="village", area_code=VILLAGE)
    conn = register.conn
    sequence = 0

    def person(household: str, sex: int, born: dt.date, relationship: int, marital: int
               ) -> tuple[str, tuple[object, ...]]:
        nonlocal sequence
        sequence += 1
        pid = new_id()
        number = make("450102", born, (sequence * 2 + (1 if sex == 1 else 0)) % 1000)
        return pid, (pid, household, _name(rng), sex, born.isoformat(), number, marital,
                     relationship)

    with register.transaction():
        capture.remove(conn)  # a bulk load into a new register: no history to keep
        conn.execute("INSERT INTO area_unit (code, parent_code, level, name) VALUES "
                     "(?, ?, 'village', '基准村')", (VILLAGE, VILLAGE[:9] + "000"))
        people, homes, marriages, births, methods, moves = [], [], [], [], [], []
        for n in range(households):
            hid = new_id()
            group = f"{n // 100 + 1:02d}"
            wed = dt.date(1990 + rng.randrange(30), rng.randrange(1, 13), rng.randrange(1, 28))
            husband, row = person(hid, 1, wed.replace(year=wed.year - 25), 0, 21)
            people.append(row)
            wife, row = person(hid, 2, wed.replace(year=wed.year - 23), 1, 21)
            people.append(row)
            homes.append((hid, f"{VILLAGE}{group}{n % 100 + 1:04d}", VILLAGE, group,
                          f"{group} 组 {n + 1} 号，村道东侧第 {rng.randrange(1, 40)} 户", husband))
            marriages.append((new_id(), wife, husband, wed.isoformat()))
            for k in range(2):
                born = min(wed + dt.timedelta(days=400 + 900 * k + rng.randrange(300)), ON)
                child, row = person(hid, rng.choice((1, 2)), born, 2, 10)
                people.append(row)
                births.append((new_id(), wife, husband, child, born.isoformat(), row[3]))
            methods.append((new_id(), wife, rng.choice(("iud", "implant", "condom", "pill")),
                            (ON - dt.timedelta(days=rng.randrange(30, 2000))).isoformat()))
            if n % 7 == 0:
                moves.append((new_id(), wife, (ON - dt.timedelta(days=rng.randrange(300)))
                              .isoformat()))
        conn.executemany("INSERT INTO household (id, code, village_code, group_no, address, "
                         "head_id) VALUES (?, ?, ?, ?, ?, ?)", homes)
        conn.executemany("INSERT INTO person (id, household_id, name, sex, birth_date, "
                         "id_number, marital_status, relationship) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?, ?)", people)
        conn.executemany("INSERT INTO marriage (id, wife_id, husband_id, married_on) "
                         "VALUES (?, ?, ?, ?)", marriages)
        conn.executemany("INSERT INTO birth (id, mother_id, father_id, child_id, birth_date, "
                         "sex) VALUES (?, ?, ?, ?, ?, ?)", births)
        conn.executemany("INSERT INTO contraception (id, woman_id, method, started_on) "
                         "VALUES (?, ?, ?, ?)", methods)
        conn.executemany("INSERT INTO move (id, person_id, kind, moved_on, place) "
                         "VALUES (?, ?, 'in', ?, '外县')", moves)
        capture.install(conn)
    register.close()


def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def measure(path: Path, kind: str, out: Path) -> dict[str, float]:
    """Print once in this process; time it and read the memory."""
    from fpdesk.core.clock import FixedClock
    from fpdesk.reports.pdf import jobs
    from fpdesk.reports.pdf.layout import PrintOptions
    from fpdesk.store.db import open_register

    register = open_register(path, PASSPHRASE)
    jobs.check_village(register, VILLAGE)  # warm: imports, font, first query
    before = _rss_kib() if sys.platform.startswith("linux") else 0
    start, cpu = time.perf_counter(), time.process_time()
    result = jobs.run(register, jobs.PrintRequest(kind, VILLAGE, ON.isoformat()), out,
                      PrintOptions(clock=FixedClock(ON)))
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu  # what the print costs, whatever else runs
    register.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {"seconds": round(seconds, 2), "cpu_seconds": round(cpu_seconds, 2),
            "pages": result.pages,
            "pdf_kib": out.stat().st_size // 1024, "rss_before_mib": round(before / 1024, 1),
            "peak_rss_mib": round(peak / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="250,500,1000")
    parser.add_argument("--kind", default="households", choices=("households", "cards"))
    parser.add_argument("--child", nargs=3, metavar=("DB", "KIND", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        db, kind, out = args.child
        print(json.dumps(measure(Path(db), kind, Path(out))))
        return 0
    print(f"{'households':>10} {'seconds':>8} {'cpu s':>6} {'pages':>6} {'pdf KiB':>8} "
          f"{'RSS before':>11} {'peak RSS':>9}  (MiB)")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            db = Path(tmp) / f"village-{size}.fpdesk"
            build(db, size)
            env = dict(os.environ, FPDESK_LANG="zh")
            line = subprocess.run(
                [sys.executable, __file__, "--child", str(db), args.kind,
                 str(Path(tmp) / f"{size}.pdf")],
                check=True, capture_output=True, encoding="utf-8", env=env).stdout
            r = json.loads(line)
            print(f"{size:>10} {r['seconds']:>8} {r['cpu_seconds']:>6} {r['pages']:>6} "
                  f"{r['pdf_kib']:>8} "
                  f"{r['rss_before_mib']:>11} {r['peak_rss_mib']:>9}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
