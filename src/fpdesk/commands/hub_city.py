"""hub demo-city: the demo city (demo.city) loaded into a hub, township by township.

Ten districts of made-up persons (3,000,000 by default) for trying a city's hub and
measuring it (benchmarks/bench_hub_city.py).  The rows go from the register demo's
generator straight into PostgreSQL (hub.load.load_township, one COPY per table),
one township at a time, each township in a transaction of its own: memory stays that
of one township, and a load stopped half-way leaves whole townships (run it again on
an empty hub).  Only into a hub that holds no township yet: a demo never mixes with
a real district's records.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from fpdesk.commands.common import CommandError, emit, subcommand
from fpdesk.core.i18n import Text
from fpdesk.demo import city as demo_city

NOT_EMPTY = Text(
    "这个汇总库里已经有 {count} 个乡镇，演示城市只能装入空的汇总库（没有写入任何内容）。"
    "请用 --url 指定一个新的数据库。",
    "This hub holds {count} townships already; the demo city goes into an empty hub only "
    "(nothing was written). Give a new database with --url.",
)
LOADED = Text(
    "已装入演示城市（种子 {seed}）：{districts} 个区县，{townships} 个乡镇，{persons:,} 人，"
    "共 {rows:,} 行。",
    "Loaded the demo city (seed {seed}): {districts} districts, {townships} townships, "
    "{persons:,} persons, {rows:,} rows in all.",
)


@dataclass
class CityLoaded:
    """What a load put into the hub."""

    townships: list[str] = field(default_factory=list)
    persons: int = 0
    rows: dict[str, int] = field(default_factory=dict)  # table -> rows


def load_city(
    conn: Any,
    persons: int,
    *,
    seed: int = 1,
    districts: int = demo_city.DISTRICTS,
    progress: Callable[[int, int], None] | None = None,
) -> CityLoaded:
    """Fill an empty hub with the demo city; returns what went in.  Each township is
    committed when loaded."""
    from fpdesk.hub import load, schema

    demo_city.district_sizes(persons, districts)  # refuses a size before anything is made
    schema.check(conn)
    (held,) = conn.execute("SELECT count(*) FROM hub_township").fetchone()
    conn.rollback()
    if held:
        raise CommandError(NOT_EMPTY.format(count=held))
    loaded = CityLoaded()
    for township in demo_city.city(persons, seed=seed, districts=districts):
        tables = {t: (demo_city.CITY_COLUMNS[t], rows) for t, rows in township.rows.items()}
        done = load.load_township(conn, township.code, township.name, township.area_units, tables)
        conn.commit()
        loaded.townships.append(township.code)
        loaded.persons += township.persons
        for table, count in done.rows.items():
            loaded.rows[table] = loaded.rows.get(table, 0) + count
        if progress is not None:
            progress(loaded.persons, persons)
    return loaded


OpenHub = Callable[..., AbstractContextManager[tuple[str, Any]]]


def add_command(
    steps: Any, opens: Callable[[argparse.ArgumentParser], None], open_hub: OpenHub
) -> None:
    """`hub demo-city`, set up by commands.hub, which gives how a hub command adds its
    --url and opens the hub (passed in: this module does not import that one back)."""
    with subcommand(
        steps,
        "demo-city",
        "fill an empty hub with a demo city of made-up people / 在空汇总库中生成演示城市",
        run_demo_city,
        opens=opens,
    ) as parser:
        parser.add_argument(
            "--persons",
            type=int,
            default=3_000_000,
            help="how many persons in the city (default 3,000,000) / 全市人数",
        )
        parser.add_argument(
            "--districts",
            type=int,
            default=demo_city.DISTRICTS,
            help=f"how many districts, 1-{demo_city.DISTRICTS} (default "
            f"{demo_city.DISTRICTS}) / 区县数",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="random seed (default 1) / 随机种子"
        )
        parser.set_defaults(open_hub=open_hub)


def run_demo_city(args: argparse.Namespace) -> int:
    from fpdesk.hub import schema

    try:
        demo_city.district_sizes(args.persons, args.districts)
    except demo_city.CitySizeError as exc:
        raise CommandError(exc.text, status=2) from None
    with args.open_hub(args, create=True) as (_url, conn):
        schema.migrate(conn)
        loaded = load_city(
            conn,
            args.persons,
            seed=args.seed,
            districts=args.districts,
            progress=_progress if sys.stderr.isatty() else None,
        )
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    data = {
        "seed": args.seed,
        "districts": args.districts,
        "townships": len(loaded.townships),
        "persons": loaded.persons,
        "rows": loaded.rows,
    }
    text = LOADED.format(
        seed=args.seed,
        districts=args.districts,
        townships=len(loaded.townships),
        persons=loaded.persons,
        rows=sum(loaded.rows.values()),
    )
    emit(args, data, str(text))
    return 0


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\r{done:,} / {total:,}")
    sys.stderr.flush()
