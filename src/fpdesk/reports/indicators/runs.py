"""Reports as reported: the indicators a clerk produces (`fpdesk indicators`), kept in
the register with the hash of their numbers (`record_run`), so the clerk can show what
was reported in 2019, and what today's register says for 2019, side by side
(`compare_with_run`).  Because a register keeps changing (a birth found late is entered
a year after the report), the recorded numbers are the ones that were sent.

These records belong to the register that produced them, so this module writes to it
directly; the computation itself is indicators.computation's.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fpdesk.core.ids import new_id
from fpdesk.core.indicators import DefinitionBook, content_hash, load_book
from fpdesk.core.periods import Period, parse_period
from fpdesk.reports.indicators.collection import Facts
from fpdesk.reports.indicators.computation import IndicatorReport, breakdown, compute
from fpdesk.store import access_log
from fpdesk.store.db import Register


def produce(
    register: Register,
    period: Period,
    *,
    level: str | None = None,
    within: str | None = None,
    record: bool = False,
    facts: Facts | None = None,
) -> tuple[list[IndicatorReport], list[str]]:
    """The indicators as reported (`fpdesk indicators`): one report over `within`, or one
    per unit of `level` in it; kept as reported with `record`; and the record of
    processing says who produced them.  `facts`: collect's, if already read.  Returns
    the reports and the recorded run ids."""
    if level:
        reports = breakdown(register, period, level, within=within, facts=facts)
    else:
        reports = [compute(register, period, [within] if within else None, facts=facts)]
    runs = [record_run(register, r) for r in reports] if record else []
    access_log.record(
        register,
        "report",
        {"indicators": period.label, "areas": [a for r in reports for a in r.areas]},
    )
    return reports, runs


def record_run(
    register: Register,
    report: IndicatorReport,
    *,
    kind: str = "indicators",
    file_hash: str | None = None,
    when: dt.datetime | None = None,
) -> str:
    """Keep what was reported: the numbers, their hash and the definitions version."""
    run_id = new_id()
    data = report.to_data()
    with register.transaction() as conn:
        conn.execute(
            """INSERT INTO report_run (id, kind, period, areas, definitions_version,
                   definitions_hash, content_hash, file_hash, produced_at, content)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                run_id,
                kind,
                report.period.label,
                ",".join(report.areas),
                report.definitions_version,
                report.definitions_hash,
                report.content_hash,
                file_hash,
                (when or dt.datetime.now()).isoformat(timespec="seconds"),
                json.dumps(data, ensure_ascii=False, sort_keys=True),
            ),
        )
    return run_id


def runs(register: Register, period: str | None = None) -> list[dict[str, Any]]:
    sql = """SELECT id, kind, period, areas, definitions_version, content_hash, file_hash,
                    produced_at FROM report_run"""
    if period:
        return register.query(sql + " WHERE period = ? ORDER BY produced_at, id", (period,))
    return register.query(sql + " ORDER BY produced_at, id")


def stored_run(register: Register, run_id: str) -> dict[str, Any]:
    """The numbers as first reported; refuses a record whose content no longer matches."""
    rows = register.query("SELECT content, content_hash FROM report_run WHERE id = ?", (run_id,))
    if not rows:
        raise KeyError(run_id)
    data: dict[str, Any] = json.loads(rows[0]["content"])
    if content_hash(data) != rows[0]["content_hash"]:
        raise ValueError(f"report run {run_id} was altered after it was recorded")
    return data


def compare_with_run(
    register: Register, run_id: str, book: DefinitionBook | None = None
) -> list[dict[str, Any]]:
    """Recompute a recorded report under its own definitions version; list what moved."""
    first = stored_run(register, run_id)
    book = book or load_book()
    period = parse_period(first["period"])
    if book.for_period(period).version != first["definitions_version"]:
        raise ValueError("the definitions version of this run is no longer shipped")
    now = compute(register, period, first["areas"], book=book).to_data()
    before = {r["key"]: r for r in first["results"]}
    changes = []
    for result in now["results"]:
        old = before.get(result["key"])
        if old is None or (old["numerator"], old["denominator"]) != (
            result["numerator"],
            result["denominator"],
        ):
            changes.append({"key": result["key"], "reported": old, "now": result})
    return changes
